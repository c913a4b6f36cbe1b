// Structured JSON logs (pino). Log ids and codes, never personal data.

import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export function createLogger(name: string, level = 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: { paths: ['req.headers.authorization', '*.authorization', 'variables', '*.variables'], remove: true },
  });
}
