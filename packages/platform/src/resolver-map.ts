// The resolver map a federated schema is built from (buildSubgraphSchema's `resolvers`): @apollo/subgraph
// does not export its type from its entry point, so the hub writes the same shape here once.

import type { GraphQLFieldResolver, GraphQLScalarType } from 'graphql';

// A field resolver's parent is whatever its type's resolver returned, typed by each resolver itself, as
// in @apollo/subgraph's own declaration: `unknown` here would refuse every typed parent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FieldResolver<TContext> = GraphQLFieldResolver<any, TContext>;

/** Resolvers by type and field; a field may also declare `requires`/`resolve`, a scalar its implementation. */
export interface GraphQLResolverMap<TContext = object> {
  [typeName: string]:
    | {
        [fieldName: string]:
          | FieldResolver<TContext>
          | {
              requires?: string;
              resolve?: FieldResolver<TContext>;
              subscribe?: FieldResolver<TContext>;
            };
      }
    | GraphQLScalarType
    | { [enumValue: string]: string | number };
}

/**
 * `make`, once per request (`context`, one object a request): what many aliases of a field ask for alike is
 * read or counted once, and nothing is kept past the request.
 */
export function oncePerRequest<TContext extends object, T>(make: (context: TContext) => T): (context: TContext) => T {
  const made = new WeakMap<TContext, T>();
  return (context) => {
    if (!made.has(context)) made.set(context, make(context));
    return made.get(context) as T;
  };
}
