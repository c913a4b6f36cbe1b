// Managing the legal bases through the gateway: who may record and confirm consents, convene and run
// meetings, declare and review emergencies and register agencies, each within its jurisdiction; what
// explainAccess then says; and that a refused mutation changes nothing.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, connect, residentId, SUBGRAPH_NAMES, type Database } from '@hub/platform';
import { loadBases } from '@hub/gateway/bases';
import { readAccessLog, revokeConsent } from './support/bases.js';
import { openDvCase } from './support/dv.js';
import { registerJobSeeker } from './support/employment.js';
import { codeOf, queryAs, registerAgency, useTestHub, type GraphQLResponse } from './support/hub.js';
import type { Role } from '@hub/gateway/roles';

const hub = useTestHub();

const welfare = AGENCIES.minaminoWelfare.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const childSupport = AGENCIES.minaminoChildSupport.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const destinationWelfare = AGENCIES.higashiyamaWelfare.id;
const childGuidance = AGENCIES.midoriChildGuidance.id;

const MINAMINO = '990001';
const HIGASHIYAMA = '990002';

const day = 86_400_000;
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

type Errors = GraphQLResponse['errors'];
const refusalOf = (errors: Errors) => ({
  code: errors?.[0]?.extensions?.['code'],
  reason: errors?.[0]?.extensions?.['reason'],
});

/** Runs an operation as an agency, optionally with token roles. */
const run = <T = Record<string, unknown>>(
  agency: string,
  query: string,
  variables: Record<string, unknown> = {},
  roles: Role[] = [],
) => queryAs<T>(hub, agency, query, variables, roles);

/** Runs an operation that must succeed and returns its only root field. */
async function ok<T>(agency: string, query: string, variables: Record<string, unknown> = {}, roles: Role[] = []) {
  const result = await run<Record<string, T>>(agency, query, variables, roles);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return Object.values(result.data!)[0]!;
}

const GRANT = /* GraphQL */ `
  mutation ($input: GrantConsentInput!) {
    grantConsent(input: $input) {
      id
      personId
      categories
      method
      guardianName
      evidenceRef
      confirmedCategories
      awaitingConfirmation
      active
      obtainedBy {
        id
      }
      recipients {
        id
        name
      }
      recipientAgencyIds
    }
  }
`;

const consentInput = (personId: string, overrides: Record<string, unknown> = {}) => ({
  personId,
  recipientAgencyIds: [helloWork],
  categories: ['WELFARE_CASE'],
  purpose: '就労支援のための情報共有',
  validFrom: fromNow(-day),
  validUntil: fromNow(90 * day),
  method: 'WRITTEN',
  evidenceRef: '同意書-2026-0001',
  ...overrides,
});

const CONSENTS = /* GraphQL */ `
  query ($personId: ID!) {
    consents(personId: $personId) {
      id
      revokedAt
    }
  }
`;

const EXPLAIN = /* GraphQL */ `
  query ($personId: ID!, $category: DataCategory!, $agencyId: ID!) {
    explainAccess(personId: $personId, category: $category, agencyId: $agencyId) {
      allowed
      basis
      reason
      consentId
      meetingId
      emergencyId
    }
  }
`;

interface Explanation {
  allowed: boolean;
  basis: string | null;
  reason: string | null;
  consentId: string | null;
  meetingId: string | null;
  emergencyId: string | null;
}

/** explainAccess asked by the agency itself. */
const explain = (agencyId: string, personId: string, category: string) =>
  ok<Explanation>(agencyId, EXPLAIN, { personId, category, agencyId });

async function grant(agency: string, input: Record<string, unknown>) {
  return ok<{ id: string }>(agency, GRANT, { input });
}

/**
 * A new resident, registered by the welfare office of the town (みなみ野市 unless told), so the hub's register
 * knows where the person lives and when born.
 */
async function resident(birthDate = '1960-01-01', municipalityCode = MINAMINO): Promise<string> {
  const registrar = municipalityCode === MINAMINO ? welfare : destinationWelfare;
  const { id } = await ok<{ id: string }>(
    registrar,
    /* GraphQL */ `
      mutation ($birthDate: Date!, $municipalityCode: String!) {
        registerPerson(
          input: {
            name: "試験 太郎"
            nameKana: "シケン タロウ"
            birthDate: $birthDate
            municipalityCode: $municipalityCode
          }
        ) {
          id
        }
      }
    `,
    { birthDate, municipalityCode },
  );
  return id;
}

/** A child of みなみ野市 (under 18): a child council may cover them. */
const child = () => resident('2016-04-01');

/** A new resident of みなみ野市 of whom each agency's own system (Hello Work, silver centre) holds a record. */
async function knownTo(...agencies: string[]): Promise<string> {
  const personId = await resident();
  for (const agency of agencies) {
    const record =
      agency === helloWork
        ? `mutation ($p: ID!) { registerJobSeeker(input: { personId: $p, desiredWork: "軽作業", preferredWorkStyles: [PART_TIME] }) { id } }`
        : `mutation ($p: ID!) { registerSilverMembership(input: { personId: $p, centreName: "みなみ野市シルバー人材センター" }) { id } }`;
    await ok(agency, record, { p: personId });
  }
  return personId;
}

const CONVENE = /* GraphQL */ `
  mutation ($input: ConveneMeetingInput!) {
    conveneMeeting(input: $input) {
      id
      kind
      sharedCategories
      active
      convenedBy {
        id
      }
      members {
        agency {
          id
        }
        acknowledgedAt
      }
    }
  }
`;

const meetingInput = (kind: string, personId: string, sharedCategories: string[]) => ({
  kind,
  title: '個別ケース検討会議',
  subjectPersonIds: [personId],
  sharedCategories,
  startsAt: fromNow(-day),
  endsAt: fromNow(30 * day),
});

const MEETING = /* GraphQL */ `
  query ($id: ID!) {
    meeting(id: $id) {
      id
      closedAt
      members {
        agency {
          id
        }
        acknowledgedAt
      }
    }
  }
`;

interface MeetingView {
  id: string;
  closedAt: string | null;
  members: { agency: { id: string }; acknowledgedAt: string | null }[];
}

const memberIds = (meeting: MeetingView) => meeting.members.map((m) => m.agency.id).sort();

const ADD = /* GraphQL */ `
  mutation ($m: ID!, $a: ID!) {
    addMeetingMember(meetingId: $m, agencyId: $a) {
      id
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation ($m: ID!, $a: ID!) {
    removeMeetingMember(meetingId: $m, agencyId: $a) {
      id
    }
  }
`;
const ACKNOWLEDGE = /* GraphQL */ `
  mutation ($m: ID!) {
    acknowledgeConfidentiality(meetingId: $m) {
      id
    }
  }
`;
const CLOSE = /* GraphQL */ `
  mutation ($m: ID!) {
    closeMeeting(id: $m) {
      id
      closedAt
      active
    }
  }
`;

async function convene(convener: string, kind: string, personId: string, shared: string[]) {
  return ok<{ id: string }>(convener, CONVENE, { input: meetingInput(kind, personId, shared) });
}

