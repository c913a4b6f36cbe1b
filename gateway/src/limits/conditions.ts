// A `@skip` or `@include` whose `if` is a variable sent as null: the variable may be nullable where it has a
// default (`$s: Boolean = true`), so validation lets it through, and an explicit null then fails inside the
// query planner as a masked internal error, after the enforcement had decided and logged the fields. It is
// the caller's input to mend: refused as such (400 BAD_USER_INPUT) before anything is planned or read.

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import { ERRORS, INVALID_INPUT } from '@hub/platform';

/** The variables a document's `@skip(if:)` and `@include(if:)` read, by document. */
const conditionVariables = new WeakMap<DocumentNode, ReadonlySet<string>>();

function variablesOfConditions(document: DocumentNode): ReadonlySet<string> {
  let names = conditionVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'skip' && node.name.value !== 'include') return;
        for (const argument of node.arguments ?? [])
          if (argument.name.value === 'if' && argument.value.kind === Kind.VARIABLE)
            found.add(argument.value.name.value);
      },
    });
    conditionVariables.set(document, (names = found));
  }
  return names;
}

export function conditionsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const variables = request.variables ?? {};
          for (const name of variablesOfConditions(document)) {
            if (!Object.hasOwn(variables, name) || variables[name] !== null) continue;
            throw new GraphQLError(`Variable "$${name}" is null where @skip or @include needs true or false`, {
              extensions: { code: ERRORS.BAD_USER_INPUT.code, reason: INVALID_INPUT, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
