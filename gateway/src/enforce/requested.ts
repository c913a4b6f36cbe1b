// What the caller's own operation reads of the person each root field names, in every subgraph: a fetch
// sees only its subgraph's part, and the root's is the only one reached for a stranger.

import { Kind, type DocumentNode } from 'graphql';
import type { DataCategory } from '@hub/platform';
import { responseKey } from './fetch.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';
import { inlineFragments, scanSelection } from './selection.js';

/** The categories the operation reads of the person at each root field, by response key. */
export type Requested = (rootKey: string) => ReadonlySet<DataCategory>;

const NOTHING: ReadonlySet<DataCategory> = new Set();

// Per parsed document (kept parsed per text) and operation name: worked out once.
const byDocument = new WeakMap<DocumentNode, Map<string, ReadonlyMap<string, ReadonlySet<DataCategory>>>>();

/**
 * What `document`'s operation `operationName` reads of the person each root field of type Person names
 * (the fields of that person, not of the persons it leads to), across the supergraph.
 */
export function requestedOf(index: SchemaIndex, document: DocumentNode, operationName: string | null): Requested {
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map()));
  let byKey = byOperation.get(operationName ?? '');
  if (!byKey) byOperation.set(operationName ?? '', (byKey = rootCategories(index, document, operationName)));
  const found = byKey;
  return (rootKey) => found.get(rootKey) ?? NOTHING;
}

function rootCategories(
  index: SchemaIndex,
  document: DocumentNode,
  operationName: string | null,
): ReadonlyMap<string, ReadonlySet<DataCategory>> {
  const operation = inlineFragments(document).definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (operationName === null || d.name?.value === operationName),
  );
  const found = new Map<string, Set<DataCategory>>();
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return found;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !selection.selectionSet) continue;
    if (index.field('Query', selection.name.value)?.type !== PERSON_TYPE) continue;
    const key = responseKey(selection);
    const categories = found.get(key) ?? new Set();
    for (const use of scanSelection(index, selection.selectionSet, PERSON_TYPE).uses) categories.add(use.category);
    found.set(key, categories);
  }
  return found;
}
