// npm run bench: the floor, the public four-subgraph scenario served by stock @apollo/gateway, Hive
// Gateway and the hub's engine, the hub's person-list query with authorization on and off, and the
// legal-bases lookup at growing table sizes, and the pages' bundle and first load in a headless browser.
// Loopback only, bounded in time (BENCH_QUICK=1 halves it). Writes bench/results/<date>.json and .md
// (<date>-<parts> when only some parts run: BENCH_ONLY=ui, or `npm run bench -- --ui`). Timing lives here, never in tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { pathBeside } from '@hub/platform';
import { GUILD_QUERY, composeGuildSupergraph, type GuildSubgraphName } from './guild/subgraphs.js';
import {
  canonical,
  cpuMsOf,
  median,
  memoryOf,
  percentile,
  post,
  runLoad,
  sha256,
  wasmResidentMbOf,
  type LoadResult,
} from './load.js';
import { PEOPLE_QUERY } from './scenarios.js';
import { measurePolicyScale, type PolicyScaleRow } from './policy-scale.js';
import { measureSigning, signingMarkdown, type SigningCost } from './signing.js';
import { ALL_IN_ONE_ENV, measureStartup, type StartupResult } from './startup.js';
import { measureUi, uiMarkdown, type UiBench } from './ui.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 3);
const GUILD_MS = QUICK ? 2_000 : 4_000;
const HUB_MS = QUICK ? 1_500 : 3_000;
/**
 * Length of each telemetry run: BENCH_TELEMETRY_MS (default as the hub part's). On a busy machine a 3 s
 * run holds a dozen requests, too few for a difference of 5 %: make it longer there.
 */
const TELEMETRY_MS = Number(process.env['BENCH_TELEMETRY_MS'] ?? HUB_MS);
const GUILD_CONCURRENCY = 8;
const HUB_CONCURRENCY = 4;
/** Persons of the hub scenario: BENCH_SIZES=10,100 picks some (default 10,100,1000). */
const SIZES = (process.env['BENCH_SIZES'] ?? '10,100,1000').split(',').map(Number);
const PARTS = 'guild,hub,startup,replicas,policy,signing,telemetry,ui';
/**
 * Which parts run: BENCH_ONLY=guild,hub,startup,replicas,policy,signing,telemetry,ui (default all);
 * `--ui` is BENCH_ONLY=ui, and npm run bench:telemetry is BENCH_ONLY=telemetry.
 */
const ONLY = new Set(
  (process.argv.includes('--ui') ? 'ui' : (process.env['BENCH_ONLY'] ?? PARTS)).split(',').map((part) => part.trim()),
);
/** A run of some parts only is written beside the full one, not over it. */
const PARTIAL_LABEL = PARTS.split(',').every((part) => ONLY.has(part)) ? '' : [...ONLY].join('-');
/** Persons of the telemetry part's person-list query. */
const TELEMETRY_PERSONS = 100;
/** The gateways of the four-subgraph scenario: name in the results, party kind in serve.ts. */
const GUILD_PARTIES = [
  ['stock @apollo/gateway', 'apollo'],
  ['Hive Gateway', 'hive'],
  ['Hive Gateway + router runtime', 'hive-router'],
  ['hub engine, stock executor', 'engine-stock'],
  ['hub engine', 'engine'],
] as const;
/** Which of them run: BENCH_PARTIES=apollo,hive,hive-router,engine-stock,engine (default all). */
const GUILD_SELECTED = new Set<string>(
  (process.env['BENCH_PARTIES'] ?? GUILD_PARTIES.map(([, kind]) => kind).join(',')).split(',').map((k) => k.trim()),
);
const benchDir = pathBeside(import.meta.url, '.');
const startedAt = new Date();

interface Party {
  readonly kind: string;
  readonly child: ChildProcess;
  readonly detail: Record<string, unknown>;
}

const parties: Party[] = [];

/**
 * Starts one party in its own node process, whose PID is the server's: the hub as `npm start` runs it (a
 * bundle of the hub's own code on plain Node, scripts/run-bundled.js), the others under tsx.
 */
