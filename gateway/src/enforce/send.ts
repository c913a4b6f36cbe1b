// Sending one enforced fetch: a rewritten operation of its document, printed once per rewrite and declaring
// only the variables it uses, and its answer taken only as far as it was asked (answer.ts).

import {
  print,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { DataCategory } from '@hub/platform';
import { answerShape, keepAsked, strayedError, strayedFrom, type AnswerShape } from './answer.js';
import type { FetchResponse, SubgraphFetch } from './fetch.js';
import { PERSON_TYPE } from './schema-index.js';
import { variablesUsed } from './selection.js';

/** What a client is told of a subgraph it needed that could not be reached (SERVICE_UNAVAILABLE). */
export const SUBGRAPH_UNAVAILABLE = 'A subgraph this answer needs is not available; its part of the answer is missing.';

/** The operation with this selection set, declaring only the variables the selection uses. */
export function withVariables(
  operation: OperationDefinitionNode,
  selectionSet: SelectionSetNode,
  extra: VariableDefinitionNode[] = [],
): OperationDefinitionNode {
  const used = variablesUsed(selectionSet);
  const definitions = [...(operation.variableDefinitions ?? []), ...extra].filter((d) =>
    used.has(d.variable.name.value),
  );
  return { ...operation, variableDefinitions: definitions, selectionSet };
}

/** Sends a rewritten operation of the fetch's document, with only the variables it declares. */
export async function sendRewritten(
  fetch: SubgraphFetch,
  rewritten: OperationDefinitionNode,
  variables: Record<string, unknown>,
  categories: ReadonlySet<DataCategory>,
  how: {
    /** For a recording: where the register has each person it names, signed with it (the `reg` claim). */
    readonly registeredIn?: ReadonlyMap<string, string>;
    /**
     * Objects that determine the rewritten operation (the fetch's document and the rewritten selections,
     * which scanSelection keeps per denied set): its printed text is then kept for them.
     */
    readonly sameAs?: readonly object[];
  } = {},
): Promise<FetchResponse> {
  const print = () => printRewritten(fetch, rewritten);
  const printed = how.sameAs ? memoized(how.sameAs, print) : print();
  const sent = Object.fromEntries(Object.entries(variables).filter(([name]) => printed.declared.has(name)));
  const response = await fetch.options.send(
    { query: printed.query, variables: sent, operationName: fetch.request.operationName },
    categories,
    how.registeredIn,
  );
  return asAsked(fetch, rewritten, sent, printed.shape, response);
}

/**
 * The answer cut to what was asked (answer.ts): what the operation sent did not select is dropped, and a
 * part about another entity than the one asked for is withheld with an error, and logged without its data.
 */
function asAsked(
  { options }: SubgraphFetch,
  rewritten: OperationDefinitionNode,
  variables: Record<string, unknown>,
  shape: AnswerShape,
  response: FetchResponse,
): FetchResponse {
  const { data } = response;
  if (!data) return response;
  keepAsked(data, shape);
  const isPersonField = (field: string) => options.index.field('Query', field)?.type === PERSON_TYPE;
  const strayed = rewritten.operation === 'query' ? strayedFrom(data, rewritten, variables, isPersonField) : [];
  if (!strayed.length) return response;
  options.logger?.warn(
    { domain: options.subgraphDomain, paths: strayed.map(({ path }) => path.join('.')) },
    'subgraph answered about another entity than it was asked; withheld',
  );
  return {
    ...response,
    errors: [...(response.errors ?? []), ...strayed.map((s) => strayedError(options.subgraphDomain, s))],
  };
}

interface Printed {
  readonly query: string;
  readonly declared: ReadonlySet<string>;
  /** What the operation asks for: all the answer may hold. */
  readonly shape: AnswerShape;
}

function printRewritten(fetch: SubgraphFetch, rewritten: OperationDefinitionNode): Printed {
  return {
    query: print({ ...fetch.document, definitions: [rewritten] }),
    declared: new Set((rewritten.variableDefinitions ?? []).map((d) => d.variable.name.value)),
    shape: answerShape(rewritten.selectionSet, fetch.document),
  };
}

/** A trie of weak maps, one level per key object; an entry lives as long as all its key objects do. */
export interface MemoTrie<T> {
  readonly next: WeakMap<object, MemoTrie<T>>;
  value?: T;
}

export function memoTrie<T>(): MemoTrie<T> {
  return { next: new WeakMap() };
}

/** The value kept for these key objects, made on first use. */
export function memoizedBy<T>(trie: MemoTrie<T>, keys: readonly object[], make: () => T): T {
  let node = trie;
  for (const key of keys) {
    let next = node.next.get(key);
    if (!next) node.next.set(key, (next = { next: new WeakMap() }));
    node = next;
  }
  return (node.value ??= make());
}

const printedTrie = memoTrie<Printed>();
const memoized = (keys: readonly object[], make: () => Printed) => memoizedBy(printedTrie, keys, make);

/** An error of a request sent for some positions of a list, moved to its place in the whole list. */
export function reindexed(
  error: GraphQLFormattedError,
  key: string,
  positions: readonly number[],
): GraphQLFormattedError {
  const path = error.path;
  return path && path[0] === key && typeof path[1] === 'number'
    ? { ...error, path: [key, positions[path[1]] ?? path[1], ...path.slice(2)] }
    : error;
}
