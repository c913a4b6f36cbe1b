// Dashboard developers see aggregates only, never a person: a token whose roles include `dashboard`
// (whatever other roles it also carries) may run queries whose every root field reaches no person, no
// categorized field and no record naming a person. Decided from the schema before anything is planned,
// so a dashboard token never makes a subgraph fetch about anyone.

import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { ERRORS } from '@hub/platform';
import { DASHBOARD_ROLE } from '../auth/roles.js';
import type { GatewayContext } from '../context.js';
import { PERSON_TYPE } from './schema-index.js';

// The request's schema comes from the gateway's own copy of graphql-js, so types are read by shape
// (fields, member types, ofType, its toStringTag) rather than with this module's instanceof predicates.
interface TypeShape {
  readonly name?: string;
  readonly ofType?: TypeShape;
  getFields?(): Record<
    string,
    { readonly name: string; readonly type: TypeShape; readonly args?: readonly { readonly name: string }[] }
  >;
  getTypes?(): readonly TypeShape[];
}

const named = (type: TypeShape): TypeShape => (type.ofType ? named(type.ofType) : type);

// A record that names a person (an emergency access's personId, a meeting's subjectPersonIds, an access-log
// entry's personId) is about that person, whether or not the field carries a category.
const NAMES_A_PERSON = /personIds?$/i;

/**
 * Whether anything personal can be reached from a type: the Person entity, a field with a category, or a
 * field that names a person.
 */
function reachesPersonalData(
  schema: GraphQLSchema,
  start: TypeShape,
  categories: ReadonlyMap<string, unknown>,
): boolean {
  const seen = new Set<string>();
  const pending: TypeShape[] = [start];
  while (pending.length) {
    const type = named(pending.pop()!);
    if (!type.name || seen.has(type.name)) continue;
    seen.add(type.name);
    if (type.name === PERSON_TYPE) return true;
    // A union's members, an interface's implementations.
    if (type.getTypes) pending.push(...type.getTypes());
    else if (Object.prototype.toString.call(type) === '[object GraphQLInterfaceType]') {
      pending.push(...(schema.getPossibleTypes(type as never) as readonly TypeShape[]));
    }
    for (const field of Object.values(type.getFields?.() ?? {})) {
      if (categories.has(`${type.name}.${field.name}`) || NAMES_A_PERSON.test(field.name)) return true;
      pending.push(field.type);
    }
  }
  return false;
}

/** The root Query fields a dashboard token may ask for, computed once per schema. */
function aggregateFields(schema: GraphQLSchema, categories: ReadonlyMap<string, unknown>): ReadonlySet<string> {
  const query = schema.getQueryType() as TypeShape | null | undefined;
  const allowed = new Set<string>(['__typename']);
  for (const field of Object.values(query?.getFields?.() ?? {})) {
    // A field that names a person (personId) is about that person, whatever its answer's type.
    const namesPerson = field.args?.some((arg) => arg.name === 'personId' || arg.name === 'personIds');
    if (!namesPerson && !reachesPersonalData(schema, field.type, categories)) allowed.add(field.name);
  }
  return allowed;
}

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  names: string[] = [],
): string[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFieldNames(selection.selectionSet, fragments, names);
    else {
      const fragment = fragments[selection.name.value];
      if (fragment) rootFieldNames(fragment.selectionSet, fragments, names);
    }
  }
  return names;
}

/** What a refusal tells a dashboard developer to read instead. */
const WHAT_IT_READS = 'ask for the *Dashboard fields and the data about no one (docs/dashboards.md)';

export function aggregatesOnlyPlugin(categories: ReadonlyMap<string, unknown>): ApolloServerPlugin<GatewayContext> {
  const cache = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema }) {
          if (!operation || !contextValue.caller.roles.includes(DASHBOARD_ROLE)) return;
          if (operation.operation !== 'query') {
            const message = `A dashboard token reads aggregates only and changes nothing: ${WHAT_IT_READS}`;
            throw ERRORS.FORBIDDEN.err(message, { reason: 'AGGREGATES_ONLY' });
          }
          let allowed = cache.get(schema);
          if (!allowed) cache.set(schema, (allowed = aggregateFields(schema, categories)));
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const personal = rootFieldNames(operation.selectionSet, fragments).filter(
            (name) => !name.startsWith('__') && !allowed.has(name),
          );
          if (personal.length) {
            throw ERRORS.FORBIDDEN.err(
              `A dashboard token reads aggregates only, not ${[...new Set(personal)].join(', ')}: ${WHAT_IT_READS}`,
              { reason: 'AGGREGATES_ONLY' },
            );
          }
        },
      };
    },
  };
}
