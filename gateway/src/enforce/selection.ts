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
const PERSON_KEY_SELECTION: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [TYPENAME, ID] };

/**
 * An inline fragment at the root without a directive spliced into the root: at the root a fragment can
 * only be on the root type, so its fields are the root's fields (a plan may keep `... on Query { … }`).
 */
function flattenRoot(document: DocumentNode): DocumentNode {
  const unconditional = (s: SelectionNode) => s.kind === Kind.INLINE_FRAGMENT && !s.directives?.length;
  const flat = (set: SelectionSetNode): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((s) =>
      s.kind === Kind.INLINE_FRAGMENT && unconditional(s) ? flat(s.selectionSet).selections : [s],
    ),
  });
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operations.some((o) => o.selectionSet.selections.some(unconditional))) return document;
  return {
    ...document,
    definitions: document.definitions.map((d) =>
      d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: flat(d.selectionSet) } : d,
    ),
  };
}

/**
 * Replaces every fragment spread by an inline fragment, so each selection can be read in place, and
 * splices the root's unconditional inline fragments into the root.
 */
export function inlineFragments(document: DocumentNode): DocumentNode {
  return flattenRoot(inlineSpreads(document));
}

function inlineSpreads(document: DocumentNode): DocumentNode {
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
/**
 * What a person's selection that asks for no data (see asksForData) answers, without asking anyone: her id
 * and type under every name the selection gives them (`who: id`), in its inline fragments too.
 */
export function keyAnswer(selectionSet: SelectionSetNode, typename: string, id: unknown): Record<string, unknown> {
  const answer: Record<string, unknown> = { __typename: typename, id };
  const fill = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) fill(s.selectionSet);
      else if (s.kind === Kind.FIELD) answer[s.alias?.value ?? s.name.value] = s.name.value === 'id' ? id : typename;
    }
  };
  fill(selectionSet);
  return answer;
}

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

type Variables = Readonly<Record<string, unknown>>;

/** Whether the variable is sent as true: its own property only (`$toString` is not Object's). */
const isTrue = (variables: Variables, name: string): boolean =>
  Object.hasOwn(variables, name) && variables[name] === true;

/**
 * Whether `@skip` or `@include` leaves the selection out on these variables: what a subgraph would not
 * resolve is neither decided, nor logged, nor reported as denied.
 */
function leftOut(selection: SelectionNode, variables: Variables): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    const value =
      condition?.kind === Kind.BOOLEAN
        ? condition.value
        : condition?.kind === Kind.VARIABLE
          ? isTrue(variables, condition.name.value)
          : false;
    if (name === 'skip' ? value : !value) return true;
  }
  return false;
}

const CONDITIONAL = new Set(['skip', 'include']);
// Per document, read once: the variables its @skip/@include name, or null when it holds none (most fetches).
const conditionVariables = new WeakMap<DocumentNode, readonly string[] | null>();
const applied = new WeakMap<DocumentNode, Map<string, DocumentNode>>();

function conditionsOf(document: DocumentNode): readonly string[] | null {
  let names = conditionVariables.get(document);
  if (names === undefined) {
    let found = false;
    const variables = new Set<string>();
    visit(document, {
      Directive(node) {
        if (!CONDITIONAL.has(node.name.value)) return;
        found = true;
        for (const argument of node.arguments ?? [])
          if (argument.value.kind === Kind.VARIABLE) variables.add(argument.value.name.value);
      },
    });
    names = found ? [...variables] : null;
    conditionVariables.set(document, names);
  }
  return names;
}

/**
 * The document as the subgraph would execute it on these variables: selections left out by `@skip` or
 * `@include` removed, and an inline fragment on the root type that is kept spliced into the root, so every
 * step of enforcement reads only what would be resolved. Documents without conditions are returned as they
 * are; the variants of one that has them are kept per the conditions' values (few: they are booleans).
 */
export function withConditionsApplied(document: DocumentNode, variables: Variables): DocumentNode {
  const names = conditionsOf(document);
  if (!names) return document;
  let variants = applied.get(document);
  if (!variants) applied.set(document, (variants = new Map()));
  const key = names.map((name) => `${name}=${isTrue(variables, name)}`).join('&');
  let variant = variants.get(key);
  if (!variant) {
    const prune = (set: SelectionSetNode, root: boolean): SelectionSetNode => {
      const selections: SelectionNode[] = [];
      for (const selection of set.selections) {
        if (leftOut(selection, variables)) continue;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const inner = prune(selection.selectionSet, root);
          const onlyConditions = (selection.directives ?? []).every((d) => CONDITIONAL.has(d.name.value));
          // At the root a fragment can only be on the root type: its fields are the root's fields.
          if (onlyConditions && (root || !selection.typeCondition)) selections.push(...inner.selections);
          else selections.push({ ...selection, selectionSet: inner });
        } else if (selection.kind === Kind.FIELD && selection.selectionSet) {
          selections.push({ ...selection, selectionSet: prune(selection.selectionSet, false) });
        } else {
          selections.push(selection);
        }
      }
      return { ...set, selections: selections.length ? selections : [TYPENAME] };
    };
    variant = {
      ...document,
      definitions: document.definitions.map((d) =>
        d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: prune(d.selectionSet, true) } : d,
      ),
    };
    if (variants.size >= 16) variants.delete(variants.keys().next().value!);
    variants.set(key, variant);
  }
  return variant;
}
