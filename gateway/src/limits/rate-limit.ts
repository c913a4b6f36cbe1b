// Requests per minute per agency: a token bucket for each, refilled continuously, kept in this gateway
// replica's memory (each replica allows the limit on its own). Checked right after authentication.

import { ERRORS, metrics, type Logger } from '@hub/platform';

export interface RateLimiterOptions {
  /** Requests per minute of an agency that has no limit of its own (config.limits.rateLimitPerMinute). */
  perMinute: number;
  /**
   * Milliseconds of a monotonic clock.
   * @default performance.now
   */
  now?: () => number;
  /** Where a refusal is logged: one line per refused request, as for one refused at authentication. */
  logger?: Pick<Logger, 'info'>;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * Takes `operations` requests (a batch counts each of its operations) from the agency's bucket, all or
   * none; `ownLimit` (per minute) replaces the default when set.
   */
  take(agencyId: string, ownLimit: number | null, operations?: number): RateDecision;
  /** Throws RATE_LIMITED (429, with Retry-After) when the agency is over its limit. */
  enforce(agencyId: string, ownLimit: number | null, operations?: number): void;
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

  // An agency's requests a minute: its own limit, or the hub's.
  const capacityOf = (ownLimit: number | null) => ownLimit ?? options.perMinute;

  const take = (agencyId: string, ownLimit: number | null, operations = 1): RateDecision => {
    const capacity = capacityOf(ownLimit);
    const perMs = capacity / 60_000;
    const t = now();
    const bucket = buckets.get(agencyId) ?? { tokens: capacity, at: t, capacity };
    const raised = Math.max(0, capacity - bucket.capacity);
    bucket.tokens = Math.min(capacity, bucket.tokens + raised + (t - bucket.at) * perMs);
    bucket.at = t;
    bucket.capacity = capacity;
    buckets.set(agencyId, bucket);
    if (bucket.tokens >= operations) {
      bucket.tokens -= operations;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((operations - bucket.tokens) / perMs / 1000)) };
  };

  return {
    take,
    enforce(agencyId, ownLimit, operations = 1) {
      // A batch larger than a minute's requests never fits: no Retry-After can make it.
      const capacity = capacityOf(ownLimit);
      if (operations > capacity) {
        options.logger?.info({ agency: agencyId, operations }, 'request refused: batch over the rate limit');
        throw ERRORS.BAD_REQUEST.err(
          `A batch of ${operations} operations is more than this agency's ${capacity} a minute: send fewer at once`,
          { reason: 'BATCH_TOO_LARGE' },
        );
      }
      const decision = take(agencyId, ownLimit, operations);
      if (decision.allowed) return;
      metrics.rateLimited.inc({ agency: agencyId });
      const { retryAfterSeconds } = decision;
      options.logger?.info({ agency: agencyId, operations, retryAfterSeconds }, 'request refused: rate limited');
      throw ERRORS.RATE_LIMITED.err(
        `Too many requests from this agency; retry after ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
        { retryAfterSeconds },
        { 'retry-after': String(retryAfterSeconds) },
      );
    },
  };
}
