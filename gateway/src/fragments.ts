// The named fragments a document's node reaches: spread by it, or by a fragment it spreads, and so on.

import { Kind, visit, type ASTNode, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/** The document's fragment definitions, by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** The fragments `node` reaches, each once, in the order first spread (a spread of no definition is passed over). */
export function fragmentsReached(
  node: ASTNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const reached = new Map<string, FragmentDefinitionNode>();
  const walk = (from: ASTNode) =>
    visit(from, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || reached.has(fragment.name.value)) return;
        reached.set(fragment.name.value, fragment);
        walk(fragment);
      },
    });
  walk(node);
  return [...reached.values()];
}
