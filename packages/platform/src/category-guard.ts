// Defence in depth on the subgraph side: an operation may select categorized fields only of the
// categories the gateway's signature lists, so a fetch the gateway did not decide on is refused whole.

import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
} from 'graphql';
import type { DataCategory } from './categories.js';
import { ERRORS } from './errors.js';

// The walk only calls the schema's own methods, never graphql's instanceof-based helpers (TypeInfo,
// isAbstractType): @apollo/subgraph builds the schema with graphql's CommonJS build, and under vitest
// this package gets the ESM build, a second "realm" whose helpers reject the schema's types.

function namedType(type: GraphQLType): GraphQLNamedType {
  return 'ofType' in type ? namedType(type.ofType) : type;
}

function fieldType(parent: GraphQLNamedType | undefined, field: string): GraphQLNamedType | undefined {
  if (!parent || !('getFields' in parent)) return undefined;
  const definition = parent.getFields()[field];
  return definition ? namedType(definition.type) : undefined;
}

/** The categories of every categorized field a document selects, under any alias, fragment or type condition. */
export function selectedCategories(
  schema: GraphQLSchema,
  fieldCategories: ReadonlyMap<string, DataCategory>,
  document: DocumentNode,
): Set<DataCategory> {
  const found = new Set<DataCategory>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walkedFragments = new Set<string>();

  const add = (parent: GraphQLNamedType | undefined, field: string) => {
    if (!parent) return;
    // A field selected on an interface reads whatever its implementations tag.
    const types = 'resolveType' in parent ? schema.getPossibleTypes(parent) : [];
    for (const type of [parent, ...types]) {
      const category = fieldCategories.get(`${type.name}.${field}`);
      if (category) found.add(category);
    }
  };
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        add(parent, selection.name.value);
        if (selection.selectionSet) walk(selection.selectionSet, fieldType(parent, selection.name.value));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, condition ?? undefined);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || walkedFragments.has(fragment.name.value)) continue;
        walkedFragments.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      walk(definition.selectionSet, schema.getRootType(definition.operation) ?? undefined);
    }
  }
  return found;
}

export interface CategoryGuardOptions<TContext> {
  /** `"Type.field" → category`, from the subgraph's own SDL. */
  fieldCategories: ReadonlyMap<string, DataCategory>;
  /** The categories the verified signature of this request lists. */
  allowedCategories: (context: TContext) => ReadonlySet<DataCategory>;
}

/**
 * Refuses, before anything executes, an operation that selects a field of a category the signed request
 * does not list: FORBIDDEN with `reason: 'CATEGORY_NOT_SIGNED'`. Queries and mutations alike. Every operation
 * of the document is walked, which is stricter than the one that runs.
 */
export function categoryGuardPlugin<TContext extends object>(
  options: CategoryGuardOptions<TContext>,
): ApolloServerPlugin<TContext> {
  // Apollo Server reuses one DocumentNode per distinct query text, so each is walked once.
  const selected = new WeakMap<DocumentNode, ReadonlySet<DataCategory>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          let categories = selected.get(document);
          if (!categories) {
            categories = selectedCategories(schema, options.fieldCategories, document);
            selected.set(document, categories);
          }
          const allowed = options.allowedCategories(contextValue);
          const missing = [...categories].filter((c) => !allowed.has(c));
          if (missing.length) {
            throw ERRORS.FORBIDDEN.err('The gateway did not sign for every data category this operation selects', {
              reason: 'CATEGORY_NOT_SIGNED',
              categories: missing,
            });
          }
        },
      };
    },
  };
}
