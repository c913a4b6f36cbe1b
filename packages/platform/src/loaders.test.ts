import { describe, expect, it } from 'vitest';
import { loadEvery, manyEach, oneEach } from './loaders.js';

describe('loaders', () => {
  it('loadEvery answers each key (null where missing), and fails as the batch did: a fault is no missing row', async () => {
    const rows = oneEach<string, { id: string }>(
      async (ids) => ids.filter((id) => id !== 'b').map((id) => ({ id })),
      (row) => row.id,
    );
    expect(await loadEvery(rows, ['a', 'b'])).toEqual([{ id: 'a' }, null]);
    const unreachable = oneEach<string, { id: string }>(
      async () => {
        throw new Error('the database is not reachable');
      },
      (row) => row.id,
    );
    await expect(loadEvery(unreachable, ['a', 'b'])).rejects.toThrow('the database is not reachable');
  });

  it('oneEach answers a whole batch with one fetch, in the order of the keys, null where missing', async () => {
    const calls: (readonly string[])[] = [];
    const loader = oneEach<string, { id: string }>(
      async (ids) => {
        calls.push(ids);
        return ids.filter((id) => id !== 'b').map((id) => ({ id }));
      },
      (row) => row.id,
    );
    const rows = await Promise.all(['c', 'a', 'b'].map((id) => loader.load(id)));
    expect(rows).toEqual([{ id: 'c' }, { id: 'a' }, null]);
    expect(calls).toHaveLength(1);
  });

  it('manyEach groups rows by key and answers an empty list for a key with none', async () => {
    const loader = manyEach<string, { personId: string; n: number }>(
      async () => [
        { personId: 'a', n: 1 },
        { personId: 'a', n: 2 },
      ],
      (row) => row.personId,
    );
    expect(await Promise.all([loader.load('a'), loader.load('z')])).toEqual([
      [
        { personId: 'a', n: 1 },
        { personId: 'a', n: 2 },
      ],
      [],
    ]);
  });
});
