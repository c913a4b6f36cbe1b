import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory, removeStale } from './data-directory-lock.js';

let folder: string;
let endedPid: number;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'hub-lock-'));
  // The id of a process that has ended, as a lock left by a hub that was killed names.
  const ended = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  endedPid = ended.pid!;
  await new Promise((resolve) => ended.once('exit', resolve));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the data directory lock', () => {
  it('a lock left by a process that ended is taken over, and then left to its new holder by one that read the ended id too', async () => {
    const dir = join(folder, 'taken-over');
    await writeFile(`${dir}.lock`, `${endedPid}\n`);
    const release = await lockDataDirectory(dir);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    // A second hub starting at the same moment read the ended process's id before this one took the lock:
    // what it removes as stale is only a lock that still names that process.
    await removeStale(`${dir}.lock`, endedPid);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(existsSync(`${dir}.lock.takeover`)).toBe(false);
    await expect(lockDataDirectory(dir)).rejects.toThrow(DataDirectoryInUseError);
    await release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('a takeover guard left behind, empty or by a process that ended, does not stop a start', async () => {
    for (const [name, content] of [
      ['empty-guard', ''],
      ['ended-guard', `${endedPid}\n`],
    ] as const) {
      const dir = join(folder, name);
      await writeFile(`${dir}.lock`, `${endedPid}\n`);
      await writeFile(`${dir}.lock.takeover`, content);
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(`${dir}.lock.takeover`, longAgo, longAgo);
      const release = await lockDataDirectory(dir);
      expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
      expect(existsSync(`${dir}.lock.takeover`)).toBe(false);
      await release();
    }
  });

  it('a release leaves a lock that names another process: it is that holder’s', async () => {
    const dir = join(folder, 'released');
    const release = await lockDataDirectory(dir);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await writeFile(`${dir}.lock`, `${other.pid}\n`);
      await release();
      expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${other.pid}\n`);
      await expect(lockDataDirectory(dir)).rejects.toThrow(`in use by process ${other.pid}`);
    } finally {
      other.kill();
    }
  });
});
