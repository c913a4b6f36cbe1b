// How many items a list answers: one bound for every list of the hub and its subgraphs.

import { ERRORS } from './errors.js';

/** The most items one page of any list holds. */
export const MAX_PAGE = 200;

/** `first` as asked (or `fallback`), from 1 to `max`; anything else is BAD_USER_INPUT (OUT_OF_RANGE). */
export function pageSize(first: number | null | undefined, fallback = 50, max = MAX_PAGE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw ERRORS.BAD_USER_INPUT.err(`first is 1 to ${max}`, { argument: 'first', reason: 'OUT_OF_RANGE' });
  }
  return n;
}
