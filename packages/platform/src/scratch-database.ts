// A database that lives only as long as one run (a test file, the demo, a benchmark): a new embedded
// folder, or a new database on DATABASE_URL's server, so the run never writes into a database it was
// pointed at. `drop` removes it; what a run cancelled before `drop` left in the temporary folder, the next
// run of the same purpose removes.

import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { problemOf } from './config-errors.js';
import { databaseUrlProblem, type DatabaseConfig } from './config.js';
import { running } from './data-directory-lock.js';

export interface ScratchDatabase {
  readonly config: DatabaseConfig;
  /**
   * A file for the access log's checkpoints in a temporary folder of the run's own, so a run never
   * anchors its database in the checkpoints of another (config.audit.checkpointFile).
   */
  readonly checkpointFile: string;
  /** Removes the folder or drops the database, and the checkpoints' folder. */
  drop(): Promise<void>;
}

/**
 * A new empty database named after `purpose` (lower-case letters and digits): embedded under the
 * system's temporary folder, or on the PostgreSQL server of `serverUrl` when one is given.
 */
export async function createScratchDatabase(purpose: string, serverUrl?: string): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9]{0,20}$/.test(purpose)) throw new Error('purpose is 1 to 21 lower-case letters and digits');
  // The run's own variable is named, as a service's start names it: a URL postgres.js would fail on with a
  // TypeError of its own, or a server it cannot reach, is the run's configuration to mend.
  const problem = serverUrl === undefined ? undefined : databaseUrlProblem(serverUrl);
  if (problem) throw new Error(problemOf('DATABASE_URL', problem));
  await removeLeftBehind(purpose);
  // Each folder names the process that made it, so a later run can tell one left behind from one in use.
  const checkpointDir = await mkdtemp(join(tmpdir(), `hub-${purpose}-checkpoints-${process.pid}-`));
  const checkpointFile = join(checkpointDir, 'audit-checkpoints.jsonl');
  const removeCheckpoints = () => rm(checkpointDir, { recursive: true, force: true });
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), `hub-${purpose}-${process.pid}-`));
    return {
      config: { kind: 'embedded', dir },
      checkpointFile,
      drop: async () => {
        await rm(dir, { recursive: true, force: true });
        await rm(`${dir}.lock`, { force: true });
        await removeCheckpoints();
      },
    };
  }
  const name = `hub_${purpose}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await removeCheckpoints();
    const server = new URL(serverUrl);
    throw new Error(
      `DATABASE_URL: no database could be created on ${server.hostname}:${server.port || '5432'} (${refusalOf(error)})`,
      { cause: error },
    );
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'url', url: url.toString() },
    checkpointFile,
    drop: async () => {
      await removeCheckpoints();
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await again.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await again.end();
      }
    },
  };
}

/**
 * Why the server refused, in its words where it gave some (`28000: role "x" does not exist`, `42501:
 * permission denied to create database`: names of roles and databases, never a person's), else the
 * connection's code (`ECONNREFUSED`).
 */
function refusalOf(error: unknown): string {
  const { code, message, severity } = error as { code?: unknown; message?: unknown; severity?: unknown };
  if (severity !== undefined && typeof message === 'string') return `${String(code)}: ${message}`;
  return String(code ?? message);
}

/**
 * Removes the folders (and lock files) of runs of `purpose` whose process has ended: a run cancelled before
 * `drop` (Ctrl-C) leaves its embedded database, tens of megabytes, in the temporary folder. A folder of a
 * process that still runs, this one included, is left alone.
 */
async function removeLeftBehind(purpose: string): Promise<void> {
  const ofAnEndedRun = new RegExp(`^hub-${purpose}-(?:checkpoints-)?(\\d+)-[A-Za-z0-9]{6}(?:\\.lock)?$`);
  for (const name of await readdir(tmpdir())) {
    const pid = ofAnEndedRun.exec(name)?.[1];
    if (pid !== undefined && !running(Number(pid))) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
}
