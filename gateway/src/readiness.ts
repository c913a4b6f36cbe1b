// Readiness of the subgraphs as the gateway sees them, for GET /readyz: each answers its own /readyz (it
// reaches its database) and accepts a request the gateway signed.

import { isUnreachable, SUBGRAPH_NAMES, type Sql, type SubgraphName } from '@hub/platform';
import { isGraphQLResponse } from './enforce/data-source.js';
import type { SystemRequest } from './hub/system-reads.js';

/** How long readiness waits for each subgraph's answers. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Why a subgraph is not ready: out of reach, not ready itself (its database), refusing the gateway's signature,
 * or answering at its URL, but not as a subgraph (a web page, a health endpoint at a wrong path).
 */
export type SubgraphProblem = 'UNREACHABLE' | 'NOT_READY' | 'SIGNATURE_REFUSED' | 'NOT_A_SUBGRAPH';

/**
 * Whether a subgraph is ready for the gateway (null) or why not: its own /readyz (it reaches its database)
 * answers ok, and it accepts a request the gateway signed (`signed`), so that a subgraph holding the wrong
 * verification keys is not ready either.
 */
async function probeSubgraph(
  url: string,
  signed: (signal: AbortSignal) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>,
): Promise<SubgraphProblem | null> {
  try {
    const [own, accepted] = await Promise.all([
      fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }),
      signed(AbortSignal.timeout(PROBE_TIMEOUT_MS)),
    ]);
    const [, answer] = await Promise.all([own.text(), accepted.text()]);
    if (accepted.status === 401 || accepted.status === 403) return 'SIGNATURE_REFUSED';
    if (accepted.status >= 500) return 'NOT_READY';
    if (!answersAsSubgraph(answer)) return 'NOT_A_SUBGRAPH';
    return own.ok ? null : 'NOT_READY';
  } catch {
    return 'UNREACHABLE';
  }
}

/** Whether the answer to the signed `{ __typename }` is a subgraph's: a GraphQL response naming its Query. */
function answersAsSubgraph(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    return isGraphQLResponse(body) && body.data?.['__typename'] === 'Query';
  } catch {
    return false;
  }
}

/** Why the hub's database fails readiness: out of reach, its access log locked, or unreadable (gone, no grant). */
function databaseProblemOf(error: unknown): 'UNREACHABLE' | 'ACCESS_LOG_LOCKED' | 'ACCESS_LOG_UNREADABLE' {
  if (isUnreachable(error)) return 'UNREACHABLE';
  // 55P03 lock_not_available: the lock was not granted within lock_timeout.
  return (error as { code?: unknown }).code === '55P03' ? 'ACCESS_LOG_LOCKED' : 'ACCESS_LOG_UNREADABLE';
}

type DatabaseProblem = ReturnType<typeof databaseProblemOf> | null;

/** The probe of the access log running now, per database: callers while it runs share it (one connection). */
const probing = new WeakMap<Sql, Promise<DatabaseProblem>>();

/**
 * The access log is what every answer waits on: a database that answers while its table is gone (or
 * unreadable to the gateway's role) fails every read closed, so the gateway is not ready either; one whose
 * table another session locks against appends (a migration, `create index`, a manual `lock table`) keeps
 * every answer waiting. The probe takes the lock an append takes (ROW EXCLUSIVE, which only a lock that
 * blocks appends conflicts with) and waits for it no longer than its time, so it leaves nothing queued behind
 * the lock; probes asked while one runs share it, so a burst of them holds one connection of the pool. Within
 * the probe's time as a subgraph's: a database the pool cannot reach is not waited for.
 */
function accessLogProblem(sql: Sql): Promise<DatabaseProblem> {
  const running = probing.get(sql);
  if (running) return running;
  let timer: NodeJS.Timeout | undefined;
  const probe = Promise.race([
    sql
      .begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${String(PROBE_TIMEOUT_MS)}, true)`;
        await tx`lock table hub.audit_log in row exclusive mode`;
        await tx`select 1 from hub.audit_log limit 0`;
      })
      .then(
        () => null,
        (error: unknown) => databaseProblemOf(error),
      ),
    new Promise<'UNREACHABLE'>((resolve) => (timer = setTimeout(resolve, PROBE_TIMEOUT_MS + 500, 'UNREACHABLE'))),
  ]).finally(() => {
    clearTimeout(timer);
    probing.delete(sql);
  });
  probing.set(sql, probe);
  return probe;
}

/**
 * GET /readyz: the database answers with the access log readable, and every subgraph is ready for the
 * gateway (probeSubgraph); when one is not, why, so an operator need not search the logs for it.
 */
export async function readiness(
  sql: Sql,
  urls: Readonly<Record<SubgraphName, string>>,
  systemPost: SystemRequest,
): Promise<{ ok: boolean; detail: Record<string, unknown> }> {
  const databaseProblem = await accessLogProblem(sql);
  const database = databaseProblem === null;
  const found = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const signed = (signal: AbortSignal) => systemPost(name, urls[name], { query: '{ __typename }' }, [], signal);
      return [name, await probeSubgraph(urls[name], signed)] as const;
    }),
  );
  const subgraphs = Object.fromEntries(found.map(([name, problem]) => [name, problem === null]));
  const problems = {
    ...(databaseProblem ? { database: databaseProblem } : {}),
    ...Object.fromEntries(found.filter(([, problem]) => problem !== null)),
  };
  const ok = database && found.every(([, problem]) => problem === null);
  return { ok, detail: { database, subgraphs, ...(ok ? {} : { problems }) } };
}
