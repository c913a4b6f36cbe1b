// A database connection lost in the middle of a transaction (its backend terminated, a failover, a pooler
// restarting) fails the request it served, and only that one: the gateway keeps serving, and what the
// transaction began is not kept. The database driver wrote a transaction's rollback on the closed socket from
// a deferred callback, where no caller could catch it, and the whole process stopped (patches/postgres+*.patch).

import { describe, expect, it } from 'vitest';
import { AGENCIES, connect, residentId } from '@hub/platform';
import { grantConsent } from './support/bases.js';
import { holdLock } from './support/faults.js';
import { queryAs, useConnection, useTestHub } from './support/hub.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-connection-lost', 2);

const collaborator = AGENCIES.minaminoCollaborator.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const son = residentId('yamada-son');

const REVOKE = 'mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { id revokedAt } }';

// A second connection holds a row lock, which the embedded database (one connection at a time) cannot.
describe.skipIf(!process.env['DATABASE_URL'])('a database connection lost mid-transaction', () => {
  it('fails the mutation whose backend was terminated, keeps nothing of it, and serves the next request', async () => {
    const consent = await grantConsent(hub, collaborator, {
      personId: son,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    const held = await holdLock(db.sql, (tx) => tx`select 1 from hub.consent where id = ${consent} for update`);
    const answer = queryAs(hub, collaborator, REVOKE, { id: consent });
    // The revocation's transaction waits on the lock: its backend is the one waiting.
    let waiting: { pid: number }[] = [];
    for (let tries = 0; !waiting.length && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      waiting = await db.sql<{ pid: number }[]>`
        select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    }
    expect(waiting).toHaveLength(1);
    await db.sql`select pg_terminate_backend(${waiting[0]!.pid})`;
    const result = await answer;
    held.release();
    await held.done;

    expect(result.data?.['revokeConsent'] ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
    const [row] = await db.sql<{ revokedAt: Date | null }[]>`select revoked_at from hub.consent where id = ${consent}`;
    expect(row!.revokedAt).toBeNull();
    // The gateway is still up, and its pool connects again: the same revocation now goes through.
    const again = await queryAs<{ revokeConsent: { id: string; revokedAt: string } }>(hub, collaborator, REVOKE, {
      id: consent,
    });
    expect(again.errors).toBeUndefined();
    expect(again.data!.revokeConsent).toMatchObject({ id: consent });
  });

  it('a pool whose one connection is cut in two transactions in turn connects again each time: none is lost to it', async () => {
    const pool = connect(process.env['DATABASE_URL']!, { name: 'test-connection-lost-pool', max: 1 });
    try {
      for (const cut of [1, 2]) {
        let pid: number | null = null;
        const transaction = pool.sql.begin(async (tx) => {
          const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          pid = row!.pid;
          await tx`select pg_sleep(10)`;
        });
        while (pid === null) await new Promise((resolve) => setTimeout(resolve, 20));
        await db.sql`select pg_terminate_backend(${pid})`;
        await expect(transaction, `cut ${cut}`).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
        // The next statement is served by the pool's one connection, connected again; one lost to the pool
        // would leave it waiting for good.
        const answered = pool.sql<{ one: number }[]>`select 1 as one`;
        const waited = new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000));
        expect(await Promise.race([answered, waited]), `after cut ${cut}`).toEqual([{ one: 1 }]);
      }
    } finally {
      await pool.close();
    }
  }, 60_000);
});
