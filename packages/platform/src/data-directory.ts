// New data directories of the embedded database: initdb runs once per installation and settings, and every
// new directory after it is a copy of the fresh one it wrote, kept in node_modules/.cache.
//
// initdb is seconds of WebAssembly (3–5 s of CPU on a small VM) for a directory that is the same every time;
// copying its 40 MB takes a few tens of milliseconds. A test hub, a demo and a first npm start each make one.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

/** Whether `dir` holds a data directory already (initdb wrote PG_VERSION). */
export function isDataDirectory(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** Where the installed PGlite is: its package folder and the node_modules holding it. */
function installedPglite(): { packageDir: string; nodeModules: string } {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const marker = `${sep}node_modules${sep}`;
  const nodeModules = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
  return { packageDir: join(nodeModules, '@electric-sql', 'pglite'), nodeModules };
}

/**
 * The folder the fresh directories are kept in: `.cache` of the node_modules PGlite is installed in, so that a
 * new install (npm ci) starts without them.
 */
export function defaultTemplatesDir(): string {
  return join(installedPglite().nodeModules, '.cache', 'hub-pglite');
}

/** The fresh directory of this PGlite and these settings. */
function freshDirectory(templatesDir: string, settings: Readonly<Record<string, string>>): string {
  const { version } = JSON.parse(readFileSync(join(installedPglite().packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const key = createHash('sha256')
    .update(JSON.stringify([version, settings]))
    .digest('hex')
    .slice(0, 16);
  return join(templatesDir, `${version}-${key}`);
}

async function copyTree(from: string, to: string, except: readonly string[] = []): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = (await readdir(from, { withFileTypes: true })).filter((entry) => !except.includes(entry.name));
  await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? copyTree(join(from, entry.name), join(to, entry.name))
        : copyFile(join(from, entry.name), join(to, entry.name)),
    ),
  );
}

/** Copies the fresh directory into `dir`, when one is kept and `dir` is empty; false when it did not. */
export async function copyFreshDataDirectory(
  dir: string,
  templatesDir: string,
  settings: Readonly<Record<string, string>>,
): Promise<boolean> {
  const fresh = freshDirectory(templatesDir, settings);
  if (!isDataDirectory(fresh) || (await readdir(dir)).length) return false;
  // PG_VERSION last: a copy cut short is not taken for a data directory by the next start.
  await copyTree(fresh, dir, ['PG_VERSION']);
  await copyFile(join(fresh, 'PG_VERSION'), join(dir, 'PG_VERSION'));
  return true;
}

/**
 * Keeps a copy of `dir`, just written by initdb and closed, for the next new directory. Best effort: a
 * read-only node_modules only means initdb again next time. The copy is renamed into place whole, so that
 * a process copying from it never sees half of it, and the first of two processes keeping one wins.
 */
export async function keepFreshDataDirectory(
  dir: string,
  templatesDir: string,
  settings: Readonly<Record<string, string>>,
): Promise<void> {
  const fresh = freshDirectory(templatesDir, settings);
  if (isDataDirectory(fresh)) return;
  const partial = `${fresh}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await copyTree(dir, partial);
    await rename(partial, fresh);
  } catch {
    // Not kept: the next new directory runs initdb.
  } finally {
    await rm(partial, { recursive: true, force: true }).catch(() => {});
  }
}
