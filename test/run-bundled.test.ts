// npm start's launcher (scripts/run-bundled.js): the hub's own code runs from a bundle built once and kept
// while no source changes, each module still where its source is.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { pathBeside } from '@hub/platform';

const ROOT = pathBeside(import.meta.url, '..');
const ENTRY = 'test/support/bundled-entry.ts';
const CACHE = join(ROOT, 'node_modules', '.cache', 'hub-bundles', 'test-support-bundled-entry-ts');

interface Ran {
  url: string;
  beside: string;
  subgraphs: number;
  argv: string[];
  sourceMaps: boolean;
  stackNamesSource: boolean;
}

function run(env: NodeJS.ProcessEnv = {}): Ran {
  const { NODE_OPTIONS: _, ...inherited } = process.env;
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-bundled.js'), ENTRY, '--flag'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...inherited, ...env },
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
    sourceMaps: false,
    stackNamesSource: false,
  });
  const built = builtBundle();

  run();
  expect(builtBundle()).toBe(built);

  const later = new Date(Date.now() + 1000);
  utimesSync(join(ROOT, ENTRY), later, later);
  expect(run().subgraphs).toBe(6);
  expect(builtBundle()).not.toBe(built);
});

it("builds again in another checkout: a copy or a move keeps every file's size and time, not where the bundle points", () => {
  run();
  const built = builtBundle();
  // The cache as a copy of the checkout made elsewhere brings it: built there, pointing there.
  const manifest = join(CACHE, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), root: '/elsewhere/hub' }));
  expect(run().url).toBe(pathToFileURL(join(ROOT, ENTRY)).href);
  expect(builtBundle()).not.toBe(built);
});

it('leaves source maps off unless Node is told (NODE_OPTIONS=--enable-source-maps), then stacks name the sources', () => {
  // Off, Node neither reads nor keeps the map of each module it loads (about 12 MB of a started hub's heap).
  expect(run()).toMatchObject({ sourceMaps: false, stackNamesSource: false });
  expect(run({ NODE_OPTIONS: '--enable-source-maps' })).toMatchObject({ sourceMaps: true, stackNamesSource: true });
});
