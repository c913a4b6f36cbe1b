// DataLoader helpers: each loader is one SQL statement with `= any(${ids})` for a whole batch,
// so the statements a request sends do not grow with the number of entities it touches.

import DataLoader from 'dataloader';
import { validUuids } from './ids.js';
import { underBatchSpan } from './sql-spans.js';
import { inSpan } from './tracing.js';

/** One batch's statement under a span: how many keys it asked for, how many rows came back, and its table. */
function traced<K, R>(fetch: (keys: readonly K[]) => Promise<readonly R[]>) {
  return (keys: readonly K[]) =>
    inSpan('db.query', { 'db.system': 'postgresql', 'hub.db.keys': keys.length }, async (span) => {
      const rows = await underBatchSpan(() => fetch(keys));
      span.setAttribute('hub.db.rows', rows.length);
      return rows;
    });
}

/** One row per key (or null): `byId(ids => sql\`… where id = any(${ids})\`)`. */
export function oneEach<K, R>(
  fetch: (keys: readonly K[]) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R | null> {
  const read = traced(fetch);
  return new DataLoader<K, R | null>(async (keys) => {
    const rows = await read(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Every row for each key, in the order the statement returned them. */
export function manyEach<K, R>(
  fetch: (keys: readonly K[]) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R[]> {
  const read = traced(fetch);
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await read(keys);
    const byKey = new Map<K, R[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/** Every record of each person, by person id; ids of a malformed form match nothing. */
export function recordsByPerson<R extends { personId: string }>(
  fetch: (personIds: string[]) => Promise<readonly R[]>,
): DataLoader<string, R[]> {
  return manyEach<string, R>(
    (ids) => fetch(validUuids(ids)),
    (row) => row.personId,
  );
}

/**
 * Each key's value (null where the loader has none), failing as the first key whose batch failed did.
 * DataLoader's own `loadMany` answers such a key with the Error in its place, which a caller reading it as "no
 * such row" would take for an answer: an agency not registered, a consent that names no DV centre, a subject
 * registered nowhere. A database fault is told as one (SERVICE_UNAVAILABLE), never decided on.
 */
export async function loadEvery<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  const found = await loader.loadMany(keys);
  const failed = found.find((value): value is Error => value instanceof Error);
  if (failed) throw failed;
  return found as V[];
}