function startParty(kind: string, args: string[] = [], env: Record<string, string> = {}): Promise<Party> {
  const profile =
    process.env['BENCH_PROFILE'] === kind
      ? ['--cpu-prof', '--cpu-prof-dir', join(benchDir, 'results', 'profiles')]
      : [];
  const entry =
    kind === 'hub'
      ? [join(benchDir, '..', 'scripts', 'run-bundled.js'), 'bench/serve.ts']
      : ['--import', 'tsx', join(benchDir, 'serve.ts')];
  const child = spawn(process.execPath, [...profile, ...entry, kind, ...args], {
    env: {
      ...process.env,
      ...(kind === 'hub' ? ALL_IN_ONE_ENV : {}),
      ...env,
      NODE_ENV: 'production',
      LOG_LEVEL: kind.startsWith('hive') ? 'error' : 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    // The hub registers up to 1000 persons with their consents before it is ready: minutes on a busy machine.
    const limitS = Number(process.env['BENCH_START_TIMEOUT_S'] ?? (kind === 'hub' ? 900 : 180));
    const timer = setTimeout(() => reject(new Error(`${kind} did not start in ${limitS} s`)), limitS * 1000);
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const party = { kind, child, detail: JSON.parse(line.slice(6)) as Record<string, unknown> };
      parties.push(party);
      resolve(party);
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before it was ready`)));
  });
}

async function stopParty(party: Party): Promise<void> {
  if (party.child.exitCode !== null || party.child.signalCode !== null) return;
  const exited = new Promise((resolve) => party.child.once('exit', resolve));
  party.child.kill('SIGINT');
  const timer = setTimeout(() => party.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

interface Measured {
  reqPerSec: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  errors: number;
  requests: number;
  cpuMsPerRequest: number;
}

/** One timed run against a party, with that party's CPU time over the run. */
async function measure(party: Party, load: () => Promise<LoadResult>): Promise<Measured> {
  const pid = party.child.pid!;
  const cpuBefore = cpuMsOf(pid);
  const result = await load();
  const cpu = cpuMsOf(pid) - cpuBefore;
  return { ...loadFigures(result), cpuMsPerRequest: Math.round((cpu / Math.max(1, result.requests)) * 100) / 100 };
}

interface Summary {
  runs: Measured[];
  reqPerSec: { median: number; min: number; max: number };
  p50ms: number;
  p95ms: number;
  p99ms: number;
  errors: number;
  cpuMsPerRequest: { median: number; min: number; max: number };
}

function summarize(runs: Measured[]): Summary {
  const range = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
  return {
    runs,
    reqPerSec: range(runs.map((r) => r.reqPerSec)),
    p50ms: median(runs.map((r) => r.p50ms)),
    p95ms: median(runs.map((r) => r.p95ms)),
    p99ms: median(runs.map((r) => r.p99ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuMsPerRequest: range(runs.map((r) => r.cpuMsPerRequest)),
  };
}

async function getJson<T>(url: string): Promise<T> {
  return (await fetch(url)).json() as Promise<T>;
}

/** The answer a party gives, checked equal (keys in any order) to the reference; its exact text's hash. */
async function expectedHashOf(url: string, body: string, reference: unknown, headers: Record<string, string> = {}) {
  const { status, text } = await post(url, body, headers);
  if (status !== 200) throw new Error(`${url} answered ${status}`);
  if (!isDeepStrictEqual(canonical(JSON.parse(text)), reference)) throw new Error(`${url} answered differently`);
  return { hash: sha256(text), bytes: Buffer.byteLength(text) };
}

// ---------------------------------------------------------------------------------------------------

async function floorAndGuild() {
  const subgraphs = await startParty('guild-subgraphs');
  const urls = subgraphs.detail['urls'] as Record<GuildSubgraphName, string>;
  const statsUrl = subgraphs.detail['stats'] as string;
  const dir = await mkdtemp(join(tmpdir(), 'hub-bench-'));
  const supergraphFile = join(dir, 'supergraph.graphql');
  await writeFile(supergraphFile, composeGuildSupergraph(urls));

  const bare = await startParty('bare');
  // The reference answer is stock @apollo/gateway's, whichever parties are timed.
  const body = JSON.stringify({ query: GUILD_QUERY });
  const referenceParty = await startParty('apollo', [supergraphFile]);
  const reference = canonical(JSON.parse((await post(referenceParty.detail['url'] as string, body)).text));
  const gateways: Record<string, Party | null> = {};
  for (const [name, kind] of GUILD_PARTIES) {
    if (!GUILD_SELECTED.has(kind)) continue;
    gateways[name] =
      kind === 'apollo'
        ? referenceParty
        : await startParty(kind, [supergraphFile]).catch((error: unknown) => {
            if (kind === 'engine') throw error;
            console.error(`${name} did not start: ${String(error)}`);
            return null;
          });
  }
  if (!GUILD_SELECTED.has('apollo')) await stopParty(referenceParty);
  const expected = new Map<string, { hash: string; bytes: number }>();
  for (const [name, party] of Object.entries(gateways)) {
    if (party) expected.set(name, await expectedHashOf(party.detail['url'] as string, body, reference));
  }

  // Subgraph calls and representations per request, from the subgraphs' own counts.
  const perRequest: Record<string, { calls: number; representations: number }> = {};
  for (const [name, party] of Object.entries(gateways)) {
    if (!party) continue;
    const before = await getJson<Record<string, { calls: number; representations: number }>>(statsUrl);
    const requests = 10;
    for (let i = 0; i < requests; i++) await post(party.detail['url'] as string, body);
    const after = await getJson<Record<string, { calls: number; representations: number }>>(statsUrl);
    const sum = (counts: typeof after, key: 'calls' | 'representations') =>
      Object.values(counts).reduce((s, c) => s + c[key], 0);
    perRequest[name] = {
      calls: (sum(after, 'calls') - sum(before, 'calls')) / requests,
      representations: (sum(after, 'representations') - sum(before, 'representations')) / requests,
    };
  }

  const floorBody = JSON.stringify({ query: '{ users { id username name } }' });
  const floorRuns: Record<string, Measured[]> = { 'bare node:http': [], 'one subgraph call (accounts)': [] };
  const guildRuns: Record<string, Measured[]> = Object.fromEntries(
    Object.entries(gateways)
      .filter(([, p]) => p)
      .map(([name]) => [name, []]),
  );
  // Warm every gateway (plans, JIT, pools) before the first timed run.
  for (const [name, party] of Object.entries(gateways)) {
    if (!party) continue;
    await runLoad({ url: party.detail['url'] as string, body, concurrency: GUILD_CONCURRENCY, durationMs: 1_000 });
    void name;
  }
  for (let rep = 0; rep < REPETITIONS; rep++) {
    process.stdout.write(`  guild repetition ${rep + 1}/${REPETITIONS}\n`);
    floorRuns['bare node:http']!.push(
      await measure(bare, () =>
        runLoad({
          url: bare.detail['url'] as string,
          body: floorBody,
          concurrency: GUILD_CONCURRENCY,
          durationMs: GUILD_MS / 2,
        }),
      ),
    );
    floorRuns['one subgraph call (accounts)']!.push(
      await measure(subgraphs, () =>
        runLoad({ url: urls.accounts, body: floorBody, concurrency: GUILD_CONCURRENCY, durationMs: GUILD_MS / 2 }),
      ),
    );
    // Interleaved, so a disturbance of the machine falls on every gateway alike.
    for (const [name, party] of Object.entries(gateways)) {
      if (!party) continue;
      guildRuns[name]!.push(
        await measure(party, () =>
          runLoad({
            url: party.detail['url'] as string,
            body,
            concurrency: GUILD_CONCURRENCY,
            durationMs: GUILD_MS,
            expectedHash: expected.get(name)!.hash,
          }),
        ),
      );
    }
  }
  const guild = Object.fromEntries(
    Object.entries(guildRuns).map(([name, runs]) => {
      const party = gateways[name]!;
      return [
        name,
        {
          ...summarize(runs),
          memory: memoryOf(party.child.pid!),
          responseBytes: expected.get(name)!.bytes,
          subgraphCallsPerRequest: perRequest[name]!.calls,
          representationsPerRequest: perRequest[name]!.representations,
        },
      ];
    }),
  );
  const floor = Object.fromEntries(Object.entries(floorRuns).map(([name, runs]) => [name, summarize(runs)]));
  for (const party of [bare, subgraphs, ...Object.values(gateways)]) if (party) await stopParty(party);
  await rm(dir, { recursive: true, force: true });
  const started = Object.fromEntries(
    GUILD_PARTIES.map(([name, kind]) => [
      name,
      !GUILD_SELECTED.has(kind) ? 'not selected' : gateways[name] ? 'ran' : 'did not start',
    ]),
  );
  return { floor, guild, started };
}

interface HubStats {
  statements: Record<string, number>;
  enforced: { policyReads: number; auditWrites: number; auditCommits: number; subgraphFetches: number };
  memory: {
    main: NodeJS.MemoryUsage;
    database: { heapUsed: number; heapTotal: number; external: number; wasmBytes: number } | null;
  };
}

/** Where the hub process's RSS sits, in MB: each thread's V8 heap, PGlite's WebAssembly heap, the rest. */
interface MemoryBreakdown {
  rssMb: number;
  /** Whether the process holds the embedded database (its thread and PGlite's WebAssembly heap). */
  embedded: boolean;
  mainHeapUsedMb: number;
  mainHeapTotalMb: number;
  mainExternalMb: number;
  mainArrayBuffersMb: number;
  databaseHeapUsedMb: number;
  databaseHeapTotalMb: number;
  wasmMb: number;
  wasmResidentMb: number;
  /** RSS less both heaps' totals, the main thread's external memory and the WebAssembly heap's resident pages: malloc arenas, code, stacks. */
  restMb: number;
}

async function memoryBreakdown(pid: number, statsUrl: string): Promise<MemoryBreakdown> {
  const { memory } = await getJson<HubStats>(statsUrl);
  const { rssMb } = memoryOf(pid);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const database = memory.database ?? { heapUsed: 0, heapTotal: 0, external: 0, wasmBytes: 0 };
  const wasmResidentMb = wasmResidentMbOf(pid);
  const accounted = mb(memory.main.heapTotal) + mb(memory.main.external) + mb(database.heapTotal) + wasmResidentMb;
  return {
    rssMb,
    embedded: memory.database !== null,
    mainHeapUsedMb: mb(memory.main.heapUsed),
    mainHeapTotalMb: mb(memory.main.heapTotal),
    mainExternalMb: mb(memory.main.external),
    mainArrayBuffersMb: mb(memory.main.arrayBuffers),
    databaseHeapUsedMb: mb(database.heapUsed),
    databaseHeapTotalMb: mb(database.heapTotal),
    wasmMb: mb(database.wasmBytes),
    wasmResidentMb,
    restMb: rssMb - accounted,
  };
}

/** The breakdown as one line of the report. */
function fmtBreakdown(m: MemoryBreakdown): string {
  const database = m.embedded
    ? `database thread V8 heap ${m.databaseHeapUsedMb} / ${m.databaseHeapTotalMb} MB; PGlite's WebAssembly heap ${m.wasmMb} MB (${m.wasmResidentMb} resident); `
    : `no embedded database (WebAssembly memory resident ${m.wasmResidentMb} MB); `;
  return (
    `main thread V8 heap ${m.mainHeapUsedMb} used / ${m.mainHeapTotalMb} MB, external ${m.mainExternalMb} MB (array buffers ${m.mainArrayBuffersMb}); ` +
    database +
    `the rest (malloc arenas, code, stacks) ${m.restMb} MB`
  );
}

async function hubScenario() {
  const hub = await startParty('hub', [], { BENCH_PERSONS: String(Math.max(...SIZES)) });
  const { on, off, token, ids, stats, database } = hub.detail as {
    on: string;
    off: string;
    token: string;
    ids: string[];
    stats: string;
    database: string;
  };
  const headers = { authorization: `Bearer ${token}` };
  const rows = [];
  for (const n of SIZES) {
    const body = JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: ids.slice(0, n) } });
    const first = await post(on, body, headers);
    if (first.status !== 200 || first.text.includes('"errors"')) throw new Error(`the person query failed for N=${n}`);
    const reference = canonical(JSON.parse(first.text));
    const expected = {
      on: await expectedHashOf(on, body, reference, headers),
      off: await expectedHashOf(off, body, reference, headers),
    };
    const runs: Record<'on' | 'off', Measured[]> = { on: [], off: [] };
    const counts: Record<
      'on' | 'off',
      { statements: Record<string, number>; policyReads: number; auditCommits: number; auditWrites: number }
    > = {} as never;
    for (const mode of ['on', 'off'] as const) {
      // Counts from a few sequential requests, so nothing else runs between the readings.
      const before = await getJson<HubStats>(stats);
      const requests = 5;
      for (let i = 0; i < requests; i++) await post(mode === 'on' ? on : off, body, headers);
      const after = await getJson<HubStats>(stats);
      counts[mode] = {
        statements: Object.fromEntries(
          Object.keys(after.statements)
            .map((k) => [k, (after.statements[k]! - before.statements[k]!) / requests] as const)
            .filter(([, v]) => v > 0),
        ),
        policyReads: (after.enforced.policyReads - before.enforced.policyReads) / requests,
        auditWrites: (after.enforced.auditWrites - before.enforced.auditWrites) / requests,
        auditCommits: (after.enforced.auditCommits - before.enforced.auditCommits) / requests,
      };
    }
    for (let rep = 0; rep < REPETITIONS; rep++) {
      process.stdout.write(`  hub N=${n} repetition ${rep + 1}/${REPETITIONS}\n`);
      for (const mode of ['on', 'off'] as const) {
        runs[mode].push(
          await measure(hub, () =>
            runLoad({
              url: mode === 'on' ? on : off,
              body,
              headers,
              concurrency: HUB_CONCURRENCY,
              durationMs: HUB_MS,
              expectedHash: expected[mode].hash,
            }),
          ),
        );
      }
    }
    rows.push({
      persons: n,
      on: { ...summarize(runs.on), ...counts.on },
      off: { ...summarize(runs.off), ...counts.off },
    });
  }
  const memory = memoryOf(hub.child.pid!);
  const breakdown = await memoryBreakdown(hub.child.pid!, stats);
  await stopParty(hub);
  return { database, memory, breakdown, rows };
}

