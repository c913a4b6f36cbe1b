// After a DV transfer the agencies of the town she left have no own-domain access to her (CONTRACT.md v2,
// rule 1), by person id or by a record's id: every subgraph is told of the move (hub/relocations.ts), and
// her records count where she now lives. A subgraph that is down when she moves is told once a gateway
// reaches it again; until then the move waits in the hub's database, and nothing of it is lost.

import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENCIES, demoId, type SubgraphName } from '@hub/platform';
import type { RunningGateway } from '@hub/gateway/server';
import { grantConsent } from './support/bases.js';
import { dvVictimReadyToMove, openDvCase } from './support/dv.js';
import { startGatewayReplica, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';
import { ADVANCE, COLLABORATOR, mutate, openCase, refusal, registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-dv-relocation');

const dvCentre = AGENCIES.midoriDvCentre.id;
const destinationDv = AGENCIES.higashiyamaDv.id;
const destinationWelfare = AGENCIES.higashiyamaWelfare.id;
const environment = AGENCIES.minaminoEnvironment.id;
const silver = AGENCIES.minaminoSilver.id;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
/** Never listening: the environment subgraph as a gateway finds it while it is down. */
const DOWN = 'http://127.0.0.1:9/graphql';

const WITHDRAW = /* GraphQL */ `
  mutation ($id: ID!) {
    withdrawEnrollment(id: $id) {
      id
      status
    }
  }
`;

/** An operation as `agency` through another gateway of the hub. */
async function through<TData>(
  gateway: RunningGateway,
  agency: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(agency)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The subgraphs not told yet of her move. */
async function pendingFor(personId: string): Promise<string[]> {
  const rows = await db.sql<{ subgraph: string }[]>`
    select subgraph from hub.relocation where person_id = ${personId} and delivered_at is null order by subgraph`;
  return rows.map((row) => row.subgraph);
}

describe('a DV transfer moves her records where she now lives, in every subgraph', () => {
  let personId: string;
  let caseId: string;
  let enrolmentId: string;

  beforeAll(async () => {
    personId = await registerResident(hub);
    await openDvCase(hub, dvCentre, personId);
    caseId = await openCase(hub, personId);
    const enrolment = await mutate<{ id: string }>(
      hub,
      environment,
      `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`,
      { input: { personId, opportunityId: demoId('opportunity:vegetable-harvest') } },
    );
    enrolmentId = enrolment.id;
    await grantConsent(hub, dvCentre, {
      personId,
      recipientAgencyIds: [destinationDv],
      categories: ['DV', 'DV_LOCATION'],
    });
    // Her welfare case opened to the silver centre of the town she will leave, on her word.
    await grantConsent(hub, COLLABORATOR, { personId, recipientAgencyIds: [silver], categories: ['WELFARE_CASE'] });
  });

  it('a subgraph that is down when she moves keeps the move pending, and the transfer still completes', async () => {
    const replica = await startGatewayReplica(hub, {
      subgraphUrls: { environment: DOWN },
      relocationRetryMs: 3_600_000,
    });
    try {
      const moved = await through<{ transferDvCase: { status: string } | null }>(
        replica,
        dvCentre,
        `mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { status } }`,
        { input: { personId, toAgencyId: destinationDv, note: '本人同意のうえ転居先へ引継ぎ' } },
      );
      expect(moved.errors).toBeUndefined();
      expect(moved.data?.transferDvCase).not.toBeNull();
    } finally {
      await replica.close();
    }
    expect(await pendingFor(personId)).toEqual(['environment']);
    // Until the environment subgraph is told, it still counts her enrolment where she lived.
    const [enrolment] = await db.sql<{ municipalityCode: string }[]>`
      select municipality_code from environment.enrollment where id = ${enrolmentId}`;
    expect(enrolment?.municipalityCode).toBe(AGENCIES.minaminoEnvironment.municipalityCode);
  });

  it('a gateway that reaches the subgraph again tells it of the pending move', async () => {
    const replica = await startGatewayReplica(hub);
    try {
      await vi.waitFor(async () => expect(await pendingFor(personId)).toEqual([]), { timeout: 10_000 });
    } finally {
      await replica.close();
    }
    const [enrolment] = await db.sql<{ municipalityCode: string }[]>`
      select municipality_code from environment.enrollment where id = ${enrolmentId}`;
    expect(enrolment?.municipalityCode).toBe(AGENCIES.higashiyamaDv.municipalityCode);
  });

  it('the town she left is answered NOT_FOUND for her support case, as for an unknown case, and nothing changes', async () => {
    const result = await hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to: 'ASSESSMENT' } });
    const missing = await hub.query({ agency: COLLABORATOR }, ADVANCE, {
      input: { caseId: UNKNOWN, to: 'ASSESSMENT' },
    });
    expect(refusal(result)).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'caseId' });
    expect(result.errors![0]!.message).toBe(missing.errors![0]!.message);
    const [held] = await db.sql<{ status: string }[]>`select status from welfare.support_case where id = ${caseId}`;
    expect(held?.status).toBe('INTAKE');
  });

  it('the town she left is answered NOT_FOUND for her enrolment, and it stays active', async () => {
    const result = await hub.query({ agency: environment }, WITHDRAW, { id: enrolmentId });
    const missing = await hub.query({ agency: environment }, WITHDRAW, { id: UNKNOWN });
    expect(refusal(result)).toEqual(refusal(missing));
    expect(refusal(result)).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });
    const [held] = await db.sql<
      { status: string }[]
    >`select status from environment.enrollment where id = ${enrolmentId}`;
    expect(held?.status).toBe('ACTIVE');
  });

  it('a second open DV case for her is refused (DV_CASE_ALREADY_OPEN): the holder transfers the one she has', async () => {
    const result = await hub.query(
      { agency: destinationDv },
      `mutation ($id: ID!) { openDvCase(input: { personId: $id }) { status } }`,
      {
        id: personId,
      },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DV_CASE_ALREADY_OPEN' });
    const [open] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from child_dv.dv_case where person_id = ${personId} and status <> 'CLOSED'`;
    expect(open?.n).toBe(1);
  });

  it('a referral from the town she left tells nothing of where she went: the new town’s office is refused as the old one is', async () => {
    const refer = (toAgencyId: string) =>
      hub.query(
        { agency: silver },
        /* GraphQL */ `
          mutation ($input: CreateReferralInput!) {
            createReferral(input: $input) {
              id
            }
          }
        `,
        { input: { personId, toAgencyId, categories: ['WELFARE_CASE'], reason: '相談先の紹介' } },
      );
    const toNewTown = await refer(destinationWelfare);
    const toOldTown = await refer(AGENCIES.minaminoWelfare.id);
    expect(refusal(toNewTown)).toEqual(refusal(toOldTown));
    expect(refusal(toNewTown)).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_LEGAL_BASIS' });
  });

  it('the town she lives in now acts on the same case as its own', async () => {
    const result = await hub.query<{ advanceCase: { id: string; status: string } }>(
      { agency: destinationWelfare },
      ADVANCE,
      { input: { caseId, to: 'ASSESSMENT' } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.advanceCase).toMatchObject({ id: caseId, status: 'ASSESSMENT' });
  });
});

describe('where she went is told only to the subgraphs that hold records of her (DV_LOCATION)', () => {
  it('a read by the town she left racing her transfer never shows where she went: its basis was decided on where she lived', async () => {
    const leftTown = AGENCIES.minaminoWelfare;
    const shown = new Set<string | null>();
    for (let round = 0; round < 4; round += 1) {
      const person = await dvVictimReadyToMove(hub, dvCentre, destinationDv);
      let answered = false;
      const transfer = hub
        .query(
          { agency: dvCentre },
          `mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { status } }`,
          { input: { personId: person, toAgencyId: destinationDv, note: '本人同意のうえ転居先へ引継ぎ' } },
        )
        .finally(() => (answered = true));
      const reader = async () => {
        while (!answered) {
          const read = await hub.query<{ person: { municipalityCode: string | null } | null }>(
            { agency: leftTown.id },
            'query ($id: ID!) { person(id: $id) { municipalityCode } }',
            { id: person },
          );
          shown.add(read.data?.person?.municipalityCode ?? null);
        }
      };
      await Promise.all([transfer, ...Array.from({ length: 6 }, reader)]);
      expect((await transfer).errors).toBeUndefined();
    }
    expect([...shown].filter((code) => code !== null && code !== leftTown.municipalityCode)).toEqual([]);
  });

  it('each subgraph is asked whether it holds any record of her, naming no town; only those that do are told where she went', async () => {
    const person = await dvVictimReadyToMove(hub, dvCentre, destinationDv);
    hub.forget();
    const moved = await hub.query<{ transferDvCase: { status: string } | null }>(
      { agency: dvCentre },
      `mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { status } }`,
      { input: { personId: person, toAgencyId: destinationDv, note: '本人同意のうえ転居先へ引継ぎ' } },
    );
    expect(moved.errors).toBeUndefined();
    await vi.waitFor(async () => expect(await pendingFor(person)).toEqual([]), { timeout: 10_000 });

    /** What each subgraph was sent about her move: the question, and the move itself where it holds records. */
    const relocationsTo = (subgraph: SubgraphName) =>
      hub
        .received(subgraph)
        .map((body) => body as unknown as Record<string, unknown>)
        .filter((body) => body['personId'] === person);
    const whereShe = AGENCIES.higashiyamaDv.municipalityCode;
    // Her identity (welfare) and her DV case (child-dv) are held where she now lives.
    for (const holder of ['welfare', 'child-dv'] as const) {
      expect(relocationsTo(holder)).toEqual([{ personId: person }, { personId: person, municipalityCode: whereShe }]);
    }
    // The others hold nothing of her: asked, and told nothing more; nothing they were sent names her new town.
    for (const other of ['suicide-prevention', 'employment', 'seniors-work', 'environment'] as const) {
      expect(relocationsTo(other)).toEqual([{ personId: person }]);
      expect(JSON.stringify(hub.received(other))).not.toContain(whereShe);
    }
  });
});
