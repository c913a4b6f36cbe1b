// npm start's launcher (scripts/run-bundled.js): the hub's own code runs from a bundle built once and kept
// while no source changes, each module still where its source is.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { pathBeside } from '@hub/platform';

const ROOT = pathBeside(import.meta.url, '..');
const ENTRY = 'test/support/bundled-entry.ts';
const CACHE = join(ROOT, 'node_modules', '.cache', 'hub-bundles', 'test-support-bundled-entry-ts');

function run(): { url: string; beside: string; subgraphs: number; argv: string[] } {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-bundled.js'), ENTRY, '--flag'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

function builtBundle(): string {
  return (JSON.parse(readFileSync(join(CACHE, 'manifest.json'), 'utf8')) as { bundle: string }).bundle;
}

it('builds the bundle once, runs the same one while no source changes, and builds again after a change', () => {
  rmSync(CACHE, { recursive: true, force: true });
  const first = run();
  expect(first).toEqual({
    url: pathToFileURL(join(ROOT, ENTRY)).href,
    beside: join(ROOT, 'test', 'support', 'hub.ts'),
    subgraphs: 6,
    argv: ['--flag'],
  });
  const built = builtBundle();

  run();
  expect(builtBundle()).toBe(built);

  const later = new Date(Date.now() + 1000);
  utimesSync(join(ROOT, ENTRY), later, later);
  expect(run().subgraphs).toBe(6);
  expect(builtBundle()).not.toBe(built);
});
