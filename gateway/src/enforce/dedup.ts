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

/**
 * A representation's identity: its JSON, or for the usual `{ __typename, id }` of strings the two joined
 * (a character no id or type name holds between them), which costs a fraction of serializing it.
 */
function keyOf(representation: unknown): string {
  const r = representation as { __typename?: unknown; id?: unknown };
  if (
    typeof r === 'object' &&
    r !== null &&
    typeof r.__typename === 'string' &&
    typeof r.id === 'string' &&
    Object.keys(r).length === 2
  )
    return `\u0000${r.__typename}\u0000${r.id}`;
  return JSON.stringify(representation);
}

/**
 * Representations that serialize alike are the same entity: the gateway builds them from one selection,
 * so their keys come in one order. Returns null when every representation is already distinct.
 */
export function deduplicateRepresentations(representations: readonly unknown[]): Deduplicated | null {
  const indexOf = new Map<string, number>();
  const unique: unknown[] = [];
  const positions: number[][] = [];
  representations.forEach((representation, position) => {
    const key = keyOf(representation);
    let at = indexOf.get(key);
    if (at === undefined) {
      at = unique.length;
      indexOf.set(key, at);
      unique.push(representation);
      positions.push([]);
    }
    positions[at]!.push(position);
  });
  return unique.length === representations.length ? null : { unique, positions };
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
