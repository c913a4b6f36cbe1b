import { parse } from 'graphql';
import { expect, it } from 'vitest';
import { documentCache, MAX_CACHED_OPERATION_CHARS } from './document-cache.js';

it('keeps the operations used last, at most as many as it was given, dropping the least recently used', async () => {
  const cache = documentCache(2);
  const a = parse('{ a }');
  const b = parse('{ b }');
  const c = parse('{ c }');
  await cache.set('a', a);
  await cache.set('b', b);
  expect(await cache.get('a')).toBe(a); // now b is the least recently used
  await cache.set('c', c);
  expect(cache.size).toBe(2);
  expect(await cache.get('b')).toBeUndefined();
  expect(await cache.get('a')).toBe(a);
  expect(await cache.get('c')).toBe(c);
  await cache.delete('a');
  expect(await cache.get('a')).toBeUndefined();
  expect(cache.size).toBe(1);
});

it('holds at most as many characters of operation text as it was given, and no operation longer than that', async () => {
  const cache = documentCache(100, 30);
  const short = (name: string) => parse(`{ ${name} }`); // 4 + the name's length
  await cache.set('a', short('aaaaaa')); // 10
  await cache.set('b', short('bbbbbb')); // 20
  await cache.set('c', short('cccccc')); // 30
  expect(cache.size).toBe(3);
  expect(cache.sourceChars).toBe(30);
  await cache.get('a'); // now b is the least recently used
  await cache.set('d', short('dddddd'));
  expect(cache.size).toBe(3);
  expect(cache.sourceChars).toBe(30);
  expect(await cache.get('b')).toBeUndefined();

  const batch = parse(`mutation { ${Array.from({ length: 10 }, (_, i) => `m${i}: x`).join(' ')} }`);
  await cache.set('batch', batch);
  expect(await cache.get('batch')).toBeUndefined();
  expect(cache.size).toBe(3);
  await cache.delete('a');
  expect(cache.sourceChars).toBe(20);
});

it('keeps no operation longer than MAX_CACHED_OPERATION_CHARS, though the whole bound has room', async () => {
  const cache = documentCache(100, 1024 * 1024);
  const aliases = (n: number) => `mutation { ${Array.from({ length: n }, (_, i) => `m${i}: x`).join(' ')} }`;
  const small = parse(aliases(10));
  const batch = parse(aliases(2_000));
  expect(batch.loc!.source.body.length).toBeGreaterThan(MAX_CACHED_OPERATION_CHARS);
  await cache.set('small', small);
  await cache.set('batch', batch);
  expect(await cache.get('small')).toBe(small);
  expect(await cache.get('batch')).toBeUndefined();
  expect(cache.sourceChars).toBe(small.loc!.source.body.length);
});