/** An OTLP/HTTP collector that accepts every export and keeps only counts: where the traced party sends. */
async function startOtlpSink(): Promise<{ url: string; exports: () => number; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => exports,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What traces and metrics cost: the hub's person list (authorization on) served by hubs alike but for
 * their telemetry (none; metrics; metrics and tracing sampling nothing, 10 % or every request),
 * measured interleaved, CPU of each whole hub process per request.
 */
async function telemetryScenario() {
  const sink = await startOtlpSink();
  const tracing = (sampler: string, arg?: string) => ({
    BENCH_METRICS: '1',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_TRACES_SAMPLER: sampler,
    ...(arg ? { OTEL_TRACES_SAMPLER_ARG: arg } : {}),
  });
  const variants: Record<string, Record<string, string>> = {
    off: {},
    metrics: { BENCH_METRICS: '1' },
    // The SDK on but sampling nothing: what context propagation costs by itself.
    'metrics + tracing 0 %': tracing('always_off'),
    'metrics + tracing 10 %': tracing('parentbased_traceidratio', '0.1'),
    'metrics + tracing 100 %': tracing('parentbased_always_on'),
  };
  const parties: Record<string, Party> = {};
  for (const [name, env] of Object.entries(variants)) {
    process.stdout.write(`  starting the hub with telemetry: ${name}\n`);
    parties[name] = await startParty('hub', [], { BENCH_PERSONS: String(TELEMETRY_PERSONS), ...env });
  }
  const runs: Record<string, Measured[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  // Each hub registered persons of its own: alike in shape, not in ids, so each answer is its own reference.
  const requestOf = (party: Party) => {
    const { on, token, ids } = party.detail as { on: string; token: string; ids: string[] };
    const body = JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: ids.slice(0, TELEMETRY_PERSONS) } });
    return { url: on, body, headers: { authorization: `Bearer ${token}` } };
  };
  const expected: Record<string, string> = {};
  for (const [name, party] of Object.entries(parties)) {
    const { url, body, headers } = requestOf(party);
    const reference = canonical(JSON.parse((await post(url, body, headers)).text));
    expected[name] = (await expectedHashOf(url, body, reference, headers)).hash;
    await runLoad({ url, body, headers, concurrency: HUB_CONCURRENCY, durationMs: 1_000 });
  }
  for (let rep = 0; rep < REPETITIONS; rep++) {
    process.stdout.write(`  telemetry repetition ${rep + 1}/${REPETITIONS}\n`);
    for (const [name, party] of Object.entries(parties)) {
      runs[name]!.push(
        await measure(party, () =>
          runLoad({
            ...requestOf(party),
            concurrency: HUB_CONCURRENCY,
            durationMs: TELEMETRY_MS,
            expectedHash: expected[name]!,
          }),
        ),
      );
    }
  }
  const metricsParty = parties['metrics']!.detail['metrics'] as string;
  const scrape = await (await fetch(metricsParty)).text();
  const series = scrape.split('\n').filter((line) => line && !line.startsWith('#')).length;
  const rows = Object.fromEntries(Object.entries(runs).map(([name, measured]) => [name, summarize(measured)]));
  for (const party of Object.values(parties)) await stopParty(party);
  const otlpExports = sink.exports();
  await sink.close();
  return { persons: TELEMETRY_PERSONS, rows, metricsSeries: series, otlpExports };
}

