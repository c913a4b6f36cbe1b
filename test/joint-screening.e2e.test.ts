// Joint suicide-risk screening (別添2 6(1)(ア)–(ウ)): the multi-agency collaborator records it with the
// window as co-assessor, only on a basis for the person's mental health; agencies with a basis see it at
// once, others are refused; a high level opens a psychiatric referral.

import { beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { askedFor, convene, denials, grantConsent, readAccessLog, revokeConsent } from './support/bases.js';
import { registerAgency, useTestHub, type GraphQLResponse } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const collaborator = AGENCIES.minaminoCollaborator.id;
const municipality = AGENCIES.minaminoWelfare.id;
const hikikomori = AGENCIES.minaminoHikikomori.id;
const selfReliance = AGENCIES.minaminoSelfReliance.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const helloWork = AGENCIES.helloWorkMinamino.id;

const person = residentId('kato');

const SCREEN = /* GraphQL */ `
  mutation ($input: RecordJointScreeningInput!) {
    recordJointScreening(input: $input) {
      id
      level
      joint
      assessorAgencyId
      coAssessorAgencyId
      referral {
        status
        agencyId
        screeningId
      }
    }
  }
`;
interface Screening {
  id: string;
  level: string;
  joint: boolean;
  assessorAgencyId: string;
  coAssessorAgencyId: string;
  referral: { status: string; agencyId: string; screeningId: string } | null;
}

const screen = (agency: string, input: Partial<Record<string, unknown>> = {}) =>
  hub.query<{ recordJointScreening: Screening | null }>({ agency }, SCREEN, {
    input: {
      personId: person,
      coAssessorAgencyId: kokoro,
      level: 'HIGH',
      signs: ['SLEEPLESSNESS', 'LOW_MOOD_ALL_DAY'],
      note: '多機関協働の面談で窓口相談員と共同で確認',
      ...input,
    },
  });

const RISK = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      latestRiskLevel
      riskAssessments {
        id
        level
        joint
      }
      psychiatricReferrals {
        status
        screeningId
      }
    }
  }
