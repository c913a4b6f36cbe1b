// The parties of a run: each server in a node process of its own (serve.ts), measured from outside (its
// CPU time from /proc), and what a set of timed runs sums up to.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { canonical, cpuMsOf, median, percentile, post, sha256, type LoadResult } from './load.js';
import { benchDir } from './settings.js';
import { ALL_IN_ONE_ENV } from './startup.js';

export interface Party {
  readonly kind: string;
  readonly child: ChildProcess;
  readonly detail: Record<string, unknown>;
}

/** Every party started, so a run that fails still stops them all. */
export const parties: Party[] = [];

/**
 * Starts one party in its own node process, whose PID is the server's: the hub as `npm start` runs it (a
 * bundle of the hub's own code on plain Node, scripts/run-bundled.js), the others under tsx.
 */
export function startParty(kind: string, args: string[] = [], env: Record<string, string> = {}): Promise<Party> {
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

export async function stopParty(party: Party): Promise<void> {
  if (party.child.exitCode !== null || party.child.signalCode !== null) return;
  const exited = new Promise((resolve) => party.child.once('exit', resolve));
  party.child.kill('SIGINT');
  const timer = setTimeout(() => party.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface Measured {
  reqPerSec: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  errors: number;
  requests: number;
  cpuMsPerRequest: number;
}

/** One timed run against a party, with that party's CPU time over the run. */
export async function measure(party: Party, load: () => Promise<LoadResult>): Promise<Measured> {
  const pid = party.child.pid!;
  const cpuBefore = cpuMsOf(pid);
  const result = await load();
  const cpu = cpuMsOf(pid) - cpuBefore;
  return { ...loadFigures(result), cpuMsPerRequest: shown(cpu / Math.max(1, result.requests)) };
}

export interface Summary {
  runs: Measured[];
  reqPerSec: { median: number; min: number; max: number };
  p50ms: number;
  p95ms: number;
  p99ms: number;
  errors: number;
  cpuMsPerRequest: { median: number; min: number; max: number };
}

/** A figure as the reports show it: two decimals (a median of an even count is the mean of two). */
export const shown = (value: number): number => Math.round(value * 100) / 100;

/** The median of some figures with their least and greatest. */
export function rangeOf(values: readonly number[]): { median: number; min: number; max: number } {
  return { median: shown(median(values)), min: Math.min(...values), max: Math.max(...values) };
}

export function summarize(runs: Measured[]): Summary {
  return {
    runs,
    reqPerSec: rangeOf(runs.map((r) => r.reqPerSec)),
    p50ms: shown(median(runs.map((r) => r.p50ms))),
    p95ms: shown(median(runs.map((r) => r.p95ms))),
    p99ms: shown(median(runs.map((r) => r.p99ms))),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuMsPerRequest: rangeOf(runs.map((r) => r.cpuMsPerRequest)),
  };
}

export async function getJson<T>(url: string): Promise<T> {
  return (await fetch(url)).json() as Promise<T>;
}

/** The answer a party gives, checked equal (keys in any order) to the reference; its exact text's hash. */
export async function expectedHashOf(
  url: string,
  body: string,
  reference: unknown,
  headers: Record<string, string> = {},
) {
  const { status, text } = await post(url, body, headers);
  if (status !== 200) throw new Error(`${url} answered ${status}`);
  if (!isDeepStrictEqual(canonical(JSON.parse(text)), reference)) throw new Error(`${url} answered differently`);
  return { hash: sha256(text), bytes: Buffer.byteLength(text) };
}

/** The figures of a load run with no CPU reading (two processes share it). */
export function loadFigures(result: LoadResult): Measured {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    reqPerSec: shown(result.requests / result.seconds),
    p50ms: shown(percentile(sorted, 50)),
    p95ms: shown(percentile(sorted, 95)),
    p99ms: shown(percentile(sorted, 99)),
    errors: result.errors,
    requests: result.requests,
    cpuMsPerRequest: NaN,
  };
}

/** A median with its range, as the reports show it. */
export function fmtRange(r: { median: number; min: number; max: number }): string {
  return `${r.median} (${r.min}–${r.max})`;
}
