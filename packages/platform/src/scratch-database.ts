// A database that lives only as long as one run (a test file, the demo, a benchmark): a new embedded
// folder, or a new database on DATABASE_URL's server, so the run never writes into a database it was
// pointed at. `drop` removes it.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { DatabaseConfig } from './config.js';

export interface ScratchDatabase {
  readonly config: DatabaseConfig;
  /** Removes the folder or drops the database. */
  drop(): Promise<void>;
}

/**
 * A new empty database named after `purpose` (lower-case letters and digits): embedded under the
 * system's temporary folder, or on the PostgreSQL server of `serverUrl` when one is given.
 */
export async function createScratchDatabase(purpose: string, serverUrl?: string): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9]{0,20}$/.test(purpose)) throw new Error('purpose is 1 to 21 lower-case letters and digits');
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), `hub-${purpose}-`));
    return { config: { kind: 'embedded', dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `hub_${purpose}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'url', url: url.toString() },
    drop: async () => {
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await again.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await again.end();
      }
    },
  };
}
