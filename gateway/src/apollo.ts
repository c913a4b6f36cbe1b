// What the gateway needs from Apollo's packages beyond what their public entry points name, derived here
// from the public types and nowhere else; apollo.test.ts fails if a package upgrade changes it.

import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/** A context as @apollo/gateway's types take it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bound @apollo/gateway's own types set
type ApolloContext = Record<string, any>;

/** A data source's options for an incoming operation: the only kind that carries a caller, so the only one enforced. */
export type IncomingOperationOptions<TContext extends ApolloContext> = Extract<
  GraphQLDataSourceProcessOptions<TContext>,
  { incomingRequestContext: unknown }
>;

/**
 * The request kind of an incoming operation. @apollo/gateway's entry point exports the options type that
 * discriminates on it, not the enum; its value is the enum's, typed as the enum's member.
 */
export const INCOMING_OPERATION = 'incoming operation' as unknown as IncomingOperationOptions<ApolloContext>['kind'];

/** Whether a data source's options are of an incoming operation. */
export function isIncomingOperation<TContext extends ApolloContext>(
  options: GraphQLDataSourceProcessOptions<TContext>,
): options is IncomingOperationOptions<TContext> {
  return options.kind === INCOMING_OPERATION;
}
