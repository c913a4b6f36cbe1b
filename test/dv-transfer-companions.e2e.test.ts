// A DV victim rarely flees alone: her children go with her (同伴児). A transfer names them
// (`accompanyingPersonIds`), and each moves with her on the same terms: registered where she is, each on their
// own consent naming the destination and DV_LOCATION (a child's, given by the guardian). The town they left
// then holds nothing of the children either, or its records of them would tell where she fled.

import { describe, expect, it } from 'vitest';
import { AGENCIES, gatewayKeys, MUNICIPALITIES, SIGNATURE_HEADER, signSubgraphRequest } from '@hub/platform';
import { givenResident } from '@hub/testkit';
import { grantConsent, readAccessLog } from './support/bases.js';
import { useTestHub, type GraphQLResponse } from './support/hub.js';
import { openDvCase, supportedChild } from './support/dv.js';
import { COLLABORATOR, mutate, registerChild, registerResident } from './support/welfare.js';

const hub = useTestHub();

const dvCentre = AGENCIES.midoriDvCentre.id;
const childGuidance = AGENCIES.midoriChildGuidance.id;
const childSupport = AGENCIES.minaminoChildSupport.id;
const destinationDv = AGENCIES.higashiyamaDv.id;
const destinationWelfare = AGENCIES.higashiyamaWelfare.id;
const HIGASHIYAMA = MUNICIPALITIES.higashiyama.code;
const NO_ONE = '00000000-0000-4000-8000-000000000000';

const TRANSFER = /* GraphQL */ `
  mutation ($input: TransferDvCaseInput!) {
    transferDvCase(input: $input) {
      agencyId
      transfers {
        toAgencyId
        accompanyingPersonIds
      }
    }
  }
`;
type Transferred = { transferDvCase: { agencyId: string; transfers: { accompanyingPersonIds: string[] }[] } | null };

const transfer = (holder: string, personId: string, accompanyingPersonIds: unknown) =>
  hub.query<Transferred>({ agency: holder }, TRANSFER, {
    input: { personId, toAgencyId: destinationDv, accompanyingPersonIds },
  });

/** Her consent, or a child's given by her as guardian, naming the destination and DV_LOCATION. */
async function consentToMove(holder: string, personId: string, guardian?: string): Promise<void> {
  await grantConsent(hub, holder, {
    personId,
    recipientAgencyIds: [destinationDv, destinationWelfare],
    categories: ['DV', 'DV_LOCATION'],
    purpose: '転居先市町村への支援の引継ぎ',
    ...(guardian ? { method: 'GUARDIAN', guardianName: guardian } : {}),
  });
}

/** A mother with an open DV case held by `holder`, and two children the holder supports with her. */
async function family(holder: string = dvCentre) {
  const mother = await registerResident(hub);
  const children = [await supportedChild(hub, holder), await supportedChild(hub, holder)];
  await openDvCase(hub, holder, mother);
  return { mother, children };
}

/** Where the register has each person, as the town they moved to reads it (null: not its resident). */
async function registeredIn(agency: string, personId: string): Promise<string | null> {
  const result = await hub.query<{ person: { municipalityCode: string } | null }>(
    { agency },
    'query ($id: ID!) { person(id: $id) { municipalityCode } }',
    { id: personId },
  );
  return result.data?.person?.municipalityCode ?? null;
}

const firstError = (result: GraphQLResponse<unknown>) => {
  const extensions = result.errors?.[0]?.extensions ?? {};
  return {
    code: extensions['code'],
    reason: extensions['reason'],
    argument: extensions['argument'],
    personId: extensions['personId'],
  };
};

/** Nothing moved: no transfer reached child-dv, and the town she lives in still has her and the children. */
async function expectNothingMoved(result: GraphQLResponse<Transferred>, persons: readonly string[]) {
  expect(result.data?.transferDvCase ?? null).toBeNull();
  expect(hub.received('child-dv').some((r) => r.query.includes('transferDvCase'))).toBe(false);
  for (const personId of persons) expect(await registeredIn(COLLABORATOR, personId)).toBe('990001');
}

