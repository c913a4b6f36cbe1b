// The operation-shape limits (depth, aliases, directives, cost) as GraphQL Armor validation rules,
// refusing with GRAPHQL_VALIDATION_FAILED and a `reason` before the query is planned.

import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { LimitsConfig } from '@hub/platform';

/** The `extensions.reason` of each refusal. */
export type LimitReason = 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_DIRECTIVES' | 'MAX_COST' | 'RESERVED_ALIAS';

/**
 * Armor throws out of `validate` by default, which Apollo Server would mask as a 500; reporting on the
 * context instead makes it one validation error among the others. Armor's messages name the limit and
 * the count found, never the operation's text.
 */
function reportAs(reason: LimitReason): {
  propagateOnRejection: false;
  onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[];
} {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) =>
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { reason } }),
        ),
    ],
  };
}

/**
 * Names beginning with `__` are GraphQL's own (introspection), and the gateway asks subgraphs for fields
 * under such aliases of its own (the person an answer names, for the access log): a caller's alias there
 * would collide with them, so it is refused before anything is planned.
 */
const reservedAliasRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value.startsWith('__')) {
      context.reportError(
        new GraphQLError(`The alias ${node.alias.value} begins with "__", which GraphQL reserves`, {
          nodes: [node.alias],
          extensions: { reason: 'RESERVED_ALIAS' satisfies LimitReason },
        }),
      );
    }
  },
});

/** Validation rules refusing an operation over any of the configured limits, or with a reserved alias. */
export function armorRules(limits: LimitsConfig): ValidationRule[] {
  return [
    reservedAliasRule,
    maxDepthRule({ n: limits.maxDepth, ...reportAs('MAX_DEPTH') }),
    maxAliasesRule({ n: limits.maxAliases, ...reportAs('MAX_ALIASES') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('MAX_DIRECTIVES') }),
    costLimitRule({ maxCost: limits.maxCost, ...reportAs('MAX_COST') }),
  ] as ValidationRule[];
}
