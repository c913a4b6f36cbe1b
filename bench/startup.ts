// The small-VM figures of npm run bench: how long `npm start` takes to be ready on a new data directory
// (migrations and the demo data), first as on a new install (initdb) and then as a copy of the fresh
// directory the first one kept, and again on the same directory; and the process's memory once ready.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { envPrefix, pathBeside, SUBGRAPH_NAMES } from '@hub/platform';
import { defaultTemplatesDir } from '@hub/platform/data-directory';
import { cpuMsOf, memoryOf } from './load.js';

export interface StartupRun {
  /** From spawning the process to its "running" line, in seconds. */
  readySeconds: number;
  /** CPU time the process spent until then, in seconds: steadier than the wall time on a shared machine. */
  cpuSeconds: number;
  rssMb: number;
}

export interface StartupResult {
  /** A new data directory with no fresh one kept (as after npm ci): initdb, on a thread that ends. */
  newInstall: StartupRun;
  /** A new data directory, copied from the fresh one the new install kept (data-directory.ts). */
  firstStart: StartupRun;
  existingDataDir: StartupRun;
}

const root = pathBeside(import.meta.url, '..');

/** What `npm start` sets in its environment (package.json), unless the environment says otherwise: two malloc arenas, a fixed trim threshold. */
export const ALL_IN_ONE_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? '2',
  MALLOC_TRIM_THRESHOLD_: process.env['MALLOC_TRIM_THRESHOLD_'] ?? '131072',
};

/** `npm start` as `node scripts/run-bundled.js scripts/start.ts` (what npm runs), so the PID measured is the hub's. */
async function startOnce(dataDir: string, basePort: number): Promise<StartupRun> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    GATEWAY_PORT: String(basePort),
    ...ALL_IN_ONE_ENV,
  };
  delete env['DATABASE_URL'];
  SUBGRAPH_NAMES.forEach((name, i) => (env[`${envPrefix(name)}_PORT`] = String(basePort + 1 + i)));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-bundled.js'), 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const readySeconds = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('npm start was not ready in 120 s')), 120_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.includes('The hub is running')) return;
        clearTimeout(timer);
        resolve((performance.now() - started) / 1000);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    return {
      readySeconds: Math.round(readySeconds * 100) / 100,
      cpuSeconds: Math.round(cpuMsOf(child.pid!) / 10) / 100,
      rssMb: memoryOf(child.pid!).rssMb,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function measureStartup(): Promise<StartupResult> {
  const installDir = await mkdtemp(join(tmpdir(), 'hub-bench-install-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-bench-start-'));
  try {
    const basePort = 24_000 + Math.floor(Math.random() * 1000) * 10;
    await rm(defaultTemplatesDir(), { recursive: true, force: true });
    const newInstall = await startOnce(installDir, basePort);
    const firstStart = await startOnce(dataDir, basePort);
    const existingDataDir = await startOnce(dataDir, basePort);
    return { newInstall, firstStart, existingDataDir };
  } finally {
    await rm(installDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
