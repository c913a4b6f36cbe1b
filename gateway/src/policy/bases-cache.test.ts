import { describe, expect, it } from 'vitest';
import { NO_BASES } from './bases.js';
import { BasesCache } from './bases-cache.js';
import type { Bases } from './decide.js';

const registered = (municipalityCode: string): Bases => ({ ...NO_BASES, municipalityCode });

const read = (version: bigint, entries: Record<string, Bases>) => ({
  version,
  bases: new Map(Object.entries(entries)),
});

describe('BasesCache', () => {
  it('serves the persons read at its version', () => {
    const cache = new BasesCache();
    cache.store(read(3n, { a: registered('990001'), b: NO_BASES }));
    const { version, found } = cache.lookup(['a', 'b', 'c']);
    expect(version).toBe(3n);
    expect([...found.keys()]).toEqual(['a', 'b']);
    expect(found.get('a')!.municipalityCode).toBe('990001');
  });

  it('drops every person when a read saw a newer version', () => {
    const cache = new BasesCache();
    cache.store(read(3n, { a: registered('990001'), b: NO_BASES }));
    cache.store(read(4n, { b: registered('990002') }));
    const { version, found } = cache.lookup(['a', 'b']);
    expect(version).toBe(4n);
    expect([...found.keys()]).toEqual(['b']);
    expect(found.get('b')!.municipalityCode).toBe('990002');
  });

  it('drops every person when a request saw a newer version with its caller, and keeps them for the same or an older one', () => {
    const cache = new BasesCache();
    cache.store(read(3n, { a: registered('990001') }));
    cache.see(3n);
    cache.see(2n);
    expect([...cache.lookup(['a']).found.keys()]).toEqual(['a']);
    cache.see(4n);
    expect(cache.lookup(['a'])).toEqual({ version: 4n, found: new Map() });
  });

  it('keeps nothing from a read that saw an older version', () => {
    const cache = new BasesCache();
    cache.store(read(4n, { a: registered('990001') }));
    cache.store(read(3n, { a: registered('990002'), b: NO_BASES }));
    const { version, found } = cache.lookup(['a', 'b']);
    expect(version).toBe(4n);
    expect(found.get('a')!.municipalityCode).toBe('990001');
    expect(found.has('b')).toBe(false);
  });

  it('holds at most its capacity, dropping the persons cached longest ago', () => {
    const cache = new BasesCache(2);
    cache.store(read(1n, { a: NO_BASES, b: NO_BASES }));
    cache.store(read(1n, { a: registered('990001'), c: NO_BASES }));
    expect(cache.size).toBe(2);
    expect([...cache.lookup(['a', 'b', 'c']).found.keys()]).toEqual(['a', 'c']);
  });
});
