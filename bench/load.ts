// The load generator and the process meters of npm run bench: closed-loop clients over kept-alive
// connections, each response's body hashed against the expected one, and CPU time and memory of another
// process read from /proc, so the meter works for any gateway, whatever it is written in.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  concurrency: number;
  durationMs: number;
  /** sha256 of the one right answer; a response with another body counts as an error. */
  expectedHash?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** One POST; resolves with the status and the whole body. */
export function post(url: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const { status, text } = await post(options.url, options.body, options.headers);
          const ok = status === 200 && (options.expectedHash ? sha256(text) === options.expectedHash : true);
          if (!ok) errors += 1;
        } catch {
          errors += 1;
        }
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { requests: latenciesMs.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs };
}

const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process so far, in milliseconds (Linux /proc; 10 ms resolution). */
export function cpuMsOf(pid: number): number {
  return cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * User + system CPU time of one thread of a process so far, in milliseconds (Linux /proc; 10 ms
 * resolution); the main thread's id is the process's. 0 for a thread that has ended.
 */
export function threadCpuMsOf(pid: number, tid: number): number {
  try {
    return cpuMsOfStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

const cpuMsOfStat = (stat: string): number => {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
};

/** Resident memory of a process now and at its peak, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * Resident MB of the process's WebAssembly memories. V8 reserves each one with its guard region (8 GiB
 * and more of address space, no access) and opens its current size at the region's start: so a memory is
 * the readable mapping that ends where such a reservation begins; no other mapping of the hub is that large.
 */
export function wasmResidentMbOf(pid: number): number {
  const GUARD_BYTES = 4 * 2 ** 30;
  const mappings: { start: number; end: number; perms: string; rssKb: number }[] = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
    if (range)
      mappings.push({ start: parseInt(range[1]!, 16), end: parseInt(range[2]!, 16), perms: range[3]!, rssKb: 0 });
    else if (line.startsWith('Rss:')) mappings[mappings.length - 1]!.rssKb = Number(/\d+/.exec(line)![0]);
  }
  let residentKb = 0;
  mappings.forEach((guard, i) => {
    const memory = mappings[i - 1];
    const isGuard = guard.perms.startsWith('---') && guard.end - guard.start >= GUARD_BYTES;
    if (isGuard && memory && memory.end === guard.start && memory.perms.startsWith('rw')) residentKb += memory.rssKb;
  });
  return Math.round(residentKb / 1024);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A JSON value with object keys sorted, so two gateways' answers compare whatever their key order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