describe('consents (本人同意)', () => {
  it('a consent period is answered as it was given, whatever its year (a year below 100 is not read as 19xx or 20xx)', async () => {
    const person = await resident();
    const validFrom = '0050-01-01T00:00:00.000Z';
    const { id } = await grant(welfare, consentInput(person, { validFrom }));
    const [read] = await ok<{ id: string; validFrom: string }[]>(
      welfare,
      'query ($p: ID!) { consents(personId: $p) { id validFrom } }',
      { p: person },
    );
    expect(read).toEqual({ id, validFrom });
  });

  it('an agency records a consent it obtained, as obtainedBy, and it allows the recipient what the recorder holds (CONSENT)', async () => {
    const person = await resident();
    const before = await explain(helloWork, person, 'WELFARE_CASE');
    expect(before).toMatchObject({ allowed: false, reason: 'NO_LEGAL_BASIS' });

    const consent = await ok<Record<string, unknown>>(collaborator, GRANT, { input: consentInput(person) });
    expect(consent).toMatchObject({
      personId: person,
      categories: ['WELFARE_CASE'],
      confirmedCategories: ['WELFARE_CASE'],
      awaitingConfirmation: [],
      method: 'WRITTEN',
      guardianName: null,
      evidenceRef: '同意書-2026-0001',
      active: true,
      obtainedBy: { id: collaborator },
      recipients: [{ id: helloWork, name: AGENCIES.helloWorkMinamino.name }],
      recipientAgencyIds: [helloWork],
    });
    expect(await explain(helloWork, person, 'WELFARE_CASE')).toEqual({
      allowed: true,
      basis: 'CONSENT',
      reason: null,
      consentId: consent['id'],
      meetingId: null,
      emergencyId: null,
    });
    expect(await explain(helloWork, person, 'HIKIKOMORI')).toMatchObject({ allowed: false, reason: 'NO_LEGAL_BASIS' });
  });

  it("a category of another domain awaits its holder's confirmation (CONSENT_NOT_CONFIRMED); only the holder confirms it", async () => {
    const person = await resident();
    const consent = await ok<Record<string, unknown>>(collaborator, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [silver], categories: ['WELFARE_CASE', 'EMPLOYMENT'] }),
    });
    expect(consent).toMatchObject({ confirmedCategories: ['WELFARE_CASE'], awaitingConfirmation: ['EMPLOYMENT'] });
    expect(await explain(silver, person, 'WELFARE_CASE')).toMatchObject({ allowed: true, basis: 'CONSENT' });
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({
      allowed: false,
      reason: 'CONSENT_NOT_CONFIRMED',
    });

    const CONFIRM = /* GraphQL */ `
      mutation ($id: ID!, $categories: [DataCategory!]!) {
        confirmConsent(id: $id, categories: $categories) {
          confirmedCategories
          awaitingConfirmation
        }
      }
    `;
    const variables = { id: consent['id'], categories: ['EMPLOYMENT'] };
    for (const notTheHolder of [collaborator, kokoro]) {
      expect(refusalOf((await run(notTheHolder, CONFIRM, variables)).errors)).toEqual({
        code: 'FORBIDDEN',
        reason: 'NOT_THE_HOLDER',
      });
    }
    // The holding domain's agency of another town has no standing for the person: the consent is, to it, an id
    // that names none (NOT_FOUND, as an unknown id), and it confirms nothing.
    const otherTownEmployment = `hellowork-higashiyama-${randomUUID().slice(0, 8)}`;
    await registerAgency(hub, {
      id: otherTownEmployment,
      name: 'ハローワークひがし山',
      domain: 'EMPLOYMENT',
      kind: '公共職業安定所',
      municipalityCode: HIGASHIYAMA,
    });
    const unknownId = { ...variables, id: randomUUID() };
    expect(refusalOf((await run(otherTownEmployment, CONFIRM, variables)).errors)).toEqual(
      refusalOf((await run(otherTownEmployment, CONFIRM, unknownId)).errors),
    );
    expect(codeOf((await run(otherTownEmployment, CONFIRM, variables)).errors)).toBe('NOT_FOUND');
    // Named a recipient, it knows of the consent, and is refused as outside its jurisdiction.
    const naming = await ok<{ id: string }>(collaborator, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [otherTownEmployment], categories: ['EMPLOYMENT'] }),
    });
    expect(
      refusalOf((await run(otherTownEmployment, CONFIRM, { id: naming.id, categories: ['EMPLOYMENT'] })).errors),
    ).toEqual({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    expect(await explain(otherTownEmployment, person, 'EMPLOYMENT')).toMatchObject({
      allowed: false,
      reason: 'CONSENT_NOT_CONFIRMED',
    });
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({ reason: 'CONSENT_NOT_CONFIRMED' });

    expect(await ok(helloWork, CONFIRM, variables)).toEqual({
      confirmedCategories: expect.arrayContaining(['WELFARE_CASE', 'EMPLOYMENT']),
      awaitingConfirmation: [],
    });
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({
      allowed: true,
      basis: 'CONSENT',
      consentId: consent['id'],
    });
  });

  it('the holder finds the consents awaiting its confirmation, reads what it is asked to open and to whom, and the read is logged', async () => {
    const person = await resident();
    const consent = await ok<{ id: string }>(collaborator, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [silver], categories: ['WELFARE_CASE', 'EMPLOYMENT'] }),
    });
    const QUEUE = /* GraphQL */ `
      query {
        consentsAwaitingConfirmation(first: 200) {
          id
          purpose
          recipients {
            id
          }
          awaitingConfirmation
        }
      }
    `;
    const queue = await run<{
      consentsAwaitingConfirmation: { id: string; purpose: string; recipients: { id: string }[] }[];
    }>(helloWork, QUEUE);
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.consentsAwaitingConfirmation).toContainEqual({
      id: consent.id,
      purpose: consentInput(person)['purpose'],
      recipients: [{ id: silver }],
      awaitingConfirmation: ['EMPLOYMENT'],
    });
    const log = await readAccessLog(hub, person);
    expect(log.some((e) => e.agency.id === helloWork && e.categories.includes('WELFARE_CASE') && e.allowed)).toBe(true);
    // Not the silver centre's to confirm: the queue is the holder's.
    const others = await run<{ consentsAwaitingConfirmation: { id: string }[] }>(silver, QUEUE);
    expect(others.data!.consentsAwaitingConfirmation.map((c) => c.id)).not.toContain(consent.id);

    await ok(helloWork, `mutation ($id: ID!) { confirmConsent(id: $id, categories: [EMPLOYMENT]) { id } }`, {
      id: consent.id,
    });
    const after = await run<{ consentsAwaitingConfirmation: { id: string }[] }>(helloWork, QUEUE);
    expect(after.data!.consentsAwaitingConfirmation.map((c) => c.id)).not.toContain(consent.id);
  });

  it("the queue is read as the holder's own and logged whichever fields are asked: who each consent is about and what it names", async () => {
    const person = await resident();
    const consent = await ok<{ id: string }>(collaborator, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'] }),
    });
    const queue = await run<{ consentsAwaitingConfirmation: { id: string; personId: string }[] }>(
      helloWork,
      '{ consentsAwaitingConfirmation(first: 200) { id personId categories } }',
    );
    expect(queue.data!.consentsAwaitingConfirmation).toContainEqual(
      expect.objectContaining({ id: consent.id, personId: person }),
    );
    const log = await readAccessLog(hub, person);
    expect(log.filter((e) => e.agency.id === helloWork)).toEqual([
      expect.objectContaining({ categories: ['WELFARE_CASE'], allowed: true, basis: 'OWN_DOMAIN' }),
    ]);
  });

  it("a holder is told of DV involvement in the person's consents no more than any agency: a DV centre's consent naming data it holds is in its queue, not its list", async () => {
    const victim = residentId('suzuki-mother');
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    const consent = await ok<{ id: string }>(dvCentre, GRANT, {
      input: consentInput(victim, { recipientAgencyIds: [helloWork], categories: ['DV', 'HIKIKOMORI'] }),
    });
    const listed = await run<{ consents: { id: string }[] }>(houkatsu, CONSENTS, { personId: victim });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.consents.map((c) => c.id)).not.toContain(consent.id);
    const queue = await run<{ consentsAwaitingConfirmation: { id: string }[] }>(
      houkatsu,
      '{ consentsAwaitingConfirmation(first: 200) { id } }',
    );
    expect(queue.data!.consentsAwaitingConfirmation.map((c) => c.id)).toContain(consent.id);
    // The recipient it names still finds it in the person's list, as the centre that recorded it does.
    for (const agency of [helloWork, dvCentre]) {
      const theirs = await run<{ consents: { id: string }[] }>(agency, CONSENTS, { personId: victim });
      expect(theirs.data!.consents.map((c) => c.id)).toContain(consent.id);
    }
  });

  it("a consent a DV centre recorded tells of its involvement by its recorder alone: naming no DV data, it is left out of the person's list for an agency without a basis for her DV data", async () => {
    const victim = residentId('suzuki-mother');
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    const consent = await ok<{ id: string }>(dvCentre, GRANT, {
      input: consentInput(victim, { recipientAgencyIds: [helloWork], categories: ['EMPLOYMENT'] }),
    });
    // The welfare agency of her town reads her WELFARE_CASE as its own, but not her DV data.
    const dv = await ok<{ allowed: boolean }>(
      houkatsu,
      'query ($p: ID!, $a: ID!) { explainAccess(personId: $p, category: DV, agencyId: $a) { allowed } }',
      { p: victim, a: houkatsu },
    );
    expect(dv.allowed).toBe(false);
    const listed = await run<{ consents: { id: string; obtainedBy: { domain: string } }[] }>(
      houkatsu,
      'query ($personId: ID!) { consents(personId: $personId) { id obtainedBy { domain } } }',
      { personId: victim },
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.consents.map((c) => c.id)).not.toContain(consent.id);
    expect(listed.data!.consents.map((c) => c.obtainedBy.domain)).not.toContain('CHILD_DV');
    // The recipient it names, and the centre itself, still find it.
    for (const agency of [helloWork, dvCentre]) {
      const theirs = await run<{ consents: { id: string }[] }>(agency, CONSENTS, { personId: victim });
      expect(theirs.data!.consents.map((c) => c.id)).toContain(consent.id);
    }
  });

  it("reading a person's consents logs no denial of what a consent left out tells of: the welfare office's disclosure view reads alike whether a DV centre recorded one or not", async () => {
    const [involved, control] = [await resident(), await resident()];
    await openDvCase(hub, dvCentre, involved);
    await ok(dvCentre, GRANT, {
      input: consentInput(involved, { recipientAgencyIds: [helloWork], categories: ['EMPLOYMENT'] }),
    });
    const disclosed = async (personId: string) => {
      await ok(welfare, CONSENTS, { personId });
      const log = await ok<{ edges: { node: { agency: { id: string }; categories: string[]; allowed: boolean } }[] }>(
        welfare,
        'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { agency { id } categories allowed } } } }',
        { p: personId },
      );
      return log.edges.map((e) => e.node).filter((n) => n.agency.id === welfare);
    };
    expect(await disclosed(involved)).toEqual(await disclosed(control));
  });

  it('a consent naming a DV centre among its recipients tells of that involvement as one it recorded does: left out for an agency without a basis for her DV data', async () => {
    const person = await resident();
    const consent = await ok<{ id: string }>(welfare, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [dvCentre], categories: ['WELFARE_CASE'] }),
    });
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    const listed = await run<{ consents: { id: string }[] }>(houkatsu, CONSENTS, { personId: person });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.consents.map((c) => c.id)).not.toContain(consent.id);
    // Its recorder and its recipient still see it.
    for (const agency of [welfare, dvCentre]) {
      const theirs = await run<{ consents: { id: string }[] }>(agency, CONSENTS, { personId: person });
      expect(theirs.data!.consents.map((c) => c.id)).toContain(consent.id);
    }
  });

  it('a consent a DV centre recorded is answered to a WELFARE agency of her town without a basis for her DV data as an id that names none: revoking it tells it nothing', async () => {
    const victim = await resident();
    await openDvCase(hub, dvCentre, victim);
    const consent = await ok<{ id: string }>(dvCentre, GRANT, {
      input: consentInput(victim, { recipientAgencyIds: [helloWork], categories: ['EMPLOYMENT'] }),
    });
    const REVOKE = 'mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id obtainedBy { id } } }';
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    const asHidden = await run(houkatsu, REVOKE, { id: consent.id });
    const asUnknown = await run(houkatsu, REVOKE, { id: randomUUID() });
    expect(refusalOf(asHidden.errors)).toEqual({ code: 'NOT_FOUND', reason: undefined });
    expect(asHidden).toEqual(asUnknown);
    // Naming data the welfare agency holds makes it a holder, which confirms the consent from its queue; it
    // does not make it one that revokes it.
    const naming = await ok<{ id: string }>(dvCentre, GRANT, {
      input: consentInput(victim, { recipientAgencyIds: [helloWork], categories: ['IDENTITY'] }),
    });
    expect(await run(houkatsu, REVOKE, { id: naming.id })).toEqual(asUnknown);
    // The centre that recorded them revokes them.
    await ok(dvCentre, REVOKE, { id: consent.id });
    await ok(dvCentre, REVOKE, { id: naming.id });
  });

  it('the holder walks its queue page by page with after, a consent it confirmed meanwhile still marking the place', async () => {
    for (let i = 0; i < 3; i += 1) {
      await ok(collaborator, GRANT, {
        input: consentInput(await resident(), { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'] }),
      });
    }
    const page = async (after?: string) =>
      (
        await ok<{ id: string }[]>(
          helloWork,
          'query ($after: ID) { consentsAwaitingConfirmation(first: 2, after: $after) { id } }',
          { after },
        )
      ).map((c) => c.id);
    const all = (await ok<{ id: string }[]>(helloWork, '{ consentsAwaitingConfirmation(first: 200) { id } }')).map(
      (c) => c.id,
    );
    const first = await page();
    // Confirmed from the first page before the next is asked for: the place is kept all the same.
    await ok(helloWork, `mutation ($id: ID!) { confirmConsent(id: $id, categories: [EMPLOYMENT]) { id } }`, {
      id: first.at(-1),
    });
    const walked = [...first];
    for (let ids = await page(first.at(-1)); ids.length; ids = await page(ids.at(-1))) walked.push(...ids);
    expect(walked).toEqual(all);
    const QUEUE_AFTER = 'query ($after: ID) { consentsAwaitingConfirmation(after: $after) { id } }';
    const refused = await run(helloWork, QUEUE_AFTER, { after: '00000000-0000-4000-8000-000000000000' });
    expect(refusalOf(refused.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    // Nor is a consent of another holder's queue a place in this one: it would tell the consent exists.
    const elsewhere = await run(silver, QUEUE_AFTER, { after: all[0] });
    expect(refusalOf(elsewhere.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
  });

  it('a holder reads a consent as a party only while it is in force, and one carrying a DV victim’s whereabouts only if it holds them', async () => {
    const LIST = 'query ($p: ID!) { consents(personId: $p) { id purpose } }';
    const person = await resident();
    const consent = await ok<{ id: string }>(collaborator, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'] }),
    });
    const listed = async (agency: string) =>
      (
        (await run<{ consents: { id: string; purpose: string | null }[] | null }>(agency, LIST, { p: person })).data
          ?.consents ?? []
      ).map((c) => c.id);
    expect(await listed(helloWork)).toContain(consent.id);
    await ok(collaborator, `mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id } }`, {
      id: consent.id,
    });
    // Revoked, nothing is left for Hello Work to confirm: the record is no longer its to read.
    expect(await listed(helloWork)).not.toContain(consent.id);

    // A consent the DV centre recorded naming her whereabouts and a category another domain holds: that it
    // exists, who recorded it and what it names tell that she is a protected DV victim (DV_LOCATION), so it
    // is in no queue but a holder of her whereabouts'. The holder confirms it on the id the DV centre gives.
    const victim = await resident();
    await openDvCase(hub, dvCentre, victim);
    const carried = await grant(
      dvCentre,
      consentInput(victim, { recipientAgencyIds: [destinationWelfare], categories: ['DV_LOCATION', 'MENTAL_HEALTH'] }),
    );
    const QUEUE = 'query ($after: ID) { consentsAwaitingConfirmation(first: 200, after: $after) { id personId } }';
    type Queue = { consentsAwaitingConfirmation: { id: string; personId: string }[] };
    const queue = await run<Queue>(kokoro, QUEUE);
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.consentsAwaitingConfirmation.map((c) => c.personId)).not.toContain(victim);
    // Nor is it a place in that queue: a cursor would tell that it exists.
    const asCursor = await run(kokoro, QUEUE, { after: carried.id });
    expect(refusalOf(asCursor.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    expect(
      await ok(
        kokoro,
        `mutation ($id: ID!) { confirmConsent(id: $id, categories: [MENTAL_HEALTH]) { awaitingConfirmation } }`,
        {
          id: carried.id,
        },
      ),
    ).toEqual({ awaitingConfirmation: [] });
  });

  it('a consent naming DV data is listed to an agency only on a basis for that DV data too: who recorded it and what it names tell of a DV case', async () => {
    const LIST = 'query ($p: ID!) { consents(personId: $p) { id categories obtainedBy { id } } }';
    const person = await resident();
    await openDvCase(hub, dvCentre, person);
    const dvConsent = await grant(dvCentre, consentInput(person, { recipientAgencyIds: [kokoro], categories: ['DV'] }));
    const welfareConsent = await grant(
      collaborator,
      consentInput(person, { recipientAgencyIds: [helloWork], categories: ['WELFARE_CASE'] }),
    );
    // The consents an agency is shown (an agency without a basis for her WELFARE_CASE is shown those naming it).
    const listed = async (agency: string) =>
      ((await run<{ consents: { id: string }[] | null }>(agency, LIST, { p: person })).data?.consents ?? []).map(
        (c) => c.id,
      );
    // Hello Work reads her WELFARE_CASE on a consent, not her DV data: the DV centre's consent is not its to see.
    expect(await listed(helloWork)).toEqual([welfareConsent.id]);
    // Nor the town's welfare office's, which holds her WELFARE_CASE but no DV basis.
    expect(await listed(welfare)).not.toContain(dvConsent.id);
    // The agency it names and the centre that recorded it read it as theirs.
    expect(await listed(kokoro)).toContain(dvConsent.id);
    expect(await listed(dvCentre)).toContain(dvConsent.id);
  });

  it('a consent whose period has ended denies (CONSENT_EXPIRED)', async () => {
    const person = await resident();
    await grant(collaborator, consentInput(person, { validFrom: fromNow(-30 * day), validUntil: fromNow(-day) }));
    expect(await explain(helloWork, person, 'WELFARE_CASE')).toMatchObject({
      allowed: false,
      reason: 'CONSENT_EXPIRED',
    });
  });

  it.each([
    ['a recipient that is not registered', { recipientAgencyIds: ['no-such-agency'] }],
    ['no recipient', { recipientAgencyIds: [] }],
    ['no category', { categories: [] }],
    ['an empty purpose', { purpose: '  ' }],
    ['validUntil not after validFrom', { validFrom: '2026-04-01T00:00:00Z', validUntil: '2026-04-01T00:00:00Z' }],
    ['GUARDIAN without guardianName', { method: 'GUARDIAN' }],
    ['guardianName without GUARDIAN', { method: 'ORAL', guardianName: '保護者 花子', witnessStaffId: 'staff-2' }],
    ['a malformed person id', { personId: 'not-a-uuid' }],
    ['a purpose holding a bidirectional override', { purpose: '支援\u202eプラン' }],
    ['a purpose holding a control character', { purpose: '支援\u0007プラン' }],
  ])('refuses %s with BAD_USER_INPUT and a reason, and records nothing', async (_, overrides) => {
    const person = await resident();
    const result = await run(collaborator, GRANT, { input: consentInput(person, overrides) });
    expect(codeOf(result.errors)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.['reason']).toEqual(expect.stringMatching(/^[A-Z_]+$/));
    expect(await ok<unknown[]>(welfare, CONSENTS, { personId: person })).toEqual([]);
  });

  it.each([
    ['a WRITTEN consent without evidenceRef', { evidenceRef: null }, 'MISSING_EVIDENCE'],
    ['an ORAL consent without a witness', { method: 'ORAL', evidenceRef: null }, 'MISSING_EVIDENCE'],
    ['an ORAL consent witnessed by the recorder', { method: 'ORAL', witnessStaffId: 'dev-staff' }, 'INVALID_EVIDENCE'],
    [
      'an ORAL consent witnessed by the recorder, named in capitals',
      { method: 'ORAL', witnessStaffId: ' DEV-STAFF ' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named in full-width letters',
      { method: 'ORAL', witnessStaffId: 'ｄｅｖ－ｓｔａｆｆ' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a hyphen',
      { method: 'ORAL', witnessStaffId: 'dev\u2010staff' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a minus sign',
      { method: 'ORAL', witnessStaffId: 'dev\u2212staff' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a zero-width space',
      { method: 'ORAL', witnessStaffId: 'dev-staff\u200b' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a blank Braille pattern',
      { method: 'ORAL', witnessStaffId: 'dev-staff\u2800' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a combining grapheme joiner',
      { method: 'ORAL', witnessStaffId: 'dev-staff\u034f' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a Hangul filler',
      { method: 'ORAL', witnessStaffId: 'dev-staff\u3164' },
      'INVALID_EVIDENCE',
    ],
    [
      'an ORAL consent witnessed by the recorder, named with a variation selector',
      { method: 'ORAL', witnessStaffId: 'dev-staff\ufe0f' },
      'INVALID_EVIDENCE',
    ],
    ['an ORAL consent whose witness is two lines', { method: 'ORAL', witnessStaffId: 'staff\n2' }, 'INVALID_TEXT'],
    [
      'a WRITTEN consent naming a witness, which only an ORAL one has',
      { witnessStaffId: 'staff-2' },
      'INVALID_EVIDENCE',
    ],
    [
      "a WRITTEN consent naming a court's decision, which only a GUARDIAN one has",
      { guardianshipRef: '令和8年(家)第1号' },
      'INVALID_EVIDENCE',
    ],
    [
      'a GUARDIAN consent without guardianName',
      { method: 'GUARDIAN', guardianshipRef: '令和8年(家)第1号' },
      'MISSING_EVIDENCE',
    ],
    [
      'a GUARDIAN consent without evidenceRef',
      { method: 'GUARDIAN', guardianName: '保護者 花子', evidenceRef: null, guardianshipRef: '令和8年(家)第1号' },
      'MISSING_EVIDENCE',
    ],
    [
      "a guardian's consent for an adult without the court's decision",
      { method: 'GUARDIAN', guardianName: '後見人 次郎' },
      'MISSING_EVIDENCE',
    ],
    [
      'a WRITTEN consent whose evidenceRef is invisible characters alone',
      { evidenceRef: '\u200b' },
      'MISSING_EVIDENCE',
    ],
    [
      'an ORAL consent whose witness is invisible characters alone',
      { method: 'ORAL', evidenceRef: null, witnessStaffId: '\u200b\u2060' },
      'MISSING_EVIDENCE',
    ],
    [
      "a guardian's consent for an adult whose court decision is invisible",
      { method: 'GUARDIAN', guardianName: '後見人 次郎', guardianshipRef: '\u2060' },
      'MISSING_EVIDENCE',
    ],
    [
      "a guardian's name of two lines",
      { method: 'GUARDIAN', guardianName: '山田\n花子', guardianshipRef: '令和8年(家)第1号' },
      'INVALID_TEXT',
    ],
  ])('refuses %s with BAD_USER_INPUT (%s) and records nothing', async (_, overrides, reason) => {
    const person = await resident();
    const result = await run(collaborator, GRANT, { input: consentInput(person, overrides) });
    expect(refusalOf(result.errors)).toEqual({ code: 'BAD_USER_INPUT', reason });
    // The input's field, by its name alone, as every other refusal of the hub names it.
    expect(result.errors?.[0]?.extensions?.['argument']).toMatch(
      /^(evidenceRef|witnessStaffId|guardianName|guardianshipRef)$/,
    );
    expect(await ok<unknown[]>(welfare, CONSENTS, { personId: person })).toEqual([]);
  });

  it("judges a guardian's consent by the person's age now when validFrom is backdated: an adult's needs guardianshipRef (MISSING_EVIDENCE)", async () => {
    // A child in 2000, an adult now: the consent would be active now without the court's decision.
    const person = await resident('1985-06-01');
    const input = consentInput(person, {
      method: 'GUARDIAN',
      guardianName: '保護者 花子',
      validFrom: '2000-01-01T00:00:00Z',
    });
    const result = await run(collaborator, GRANT, { input });
    expect(refusalOf(result.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MISSING_EVIDENCE' });
    expect(result.errors?.[0]?.extensions?.['argument']).toBe('guardianshipRef');
    expect(await ok<unknown[]>(welfare, CONSENTS, { personId: person })).toEqual([]);
  });

  it("refuses a guardian's consent starting more than 31 days ahead (INVALID_PERIOD), child or adult alike: moving its start would find her 18th birthday", async () => {
    const child = await resident('2016-04-01');
    const adult = await resident('1985-06-01');
    const answers = [];
    for (const person of [child, adult]) {
      const input = consentInput(person, {
        method: 'GUARDIAN',
        guardianName: '保護者 花子',
        validFrom: fromNow(32 * day),
        validUntil: fromNow(400 * day),
      });
      const result = await run(collaborator, GRANT, { input });
      expect(refusalOf(result.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PERIOD' });
      expect(result.errors?.[0]?.extensions?.['argument']).toBe('validFrom');
      expect(await ok<unknown[]>(welfare, CONSENTS, { personId: person })).toEqual([]);
      answers.push(JSON.stringify(result.errors));
    }
    expect(answers[0]).toBe(answers[1]);
    // Within 31 days, a child's is recorded.
    const soon = consentInput(child, {
      method: 'GUARDIAN',
      guardianName: '保護者 花子',
      validFrom: fromNow(30 * day),
      validUntil: fromNow(400 * day),
    });
    expect(await ok<{ id: string }>(collaborator, GRANT, { input: soon })).toMatchObject({ id: expect.any(String) });
  });

  it("logs the age a guardian's consent is judged on: without the court's decision the answer tells the recorder whether she is of age (IDENTITY)", async () => {
    // Hello Work holds no basis for either's IDENTITY: a child's consent is recorded, an adult's refused.
    const child = await resident('2009-04-01');
    await registerJobSeeker(hub, child);
    const adult = await knownTo(helloWork);
    const byParent = (person: string) =>
      run(helloWork, GRANT, {
        input: consentInput(person, {
          recipientAgencyIds: [silver],
          categories: ['EMPLOYMENT'],
          method: 'GUARDIAN',
          guardianName: '保護者 花子',
        }),
      });
    expect((await byParent(child)).errors).toBeUndefined();
    expect(refusalOf((await byParent(adult)).errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MISSING_EVIDENCE' });
    for (const person of [child, adult]) {
      const told = (await readAccessLog(hub, person)).filter(
        (e) => e.agency.id === helloWork && e.categories.includes('IDENTITY'),
      );
      expect(told).toEqual([expect.objectContaining({ categories: ['IDENTITY'], allowed: true, basis: 'OWN_DOMAIN' })]);
    }
  });

  it('refuses missing evidence before reading anything of the person: no relationship read is logged', async () => {
    const person = await knownTo(helloWork);
    const before = (await readAccessLog(hub, person)).length;
    const result = await run(helloWork, GRANT, {
      input: consentInput(person, { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'], evidenceRef: null }),
    });
    expect(refusalOf(result.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MISSING_EVIDENCE' });
    expect((await readAccessLog(hub, person)).length).toBe(before);
  });

  it("a parent's or a minor's guardian's consent for a child holds until the child comes of age (18), and shows the end recorded, not that day", async () => {
    const GUARDIAN_GRANT = /* GraphQL */ `
      mutation ($input: GrantConsentInput!) {
        grantConsent(input: $input) {
          id
          validUntil
          active
        }
      }
    `;
    const byParent = (person: string, validFrom: string, validUntil: string, more: Record<string, unknown> = {}) =>
      ok<{ id: string; validUntil: string; active: boolean }>(collaborator, GUARDIAN_GRANT, {
        input: consentInput(person, {
          method: 'GUARDIAN',
          guardianName: '保護者 花子',
          validFrom,
          validUntil,
          ...more,
        }),
      });
    const recorded = '2040-01-01T00:00:00.000Z';

    // A child of ten: the consent holds now, and every reader sees the end recorded, not her 18th birthday.
    const young = await resident('2016-04-01');
    const forYoung = await byParent(young, fromNow(-day), recorded);
    expect(forYoung).toMatchObject({ validUntil: recorded, active: true });
    expect(await explain(helloWork, young, 'WELFARE_CASE')).toMatchObject({ allowed: true, consentId: forYoung.id });
    const seen = await run<{ consents: { id: string; validUntil: string }[] }>(
      helloWork,
      'query ($p: ID!) { consents(personId: $p) { id validUntil } }',
      { p: young },
    );
    expect(seen.data!.consents).toEqual([{ id: forYoung.id, validUntil: recorded }]);

    // One who comes of age tomorrow, on Japan's calendar (a day starts at 15:00 UTC): her parent's consent
    // holds until then, and shows the end recorded.
    const born = new Date(Date.now() + day + 9 * 3_600_000);
    born.setUTCFullYear(born.getUTCFullYear() - 18);
    const nearly = await resident(born.toISOString().slice(0, 10));
    const forNearly = await byParent(nearly, fromNow(-day), recorded);
    expect(forNearly).toMatchObject({ validUntil: recorded, active: true });
    // A minor's guardian appointed by the court (未成年後見) speaks for her until she comes of age too.
    const underCourt = await byParent(nearly, fromNow(-day), recorded, {
      guardianshipRef: '家庭裁判所 令和8年(家)第1号',
    });
    expect(underCourt).toMatchObject({ validUntil: recorded, active: true });
    // Two days on (the consents moved back as the clock would move on), she is 18: both have ended.
    const db = connect(hub.database.url, { name: 'test-coming-of-age', max: 1 });
    try {
      await db.sql`
        update hub.consent
        set valid_from = valid_from - interval '2 days', valid_until = valid_until - interval '2 days'
        where id in ${db.sql([forNearly.id, underCourt.id])}`;
    } finally {
      await db.close();
    }
    expect(await explain(helloWork, nearly, 'WELFARE_CASE')).toMatchObject({
      allowed: false,
      reason: 'CONSENT_EXPIRED',
    });
    const ended = await run<{ consents: { validUntil: string; active: boolean }[] }>(
      helloWork,
      'query ($p: ID!) { consents(personId: $p) { validUntil active } }',
      { p: nearly },
    );
    expect(ended.data!.consents).toEqual([
      { validUntil: recorded, active: false },
      { validUntil: recorded, active: false },
    ]);
  });

  it('a consent’s evidence references are one line each: a line break or a character that shows as nothing is INVALID_TEXT, and nothing is recorded', async () => {
    const person = await resident();
    for (const [argument, value] of [
      ['evidenceRef', '同意書-2026\n0001'],
      ['evidenceRef', '同意書-2026\u200b0001'],
    ] as const) {
      const result = await run(collaborator, GRANT, { input: consentInput(person, { [argument]: value }) });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument,
        reason: 'INVALID_TEXT',
      });
    }
    const adult = await resident('1950-01-01');
    const guardian = await run(collaborator, GRANT, {
      input: consentInput(adult, {
        method: 'GUARDIAN',
        guardianName: '山田 花子',
        guardianshipRef: '後見開始審判\n令和6年(家)第1号',
      }),
    });
    expect(guardian.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'guardianshipRef',
      reason: 'INVALID_TEXT',
    });
    expect(await ok<unknown[]>(collaborator, CONSENTS, { personId: person })).toEqual([]);
    expect(await ok<unknown[]>(collaborator, CONSENTS, { personId: adult })).toEqual([]);
  });

  it('records an ORAL consent with a witness other than the recorder', async () => {
    const consent = await ok<Record<string, unknown>>(collaborator, GRANT, {
      input: consentInput(await resident(), { method: 'ORAL', evidenceRef: null, witnessStaffId: 'staff-2' }),
    });
    expect(consent).toMatchObject({ method: 'ORAL', confirmedCategories: ['WELFARE_CASE'], active: true });
  });

  it("records a guardian's consent with the guardian's name, and for an adult the court's decision", async () => {
    const forChild = await ok<Record<string, unknown>>(collaborator, GRANT, {
      input: consentInput(await child(), { method: 'GUARDIAN', guardianName: '保護者 花子' }),
    });
    expect(forChild).toMatchObject({ method: 'GUARDIAN', guardianName: '保護者 花子' });
    const forAdult = await ok<Record<string, unknown>>(collaborator, GRANT, {
      input: consentInput(await resident(), {
        method: 'GUARDIAN',
        guardianName: '後見人 次郎',
        guardianshipRef: '令和8年(家)第1号',
      }),
    });
    expect(forAdult).toMatchObject({ method: 'GUARDIAN', guardianName: '後見人 次郎' });
  });

  it('a revoked consent denies on the next request (CONSENT_REVOKED); revoking twice is BAD_USER_INPUT', async () => {
    const person = await knownTo(helloWork);
    const { id } = await grant(
      helloWork,
      consentInput(person, { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'] }),
    );
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({ allowed: true, consentId: id });

    const REVOKE = /* GraphQL */ `
      mutation ($id: ID!, $reason: String!) {
        revokeConsent(id: $id, reason: $reason) {
          id
          revokedAt
          revocationReason
          active
        }
      }
    `;
    const revoked = await ok<Record<string, unknown>>(helloWork, REVOKE, { id, reason: '本人の申出' });
    expect(revoked).toMatchObject({ id, revocationReason: '本人の申出', active: false });
    expect(revoked['revokedAt']).toEqual(expect.any(String));
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({ allowed: false, reason: 'CONSENT_REVOKED' });

    // The reason is the person's WELFARE_CASE, like the consent's purpose: an agency the consent does not
    // name reads it decided and logged (its own domain, here), as the same decision of the request that
    // listing the consents made, so logged once.
    const welfareReads = async () =>
      (await readAccessLog(hub, person)).filter((e) => e.agency.id === welfare && e.categories.includes('WELFARE_CASE'))
        .length;
    const loggedFor = async (fields: string) => {
      const before = await welfareReads();
      const listed = await ok<{ id: string; revocationReason?: string }[]>(
        welfare,
        `query ($personId: ID!) { consents(personId: $personId) { ${fields} } }`,
        { personId: person },
      );
      return { listed, logged: (await welfareReads()) - before };
    };
    const idsOnly = await loggedFor('id');
    const withReason = await loggedFor('id revocationReason');
    expect(withReason.listed.find((c) => c.id === id)?.revocationReason).toBe('本人の申出');
    expect(idsOnly.logged).toBe(1);
    expect(withReason.logged).toBe(1);

    const again = await run(helloWork, REVOKE, { id, reason: '再度' });
    expect(codeOf(again.errors)).toBe('BAD_USER_INPUT');
    const unknown = await run(helloWork, REVOKE, { id: randomUUID(), reason: '本人の申出' });
    expect(codeOf(unknown.errors)).toBe('NOT_FOUND');
  });

  it("a hub administrator's revocation answers the consent's recipients, as ids or as agencies, only on a basis for the person's WELFARE_CASE (NO_LEGAL_BASIS)", async () => {
    const person = await knownTo(helloWork);
    const { id } = await grant(helloWork, consentInput(person, { recipientAgencyIds: [silver] }));
    const revoked = await run<{
      revokeConsent: { id: string; active: boolean; recipients: unknown; recipientAgencyIds: unknown };
    }>(
      kokoro,
      `mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id active recipients { id } recipientAgencyIds } }`,
      { id },
      ['hub-admin'],
    );
    expect(revoked.data!.revokeConsent).toEqual({ id, active: false, recipients: null, recipientAgencyIds: null });
    // One decision for the record, so one error, at its first field.
    expect(revoked.errors).toEqual([
      expect.objectContaining({
        path: ['revokeConsent', 'recipients'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN', reason: 'NO_LEGAL_BASIS', category: 'WELFARE_CASE' }),
      }),
    ]);
  });

  it('a hub administrator is answered a consent of a person its agency does not serve, or whose whereabouts are protected from it, as an id that names none (NOT_FOUND): nothing of whom it concerns nor of who recorded it', async () => {
    const REVOKE_ALL = `mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id personId categories obtainedBy { id } } }`;
    const asUnknown = async (agency: string) =>
      JSON.stringify(await run(agency, REVOKE_ALL, { id: '00000000-0000-4000-8000-000000000000' }, ['hub-admin']));
    // 鈴木 fled ひがし山町 for みなみ野市: a consent みなみ野市 recorded for her names its recorder, which says where.
    const fled = await grant(welfare, consentInput(residentId('suzuki-mother'), { recipientAgencyIds: [kokoro] }));
    const elsewhere = await grant(welfare, consentInput(await resident(), { recipientAgencyIds: [kokoro] }));
    for (const [agency, id] of [
      [destinationWelfare, fled.id], // of the town she left
      [childGuidance, fled.id], // serving her town and the one she left
      [destinationWelfare, elsewhere.id], // of another town
    ] as const) {
      const answer = await run(agency, REVOKE_ALL, { id }, ['hub-admin']);
      expect(JSON.stringify(answer).replaceAll(id, '00000000-0000-4000-8000-000000000000')).toBe(
        await asUnknown(agency),
      );
    }
    // Nothing was revoked: an administrator serving her town alone still may.
    const revoked = await run<{ revokeConsent: { obtainedBy: { id: string } } }>(kokoro, REVOKE_ALL, { id: fled.id }, [
      'hub-admin',
    ]);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeConsent.obtainedBy.id).toBe(welfare);
  });

  it('an auditor has no standing to confirm a consent of a person it does not serve: answered as an id that names none, not OUTSIDE_JURISDICTION naming her', async () => {
    const consent = await grant(
      childSupport,
      consentInput(residentId('sato-daughter'), {
        recipientAgencyIds: [dvCentre],
        categories: ['DV_LOCATION', 'EMPLOYMENT'],
      }),
    );
    const CONFIRM = 'mutation ($id: ID!) { confirmConsent(id: $id, categories: [DV_LOCATION]) { id } }';
    const unknown = '00000000-0000-4000-8000-000000000000';
    const answer = await run(AGENCIES.higashiyamaDv.id, CONFIRM, { id: consent.id }, ['auditor']);
    expect(refusalOf(answer.errors)).toEqual({ code: 'NOT_FOUND', reason: undefined });
    expect(JSON.stringify(answer).replaceAll(consent.id, unknown)).toBe(
      JSON.stringify(await run(AGENCIES.higashiyamaDv.id, CONFIRM, { id: unknown }, ['auditor'])),
    );
  });

  it("an auditor's role gives no standing to revoke a consent its agency may not see: a WELFARE agency not told of a DV centre's consent is refused, NOT_FOUND without the role and NOT_THE_OBTAINER with it, and nothing is revoked", async () => {
    const REVOKE_IT = 'mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id active } }';
    const consent = await grant(
      childSupport,
      consentInput(residentId('sato-daughter'), { recipientAgencyIds: [dvCentre], categories: ['DV'] }),
    );
    expect(refusalOf((await run(welfare, REVOKE_IT, { id: consent.id })).errors)).toEqual({
      code: 'NOT_FOUND',
      reason: undefined,
    });
    const asAuditor = await run(welfare, REVOKE_IT, { id: consent.id }, ['auditor']);
    expect(refusalOf(asAuditor.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_THE_OBTAINER' });
    expect(asAuditor.data?.revokeConsent ?? null).toBeNull();
    const still = await run<{ revokeConsent: { active: boolean } }>(childSupport, REVOKE_IT, { id: consent.id });
    expect(still.errors).toBeUndefined();
  });

  it('confirmedCategories says what a consent opens now: nothing once revoked or expired, or before it starts; awaitingConfirmation what a holder may still confirm', async () => {
    const person = await knownTo(helloWork);
    const employment = { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'] };
    const current = await grant(helloWork, consentInput(person, employment));
    const expired = await grant(
      helloWork,
      consentInput(person, { ...employment, validFrom: fromNow(-30 * day), validUntil: fromNow(-day) }),
    );
    const ahead = await grant(
      helloWork,
      consentInput(person, { ...employment, validFrom: fromNow(day), validUntil: fromNow(30 * day) }),
    );
    const revoked = await grant(helloWork, consentInput(person, employment));
    await revokeConsent(hub, helloWork, revoked.id);
    // Naming another domain's category too: welfare may still confirm it ahead of its start, never once ended.
    const withWelfare = { recipientAgencyIds: [silver], categories: ['EMPLOYMENT', 'WELFARE_CASE'] };
    const aheadUnconfirmed = await grant(
      helloWork,
      consentInput(person, { ...withWelfare, validFrom: fromNow(day), validUntil: fromNow(30 * day) }),
    );
    const revokedUnconfirmed = await grant(helloWork, consentInput(person, withWelfare));
    await revokeConsent(hub, helloWork, revokedUnconfirmed.id);
    const expiredUnconfirmed = await grant(
      helloWork,
      consentInput(person, { ...withWelfare, validFrom: fromNow(-30 * day), validUntil: fromNow(-day) }),
    );

    const listed = await ok<
      { id: string; active: boolean; confirmedCategories: string[]; awaitingConfirmation: string[] }[]
    >(
      welfare,
      `query ($personId: ID!) { consents(personId: $personId) { id active confirmedCategories awaitingConfirmation } }`,
      { personId: person },
    );
    const byId = new Map(listed.map((c) => [c.id, c]));
    expect(byId.get(current.id)).toMatchObject({ active: true, confirmedCategories: ['EMPLOYMENT'] });
    for (const { id } of [expired, ahead, revoked]) {
      // Opens nothing now; what its holder confirmed is not awaiting confirmation either.
      expect(byId.get(id)).toMatchObject({ active: false, confirmedCategories: [], awaitingConfirmation: [] });
    }
    // Nothing awaits a holder's confirmation once a consent has ended: confirmConsent refuses it then.
    for (const { id } of [revokedUnconfirmed, expiredUnconfirmed]) {
      expect(byId.get(id)).toMatchObject({ active: false, confirmedCategories: [], awaitingConfirmation: [] });
    }
    expect(byId.get(aheadUnconfirmed.id)).toMatchObject({ active: false, awaitingConfirmation: ['WELFARE_CASE'] });
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({ allowed: true, consentId: current.id });
  });

  it('only the obtaining agency, a WELFARE agency serving the person or a hub administrator revokes (NOT_THE_OBTAINER, or NOT_FOUND to an agency the consent does not name, whose data it does not name, or of another town); a refusal changes nothing', async () => {
    const REVOKE = /* GraphQL */ `
      mutation ($id: ID!) {
        revokeConsent(id: $id, reason: "本人の申出") {
          id
          active
        }
      }
    `;
    const person = await knownTo(helloWork);
    const first = await grant(helloWork, consentInput(person, { recipientAgencyIds: [silver] }));
    const second = await grant(helloWork, consentInput(person, { recipientAgencyIds: [silver] }));
    const third = await grant(helloWork, consentInput(person, { recipientAgencyIds: [silver] }));

    // Named a recipient, silver knows of the consent and is refused for not having obtained it.
    const refused = await run(silver, REVOKE, { id: first.id });
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_THE_OBTAINER' });
    expect(JSON.stringify(refused.errors)).not.toContain(person);
    // An agency of her town that the consent does not name and whose data it does not name (kokoro: it
    // names WELFARE_CASE only), and a WELFARE agency of another town, are told no reason that speaks of
    // it, nor whose it is, nor even that it exists: answered as an id that names no consent, for revoking
    // and confirming alike.
    const confirming = (category: string) => /* GraphQL */ `
      mutation ($id: ID!) {
        confirmConsent(id: $id, categories: [${category}]) {
          id
        }
      }
    `;
    for (const [outsider, confirm] of [
      [destinationWelfare, confirming('WELFARE_CASE')],
      [kokoro, confirming('MENTAL_HEALTH')],
    ] as const) {
      for (const mutation of [REVOKE, confirm]) {
        const existing = await run(outsider, mutation, { id: first.id });
        expect(JSON.stringify(existing.errors)).not.toContain(person);
        const missing = await run(outsider, mutation, { id: randomUUID() });
        expect(refusalOf(missing.errors)).toEqual({ code: 'NOT_FOUND', reason: undefined });
        expect(refusalOf(existing.errors)).toEqual(refusalOf(missing.errors));
        expect(existing.errors![0]!.message).toBe(missing.errors![0]!.message);
      }
    }
    // Named by a consent as its recipient, it knows of the consent: refused as serving none of her town.
    const naming = await grant(helloWork, consentInput(person, { recipientAgencyIds: [destinationWelfare] }));
    const named = await run(destinationWelfare, REVOKE, { id: naming.id });
    expect(refusalOf(named.errors)).toEqual({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    const auditor = await run(kokoro, REVOKE, { id: first.id }, ['auditor']);
    expect(refusalOf(auditor.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_THE_OBTAINER' });
    const stillActive = await ok<{ id: string; revokedAt: string | null }[]>(welfare, CONSENTS, { personId: person });
    expect(stillActive).toHaveLength(4);
    expect(stillActive.every((c) => c.revokedAt === null)).toBe(true);

    expect(await ok(helloWork, REVOKE, { id: first.id })).toMatchObject({ active: false });
    expect(await ok(collaborator, REVOKE, { id: second.id })).toMatchObject({ active: false });
    expect(await ok(kokoro, REVOKE, { id: third.id }, ['hub-admin'])).toMatchObject({ active: false });
  });

  it('a WELFARE agency serving the person sees every consent; others only those naming them, with the FORBIDDEN error of the rest', async () => {
    const person = await knownTo(silver);
    const toHelloWork = await grant(
      collaborator,
      consentInput(person, { recipientAgencyIds: [helloWork], categories: ['EMPLOYMENT'] }),
    );
    const bySilver = await grant(
      silver,
      consentInput(person, { recipientAgencyIds: [collaborator], categories: ['SENIOR_WORK'] }),
    );
    const ids = (list: { id: string }[]) => list.map((c) => c.id).sort();

    expect(ids(await ok(welfare, CONSENTS, { personId: person }))).toEqual([toHelloWork.id, bySilver.id].sort());
    // The list of the allowed items only, with one error for the denied (person, category), as any list.
    for (const [agency, own] of [
      [helloWork, toHelloWork.id],
      [silver, bySilver.id],
    ] as const) {
      const named = await run<{ consents: { id: string }[] }>(agency, CONSENTS, { personId: person });
      expect(ids(named.data!.consents)).toEqual([own]);
      expect(named.errors).toHaveLength(1);
      expect(named.errors![0]).toMatchObject({
        path: ['consents'],
        extensions: { code: 'FORBIDDEN', category: 'WELFARE_CASE', reason: 'NO_LEGAL_BASIS', personId: person },
      });
    }
    for (const outsider of [kokoro, destinationWelfare]) {
      const refused = await run<{ consents: unknown[] | null }>(outsider, CONSENTS, { personId: person });
      expect(refused.data).toEqual({ consents: null });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', category: 'WELFARE_CASE' });
    }
  });
});

describe('a consent that has not started yet', () => {
  it('names its recipient as one who knows of her: person(id) answers it as consents(personId) does, not as an unknown id', async () => {
    // Of ひがし山町, so that the silver centre of みなみ野市 has no basis of its own for her.
    const personId = await resident('1960-01-01', HIGASHIYAMA);
    await grant(
      destinationWelfare,
      consentInput(personId, {
        recipientAgencyIds: [silver],
        categories: ['IDENTITY'],
        validFrom: fromNow(2 * 3_600_000),
      }),
    );
    const listed = await run<{ consents: { id: string }[] | null }>(silver, CONSENTS, { personId });
    expect(listed.data!.consents).toHaveLength(1);
    const read = await run<{ person: { id: string; name: string | null } | null }>(
      silver,
      'query ($id: ID!) { person(id: $id) { id name } }',
      { id: personId },
    );
    expect(read.data!.person).toEqual({ id: personId, name: null });
    expect(refusalOf(read.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NO_LEGAL_BASIS' });
  });
});

describe('who records a consent: an agency serving the person, with a relationship to them', () => {
  it('an agency with no relationship to the person cannot record one (NO_RELATIONSHIP), and nothing is recorded', async () => {
    const person = await knownTo();
    const refused = await run(silver, GRANT, { input: consentInput(person, { recipientAgencyIds: [silver] }) });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_RELATIONSHIP' });
    expect(await ok(welfare, CONSENTS, { personId: person })).toEqual([]);
    expect(await explain(silver, person, 'WELFARE_CASE')).toMatchObject({ allowed: false });
  });

  it('an agency outside the person’s municipality cannot record one (OUTSIDE_JURISDICTION), and nothing is recorded', async () => {
    const person = await resident();
    const refused = await run(destinationWelfare, GRANT, { input: consentInput(person) });
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    expect(await ok(welfare, CONSENTS, { personId: person })).toEqual([]);
  });

  it('outside the person’s municipality, a guardian’s consent is refused alike for a child, an adult and an id that names no one: her age is not told', async () => {
    const guardian = { method: 'GUARDIAN', guardianName: '保護者 花子' };
    const answers = [];
    for (const person of [await child(), await resident(), randomUUID()]) {
      const refused = await run(destinationWelfare, GRANT, { input: consentInput(person, guardian) });
      answers.push({ ...refusalOf(refused.errors), message: refused.errors?.[0]?.message });
    }
    expect(answers[0]).toMatchObject({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it("without a relationship, a guardian's consent is refused alike for a child and an adult: her age is not told", async () => {
    const guardian = { method: 'GUARDIAN', guardianName: '保護者 花子', recipientAgencyIds: [silver] };
    const answers = [];
    for (const person of [await child(), await resident()]) {
      const refused = await run(silver, GRANT, { input: consentInput(person, guardian) });
      answers.push({ ...refusalOf(refused.errors), message: refused.errors?.[0]?.message });
    }
    expect(answers[0]).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_RELATIONSHIP' });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('an agency whose own system holds a record of the person records one', async () => {
    const person = await knownTo(silver);
    const consent = await grant(
      silver,
      consentInput(person, { recipientAgencyIds: [helloWork], categories: ['SENIOR_WORK'] }),
    );
    expect(await explain(helloWork, person, 'SENIOR_WORK')).toMatchObject({ allowed: true, consentId: consent.id });
  });

  it('a WELFARE agency, the person’s consultation point, records one without a record of its own', async () => {
    const consent = await grant(welfare, consentInput(await resident()));
    expect(consent.id).toEqual(expect.any(String));
  });

  it('a member removed from the meeting, or the receiver of a withdrawn referral, no longer has a relationship (NO_RELATIONSHIP)', async () => {
    const person = await knownTo();
    const meeting = await convene(welfare, 'SUPPORT_MEETING', person, ['WELFARE_CASE']);
    await ok(welfare, ADD, { m: meeting.id, a: kokoro });
    await ok(welfare, REMOVE, { m: meeting.id, a: kokoro });
    const removed = await run(kokoro, GRANT, { input: consentInput(person, { recipientAgencyIds: [kokoro] }) });
    expect(refusalOf(removed.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NO_RELATIONSHIP' });

    const referred = await knownTo();
    // The referral needs the receiver's basis for what it hands over: the person's consent naming it.
    await grant(welfare, consentInput(referred, { recipientAgencyIds: [silver], categories: ['WELFARE_CASE'] }));
    const referral = await ok<{ id: string }>(
      welfare,
      `mutation ($p: ID!) { createReferral(input: { personId: $p, toAgencyId: "${silver}", categories: [WELFARE_CASE], reason: "つなぎ" }) { id } }`,
      { p: referred },
    );
    await ok(welfare, `mutation ($id: ID!) { withdrawReferral(id: $id) { id } }`, { id: referral.id });
    const withdrawn = await run(silver, GRANT, { input: consentInput(referred, { recipientAgencyIds: [silver] }) });
    expect(refusalOf(withdrawn.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NO_RELATIONSHIP' });
  });

  it('a member of a meeting that has ended, closed or not, no longer has a relationship (NO_RELATIONSHIP)', async () => {
    const person = await knownTo();
    const ended = await ok<{ id: string }>(welfare, CONVENE, {
      input: {
        ...meetingInput('MULTILAYER_MEETING', person, ['WELFARE_CASE']),
        startsAt: fromNow(-10 * day),
        endsAt: fromNow(-day),
      },
    });
    await ok(welfare, ADD, { m: ended.id, a: kokoro });
    const refused = await run(kokoro, GRANT, { input: consentInput(person, { recipientAgencyIds: [kokoro] }) });
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NO_RELATIONSHIP' });
    // One not started yet ties its members already: consent for a meeting that runs on it comes first.
    const coming = await ok<{ id: string }>(welfare, CONVENE, {
      input: {
        ...meetingInput('MULTILAYER_MEETING', person, ['WELFARE_CASE']),
        startsAt: fromNow(day),
        endsAt: fromNow(10 * day),
      },
    });
    await ok(welfare, ADD, { m: coming.id, a: kokoro });
    expect((await grant(kokoro, consentInput(person, { recipientAgencyIds: [welfare] }))).id).toEqual(
      expect.any(String),
    );
  });

  it('a member of a meeting covering the person records one', async () => {
    const person = await knownTo();
    const meeting = await convene(welfare, 'SUPPORT_MEETING', person, ['WELFARE_CASE']);
    await ok(welfare, `mutation ($m: ID!, $a: ID!) { addMeetingMember(meetingId: $m, agencyId: $a) { id } }`, {
      m: meeting.id,
      a: kokoro,
    });
    const consent = await grant(kokoro, consentInput(person));
    expect(consent.id).toEqual(expect.any(String));
  });
});

describe('meetings (支援会議・重層的支援会議・要保護児童対策地域協議会)', () => {
  it('only a WELFARE agency convenes a support meeting or a multilayer meeting (NOT_A_CONVENER); a refusal records nothing', async () => {
    const person = await resident();
    for (const kind of ['SUPPORT_MEETING', 'MULTILAYER_MEETING']) {
      for (const agency of [childSupport, helloWork, kokoro]) {
        const before = await ok<unknown[]>(agency, '{ meetings { id } }');
        const refused = await run(agency, CONVENE, { input: meetingInput(kind, person, ['MENTAL_HEALTH']) });
        expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_A_CONVENER' });
        expect(await ok<unknown[]>(agency, '{ meetings { id } }')).toEqual(before);
      }
    }
    const meeting = await ok<Record<string, unknown>>(collaborator, CONVENE, {
      input: meetingInput('SUPPORT_MEETING', person, ['MENTAL_HEALTH']),
    });
    expect(meeting).toMatchObject({
      kind: 'SUPPORT_MEETING',
      active: true,
      convenedBy: { id: collaborator },
      // Convening counts as the convener's acknowledgement.
      members: [{ agency: { id: collaborator }, acknowledgedAt: expect.any(String) }],
    });
  });

  it('the convener serves every subject (OUTSIDE_JURISDICTION); a refusal records nothing', async () => {
    const person = await resident();
    const before = await ok<unknown[]>(destinationWelfare, '{ meetings { id } }');
    const refused = await run(destinationWelfare, CONVENE, {
      input: meetingInput('SUPPORT_MEETING', person, ['WELFARE_CASE']),
    });
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    expect(await ok<unknown[]>(destinationWelfare, '{ meetings { id } }')).toEqual(before);
  });

  it('a subject named twice, in upper and lower case, is one subject of the meeting', async () => {
    const person = await resident();
    const { id } = await ok<{ id: string }>(welfare, CONVENE, {
      input: {
        ...meetingInput('SUPPORT_MEETING', person, ['WELFARE_CASE']),
        subjectPersonIds: [person, person.toUpperCase()],
      },
    });
    const read = await ok<{ subjectPersonIds: string[] }>(
      welfare,
      'query ($id: ID!) { meeting(id: $id) { subjectPersonIds } }',
      { id },
    );
    expect(read.subjectPersonIds).toEqual([person]);
    await ok(welfare, CLOSE, { m: id });
  });

  it('a meeting belongs to one municipality: subjects registered in two are refused (SUBJECTS_IN_SEVERAL_MUNICIPALITIES)', async () => {
    const subjects = [await resident('2016-04-01', MINAMINO), await resident('2016-04-01', HIGASHIYAMA)];
    // The child guidance centre serves both towns, so only the one-municipality rule stands in its way.
    const refused = await run(childGuidance, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', subjects[0]!, []), subjectPersonIds: subjects },
    });
    expect(refusalOf(refused.errors)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'SUBJECTS_IN_SEVERAL_MUNICIPALITIES',
    });
  });

  it('a child council is convened by a CHILD_DV or WELFARE agency (NOT_A_CONVENER) and always shares CHILD_WELFARE', async () => {
    const person = await child();
    const refused = await run(helloWork, CONVENE, { input: meetingInput('CHILD_COUNCIL', person, []) });
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_A_CONVENER' });
    const byChildDv = await ok<{ sharedCategories: string[] }>(childSupport, CONVENE, {
      input: meetingInput('CHILD_COUNCIL', person, ['WELFARE_CASE']),
    });
    expect(byChildDv.sharedCategories.sort()).toEqual(['CHILD_WELFARE', 'WELFARE_CASE']);
    await convene(welfare, 'CHILD_COUNCIL', person, ['CHILD_WELFARE']);
  });

  it('a child council covers children only (no adult outside a subject child’s household): INVALID_SUBJECT', async () => {
    const adult = await resident();
    const refused = await run(childSupport, CONVENE, { input: meetingInput('CHILD_COUNCIL', adult, []) });
    expect(refusalOf(refused.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
    const alongsideChild = await run(childSupport, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', adult, []), subjectPersonIds: [await child(), adult] },
    });
    expect(refusalOf(alongsideChild.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
  });

  it('a refused child council is logged as what it tells the convener: that the person named is of age and of no subject child’s household', async () => {
    const adult = await resident('1980-04-04');
    const refused = await run(childSupport, CONVENE, { input: meetingInput('CHILD_COUNCIL', adult, []) });
    expect(refusalOf(refused.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
    const read = (await readAccessLog(hub, adult))
      .filter((e) => e.agency.id === childSupport)
      .map(({ categories, allowed, basis, meetingId }) => ({ categories, allowed, basis, meetingId }));
    expect(read).toEqual([
      { categories: ['IDENTITY', 'WELFARE_CASE'], allowed: true, basis: 'CHILD_COUNCIL', meetingId: null },
    ]);
    // Naming the first who is none, it tells that those listed before her are subjects: a child's age.
    const [subject, after] = [await child(), await child()];
    const alongside = await run(childSupport, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', adult, []), subjectPersonIds: [subject, adult, after] },
    });
    expect(refusalOf(alongside.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
    const readOf = async (personId: string) =>
      (await readAccessLog(hub, personId))
        .filter((e) => e.agency.id === childSupport)
        .map(({ categories, basis, meetingId }) => ({ categories, basis, meetingId }));
    expect(await readOf(subject)).toEqual([{ categories: ['IDENTITY'], basis: 'CHILD_COUNCIL', meetingId: null }]);
    expect(await readOf(after)).toEqual([]);
  });

  it('a specified expectant mother (特定妊婦) is a subject while her case is open, if of an age to be expecting', async () => {
    const openExpectant = (personId: string) =>
      ok<{ id: string }>(
        childSupport,
        /* GraphQL */ `
          mutation ($p: ID!) {
            openChildWelfareCase(input: { personId: $p, classification: SPECIFIED_EXPECTANT_MOTHER }) {
              id
            }
          }
        `,
        { p: personId },
      );
    const mother = await resident('1998-05-05');
    const motherCase = await openExpectant(mother);
    await convene(childSupport, 'CHILD_COUNCIL', mother, []);
    // The same record about a person of 76 is refused now (NOT_OF_EXPECTANT_AGE); one written before that rule
    // (her copy of the mother's row) makes no council around her.
    const elder = await resident('1950-03-03');
    const opening = await run(
      childSupport,
      'mutation ($p: ID!) { openChildWelfareCase(input: { personId: $p, classification: SPECIFIED_EXPECTANT_MOTHER }) { id } }',
      { p: elder },
    );
    expect(refusalOf(opening.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'NOT_OF_EXPECTANT_AGE' });
    const db = connect(hub.database.url, { name: 'test-expectant-age', max: 1 });
    try {
      await db.sql`create temporary table written_before as select * from child_dv.child_welfare_case where id = ${motherCase.id}`;
      await db.sql`update written_before set id = gen_random_uuid(), person_id = ${elder}`;
      await db.sql`insert into child_dv.child_welfare_case select * from written_before`;
    } finally {
      await db.close();
    }
    const refused = await run(childSupport, CONVENE, { input: meetingInput('CHILD_COUNCIL', elder, []) });
    expect(refusalOf(refused.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
  });

  it('a 特定妊婦 case makes her a subject only for a convener that may read it: any other is refused as for any adult (INVALID_SUBJECT), and reads nothing of her case', async () => {
    const mother = await resident('1997-02-02');
    await ok(
      childSupport,
      'mutation ($p: ID!) { openChildWelfareCase(input: { personId: $p, classification: SPECIFIED_EXPECTANT_MOTHER }) { id } }',
      { p: mother },
    );
    const plain = await resident('1997-03-03');
    const readBy = async (agency: string, personId: string) =>
      (await readAccessLog(hub, personId))
        .filter((e) => e.agency.id === agency && e.categories.some((c) => c !== 'WELFARE_CASE'))
        .map(({ categories, allowed, basis, meetingId }) => ({ categories, allowed, basis, meetingId }));
    const refusal = async (personId: string) => {
      const { errors } = await run(welfare, CONVENE, { input: meetingInput('CHILD_COUNCIL', personId, []) });
      return errors?.map(({ message, extensions }) => ({ message, extensions: { ...extensions, personId: null } }));
    };

    // The welfare office holds her age, not her case: convening tells it nothing of whether the child-DV
    // system records her as expecting, and no read of her case is logged.
    const asExpectant = await refusal(mother);
    expect(refusalOf(asExpectant)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
    expect(asExpectant).toEqual(await refusal(plain));
    expect((await readBy(welfare, mother)).filter((e) => e.categories.includes('CHILD_WELFARE'))).toEqual([]);

    // The child-DV office reads her case as its own and convenes her council; her age (and the child's)
    // reaches it on the council.
    const child = await resident('2016-09-09');
    const { id: councilId } = await ok<{ id: string }>(childSupport, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', mother, []), subjectPersonIds: [mother, child] },
    });
    expect(await readBy(childSupport, mother)).toEqual(
      expect.arrayContaining([
        { categories: ['CHILD_WELFARE'], allowed: true, basis: 'OWN_DOMAIN', meetingId: null },
        { categories: ['IDENTITY'], allowed: true, basis: 'CHILD_COUNCIL', meetingId: councilId },
      ]),
    );
    expect(await readBy(childSupport, child)).toEqual([
      { categories: ['IDENTITY'], allowed: true, basis: 'CHILD_COUNCIL', meetingId: councilId },
    ]);
    await ok(childSupport, CLOSE, { m: councilId });
  });

  it('judges a child council’s subjects by their age now when startsAt is backdated: an adult now is INVALID_SUBJECT', async () => {
    // A child in 1990, an adult now: the council would be active now and cover him.
    const adult = await resident('1985-06-01');
    const before = await ok<unknown[]>(childSupport, '{ meetings { id } }');
    const refused = await run(childSupport, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', adult, []), startsAt: '1990-01-01T00:00:00Z' },
    });
    expect(refusalOf(refused.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_SUBJECT' });
    expect(await ok<unknown[]>(childSupport, '{ meetings { id } }')).toEqual(before);
  });

  it('refuses a child council starting more than 31 days ahead (INVALID_PERIOD): a start moved at will would find a child’s birth date', async () => {
    const child = await resident('2015-08-17');
    const before = await ok<unknown[]>(childSupport, '{ meetings { id } }');
    const far = await run(childSupport, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', child, []), startsAt: fromNow(32 * day), endsAt: fromNow(400 * day) },
    });
    expect(refusalOf(far.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PERIOD' });
    expect(far.errors![0]!.extensions).toMatchObject({ argument: 'startsAt' });
    expect(await ok<unknown[]>(childSupport, '{ meetings { id } }')).toEqual(before);
    // Within the lead time the council is convened, its subjects judged on their age when it starts.
    const soon = await run(childSupport, CONVENE, {
      input: { ...meetingInput('CHILD_COUNCIL', child, []), startsAt: fromNow(30 * day), endsAt: fromNow(400 * day) },
    });
    expect(soon.errors).toBeUndefined();
  });

  it('refuses an end before the start, no subject and an empty title with BAD_USER_INPUT', async () => {
    const person = await resident();
    for (const overrides of [
      { startsAt: fromNow(day), endsAt: fromNow(-day) },
      { subjectPersonIds: [] },
      { title: ' ' },
    ]) {
      const result = await run(collaborator, CONVENE, {
        input: { ...meetingInput('SUPPORT_MEETING', person, ['EMPLOYMENT']), ...overrides },
      });
      expect(codeOf(result.errors)).toBe('BAD_USER_INPUT');
    }
  });

  it('a meeting’s title is one line: a line break or a character that shows as nothing is INVALID_TEXT, and nothing is convened', async () => {
    const person = await resident();
    const MEETINGS = 'query { meetings { id } }';
    const before = await ok<{ id: string }[]>(collaborator, MEETINGS);
    for (const title of ['支援会議\n第2回', '支援\u200b会議']) {
      const result = await run(collaborator, CONVENE, {
        input: { ...meetingInput('SUPPORT_MEETING', person, ['EMPLOYMENT']), title },
      });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'title',
        reason: 'INVALID_TEXT',
      });
    }
    expect(await ok<{ id: string }[]>(collaborator, MEETINGS)).toEqual(before);
  });

  it('a support meeting allows an acknowledged member what its acknowledged holder shares, until removed (NOT_A_MEMBER) or closed (MEETING_NOT_ACTIVE)', async () => {
    const person = await resident();
    const { id } = await convene(welfare, 'SUPPORT_MEETING', person, ['MENTAL_HEALTH', 'EMPLOYMENT']);
    // An agency that never was a member is told nothing of the meeting.
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({ reason: 'NO_LEGAL_BASIS' });

    await ok(welfare, ADD, { m: id, a: helloWork });
    await ok(helloWork, ACKNOWLEDGE, { m: id });
    // MENTAL_HEALTH's holder (a SUICIDE_PREVENTION agency) is no member yet: the meeting shares none of it.
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
    });
    await ok(welfare, ADD, { m: id, a: kokoro });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({ reason: 'CATEGORY_NOT_SHARED' });
    await ok(kokoro, ACKNOWLEDGE, { m: id });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toEqual({
      allowed: true,
      basis: 'SUPPORT_MEETING',
      reason: null,
      consentId: null,
      meetingId: id,
      emergencyId: null,
    });
    expect(await explain(helloWork, person, 'HIKIKOMORI')).toMatchObject({ reason: 'CATEGORY_NOT_SHARED' });

    await ok(welfare, REMOVE, { m: id, a: helloWork });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({ allowed: false, reason: 'NOT_A_MEMBER' });
    expect(await ok(helloWork, MEETING, { id })).toBeNull();

    // Re-admitted, the agency acknowledges confidentiality again.
    await ok(welfare, ADD, { m: id, a: helloWork });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
    });
    await ok(helloWork, ACKNOWLEDGE, { m: id });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({ allowed: true });

    // The holder leaves: the meeting shares no MENTAL_HEALTH from the next request.
    await ok(welfare, REMOVE, { m: id, a: kokoro });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
    });

    const closed = await ok<{ closedAt: string | null; active: boolean }>(welfare, CLOSE, { m: id });
    expect(closed.active).toBe(false);
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({
      allowed: false,
      reason: 'MEETING_NOT_ACTIVE',
    });
    expect(codeOf((await run(welfare, CLOSE, { m: id })).errors)).toBe('BAD_USER_INPUT');
    expect(codeOf((await run(welfare, ADD, { m: id, a: silver })).errors)).toBe('BAD_USER_INPUT');
  });

  it('only the convener adds, removes and closes (NOT_THE_CONVENER to a member, NOT_FOUND to any other); a refusal changes nothing', async () => {
    const person = await resident();
    const { id } = await convene(collaborator, 'SUPPORT_MEETING', person, ['EMPLOYMENT']);
    await ok(collaborator, ADD, { m: id, a: helloWork });
    const before = await ok<MeetingView>(collaborator, MEETING, { id });

    for (const [query, variables] of [
      [ADD, { m: id, a: silver }],
      [REMOVE, { m: id, a: helloWork }],
      [CLOSE, { m: id }],
    ] as const) {
      // A member knows the meeting and is told why; to any other agency it is no meeting.
      expect(refusalOf((await run(helloWork, query, variables)).errors)).toEqual({
        code: 'FORBIDDEN',
        reason: 'NOT_THE_CONVENER',
      });
      expect(refusalOf((await run(welfare, query, variables)).errors)).toEqual({
        code: 'NOT_FOUND',
        reason: undefined,
      });
    }
    const after = await ok<MeetingView>(collaborator, MEETING, { id });
    expect(after).toEqual(before);
    expect(memberIds(after)).toEqual([collaborator, helloWork].sort());
    expect(after.closedAt).toBeNull();

    // An id the register does not know is told alike by both: UNKNOWN_AGENCY, not "not a member".
    for (const query of [ADD, REMOVE]) {
      expect(refusalOf((await run(collaborator, query, { m: id, a: 'no-such-agency' })).errors)).toEqual({
        code: 'BAD_USER_INPUT',
        reason: 'UNKNOWN_AGENCY',
      });
    }
    expect(refusalOf((await run(collaborator, REMOVE, { m: id, a: silver })).errors)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_A_MEMBER',
    });
    expect(codeOf((await run(collaborator, ADD, { m: randomUUID(), a: silver })).errors)).toBe('NOT_FOUND');
    expect(memberIds(await ok<MeetingView>(collaborator, MEETING, { id }))).toEqual([collaborator, helloWork].sort());
  });

  it('only a member acknowledges confidentiality, for itself; a former member is FORBIDDEN (NOT_A_MEMBER), to any other agency the meeting is NOT_FOUND', async () => {
    const person = await resident();
    const { id } = await convene(welfare, 'SUPPORT_MEETING', person, ['EMPLOYMENT']);
    await ok(welfare, ADD, { m: id, a: helloWork });
    await ok(welfare, ADD, { m: id, a: kokoro });
    await ok(welfare, REMOVE, { m: id, a: kokoro });
    const refused = await run(kokoro, ACKNOWLEDGE, { m: id });
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_A_MEMBER' });
    // Never a member: the meeting is, to it, an id that names none.
    const stranger = await run(silver, ACKNOWLEDGE, { m: id });
    expect(refusalOf(stranger.errors)).toEqual({ code: 'NOT_FOUND', reason: undefined });
    const view = await ok<MeetingView>(welfare, MEETING, { id });
    expect(view.members.find((m) => m.agency.id === helloWork)!.acknowledgedAt).toBeNull();

    await ok(helloWork, ACKNOWLEDGE, { m: id });
    const acknowledged = await ok<MeetingView>(welfare, MEETING, { id });
    expect(acknowledged.members.find((m) => m.agency.id === helloWork)!.acknowledgedAt).toEqual(expect.any(String));
    // The convener acknowledged by convening, once, before the member did.
    expect(acknowledged.members.find((m) => m.agency.id === welfare)!.acknowledgedAt).toEqual(expect.any(String));
  });

  it('a closed meeting is final: acknowledging confidentiality in it is refused as managing it is (MEETING_CLOSED), changing nothing', async () => {
    const person = await resident();
    const { id } = await convene(welfare, 'SUPPORT_MEETING', person, ['EMPLOYMENT']);
    await ok(welfare, ADD, { m: id, a: helloWork });
    await ok(welfare, CLOSE, { m: id });
    const before = await ok<MeetingView>(welfare, MEETING, { id });

    const acknowledged = await run(helloWork, ACKNOWLEDGE, { m: id });
    expect(refusalOf(acknowledged.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MEETING_CLOSED' });
    for (const [query, variables] of [
      [ADD, { m: id, a: silver }],
      [REMOVE, { m: id, a: helloWork }],
      [CLOSE, { m: id }],
    ] as const) {
      expect(refusalOf((await run(welfare, query, variables)).errors)).toEqual(refusalOf(acknowledged.errors));
    }
    // Each names its own argument: closeMeeting's is id.
    expect(acknowledged.errors?.[0]?.extensions?.['argument']).toBe('meetingId');
    expect((await run(welfare, CLOSE, { m: id })).errors?.[0]?.extensions?.['argument']).toBe('id');
    // To an agency that never was a member it is no meeting, closed or not.
    expect(refusalOf((await run(silver, ACKNOWLEDGE, { m: id })).errors)).toEqual({
      code: 'NOT_FOUND',
      reason: undefined,
    });
    const after = await ok<MeetingView>(welfare, MEETING, { id });
    expect(after).toEqual(before);
    expect(after.members.find((m) => m.agency.id === helloWork)!.acknowledgedAt).toBeNull();
  });

  it('to an agency that never was a member, a meeting is an id that names none: every meeting mutation answers it as an unknown id', async () => {
    const person = await resident();
    const { id } = await convene(welfare, 'SUPPORT_MEETING', person, ['EMPLOYMENT']);
    await ok(welfare, ADD, { m: id, a: helloWork });
    const before = await ok<MeetingView>(welfare, MEETING, { id });
    const unknown = randomUUID();
    for (const [query, variables] of [
      [ADD, { a: kokoro }],
      [REMOVE, { a: helloWork }],
      [CLOSE, {}],
      [ACKNOWLEDGE, {}],
    ] as const) {
      const stranger = await run(silver, query, { ...variables, m: id });
      const nobody = await run(silver, query, { ...variables, m: unknown });
      expect(refusalOf(stranger.errors)).toEqual({ code: 'NOT_FOUND', reason: undefined });
      expect(JSON.stringify(stranger)).toBe(JSON.stringify(nobody));
    }
    expect(await ok<MeetingView>(welfare, MEETING, { id })).toEqual(before);
  });

  it('a meeting is visible to its convener and members only', async () => {
    const person = await resident();
    const { id } = await convene(welfare, 'SUPPORT_MEETING', person, ['EMPLOYMENT']);
    await ok(welfare, ADD, { m: id, a: helloWork });
    expect(await ok(welfare, MEETING, { id })).toMatchObject({ id });
    expect(await ok(helloWork, MEETING, { id })).toMatchObject({ id });
    expect(await ok(silver, MEETING, { id })).toBeNull();
    expect(await ok(collaborator, MEETING, { id })).toBeNull();

    const listed = (agency: string) =>
      ok<{ id: string }[]>(agency, '{ meetings(activeOnly: true) { id } }').then((l) => l.map((m) => m.id));
    expect(await listed(helloWork)).toContain(id);
    expect(await listed(silver)).not.toContain(id);
    await ok(welfare, CLOSE, { m: id });
    expect(await listed(helloWork)).not.toContain(id);
    expect(await ok<{ id: string }[]>(helloWork, '{ meetings { id } }')).toContainEqual({ id });
  });

  it('a child council allows its acknowledged members CHILD_WELFARE while its holder is an acknowledged member (CHILD_COUNCIL)', async () => {
    const person = await child();
    const { id } = await convene(welfare, 'CHILD_COUNCIL', person, []);
    await ok(welfare, ADD, { m: id, a: collaborator });
    await ok(collaborator, ACKNOWLEDGE, { m: id });
    expect(await explain(collaborator, person, 'CHILD_WELFARE')).toMatchObject({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
    });
    await ok(welfare, ADD, { m: id, a: childSupport });
    await ok(childSupport, ACKNOWLEDGE, { m: id });
    expect(await explain(collaborator, person, 'CHILD_WELFARE')).toMatchObject({
      allowed: true,
      basis: 'CHILD_COUNCIL',
      meetingId: id,
    });
  });

  it('convening counts as the convener’s acknowledgement: a council convened by a CHILD_DV agency shares CHILD_WELFARE', async () => {
    const person = await child();
    const { id } = await convene(childSupport, 'CHILD_COUNCIL', person, []);
    await ok(childSupport, ADD, { m: id, a: collaborator });
    await ok(collaborator, ACKNOWLEDGE, { m: id });
    expect(await explain(collaborator, person, 'CHILD_WELFARE')).toMatchObject({
      allowed: true,
      basis: 'CHILD_COUNCIL',
      meetingId: id,
    });
  });

  it('a multilayer meeting allows nothing by itself: it runs on consent', async () => {
    const person = await resident();
    const { id } = await convene(collaborator, 'MULTILAYER_MEETING', person, ['EMPLOYMENT']);
    await ok(collaborator, ADD, { m: id, a: silver });
    await ok(silver, ACKNOWLEDGE, { m: id });
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject({ allowed: false, reason: 'NO_LEGAL_BASIS' });
  });
});

const DECLARE = /* GraphQL */ `
  mutation ($input: DeclareEmergencyInput!) {
    declareEmergency(input: $input) {
      id
      personId
      categories
      reason
      staffId
      declaredAt
      expiresAt
      active
      agency {
        id
      }
    }
  }
`;

const EMERGENCIES = /* GraphQL */ `
  query ($since: DateTime, $review: EmergencyReviewState) {
    emergencyAccesses(since: $since, review: $review) {
      id
      personId
    }
  }
`;

const REVIEW = /* GraphQL */ `
  mutation ($id: ID!, $outcome: EmergencyReviewOutcome!) {
    reviewEmergency(id: $id, outcome: $outcome, note: "切迫した危険を確認") {
      id
      review {
        outcome
        note
        reviewedAt
      }
    }
  }
`;

describe('emergency access (緊急時アクセス)', () => {
  it('a declared emergency allows the caller for the configured time (EMERGENCY) and is listed to auditors and the declaring agency only', async () => {
    const person = await resident();
    const since = new Date().toISOString();
    const access = await ok<Record<string, string>>(kokoro, DECLARE, {
      input: { personId: person, categories: ['WELFARE_CASE', 'CONTACT'], reason: '自殺の危険が切迫している' },
    });
    expect(access).toMatchObject({ personId: person, active: true, agency: { id: kokoro }, staffId: 'dev-staff' });
    const ttl = Date.parse(access['expiresAt']!) - Date.parse(access['declaredAt']!);
    expect(ttl).toBe(hub.config.policy.emergencyTtlMinutes * 60_000);

    expect(await explain(kokoro, person, 'CONTACT')).toMatchObject({
      allowed: true,
      basis: 'EMERGENCY',
      emergencyId: access['id'],
    });
    expect(await explain(helloWork, person, 'CONTACT')).toMatchObject({ allowed: false });

    const listed = { id: access['id'], personId: person };
    expect(await ok(helloWork, EMERGENCIES, { since }, ['auditor'])).toContainEqual(listed);
    expect(await ok(kokoro, EMERGENCIES, { since })).toContainEqual(listed);
    for (const other of [welfare, helloWork]) {
      expect(await ok(other, EMERGENCIES, { since })).not.toContainEqual(listed);
    }
  });

  it("reading a declaration's reason is logged, for the declaring agency as its own and for an auditor as the review it is (AUDIT), which the person is shown", async () => {
    const person = await resident();
    const since = new Date().toISOString();
    await ok(kokoro, DECLARE, {
      input: { personId: person, categories: ['CONTACT'], reason: '自殺の危険が切迫している' },
    });
    const REASONS = 'query ($since: DateTime) { emergencyAccesses(since: $since) { personId reason } }';
    const read = await ok<{ personId: string; reason: string }[]>(helloWork, REASONS, { since }, ['auditor']);
    expect(read).toContainEqual({ personId: person, reason: '自殺の危険が切迫している' });
    const logged = (await readAccessLog(hub, person)).filter((e) => e.categories.includes('WELFARE_CASE'));
    // The declaration's answer (kokoro reads its own reason) and the auditor's list: Hello Work's own domain
    // holds no WELFARE_CASE, and it read the reason by its auditor's role alone.
    expect(logged.map((e) => [e.agency.id, e.allowed, e.basis]).sort()).toEqual(
      [
        [helloWork, true, 'AUDIT'],
        [kokoro, true, 'OWN_DOMAIN'],
      ].sort(),
    );
    const disclosed = await ok<{ edges: { node: { agency: { id: string }; basis: string | null } }[] }>(
      welfare,
      'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { agency { id } basis } } } }',
      { p: person },
    );
    expect(disclosed.edges.map((e) => e.node)).toContainEqual({ agency: { id: helloWork }, basis: 'AUDIT' });
  });

  it("reading a review's note is decided and logged as the reason is: the declaring agency's read of it too", async () => {
    const person = await resident();
    const since = new Date().toISOString();
    const { id } = await ok<{ id: string }>(kokoro, DECLARE, {
      input: { personId: person, categories: ['CONTACT'], reason: '安否不明' },
    });
    await ok(helloWork, 'mutation ($id: ID!) { reviewEmergency(id: $id, outcome: JUSTIFIED) { id } }', { id }, [
      'auditor',
    ]);
    const before = (await readAccessLog(hub, person)).filter((e) => e.agency.id === kokoro).length;
    const NOTES = 'query ($since: DateTime) { emergencyAccesses(since: $since) { id review { outcome note } } }';
    const listed = await ok<{ id: string; review: { outcome: string; note: string | null } }[]>(kokoro, NOTES, {
      since,
    });
    expect(listed).toContainEqual({ id, review: { outcome: 'JUSTIFIED', note: null } });
    const after = (await readAccessLog(hub, person)).filter((e) => e.agency.id === kokoro);
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({ categories: ['WELFARE_CASE'], allowed: true });
  });

  it('a declaration an auditor finds UNJUSTIFIED ends at once: from the next request it opens nothing', async () => {
    const person = await resident();
    const { id } = await ok<{ id: string }>(kokoro, DECLARE, {
      input: { personId: person, categories: ['CONTACT'], reason: '安否不明' },
    });
    expect(await explain(kokoro, person, 'CONTACT')).toMatchObject({ allowed: true, basis: 'EMERGENCY' });
    await ok(helloWork, REVIEW, { id, outcome: 'UNJUSTIFIED' }, ['auditor']);
    expect(await explain(kokoro, person, 'CONTACT')).toMatchObject({ allowed: false, reason: 'NO_LEGAL_BASIS' });
    const read = await run<{ person: { phone: string | null } | null }>(
      kokoro,
      'query ($p: ID!) { person(id: $p) { phone } }',
      { p: person },
    );
    expect(read.data?.person?.phone ?? null).toBeNull();
    const listed = await ok<{ id: string; active: boolean }[]>(
      helloWork,
      'query { emergencyAccesses { id active } }',
      {},
      ['auditor'],
    );
    expect(listed).toContainEqual({ id, active: false });
  });

  it('only an auditor reviews a declaration (NOT_AN_AUDITOR), which then leaves the PENDING queue for REVIEWED', async () => {
    const person = await resident();
    const since = new Date().toISOString();
    const { id } = await ok<{ id: string }>(kokoro, DECLARE, {
      input: { personId: person, categories: ['CONTACT'], reason: '自殺の危険が切迫している' },
    });
    const queue = (review: string) =>
      ok<{ id: string }[]>(helloWork, EMERGENCIES, { since, review }, ['auditor']).then((l) => l.map((e) => e.id));
    expect(await queue('PENDING')).toContain(id);
    expect(await queue('REVIEWED')).not.toContain(id);

    for (const notAuditor of [kokoro, welfare]) {
      expect(refusalOf((await run(notAuditor, REVIEW, { id, outcome: 'JUSTIFIED' })).errors)).toEqual({
        code: 'FORBIDDEN',
        reason: 'NOT_AN_AUDITOR',
      });
    }
    expect(await queue('PENDING')).toContain(id);

    const reviewed = await ok<{ review: Record<string, unknown> }>(helloWork, REVIEW, { id, outcome: 'JUSTIFIED' }, [
      'auditor',
    ]);
    expect(reviewed.review).toMatchObject({ outcome: 'JUSTIFIED', note: '切迫した危険を確認' });
    expect(await queue('PENDING')).not.toContain(id);
    expect(await queue('REVIEWED')).toContain(id);
  });

  it('the staff member who declared an emergency does not review it, even as an auditor (OWN_DECLARATION)', async () => {
    const person = await resident();
    const as = async (roles: Role[]) => ({
      authorization: `Bearer ${await hub.token(kokoro, { sub: 'staff-declaring', roles })}`,
    });
    const declared = await hub.query<{ declareEmergency: { id: string } }>(await as([]), DECLARE, {
      input: { personId: person, categories: ['CONTACT'], reason: '自殺の危険が切迫している' },
    });
    const id = declared.data!.declareEmergency.id;
    const own = await hub.query(await as(['auditor']), REVIEW, { id, outcome: 'JUSTIFIED' });
    expect(refusalOf(own.errors)).toEqual({ code: 'FORBIDDEN', reason: 'OWN_DECLARATION' });
    // The same staff id written in full-width letters, as the witness of an oral consent is compared.
    const disguised = {
      authorization: `Bearer ${await hub.token(kokoro, { sub: 'ＳＴＡＦＦ-declaring', roles: ['auditor'] })}`,
    };
    const again = await hub.query(disguised, REVIEW, { id, outcome: 'JUSTIFIED' });
    expect(refusalOf(again.errors)).toEqual({ code: 'FORBIDDEN', reason: 'OWN_DECLARATION' });
    const pending = await ok<{ id: string }[]>(helloWork, EMERGENCIES, { review: 'PENDING' }, ['auditor']);
    expect(pending.map((e) => e.id)).toContain(id);
    await ok(helloWork, REVIEW, { id, outcome: 'JUSTIFIED' }, ['auditor']);
  });

  it('an emergency about a resident elsewhere and one about an id the register does not know are refused alike (OUTSIDE_JURISDICTION): nothing tells them apart, nothing is queued', async () => {
    // A declaration opens what it names, so one accepted about a resident of another town and about an id that
    // names no one would answer them apart on the next read: an agency declares only where it serves.
    const otherTown = AGENCIES.higashiyamaWelfare.id;
    const resident = await knownTo();
    const stranger = randomUUID();
    const declare = (personId: string) =>
      run<{ declareEmergency: Record<string, unknown> }>(otherTown, DECLARE, {
        input: { personId, categories: ['CONTACT'], reason: '自殺の危険が切迫している' },
      });
    const [toResident, toStranger] = [await declare(resident), await declare(stranger)];
    expect(toResident.data?.declareEmergency ?? null).toBeNull();
    expect(JSON.stringify(toStranger).replaceAll(stranger, 'x')).toEqual(
      JSON.stringify(toResident).replaceAll(resident, 'x'),
    );
    expect(toResident.errors?.map((e) => e.extensions?.['reason'])).toEqual(['OUTSIDE_JURISDICTION']);
    const listed = await ok<{ personId: string }[]>(kokoro, EMERGENCIES, { review: 'PENDING' }, ['auditor']);
    expect(listed.map((e) => e.personId)).not.toContain(resident);
    expect(listed.map((e) => e.personId)).not.toContain(stranger);
  });

  it('refuses an emergency without a reason or category and records nothing', async () => {
    const person = await resident();
    for (const input of [
      { personId: person, categories: ['CONTACT'], reason: '   ' },
      { personId: person, categories: [], reason: '危険' },
    ]) {
      expect(codeOf((await run(kokoro, DECLARE, { input })).errors)).toBe('BAD_USER_INPUT');
    }
    const listed = await ok<{ personId: string }[]>(kokoro, EMERGENCIES, {}, ['auditor']);
    expect(listed.map((e) => e.personId)).not.toContain(person);
    expect(await explain(kokoro, person, 'CONTACT')).toMatchObject({ allowed: false });
  });
});

describe('DV_LOCATION (DV被害者の所在)', () => {
  it('meetings, councils and emergencies never unlock it (PROTECTED_LOCATION); an explicit consent recorded by its holder does', async () => {
    // A child who fled with her mother: the support meeting and the child council both cover her.
    const person = await child();
    const meeting = await convene(welfare, 'SUPPORT_MEETING', person, ['DV_LOCATION', 'DV']);
    for (const member of [destinationWelfare, dvCentre]) {
      await ok(welfare, ADD, { m: meeting.id, a: member });
      await ok(member, ACKNOWLEDGE, { m: meeting.id });
    }
    const council = await convene(childSupport, 'CHILD_COUNCIL', person, ['DV_LOCATION']);
    await ok(childSupport, ACKNOWLEDGE, { m: council.id });
    await ok(childSupport, ADD, { m: council.id, a: destinationWelfare });
    await ok(destinationWelfare, ACKNOWLEDGE, { m: council.id });
    // The emergency is declared where she is registered: an agency declares only where it serves.
    await ok(welfare, DECLARE, {
      input: { personId: person, categories: ['DV_LOCATION'], reason: '生命の危険' },
    });
    expect(await explain(welfare, person, 'DV_LOCATION')).toMatchObject({
      allowed: false,
      reason: 'PROTECTED_LOCATION',
    });

    expect(await explain(destinationWelfare, person, 'DV')).toMatchObject({ allowed: true, basis: 'SUPPORT_MEETING' });
    expect(await explain(destinationWelfare, person, 'DV_LOCATION')).toMatchObject({
      allowed: false,
      reason: 'PROTECTED_LOCATION',
    });
    expect(await explain(dvCentre, person, 'DV_LOCATION')).toMatchObject({ allowed: true, basis: 'OWN_DOMAIN' });

    const input = consentInput(person, {
      recipientAgencyIds: [destinationWelfare],
      categories: ['DV_LOCATION'],
      purpose: '転居先での支援',
    });
    const byWelfare = await run(welfare, GRANT, { input });
    expect(refusalOf(byWelfare.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_THE_HOLDER' });
    expect(await ok(welfare, CONSENTS, { personId: person })).toEqual([]);

    const consent = await grant(dvCentre, input);
    expect(await explain(destinationWelfare, person, 'DV_LOCATION')).toMatchObject({
      allowed: true,
      basis: 'CONSENT',
      consentId: consent.id,
    });
  });
});

describe('explainAccess', () => {
  it('decides without reading any data: no subgraph is asked', async () => {
    const person = await resident();
    await grant(collaborator, consentInput(person));
    hub.forget();
    expect(await explain(helloWork, person, 'WELFARE_CASE')).toMatchObject({ allowed: true, basis: 'CONSENT' });
    expect(await explain(helloWork, person, 'MENTAL_HEALTH')).toMatchObject({ allowed: false });
    expect(SUBGRAPH_NAMES.flatMap((name) => hub.received(name))).toEqual([]);
  });

  it("tells the welfare desk of a DV centre's access no more than its own records say: the centre's emergency about her is not told", async () => {
    const person = await resident();
    const asked = { personId: person, category: 'CONTACT', agencyId: dvCentre };
    const before = await ok<Explanation>(welfare, EXPLAIN, asked);
    await ok(dvCentre, DECLARE, { input: { personId: person, categories: ['CONTACT'], reason: '切迫した危険' } });
    // The centre may read her CONTACT now; the desk is told what it was told before the declaration.
    expect(await explain(dvCentre, person, 'CONTACT')).toMatchObject({ allowed: true, basis: 'EMERGENCY' });
    expect(await ok<Explanation>(welfare, EXPLAIN, asked)).toEqual(before);
    expect(await ok<Explanation>(welfare, EXPLAIN, asked, ['auditor'])).toMatchObject({ basis: 'EMERGENCY' });
  });

  it('answers NOT_FOUND for an unknown agency', async () => {
    const result = await run(welfare, EXPLAIN, {
      personId: await resident(),
      category: 'CONTACT',
      agencyId: 'no-such-agency',
    });
    expect(codeOf(result.errors)).toBe('NOT_FOUND');
  });

  it("explains another agency's access only to WELFARE agencies serving the person and auditors, not to hub administrators", async () => {
    const variables = { personId: await resident(), category: 'MENTAL_HEALTH', agencyId: kokoro };
    expect(refusalOf((await run(helloWork, EXPLAIN, variables)).errors)).toEqual({
      code: 'FORBIDDEN',
      reason: 'NOT_PERMITTED',
    });
    expect(refusalOf((await run(destinationWelfare, EXPLAIN, variables)).errors)).toEqual({
      code: 'FORBIDDEN',
      reason: 'OUTSIDE_JURISDICTION',
    });
    expect(await ok(welfare, EXPLAIN, variables)).toMatchObject({ allowed: true, basis: 'OWN_DOMAIN' });
    expect(await ok(helloWork, EXPLAIN, variables, ['auditor'])).toMatchObject({ allowed: true });
    // A hub administrator manages agencies, not persons: it asks as its own agency does.
    expect(refusalOf((await run(helloWork, EXPLAIN, variables, ['hub-admin'])).errors)).toEqual({
      code: 'FORBIDDEN',
      reason: 'NOT_PERMITTED',
    });
  });

  it('tells another agency’s access on an emergency it did not declare as allowed, without the basis or the declaration', async () => {
    const person = await resident();
    const declared = await ok<{ id: string }>(silver, DECLARE, {
      input: { personId: person, categories: ['MENTAL_HEALTH'], reason: '本人が自傷をほのめかしている' },
    });
    const variables = { personId: person, category: 'MENTAL_HEALTH', agencyId: silver };
    // The welfare office serving her: a declaration is for auditors and its declarer to know of.
    expect(await ok(welfare, EXPLAIN, variables)).toEqual({
      allowed: true,
      basis: null,
      reason: null,
      consentId: null,
      meetingId: null,
      emergencyId: null,
    });
    expect(await ok(welfare, EXPLAIN, variables, ['auditor'])).toMatchObject({
      allowed: true,
      basis: 'EMERGENCY',
      emergencyId: declared.id,
    });
    expect(await explain(silver, person, 'MENTAL_HEALTH')).toMatchObject({
      basis: 'EMERGENCY',
      emergencyId: declared.id,
    });
  });

  it('does not tell a welfare office outside a child council that a member may read the child’s CHILD_WELFARE', async () => {
    const person = await child();
    const variables = { personId: person, category: 'CHILD_WELFARE', agencyId: collaborator };
    const before = await ok(welfare, EXPLAIN, variables);
    const { id } = await convene(childSupport, 'CHILD_COUNCIL', person, []);
    await ok(childSupport, ADD, { m: id, a: collaborator });
    await ok(collaborator, ACKNOWLEDGE, { m: id });
    expect(await explain(collaborator, person, 'CHILD_WELFARE')).toMatchObject({
      allowed: true,
      basis: 'CHILD_COUNCIL',
    });
    // The welfare office serving her is not in the council: its answer is the one it had before the council.
    expect(await ok(welfare, EXPLAIN, variables)).toEqual(before);
    expect(before).toMatchObject({ allowed: false, reason: 'NO_LEGAL_BASIS' });
    expect(await ok(welfare, EXPLAIN, variables, ['auditor'])).toMatchObject({ allowed: true, basis: 'CHILD_COUNCIL' });
  });

  it('tells a consent’s reason about another agency only to an agency the consent names or that recorded it', async () => {
    const person = await knownTo(helloWork);
    const { id } = await grant(
      helloWork,
      consentInput(person, { recipientAgencyIds: [silver], categories: ['EMPLOYMENT'] }),
    );
    await ok(helloWork, `mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id } }`, { id });
    const variables = { personId: person, category: 'EMPLOYMENT', agencyId: silver };
    // The welfare office serves her but is not named: it learns of no consent.
    expect(await ok(welfare, EXPLAIN, variables)).toMatchObject({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
      consentId: null,
    });
    // An auditor and the agency itself are told which consent refuses.
    const revoked = { allowed: false, basis: null, reason: 'CONSENT_REVOKED', consentId: id, meetingId: null };
    expect(await ok(welfare, EXPLAIN, variables, ['auditor'])).toMatchObject(revoked);
    expect(await explain(silver, person, 'EMPLOYMENT')).toMatchObject(revoked);
  });

  it('tells whether another agency may read where a DV victim lives only to an agency that may read it (PROTECTED_LOCATION)', async () => {
    const person = await resident();
    await openDvCase(hub, dvCentre, person);
    const destination = AGENCIES.higashiyamaDv.id;
    const { id } = await grant(
      dvCentre,
      consentInput(person, { recipientAgencyIds: [destination], categories: ['DV', 'DV_LOCATION'] }),
    );
    const variables = { personId: person, category: 'DV_LOCATION', agencyId: destination };
    expect(refusalOf((await run(welfare, EXPLAIN, variables)).errors)).toEqual({
      code: 'FORBIDDEN',
      reason: 'PROTECTED_LOCATION',
    });
    expect(await ok(destination, EXPLAIN, variables)).toMatchObject({ allowed: true, basis: 'CONSENT', consentId: id });
    expect(await ok(welfare, EXPLAIN, variables, ['auditor'])).toMatchObject({ allowed: true, consentId: id });
  });
});

describe('disclosure protection and the register', () => {
  const PROTECT = /* GraphQL */ `
    mutation ($p: ID!, $until: DateTime!) {
      setDisclosureProtection(personId: $p, until: $until) {
        personId
        until
        setBy {
          id
        }
      }
    }
  `;

  it('only a CHILD_DV agency sets a disclosure protection', async () => {
    const person = await resident();
    const until = fromNow(30 * day);
    for (const agency of [welfare, helloWork]) {
      expect(codeOf((await run(agency, PROTECT, { p: person, until })).errors)).toBe('FORBIDDEN');
    }
    expect(await ok(dvCentre, PROTECT, { p: person, until })).toMatchObject({
      personId: person,
      setBy: { id: dvCentre },
    });
  });

  const REGISTER = /* GraphQL */ `
    mutation ($input: RegisterAgencyInput!) {
      registerAgency(input: $input) {
        id
        name
        domain
        municipality {
          code
        }
      }
    }
  `;
  const newAgency = {
    id: 'minamino-npo-ibasho',
    name: 'NPO法人 みなみ野の居場所',
    domain: 'WELFARE',
    kind: '参加支援事業者',
    municipalityCode: '990001',
  };

  it('only a hub administrator registers an agency; a refusal registers nothing', async () => {
    const refused = await run(welfare, REGISTER, { input: newAgency }, ['auditor']);
    expect(refusalOf(refused.errors)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_A_HUB_ADMIN' });
    expect(await ok(welfare, `{ agency(id: "${newAgency.id}") { id } }`)).toBeNull();

    expect(await ok(welfare, REGISTER, { input: newAgency }, ['hub-admin'])).toMatchObject({
      id: newAgency.id,
      municipality: { code: '990001' },
    });
    expect(await ok(helloWork, `{ agency(id: "${newAgency.id}") { name } }`)).toEqual({ name: newAgency.name });

    for (const input of [
      newAgency,
      { ...newAgency, id: 'other-npo', municipalityCode: '999999' },
      { ...newAgency, id: 'Bad Id' },
    ]) {
      expect(codeOf((await run(welfare, REGISTER, { input }, ['hub-admin'])).errors)).toBe('BAD_USER_INPUT');
    }
    // The hub signs its own reads of the agency systems as `hub`: no agency may take that name.
    const reserved = await run(welfare, REGISTER, { input: { ...newAgency, id: 'hub' } }, ['hub-admin']);
    expect(refusalOf(reserved.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'RESERVED_ID' });
    expect(await ok(welfare, `{ agency(id: "hub") { id } }`)).toBeNull();
  });

  it('an agency registered with its jurisdiction alone is seated in its first municipality, its kind named by its domain', async () => {
    const SERVING = /* GraphQL */ `
      mutation ($input: RegisterAgencyInput!) {
        registerAgency(input: $input) {
          id
          kind
          municipality {
            code
          }
          jurisdiction
        }
      }
    `;
    const input = { id: 'kita-jisou', name: 'きた児童相談所', domain: 'CHILD_DV', jurisdiction: ['990002', '990001'] };
    const registered = await ok<{ jurisdiction: string[] }>(welfare, SERVING, { input }, ['hub-admin']);
    expect({ ...registered, jurisdiction: [...registered.jurisdiction].sort() }).toEqual({
      id: 'kita-jisou',
      kind: '子ども家庭・DV支援機関',
      municipality: { code: '990002' },
      jurisdiction: ['990001', '990002'],
    });
    // Neither a seat nor a jurisdiction: refused, and nothing registered.
    const { jurisdiction: _, ...nowhere } = { ...input, id: 'doko-jisou' };
    const refused = await run(welfare, SERVING, { input: nowhere }, ['hub-admin']);
    expect(refusalOf(refused.errors)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MISSING_MUNICIPALITY' });
    expect(await ok(welfare, `{ agency(id: "doko-jisou") { id } }`)).toBeNull();
  });
});

describe('loadBases', () => {
  let db: Database;
  beforeAll(() => {
    db = connect(hub.database.url, { name: 'test-load-bases', max: 1 });
  });
  afterAll(() => db?.close());

  it('reads the bases of 1 and of 100 persons in exactly one statement each', async () => {
    const persons = [
      await resident(),
      await resident(),
      await resident(),
      ...Array.from({ length: 97 }, () => randomUUID()),
    ];
    await grant(collaborator, consentInput(persons[0]!));
    const meeting = await convene(welfare, 'SUPPORT_MEETING', persons[1]!, ['EMPLOYMENT']);
    await ok(welfare, ADD, { m: meeting.id, a: helloWork });
    await ok(welfare, ADD, { m: meeting.id, a: silver });
    await ok(welfare, REMOVE, { m: meeting.id, a: silver });
    await ok(kokoro, DECLARE, { input: { personId: persons[2]!, categories: ['CONTACT'], reason: '危険' } });
    await db.sql`select 1`;

    for (const ids of [persons.slice(0, 1), persons]) {
      const before = db.statementCount();
      const bases = await loadBases(db.sql, ids);
      expect(db.statementCount() - before).toBe(1);
      expect([...bases.keys()].sort()).toEqual([...ids].sort());
    }

    const bases = await loadBases(db.sql, persons);
    expect(bases.get(persons[0]!)!.municipalityCode).toBe(MINAMINO);
    expect(bases.get(persons[0]!)!.consents).toHaveLength(1);
    expect(bases.get(persons[0]!)!.consents[0]!.validFrom).toBeInstanceOf(Date);
    const [supportMeeting] = bases.get(persons[1]!)!.meetings;
    expect(supportMeeting!.startsAt).toBeInstanceOf(Date);
    // The removed member is no member, but is known to have been one (it may be told NOT_A_MEMBER).
    const current = supportMeeting!.members.filter((m) => m.removedAt === null).map((m) => m.agencyId);
    expect(current.sort()).toEqual([helloWork, welfare].sort());
    expect(supportMeeting!.members.find((m) => m.agencyId === silver)!.removedAt).toBeInstanceOf(Date);
    expect(bases.get(persons[2]!)!.emergencies[0]!.expiresAt).toBeInstanceOf(Date);
    expect(bases.get(persons[99]!)).toEqual({
      municipalityCode: null,
      locationProtected: false,
      consents: [],
      meetings: [],
      emergencies: [],
    });
  });
});
