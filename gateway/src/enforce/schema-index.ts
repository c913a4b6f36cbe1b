// What enforcement needs to know of the supergraph: each field's return type and data category.
// Built once at start from the supergraph SDL (the API schema drops the @category directive).

import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
} from 'graphql';
import { ConfigError, fieldCategories, holdsFields, type DataCategory } from '@hub/platform';

/** The entity every personal field hangs from: a field's person is its nearest enclosing Person. */
export const PERSON_TYPE = 'Person';

export interface FieldInfo {
  /** The named return type (lists and non-null stripped). */
  readonly type: string;
  /** Whether it returns a list (of any depth). */
  readonly list: boolean;
  readonly category: DataCategory | undefined;
}

export interface SchemaIndex {
  field(parentType: string, fieldName: string): FieldInfo | undefined;
  /** Every tagged field, as `Type.field`. */
  readonly categories: ReadonlyMap<string, DataCategory>;
  /** The types with a tagged field of their own: their records are personal data, whichever fields are asked. */
  readonly tagged: ReadonlySet<string>;
  /**
   * The key fields (their top-level names) of each entity several subgraphs resolve, which the query planner
   * asks for itself to fetch it from one to the next.
   */
  readonly keyFields: ReadonlyMap<string, ReadonlySet<string>>;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function isList(type: TypeNode): boolean {
  return type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && isList(type.type));
}

export function indexSupergraph(supergraphSdl: string): SchemaIndex {
  const document = parse(supergraphSdl);
  // The tags read as every reader of an SDL reads them (throws on a tag that names no category).
  const categories = fieldCategories(document);
  const undecidable = personalDataBesidePerson(document);
  if (undecidable.length) {
    // The operator's to mend (the schema deployed): told in one line at start, as a refused configuration.
    throw new ConfigError(
      `the supergraph holds personal data an agency answers about another entity than Person, which the gateway ` +
        `decides for no one: ${undecidable.map(({ field, why }) => `${field}: ${why}`).join('; ')}. Hang it from ` +
        `Person, with its @category.`,
    );
  }
  const handedOn = personDataHandedOn(document);
  if (handedOn.length) {
    throw new ConfigError(
      `the supergraph has an agency subgraph given a person's data besides her id, or answering another's field, ` +
        `which the gateway decides for the caller only: ${handedOn.map(({ field, why }) => `${field}: ${why}`).join('; ')}. ` +
        `Key Person by id alone, and read what another domain holds through the gateway.`,
    );
  }
  const fields = new Map<string, FieldInfo>();
  const keyFields = new Map<string, Set<string>>();
  for (const definition of document.definitions) {
    if (!holdsFields(definition)) continue;
    // Only an entity several subgraphs resolve is fetched by its key from one to the next.
    const keyed = (definition.directives ?? []).filter(
      (join) => join.name.value === 'join__type' && stringArgument(join, 'key') !== undefined,
    );
    if (new Set(keyed.map(graphOf)).size > 1) {
      const names = keyFields.get(definition.name.value) ?? new Set<string>();
      for (const join of keyed) for (const name of topLevelNames(stringArgument(join, 'key')!)) names.add(name);
      keyFields.set(definition.name.value, names);
    }
    for (const field of definition.fields ?? []) {
      const key = `${definition.name.value}.${field.name.value}`;
      fields.set(key, { type: namedType(field.type), list: isList(field.type), category: categories.get(key) });
    }
  }
  return {
    field: (parentType, fieldName) => fields.get(`${parentType}.${fieldName}`),
    categories,
    tagged: new Set([...categories.keys()].map((field) => field.slice(0, field.indexOf('.')))),
    keyFields,
  };
}

/** The top-level field names of a `@key`'s field set (`id`, `id organization { id }` → id, organization). */
function topLevelNames(fieldSet: string): string[] {
  const selection = parse(`{ ${fieldSet} }`).definitions[0];
  if (selection?.kind !== Kind.OPERATION_DEFINITION) return [];
  return selection.selectionSet.selections.flatMap((node) => (node.kind === Kind.FIELD ? [node.name.value] : []));
}

/** A field of personal data beside Person (`Type.field`), and why: it carries a tag, or it reaches a Person. */
export interface PersonalDataBesidePerson {
  readonly field: string;
  readonly why: 'tagged' | 'reaches a Person';
}

/** The graph the hub's own records live in: its resolvers decide each record's fields themselves. */
const HUB_GRAPH = 'HUB';

const argumentOf = (directive: ConstDirectiveNode, name: string) =>
  directive.arguments?.find((argument) => argument.name.value === name)?.value;

const graphOf = (directive: ConstDirectiveNode) => {
  const graph = argumentOf(directive, 'graph');
  return graph?.kind === Kind.ENUM ? graph.value : undefined;
};

/**
 * What an agency subgraph would answer about someone through an entity other than Person, which the gateway's
 * `_entities` fetches send undecided (only a Person's fields are decided, for her): a field with a @category,
 * or one that reaches a Person, on an entity type an agency resolves (a job opening, an eco project) or on a
 * type reached from one. The hub's own records are left out: each field of theirs is decided by its resolver
 * (hub-records.ts).
 */
