// The agency register's changes (CONTRACT.md "Every access is decided and logged"): whatever a hub
// administrator changes of an agency through the API (its registration, jurisdiction, switch-off and on,
// rate limit) is recorded with who changed it, when, and what it was before and after, in the change's own
// transaction; a refused change records nothing. An auditor alone reads the record (agencyChanges).

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AGENCIES, MUNICIPALITIES } from '@hub/platform';
import { useConnection, useTestHub } from './support/hub.js';
import { captureLogs } from './support/logs.js';
import type { Role } from '@hub/gateway/roles';

const { logger, lines } = captureLogs();
const hub = useTestHub({ logger });
const db = useConnection(hub, 'test-agency-changes', 1);

const admin = AGENCIES.minaminoWelfare.id;
const minamino = MUNICIPALITIES.minamino.code;
const higashiyama = MUNICIPALITIES.higashiyama.code;

interface ControlState {
  jurisdiction: string[];
  rateLimitPerMinute: number | null;
  active: boolean;
}
interface Change {
  id: string;
  at: string;
  change: string;
  agencyId: string;
  agencyDomain: string;
  agencyMunicipalityCode: string;
  changedByAgencyId: string;
  changedByStaffId: string;
  requestId: string;
  before: ControlState | null;
  after: ControlState;
}

const CHANGES = /* GraphQL */ `
  query ($agencyId: ID, $first: Int, $after: ID) {
    agencyChanges(agencyId: $agencyId, first: $first, after: $after) {
      id
      at
      change
      agencyId
      agencyDomain
      agencyMunicipalityCode
      changedByAgencyId
      changedByStaffId
      requestId
      before {
        jurisdiction
        rateLimitPerMinute
        active
      }
      after {
        jurisdiction
        rateLimitPerMinute
        active
      }
    }
  }
`;

const MUTATIONS = {
  register: `mutation ($input: RegisterAgencyInput!) { registerAgency(input: $input) { id } }`,
  jurisdiction: `mutation ($agencyId: ID!, $jurisdiction: [String!]!) {
    setAgencyJurisdiction(agencyId: $agencyId, jurisdiction: $jurisdiction) { id } }`,
  rateLimit: `mutation ($agencyId: ID!, $perMinute: Int) { setAgencyRateLimit(agencyId: $agencyId, perMinute: $perMinute) { id } }`,
  deactivate: `mutation ($id: ID!) { deactivateAgency(id: $id) { id } }`,
  reactivate: `mutation ($id: ID!) { reactivateAgency(id: $id) { id } }`,
};

/** A request as `agency`'s staff member `sub`, with `roles`; its answer and the request id it was given. */
async function as(agency: string, sub: string, roles: Role[], query: string, variables: Record<string, unknown>) {
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await hub.token(agency, { sub, roles })}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: object }[] };
  return { ...body, requestId: response.headers.get('x-request-id') };
}

const asAdmin = (query: string, variables: Record<string, unknown>, sub = 'admin-staff-1') =>
  as(admin, sub, ['hub-admin'], query, variables);

async function changesOf(agencyId: string | null, page: { first?: number; after?: string } = {}) {
  const answer = await as(AGENCIES.higashiyamaWelfare.id, 'auditor-staff', ['auditor'], CHANGES, {
    agencyId,
    ...page,
  });
  expect(answer.errors).toBeUndefined();
  return (answer.data as { agencyChanges: Change[] }).agencyChanges;
}

