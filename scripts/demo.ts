// npm run demo: the 8050 walk-through (scripts/walkthrough-8050.ts) on a hub of its own — a fresh
// embedded database in a temporary folder (or a fresh database on DATABASE_URL's server), the demo
// municipality loaded, every step a real request through the gateway. Removes what it made on exit.

import { startHub } from '@hub/all-in-one';
import { mintDevToken } from '@hub/gateway/token';
import { createLogger, createScratchDatabase, readConfig } from '@hub/platform';
import { walk8050, type GraphQLResult } from './walkthrough-8050.js';

const database = await createScratchDatabase('demo', process.env['DATABASE_URL']);
const base = readConfig();
const config = {
  ...base,
  database: database.config,
  audit: { ...base.audit, checkpointFile: database.checkpointFile },
};
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