export function personalDataBesidePerson(document: DocumentNode): PersonalDataBesidePerson[] {
  const types = new Map<string, { entity: boolean; hubOnly: boolean; fields: FieldDefinitionNode[] }>();
  for (const definition of document.definitions) {
    if (!holdsFields(definition)) continue;
    const joins = (definition.directives ?? []).filter((d) => d.name.value === 'join__type');
    const type = types.get(definition.name.value) ?? { entity: false, hubOnly: true, fields: [] };
    type.entity ||= joins.some((join) => argumentOf(join, 'key') !== undefined);
    type.hubOnly &&= joins.every((join) => graphOf(join) === HUB_GRAPH);
    type.fields.push(...(definition.fields ?? []));
    types.set(definition.name.value, type);
  }
  // A union's members are reached through it as through a field of their type.
  const members = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.UNION_TYPE_DEFINITION && definition.kind !== Kind.UNION_TYPE_EXTENSION) continue;
    const known = members.get(definition.name.value) ?? [];
    members.set(definition.name.value, [...known, ...(definition.types ?? []).map((type) => type.name.value)]);
  }
  const answeredByHub = (field: FieldDefinitionNode) =>
    (field.directives ?? []).some((d) => d.name.value === 'join__field' && graphOf(d) === HUB_GRAPH);
  const found: PersonalDataBesidePerson[] = [];
  const walk = (typeName: string, seen: Set<string>) => {
    for (const field of types.get(typeName)?.fields ?? []) {
      if (answeredByHub(field)) continue;
      const where = `${typeName}.${field.name.value}`;
      const named = namedType(field.type);
      const targets = members.get(named) ?? [named];
      if ((field.directives ?? []).some((d) => d.name.value === 'category'))
        found.push({ field: where, why: 'tagged' });
      else if (targets.includes(PERSON_TYPE)) found.push({ field: where, why: 'reaches a Person' });
      else {
        for (const target of targets) {
          if (types.has(target) && !types.get(target)!.entity && !seen.has(target)) walk(target, seen.add(target));
        }
      }
    }
  };
  for (const [name, type] of types) {
    if (name !== PERSON_TYPE && type.entity && !type.hubOnly) walk(name, new Set([name]));
  }
  return found;
}

/** A way the supergraph would hand a subgraph a person's data besides her id (`Type.field` or the key), and why. */
export interface PersonDataHandedOn {
  readonly field: string;
  readonly why: string;
}

const stringArgument = (directive: ConstDirectiveNode, name: string) => {
  const value = argumentOf(directive, name);
  return value?.kind === Kind.STRING ? value.value : undefined;
};

/**
 * What a query plan would give an agency subgraph about a person beyond her id, decided for the caller but
 * read by that agency, or have one agency answer for another: a Person key of more fields than `id` (each
 * travels in every representation of her, to every subgraph that resolves her), and so an entity interface
 * she implements keyed by more; a Person field that `@requires` others (their values travel to the subgraph
 * resolving it); a Person field one subgraph takes over from another (`@override`) or that several answer
 * (`@shareable`), which its readers would take for its owner's; and a field returning Person that
 * `@provides` some of her fields (its subgraph would answer them in their owner's place).
 */
export function personDataHandedOn(document: DocumentNode): PersonDataHandedOn[] {
  const found: PersonDataHandedOn[] = [];
  const joins = (node: { readonly directives?: readonly ConstDirectiveNode[] | undefined }, name: string) =>
    (node.directives ?? []).filter((d) => d.name.value === name);
  const keyedBeyondId = (type: string, node: Parameters<typeof joins>[0]) => {
    for (const join of joins(node, 'join__type')) {
      const key = stringArgument(join, 'key');
      if (key !== undefined && key.trim() !== 'id')
        found.push({ field: `${type} (${graphOf(join) ?? '?'})`, why: `keyed by "${key}"` });
    }
  };
  const interfaces = new Map<string, Parameters<typeof joins>[0]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) interfaces.set(definition.name.value, definition);
  }
  for (const definition of document.definitions) {
    if (!holdsFields(definition)) continue;
    for (const field of definition.fields ?? []) {
      for (const join of joins(field, 'join__field')) {
        const provides = stringArgument(join, 'provides');
        if (provides !== undefined && namedType(field.type) === PERSON_TYPE)
          found.push({ field: `${definition.name.value}.${field.name.value}`, why: `provides "${provides}"` });
      }
    }
    if (definition.name.value !== PERSON_TYPE) continue;
    keyedBeyondId(PERSON_TYPE, definition);
    if ('interfaces' in definition) {
      for (const implemented of definition.interfaces ?? []) {
        const entity = interfaces.get(implemented.name.value);
        if (entity) keyedBeyondId(implemented.name.value, entity);
      }
    }
    for (const field of definition.fields ?? []) {
      const where = `${PERSON_TYPE}.${field.name.value}`;
      const fieldJoins = joins(field, 'join__field');
      for (const join of fieldJoins) {
        const requires = stringArgument(join, 'requires');
        const override = stringArgument(join, 'override');
        if (requires !== undefined) found.push({ field: where, why: `requires "${requires}"` });
        if (override !== undefined) found.push({ field: where, why: `overrides the ${override} subgraph's` });
      }
      const answering = fieldJoins.filter((join) => !isExternal(join));
      if (answering.length > 1)
        found.push({ field: where, why: `answered by ${answering.map((join) => graphOf(join) ?? '?').join(' and ')}` });
    }
  }
  return found;
}

/** A join of a field its graph only declares (`@external`), not answers. */
const isExternal = (join: ConstDirectiveNode) => {
  const external = argumentOf(join, 'external');
  return external?.kind === Kind.BOOLEAN && external.value;
};
