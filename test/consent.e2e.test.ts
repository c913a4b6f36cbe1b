// 本人同意: the person's consent is the basis for sharing with another agency (DOMAIN.md §4.1).

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import {
  askedFor,
  daysFromNow,
  denials,
  expectDeniedUnasked,
  expectReadAsOwn,
  grantConsent,
  readAccessLog,
  revokeConsent,
} from './support/bases.js';
import { registerJobSeeker } from './support/employment.js';
import { useTestHub } from './support/hub.js';
import { expectBadPagesRefused, walkPages } from './support/pages.js';
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

describe("a consent's mutations answer its parties as their own: logged as read", () => {
  it('recording, confirming and revoking a consent are each logged for whom it is about, whichever of its fields are asked', async () => {
    const person = await registerResident(hub);
    await registerJobSeeker(hub, person);
    const recorded = await hub.as(collaborator, { purpose: '同意の記録' }).query<{ grantConsent: { id: string } }>(
      /* GraphQL */ `
        mutation ($p: ID!, $from: DateTime!, $until: DateTime!) {
          grantConsent(
            input: {
              personId: $p
              recipientAgencyIds: ["${helloWork}"]
              categories: [EMPLOYMENT]
              purpose: "就労支援"
              validFrom: $from
              validUntil: $until
              method: WRITTEN
              evidenceRef: "同意書-1"
            }
          ) {
            id
          }
        }
      `,
      { p: person, from: daysFromNow(-1), until: daysFromNow(30) },
    );
    expect(recorded.errors, JSON.stringify(recorded.errors)).toBeUndefined();
    const id = recorded.data!.grantConsent.id;
    const confirmed = await hub
      .as(helloWork, { purpose: '同意の確認' })
      .query('mutation ($id: ID!) { confirmConsent(id: $id, categories: [EMPLOYMENT]) { id } }', { id });
    expect(confirmed.errors, JSON.stringify(confirmed.errors)).toBeUndefined();
    const revoked = await hub
      .as(collaborator, { purpose: '同意の撤回' })
      .query('mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id active } }', { id });
    expect(revoked.errors, JSON.stringify(revoked.errors)).toBeUndefined();

    await expectReadAsOwn(hub, person, collaborator, '同意の記録');
    await expectReadAsOwn(hub, person, helloWork, '同意の確認');
    await expectReadAsOwn(hub, person, collaborator, '同意の撤回');
  });
});

describe('a change to a consent is read by the agency that made it', () => {
  it('a WELFARE agency revoking a consent it is not named in is logged reading whom it is about, as its act', async () => {
    const person = await registerResident(hub);
    const consentId = await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const welfare = AGENCIES.minaminoWelfare.id;
    const revoked = await hub
      .as(welfare, { purpose: '窓口での撤回' })
      .query('mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id personId categories } }', {
        id: consentId,
      });
    expect(revoked.errors, JSON.stringify(revoked.errors)).toBeUndefined();
    await expectReadAsOwn(hub, person, welfare, '窓口での撤回');
  });
});

describe('consents(personId) pages', () => {
  const welfare = AGENCIES.minaminoWelfare.id;
  const childGuidance = AGENCIES.midoriChildGuidance.id;
  const LIST = /* GraphQL */ `
    query Consents($personId: ID!, $first: Int, $after: ID) {
      consents(personId: $personId, first: $first, after: $after) {
        id
        categories
      }
    }
  `;
  type List = { consents: { id: string; categories: string[] }[] | null };
  let person = '';
  let recorded: string[] = [];

  beforeAll(async () => {
    person = await registerResident(hub, welfare);
    recorded = [];
    // The four oldest tell of DV as well; the three newest of child welfare only.
    for (let i = 0; i < 7; i++) {
      const categories = i < 4 ? ['CHILD_WELFARE', 'DV'] : ['CHILD_WELFARE'];
      recorded.push(
        await grantConsent(hub, welfare, {
          personId: person,
          recipientAgencyIds: [collaborator],
          categories: categories as ('CHILD_WELFARE' | 'DV')[],
          confirmBy: false,
        }),
      );
    }
  });

  const read = (agency: string, variables: Record<string, unknown>, purpose?: string) =>
    hub.as(agency, purpose ? { purpose } : {}).query<List>(LIST, { personId: person, ...variables });

  it('walks the whole list in pages, newest first, no consent lost or repeated', async () => {
    for (const agency of [welfare, childGuidance]) {
      const whole = await read(agency, {});
      expect(whole.data!.consents!.map((c) => c.id)).toEqual([...recorded].reverse());
      const pages = await walkPages(async (first, after) => (await read(agency, { first, after })).data!.consents!, 3);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual([...recorded].reverse());
    }
  });

  it("logs only what the page's consents tell of", async () => {
    const page = `同意の頁 ${randomUUID()}`;
    expect((await read(childGuidance, { first: 3 }, page)).data!.consents).toHaveLength(3);
    const whole = `同意の一覧 ${randomUUID()}`;
    expect((await read(childGuidance, {}, whole)).data!.consents).toHaveLength(7);
    const log = await readAccessLog(hub, person);
    const categoriesOf = (purpose: string) => {
      const entries = log.filter((e) => e.purpose === purpose && e.allowed);
      expect(entries).toHaveLength(1);
      return [...entries[0]!.categories].sort();
    };
    expect(categoriesOf(whole)).toContain('DV');
    expect(categoriesOf(page)).not.toContain('DV');
    expect(categoriesOf(page)).toContain('CHILD_WELFARE');
  });

  it('refuses a first out of 1..200 (OUT_OF_RANGE) and an after not of the list (INVALID_CURSOR)', async () => {
    // A consent about someone else is no cursor of her list.
    const other = await grantConsent(hub, helloWork, {
      personId: watanabe,
      recipientAgencyIds: [collaborator],
      categories: ['EMPLOYMENT'],
    });
    await expectBadPagesRefused((page) => read(welfare, page), 'consents', other);
  });
});
