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
import { canonical, cpuMsOf, median, memoryOf, percentile, post, runLoad, sha256, type LoadResult } from './load.js';
import { measurePolicyScale, type PolicyScaleRow } from './policy-scale.js';
import { measureSigning, signingMarkdown, type SigningCost } from './signing.js';
import { measureUi, uiMarkdown, type UiBench } from './ui.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 3);
const GUILD_MS = QUICK ? 2_000 : 4_000;
const HUB_MS = QUICK ? 1_500 : 3_000;
const GUILD_CONCURRENCY = 8;
const HUB_CONCURRENCY = 4;
const SIZES = [10, 100, 1000];
const PARTS = 'guild,hub,policy,signing,ui';
/** Which parts run: BENCH_ONLY=guild,hub,policy,signing,ui (default all); `--ui` is BENCH_ONLY=ui. */
const ONLY = new Set(
  (process.argv.includes('--ui') ? 'ui' : (process.env['BENCH_ONLY'] ?? PARTS)).split(',').map((part) => part.trim()),
);
/** A run of some parts only is written beside the full one, not over it. */
const PARTIAL_LABEL = PARTS.split(',').every((part) => ONLY.has(part)) ? '' : [...ONLY].join('-');
const benchDir = pathBeside(import.meta.url, '.');
const startedAt = new Date();

interface Party {
  readonly kind: string;
  readonly child: ChildProcess;
  readonly detail: Record<string, unknown>;
}

const parties: Party[] = [];

/** Starts one party in its own node process (tsx loaded in-process, so its PID is the server's). */
function startParty(kind: string, args: string[] = [], env: Record<string, string> = {}): Promise<Party> {
  const profile =
    process.env['BENCH_PROFILE'] === kind
      ? ['--cpu-prof', '--cpu-prof-dir', join(benchDir, 'results', 'profiles')]
      : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(benchDir, 'serve.ts'), kind, ...args], {
    env: { ...process.env, ...env, NODE_ENV: 'production', LOG_LEVEL: kind === 'hive' ? 'error' : 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${kind} did not start in 180 s`)), 180_000);
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
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    reqPerSec: round(result.requests / result.seconds),
    p50ms: round(percentile(sorted, 50)),
    p95ms: round(percentile(sorted, 95)),
    p99ms: round(percentile(sorted, 99)),
    errors: result.errors,
    requests: result.requests,
    cpuMsPerRequest: round(cpu / Math.max(1, result.requests)),
  };
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
  const gateways = {
    'stock @apollo/gateway': await startParty('apollo', [supergraphFile]),
    'Hive Gateway': await startParty('hive', [supergraphFile]).catch((error: unknown) => {
      console.error(`Hive Gateway did not start: ${String(error)}`);
      return null;
    }),
    'hub engine': await startParty('engine', [supergraphFile]),
  };
  const body = JSON.stringify({ query: GUILD_QUERY });
  const reference = canonical(
    JSON.parse((await post(gateways['stock @apollo/gateway'].detail['url'] as string, body)).text),
  );
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
      const party = gateways[name as keyof typeof gateways]!;
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
  return { floor, guild, hiveGateway: gateways['Hive Gateway'] ? 'ran' : 'did not start' };
}

const PEOPLE_QUERY = /* GraphQL */ `
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

interface HubStats {
  statements: Record<string, number>;
  enforced: { policyReads: number; auditWrites: number; auditCommits: number; subgraphFetches: number };
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
  await stopParty(hub);
  return { database, memory, rows };
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
  if (ONLY.has('guild')) {
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
  if (ONLY.has('hub')) {
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
    );
  }
  if (ONLY.has('policy')) {
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
  if (result.signing) lines.push('', ...signingMarkdown(result.signing));
  if (result.ui) lines.push('', ...uiMarkdown(result.ui));
  lines.push('', '## Ratios', '');
  for (const [name, value] of Object.entries(result.ratios)) lines.push(`- ${name}: ${value}`);
  return `${lines.join('\n')}\n`;
}

async function collect() {
  const os = await import('node:os');
  console.log('floor and the four-subgraph scenario…');
  const { floor, guild, hiveGateway } = ONLY.has('guild')
    ? await floorAndGuild()
    : { floor: {}, guild: {} as Awaited<ReturnType<typeof floorAndGuild>>['guild'], hiveGateway: 'skipped' };
  console.log('the hub, authorization on and off…');
  const hub = ONLY.has('hub')
    ? await hubScenario()
    : { database: 'skipped', memory: { rssMb: 0, peakMb: 0 }, rows: [] };
  console.log('legal-bases lookup at scale…');
  const policyScale: { database: string; rows: PolicyScaleRow[] } = ONLY.has('policy')
    ? await measurePolicyScale({ quick: QUICK })
    : { database: 'skipped', rows: [] };
  console.log('signing each subgraph request…');
  const signing: SigningCost | undefined = ONLY.has('signing') ? await measureSigning({ quick: QUICK }) : undefined;
  console.log('the pages: bundle and first load…');
  const ui: UiBench | undefined = ONLY.has('ui') ? await measureUi({ quick: QUICK }) : undefined;

  const rps = (name: string) => (guild[name] ? guild[name].reqPerSec.median : NaN);
  const round = (n: number) => Math.round(n * 100) / 100;
  const ratios: Record<string, number | string> = {
    'hub engine / stock @apollo/gateway, req/s': guild['hub engine']
      ? round(rps('hub engine') / rps('stock @apollo/gateway'))
      : hiveGateway,
    'hub engine / Hive Gateway, req/s': guild['Hive Gateway']
      ? round(rps('hub engine') / rps('Hive Gateway'))
      : hiveGateway,
  };
  if (signing) ratios['EdDSA / HS256 subgraph signature, sign + verify CPU µs'] = signing.ratio;
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
    policyScale,
    signing,
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
