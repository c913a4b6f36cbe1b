// One FORBIDDEN error per denied (person, category) at each place a query reads the person (CONTRACT.md
// "The decision"): a person object whose fields of one category come from two sources (her phone from the
// welfare subgraph, her municipality from the hub's register) gets one error, at the first such field,
// not one from each. Another place the query reads her (an alias, another item of a list, another root
// field) is denied there too, with its own error, as a client reading that place expects.

import type { ApolloServerPlugin } from '@apollo/server';
import { ERRORS } from '@hub/platform';
import type { GatewayContext } from '../context.js';

export function oneErrorPerDenialPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          if (!singleResult.errors || singleResult.errors.length < 2) return;
          const seen = new Set<string>();
          const kept = singleResult.errors.filter(({ extensions, path }) => {
            const { code, personId, category } = extensions ?? {};
            if (code !== ERRORS.FORBIDDEN.code || typeof personId !== 'string' || typeof category !== 'string')
              return true;
            // The place: the object the denied field belongs to; a root field (consents, a person read
            // whole) is a place of its own, as each alias of it is.
            const place = path && path.length > 1 ? path.slice(0, -1) : (path ?? null);
            const key = JSON.stringify([personId, category, place]);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
          if (kept.length < singleResult.errors.length) singleResult.errors = kept;
        },
      };
    },
  };
}
