// What a run of npm run bench measures and for how long, from its environment (see run.ts).

import { pathBeside } from '@hub/platform';

export const benchDir = pathBeside(import.meta.url, '.');

export const QUICK = process.env['BENCH_QUICK'] === '1';
export const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 3);
/**
 * On/off pairs of the hub part at each size: BENCH_HUB_PAIRS (default 6, at least BENCH_REPETITIONS). The
 * ratio the issue sets a target for is a few milliseconds on ten; on a shared 2-vCPU machine one run's CPU
 * per request moves by a third, so the pairs are more than the other parts' repetitions.
 */
export const HUB_PAIRS = Math.max(REPETITIONS, Number(process.env['BENCH_HUB_PAIRS'] ?? 6));
/** Each mode's untimed load at each size before its timed ones (JIT, the heap grown to the size's load). */
export const HUB_WARMUP_MS = QUICK ? 500 : 1_500;
export const GUILD_MS = QUICK ? 2_000 : 4_000;
export const HUB_MS = QUICK ? 1_500 : 3_000;
/**
 * Length of each telemetry run: BENCH_TELEMETRY_MS (default as the hub part's). On a busy machine a 3 s
 * run holds a dozen requests, too few for a difference of 5 %: make it longer there.
 */
export const TELEMETRY_MS = Number(process.env['BENCH_TELEMETRY_MS'] ?? HUB_MS);
export const GUILD_CONCURRENCY = 8;
export const HUB_CONCURRENCY = 4;
/** Persons of the hub scenario: BENCH_SIZES=10,100 picks some (default 10,100,1000). */
export const SIZES = (process.env['BENCH_SIZES'] ?? '10,100,1000').split(',').map(Number);
export const PARTS = 'guild,hub,startup,replicas,policy,signing,telemetry,ui';
/**
 * Which parts run: BENCH_ONLY=guild,hub,startup,replicas,policy,signing,telemetry,ui (default all);
 * `--ui` is BENCH_ONLY=ui, and npm run bench:telemetry is BENCH_ONLY=telemetry.
 */
export const ONLY = new Set(
  (process.argv.includes('--ui') ? 'ui' : (process.env['BENCH_ONLY'] ?? PARTS)).split(',').map((part) => part.trim()),
);
/** A run of some parts only is written beside the full one, not over it. */
export const PARTIAL_LABEL = PARTS.split(',').every((part) => ONLY.has(part)) ? '' : [...ONLY].join('-');
/** Persons of the telemetry part's person-list query. */
export const TELEMETRY_PERSONS = 100;
