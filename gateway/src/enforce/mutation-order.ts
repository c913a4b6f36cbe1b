// A mutation's fields run one after another, and the first that fails where its type allows no null ends
// the mutation: graphql-js runs them so (its `data` is then null), and an integrator reading `data: null`
// must be able to trust that nothing after the failure was written. @apollo/gateway's executor sends every
// fetch of the plan's sequence whatever came before it, so each data source asks here first.

import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, type SelectionSetNode } from 'graphql';
import type { IncomingOperationOptions } from '../apollo.js';
import type { GatewayContext } from '../context.js';

/** A fetch made for a caller's operation (the only kind that has a mutation to order). */
type IncomingFetch = IncomingOperationOptions<GatewayContext>;

/** The requests whose mutation has failed non-null, by their context. */
const failedMutations = new WeakSet<object>();

/**
 * The response keys of the mutation's root fields whose type allows no null, those inside inline fragments
 * and fragment spreads (`... on Mutation { a: … }`, `...F`) included: they run in the same order.
 */
function nonNullKeys(options: IncomingFetch): Set<string> {
  const { operation, schema, document } = options.incomingRequestContext;
  const fields = schema.getMutationType()?.getFields() ?? {};
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document?.definitions ?? [])
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  const keys = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      // Read by its printed form: the gateway's schema may be built with another copy of graphql than this module's.
      if (selection.kind === Kind.FIELD) {
        if (String(fields[selection.name.value]?.type ?? '').endsWith('!'))
          keys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const spread = fragments.get(selection.name.value);
        if (spread) walk(spread);
      }
    }
  };
  walk(operation.selectionSet);
  return keys;
}

/**
 * Sends a fetch of the request in the mutation's order: nothing once one of its fields has failed non-null
 * (`data: null`, no error: the failure's own error is the answer), and notes such a failure in its response.
 */
export async function inMutationOrder(
  options: IncomingFetch,
  send: () => Promise<GatewayGraphQLResponse>,
): Promise<GatewayGraphQLResponse> {
  if (options.incomingRequestContext.operation?.operation !== 'mutation') return send();
  if (failedMutations.has(options.context)) return { data: null };
  const response = await send();
  const keys = nonNullKeys(options);
  const failed = (response.errors ?? []).some((error) => {
    const key = error.path?.[0];
    // An error naming no field (a subgraph out of reach, a request it refused whole, with or without data)
    // failed the fetch: every mutation field is non-null, and none of its answers can be trusted.
    if (key === undefined) return true;
    return typeof key === 'string' && keys.has(key) && response.data?.[key] == null;
  });
  if (failed) failedMutations.add(options.context);
  return response;
}
