// Text no PostgreSQL column can hold: a NUL character (U+0000) in a string of the request's variables or
// literals. Refused before anything is planned, with a reason, instead of failing half way through a write
// with the database's own message.

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import { ERRORS } from '@hub/platform';

const NUL = '\u0000';

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes(NUL) || holdsNul(v));
  return false;
}

function literalHoldsNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes(NUL)) found = true;
    },
  });
  return found;
}

export function textPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          if (holdsNul(request.variables) || literalHoldsNul(document)) {
            throw ERRORS.BAD_USER_INPUT.err('Text may not hold the NUL character (U+0000)', { reason: 'INVALID_TEXT' });
          }
        },
      };
    },
  };
}
