import { describe, expect, it } from 'vitest';
import { metrics } from '@hub/platform';
import { createRateLimiter } from './rate-limit.js';

function clock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

const takeMany = (n: number, take: () => { allowed: boolean }) => Array.from({ length: n }, take);

describe('the per-agency token bucket', () => {
  it('allows a minute of requests at once, then refuses with the seconds until the next one', () => {
    const time = clock();
    const limiter = createRateLimiter({ perMinute: 6, now: time.now });
    expect(takeMany(6, () => limiter.take('a', null)).every((d) => d.allowed)).toBe(true);
    expect(limiter.take('a', null)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    time.advance(10_000);
    expect(limiter.take('a', null)).toEqual({ allowed: true });
  });

  it('keeps a bucket per agency', () => {
    const limiter = createRateLimiter({ perMinute: 1, now: clock().now });
    expect(limiter.take('a', null).allowed).toBe(true);
    expect(limiter.take('a', null).allowed).toBe(false);
    expect(limiter.take('b', null).allowed).toBe(true);
  });

  it("uses an agency's own limit instead of the default, and a lowered one at once", () => {
    const limiter = createRateLimiter({ perMinute: 1000, now: clock().now });
    expect(limiter.take('a', null).allowed).toBe(true);
    expect(takeMany(3, () => limiter.take('a', 2)).map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('a raised limit gives the agency its room on the next request, not after the bucket refills', () => {
    const time = clock();
    const limiter = createRateLimiter({ perMinute: 3, now: time.now });
    expect(takeMany(4, () => limiter.take('a', null)).map((d) => d.allowed)).toEqual([true, true, true, false]);
    // Raised to 1000 a minute: 997 more at once, without waiting a minute for the bucket to fill.
    expect(takeMany(997, () => limiter.take('a', 1000)).every((d) => d.allowed)).toBe(true);
    expect(limiter.take('a', 1000).allowed).toBe(false);
  });

  it('refuses with RATE_LIMITED, status 429 and a Retry-After header', () => {
    const limiter = createRateLimiter({ perMinute: 1, now: clock().now });
    limiter.enforce('a', null);
    let thrown: unknown;
    try {
      limiter.enforce('a', null);
    } catch (error) {
      thrown = error;
    }
    const extensions = (thrown as { extensions: Record<string, unknown> }).extensions;
    expect(extensions['code']).toBe('RATE_LIMITED');
    expect(extensions['retryAfterSeconds']).toBe(60);
    const http = extensions['http'] as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(429);
    expect(http.headers.get('retry-after')).toBe('60');
  });

  it('says the wait in words that read right: one second, or that many seconds', () => {
    const messageOf = (perMinute: number) => {
      const limiter = createRateLimiter({ perMinute, now: clock().now });
      limiter.enforce('a', null);
      try {
        for (let i = 1; i < perMinute; i++) limiter.enforce('a', null);
        limiter.enforce('a', null);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(messageOf(60)).toBe('Too many requests from this agency; retry after 1 second');
    expect(messageOf(30)).toBe('Too many requests from this agency; retry after 2 seconds');
  });

  it('counts each refusal in hub_rate_limited_total, by agency', async () => {
    const limiter = createRateLimiter({ perMinute: 1, now: clock().now });
    const refused = async () =>
      (await metrics.rateLimited.get()).values.find((v) => v.labels['agency'] === 'counted')?.value ?? 0;
    limiter.enforce('counted', null);
    expect(await refused()).toBe(0);
    expect(() => limiter.enforce('counted', null)).toThrow();
    expect(() => limiter.enforce('counted', null)).toThrow();
    expect(await refused()).toBe(2);
  });
});
