// Persons reached inside another person's data: fetched first as bare keys, then each decided on its own
// and fetched, through the same enforcement, as an `_entities` request merged back in place.

import { Kind, parse, print, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Assembled, EnforceOptions, FetchRequest, FetchResponse, Path, SubgraphFetch } from './fetch.js';
import { PERSON_TYPE } from './schema-index.js';
import { variablesUsed } from './selection.js';

/** The enforcement a follow-up fetch goes through: enforceFetch, passed in so this module does not import it. */
export type Enforce = (request: FetchRequest, options: EnforceOptions) => Promise<FetchResponse>;

/** Where a nested person sits in a response: the object, its full path, and the list holding it, if one does. */
interface Placed {
  readonly object: Record<string, unknown>;
  readonly path: Path;
  readonly list?: unknown[];
}

const ENTITIES_OPERATION = parse(
  'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }',
).definitions[0] as OperationDefinitionNode;

/**
 * Persons reached inside another person's data were fetched as bare keys; each is now decided on its own
 * and fetched, through this same enforcement, as an `_entities` request, then merged in place.
 */
export async function resolveNested(assembled: Assembled, fetch: SubgraphFetch, enforce: Enforce): Promise<void> {
  if (!assembled.data || !assembled.pending.length) return;
  await Promise.all(
    [...placedBySelection(assembled, assembled.data)].map(async ([selectionSet, placed]) => {
      if (!placed.length) return;
      const ids = [...new Set(placed.map((p) => p.object['id'] as string))];
      const response = await enforce(followUp(selectionSet, ids, fetch), fetch.options);
      mergeFollowUp(assembled, placed, ids, response);
    }),
  );
}

/** The nested persons with an id, by the selection set they are to be fetched with. */
function placedBySelection(assembled: Assembled, data: Record<string, unknown>): Map<SelectionSetNode, Placed[]> {
  const bySelection = new Map<SelectionSetNode, Placed[]>();
  for (const { base, nested } of assembled.pending) {
    const start = base.reduce<unknown>(
      (value, key) => (value as Record<string | number, unknown> | null)?.[key] ?? null,
      data,
    );
    const placed: Placed[] = [];
    place(start, nested.path, base, placed);
    const list = bySelection.get(nested.selectionSet) ?? [];
    list.push(...placed.filter((p) => typeof p.object['id'] === 'string'));
    bySelection.set(nested.selectionSet, list);
  }
  return bySelection;
}

function place(value: unknown, keys: readonly string[], path: Path, out: Placed[], list?: unknown[]): void {
  if (value == null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => place(item, keys, [...path, i], out, value));
    return;
  }
  if (typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  if (!keys.length) {
    out.push({ object, path, ...(list ? { list } : {}) });
    return;
  }
  place(object[keys[0]!], keys.slice(1), [...path, keys[0]!], out);
}

/** `_entities(representations)` for these persons with the nested selection, and the variables it uses. */
function followUp(selectionSet: SelectionSetNode, ids: readonly string[], fetch: SubgraphFetch): FetchRequest {
  const entitiesSelection: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: [
      {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: PERSON_TYPE } },
        selectionSet,
      },
    ],
  };
  const field = ENTITIES_OPERATION.selectionSet.selections[0] as FieldNode;
  const used = variablesUsed(selectionSet);
  const operation: OperationDefinitionNode = {
    ...ENTITIES_OPERATION,
    variableDefinitions: [
      ...(ENTITIES_OPERATION.variableDefinitions ?? []),
      ...(fetch.operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{ ...field, selectionSet: entitiesSelection }] },
  };
  // Without a prototype, as the request's: `$__proto__` is a variable like any.
  const variables: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, {
    representations: ids.map((id) => ({ __typename: PERSON_TYPE, id })),
  });
  for (const name of used) variables[name] = fetch.request.variables[name];
  return { query: print({ kind: Kind.DOCUMENT, definitions: [operation] }), variables };
}

/**
 * Merges each person's answer into every place it was reached, with its errors moved to those places. A
 * person answered as no one (about whom the caller holds nothing, or an id that names no one) leaves the
 * list it was reached in, as a list answers with its allowed items only: its id would tell the caller of a
 * resident it may know nothing of, and the list's length how many were withheld.
 */
function mergeFollowUp(
  assembled: Assembled,
  placed: readonly Placed[],
  ids: readonly string[],
  response: FetchResponse,
): void {
  const received = (response.data?.['_entities'] ?? []) as (Record<string, unknown> | null)[];
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const answerOf = (p: Placed) => received[indexOf.get(p.object['id'] as string)!] ?? null;
  const leaving = new Map<unknown[], number[]>();
  for (const p of placed) {
    const answer = answerOf(p);
    if (answer) Object.assign(p.object, answer);
    else if (p.list) leaving.set(p.list, [...(leaving.get(p.list) ?? []), p.path.at(-1) as number]);
  }
  // Paths as they will be once those persons have left their lists (read on the lists as they are now).
  const shifted = (path: Path): Path => {
    let value: unknown = assembled.data;
    return path.map((step) => {
      const left = Array.isArray(value) ? leaving.get(value) : undefined;
      value = (value as Record<string | number, unknown> | null | undefined)?.[step];
      return left && typeof step === 'number' ? step - left.filter((i) => i < step).length : step;
    });
  };
  for (const error of response.errors ?? []) {
    const path = error.path;
    if (!(path && path[0] === '_entities' && typeof path[1] === 'number')) {
      assembled.errors.push(error);
      continue;
    }
    const id = ids[path[1]];
    for (const p of placed.filter((q) => q.object['id'] === id))
      assembled.errors.push({ ...error, path: shifted([...p.path, ...path.slice(2)]) });
  }
  for (const [list, indices] of leaving) {
    for (const i of [...new Set(indices)].sort((a, b) => b - a)) list.splice(i, 1);
  }
}
