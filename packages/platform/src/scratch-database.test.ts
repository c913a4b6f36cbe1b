import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