describe('the children who flee with her move with her (accompanyingPersonIds)', () => {
  it('each on their own consent naming the destination and DV_LOCATION: all are registered at the destination, and the transfer names them', async () => {
    const { mother, children } = await family();
    await consentToMove(dvCentre, mother);
    for (const child of children) await consentToMove(dvCentre, child, '試験 母');
    const result = await transfer(dvCentre, mother, children);
    expect(result.errors).toBeUndefined();
    expect(result.data!.transferDvCase).toMatchObject({
      agencyId: destinationDv,
      transfers: [{ accompanyingPersonIds: children }],
    });
    for (const personId of [mother, ...children]) {
      expect(await registeredIn(destinationWelfare, personId)).toBe(HIGASHIYAMA);
    }
  });

  it('the town they left holds nothing of the children: each is answered as an id that names no one', async () => {
    const { mother, children } = await family();
    await consentToMove(dvCentre, mother);
    for (const child of children) await consentToMove(dvCentre, child, '試験 母');
    expect((await transfer(dvCentre, mother, children)).errors).toBeUndefined();
    const read = (personId: string) =>
      hub.query({ agency: COLLABORATOR }, 'query ($id: ID!) { person(id: $id) { id name municipalityCode } }', {
        id: personId,
      });
    const noOne = await read(NO_ONE);
    expect(noOne.data).toEqual({ person: null });
    for (const child of children) expect(await read(child)).toEqual(noOne);
  });

  it('a transfer named without companions moves her alone, as before: the children stay where they are registered', async () => {
    const { mother, children } = await family();
    await consentToMove(dvCentre, mother);
    const result = await transfer(dvCentre, mother, null);
    expect(result.errors).toBeUndefined();
    expect(result.data!.transferDvCase!.transfers).toEqual([{ toAgencyId: destinationDv, accompanyingPersonIds: [] }]);
    expect(await registeredIn(destinationWelfare, mother)).toBe(HIGASHIYAMA);
    for (const child of children) expect(await registeredIn(COLLABORATOR, child)).toBe('990001');
  });
});

