// The bases kept across requests (policy/bases-cache.ts, migration 012): a repeated request reads them
// no more, and every change to them is decided on from the very next request, on the gateway that made
// it and on a second gateway replica on the same database, whose cache held the bases before the change.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '@hub/gateway/server';
import { AGENCIES, MUNICIPALITIES, residentId } from '@hub/platform';
import { givenResident } from '@hub/testkit';
import { convene, declareEmergency, denials, grantConsent, revokeConsent } from './support/bases.js';
import { registerAgency, startGatewayReplica, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';

const hub = useTestHub();
// Statements outside either gateway, as another service or an operator would send them.
const db = useConnection(hub, 'test-bases-cache', 1);
let replica: RunningGateway;

beforeAll(async () => {
  replica = await startGatewayReplica(hub);
});

afterAll(async () => {
  await replica?.close();
});

const municipality = AGENCIES.minaminoWelfare.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;

const RISK = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      riskAssessments {
        level
      }
    }
  }
`;
type Risk = { person: { riskAssessments: unknown[] | null } | null };

const NAME = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      id
      name
    }
  }
`;
type Name = { person: { id: string; name: string } | null };

/** A query as `agency` through the second replica, and how many times that replica read the bases for it. */
async function throughReplica<TData>(agency: string, query: string, variables: Record<string, unknown>) {
  const before = replica.stats.policyReads;
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(agency)}` },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as GraphQLResponse<TData>;
  return { result, reads: replica.stats.policyReads - before };
}

/** A query as `agency` through the first gateway, and how many times it read the bases for it. */
async function throughHub<TData>(agency: string, query: string, variables: Record<string, unknown>) {
  const before = hub.gateway.stats.policyReads;
  const result = await hub.query<TData>({ agency }, query, variables);
  return { result, reads: hub.gateway.stats.policyReads - before };
}

/** Asks the replica twice: the second answer comes from its cache, so the change after it must reach that cache. */
async function primeReplica<TData>(agency: string, query: string, variables: Record<string, unknown>) {
  await throughReplica<TData>(agency, query, variables);
  const cached = await throughReplica<TData>(agency, query, variables);
  expect(cached.reads).toBe(0);
  return cached.result;
}

/**
 * A support meeting on `person` whose shared MENTAL_HEALTH Hello Work reads through the replica, kept
 * there; then `change` made to it by the municipality's office, and the replica's next answer.
 */
async function meetingChanged(person: string, change: string): Promise<GraphQLResponse<Risk>> {
  const meetingId = await convene(hub, municipality, {
    kind: 'SUPPORT_MEETING',
    subjectPersonIds: [person],
    sharedCategories: ['MENTAL_HEALTH'],
    members: [helloWork],
    acknowledged: [helloWork],
  });
  expect(riskOf(await primeReplica<Risk>(helloWork, RISK, { id: person }))!.length).toBeGreaterThan(0);
  const changed = await hub.query({ agency: municipality }, change, { m: meetingId, a: helloWork });
  expect(changed.errors).toBeUndefined();
  return (await throughReplica<Risk>(helloWork, RISK, { id: person })).result;
}

const riskOf = (result: GraphQLResponse<Risk>) => result.data!.person!.riskAssessments;
const reasonsOf = (result: GraphQLResponse<unknown>) => denials(result.errors).map((d) => d.reason);

describe('how often the bases are read', () => {
  it('a repeated request reads them no more; any change to them, by any statement, has the next one read them once', async () => {
    const person = residentId('sato-mother');
    const first = await throughHub<Name>(municipality, NAME, { id: person });
    expect(first.result.data!.person!.name).toBeTruthy();
    expect(first.reads).toBe(1);
    const again = await throughHub<Name>(municipality, NAME, { id: person });
    expect(again.result.data).toEqual(first.result.data);
    // The first request appended to the access log: that is no change to the bases.
    expect(again.reads).toBe(0);

    // A change to any person's bases (a new resident) makes the cached ones unknown: read once again.
    await givenResident(hub);
    const afterChange = await throughHub<Name>(municipality, NAME, { id: person });
    expect(afterChange.result.data).toEqual(first.result.data);
    expect(afterChange.reads).toBe(1);
    expect((await throughHub<Name>(municipality, NAME, { id: person })).reads).toBe(0);

    // A statement outside the gateway counts as much as one through it.
    await db.sql`update hub.agency set rate_limit_per_minute = rate_limit_per_minute where id = ${silver}`;
    expect((await throughHub<Name>(municipality, NAME, { id: person })).reads).toBe(1);
  });

  it('a statement that changes no row of them changes nothing: refused, repeated or of an unknown id, no one reads them again', async () => {
    const version = async () => (await db.sql<{ v: string }[]>`select version::text as v from hub.bases_version`)[0]!.v;
    const meetingId = await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [await givenResident(hub)],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
      acknowledged: [helloWork],
    });
    const before = await version();
    const admin = async (query: string, variables: Record<string, unknown>) =>
      hub.query(
        { authorization: `Bearer ${await hub.token(municipality, { roles: ['hub-admin'] })}` },
        query,
        variables,
      );
    // Acknowledging again, switching off an id the register does not hold, registering an agency twice.
    await hub.query({ agency: helloWork }, 'mutation ($m: ID!) { acknowledgeConfidentiality(meetingId: $m) { id } }', {
      m: meetingId,
    });
    expect(
      (await admin('mutation ($id: ID!) { deactivateAgency(id: $id) { id } }', { id: 'no-such-agency' })).errors,
    ).toBeDefined();
    const twice = await admin('mutation ($input: RegisterAgencyInput!) { registerAgency(input: $input) { id } }', {
      input: {
        id: silver,
        name: '重複',
        domain: 'SENIORS_WORK',
        kind: 'シルバー人材センター',
        municipalityCode: '990001',
      },
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ reason: 'ALREADY_REGISTERED' });
    await db.sql`update hub.agency set rate_limit_per_minute = 1 where id = 'no-such-agency'`;
    expect(await version()).toBe(before);

    // A change is one: a row updated moves the version.
    await db.sql`update hub.agency set rate_limit_per_minute = rate_limit_per_minute where id = ${silver}`;
    expect(BigInt(await version())).toBe(BigInt(before) + 1n);
  });
});

describe('a change through one gateway is decided on by the other from the very next request', () => {
  it('a revoked consent (CONSENT_REVOKED)', async () => {
    const person = residentId('yamada-son');
    const consentId = await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    const allowed = await primeReplica<Risk>(helloWork, RISK, { id: person });
    expect(riskOf(allowed)!.length).toBeGreaterThan(0);

    await revokeConsent(hub, collaborator, consentId);
    const { result, reads } = await throughReplica<Risk>(helloWork, RISK, { id: person });
    expect(reads).toBe(1);
    expect(riskOf(result)).toBeNull();
    expect(reasonsOf(result)).toEqual(['CONSENT_REVOKED']);
  });

  it("a consent's end, with no change to any bases: the kept decision ends with it (CONSENT_EXPIRED)", async () => {
    const person = residentId('yamada-son');
    const validUntil = new Date(Date.now() + 5_000);
    await grantConsent(hub, collaborator, {
      personId: person,
      recipientAgencyIds: [silver],
      categories: ['MENTAL_HEALTH'],
      validUntil: validUntil.toISOString(),
    });
    // Kept by the replica, bases and decision: the second answer reads nothing.
    const allowed = await primeReplica<Risk>(silver, RISK, { id: person });
    expect(riskOf(allowed)!.length).toBeGreaterThan(0);

    // Only the clock moves: the bases' version stays, and the next request is decided on the consent's end.
    await new Promise((resolve) => setTimeout(resolve, validUntil.getTime() - Date.now() + 100));
    const { result, reads } = await throughReplica<Risk>(silver, RISK, { id: person });
    expect(reads).toBe(0);
    expect(riskOf(result)).toBeNull();
    expect(reasonsOf(result)).toEqual(['CONSENT_EXPIRED']);
  });

  it('a member removed from the meeting (NOT_A_MEMBER)', async () => {
    const result = await meetingChanged(
      residentId('watanabe'),
      /* GraphQL */ `
        mutation ($m: ID!, $a: ID!) {
          removeMeetingMember(meetingId: $m, agencyId: $a) {
            id
          }
        }
      `,
    );
    expect(riskOf(result)).toBeNull();
    expect(reasonsOf(result)).toEqual(['NOT_A_MEMBER']);
  });

  it("a meeting's end (MEETING_NOT_ACTIVE)", async () => {
    const result = await meetingChanged(
      residentId('sato-mother'),
      /* GraphQL */ `
        mutation ($m: ID!) {
          closeMeeting(id: $m) {
            id
          }
        }
      `,
    );
    expect(riskOf(result)).toBeNull();
    expect(reasonsOf(result)).toEqual(['MEETING_NOT_ACTIVE']);
  });

  it('an emergency declared (EMERGENCY), then ended by its expiry', async () => {
    const person = residentId('watanabe');
    const before = await primeReplica<Risk>(silver, RISK, { id: person });
    expect(riskOf(before)).toBeNull();
    expect(reasonsOf(before)).toEqual(['NO_LEGAL_BASIS']);

    const emergencyId = await declareEmergency(hub, silver, person, ['MENTAL_HEALTH']);
    const declared = await throughReplica<Risk>(silver, RISK, { id: person });
    expect(declared.result.errors).toBeUndefined();
    expect(riskOf(declared.result)!.length).toBeGreaterThan(0);
    expect((await throughReplica<Risk>(silver, RISK, { id: person })).reads).toBe(0);

    // Its expiry moved into the past, as time would: the next request no longer finds it.
    await db.sql`update hub.emergency_access set declared_at = now() - interval '2 hours', expires_at = now() - interval '1 second' where id = ${emergencyId}`;
    const expired = await throughReplica<Risk>(silver, RISK, { id: person });
    expect(riskOf(expired.result)).toBeNull();
    expect(reasonsOf(expired.result)).toEqual(['NO_LEGAL_BASIS']);
  });

  it('a resident moved out of the jurisdiction (the town left holds nothing of them)', async () => {
    const person = await givenResident(hub, municipality);
    const held = await primeReplica<Name>(municipality, NAME, { id: person });
    expect(held.data!.person).toMatchObject({ id: person });

    // As a DV transfer records it: the register's municipality changes.
    await db.sql`update hub.resident set municipality_code = ${MUNICIPALITIES.higashiyama.code}, moved_at = now() where person_id = ${person}`;
    const { result } = await throughReplica<Name>(municipality, NAME, { id: person });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person).toBeNull();
  });
});

describe("an agency's jurisdiction set by a hub administrator (setAgencyJurisdiction)", () => {
  const SET = /* GraphQL */ `
    mutation ($agencyId: ID!, $jurisdiction: [String!]!) {
      setAgencyJurisdiction(agencyId: $agencyId, jurisdiction: $jurisdiction) {
        id
        jurisdiction
      }
    }
  `;
  const asAdmin = async (variables: Record<string, unknown>) =>
    hub.query<{ setAgencyJurisdiction: { id: string; jurisdiction: string[] } }>(
      { authorization: `Bearer ${await hub.token(municipality, { roles: ['hub-admin'] })}` },
      SET,
      variables,
    );

  it('holds from the very next request on the other replica too, its seat always among them', async () => {
    const agencyId = `rezoned-welfare-${Date.now()}`;
    await registerAgency(hub, {
      id: agencyId,
      name: '再編 福祉課',
      domain: 'WELFARE',
      kind: '福祉部局',
      municipalityCode: MUNICIPALITIES.higashiyama.code,
    });
    const person = await givenResident(hub, municipality);
    const unknown = await primeReplica<Name>(agencyId, NAME, { id: person });
    expect(unknown.data!.person).toBeNull();

    const widened = await asAdmin({ agencyId, jurisdiction: [MUNICIPALITIES.minamino.code] });
    expect(widened.errors).toBeUndefined();
    expect(widened.data!.setAgencyJurisdiction.jurisdiction.sort()).toEqual(
      [MUNICIPALITIES.higashiyama.code, MUNICIPALITIES.minamino.code].sort(),
    );
    const served = await throughReplica<Name>(agencyId, NAME, { id: person });
    expect(served.result.errors).toBeUndefined();
    expect(served.result.data!.person).toMatchObject({ id: person });

    // Narrowed to its seat again: the person is answered as an id that names no one.
    const narrowed = await asAdmin({ agencyId, jurisdiction: [] });
    expect(narrowed.data!.setAgencyJurisdiction.jurisdiction).toEqual([MUNICIPALITIES.higashiyama.code]);
    expect((await throughReplica<Name>(agencyId, NAME, { id: person })).result.data!.person).toBeNull();
  });

  it('is refused to anyone but a hub administrator, for an unknown agency and for an unknown municipality, changing nothing', async () => {
    const notAdmin = await hub.query({ agency: municipality }, SET, { agencyId: silver, jurisdiction: ['990002'] });
    expect(notAdmin.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_HUB_ADMIN' });
    const unknownAgency = await asAdmin({ agencyId: 'no-such-agency', jurisdiction: ['990002'] });
    expect(unknownAgency.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'agencyId' });
    const unknownTown = await asAdmin({ agencyId: silver, jurisdiction: ['999999'] });
    expect(unknownTown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_MUNICIPALITY',
      argument: 'jurisdiction',
    });
    const [row] = await db.sql<{ jurisdiction: string[] }[]>`select jurisdiction from hub.agency where id = ${silver}`;
    expect(row!.jurisdiction).toEqual([MUNICIPALITIES.minamino.code]);
  });

  it("is refused for the administrator's own agency (OWN_AGENCY): no agency gives itself an own-domain basis", async () => {
    const elsewhere = await givenResident(hub, AGENCIES.higashiyamaWelfare.id, MUNICIPALITIES.higashiyama.code);
    const own = await asAdmin({ agencyId: municipality, jurisdiction: [MUNICIPALITIES.higashiyama.code] });
    expect(own.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'OWN_AGENCY',
      argument: 'agencyId',
    });
    const [row] = await db.sql<
      { jurisdiction: string[] }[]
    >`select jurisdiction from hub.agency where id = ${municipality}`;
    expect(row!.jurisdiction).toEqual([MUNICIPALITIES.minamino.code]);
    expect((await hub.query<Name>({ agency: municipality }, NAME, { id: elsewhere })).data!.person).toBeNull();
  });
});
