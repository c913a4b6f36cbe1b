// Database access for every service: postgres.js over a real PostgreSQL (DATABASE_URL), or over an
// embedded PGlite served on a loopback socket, so both modes run the very same code path.

import { mkdir } from 'node:fs/promises';
import postgres, { type Sql } from 'postgres';
import type { DatabaseConfig, HubConfig } from './config.js';
import { SERVICE_DATABASE_VARIABLES } from './config.js';
import { WholeQueryQueue } from './embedded-queue.js';
import type { MigrationMode } from './migrate.js';
import type { ServiceName } from './services.js';
import { tracedSql } from './sql-spans.js';

export type { Sql, TransactionSql } from 'postgres';

/** A running database reachable at `url`: the embedded server, or an external one we only point to. */
export interface DatabaseServer {
  readonly kind: DatabaseConfig['kind'];
  readonly url: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * How many client connections the embedded server accepts at once; it must cover every pool of
   * every service sharing it (PGlite's own default is 1).
   * @default 64
   */
  maxConnections?: number;
}

/** Starts the embedded database when configured so; for a URL, only hands the URL on. */
export async function startDatabase(config: DatabaseConfig, options: EmbeddedOptions = {}): Promise<DatabaseServer> {
  if (config.kind === 'url') return { kind: 'url', url: config.url, close: async () => {} };
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  await mkdir(config.dir, { recursive: true });
  const db = await PGlite.create(config.dir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 64,
  });
  // Whole queries at a time across connections (see embedded-queue.ts); set before any connection.
  (server as unknown as { queryQueue: WholeQueryQueue }).queryQueue = new WholeQueryQueue(db);
  await server.start();
  return {
    kind: 'embedded',
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/** Where one service connects, and whether it runs its migrations or only checks them. */
export interface ServiceDatabase {
  readonly url: string;
  readonly migrations: MigrationMode;
}

/**
 * A service's own URL (`WELFARE_DATABASE_URL`, …) names its own runtime role, which may not run DDL:
 * it only checks the migrations the owner role ran. Without one, the service shares `sharedUrl` as the
 * one role that owns everything and migrates its schema itself (the embedded default).
 */
export function serviceDatabase(config: HubConfig, service: ServiceName, sharedUrl?: string): ServiceDatabase {
  const own = config.serviceDatabaseUrls[service];
  if (own) return { url: own, migrations: 'check' };
  if (!sharedUrl) throw new Error(`${service} needs ${SERVICE_DATABASE_VARIABLES[service]} or DATABASE_URL`);
  return { url: sharedUrl, migrations: 'apply' };
}

/** A service's connection pool, counting the statements it sends. */
export interface Database {
  readonly sql: Sql;
  /** Statements sent since the pool opened: batching tests and benchmarks read its differences. */
  statementCount(): number;
  close(): Promise<void>;
}

const POSTGRES_JS_TYPE_FETCH = 'select b.oid, b.typarray';

export interface ConnectOptions {
  /** Shown to PostgreSQL as application_name. */
  name: string;
  /** @default 4 */
  max?: number;
}

export function connect(url: string, options: ConnectOptions): Database {
  let statements = 0;
  const sql = postgres(url, {
    max: options.max ?? 4,
    idle_timeout: 30,
    connect_timeout: 10,
    connection: { application_name: options.name },
    transform: { ...postgres.camel, undefined: null },
    onnotice: () => {},
    debug: (_connection, query) => {
      // postgres.js fetches array types once per new connection: not a statement of ours.
      if (!query.trimStart().startsWith(POSTGRES_JS_TYPE_FETCH)) statements += 1;
    },
  });
  return {
    // Each statement of a sampled request under a span of its own (sql-spans.ts).
    sql: tracedSql(sql),
    statementCount: () => statements,
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The URL with any password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
