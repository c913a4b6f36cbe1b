// Test helpers that record legal bases through the gateway, as an agency system would: the test kit's
// scenario builders under the names these tests use, and what only the project's own tests look at.

import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { expect } from 'vitest';
import { AGENCIES, type DataCategory } from '@hub/platform';
import { givenConsent, givenEmergency, givenMeeting, readAccessLog, type ScenarioHub } from '@hub/testkit';
import type { AuditEntry } from '@hub/gateway/audit';
import type { TestHub } from './hub.js';

export {
  acknowledge,
  closeMeeting,
  confirmConsent,
  confirmEach,
  daysFromNow,
  givenReferral,
  HOLDERS,
  readAccessLog,
  revokeConsent,
  type ConsentInput,
  type MeetingInput,
} from '@hub/testkit';

export const grantConsent = givenConsent;
export const convene = givenMeeting;

/**
 * The person's access log holds one entry of the request that stated `purpose`: `agencyId` reading her
 * WELFARE_CASE as its own (a hub record's party, or the agency that changed it).
 */
export async function expectReadAsOwn(hub: TestHub, personId: string, agencyId: string, purpose: string) {
  expect((await readAccessLog(hub, personId)).filter((entry) => entry.purpose === purpose)).toEqual([
    expect.objectContaining({
      agency: { id: agencyId },
      categories: ['WELFARE_CASE'],
      allowed: true,
      basis: 'OWN_DOMAIN',
    }),
  ]);
}

export function declareEmergency(
  hub: ScenarioHub,
  agencyId: string,
  personId: string,
  categories: DataCategory[],
): Promise<string> {
  return givenEmergency(hub, agencyId, { personId, categories });
}

type Errors = { path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;

/** The FORBIDDEN errors of a response, as `{ category, reason, personId, path }`. */
export function denials(errors: Errors) {
  return (errors ?? [])
    .filter((e) => e.extensions?.['code'] === 'FORBIDDEN')
    .map((e) => ({
      category: e.extensions?.['category'],
      reason: e.extensions?.['reason'],
      personId: e.extensions?.['personId'],
      path: e.path,
    }));
}

/**
 * Whether a subgraph was sent a request that names this person and selects this field: the proof that
 * denied data was never requested from its owner.
 */
export function askedFor(
  hub: TestHub,
  subgraph: Parameters<TestHub['received']>[0],
  personId: string,
  field: string,
): boolean {
  const selects = new RegExp(`[{\\s:]${field}[\\s{}(]`);
  return hub
    .received(subgraph)
    .some(
      (r) =>
        (JSON.stringify(r.variables ?? {}).includes(personId) || r.query.includes(personId)) && selects.test(r.query),
    );
}

type Denial = { category: DataCategory; reason: string; personId: string; path: (string | number)[] };

/**
 * A response denied exactly one field: the field resolved to null, the response carries the one FORBIDDEN
 * error that names it, and the subgraph that holds it was never asked for it about that person.
 */
export function expectDeniedUnasked(
  hub: TestHub,
  result: { data?: unknown; errors?: Errors },
  subgraph: Parameters<TestHub['received']>[0],
  denial: Denial,
): void {
  const field = denial.path.at(-1);
  if (typeof field !== 'string') throw new Error('a denial’s path ends at a field name');
  const value = denial.path.reduce<unknown>(
    (at, key) => (at as Record<string | number, unknown> | null | undefined)?.[key],
    result.data,
  );
  expect(value).toBeNull();
  expect(denials(result.errors)).toEqual([denial]);
  expect(askedFor(hub, subgraph, denial.personId, field)).toBe(false);
}

/**
 * One decision about `personId` as the access log holds it, to append straight to the log: by default the
 * welfare office reading the person's case on its own domain, overridden as a test needs.
 */
export function auditEntry(personId: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(),
    agencyId: AGENCIES.minaminoWelfare.id,
    staffId: 'staff-1',
    personId,
    categories: ['WELFARE_CASE'],
    allowed: true,
    basis: 'OWN_DOMAIN',
    reason: null,
    consentId: null,
    meetingId: null,
    emergencyId: null,
    operationName: 'PersonCase',
    requestId: randomUUID(),
    purpose: '支援プラン作成',
    ...overrides,
  };
}

/**
 * Runs `body` while the access log refuses every insert (a trigger raising an error), or only the entries
 * of `only.agencyId` (the decisions made for that agency), then lets it write again.
 */
export async function whileAccessLogRefuses<T>(
  hub: TestHub,
  body: () => Promise<T>,
  only: { agencyId?: string } = {},
): Promise<T> {
  const sql = postgres(hub.database.url, { max: 1, onnotice: () => {} });
  const when = only.agencyId ? `when (new.agency_id = '${only.agencyId.replaceAll("'", "''")}')` : '';
  await sql.unsafe(`
    create function hub.refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$;
    create trigger refuse_audit before insert on hub.audit_log for each row ${when} execute function hub.refuse_audit();`);
  try {
    return await body();
  } finally {
    await sql.unsafe(`drop trigger refuse_audit on hub.audit_log; drop function hub.refuse_audit();`);
    await sql.end();
  }
}