const VERIFY_QUERY = JSON.stringify({ query: '{ verifyAccessLog { intact entries firstBrokenId } }' });
const REPLICA_PERSONS = 100;

interface Verification {
  intact: boolean;
  entries: number;
  firstBrokenId: string | null;
}

/**
 * Two gateway processes on one PostgreSQL: the person query (N = 100) with 8 clients on one gateway,
 * then 4 clients on each of two, interleaved; then the access log verified and its entries counted
 * against the requests answered (one entry per decision: none lost, none twice).
 */
async function replicasScenario() {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) return { skipped: 'needs DATABASE_URL (two gateway processes share one PostgreSQL)' } as const;
  const { generateSigningKey } = await import('@hub/platform');
  const keyEnv = { BENCH_GATEWAY_SIGNING_KEY: JSON.stringify(generateSigningKey('EdDSA', 'bench').privateJwk) };
  const hub = await startParty('hub', [], { ...keyEnv, BENCH_PERSONS: String(REPLICA_PERSONS) });
  try {
    const detail = hub.detail as {
      on: string;
      token: string;
      auditorToken: string;
      ids: string[];
      databaseUrl: string;
      subgraphUrls: Record<string, string>;
    };
    const replica = await startParty('replica', [], {
      ...keyEnv,
      BENCH_REPLICA_OF: JSON.stringify({ databaseUrl: detail.databaseUrl, subgraphUrls: detail.subgraphUrls }),
    });
    const headers = { authorization: `Bearer ${detail.token}` };
    const body = JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: detail.ids.slice(0, REPLICA_PERSONS) } });
    const verify = async (): Promise<Verification> => {
      const { text } = await post(detail.on, VERIFY_QUERY, { authorization: `Bearer ${detail.auditorToken}` });
      return (JSON.parse(text) as { data: { verifyAccessLog: Verification } }).data.verifyAccessLog;
    };
    const first = await post(detail.on, body, headers);
    const reference = canonical(JSON.parse(first.text));
    const expected = {
      one: await expectedHashOf(detail.on, body, reference, headers),
      replica: await expectedHashOf(replica.detail['url'] as string, body, reference, headers),
    };
    // Entries per request, and what the verification itself adds, from sequential requests.
    const v0 = await verify();
    const v1 = await verify();
    const perVerify = v1.entries - v0.entries;
    const sequential = 5;
    for (let i = 0; i < sequential; i++) {
      await post(i % 2 ? (replica.detail['url'] as string) : detail.on, body, headers);
    }
    const v2 = await verify();
    const entriesPerRequest = (v2.entries - v1.entries - perVerify) / sequential;

    const runs: Record<'one' | 'two', Measured[]> = { one: [], two: [] };
    let answered = 0;
    const before = await verify();
    for (let rep = 0; rep < REPETITIONS; rep++) {
      process.stdout.write(`  replicas repetition ${rep + 1}/${REPETITIONS}\n`);
      const one = await runLoad({
        url: detail.on,
        body,
        headers,
        concurrency: 8,
        durationMs: HUB_MS,
        expectedHash: expected.one.hash,
      });
      runs.one.push(loadFigures(one));
      answered += one.requests;
      const [a, b] = await Promise.all([
        runLoad({ url: detail.on, body, headers, concurrency: 4, durationMs: HUB_MS, expectedHash: expected.one.hash }),
        runLoad({
          url: replica.detail['url'] as string,
          body,
          headers,
          concurrency: 4,
          durationMs: HUB_MS,
          expectedHash: expected.replica.hash,
        }),
      ]);
      runs.two.push(
        loadFigures({
          ...a,
          requests: a.requests + b.requests,
          errors: a.errors + b.errors,
          latenciesMs: [...a.latenciesMs, ...b.latenciesMs],
          seconds: Math.max(a.seconds, b.seconds),
        }),
      );
      answered += a.requests + b.requests;
    }
    const after = await verify();
    const entriesWritten = after.entries - before.entries - perVerify;
    const round = (n: number) => Math.round(n * 100) / 100;
    await stopParty(replica);
    return {
      persons: REPLICA_PERSONS,
      one: summarize(runs.one),
      two: summarize(runs.two),
      combinedOverOne: round(median(runs.two.map((r) => r.reqPerSec)) / median(runs.one.map((r) => r.reqPerSec))),
      requestsAnswered: answered,
      entriesPerRequest,
      entriesWritten,
      entriesExpected: answered * entriesPerRequest,
      verification: after,
    };
  } finally {
    await stopParty(hub);
  }
}