const countOfRecords = async () =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from hub.agency_change`)[0]!.n;

async function registered(id: string): Promise<void> {
  const answer = await asAdmin(MUTATIONS.register, {
    input: { id, name: '試験 福祉課', domain: 'WELFARE', municipalityCode: higashiyama },
  });
  expect(answer.errors).toBeUndefined();
}

describe('the agency register keeps a record of every change a hub administrator makes', () => {
  it('records each change with who made it, when, to which agency, and what it was before and after', async () => {
    const agencyId = `changed-welfare-${Date.now()}`;
    const registration = await asAdmin(MUTATIONS.register, {
      input: {
        id: agencyId,
        name: '試験 福祉課',
        domain: 'WELFARE',
        municipalityCode: higashiyama,
        rateLimitPerMinute: 300,
      },
    });
    expect(registration.errors).toBeUndefined();
    const widened = await asAdmin(MUTATIONS.jurisdiction, { agencyId, jurisdiction: [minamino] }, 'admin-staff-2');
    expect(widened.errors).toBeUndefined();
    expect((await asAdmin(MUTATIONS.rateLimit, { agencyId, perMinute: null })).errors).toBeUndefined();
    expect((await asAdmin(MUTATIONS.deactivate, { id: agencyId })).errors).toBeUndefined();
    expect((await asAdmin(MUTATIONS.reactivate, { id: agencyId })).errors).toBeUndefined();

    const changes = await changesOf(agencyId);
    expect(changes.map((c) => c.change)).toEqual([
      'REACTIVATED',
      'DEACTIVATED',
      'RATE_LIMIT_SET',
      'JURISDICTION_SET',
      'REGISTERED',
    ]);
    for (const change of changes) {
      expect(change).toMatchObject({
        agencyId,
        agencyDomain: 'WELFARE',
        agencyMunicipalityCode: higashiyama,
        changedByAgencyId: admin,
      });
      expect(Date.parse(change.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    const [reactivated, deactivated, rateLimit, jurisdiction, registered] = changes;
    const seat = [higashiyama];
    const both = [higashiyama, minamino];
    expect(registered).toMatchObject({
      changedByStaffId: 'admin-staff-1',
      requestId: registration.requestId,
      before: null,
      after: { jurisdiction: seat, rateLimitPerMinute: 300, active: true },
    });
    // Who opened a town to whom, and when: the jurisdiction before and after.
    expect(jurisdiction).toMatchObject({
      changedByStaffId: 'admin-staff-2',
      requestId: widened.requestId,
      before: { jurisdiction: seat, rateLimitPerMinute: 300, active: true },
      after: { jurisdiction: both, rateLimitPerMinute: 300, active: true },
    });
    expect(rateLimit).toMatchObject({
      before: { jurisdiction: both, rateLimitPerMinute: 300, active: true },
      after: { jurisdiction: both, rateLimitPerMinute: null, active: true },
    });
    expect(deactivated).toMatchObject({
      before: { active: true },
      after: { jurisdiction: both, rateLimitPerMinute: null, active: false },
    });
    expect(reactivated).toMatchObject({ before: { active: false }, after: { active: true } });

    // The process log has a line for each, with ids and values only.
    const logged = lines.filter((line) => line['msg'] === 'agency register changed' && line['agencyId'] === agencyId);
    expect(logged.map((line) => line['change'])).toEqual([
      'REGISTERED',
      'JURISDICTION_SET',
      'RATE_LIMIT_SET',
      'DEACTIVATED',
      'REACTIVATED',
    ]);
    expect(logged[1]).toMatchObject({
      requestId: widened.requestId,
      agency: admin,
      staff: 'admin-staff-2',
      jurisdictionBefore: seat,
      jurisdictionAfter: both,
    });
    expect(JSON.stringify(logged)).not.toContain('試験');
  });

  it('records nothing for a refused change (NOT_A_HUB_ADMIN, OWN_AGENCY, an unknown agency, ALREADY_REGISTERED)', async () => {
    const agencyId = `refused-welfare-${Date.now()}`;
    await registered(agencyId);
    const before = await countOfRecords();
    const refusals = [
      await as(admin, 'staff', [], MUTATIONS.jurisdiction, { agencyId, jurisdiction: [minamino] }),
      await as(admin, 'staff', ['auditor'], MUTATIONS.deactivate, { id: agencyId }),
      await as(admin, 'staff', [], MUTATIONS.rateLimit, { agencyId, perMinute: 5 }),
      await as(admin, 'staff', [], MUTATIONS.reactivate, { id: agencyId }),
      await as(admin, 'staff', [], MUTATIONS.register, {
        input: { id: `${agencyId}-2`, name: '試験', domain: 'WELFARE', municipalityCode: higashiyama },
      }),
      await asAdmin(MUTATIONS.jurisdiction, { agencyId: admin, jurisdiction: [higashiyama] }),
      await asAdmin(MUTATIONS.deactivate, { id: admin }),
      await asAdmin(MUTATIONS.jurisdiction, { agencyId: 'no-such-agency', jurisdiction: [minamino] }),
      await asAdmin(MUTATIONS.jurisdiction, { agencyId, jurisdiction: ['999999'] }),
      await asAdmin(MUTATIONS.rateLimit, { agencyId: 'no-such-agency', perMinute: 5 }),
      await asAdmin(MUTATIONS.rateLimit, { agencyId, perMinute: 0 }),
      await asAdmin(MUTATIONS.deactivate, { id: 'no-such-agency' }),
      await asAdmin(MUTATIONS.reactivate, { id: 'no-such-agency' }),
      await asAdmin(MUTATIONS.register, {
        input: { id: agencyId, name: '試験', domain: 'WELFARE', municipalityCode: higashiyama },
      }),
    ];
    expect(
      refusals.map((r) => (r.errors?.[0]?.extensions as { reason?: string; code?: string })?.reason ?? 'x'),
    ).toEqual([
      'NOT_A_HUB_ADMIN',
      'NOT_A_HUB_ADMIN',
      'NOT_A_HUB_ADMIN',
      'NOT_A_HUB_ADMIN',
      'NOT_A_HUB_ADMIN',
      'OWN_AGENCY',
      'OWN_AGENCY',
      'x',
      'UNKNOWN_MUNICIPALITY',
      'x',
      'OUT_OF_RANGE',
      'x',
      'x',
      'ALREADY_REGISTERED',
    ]);
    for (const refused of refusals) expect(refused.errors).toBeDefined();
    expect(await countOfRecords()).toBe(before);
    expect((await changesOf(agencyId)).map((c) => c.change)).toEqual(['REGISTERED']);
    const unknown = await as(AGENCIES.higashiyamaWelfare.id, 'auditor-staff', ['auditor'], CHANGES, {
      agencyId: 'no-such-agency',
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'agencyId',
      reason: 'UNKNOWN_AGENCY',
    });
  });

  it('records nothing for a request that changes nothing: no record without its change', async () => {
    const agencyId = `unchanged-welfare-${Date.now()}`;
    await registered(agencyId);
    const before = await countOfRecords();
    const unchanged = [
      await asAdmin(MUTATIONS.jurisdiction, { agencyId, jurisdiction: [higashiyama] }),
      await asAdmin(MUTATIONS.rateLimit, { agencyId, perMinute: null }),
      await asAdmin(MUTATIONS.reactivate, { id: agencyId }),
    ];
    for (const answer of unchanged) expect(answer.errors).toBeUndefined();
    expect(await countOfRecords()).toBe(before);
    expect((await asAdmin(MUTATIONS.deactivate, { id: agencyId })).errors).toBeUndefined();
    expect((await asAdmin(MUTATIONS.deactivate, { id: agencyId })).errors).toBeUndefined();
    expect(await countOfRecords()).toBe(before + 1);
    expect((await changesOf(agencyId)).map((c) => c.change)).toEqual(['DEACTIVATED', 'REGISTERED']);
  });

  it('changes nothing when its record cannot be written: no change without its record', async () => {
    const agencyId = `unrecorded-welfare-${Date.now()}`;
    await registered(agencyId);
    await db.sql.unsafe(`
      create function hub.test_agency_change_refused() returns trigger language plpgsql as $$
        begin raise exception 'refused by the test'; end $$;
      create trigger test_agency_change_refused before insert on hub.agency_change
        for each row execute function hub.test_agency_change_refused()`);
    try {
      const widened = await asAdmin(MUTATIONS.jurisdiction, { agencyId, jurisdiction: [minamino] });
      expect(widened.errors).toBeDefined();
      const registration = await asAdmin(MUTATIONS.register, {
        input: { id: `${agencyId}-2`, name: '試験', domain: 'WELFARE', municipalityCode: higashiyama },
      });
      expect(registration.errors).toBeDefined();
    } finally {
      await db.sql.unsafe(`
        drop trigger test_agency_change_refused on hub.agency_change;
        drop function hub.test_agency_change_refused()`);
    }
    const rows = await db.sql<{ id: string; jurisdiction: string[] }[]>`
      select id, jurisdiction from hub.agency where id in (${agencyId}, ${`${agencyId}-2`})`;
    expect(rows).toEqual([{ id: agencyId, jurisdiction: [higashiyama] }]);
  });
});

describe('agencyChanges', () => {
  it('is refused to anyone but an auditor (NOT_AN_AUDITOR), a hub administrator included', async () => {
    for (const roles of [[], ['hub-admin']] satisfies Role[][]) {
      const refused = await as(admin, 'staff', roles, CHANGES, {});
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_AN_AUDITOR' });
    }
  });

  it('pages newest first; `after` must be a change of the list (INVALID_CURSOR)', async () => {
    const agencyId = `paged-welfare-${Date.now()}`;
    await registered(agencyId);
    for (const perMinute of [10, 20, 30, 40]) {
      expect((await asAdmin(MUTATIONS.rateLimit, { agencyId, perMinute })).errors).toBeUndefined();
    }
    const all = await changesOf(agencyId);
    expect(all.map((c) => c.after.rateLimitPerMinute)).toEqual([40, 30, 20, 10, null]);
    const first = await changesOf(agencyId, { first: 2 });
    expect(first.map((c) => c.id)).toEqual(all.slice(0, 2).map((c) => c.id));
    const second = await changesOf(agencyId, { first: 2, after: first[1]!.id });
    expect(second.map((c) => c.id)).toEqual(all.slice(2, 4).map((c) => c.id));
    const last = await changesOf(agencyId, { first: 2, after: second[1]!.id });
    expect(last.map((c) => c.id)).toEqual(all.slice(4).map((c) => c.id));

    // Every agency's changes, newest first: this agency's last change leads.
    const everyone = await changesOf(null, { first: 1 });
    expect(everyone.map((c) => c.id)).toEqual([all[0]!.id]);

    const otherAgency = `paged-other-${Date.now()}`;
    await registered(otherAgency);
    const foreign = (await changesOf(otherAgency))[0]!.id;
    for (const after of [foreign, randomUUID(), 'not-an-id']) {
      const refused = await as(AGENCIES.higashiyamaWelfare.id, 'auditor', ['auditor'], CHANGES, {
        agencyId,
        after,
      });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'after',
        reason: 'INVALID_CURSOR',
      });
    }
  });
});
