// Operations on the selection sets of a subgraph fetch: inline named fragments, take categorized fields
// out of a person's selection, and set nested persons aside so they are decided on their own.

import {
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { DataCategory } from '@hub/platform';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';

/** One place a category is read in a person's selection, by response keys from the person. */
export interface CategoryUse {
  readonly category: DataCategory;
  readonly path: readonly string[];
}

/** A Person reached inside another person's selection (e.g. household members): decided separately. */
export interface NestedPerson {
  readonly path: readonly string[];
  readonly selectionSet: SelectionSetNode;
}

export interface Scan {
  readonly selectionSet: SelectionSetNode;
  readonly uses: readonly CategoryUse[];
  readonly nested: readonly NestedPerson[];
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
const ID: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } };

/** `{ __typename id }`: what stays of a nested person until it is decided. */
export const PERSON_KEY_SELECTION: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [TYPENAME, ID] };

/** Replaces every fragment spread by an inline fragment, so each selection can be read in place. */
export function inlineFragments(document: DocumentNode): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  if (!fragments.size) return document;
  const inline = (set: SelectionSetNode, seen: ReadonlySet<string>): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((s): SelectionNode => {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        if (!fragment || seen.has(s.name.value)) throw new Error(`unresolvable fragment ${s.name.value}`);
        return {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: s.directives ?? [],
          selectionSet: inline(fragment.selectionSet, new Set([...seen, s.name.value])),
        };
      }
      return s.selectionSet ? { ...s, selectionSet: inline(s.selectionSet, seen) } : s;
    }),
  });
  return {
    ...document,
    definitions: document.definitions
      .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION)
      .map((d) =>
        d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: inline(d.selectionSet, new Set()) } : d,
      ),
  };
}

/**
 * Walks a selection on `parentType`, recording where each category is read and which nested persons it
 * reaches, and returns it without the fields of a `denied` category and with nested persons cut to their
 * key. A field inherits the category of its nearest tagged ancestor; only a change of category is a use.
 */
export function scanSelection(
  index: SchemaIndex,
  selectionSet: SelectionSetNode,
  parentType: string,
  denied: ReadonlySet<DataCategory> = new Set(),
): Scan {
  // The same selection (documents are parsed once per text) scanned for the same denied set scans alike:
  // kept per selection node, so a repeated query is not walked again. What is denied is decided per
  // request; only the rewriting of a selection for a given denied set is kept.
  let bySelection = scans.get(index);
  if (!bySelection) scans.set(index, (bySelection = new WeakMap()));
  let byDenied = bySelection.get(selectionSet);
  if (!byDenied) bySelection.set(selectionSet, (byDenied = new Map()));
  const key = `${parentType}\u0000${[...denied].sort().join(',')}`;
  let scan = byDenied.get(key);
  if (!scan) byDenied.set(key, (scan = scanOnce(index, selectionSet, parentType, denied)));
  return scan;
}

const scans = new WeakMap<SchemaIndex, WeakMap<SelectionSetNode, Map<string, Scan>>>();

function scanOnce(
  index: SchemaIndex,
  selectionSet: SelectionSetNode,
  parentType: string,
  denied: ReadonlySet<DataCategory>,
): Scan {
  const uses: CategoryUse[] = [];
  const nested: NestedPerson[] = [];

  const walk = (set: SelectionSetNode, type: string, inherited: DataCategory | null, path: readonly string[]) => {
    const selections: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value ?? type;
        selections.push({ ...selection, selectionSet: walk(selection.selectionSet, condition, inherited, path) });
        continue;
      }
      if (selection.kind !== Kind.FIELD) throw new Error('fragment spreads must be inlined before scanning');
      const name = selection.name.value;
      const info = name.startsWith('__') ? undefined : index.field(type, name);
      if (!info) {
        selections.push(selection);
        continue;
      }
      const key = selection.alias?.value ?? name;
      const fieldPath = [...path, key];
      if (info.category && info.category !== inherited) {
        uses.push({ category: info.category, path: fieldPath });
        if (denied.has(info.category)) continue;
      }
      if (!selection.selectionSet) {
        selections.push(selection);
      } else if (info.type === PERSON_TYPE) {
        nested.push({ path: fieldPath, selectionSet: selection.selectionSet });
        selections.push({ ...selection, selectionSet: PERSON_KEY_SELECTION });
      } else {
        const category = info.category ?? inherited;
        selections.push({ ...selection, selectionSet: walk(selection.selectionSet, info.type, category, fieldPath) });
      }
    }
    // An emptied selection is not valid GraphQL: keep the object, ask for nothing in it.
    return { ...set, selections: selections.length ? selections : [TYPENAME] };
  };

  return { selectionSet: walk(selectionSet, parentType, null, []), uses, nested };
}

/** Whether a person's selection still asks the subgraph for anything but the person's key. */
export function asksForData(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value !== '__typename' && s.name.value !== 'id';
    if (s.kind === Kind.INLINE_FRAGMENT) return asksForData(s.selectionSet);
    return true;
  });
}

/** The names of the variables a selection uses. */
export function variablesUsed(selectionSet: SelectionSetNode): Set<string> {
  const names = new Set<string>();
  visit(selectionSet, {
    Variable(node) {
      names.add(node.name.value);
    },
  });
  return names;
}