/** The figures of a load run with no CPU reading (two processes share it). */
function loadFigures(result: LoadResult): Measured {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    reqPerSec: round(result.requests / result.seconds),
    p50ms: round(percentile(sorted, 50)),
    p95ms: round(percentile(sorted, 95)),
    p99ms: round(percentile(sorted, 99)),
    errors: result.errors,
    requests: result.requests,
    cpuMsPerRequest: NaN,
  };
}

// ---------------------------------------------------------------------------------------------------

function fmtRange(r: { median: number; min: number; max: number }): string {
  return `${r.median} (${r.min}–${r.max})`;
}

function markdown(result: Awaited<ReturnType<typeof collect>>): string {
  const lines: string[] = [];
  lines.push(`# npm run bench, ${result.date}`, '');
  lines.push(
    `Node ${result.node}, ${result.cpus} CPUs (${result.cpuModel}), ${result.repetitions} repetitions; medians with (min–max).`,
    '',
  );
  if (Object.keys(result.guild).length) {
    lines.push('## Floor and the public four-subgraph scenario', '');
    lines.push(
      '| party | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | RSS after / peak MB | subgraph calls/req | representations/req |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, s] of Object.entries(result.floor)) {
      lines.push(
        `| ${name} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | | | |`,
      );
    }
    for (const [name, s] of Object.entries(result.guild)) {
      lines.push(
        `| ${name} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | ${s.memory.rssMb} / ${s.memory.peakMb} | ${s.subgraphCallsPerRequest} | ${s.representationsPerRequest} |`,
      );
    }
    lines.push(
      '',
      `Response ${result.guild['hub engine']?.responseBytes ?? '?'} bytes; ${GUILD_CONCURRENCY} concurrent clients, ${GUILD_MS / 1000} s per run.`,
      '',
    );
  }
  if (result.hub.rows.length) {
    lines.push('## The hub: person list across three subgraphs, authorization on and off', '');
    lines.push(
      `Database: ${result.hub.database}. CPU is the whole hub process (gateway, six subgraphs, database); ${HUB_CONCURRENCY} clients, ${HUB_MS / 1000} s per run.`,
      '',
    );
    lines.push(
      '| persons | authorization | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | policy reads/req | audit commits/req | SQL statements/req |',
    );
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const row of result.hub.rows) {
      for (const mode of ['on', 'off'] as const) {
        const s = row[mode];
        const sql = Object.entries(s.statements)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        lines.push(
          `| ${row.persons} | ${mode} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | ${s.policyReads} | ${s.auditCommits} | ${sql} |`,
        );
      }
    }
    lines.push(
      '',
      `Hub process RSS after the run ${result.hub.memory.rssMb} MB, peak ${result.hub.memory.peakMb} MB.`,
      '',
      ...(result.hub.breakdown ? [`Where it sits: ${fmtBreakdown(result.hub.breakdown)}.`, ''] : []),
    );
  }
  if (result.policyScale.rows.length) {
    lines.push('## Legal-bases lookup (10 persons) as the tables grow', '');
    lines.push(`Database: ${result.policyScale.database}.`, '');
    lines.push(
      '| consents | audit rows | insert s | lookup p50 ms | lookup p99 ms | audit append p50 ms | audit append p99 ms |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of result.policyScale.rows) {
      lines.push(
        `| ${r.consents} | ${r.auditRows} | ${r.insertSeconds} | ${r.lookupP50ms} | ${r.lookupP99ms} | ${r.appendP50ms} | ${r.appendP99ms} |`,
      );
    }
  }
  lines.push('## A small VM: the all-in-one process', '');
  if (result.hub.rows.length) {
    lines.push(
      `- RSS after the hub run: ${result.hub.memory.rssMb} MB (peak ${result.hub.memory.peakMb} MB); the bench's hub process also holds the second, authorization-off gateway.`,
    );
    if (result.hub.breakdown) lines.push(`- Where it sits: ${fmtBreakdown(result.hub.breakdown)}.`);
  }
  if (result.startup) {
    const { newInstall, firstStart, existingDataDir } = result.startup;
    lines.push(
      `- \`npm start\` ready on a new data directory of a new install (initdb, migrations, demo data): ${newInstall.readySeconds} s (${newInstall.cpuSeconds} s of CPU), RSS ${newInstall.rssMb} MB once ready.`,
      `- \`npm start\` ready on a new data directory (a copy of the fresh one kept, migrations, demo data): ${firstStart.readySeconds} s (${firstStart.cpuSeconds} s of CPU), RSS ${firstStart.rssMb} MB once ready.`,
      `- \`npm start\` ready on the existing data directory: ${existingDataDir.readySeconds} s (${existingDataDir.cpuSeconds} s of CPU), RSS ${existingDataDir.rssMb} MB once ready.`,
    );
  }
  lines.push('');
  if (result.replicas) {
    lines.push('## Two gateway replicas on one PostgreSQL', '');
    const r = result.replicas;
    if ('skipped' in r) lines.push(`Skipped: ${r.skipped}.`, '');
    else {
      lines.push(
        `The person query, N = ${r.persons}, 8 clients in all: on one gateway, then 4 on each of two gateway processes (the second its own process on the same database and subgraphs), interleaved.`,
        '',
        '| gateways | req/s | p50 ms | p95 ms | p99 ms | errors |',
        '|---:|---:|---:|---:|---:|---:|',
        `| 1 | ${fmtRange(r.one.reqPerSec)} | ${r.one.p50ms} | ${r.one.p95ms} | ${r.one.p99ms} | ${r.one.errors} |`,
        `| 2 | ${fmtRange(r.two.reqPerSec)} | ${r.two.p50ms} | ${r.two.p95ms} | ${r.two.p99ms} | ${r.two.errors} |`,
        '',
        `Combined throughput of two over one: ${r.combinedOverOne}×. Access log afterwards: intact ${r.verification.intact} (first broken ${r.verification.firstBrokenId ?? 'none'}), ${r.entriesWritten} entries written for ${r.requestsAnswered} requests answered at ${r.entriesPerRequest} entries per request (expected ${r.entriesExpected}).`,
        '',
      );
    }
  }
  if (result.signing) lines.push('', ...signingMarkdown(result.signing));
  if (result.telemetry) {
    const t = result.telemetry;
    lines.push('', `## Telemetry: person list of ${t.persons}, authorization on`, '');
    lines.push(
      `CPU is the whole hub process; ${HUB_CONCURRENCY} clients, ${TELEMETRY_MS / 1000} s per run; traces exported over OTLP/HTTP to a local sink (${t.otlpExports} exports); one metrics scrape holds ${t.metricsSeries} series.`,
      '',
    );
    lines.push('| telemetry | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | CPU vs off |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    const off = t.rows['off']!.cpuMsPerRequest.median;
    for (const [name, s] of Object.entries(t.rows)) {
      const extra = Math.round((s.cpuMsPerRequest.median / off - 1) * 1000) / 10;
      lines.push(
        `| ${name} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | ${name === 'off' ? '' : `${extra > 0 ? '+' : ''}${extra} %`} |`,
      );
    }
  }
  if (result.ui) lines.push('', ...uiMarkdown(result.ui));
  lines.push('', '## Ratios', '');
  for (const [name, value] of Object.entries(result.ratios)) lines.push(`- ${name}: ${value}`);
  return `${lines.join('\n')}\n`;
}

