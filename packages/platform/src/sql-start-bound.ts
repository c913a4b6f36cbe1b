// A statement that cannot reach the database within a bound fails as CONNECT_TIMEOUT, instead of waiting
// for good. postgres.js 3.4.9 can leave a statement parked on a connection that retries its login in a loop
// without ever settling it: a socket closed cleanly during the login (porsager/postgres#1193), or a backend
// terminated mid-statement followed by a database that refuses logins (ALLOW_CONNECTIONS false). Its own
// connect_timeout is cancelled at each retry, so a request, `/readyz` and the access log's writer waited
// until the database came back. A statement already sent is left alone: how long it runs is the server's.

import type { Sql } from 'postgres';

type Thenable = { then(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown): unknown };
/** postgres.js's query as the bound reads it: `state` is set once it is handed to a connected backend. */
type PendingQuery = Thenable & { state?: unknown; cancel(): unknown };

function isTemplate(value: unknown): value is TemplateStringsArray {
  return Array.isArray(value) && 'raw' in value;
}

/** The error of a statement (or a transaction) that got no connection in time: unreachable, as postgres.js says. */
function notStarted(withinMs: number): Error {
  return Object.assign(new Error(`No database connection within ${withinMs} ms`), { code: 'CONNECT_TIMEOUT' });
}

/** The query, its settling raced against the bound from when it is first awaited (when postgres.js sends it). */
function bounded(query: PendingQuery, withinMs: number): PendingQuery {
  const send = query.then.bind(query);
  let run: Promise<unknown> | undefined;
  query.then = (onFulfilled, onRejected) => {
    run ??= new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (query.state) return;
        reject(notStarted(withinMs));
        // Out of the pool's queue, so that a connection made later does not run it after its caller gave up.
        void Promise.resolve(query.cancel()).catch(() => {});
      }, withinMs);
      timer.unref();
      send(
        (value) => (clearTimeout(timer), resolve(value)),
        (error) => (clearTimeout(timer), reject(error)),
      );
    });
    return run.then(onFulfilled, onRejected);
  };
  return query;
}

/**
 * The pool's `sql` with every statement bounded so: a tagged template, and a transaction (`begin`), whose
 * callback, should it get its connection after the bound, rolls back without running.
 */
export function startBound<T extends Sql>(sql: T, withinMs: number): T {
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const query = Reflect.apply(target as unknown as (...a: unknown[]) => unknown, thisArg, args);
      return isTemplate(args[0]) ? bounded(query as PendingQuery, withinMs) : query;
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'begin' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const callback = args.at(-1) as (tx: Sql) => unknown;
        let started = false;
        let late = false;
        const transaction = (value as (...a: unknown[]) => Promise<unknown>).apply(target, [
          ...args.slice(0, -1),
          (tx: Sql) => {
            if (late) throw notStarted(withinMs);
            started = true;
            return callback(startBound(tx, withinMs));
          },
        ]);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            if (started) return;
            late = true;
            reject(notStarted(withinMs));
          }, withinMs);
          timer.unref();
          transaction.then(
            (result) => (clearTimeout(timer), resolve(result)),
            (error: unknown) => (clearTimeout(timer), reject(error)),
          );
        });
      };
    },
  });
}
