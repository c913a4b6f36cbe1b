// The hub's person list across three subgraphs, with authorization on and off in one process: CPU per
// request, the statements and audit commits per request, and where the process's memory sits after.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropKeptDatabase } from './kept-database.js';
import { cpuMsOf, memoryOf, post, runLoad, canonical, threadCpuMsOf, wasmResidentMbOf } from './load.js';
import {
  expectedHashOf,
  fmtRange,
  getJson,
  measure,
  shown,
  rangeOf,
  startParty,
  stopParty,
  summarize,
  type Measured,
} from './parties.js';
import { PEOPLE_QUERY } from './scenarios.js';
import { HUB_CONCURRENCY, HUB_MS, HUB_PAIRS, HUB_WARMUP_MS, REPETITIONS, SIZES } from './settings.js';

interface HubStats {
  statements: Record<string, number>;
  enforced: { policyReads: number; auditWrites: number; auditCommits: number; subgraphFetches: number };
  memory: {
    main: NodeJS.MemoryUsage;
    database: {
      heapUsed: number;
      heapTotal: number;
      external: number;
      wasmBytes: number;
      osThreadId: number | null;
    } | null;
  };
}

/**
 * Where a run's CPU went, in ms per request: the main thread (the gateways' and subgraphs' JavaScript),
 * the embedded database's thread (none on PostgreSQL, whose server is another process), and the rest of
 * the process's threads (V8's garbage-collector helpers, libuv's pool).
 */
interface ThreadsCpu {
  main: number;
  database: number | null;
  other: number;
}

/** The process's CPU so far, split as ThreadsCpu (in ms, not per request). */
function threadsCpuOf(pid: number, databaseThread: number | null): ThreadsCpu {
  const total = cpuMsOf(pid);
  const main = threadCpuMsOf(pid, pid);
  const database = databaseThread === null ? null : threadCpuMsOf(pid, databaseThread);
  return { main, database, other: total - main - (database ?? 0) };
}

/** What each part of the split grew by over a run, per request. */
function threadsCpuPerRequest(before: ThreadsCpu, after: ThreadsCpu, requests: number): ThreadsCpu {
  const per = (a: number, b: number) => shown((b - a) / Math.max(1, requests));
  return {
    main: per(before.main, after.main),
    database: before.database === null || after.database === null ? null : per(before.database, after.database),
    other: per(before.other, after.other),
  };
}

