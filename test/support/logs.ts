// Test helper: a logger whose JSON lines a test reads back, to prove what the hub logs and what it never
// logs (no name, no variable, no query).

import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '@hub/platform';

/** A JSON logger at `level` that writes to memory: `lines` holds every line it wrote, parsed, in order. */
export function captureLogs(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
