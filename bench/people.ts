// npm run bench: the person-list query through the gateway over N = 10, 100, 1000 persons across three
// subgraphs (welfare, employment, environment). Loopback only, bounded (a fixed number of requests per N).
// Reports req/s, latency percentiles and SQL statements per request per subgraph, and writes
// bench/results/<date>.json. Timing lives here, never in tests.

import { mkdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startHub } from '@hub/all-in-one';
import { mintDevToken } from '@hub/gateway/token';
import { AGENCIES, createLogger, pathBeside, readConfig } from '@hub/platform';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIZES = [10, 100, 1000];
const REQUESTS = 60;
const CONCURRENCY = 4;

const QUERY = /* GraphQL */ `
  query People($ids: [ID!]!) {
    people(ids: $ids) {
      id
      name
      cases {
        status
        plan {
          goals
        }
      }
      jobSeeker {
        status
        preferredWorkStyles
      }
      enrollments {
        status
        opportunity {
          title
        }
      }
    }
  }
`;

const dir = await mkdtemp(join(tmpdir(), 'hub-bench-'));
const base = readConfig({ LOG_LEVEL: 'silent' });
const config = { ...base, database: base.database.kind === 'url' ? base.database : { kind: 'embedded' as const, dir } };
const hub = await startHub({ config, ports: 'ephemeral', seed: true, logger: createLogger('bench', 'silent') });
const token = await mintDevToken(config.auth, { agency: AGENCIES.minaminoCollaborator.id, ttl: '1h' });

async function post(query: string, variables: Record<string, unknown> = {}): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(`request failed: ${response.status}`);
  return { text, ms: performance.now() - started };
}

process.stdout.write(`registering ${Math.max(...SIZES)} persons and their consents… `);
const ids: string[] = [];
for (let batch = 0; ids.length < Math.max(...SIZES); batch++) {
  const aliases = Array.from(
    { length: 100 },
    (_, i) =>
      `p${i}: registerPerson(input: { name: "ベンチ ${batch}-${i}", nameKana: "ベンチ", birthDate: "1970-01-01", municipalityCode: "990001" }) { id }`,
  );
  const { text } = await post(`mutation { ${aliases.join('\n')} }`);
  ids.push(...Object.values((JSON.parse(text) as { data: Record<string, { id: string }> }).data).map((p) => p.id));
}
// Each consented to the collaborator seeing their Hello Work and eco-project records.
for (let start = 0; start < ids.length; start += 100) {
  const aliases = ids
    .slice(start, start + 100)
    .map(
      (id, i) =>
        `g${i}: grantConsent(input: { personId: "${id}", recipientAgencyIds: ["${AGENCIES.minaminoCollaborator.id}"], categories: [EMPLOYMENT, ENVIRONMENT_PARTICIPATION], purpose: "支援プラン作成", validFrom: "2020-01-01T00:00:00Z", validUntil: "2100-01-01T00:00:00Z", method: WRITTEN }) { id }`,
    );
  await post(`mutation { ${aliases.join('\n')} }`);
}
console.log('done');

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const rows = [];
for (const n of SIZES) {
  const variables = { ids: ids.slice(0, n) };
  await post(QUERY, variables); // warm the plan cache and the pools
  const before = Object.fromEntries(Object.entries(hub.subgraphs).map(([k, s]) => [k, s.db.statementCount()]));
  const policyBefore = hub.gateway.stats.policyReads;
  const fetchesBefore = hub.gateway.stats.subgraphFetches;
  const latencies: number[] = [];
  const hashes = new Set<string>();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const { text, ms } = await post(QUERY, variables);
        latencies.push(ms);
        hashes.add(createHash('sha256').update(text).digest('hex'));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const statements = Object.fromEntries(
    Object.entries(hub.subgraphs)
      .map(([k, s]) => [k, (s.db.statementCount() - before[k]!) / REQUESTS] as const)
      .filter(([, v]) => v > 0),
  );
  latencies.sort((a, b) => a - b);
  rows.push({
    persons: n,
    requests: REQUESTS,
    reqPerSec: Math.round((REQUESTS / seconds) * 10) / 10,
    p50ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p95ms: Math.round(percentile(latencies, 95) * 10) / 10,
    p99ms: Math.round(percentile(latencies, 99) * 10) / 10,
    distinctBodies: hashes.size,
    policyReadsPerRequest: (hub.gateway.stats.policyReads - policyBefore) / REQUESTS,
    subgraphFetchesPerRequest: (hub.gateway.stats.subgraphFetches - fetchesBefore) / REQUESTS,
    sqlStatementsPerRequest: statements,
  });
}

await hub.close();
await rm(dir, { recursive: true, force: true });

const result = {
  date: new Date().toISOString(),
  database: config.database.kind,
  node: process.version,
  concurrency: CONCURRENCY,
  rows,
};
const resultsDir = pathBeside(import.meta.url, 'results');
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `${result.date.slice(0, 10)}-people.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);

console.log(
  `\n| persons | req/s | p50 ms | p95 ms | p99 ms | policy reads / fetches per request | SQL statements per request |`,
);
console.log(`|---:|---:|---:|---:|---:|---:|---|`);
for (const r of rows) {
  const sql = Object.entries(r.sqlStatementsPerRequest)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(
    `| ${r.persons} | ${r.reqPerSec} | ${r.p50ms} | ${r.p95ms} | ${r.p99ms} | ${r.policyReadsPerRequest} / ${r.subgraphFetchesPerRequest} | ${sql} |`,
  );
}
console.log(
  `\n${config.database.kind} database, ${CONCURRENCY} concurrent clients, ${REQUESTS} requests per size; written to ${file}`,
);