/** The median of each part of the split over some runs. */
function medianThreads(runs: readonly ThreadsCpu[]): ThreadsCpu {
  const med = (values: number[]) => rangeOf(values).median;
  const databases = runs.map((r) => r.database);
  return {
    main: med(runs.map((r) => r.main)),
    database: databases.every((d) => d !== null) ? med(databases as number[]) : null,
    other: med(runs.map((r) => r.other)),
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
export function fmtBreakdown(m: MemoryBreakdown): string {
  const database = m.embedded
    ? `database thread V8 heap ${m.databaseHeapUsedMb} / ${m.databaseHeapTotalMb} MB; PGlite's WebAssembly heap ${m.wasmMb} MB (${m.wasmResidentMb} resident); `
    : `no embedded database (WebAssembly memory resident ${m.wasmResidentMb} MB); `;
  return (
    `main thread V8 heap ${m.mainHeapUsedMb} used / ${m.mainHeapTotalMb} MB, external ${m.mainExternalMb} MB (array buffers ${m.mainArrayBuffersMb}); ` +
    database +
    `the rest (malloc arenas, code, stacks) ${m.restMb} MB`
  );
}

export async function measureHub() {
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
  const pid = hub.child.pid!;
  const databaseThread = (await getJson<HubStats>(stats)).memory.database?.osThreadId ?? null;
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
    const load = (mode: 'on' | 'off', durationMs: number, timed: boolean) =>
      runLoad({
        url: mode === 'on' ? on : off,
        body,
        headers,
        concurrency: HUB_CONCURRENCY,
        durationMs,
        ...(timed ? { expectedHash: expected[mode].hash } : {}),
      });
    // Untimed first: the first load of a size otherwise pays for compiling its paths and growing the heap.
    for (const mode of ['on', 'off'] as const) await load(mode, HUB_WARMUP_MS, false);
    // Pairs back to back, in turn on-off and off-on, so a machine slowing down or speeding up over the run
    // weighs on both modes alike; each pair's own ratio is reported beside the ratio of the medians.
    const pairRatios: number[] = [];
    const threads: Record<'on' | 'off', ThreadsCpu[]> = { on: [], off: [] };
    for (let pair = 0; pair < HUB_PAIRS; pair++) {
      process.stdout.write(`  hub N=${n} pair ${pair + 1}/${HUB_PAIRS}\n`);
      const order = pair % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      const measured: Partial<Record<'on' | 'off', Measured>> = {};
      for (const mode of order) {
        const before = threadsCpuOf(pid, databaseThread);
        measured[mode] = await measure(hub, () => load(mode, HUB_MS, true));
        threads[mode].push(threadsCpuPerRequest(before, threadsCpuOf(pid, databaseThread), measured[mode].requests));
      }
      runs.on.push(measured.on!);
      runs.off.push(measured.off!);
      pairRatios.push(measured.on!.cpuMsPerRequest / measured.off!.cpuMsPerRequest);
    }
    rows.push({
      persons: n,
      on: { ...summarize(runs.on), ...counts.on, threads: medianThreads(threads.on) },
      off: { ...summarize(runs.off), ...counts.off, threads: medianThreads(threads.off) },
      pairedCpuRatio: rangeOf(pairRatios.map(shown)),
    });
  }
  const memory = memoryOf(hub.child.pid!);
  const breakdown = await memoryBreakdown(hub.child.pid!, stats);
  await stopParty(hub);
  return { database, memory, breakdown, rows, allInOne: await measureAllInOne() };
}

/**
 * How long the all-in-one process is left at rest after its loads before its memory is read again
 * (BENCH_AT_REST_SECONDS, default 45): V8 hands back the pages its heap no longer uses some seconds after
 * the last request (its memory reducer), not at once; about 20 s after the loads on a 2-vCPU machine.
 */
const AT_REST_SECONDS = Number(process.env['BENCH_AT_REST_SECONDS'] ?? 45);

interface AllInOne {
  /** At the end of the loads, in the process that registered the persons before them. */
  afterSetup: { memory: ReturnType<typeof memoryOf>; breakdown: MemoryBreakdown };
  /** At the end of the loads, in the process started again on that data, as `npm start` on an existing directory. */
  memory: ReturnType<typeof memoryOf>;
  breakdown: MemoryBreakdown;
  /** The started-again process left at rest for `seconds` after them. */
  atRest: { seconds: number; breakdown: MemoryBreakdown };
}

/** The person-list loads of the hub part, against one gateway (authorization on), unmeasured. */
async function personListLoads(detail: Record<string, unknown>, label: string): Promise<void> {
  const { on, token, ids } = detail as { on: string; token: string; ids: string[] };
  const headers = { authorization: `Bearer ${token}` };
  for (const n of SIZES) {
    process.stdout.write(`  the all-in-one process${label}, N=${n}\n`);
    const body = JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: ids.slice(0, n) } });
    for (let rep = 0; rep < REPETITIONS; rep++)
      await runLoad({ url: on, body, headers, concurrency: HUB_CONCURRENCY, durationMs: HUB_MS });
  }
}

/**
 * The all-in-one process as `npm start` makes it (one gateway, authorization on; the bench's hub party
 * also holds the authorization-off gateway), after the same person-list loads: its RSS and where it sits,
 * at once and at rest. Twice: in the process that registered the bench's persons (a thousand
 * registrations and consents in batches of a hundred, which grow its heap before any load), and in a
 * process started again on the data that one left, as a hub restarted on its data directory serves.
 */
