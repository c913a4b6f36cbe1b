// Database access for every service: postgres.js over a real PostgreSQL (DATABASE_URL), or over an
// embedded PGlite served on a loopback socket, so both modes run the very same code path.

import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import postgres, { type Sql } from 'postgres';
import type { DatabaseConfig, HubConfig } from './config.js';
import {
  copyFreshDataDirectory,
  defaultTemplatesDir,
  isDataDirectory,
  keepFreshDataDirectory,
} from './data-directory.js';
import { lockDataDirectory } from './data-directory-lock.js';
import { SERVICE_DATABASE_VARIABLES } from './config.js';
import type { EmbeddedMemoryMessage, EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-protocol.js';
import type { MigrationMode } from './migrate.js';
import { SERVICE_NAMES, type ServiceName } from './services.js';
import { POSTGRES_JS_TYPE_FETCH } from './array-type-read.js';
import { startBound } from './sql-start-bound.js';
import { tracedSql } from './sql-spans.js';

export type { Sql, TransactionSql } from 'postgres';

/** A running database reachable at `url`: the embedded server, or an external one we only point to. */
export interface DatabaseServer {
  readonly kind: DatabaseConfig['kind'];
  readonly url: string;
  /** The embedded database thread's memory (its V8 heap, PGlite's WebAssembly heap); null for a URL. */
  memory(): Promise<EmbeddedMemory | null>;
  close(): Promise<void>;
}

/** What the embedded database's thread holds, in bytes. */
export type EmbeddedMemory = Omit<EmbeddedMemoryMessage, 'kind'>;

export interface EmbeddedOptions {
  /**
   * How many client connections the embedded server accepts at once; it must cover every pool of
   * every service sharing it (PGlite's own default is 1).
   * @default 64
   */
  maxConnections?: number;
  /**
   * Where a fresh data directory is kept to copy new ones from (data-directory.ts).
   * @default node_modules/.cache/hub-pglite, beside the installed PGlite
   */
  templatesDir?: string;
}

/**
 * PostgreSQL settings of the embedded database, sized for a small VM. PGlite's memory is one WebAssembly
 * heap that grows and never shrinks: initdb's 128 MB of shared buffers alone made it 189 MB. The hub's
 * demo data and a benchmark's thousand persons fit in far less, and a page missed here is read from the
 * operating system's file cache.
 */
export const EMBEDDED_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '32MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '4MB',
};

/**
 * The young generation of the database thread's V8 heap, in MB. Its objects are short-lived messages and
 * rows in passing; V8's default (three 16 MB semi-spaces' worth) held its heap at about 50 MB for 17 MB used.
 */
export const EMBEDDED_YOUNG_GENERATION_MB = 8;

/**
 * How many of V8's helper threads compile WebAssembly at once. PGlite's hot functions are compiled again,
 * optimized, while it runs; each helper thread doing so leaves a malloc arena of its own behind (glibc
 * keeps what was freed in it), about 80 MB across V8's four for the database alone against about 50 with
 * one. A process-wide V8 flag, read when a compilation starts: it applies to the thread started after it.
 */
export const WASM_COMPILATION_TASKS = 1;

/** The thread's entry: plain JavaScript, which the thread loads without any TypeScript loader. */
const EMBEDDED_WORKER = new URL('./embedded-worker.js', import.meta.url);

/** Runs the embedded database's thread (embedded-worker.js). */
function embeddedWorker(data: EmbeddedWorkerData): Worker {
  return new Worker(EMBEDDED_WORKER, {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: EMBEDDED_YOUNG_GENERATION_MB },
  });
}

/** Resolves with the thread's first message; rejects when it fails or ends first. */
function firstMessage(worker: Worker): Promise<EmbeddedWorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`the embedded database's thread ended (${code}) before it was ready`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: EmbeddedWorkerMessage) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}

/**
 * Starts the embedded database when configured so; for a URL, only hands the URL on. The embedded one runs
 * on a thread of its own. A new data directory is a copy of a fresh one kept before (data-directory.ts), or,
 * the first time, created by a thread that ends once it is written, so that initdb's memory does not stay
 * with the hub.
 */
