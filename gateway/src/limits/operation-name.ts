// A request whose document does not hold the operation it names (or holds several and names none), or
// whose operation is a subscription (the hub has none), is the caller's mistake: refused with 400
// BAD_REQUEST saying so, before anything is planned. Left to the gateway's executor, it would fail deep
// inside planning and reach the caller as a masked 500. An empty operationName is taken as none.

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ERRORS } from '@hub/platform';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export function operationNamePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      // An empty operationName names nothing, as an absent one: some tools send "" with a single operation.
      if (request.operationName === '') request.operationName = undefined;
      return {
        async didResolveOperation({ operation, request }) {
          if (operation?.operation === 'subscription') {
            throw ERRORS.BAD_REQUEST.err('The hub answers queries and mutations only: it has no subscriptions', {
              reason: 'SUBSCRIPTIONS_UNSUPPORTED',
            });
          }
          if (operation) return;
          // The name is repeated only when it is a GraphQL name, as an operation's is: anything else is whatever
          // the caller sent, a resident's name perhaps.
          const name = request.operationName;
          throw ERRORS.BAD_REQUEST.err(
            name
              ? GRAPHQL_NAME.test(name)
                ? `The document holds no operation named "${name}"`
                : 'The document holds no operation of the name given in operationName'
              : 'The document holds several operations: name the one to run in operationName',
            { reason: 'UNKNOWN_OPERATION' },
          );
        },
      };
    },
  };
}
