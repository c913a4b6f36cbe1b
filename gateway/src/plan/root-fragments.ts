// A mutation's root fields run in the document's order, those of a fragment at the root included. The query
// planner orders a root fragment's fields apart from the fields around it (a field written before the
// fragment ran after its fields), so a mutation is planned with its root fragments written out: their
// fields in place where no directive conditions them, an inline fragment with its directives where one does;
// the document planned holds that operation and the fragments it still spreads, nothing else.

import {
  Kind,
  type DocumentNode,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf, fragmentsReached } from '../fragments.js';

/** The document and its operation with the mutation's root fragments written out; as they are otherwise. */
export function rootFragmentsWrittenOut(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): { readonly document: DocumentNode; readonly operation: OperationDefinitionNode } {
  const unchanged = { document, operation };
  if (operation.operation !== 'mutation') return unchanged;
  const fragments = fragmentsOf(document);
  let changed = false;
  const flatten = (set: SelectionSetNode, within: ReadonlySet<string>): SelectionNode[] =>
    set.selections.flatMap((selection): SelectionNode[] => {
      if (selection.kind === Kind.FIELD) return [selection];
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : undefined;
      // Validation has refused an unknown or a cyclic spread; left as it is all the same.
      if (selection.kind === Kind.FRAGMENT_SPREAD && (!fragment || within.has(fragment.name.value))) return [selection];
      const inner = fragment ? fragment.selectionSet : (selection as InlineFragmentNode).selectionSet;
      const directives = [...(selection.directives ?? []), ...(fragment?.directives ?? [])];
      const nested = fragment ? new Set([...within, fragment.name.value]) : within;
      changed = true;
      // At the root every fragment is on Mutation: without a directive, its fields are the root's own.
      if (!directives.length) return flatten(inner, nested);
      return [
        {
          kind: Kind.INLINE_FRAGMENT,
          ...(fragment
            ? { typeCondition: fragment.typeCondition }
            : { typeCondition: (selection as InlineFragmentNode).typeCondition }),
          directives,
          selectionSet: { kind: Kind.SELECTION_SET, selections: flatten(inner, nested) },
        },
      ];
    });
  const selectionSet: SelectionSetNode = {
    ...operation.selectionSet,
    selections: flatten(operation.selectionSet, new Set()),
  };
  if (!changed) return unchanged;
  const written: OperationDefinitionNode = { ...operation, selectionSet };
  // The operation alone, with the fragments it still spreads: the planner would find a fragment no longer
  // spread (or spread by another operation of the document) among the root's fields and put it back, apart.
  return {
    document: {
      ...document,
      definitions: [written, ...fragmentsReached(written, fragments)],
    },
    operation: written,
  };
}
