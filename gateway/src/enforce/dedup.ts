// Representation deduplication for `_entities` fetches: the gateway's query plan sends one representation
// per position it reached, so a list that names the same entity many times asks for it many times. Each
// distinct representation is sent (and decided) once; the answer is re-expanded to every original position.

import type { GraphQLFormattedError } from 'graphql';

export interface Deduplicated {
  /** The distinct representations, in order of first appearance. */
  readonly unique: readonly unknown[];
  /** For each distinct representation, the original positions it stands for. */
  readonly positions: readonly (readonly number[])[];
}

/** Whether a representation is the usual `{ __typename, id }` of two strings and nothing else. */
function isTypeAndId(representation: unknown): representation is { __typename: string; id: string } {
  if (typeof representation !== 'object' || representation === null) return false;
  const r = representation as { __typename?: unknown; id?: unknown };
  if (typeof r.__typename !== 'string' || typeof r.id !== 'string') return false;
  let keys = 0;
  for (const _ in r) keys += 1;
  return keys === 2;
}

/**
 * Representations that serialize alike are the same entity: the gateway builds them from one selection,
 * so their keys come in one order (a `{ __typename, id }` is told by its two strings, without serializing
 * it). Returns null when every representation is already distinct, having made nothing per
 * representation but its place in a map.
 */
export function deduplicateRepresentations(representations: readonly unknown[]): Deduplicated | null {
  const byType = new Map<string, Map<string, number>>();
  const byJson = new Map<string, number>();
  // For each position, the position where its representation first appeared: made at the first repeat.
  let firstOf: number[] | null = null;
  for (let position = 0; position < representations.length; position += 1) {
    const representation = representations[position];
    let first: number | undefined;
    if (isTypeAndId(representation)) {
      let ids = byType.get(representation.__typename);
      if (!ids) byType.set(representation.__typename, (ids = new Map()));
      first = ids.get(representation.id);
      if (first === undefined) ids.set(representation.id, position);
    } else {
      const key = JSON.stringify(representation);
      first = byJson.get(key);
      if (first === undefined) byJson.set(key, position);
    }
    if (first !== undefined && !firstOf) firstOf = Array.from({ length: position }, (_, i) => i);
    firstOf?.push(first ?? position);
  }
  if (!firstOf) return null;
  const unique: unknown[] = [];
  const positions: number[][] = [];
  const slotOf = new Map<number, number>();
  firstOf.forEach((first, position) => {
    let slot = slotOf.get(first);
    if (slot === undefined) {
      slotOf.set(first, (slot = unique.length));
      unique.push(representations[first]);
      positions.push([]);
    }
    positions[slot]!.push(position);
  });
  return { unique, positions };
}

/** A fresh copy of a JSON value, so that no two positions of an answer share an object the gateway merges into. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = copy((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export interface EntitiesResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * The answer to the distinct representations, put back at every original position: `_entities[i]` for
 * each position, and an error at `_entities[u]` repeated at each position `u` stands for.
 */
export function expandEntities<T extends EntitiesResponse>(response: T, dedup: Deduplicated, total: number): T {
  const received = response.data?.['_entities'];
  let data = response.data;
  if (Array.isArray(received)) {
    const entities: unknown[] = new Array(total).fill(null);
    dedup.positions.forEach((positions, u) => {
      positions.forEach((position, n) => (entities[position] = n === 0 ? received[u] : copy(received[u])));
    });
    data = { ...response.data, _entities: entities };
  }
  const errors = response.errors?.flatMap((error) => {
    const path = error.path;
    if (!(path && path[0] === '_entities' && typeof path[1] === 'number')) return [error];
    const positions = dedup.positions[path[1]];
    if (!positions) return [error];
    return positions.map((position) => ({ ...error, path: ['_entities', position, ...path.slice(2)] }));
  });
  return { ...response, data, ...(errors ? { errors } : {}) };
}
