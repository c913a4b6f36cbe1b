// Each agency's requests per minute (RATE_LIMIT_PER_MINUTE, or the agency's own limit), and switching an
// agency off: what a hub administrator controls, seen through the gateway, with two gateway replicas on
// one database for the switch.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '@hub/gateway/server';
import { AGENCIES, residentId } from '@hub/platform';
import { startGatewayReplica, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';
import { captureLogs } from './support/logs.js';
import type { Role } from '@hub/gateway/roles';

/** The hub's limit for every agency without its own: small, so a test reaches it in a few requests. */
const PER_MINUTE = 3;

const hub = useTestHub({ limits: { rateLimitPerMinute: PER_MINUTE } });
const db = useConnection(hub, 'test-rate-limits');
let replica: RunningGateway;

beforeAll(async () => {
  // A second gateway replica on the same database, with its own buckets and its own checkpoint file.
  replica = await startGatewayReplica(hub);
  // The administrator's own agency gets room for every control this file exercises.
  await control(`mutation { setAgencyRateLimit(agencyId: "${admin}", perMinute: 1000) { id } }`);
});

afterAll(async () => {
  await replica?.close();
});

const admin = AGENCIES.minaminoWelfare.id;

interface Sent<TData> extends GraphQLResponse<TData> {
  retryAfter: string | null;
}

async function send<TData = Record<string, unknown>>(
  url: string,
  agency: string,
  query: string,
  variables: Record<string, unknown> = {},
  roles: Role[] = [],
): Promise<Sent<TData>> {
  const token = await hub.token(agency, { roles });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { ...body, status: response.status, retryAfter: response.headers.get('retry-after') };
}

const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.['code'];

async function control<TData = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
  const result = await send<TData>(hub.gatewayUrl, admin, query, variables, ['hub-admin']);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

const READ_PERSON = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      id
      name
    }
  }
