// Requests per minute per agency: a token bucket for each, refilled continuously, kept in this gateway
// replica's memory (each replica allows the limit on its own). Checked right after authentication.

import { ERRORS, metrics } from '@hub/platform';

export interface RateLimiterOptions {
  /** Requests per minute of an agency that has no limit of its own (config.limits.rateLimitPerMinute). */
  perMinute: number;
  /**
   * Milliseconds of a monotonic clock.
   * @default performance.now
   */
  now?: () => number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one request from the agency's bucket; `ownLimit` (per minute) replaces the default when set. */
  take(agencyId: string, ownLimit: number | null): RateDecision;
  /** Throws RATE_LIMITED (429, with Retry-After) when the agency is over its limit. */
  enforce(agencyId: string, ownLimit: number | null): void;
}

interface Bucket {
  tokens: number;
  at: number;
  /** The limit the bucket was last filled for. */
  capacity: number;
}

/**
 * A full bucket holds one minute's requests, so an agency may burst up to its limit and then goes on at
 * its rate. A changed limit applies at once: a raised one adds what it raised (the agency's next request
 * has the room an administrator gave it), and the bucket never holds more than the limit now allows.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  // One bucket per registered agency that called: bounded by the register, since the agency was loaded first.
  const buckets = new Map<string, Bucket>();

  const take = (agencyId: string, ownLimit: number | null): RateDecision => {
    const capacity = ownLimit ?? options.perMinute;
    const perMs = capacity / 60_000;
    const t = now();
    const bucket = buckets.get(agencyId) ?? { tokens: capacity, at: t, capacity };
    const raised = Math.max(0, capacity - bucket.capacity);
    bucket.tokens = Math.min(capacity, bucket.tokens + raised + (t - bucket.at) * perMs);
    bucket.at = t;
    bucket.capacity = capacity;
    buckets.set(agencyId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  };

  return {
    take,
    enforce(agencyId, ownLimit) {
      const decision = take(agencyId, ownLimit);
      if (decision.allowed) return;
      metrics.rateLimited.inc({ agency: agencyId });
      const { retryAfterSeconds } = decision;
      throw ERRORS.RATE_LIMITED.err(
        `Too many requests from this agency; retry after ${retryAfterSeconds} seconds`,
        { retryAfterSeconds },
        { 'retry-after': String(retryAfterSeconds) },
      );
    },
  };
}
