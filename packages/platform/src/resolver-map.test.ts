import { describe, expect, it } from 'vitest';
import { oncePerRequest } from './resolver-map.js';

describe('oncePerRequest', () => {
  it('makes its value once for a request, and again for another', () => {
    let made = 0;
    const read = oncePerRequest((context: { id: number }) => ({ id: context.id, made: ++made }));
    const request = { id: 1 };
    const other = { id: 2 };
    expect(read(request)).toBe(read(request));
    expect(read(other)).toEqual({ id: 2, made: 2 });
    expect(made).toBe(2);
  });

  it('keeps a value of undefined as made', () => {
    let made = 0;
    const read = oncePerRequest(() => {
      made += 1;
      return undefined;
    });
    const request = {};
    read(request);
    read(request);
    expect(made).toBe(1);
  });
});
