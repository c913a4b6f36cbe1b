// A subgraph's answer is taken only as far as it was asked. An agency's system answers for its own domain:
// a field the operation sent did not select (another domain's, one denied to the caller, one of the hub's
// own records) is dropped wherever it appears, and a person (or other entity) answered in place of the one
// asked for is withheld with an error, so no later fetch is decided, logged or sent for someone the caller
// never named. The subgraph's own fields it answers as it will: those it was asked for, it holds.

import {
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ERRORS } from '@hub/platform';

/** The response keys a selection set asks for, each with what it asks of the value (null for a leaf). */
export type AnswerShape = ReadonlyMap<string, AnswerShape | null>;

/** The reason of the error that withholds a part of an answer about another entity than the one asked for. */
export const INVALID_SUBGRAPH_ANSWER = 'INVALID_SUBGRAPH_ANSWER';

/**
 * What a selection set asks for, every fragment's fields together whatever its type condition: a field
 * another fragment of the same request asks for is the same subgraph's to answer.
 */
export function answerShape(selectionSet: SelectionSetNode, document: DocumentNode): AnswerShape {
  const shape = new Map<string, Map<string, unknown> | null>();
  addSelections(shape, selectionSet, document, new Set());
  return shape as AnswerShape;
}

function addSelections(
  shape: Map<string, Map<string, unknown> | null>,
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  spread: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      addSelections(shape, selection.selectionSet, document, spread);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      if (spread.has(name)) continue;
      spread.add(name);
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
      ) as { selectionSet: SelectionSetNode } | undefined;
      if (fragment) addSelections(shape, fragment.selectionSet, document, spread);
    } else {
      const key = selection.alias?.value ?? selection.name.value;
      if (!selection.selectionSet) {
        if (!shape.has(key)) shape.set(key, null);
        continue;
      }
      const inner = (shape.get(key) as Map<string, Map<string, unknown> | null> | null | undefined) ?? new Map();
      addSelections(inner, selection.selectionSet, document, spread);
      shape.set(key, inner);
    }
  }
}

/** Drops, in place, whatever the answer holds that its shape did not ask for. */
export function keepAsked(value: unknown, shape: AnswerShape): void {
  if (Array.isArray(value)) {
    for (const item of value) keepAsked(item, shape);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (!shape.has(key)) {
      delete object[key];
      continue;
    }
    const inner = shape.get(key);
    if (inner) keepAsked(object[key], inner);
  }
}

/** One part of an answer about another entity than the one asked for. */
export interface Strayed {
  readonly path: readonly (string | number)[];
}

/**
 * The parts of the answer that are about another entity than the one asked for, each replaced by null: an
 * `_entities` item whose key fields differ from its representation's, and a root field naming one person
 * (`id`) or several (`ids`, by position) answered with another person's `id`.
 */
export function strayedFrom(
  data: Record<string, unknown>,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  isPersonField: (field: string) => boolean,
): Strayed[] {
  const strayed: Strayed[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const key = selection.alias?.value ?? selection.name.value;
    const answer = data[key];
    if (answer == null) continue;
    if (selection.name.value === '_entities') {
      const representations = argumentValue(selection, 'representations', variables);
      if (Array.isArray(representations) && Array.isArray(answer))
        answer.forEach((item, i) => {
          if (!sameKeys(item, representations[i], selection)) strayed.push(withheld(answer, i, [key, i]));
        });
    } else if (isPersonField(selection.name.value)) {
      // Where the answer says whose it is: the response key of its `id` field (a client may alias another
      // field as `id`, or `id` as another name), if it selects one; a list where one person was asked for
      // says it is not hers either way.
      const idKey = responseKeyOf(selection, 'id');
      const single = argumentValue(selection, 'id', variables);
      // A single value where a list is expected is a list of one, as the subgraph reads it (root-fields.ts).
      const many = argumentValue(selection, 'ids', variables);
      const ids = many === undefined ? undefined : [many].flat(Infinity);
      if (single !== undefined && !sameId(answer, idKey, single)) strayed.push(withheld(data, key, [key]));
      if (ids && Array.isArray(answer))
        answer.forEach((item, i) => {
          if (!sameId(item, idKey, ids[i])) strayed.push(withheld(answer, i, [key, i]));
        });
    }
  }
  return strayed;
}

/** The error in place of a withheld part: the subgraph's fault, not the caller's. */
export function strayedError(domain: string, { path }: Strayed): GraphQLFormattedError {
  return {
    message: `The ${domain} subgraph answered about another person or record than it was asked; that part of its answer is withheld.`,
    path,
    extensions: { code: ERRORS.SERVICE_UNAVAILABLE.code, reason: INVALID_SUBGRAPH_ANSWER },
  };
}

function withheld(container: unknown[] | Record<string, unknown>, at: number | string, path: Strayed['path']): Strayed {
  (container as Record<string | number, unknown>)[at] = null;
  return { path };
}

function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}

const idOf = (value: unknown) => String(value).toLowerCase();

/** The response key under which a selection (its inline fragments included) asks for `field`, if it does. */
function responseKeyOf(parent: FieldNode, field: string): string | undefined {
  const search = (selectionSet: SelectionSetNode | undefined): string | undefined => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.name.value === field) return selection.alias?.value ?? field;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = search(selection.selectionSet);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return search(parent.selectionSet);
}

/**
 * An answer is about the person asked for unless its `id` says another (one it does not hold says nothing),
 * or it is a list where one person was asked for (whose items the executors would each take for her).
 */
function sameId(answer: unknown, idKey: string | undefined, id: unknown): boolean {
  if (Array.isArray(answer)) return false;
  if (idKey === undefined || answer === null || typeof answer !== 'object' || !(idKey in answer)) return true;
  return id !== undefined && idOf((answer as Record<string, unknown>)[idKey]) === idOf(id);
}

/** An entity answers its representation unless a key field it returns (under its response key) says otherwise. */
function sameKeys(item: unknown, representation: unknown, entities: FieldNode): boolean {
  if (Array.isArray(item)) return false;
  if (item === null || typeof item !== 'object') return true;
  if (representation === null || typeof representation !== 'object') return false;
  const answered = item as Record<string, unknown>;
  for (const [field, value] of Object.entries(representation)) {
    if (value === null || typeof value === 'object') continue;
    const key = field === '__typename' ? field : responseKeyOf(entities, field);
    if (key === undefined || !(key in answered)) continue;
    const same = field === 'id' ? idOf(answered[key]) === idOf(value) : answered[key] === value;
    if (!same) return false;
  }
  return true;
}