describe('a companion who cannot go stops the whole transfer: nothing is sent, no one moves', () => {
  it('a child without their own consent naming the destination: FORBIDDEN NO_LEGAL_BASIS for that child', async () => {
    const { mother, children } = await family();
    await consentToMove(dvCentre, mother);
    await consentToMove(dvCentre, children[0]!, '試験 母');
    hub.forget();
    const result = await transfer(dvCentre, mother, children);
    expect(firstError(result)).toEqual({
      code: 'FORBIDDEN',
      reason: 'NO_LEGAL_BASIS',
      argument: undefined,
      personId: children[1],
    });
    await expectNothingMoved(result, [mother, ...children]);
    // Nothing in the log says the destination was given her whereabouts, or the first child's: the refusal only.
    for (const personId of [mother, children[0]!]) {
      const given = (await readAccessLog(hub, personId)).filter((e) => e.agency.id === destinationDv && e.allowed);
      expect(given).toEqual([]);
    }
    const refused = (await readAccessLog(hub, children[1]!)).filter((e) => e.agency.id === destinationDv);
    expect(refused).toEqual([expect.objectContaining({ allowed: false, categories: ['DV_LOCATION'] })]);
  });

  it('one registered in another town, one the caller does not serve, or an id that names no one: BAD_USER_INPUT COMPANION_REGISTERED_ELSEWHERE, alike', async () => {
    const { mother } = await family();
    await consentToMove(dvCentre, mother);
    const elsewhere = await registerResident(hub, destinationWelfare, HIGASHIYAMA);
    hub.forget();
    const notServed = await transfer(dvCentre, mother, [elsewhere]);
    expect(firstError(notServed)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'COMPANION_REGISTERED_ELSEWHERE',
      argument: 'accompanyingPersonIds',
      personId: elsewhere,
    });
    await expectNothingMoved(notServed, [mother]);
    const unknown = await transfer(dvCentre, mother, [NO_ONE]);
    expect(unknown).toEqual(JSON.parse(JSON.stringify(notServed).split(elsewhere).join(NO_ONE)));
  });

  it('an agency serving both towns is told no more of where a person lives: registered in the other town, or no one, alike; holding no case of hers, NOT_FOUND before anything else', async () => {
    // The child guidance centre serves both towns: it holds her case, and names a person of the other town.
    const { mother } = await family(childGuidance);
    await consentToMove(childGuidance, mother);
    const elsewhere = await registerResident(hub, destinationWelfare, HIGASHIYAMA);
    hub.forget();
    const result = await transfer(childGuidance, mother, [elsewhere]);
    const unknown = await transfer(childGuidance, mother, [NO_ONE]);
    expect(firstError(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'COMPANION_REGISTERED_ELSEWHERE' });
    expect(unknown).toEqual(JSON.parse(JSON.stringify(result).split(elsewhere).join(NO_ONE)));
    await expectNothingMoved(result, [mother]);
    // A resident it serves whose case it does not hold: refused as the transfer is, whoever it names with her.
    const stranger = await registerResident(hub);
    const named = await transfer(childGuidance, stranger, [elsewhere]);
    const inHerTown = await transfer(childGuidance, stranger, [await registerChild(hub)]);
    expect(firstError(named)).toMatchObject({ code: 'NOT_FOUND', argument: 'personId' });
    expect(JSON.stringify(named.errors)).toBe(JSON.stringify(inHerTown.errors));
  });

  it('one with a case open in the child-DV system, whoever holds it: BAD_USER_INPUT COMPANION_HAS_OPEN_CASE, for its holder closes it (or transfers a DV case) first', async () => {
    const { mother, children } = await family();
    await consentToMove(dvCentre, mother);
    for (const child of children) await consentToMove(dvCentre, child, '試験 母');
    // A child the town's child support centre supports, its case open; an adult fleeing with her whose own DV
    // case the centre holds.
    const supported = await supportedChild(hub, childSupport, { open: true });
    const sister = await registerResident(hub);
    await openDvCase(hub, childSupport, sister);
    hub.forget();
    for (const companion of [supported, sister]) {
      const result = await transfer(dvCentre, mother, [...children, companion]);
      expect(firstError(result)).toEqual({
        code: 'BAD_USER_INPUT',
        reason: 'COMPANION_HAS_OPEN_CASE',
        argument: 'accompanyingPersonIds',
        personId: companion,
      });
      await expectNothingMoved(result, [mother, ...children, companion]);
    }
  });

  it('a welfare office holding her case is told whether a child has a case open only where it may read the child’s CHILD_WELFARE and DV: elsewhere FORBIDDEN alike, decided and logged', async () => {
    // Her case moved to the welfare office of her new town, which now moves it on with a child of that town.
    const mother = await registerResident(hub);
    await openDvCase(hub, dvCentre, mother);
    await grantConsent(hub, dvCentre, {
      personId: mother,
      recipientAgencyIds: [destinationWelfare],
      categories: ['DV', 'DV_LOCATION'],
    });
    const moved = await hub.query<Transferred>({ agency: dvCentre }, TRANSFER, {
      input: { personId: mother, toAgencyId: destinationWelfare },
    });
    expect(moved.errors).toBeUndefined();
    const withCase = await givenResident(hub, destinationWelfare, HIGASHIYAMA, '2016-04-01');
    const withoutCase = await givenResident(hub, destinationWelfare, HIGASHIYAMA, '2016-04-01');
    await mutate(
      hub,
      destinationDv,
      'mutation ($personId: ID!) { openChildWelfareCase(input: { personId: $personId, classification: REQUIRES_SUPPORT }) { id } }',
      { personId: withCase },
    );
    const onward = (companion: string) =>
      hub.query<Transferred>({ agency: destinationWelfare }, TRANSFER, {
        input: { personId: mother, toAgencyId: dvCentre, accompanyingPersonIds: [companion] },
      });
    hub.forget();
    const told = await onward(withCase);
    const notTold = await onward(withoutCase);
    expect(firstError(told)).toEqual({
      code: 'FORBIDDEN',
      reason: 'NO_LEGAL_BASIS',
      argument: 'accompanyingPersonIds',
      personId: withCase,
    });
    expect(told).toEqual(JSON.parse(JSON.stringify(notTold).split(withoutCase).join(withCase)));
    expect(hub.received('child-dv').some((r) => r.query.includes('transferDvCase'))).toBe(false);
    const denied = (await readAccessLog(hub, withCase)).filter((e) => e.agency.id === destinationWelfare);
    expect(denied).toContainEqual(expect.objectContaining({ allowed: false, reason: 'NO_LEGAL_BASIS' }));
  });

  it('herself, an id that is no id, or more than ten: BAD_USER_INPUT before anything is decided', async () => {
    const { mother, children } = await family();
    await consentToMove(dvCentre, mother);
    hub.forget();
    const cases: [unknown, string][] = [
      [[mother], 'COMPANION_IS_THE_PERSON'],
      [[children[0], 'not-an-id'], 'INVALID_ID'],
      [
        Array.from({ length: 11 }, (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`),
        'OUT_OF_RANGE',
      ],
    ];
    for (const [companions, reason] of cases) {
      const result = await transfer(dvCentre, mother, companions);
      expect(firstError(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason, argument: 'accompanyingPersonIds' });
      await expectNothingMoved(result, [mother, ...children]);
    }
  });

  it('child-dv refuses herself or more than ten too, with the same reasons, when asked around the gateway’s check', async () => {
    const { mother } = await family();
    const askedDirectly = async (accompanyingPersonIds: string[]) => {
      const body = JSON.stringify({
        query: 'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { status } }',
        variables: { input: { personId: mother, toAgencyId: destinationDv, accompanyingPersonIds } },
      });
      const signature = await signSubgraphRequest({
        subgraph: 'child-dv',
        key: await gatewayKeys(hub.config.signing),
        body,
        agencyId: dvCentre,
        staffId: 'test-staff',
        requestId: 'test-companions',
        categories: ['DV'],
        jurisdiction: ['990001'],
      });
      const response = await fetch(hub.subgraphs['child-dv'].url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
        body,
      });
      const answer = (await response.json()) as GraphQLResponse<unknown>;
      return answer.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']]);
    };
    const eleven = Array.from({ length: 11 }, () => crypto.randomUUID());
    expect(await askedDirectly([mother.toUpperCase()])).toEqual([['BAD_USER_INPUT', 'COMPANION_IS_THE_PERSON']]);
    expect(await askedDirectly(eleven)).toEqual([['BAD_USER_INPUT', 'OUT_OF_RANGE']]);
    expect(await registeredIn(COLLABORATOR, mother)).toBe('990001');
  });
});
