// npm run demo: the 8050 walk-through (scripts/walkthrough-8050.ts) on a hub of its own — a fresh
// embedded database in a temporary folder (or a fresh database on DATABASE_URL's server), the demo
// municipality loaded, every step a real request through the gateway. Removes what it made on exit.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startHub } from '@hub/all-in-one';
import { mintDevToken } from '@hub/gateway/token';
import { createLogger, readConfig, type DatabaseConfig } from '@hub/platform';
import { walk8050, type GraphQLResult } from './walkthrough-8050.js';

async function freshDatabase(): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  const serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'hub-demo-'));
    return { config: { kind: 'embedded', dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `hub_demo_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'url', url: url.toString() },
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const database = await freshDatabase();
const base = readConfig();
const config = { ...base, database: database.config };
console.log('Starting a hub of its own for the walk-through (fresh database, demo municipality)…');
const hub = await startHub({ config, ports: 'ephemeral', seed: true, logger: createLogger('demo', 'silent') });

const call = async (agency: string, query: string, variables?: Record<string, unknown>) => {
  const token = await mintDevToken(config.auth, { agency, sub: `${agency}-staff` });
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-hub-purpose': encodeURIComponent('8050世帯の支援（デモ）'),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult;
};

let failed = false;
try {
  console.log(`\n  8050 walk-through through ${hub.gatewayUrl}\n`);
  const result = await walk8050(call, (step) => {
    console.log(`  ${String(step.n).padStart(2)}. ${step.title}`);
    console.log(`      ${step.agency} → ${step.outcome}`);
  });
  console.log(
    `\n  Done: ${result.steps.length} steps; ${result.refusals.length} refusals met on purpose (${result.refusals
      .map((r) => r.reason)
      .join(', ')}).\n`,
  );
} catch (error) {
  failed = true;
  console.error(`\n  The walk-through stopped: ${(error as Error).message}\n`);
} finally {
  await hub.close();
  await database.drop();
}
process.exit(failed ? 1 : 0);
