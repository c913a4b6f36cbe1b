// The hub's pages as the gateway serves them: where the built files are, and a build that runs only when the
// sources changed since the last one (npm start, the browser tests and the bench call it; npm run build:ui forces it).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const UI_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built pages, served by the gateway under /ui/. */
export const UI_DIST_DIR = join(UI_ROOT, 'dist');
const STAMP = join(UI_DIST_DIR, '.source-hash');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** A hash of everything the build reads from this package: the app, the Vite configuration, the dependencies. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [
    ...filesUnder(join(UI_ROOT, 'app')),
    join(UI_ROOT, 'vite.config.ts'),
    join(UI_ROOT, 'package.json'),
  ]) {
    hash.update(relative(UI_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function isUiBuilt(): boolean {
  return (
    existsSync(join(UI_DIST_DIR, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceHash()
  );
}

/**
 * Builds the pages with Vite (`npm run build` of this package, in a process of its own so that a production build
 * is one whatever NODE_ENV the caller runs under), then writes a gzip copy of each text asset for the gateway.
 */
export async function buildUi(options: { quiet?: boolean } = {}): Promise<void> {
  const args = ['run', '-s', 'build', '--', ...(options.quiet ? ['--logLevel', 'warn'] : [])];
  // A child process, awaited without blocking: npm start goes on starting the hub meanwhile.
  const child = spawn('npm', args, {
    cwd: UI_ROOT,
    stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (status !== 0) throw new Error(`the pages' build failed (npm run build in ${UI_ROOT})`);
  for (const file of filesUnder(UI_DIST_DIR)) {
    if (/\.(js|css|html|svg|json)$/.test(file)) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
  }
  writeFileSync(STAMP, sourceHash());
}

/** Builds the pages unless the last build is of the same sources. Resolves true when it built. */
export async function ensureUiBuilt(options: { quiet?: boolean } = {}): Promise<boolean> {
  if (isUiBuilt()) return false;
  await buildUi(options);
  return true;
}