`;
interface Risk {
  person: {
    latestRiskLevel: string | null;
    riskAssessments: { id: string; level: string; joint: boolean }[] | null;
    psychiatricReferrals: { status: string; screeningId: string | null }[] | null;
  };
}
const risk = (agency: string) => hub.query<Risk>({ agency }, RISK, { id: person });

/** What the window, which owns the data, holds of the person: proof that a refusal changed nothing. */
async function heldByWindow() {
  const result = await risk(kokoro);
  expect(result.errors).toBeUndefined();
  return result.data!.person;
}

/** The window's own assessment of the person, naming a co-assessor or none. */
const assess = (coAssessorAgencyId?: string | null) =>
  hub.query<{ recordRiskAssessment: { id: string; joint: boolean } | null }>(
    { agency: kokoro },
    /* GraphQL */ `
      mutation ($input: RecordRiskAssessmentInput!) {
        recordRiskAssessment(input: $input) {
          id
          joint
        }
      }
    `,
    { input: { personId: person, level: 'LOW', signs: ['SLEEPLESSNESS'], coAssessorAgencyId } },
  );

const refusal = (result: GraphQLResponse<unknown>) =>
  result.errors?.map((e) => ({
    code: e.extensions?.['code'],
    reason: e.extensions?.['reason'],
    category: e.extensions?.['category'],
    personId: e.extensions?.['personId'],
  }));

describe('refusals: nothing is sent, nothing changes', () => {
  it('without a basis for MENTAL_HEALTH, the collaborator is refused (FORBIDDEN NO_LEGAL_BASIS)', async () => {
    const before = await heldByWindow();
    hub.forget();
    const result = await screen(collaborator);
    expect(result.data?.recordJointScreening ?? null).toBeNull();
    expect(refusal(result)).toEqual([
      { code: 'FORBIDDEN', reason: 'NO_LEGAL_BASIS', category: 'MENTAL_HEALTH', personId: person },
    ]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    expect(await heldByWindow()).toEqual(before);
  });

  it('a personId that is no id is refused as input (BAD_USER_INPUT INVALID_ID), not decided', async () => {
    hub.forget();
    const result = await screen(collaborator, { personId: 'not-a-uuid' });
    expect(result.data?.recordJointScreening ?? null).toBeNull();
    expect(refusal(result)).toEqual([
      { code: 'BAD_USER_INPUT', reason: 'INVALID_ID', category: undefined, personId: undefined },
    ]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
  });

  it('another town’s welfare office, even holding a consent, records nothing for a person it does not serve (OUTSIDE_JURISDICTION); an id that names no one alike', async () => {
    const otherTown = AGENCIES.higashiyamaWelfare.id;
    const nobody = '00000000-0000-4000-8000-0000000000ee';
    // Recorded by the town's welfare office and confirmed by the category's holder: a basis to read.
    await grantConsent(hub, municipality, {
      personId: person,
      recipientAgencyIds: [otherTown],
      categories: ['MENTAL_HEALTH'],
    });
    const before = await heldByWindow();
    hub.forget();
    const answers = [await screen(otherTown, { level: 'IMMINENT' }), await screen(otherTown, { personId: nobody })];
    expect(refusal(answers[0]!)).toEqual([
      { code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION', category: undefined, personId: person },
    ]);
    expect(refusal(answers[1]!)).toEqual([
      { code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION', category: undefined, personId: nobody },
    ]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    expect(await heldByWindow()).toEqual(before);
  });

  it('a domain the rule does not name may not send it (FORBIDDEN NOT_OWN_DOMAIN)', async () => {
    await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    hub.forget();
    const result = await screen(helloWork);
    expect(refusal(result)).toEqual([
      { code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN', category: undefined, personId: undefined },
    ]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
  });

  it('a co-assessor that is not a suicide-prevention agency is refused (CO_ASSESSOR_NOT_SUICIDE_PREVENTION)', async () => {
    for (const coAssessorAgencyId of [helloWork, 'no-such-agency']) {
      const result = await screen(collaborator, { coAssessorAgencyId });
      expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
        ['BAD_USER_INPUT', 'CO_ASSESSOR_NOT_SUICIDE_PREVENTION'],
      ]);
    }
    expect(hub.received('suicide-prevention')).toHaveLength(0);
  });

  it('the window screening with itself as its co-assessor is refused (CO_ASSESSOR_IS_ASSESSOR) before anything is decided or logged', async () => {
    const logged = (await readAccessLog(hub, person)).length;
    hub.forget();
    const result = await screen(kokoro, { coAssessorAgencyId: kokoro });
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'CO_ASSESSOR_IS_ASSESSOR'],
    ]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    // No MENTAL_HEALTH access shown to her for a screening that was never recorded.
    expect((await readAccessLog(hub, person)).length).toBe(logged);
  });

  it("the window's own assessment names as co-assessor a welfare agency (the collaborator), or none (CO_ASSESSOR_NOT_WELFARE)", async () => {
    hub.forget();
    for (const named of ['no-such-agency', AGENCIES.minaminoSilver.id, helloWork, kokoro]) {
      const result = await assess(named);
      expect(
        result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
      ).toEqual([['BAD_USER_INPUT', 'CO_ASSESSOR_NOT_WELFARE', 'coAssessorAgencyId']]);
    }
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    // Screened with the collaborator, the window's own assessment is a joint one (別添2 6(1)(ア)); alone, not.
    for (const [named, joint] of [
      [collaborator, true],
      [null, false],
      [undefined, false],
    ] as const) {
      const result = await assess(named);
      expect(result.errors).toBeUndefined();
      expect(result.data!.recordRiskAssessment!.joint).toBe(joint);
    }
  });

  it('a revoked consent refuses with CONSENT_REVOKED', async () => {
    const consentId = await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [collaborator],
      categories: ['MENTAL_HEALTH'],
    });
    await revokeConsent(hub, collaborator, consentId);
    const before = await heldByWindow();
    hub.forget();
    const result = await screen(collaborator);
    expect(refusal(result)).toEqual([
      { code: 'FORBIDDEN', reason: 'CONSENT_REVOKED', category: 'MENTAL_HEALTH', personId: person },
    ]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    expect(await heldByWindow()).toEqual(before);
  });
});

describe('on a support meeting sharing MENTAL_HEALTH', () => {
  let screeningId = '';

  it('the collaborator records a HIGH screening; it opens a proposed psychiatric referral', async () => {
    await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH', 'WELFARE_CASE'],
      members: [collaborator, hikikomori, selfReliance],
      acknowledged: [collaborator, hikikomori],
    });
    hub.forget();
    const result = await screen(collaborator);
    expect(result.errors).toBeUndefined();
    const screening = result.data!.recordJointScreening!;
    expect(screening).toMatchObject({
      level: 'HIGH',
      joint: true,
      assessorAgencyId: collaborator,
      coAssessorAgencyId: kokoro,
      referral: { status: 'PROPOSED', agencyId: kokoro, screeningId: screening.id },
    });
    expect(hub.received('suicide-prevention')).toHaveLength(1);
    screeningId = screening.id;
  });

  it.each([
    ['over 2000 characters', 'x'.repeat(2001), 'INVALID_LENGTH'],
    ['holding a control character', '面談\u0007記録', 'INVALID_TEXT'],
  ])(
    'a note the window would refuse (%s) is refused before the basis is decided: nothing logged, sent or recorded',
    async (_, note, reason) => {
      const before = await heldByWindow();
      const logged = (await readAccessLog(hub, person)).length;
      hub.forget();
      const result = await screen(collaborator, { note });
      expect(
        result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
      ).toEqual([['BAD_USER_INPUT', reason, 'note']]);
      expect(hub.received('suicide-prevention')).toHaveLength(0);
      expect((await readAccessLog(hub, person)).length).toBe(logged);
      expect(await heldByWindow()).toEqual(before);
    },
  );

  it('a member that acknowledged sees it on the very next request (riskAssessments, latestRiskLevel)', async () => {
    const result = await risk(hikikomori);
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.latestRiskLevel).toBe('HIGH');
    expect(result.data!.person.riskAssessments).toContainEqual({ id: screeningId, level: 'HIGH', joint: true });
    expect(result.data!.person.psychiatricReferrals).toContainEqual({ status: 'PROPOSED', screeningId });
  });

  it('a member that has not acknowledged confidentiality is refused, and the window is never asked', async () => {
    hub.forget();
    const result = await risk(selfReliance);
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(result.data!.person.latestRiskLevel).toBeNull();
    expect(new Set(denials(result.errors).map((d) => d.reason))).toEqual(new Set(['CONFIDENTIALITY_NOT_ACKNOWLEDGED']));
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });

  it('an agency outside the meeting is refused and told nothing of it (NO_LEGAL_BASIS); the window is never asked', async () => {
    hub.forget();
    const result = await risk(AGENCIES.minaminoSilver.id);
    expect(result.data!.person.latestRiskLevel).toBeNull();
    expect(new Set(denials(result.errors).map((d) => d.reason))).toEqual(new Set(['NO_LEGAL_BASIS']));
    expect(askedFor(hub, 'suicide-prevention', person, 'latestRiskLevel')).toBe(false);
  });

  it('a LOW screening opens no referral', async () => {
    const result = await screen(collaborator, { level: 'LOW', signs: ['SOCIAL_DISCONNECTION'] });
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordJointScreening).toMatchObject({ level: 'LOW', referral: null });
    expect((await risk(hikikomori)).data!.person.latestRiskLevel).toBe('LOW');
  });

  it('the precondition decisions, allowed and refused, are in the access log', async () => {
    const byCollaborator = (await readAccessLog(hub, person, kokoro))
      .filter((n) => n.agency.id === collaborator)
      .map((n) => ({ allowed: n.allowed, basis: n.basis, reason: n.reason }));
    expect(byCollaborator).toContainEqual({ allowed: false, basis: null, reason: 'NO_LEGAL_BASIS' });
    expect(byCollaborator).toContainEqual({ allowed: false, basis: null, reason: 'CONSENT_REVOKED' });
    expect(byCollaborator).toContainEqual({ allowed: true, basis: 'SUPPORT_MEETING', reason: null });
  });
});

describe('a co-assessor serves the municipality the person is registered in (CONTRACT.md v2 jurisdiction)', () => {
  const otherTownsWindow = 'higashiyama-kokoro';

  beforeAll(async () => {
    await registerAgency(hub, {
      id: otherTownsWindow,
      name: 'ひがし山町 こころの健康相談窓口',
      domain: 'SUICIDE_PREVENTION',
      kind: '自殺対策主管部局',
      municipalityCode: '990002',
      jurisdiction: ['990002'],
    });
  });

  it('a joint screening with another town’s window is refused (CO_ASSESSOR_OUTSIDE_JURISDICTION) before anything is decided, logged, sent or referred', async () => {
    const before = await heldByWindow();
    const logged = (await readAccessLog(hub, person)).length;
    hub.forget();
    const result = await screen(collaborator, { coAssessorAgencyId: otherTownsWindow, level: 'HIGH' });
    expect(result.data?.recordJointScreening ?? null).toBeNull();
    expect(
      result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
    ).toEqual([['BAD_USER_INPUT', 'CO_ASSESSOR_OUTSIDE_JURISDICTION', 'coAssessorAgencyId']]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    expect((await readAccessLog(hub, person)).length).toBe(logged);
    expect(await heldByWindow()).toEqual(before);
  });

  it('a person of another town and an id that names no one are refused alike (OUTSIDE_JURISDICTION), whichever window is named', async () => {
    const otherTownsResident = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, '990002');
    const nobody = '00000000-0000-4000-8000-0000000000ef';
    hub.forget();
    for (const coAssessorAgencyId of [otherTownsWindow, kokoro]) {
      for (const personId of [otherTownsResident, nobody]) {
        const result = await screen(collaborator, { personId, coAssessorAgencyId });
        expect(refusal(result)).toEqual([
          { code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION', category: undefined, personId },
        ]);
        expect(result.errors![0]!.message).toBe(
          'The calling agency does not serve the municipality this person is registered in',
        );
      }
    }
    expect(hub.received('suicide-prevention')).toHaveLength(0);
  });

  it("the window's own assessment names as co-assessor no welfare agency of another town (CO_ASSESSOR_OUTSIDE_JURISDICTION)", async () => {
    const logged = (await readAccessLog(hub, person)).length;
    hub.forget();
    const result = await assess(AGENCIES.higashiyamaWelfare.id);
    expect(
      result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
    ).toEqual([['BAD_USER_INPUT', 'CO_ASSESSOR_OUTSIDE_JURISDICTION', 'coAssessorAgencyId']]);
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    expect((await readAccessLog(hub, person)).length).toBe(logged);
  });
});
