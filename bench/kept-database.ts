// The database a setup party of the hub leaves behind for the party that serves after it (bench/serve.ts,
// BENCH_HUB_KEPT), dropped here once both have stopped: the embedded folder, or the database on
// DATABASE_URL's server, and the access log's checkpoints.

import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import postgres from 'postgres';
import type { DatabaseConfig } from '@hub/platform';

export async function dropKeptDatabase(file: string): Promise<void> {
  const kept = JSON.parse(await readFile(file, 'utf8')) as { config: DatabaseConfig; checkpointFile: string };
  await rm(dirname(kept.checkpointFile), { recursive: true, force: true });
  await rm(file, { force: true });
  if (kept.config.kind === 'embedded') {
    await rm(kept.config.dir, { recursive: true, force: true });
    return;
  }
  const name = new URL(kept.config.url).pathname.slice(1);
  if (!/^hub_bench_[a-z0-9_]+$/.test(name)) throw new Error('not a bench database: left as it is');
  const admin = postgres(process.env['DATABASE_URL']!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
