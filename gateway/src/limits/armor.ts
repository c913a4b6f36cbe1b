// The operation-shape limits (depth, aliases, directives, cost) as GraphQL Armor validation rules,
// refusing with GRAPHQL_VALIDATION_FAILED and a `reason` before the query is planned.

import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, isAbstractType, type ValidationContext, type ValidationRule } from 'graphql';
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

/**
 * To fetch an entity from one subgraph to the next, the query planner asks for its key fields (a person's `id`)
 * under their own names, beside what the caller selected: a caller's alias taking a key field's name for another field (`id: name`) would be answered
 * with the key in its place, silently (the planner keeps one field per name). Refused before planning, as the
 * `__` names are.
 */
function keyAliasRule(keyFields: ReadonlyMap<string, ReadonlySet<string>>): ValidationRule {
  return (context) => ({
    Field(node) {
      const alias = node.alias?.value;
      const parent = context.getParentType();
      if (alias === undefined || alias === node.name.value || !parent) return;
      const types = isAbstractType(parent) ? context.getSchema().getPossibleTypes(parent) : [parent];
      const keyed = types.find((type) => keyFields.get(type.name)?.has(alias));
      if (!keyed) return;
      context.reportError(
        new GraphQLError(
          `The alias ${alias} names the key field ${keyed.name}.${alias}, which the gateway asks for itself: choose another alias for ${node.name.value}`,
          { nodes: [node.alias!], extensions: { reason: 'RESERVED_ALIAS' satisfies LimitReason } },
        ),
      );
    },
  });
}

/**
 * Validation rules refusing an operation over any of the configured limits, or with a reserved alias (a `__`
 * name, or an entity's key field named for another field; `keyFields` are those of each entity several
 * subgraphs resolve, SchemaIndex.keyFields).
 */
export function armorRules(
  limits: LimitsConfig,
  keyFields: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): ValidationRule[] {
  return [
    reservedAliasRule,
    keyAliasRule(keyFields),
    maxDepthRule({ n: limits.maxDepth, ...reportAs('MAX_DEPTH') }),
    maxAliasesRule({ n: limits.maxAliases, ...reportAs('MAX_ALIASES') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('MAX_DIRECTIVES') }),
    costLimitRule({ maxCost: limits.maxCost, ...reportAs('MAX_COST') }),
  ] as ValidationRule[];
}