export async function startDatabase(config: DatabaseConfig, options: EmbeddedOptions = {}): Promise<DatabaseServer> {
  if (config.kind === 'url') return urlServer(config.url);
  const settings = EMBEDDED_SETTINGS;
  const maxConnections = options.maxConnections ?? 64;
  const templatesDir = options.templatesDir ?? defaultTemplatesDir();
  setFlagsFromString(`--wasm-num-compilation-tasks=${WASM_COMPILATION_TASKS}`);
  await mkdir(dirname(resolve(config.dir)), { recursive: true });
  const unlock = await lockDataDirectory(config.dir);
  try {
    return await serveDataDirectory(config.dir, { maxConnections, templatesDir, settings }, unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

async function serveDataDirectory(
  dir: string,
  {
    maxConnections,
    templatesDir,
    settings,
  }: { maxConnections: number; templatesDir: string; settings: typeof EMBEDDED_SETTINGS },
  unlock: () => Promise<void>,
): Promise<DatabaseServer> {
  await mkdir(dir, { recursive: true });
  if (!isDataDirectory(dir) && !(await copyFreshDataDirectory(dir, templatesDir, settings))) {
    const init = embeddedWorker({ mode: 'init', dir: dir, maxConnections, settings });
    const exited = new Promise((resolve) => init.once('exit', resolve));
    await firstMessage(init);
    await exited;
    await keepFreshDataDirectory(dir, templatesDir, settings);
  }
  const worker = embeddedWorker({ mode: 'serve', dir: dir, maxConnections, settings });
  const ready = await firstMessage(worker).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (ready.kind !== 'ready') throw new Error('the embedded database closed before it was ready');
  let closing: Promise<void> | null = null;
  return {
    kind: 'embedded',
    url: ready.url,
    memory: () => memoryOf(worker),
    close: () =>
      (closing ??= (async () => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage('close');
        await exited;
        await unlock();
      })()),
  };
}

function urlServer(url: string): DatabaseServer {
  return { kind: 'url', url, memory: async () => null, close: async () => {} };
}

/** Asks the embedded database's thread for its memory; null when the thread has ended. */
function memoryOf(worker: Worker): Promise<EmbeddedMemory | null> {
  return new Promise((resolve) => {
    const onExit = () => resolve(null);
    const onMessage = (message: EmbeddedWorkerMessage) => {
      if (message.kind !== 'memory') return;
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      const { kind: _kind, ...memory } = message;
      resolve(memory);
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.postMessage('memory');
  });
}

/**
 * The database the services of one all-in-one hub share: config.database, or none at all when every
 * service, the gateway included, connects as its own role (then `url` is only the gateway's).
 */
export function startHubDatabase(config: HubConfig): Promise<DatabaseServer> {
  const gatewayOwn = config.serviceDatabaseUrls.gateway;
  const everyServiceOwn = SERVICE_NAMES.every((name) => config.serviceDatabaseUrls[name]);
  if (everyServiceOwn && gatewayOwn && config.database.kind === 'embedded') {
    return Promise.resolve(urlServer(gatewayOwn));
  }
  return startDatabase(config.database);
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

export interface ConnectOptions {
  /** Shown to PostgreSQL as application_name. */
  name: string;
  /** @default 4 */
  max?: number;
  /**
   * How long a statement may wait for a connection before it fails as CONNECT_TIMEOUT (sql-start-bound.ts).
   * @default 30000
   */
  startWithinMs?: number;
}

const EARLY_TIMESTAMPTZ = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;

/**
 * A timestamptz as PostgreSQL writes it ("0050-01-01 00:00:00+00"). `new Date` reads that form with V8's
 * legacy parser, which takes a year below 100 for 19xx or 20xx, and refuses an offset with seconds (which a
 * time zone such as Asia/Tokyo has for dates before 1888): such a year is read field by field.
 */
export function parseTimestamptz(text: string): Date {
  const early = text.startsWith('00') ? EARLY_TIMESTAMPTZ.exec(text) : null;
  if (!early) return new Date(text);
  const [year, month, day, hour, minute, second, fraction] = early.slice(1, 8).map((part) => Number(part ?? 0));
  const [offsetHours, offsetMinutes, offsetSeconds] = early.slice(9, 12).map((part) => Number(part ?? 0));
  const at = new Date(0);
  at.setUTCFullYear(year!, month! - 1, day!);
  at.setUTCHours(hour!, minute!, second!, Math.round(fraction! * 1000));
  const offsetMs = ((offsetHours! * 60 + offsetMinutes!) * 60 + offsetSeconds!) * 1000;
  return new Date(at.getTime() - (early[8] === '-' ? -offsetMs : offsetMs));
}

/** A timestamptz parameter, as postgres.js itself writes one. */
const serializeTimestamp = (value: Date | string): string =>
  (value instanceof Date ? value : new Date(value)).toISOString();

export function connect(url: string, options: ConnectOptions): Database {
  let statements = 0;
  const sql = postgres(url, {
    max: options.max ?? 4,
    idle_timeout: 30,
    connect_timeout: 10,
    // Dates and instants are read from PostgreSQL's text: ISO whatever the server's, role's or database's
    // DateStyle (SQL, DMY would read 2026-12-06 as 12 June), and in UTC whatever their TimeZone (a zone's
    // historical offset makes a year-1 instant a BC one). Months of Japan's calendar say so in their SQL.
    connection: { application_name: options.name, DateStyle: 'ISO, MDY', TimeZone: 'UTC' },
    transform: { ...postgres.camel, undefined: null },
    types: { timestamptz: { to: 1184, from: [1184], serialize: serializeTimestamp, parse: parseTimestamptz } },
    onnotice: () => {},
    debug: (_connection, query) => {
      // postgres.js fetches array types once per new connection: not a statement of ours.
      if (!query.trimStart().startsWith(POSTGRES_JS_TYPE_FETCH)) statements += 1;
    },
  });
  return {
    // Each statement of a sampled request under a span of its own (sql-spans.ts).
    sql: tracedSql(startBound(sql, options.startWithinMs ?? 30_000)),
    statementCount: () => statements,
    close: () => sql.end({ timeout: 5 }),
  };
}

/** What a redacted URL holds in place of its password. */
export const REDACTED_PASSWORD = '***';

/** The URL with any password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = REDACTED_PASSWORD;
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