async function measureAllInOne(): Promise<AllInOne> {
  const kept = join(tmpdir(), `hub-bench-all-in-one-${process.pid}.json`);
  const env = { BENCH_PERSONS: String(Math.max(...SIZES)), BENCH_OFF_GATEWAY: '0', BENCH_HUB_KEPT: kept };
  try {
    const setup = await startParty('hub', [], { ...env, BENCH_HUB_PHASE: 'setup' });
    await personListLoads(setup.detail, ' that registered the persons');
    const afterSetup = {
      memory: memoryOf(setup.child.pid!),
      breakdown: await memoryBreakdown(setup.child.pid!, setup.detail['stats'] as string),
    };
    await stopParty(setup);
    const hub = await startParty('hub', [], { ...env, BENCH_HUB_PHASE: 'serve' });
    const stats = hub.detail['stats'] as string;
    await personListLoads(hub.detail, ' started again on its data');
    const memory = memoryOf(hub.child.pid!);
    const breakdown = await memoryBreakdown(hub.child.pid!, stats);
    process.stdout.write(`  the all-in-one process at rest, ${AT_REST_SECONDS} s\n`);
    await new Promise((resolve) => setTimeout(resolve, AT_REST_SECONDS * 1000));
    const atRest = { seconds: AT_REST_SECONDS, breakdown: await memoryBreakdown(hub.child.pid!, stats) };
    await stopParty(hub);
    return { afterSetup, memory, breakdown, atRest };
  } finally {
    await dropKeptDatabase(kept).catch((error: unknown) => console.error('the bench database was not dropped', error));
  }
}

/** The hub part's result; a run without the part has no rows and no breakdown. */
export type HubResult = Omit<Awaited<ReturnType<typeof measureHub>>, 'breakdown' | 'allInOne'> & {
  breakdown: MemoryBreakdown | undefined;
  allInOne: Awaited<ReturnType<typeof measureAllInOne>> | undefined;
};

/** The hub's table: on and off at each size, and the process's memory after. */
export function hubMarkdown(hub: HubResult): string[] {
  const lines: string[] = [];
  if (hub.rows.length) {
    lines.push('## The hub: person list across three subgraphs, authorization on and off', '');
    lines.push(
      `Database: ${hub.database}. CPU is the whole hub process (gateway, six subgraphs, database); ${HUB_CONCURRENCY} clients, ${HUB_MS / 1000} s per run; at each size an untimed ${HUB_WARMUP_MS / 1000} s load of each mode, then ${hub.rows[0]?.on.runs.length ?? HUB_PAIRS} on/off pairs back to back (on-off, off-on, …).`,
      '',
    );
    lines.push(
      '| persons | authorization | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | policy reads/req | audit commits/req | SQL statements/req |',
    );
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const row of hub.rows) {
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
      'CPU per request, authorization on over off: the ratio of the medians, and the median (min–max) of each pair’s own ratio.',
      '',
      '| persons | on / off, medians | on / off, pairs |',
      '|---:|---:|---:|',
      ...hub.rows.map(
        (row) =>
          `| ${row.persons} | ${shown(row.on.cpuMsPerRequest.median / row.off.cpuMsPerRequest.median)} | ${fmtRange(row.pairedCpuRatio)} |`,
      ),
    );
    const ms = (value: number | null) => (value === null ? '–' : value.toFixed(2));
    const added = (on: number | null, off: number | null) =>
      on === null || off === null ? '–' : (on - off).toFixed(2);
    lines.push(
      '',
      'Where the CPU goes, ms per request (medians of the runs): the main thread (the gateways’ and subgraphs’ JavaScript), the embedded database’s thread (– on PostgreSQL, whose server is not in the process), and the process’s other threads (V8’s garbage-collector helpers, libuv’s pool); with what authorization adds to each.',
      '',
      '| persons | main on / off | database on / off | other on / off | added: main | added: database | added: other |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...hub.rows.map((row) => {
        const [on, off] = [row.on.threads, row.off.threads];
        return `| ${row.persons} | ${ms(on.main)} / ${ms(off.main)} | ${ms(on.database)} / ${ms(off.database)} | ${ms(on.other)} / ${ms(off.other)} | ${added(on.main, off.main)} | ${added(on.database, off.database)} | ${added(on.other, off.other)} |`;
      }),
    );
    lines.push(
      '',
      `Hub process RSS after the run ${hub.memory.rssMb} MB, peak ${hub.memory.peakMb} MB.`,
      '',
      ...(hub.breakdown ? [`Where it sits: ${fmtBreakdown(hub.breakdown)}.`, ''] : []),
    );
  }
  return lines;
}
