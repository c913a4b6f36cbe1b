import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isArrayTypeReadFailure, POSTGRES_JS_TYPE_FETCH } from './array-type-read.js';

const TYPE_READ = `\n      ${POSTGRES_JS_TYPE_FETCH}\n      from pg_catalog.pg_type a\n`;

describe("postgres.js's array-type read", () => {
  it('is told apart from every other failure by its statement', () => {
    expect(isArrayTypeReadFailure(Object.assign(new Error('read ECONNRESET'), { query: TYPE_READ }))).toBe(true);
    expect(isArrayTypeReadFailure(Object.assign(new Error('read ECONNRESET'), { query: 'select 1' }))).toBe(false);
    expect(isArrayTypeReadFailure(new Error('read ECONNRESET'))).toBe(false);
    expect(isArrayTypeReadFailure(undefined)).toBe(false);
    expect(isArrayTypeReadFailure('select b.oid, b.typarray')).toBe(false);
  });

  // A process of its own, as a service runs: Node ends a process on an unhandled rejection.
  const module = fileURLToPath(new URL('./array-type-read.ts', import.meta.url));
  const run = (rejection: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { surviveArrayTypeReadFailures } = await import(${JSON.stringify(module)});
         const warned = [];
         surviveArrayTypeReadFailures({ warn: (fields, message) => warned.push(message) });
         Promise.reject(${rejection});
         setTimeout(() => { console.log('still running', warned.length); }, 50);`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

  it('cut while a connection reads it, is logged and the service goes on', () => {
    const result = run(`Object.assign(new Error('read ECONNRESET'), { query: ${JSON.stringify(TYPE_READ)} })`);
    expect(result.stdout).toContain('still running 1');
    expect(result.status).toBe(0);
  });

  it('any other unhandled rejection still ends the process', () => {
    const result = run(`new Error('something else')`);
    expect(result.stdout).not.toContain('still running');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('something else');
  });
});
