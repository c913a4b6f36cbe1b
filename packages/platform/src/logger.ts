// Structured logs (pino): JSON lines for machines, or coloured lines (pino-pretty) for a person at a
// terminal in development. Log ids and codes, never personal data.

import { pino, type Logger as PinoLogger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type Logger = PinoLogger;

/** `json` (one object a line) or `pretty` (coloured, for a terminal; config.telemetry.logFormat). */
export type LogFormat = 'json' | 'pretty';

export function createLogger(name: string, level = 'info', format: LogFormat = 'json'): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    redact: { paths: ['req.headers.authorization', '*.authorization', 'variables', '*.variables'], remove: true },
  };
  if (format === 'json') return pino(options);
  // A stream in this process, not a worker-thread transport: lines appear in order with the rest of stdout.
  return pino(options, PinoPretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' }));
}
