// postgres.js reads a new connection's array types before anything else (fetch_types), as a statement of
// its own; this is how that read is told apart from the hub's statements and from other failures, and how a
// service survives its failure.

import type { Logger } from './logger.js';

/** The start of postgres.js's array-type read, as its debug hook and its errors show the statement. */
export const POSTGRES_JS_TYPE_FETCH = 'select b.oid, b.typarray';

/**
 * Whether an unhandled rejection is postgres.js's read of a new connection's array types failing: it sends
 * that read first on every connection and drops its promise (porsager/postgres#1192, #1223), so a connection
 * cut at that moment (a database restart) rejects where nothing can catch it. The connection is opened
 * again and the statement that waited for it fails or succeeds on its own: nothing is lost.
 */
export function isArrayTypeReadFailure(reason: unknown): boolean {
  const query = typeof reason === 'object' && reason !== null ? (reason as { query?: unknown }).query : undefined;
  return typeof query === 'string' && query.trimStart().startsWith(POSTGRES_JS_TYPE_FETCH);
}

/**
 * For a service's process: an array-type read's failure is logged as a warning rather than ending the
 * service (Node ends a process on an unhandled rejection); any other keeps Node's default and ends it.
 */
export function surviveArrayTypeReadFailures(logger: Pick<Logger, 'warn'>): void {
  process.on('unhandledRejection', (reason) => {
    if (!isArrayTypeReadFailure(reason)) throw reason;
    const code = (reason as { code?: unknown }).code;
    logger.warn({ code }, 'a database connection was cut while it read its array types; it is opened again');
  });
}
