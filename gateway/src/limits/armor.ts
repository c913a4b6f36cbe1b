// The operation-shape limits (depth, aliases, directives, cost) as GraphQL Armor validation rules,
// refusing with GRAPHQL_VALIDATION_FAILED and a `reason` before the query is planned.

import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { LimitsConfig } from '@hub/platform';

/** The `extensions.reason` of each refusal. */
export type LimitReason = 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_DIRECTIVES' | 'MAX_COST';

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

/** Validation rules refusing an operation over any of the configured limits. */
export function armorRules(limits: LimitsConfig): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ...reportAs('MAX_DEPTH') }),
    maxAliasesRule({ n: limits.maxAliases, ...reportAs('MAX_ALIASES') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('MAX_DIRECTIVES') }),
    costLimitRule({ maxCost: limits.maxCost, ...reportAs('MAX_COST') }),
  ] as ValidationRule[];
}
