// 本人同意: the person's consent is the basis for sharing with another agency (DOMAIN.md §4.1).

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { askedFor, daysFromNow, denials, expectDeniedUnasked, grantConsent, revokeConsent } from './support/bases.js';
import { registerJobSeeker } from './support/employment.js';
import { useTestHub } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const helloWork = AGENCIES.helloWorkMinamino.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const watanabe = residentId('watanabe');

const RISK = /* GraphQL */ `
  query Risk($id: ID!) {
    person(id: $id) {
      jobSeeker {
        status
      }
      riskAssessments {
        level
      }
    }
  }
`;

type Risk = { person: { jobSeeker: { status: string } | null; riskAssessments: { level: string }[] | null } };

describe('consent', () => {
  it('an agency reads its own domain without any basis (OWN_DOMAIN)', async () => {
    const result = await hub.query<Risk>(
      { agency: helloWork },
      `{ person(id: "${watanabe}") { jobSeeker { status } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.jobSeeker).not.toBeNull();
  });

  it('without consent another domain is denied and never asked (NO_LEGAL_BASIS)', async () => {
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: watanabe });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(result.data!.person.jobSeeker).not.toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS', personId: watanabe, path: ['person', 'riskAssessments'] },
    ]);
    expect(askedFor(hub, 'suicide-prevention', watanabe, 'riskAssessments')).toBe(false);
  });

  it('a consent naming the agency and the category allows it (CONSENT)', async () => {
    const consentId = await grantConsent(hub, collaborator, {
      personId: watanabe,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: watanabe });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.riskAssessments!.length).toBeGreaterThan(0);
    expect(askedFor(hub, 'suicide-prevention', watanabe, 'riskAssessments')).toBe(true);
    await revokeConsent(hub, collaborator, consentId);
  });

  it('a consent for another agency does not allow (NO_LEGAL_BASIS)', async () => {
    const person = residentId('kato');
    await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [AGENCIES.minaminoSilver.id],
      categories: ['MENTAL_HEALTH'],
    });
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)[0]).toMatchObject({ category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS' });
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });

  it('a consent for another category does not allow (NO_LEGAL_BASIS)', async () => {
    const person = residentId('matsumoto');
    await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)[0]).toMatchObject({ category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS' });
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });

  it('an expired consent denies (CONSENT_EXPIRED)', async () => {
    const person = residentId('sato-mother');
    await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
      validFrom: daysFromNow(-60),
      validUntil: daysFromNow(-1),
    });
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expectDeniedUnasked(hub, result, 'suicide-prevention', {
      category: 'MENTAL_HEALTH',
      reason: 'CONSENT_EXPIRED',
      personId: person,
      path: ['person', 'riskAssessments'],
    });
  });

  it('a consent not started yet allows nothing, and its holder is not asked (NO_LEGAL_BASIS)', async () => {
    const silver = AGENCIES.minaminoSilver.id;
    await grantConsent(hub, collaborator, {
      personId: watanabe,
      recipientAgencyIds: [silver],
      categories: ['MENTAL_HEALTH'],
      validFrom: daysFromNow(1),
      validUntil: daysFromNow(30),
    });
    hub.forget();
    const result = await hub.query<{ person: { riskAssessments: unknown[] | null } }>(
      { agency: silver },
      'query ($id: ID!) { person(id: $id) { riskAssessments { level } } }',
      { id: watanabe },
    );
    expectDeniedUnasked(hub, result, 'suicide-prevention', {
      category: 'MENTAL_HEALTH',
      reason: 'NO_LEGAL_BASIS',
      personId: watanabe,
      path: ['person', 'riskAssessments'],
    });
  });

  it('a revoked consent denies on the very next request (CONSENT_REVOKED)', async () => {
    const person = residentId('yamada-son');
    const consentId = await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    const before = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(before.data!.person.riskAssessments).not.toBeNull();

    await revokeConsent(hub, collaborator, consentId);
    hub.forget();
    const after = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expectDeniedUnasked(hub, after, 'suicide-prevention', {
      category: 'MENTAL_HEALTH',
      reason: 'CONSENT_REVOKED',
      personId: person,
      path: ['person', 'riskAssessments'],
    });
  });

  it('a revocation holds for the fields after it in the same request too (CONSENT_REVOKED)', async () => {
    const person = await registerResident(hub, AGENCIES.minaminoWelfare.id);
    await registerJobSeeker(hub, person);
    const consentId = await grantConsent(hub, helloWork, {
      personId: person,
      recipientAgencyIds: [collaborator],
      categories: ['EMPLOYMENT'],
    });
    const consult =
      'recordConsultation(input: { personId: $p, channel: PHONE, agencyKind: SELF_RELIANCE }) { person { jobSeeker { status } } }';
    type Consulted = { person: { jobSeeker: { status: string } | null } };
    const result = await hub.query<{ before: Consulted; revoked: { active: boolean }; after: Consulted }>(
      { agency: collaborator },
      `mutation ($p: ID!, $c: ID!) { before: ${consult} revoked: revokeConsent(id: $c, reason: "本人の申出") { active } after: ${consult} }`,
      { p: person, c: consentId },
    );
    expect(result.data!.before.person.jobSeeker).toEqual({ status: 'ACTIVE' });
    expect(result.data!.revoked).toEqual({ active: false });
    expect(result.data!.after.person.jobSeeker).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'EMPLOYMENT', reason: 'CONSENT_REVOKED', personId: person, path: ['after', 'person', 'jobSeeker'] },
    ]);
  });
});