`;

const readPerson = (agency: string, url = hub.gatewayUrl) =>
  send(url, agency, READ_PERSON, { id: residentId('watanabe') });

const auditEntries = async () =>
  (await db.sql<{ count: number }[]>`select count(*)::int as count from hub.audit_log`)[0]!.count;

describe('requests per minute of each agency', () => {
  it('over RATE_LIMIT_PER_MINUTE: 429 with Retry-After and RATE_LIMITED, and nothing read or logged', async () => {
    const agency = AGENCIES.helloWorkMinamino.id;
    for (let i = 0; i < PER_MINUTE; i++) expect((await readPerson(agency)).status).toBe(200);
    const before = await auditEntries();
    const refused = await readPerson(agency);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0]!.extensions!['retryAfterSeconds']).toBe(Number(refused.retryAfter));
    expect(refused.data).toBeUndefined();
    expect(await auditEntries()).toBe(before);
  });

  it("counts each agency on its own: another agency's requests still pass", async () => {
    expect((await readPerson(AGENCIES.minaminoSilver.id)).status).toBe(200);
  });

  it("an agency's own limit replaces the hub's, higher or lower, and is readable on Agency", async () => {
    const generous = AGENCIES.minaminoKokoro.id;
    const strict = AGENCIES.midoriHealthCentre.id;
    const set = /* GraphQL */ `
      mutation ($agencyId: ID!, $perMinute: Int) {
        setAgencyRateLimit(agencyId: $agencyId, perMinute: $perMinute) {
          id
          rateLimitPerMinute
        }
      }
    `;
    expect(await control(set, { agencyId: generous, perMinute: 10 })).toEqual({
      setAgencyRateLimit: { id: generous, rateLimitPerMinute: 10 },
    });
    await control(set, { agencyId: strict, perMinute: 1 });
    for (let i = 0; i < PER_MINUTE + 2; i++) expect((await readPerson(generous)).status).toBe(200);
    expect((await readPerson(strict)).status).toBe(200);
    expect((await readPerson(strict)).status).toBe(429);

    const read = await control<{ agency: { rateLimitPerMinute: number | null } }>(
      /* GraphQL */ `
        query ($id: ID!) {
          agency(id: $id) {
            rateLimitPerMinute
          }
        }
      `,
      { id: strict },
    );
    expect(read.agency.rateLimitPerMinute).toBe(1);
    await control(set, { agencyId: strict, perMinute: null });
  });

  it('an agency registered with its own limit is held to it from its first request', async () => {
    const registered = await control<{ registerAgency: { id: string; rateLimitPerMinute: number; active: boolean } }>(
      /* GraphQL */ `
        mutation ($input: RegisterAgencyInput!) {
          registerAgency(input: $input) {
            id
            rateLimitPerMinute
            active
          }
        }
      `,
      {
        input: {
          id: 'minamino-npo-limited',
          name: 'NPO法人 みなみ野の居場所',
          domain: 'WELFARE',
          kind: '参加支援事業者',
          municipalityCode: '990001',
          rateLimitPerMinute: 1,
        },
      },
    );
    expect(registered.registerAgency).toEqual({ id: 'minamino-npo-limited', rateLimitPerMinute: 1, active: true });
    expect((await readPerson('minamino-npo-limited')).status).toBe(200);
    expect((await readPerson('minamino-npo-limited')).status).toBe(429);
  });

  it('only a hub administrator sets a rate limit, within 1 to 1000000', async () => {
    const set = `mutation { setAgencyRateLimit(agencyId: "${AGENCIES.minaminoKokoro.id}", perMinute: 5) { id } }`;
    expect(codeOf(await send(hub.gatewayUrl, AGENCIES.minaminoCollaborator.id, set))).toBe('FORBIDDEN');
    const zero = await send(
      hub.gatewayUrl,
      admin,
      `mutation { setAgencyRateLimit(agencyId: "${AGENCIES.minaminoKokoro.id}", perMinute: 0) { id } }`,
      {},
      ['hub-admin'],
    );
    expect(codeOf(zero)).toBe('BAD_USER_INPUT');
    const unknown = await send(
      hub.gatewayUrl,
      admin,
      `mutation { setAgencyRateLimit(agencyId: "no-such-agency", perMinute: 5) { id } }`,
      {},
      ['hub-admin'],
    );
    expect(codeOf(unknown)).toBe('NOT_FOUND');
  });
});

describe('switching an agency off (deactivateAgency)', () => {
  const DEACTIVATE = /* GraphQL */ `
    mutation ($id: ID!) {
      deactivateAgency(id: $id) {
        id
        active
        deactivatedAt
      }
    }
  `;
  const REACTIVATE = /* GraphQL */ `
    mutation ($id: ID!) {
      reactivateAgency(id: $id) {
        id
        active
        deactivatedAt
      }
    }
  `;

  /** explainAccess of the agency reading the person's hikikomori support, as the municipality's welfare office asks. */
  async function explained(agencyId: string) {
    const result = await send<{ explainAccess: { allowed: boolean; basis: string | null; reason: string | null } }>(
      hub.gatewayUrl,
      admin,
      `query ($p: ID!, $a: ID!) { explainAccess(personId: $p, category: HIKIKOMORI, agencyId: $a) { allowed basis reason } }`,
      { p: residentId('watanabe'), a: agencyId },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.explainAccess;
  }

  it("refuses the agency's tokens with 401 from the next request on, on every gateway replica", async () => {
    const agency = AGENCIES.minaminoHikikomori.id;
    expect((await readPerson(agency, hub.gatewayUrl)).status).toBe(200);
    expect((await readPerson(agency, replica.url)).status).toBe(200);
    expect(await explained(agency)).toEqual({ allowed: true, basis: 'OWN_DOMAIN', reason: null });

    const deactivated = await control<{ deactivateAgency: { active: boolean; deactivatedAt: string | null } }>(
      DEACTIVATE,
      { id: agency },
    );
    expect(deactivated.deactivateAgency.active).toBe(false);
    expect(deactivated.deactivateAgency.deactivatedAt).not.toBeNull();

    const before = await auditEntries();
    for (const url of [hub.gatewayUrl, replica.url]) {
      const refused = await readPerson(agency, url);
      expect(refused.status).toBe(401);
      expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      expect(refused.errors![0]!.extensions!['reason']).toBe('AGENCY_DEACTIVATED');
    }
    expect(await auditEntries()).toBe(before);
    // explainAccess says what a request of the agency would meet now, not what its bases would allow.
    expect(await explained(agency)).toEqual({ allowed: false, basis: null, reason: 'AGENCY_DEACTIVATED' });

    expect(await control(REACTIVATE, { id: agency })).toEqual({
      reactivateAgency: { id: agency, active: true, deactivatedAt: null },
    });
    expect((await readPerson(agency, replica.url)).status).toBe(200);
    expect(await explained(agency)).toEqual({ allowed: true, basis: 'OWN_DOMAIN', reason: null });
  });

  it('switched on again, the agency starts with new tokens: one issued before it was switched off stays refused (TOKEN_REVOKED)', async () => {
    const agency = AGENCIES.minaminoSelfReliance.id;
    const held = await hub.token(agency);
    const withHeld = async () => {
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${held}` },
        body: JSON.stringify({ query: READ_PERSON, variables: { id: residentId('watanabe') } }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse };
    };
    expect((await withHeld()).status).toBe(200);
    // A token's iat is in whole seconds: the switch happens in a later second than the held token's.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await control(DEACTIVATE, { id: agency });
    await control(REACTIVATE, { id: agency });
    const refused = await withHeld();
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_REVOKED' });
    expect((await readPerson(agency)).status).toBe(200);
    // Reactivating an agency that is on changes nothing: its new tokens stay good.
    await control(REACTIVATE, { id: agency });
    expect((await readPerson(agency)).status).toBe(200);
  });

  it('names no deactivated agency: no consent, meeting seat, referral or urgent report is given to it', async () => {
    const off = AGENCIES.minaminoChildSupport.id;
    const person = residentId('takahashi');
    const meeting = await control<{ conveneMeeting: { id: string } }>(
      `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { id } }`,
      {
        input: {
          kind: 'SUPPORT_MEETING',
          title: '個別ケース検討会議',
          subjectPersonIds: [person],
          sharedCategories: ['WELFARE_CASE'],
          startsAt: '2020-01-01T00:00:00Z',
          endsAt: '2100-01-01T00:00:00Z',
        },
      },
    );
    await control(DEACTIVATE, { id: off });
    const attempts: [string, Record<string, unknown>, string][] = [
      [
        `mutation ($input: GrantConsentInput!) { grantConsent(input: $input) { id } }`,
        {
          input: {
            personId: person,
            recipientAgencyIds: [off],
            categories: ['WELFARE_CASE'],
            purpose: '支援プラン作成',
            validFrom: '2020-01-01T00:00:00Z',
            validUntil: '2100-01-01T00:00:00Z',
            method: 'WRITTEN',
            evidenceRef: '同意書-1',
          },
        },
        'recipientAgencyIds',
      ],
      [
        `mutation ($m: ID!, $a: ID!) { addMeetingMember(meetingId: $m, agencyId: $a) { id } }`,
        { m: meeting.conveneMeeting.id, a: off },
        'agencyId',
      ],
      [
        `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
        { input: { personId: person, toAgencyId: off, categories: ['WELFARE_CASE'], reason: '養育の相談' } },
        'toAgencyId',
      ],
      [
        `mutation ($input: RecordAbuseReportInput!) { recordAbuseReport(input: $input) { receiptNumber } }`,
        { input: { personId: person, kind: 'NEGLECT', urgency: 'ROUTINE', receivingAgencyId: off, summary: '試験' } },
        'receivingAgencyId',
      ],
    ];
    try {
      for (const [mutation, variables, argument] of attempts) {
        const refused = await send(hub.gatewayUrl, admin, mutation, variables);
        expect(refused.data ? Object.values(refused.data).every((v) => v === null) : true).toBe(true);
        expect(refused.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          reason: 'AGENCY_DEACTIVATED',
          argument,
        });
      }
      const members = await control<{ meeting: { members: { agency: { id: string } }[] } }>(
        `query ($id: ID!) { meeting(id: $id) { members { agency { id } } } }`,
        { id: meeting.conveneMeeting.id },
      );
      expect(members.meeting.members.map((m) => m.agency.id)).not.toContain(off);
    } finally {
      await control(REACTIVATE, { id: off });
    }
    // Switched on again, the same agency may be named.
    const seated = await send(
      hub.gatewayUrl,
      admin,
      `mutation ($m: ID!, $a: ID!) { addMeetingMember(meetingId: $m, agencyId: $a) { id } }`,
      { m: meeting.conveneMeeting.id, a: off },
    );
    expect(seated.errors).toBeUndefined();
  });

  it('is for hub administrators only, and not for their own agency', async () => {
    const other = AGENCIES.minaminoSelfReliance.id;
    const byAgency = await send(hub.gatewayUrl, AGENCIES.minaminoCollaborator.id, DEACTIVATE, { id: other });
    expect(codeOf(byAgency)).toBe('FORBIDDEN');
    const byAuditor = await send(hub.gatewayUrl, AGENCIES.midoriChildGuidance.id, REACTIVATE, { id: other }, [
      'auditor',
    ]);
    expect(codeOf(byAuditor)).toBe('FORBIDDEN');
    expect(byAuditor.errors?.[0]?.extensions?.['reason']).toBe('NOT_A_HUB_ADMIN');
    const own = await send(hub.gatewayUrl, admin, DEACTIVATE, { id: admin }, ['hub-admin']);
    expect(codeOf(own)).toBe('BAD_USER_INPUT');
    const agencies = await control<{ agencies: { id: string; active: boolean }[] }>(`{ agencies { id active } }`);
    expect(agencies.agencies.every((a) => a.active)).toBe(true);
  });
});

describe('a batch of operations (ALLOW_BATCHED_REQUESTS)', () => {
  it('refused while batching is off, a batch takes one request of the limit, not one per operation', async () => {
    const agency = AGENCIES.minaminoHoukatsu.id;
    const token = await hub.token(agency);
    const refused = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(Array.from({ length: PER_MINUTE + 2 }, () => ({ query: '{ agencies { id } }' }))),
    });
    expect(refused.status).toBe(400);
    await refused.text();
    expect((await send(hub.gatewayUrl, agency, '{ agencies { id } }')).status).toBe(200);
  });

  it('counts each of its operations against the limit, and each refusal is a line of the log', async () => {
    const { logger, lines } = captureLogs();
    const batching = await startGatewayReplica(hub, {
      config: {
        ...hub.config,
        limits: { ...hub.config.limits, allowBatchedRequests: true },
        audit: { ...hub.config.audit, checkpointFile: `${hub.config.audit.checkpointFile}.batching` },
      },
      logger,
    });
    try {
      const agency = AGENCIES.minaminoSilver.id;
      const token = await hub.token(agency);
      const batch = (operations: number) =>
        fetch(batching.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(Array.from({ length: operations }, () => ({ query: '{ agencies { id } }' }))),
        });

      // More than a minute's requests can never fit: refused as such, not told to retry, and nothing taken.
      const overTheLimit = await batch(PER_MINUTE + 1);
      expect(overTheLimit.status).toBe(400);
      expect(overTheLimit.headers.get('retry-after')).toBeNull();
      expect(((await overTheLimit.json()) as GraphQLResponse).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_REQUEST',
        reason: 'BATCH_TOO_LARGE',
      });
      const withinIt = await batch(PER_MINUTE - 1);
      expect(withinIt.status).toBe(200);
      expect(await withinIt.json()).toHaveLength(PER_MINUTE - 1);
      // One request's worth is left of the minute: a batch of two does not fit yet.
      const notYet = await batch(2);
      expect(notYet.status).toBe(429);
      expect(notYet.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

      const refusals = lines.filter((line) => String(line['msg']).startsWith('request refused:'));
      expect(refusals.map((line) => [line['msg'], line['agency'], line['operations']])).toEqual([
        ['request refused: batch over the rate limit', agency, PER_MINUTE + 1],
        ['request refused: rate limited', agency, 2],
      ]);
    } finally {
      await batching.close();
    }
  });
});
