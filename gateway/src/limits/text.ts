// Text no PostgreSQL column can hold as it was sent: a NUL character (U+0000), or a lone surrogate (half of a
// UTF-16 pair with no other half: no character at all, which UTF-8 can only replace with U+FFFD), in a string of
// the request's variables or literals. Refused before anything is planned, naming the field that holds it, instead
// of failing half way through a write with the database's own message or recording other text than was sent.

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, visit, type ASTNode, type DocumentNode } from 'graphql';
import { ERRORS } from '@hub/platform';

// With the `u` flag a surrogate pair is one code point, so only a lone half matches.
// eslint-disable-next-line no-control-regex -- matching the NUL character is the point
const UNSTORABLE = /[\u0000\ud800-\udfff]/u;

const WHAT = 'the NUL character (U+0000) or half of a surrogate pair';

/** The name of the argument or input field whose text (or list of texts) cannot be stored, if any. */
function inVariables(value: unknown, name: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? name : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = inVariables(item, name);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return name;
      const found = inVariables(item, key);
      if (found) return found;
    }
  }
  return null;
}

/** The argument or input field a string literal is the value of (through lists), if any. */
function fieldOf(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (Array.isArray(node) || (node as ASTNode).kind === Kind.LIST) continue;
    const { kind } = node as ASTNode;
    if (kind === Kind.OBJECT_FIELD || kind === Kind.ARGUMENT) return (node as { name: { value: string } }).name.value;
    return null;
  }
  return null;
}

function inLiterals(document: DocumentNode): string | null | undefined {
  let found: string | null | undefined;
  visit(document, {
    [Kind.STRING](node, _key, parent, _path, ancestors) {
      if (found === undefined && UNSTORABLE.test(node.value)) found = fieldOf([...ancestors, parent!]);
    },
  });
  return found;
}

export function textPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          for (const [name, value] of Object.entries(request.variables ?? {})) {
            const found = inVariables(value, name);
            // A text variable is named as the argument or input field it stands for: looked up only once refused.
            if (found) throw refusal(found === name ? (usedAs(operation ?? document, name) ?? name) : found);
          }
          const literal = inLiterals(document);
          if (literal !== undefined) throw refusal(literal);
        },
      };
    },
  };
}

/** The argument or input field a variable is given to, where it stands alone as its value. */
function usedAs(node: ASTNode, variable: string): string | null {
  let field: string | null = null;
  visit(node, {
    [Kind.VARIABLE](variableNode, _key, parent) {
      const owner = parent as ASTNode | readonly ASTNode[] | undefined;
      if (variableNode.name.value !== variable || !owner || Array.isArray(owner)) return;
      const { kind } = owner as ASTNode;
      if (kind === Kind.ARGUMENT || kind === Kind.OBJECT_FIELD)
        field = (owner as { name: { value: string } }).name.value;
    },
  });
  return field;
}

function refusal(argument: string | null): Error {
  return ERRORS.BAD_USER_INPUT.err(`${argument ?? 'Text'} may not hold ${WHAT}`, {
    reason: 'INVALID_TEXT',
    ...(argument ? { argument } : {}),
  });
}