async function collect() {
  const os = await import('node:os');
  console.log('floor and the four-subgraph scenario…');
  const { floor, guild, started } = ONLY.has('guild')
    ? await floorAndGuild()
    : {
        floor: {},
        guild: {} as Awaited<ReturnType<typeof floorAndGuild>>['guild'],
        started: {} as Record<string, string>,
      };
  console.log('the hub, authorization on and off…');
  const hub = ONLY.has('hub')
    ? await hubScenario()
    : { database: 'skipped', memory: { rssMb: 0, peakMb: 0 }, breakdown: undefined, rows: [] };
  console.log('npm start, on a new and on an existing data directory…');
  const startup: StartupResult | undefined = ONLY.has('startup') ? await measureStartup() : undefined;
  console.log('two gateway replicas on one PostgreSQL…');
  const replicas = ONLY.has('replicas') ? await replicasScenario() : undefined;
  console.log('legal-bases lookup at scale…');
  const policyScale: { database: string; rows: PolicyScaleRow[] } = ONLY.has('policy')
    ? await measurePolicyScale({ quick: QUICK })
    : { database: 'skipped', rows: [] };
  console.log('signing each subgraph request…');
  const signing: SigningCost | undefined = ONLY.has('signing') ? await measureSigning({ quick: QUICK }) : undefined;
  console.log('traces and metrics on and off…');
  const telemetry = ONLY.has('telemetry') ? await telemetryScenario() : undefined;
  console.log('the pages: bundle and first load…');
  const ui: UiBench | undefined = ONLY.has('ui') ? await measureUi({ quick: QUICK }) : undefined;

  const rps = (name: string) => (guild[name] ? guild[name].reqPerSec.median : NaN);
  const round = (n: number) => Math.round(n * 100) / 100;
  const cpu = (name: string) => (guild[name] ? guild[name].cpuMsPerRequest.median : NaN);
  const ratios: Record<string, number | string> = {};
  for (const [name] of GUILD_PARTIES) {
    if (name === 'hub engine') continue;
    if (guild['hub engine'] && guild[name]) {
      ratios[`hub engine / ${name}, req/s`] = round(rps('hub engine') / rps(name));
      ratios[`hub engine / ${name}, CPU ms/req`] = round(cpu('hub engine') / cpu(name));
    } else if (ONLY.has('guild')) {
      ratios[`hub engine / ${name}`] = started[name] ?? 'not run';
    }
  }
  if (replicas && !('skipped' in replicas)) {
    ratios['two gateway replicas / one, req/s'] = replicas.combinedOverOne;
    ratios['access-log entries written / expected (one per decision)'] = round(
      replicas.entriesWritten / replicas.entriesExpected,
    );
  }
  if (signing) ratios['EdDSA / HS256 subgraph signature, sign + verify CPU µs'] = signing.ratio;
  if (telemetry) {
    const off = telemetry.rows['off']!.cpuMsPerRequest.median;
    for (const name of Object.keys(telemetry.rows).filter((n) => n !== 'off')) {
      ratios[`telemetry ${name} / off, CPU ms/req (target ≤ 1.05 with metrics and 10 % tracing)`] = round(
        telemetry.rows[name]!.cpuMsPerRequest.median / off,
      );
    }
  }
  for (const row of hub.rows) {
    ratios[`N=${row.persons}: authorization on / off, req/s`] = round(
      row.on.reqPerSec.median / row.off.reqPerSec.median,
    );
    ratios[`N=${row.persons}: authorization on / off, CPU ms/req`] = round(
      row.on.cpuMsPerRequest.median / row.off.cpuMsPerRequest.median,
    );
  }
  return {
    date: startedAt.toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    repetitions: REPETITIONS,
    quick: QUICK,
    floor,
    guild,
    hub,
    startup,
    replicas,
    policyScale,
    signing,
    telemetry,
    ui,
    ratios,
  };
}

try {
  const result = await collect();
  const resultsDir = join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const stem = join(
    resultsDir,
    `${result.date.slice(0, 10)}${(process.env['BENCH_LABEL'] ?? PARTIAL_LABEL) ? `-${process.env['BENCH_LABEL'] ?? PARTIAL_LABEL}` : ''}`,
  );
  const md = markdown(result);
  await writeFile(`${stem}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${stem}.md`, md);
  console.log(
    `\n${md}\nwritten to ${stem}.json and ${stem}.md in ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`,
  );
} finally {
  for (const party of parties) await stopParty(party);
}
