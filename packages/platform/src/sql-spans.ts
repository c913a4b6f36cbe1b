// A span for every SQL statement of a sampled request, in one place: the pool's `sql` function (and each
// transaction's) as connect() hands it out. Attributes name the statement's operation and table, never a
// value: a tagged template's values are its parameters, and only its literal text is read.

import { context, createContextKey, type Attributes } from '@opentelemetry/api';
import type { Sql } from 'postgres';
import { inSpan, sampling, trace } from './tracing.js';

const IN_BATCH_SPAN = createContextKey('hub.db.batch-span');

/**
 * Runs a loader's batch statement under the span the loader made for it (keys and rows): the statement
 * then adds its operation and table to that span instead of making a second one.
 */
export function underBatchSpan<T>(fn: () => Promise<T>): Promise<T> {
  return context.with(context.active().setValue(IN_BATCH_SPAN, true), fn);
}

const described = new WeakMap<readonly string[], Attributes>();

/** The statement's operation (its first keyword) and the first table it names after from, into or update. */
function describe(strings: readonly string[]): Attributes {
  let attributes = described.get(strings);
  if (attributes) return attributes;
  const text = strings.join(' ');
  const operation = /^\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? 'UNKNOWN';
  const table = /\b(?:from|into|update)\s+((?:[a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*)/i.exec(text)?.[1];
  attributes = {
    'db.system': 'postgresql',
    'db.operation.name': operation,
    ...(table ? { 'db.collection.name': table.toLowerCase() } : {}),
  };
  described.set(strings, attributes);
  return attributes;
}

function rowCount(result: unknown): number {
  const { count, length } = result as { count?: number | null; length?: number };
  return typeof count === 'number' ? count : (length ?? 0);
}

type Thenable = { then(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown): unknown };

/** The statement runs (postgres.js sends it when first awaited) under a `db.query` span of its own. */
function spanned(query: Thenable, attributes: Attributes): Thenable {
  const send = query.then.bind(query);
  let run: Promise<unknown> | undefined;
  query.then = (onFulfilled, onRejected) => {
    run ??= inSpan('db.query', attributes, async (span) => {
      const result = await new Promise<unknown>((resolve, reject) => void send(resolve, reject));
      span.setAttribute('hub.db.rows', rowCount(result));
      return result;
    });
    return run.then(onFulfilled, onRejected);
  };
  return query;
}

function isTemplate(value: unknown): value is TemplateStringsArray {
  return Array.isArray(value) && 'raw' in value;
}

/**
 * The pool's `sql` with a span per statement while the request is sampled; outside a sampled trace it
 * adds one check per call. Transactions (`begin`, `savepoint`) hand their callbacks a traced `sql` too.
 */
export function tracedSql<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const query = Reflect.apply(target as unknown as (...a: unknown[]) => unknown, thisArg, args);
      if (!isTemplate(args[0]) || !sampling()) return query;
      const attributes = describe(args[0]);
      if (context.active().getValue(IN_BATCH_SPAN)) {
        trace.getActiveSpan()?.setAttributes(attributes);
        return query;
      }
      return spanned(query as Thenable, attributes);
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property !== 'begin' && property !== 'savepoint') || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => unknown).apply(
          target,
          args.map((arg) =>
            typeof arg === 'function' ? (tx: Sql) => (arg as (t: Sql) => unknown)(tracedSql(tx)) : arg,
          ),
        );
    },
  });
}
