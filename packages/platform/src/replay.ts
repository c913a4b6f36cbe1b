// Single use of a gateway signature across every replica of a subgraph: each accepted jti is written
// to a table in the subgraph's own schema (jti unique), and rows past their lifetime are pruned.

import { fileURLToPath } from 'node:url';
import type { Sql } from 'postgres';
import { describeSafely } from './errors.js';
import type { Logger } from './logger.js';
import type { ReplayGuard } from './signing.js';

/** Migrations every subgraph runs into its own schema besides its own (the signature_uses table). */
export const SUBGRAPH_PLATFORM_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/subgraph', import.meta.url));
/** Recorded before those files' names in the subgraph's schema_migrations. */
export const SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX = 'platform/';

export interface SharedReplayGuardOptions {
  /**
   * How often expired rows are deleted, in milliseconds.
   * @default 60000
   */
  pruneEveryMs?: number;
  logger?: Logger;
}

export interface SharedReplayGuard extends ReplayGuard {
  /** Deletes the rows of signatures that can no longer be accepted anyway; returns how many. */
  prune(): Promise<number>;
  /** Stops the pruning timer. */
  stop(): void;
}

export function createSharedReplayGuard(
  sql: Sql,
  schema: string,
  options: SharedReplayGuardOptions = {},
): SharedReplayGuard {
  const prune = async () => {
    // A minute of margin: the row outlives the signature even if the database clock runs ahead.
    const deleted = await sql`
      delete from ${sql(schema)}.signature_uses where expires_at < now() - interval '1 minute'`;
    return deleted.count;
  };
  const timer = setInterval(() => {
    // Its class and code, as every log line gives an error: a driver's message may quote the database's values.
    prune().catch((error: unknown) =>
      options.logger?.warn({ error: describeSafely(error) }, 'pruning signature_uses failed'),
    );
  }, options.pruneEveryMs ?? 60_000);
  timer.unref();
  return {
    async remember(jti, expiresAt) {
      const inserted = await sql`
        insert into ${sql(schema)}.signature_uses (jti, expires_at)
        values (${jti}, ${new Date(expiresAt)})
        on conflict (jti) do nothing
        returning jti`;
      return inserted.length === 1;
    },
    prune,
    stop: () => clearInterval(timer),
  };
}
