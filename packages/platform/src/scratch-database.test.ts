import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScratchDatabase } from './scratch-database.js';

const checkpointFolders = async () =>
  (await readdir(tmpdir())).filter((name) => name.startsWith('hub-scratchprobe-checkpoints-'));

describe('createScratchDatabase on a server it cannot use', () => {
  it.each([
    ['no URL at all', 'not a url'],
    ['another scheme', 'mysql://root@127.0.0.1:3306/x'],
    ['a port that is no number', 'postgres://postgres@127.0.0.1:54x2/test'],
  ])('refuses %s naming DATABASE_URL, leaving nothing behind', async (_, url) => {
    const before = await checkpointFolders();
    await expect(createScratchDatabase('scratchprobe', url)).rejects.toThrow(
      /^DATABASE_URL: must be a postgres:\/\/ URL/,
    );
    expect(await checkpointFolders()).toEqual(before);
  });

  it('says which server could not be reached, naming DATABASE_URL, leaving nothing behind', async () => {
    const before = await checkpointFolders();
    await expect(createScratchDatabase('scratchprobe', 'postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(
      /^DATABASE_URL: no database could be created on 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
    expect(await checkpointFolders()).toEqual(before);
  });
});

describe('createScratchDatabase after a run cancelled before drop()', () => {
  it("removes the folders a run whose process has ended left behind, and no running process's", async () => {
    // A process that has ended: its id is free (until the system reuses it, long after this test).
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    const left = [`hub-scratchprobe-${ended}-aB3dE9`, `hub-scratchprobe-checkpoints-${ended}-Zz09yx`];
    const live = [`hub-scratchprobe-${process.pid}-Qq12Ww`, `hub-scratchprobe-checkpoints-${process.pid}-Ee34Rr`];
    for (const name of [...left, ...live]) {
      await mkdir(join(tmpdir(), name));
      await writeFile(join(tmpdir(), name, 'PG_VERSION'), '17\n');
    }
    await writeFile(join(tmpdir(), `${left[0]}.lock`), `${ended}\n`);
    await writeFile(join(tmpdir(), `${live[0]}.lock`), `${process.pid}\n`);
    const scratch = await createScratchDatabase('scratchprobe');
    try {
      const names = await readdir(tmpdir());
      expect(names.filter((name) => name.includes(`-${ended}-`))).toEqual([]);
      expect(names.filter((name) => live.some((kept) => name.startsWith(kept))).sort()).toEqual(
        [...live, `${live[0]}.lock`].sort(),
      );
      expect(scratch.config).toMatchObject({ kind: 'embedded' });
    } finally {
      await scratch.drop();
      for (const name of [...live, `${live[0]}.lock`]) await rm(join(tmpdir(), name), { recursive: true, force: true });
    }
  });
});

describe.skipIf(process.env['DATABASE_URL'] === undefined)('createScratchDatabase refused by the server', () => {
  it("says why in the server's words, naming DATABASE_URL", async () => {
    const url = new URL(process.env['DATABASE_URL']!);
    url.username = 'no_such_role_here';
    url.password = '';
    await expect(createScratchDatabase('scratchprobe', url.toString())).rejects.toThrow(
      /^DATABASE_URL: no database could be created on [^ ]+ \((28000|28P01): (role|password authentication).*"no_such_role_here"/,
    );
  });
});
