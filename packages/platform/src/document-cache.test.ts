import { parse } from 'graphql';
import { expect, it } from 'vitest';
import { documentCache } from './document-cache.js';

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
