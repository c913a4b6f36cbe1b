// What the access-log checkpoint tests do alike: grow the log by real reads, verify it as an auditor
// through a gateway, and cut its tail as a superuser who switched its append-only triggers off.

import { expect } from 'vitest';
import { AGENCIES, residentId, type Database } from '@hub/platform';
import type { TestHub } from './hub.js';

/** Reads a resident's name `times` times as a welfare office, so the access log grows by real decisions. */
export async function readPeople(hub: TestHub, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const result = await hub.query(
      { agency: AGENCIES.minaminoWelfare.id },
      'query ($id: ID!) { person(id: $id) { name } }',
      { id: residentId('watanabe') },
    );
    expect(result.errors).toBeUndefined();
  }
}

/** `query` (a verifyAccessLog selection) asked by an auditor of the gateway at `gatewayUrl`. */
export async function verifyThrough(hub: TestHub, gatewayUrl: string, query: string): Promise<Record<string, unknown>> {
  const token = await hub.token(AGENCIES.minaminoKokoro.id, { roles: ['auditor'] });
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const result = (await response.json()) as { data?: { verifyAccessLog: Record<string, unknown> }; errors?: unknown };
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.verifyAccessLog;
}

/** Deletes the access log's entries from `fromId` on, as a superuser who switched its triggers off. */
export const cutTail = (db: Database, fromId: string | null) =>
  db.sql.begin(async (tx) => {
    await tx`alter table hub.audit_log disable trigger user`;
    await tx`delete from hub.audit_log where id >= ${fromId}::bigint`;
    await tx`alter table hub.audit_log enable trigger user`;
  });
