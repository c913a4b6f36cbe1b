// What a subgraph's (or the supergraph's) SDL says of personal data: which fields hold it and with which
// category tags, what the conformance check reads of them, and which field of Person it asks for.

import {
  Kind,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type NameNode,
  type TypeNode,
} from 'graphql';
// The platform's modules one by one, not its index: the command starts without loading a database or a server.
import { categoryTags, DATA_CATEGORIES, holdsFields, owningDomain, type DataCategory } from '@hub/platform/categories';
import type { Domain } from '@hub/platform/services';

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

interface TypeFields {
  fields: FieldDefinitionNode[];
  entity: boolean;
}

/** Every type that holds fields, by name, its extensions' fields with its own, and whether it is an entity. */
function typesOf(document: DocumentNode): Map<string, TypeFields> {
  const types = new Map<string, TypeFields>();
  for (const definition of document.definitions) {
    if (!holdsFields(definition)) continue;
    const known = types.get(definition.name.value) ?? { fields: [], entity: false };
    known.fields.push(...(definition.fields ?? []));
    // A subgraph marks an entity with @key, the supergraph with @join__type(key: …).
    known.entity ||= (definition.directives ?? []).some(
      (d) =>
        d.name.value === 'key' || (d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key')),
    );
    types.set(definition.name.value, known);
  }
  return types;
}

/** The input objects' fields, by input type name. */
function inputsOf(document: DocumentNode): Map<string, readonly InputValueDefinitionNode[]> {
  const inputs = new Map<string, readonly InputValueDefinitionNode[]>();
  for (const d of document.definitions) {
    if (d.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION && d.kind !== Kind.INPUT_OBJECT_TYPE_EXTENSION) continue;
    inputs.set(d.name.value, [...(inputs.get(d.name.value) ?? []), ...(d.fields ?? [])]);
  }
  return inputs;
}

/** Argument and input field names that name a person. */
const PERSON_IDS = new Set(['personId', 'personIds']);

/**
 * The queries whose arguments name a person, directly or in an input object (`Query.note(personId)`): in an
 * agency subgraph each reads about her outside Person, where the gateway decides nothing per person. As
 * `Query.field`. (A mutation naming her is its own domain's, and returns its receipt or her record.)
 */
export function queriesNamingPerson(document: DocumentNode): string[] {
  const inputs = inputsOf(document);
  const names = (args: readonly InputValueDefinitionNode[], seen: Set<string>): boolean =>
    args.some((arg) => {
      if (PERSON_IDS.has(arg.name.value)) return true;
      const type = namedType(arg.type);
      if (seen.has(type) || !inputs.has(type)) return false;
      seen.add(type);
      return names(inputs.get(type)!, seen);
    });
  return (typesOf(document).get('Query')?.fields ?? [])
    .filter((field) => names(field.arguments ?? [], new Set()))
    .map((field) => `Query.${field.name.value}`);
}

/**
 * The personal fields of a subgraph's (or the supergraph's) SDL and their category tags: every field of `Person`
 * and of each type reached from it through a tagged field, except `id`. A type with a `@key` of its own other
 * than Person (a job opening, an eco project) is data about no one and is not followed.
 */
export function personalFields(document: DocumentNode): { field: string; categories: string[] }[] {
  const types = typesOf(document);
  const found: { field: string; categories: string[] }[] = [];
  const seen = new Set<string>();
  const queue = ['Person'];
  while (queue.length) {
    const type = queue.shift()!;
    if (seen.has(type)) continue;
    seen.add(type);
    for (const field of types.get(type)?.fields ?? []) {
      if (field.name.value === 'id') continue;
      const categories = (field.directives ?? [])
        .filter((d) => d.name.value === 'category')
        .map((d) => {
          const value = d.arguments?.find((a) => a.name.value === 'name')?.value;
          return value?.kind === Kind.ENUM ? value.value : '?';
        });
      found.push({ field: `${type}.${field.name.value}`, categories });
      const target = types.get(namedType(field.type));
      if (categories.length && target && !target.entity) queue.push(namedType(field.type));
    }
  }
  return found;
}

/** Why a query taking a person's id is refused: what the gateway decides per person are Person's fields. */
export const READ_THROUGH_PERSON =
  "a person's data is read as a field of Person (with a category), which the gateway decides for each person";

const ownCategories = (domain: Domain) =>
  (Object.keys(DATA_CATEGORIES) as DataCategory[]).filter((c) => owningDomain(c) === domain).join(', ');

/**
 * What is wrong with the SDL's category tags for a subgraph of `domain`: a personal field with no category
 * or several, a tag of another domain's (or no known) category, and a Person with no personal field at all.
 */
export function categoryProblems(document: DocumentNode, domain: Domain): { problems: string[]; personal: number } {
  const problems: string[] = [];
  for (const field of queriesNamingPerson(document)) {
    problems.push(`${field} takes a person's id: ${READ_THROUGH_PERSON}`);
  }
  const personal = personalFields(document);
  for (const { field, categories } of personal) {
    if (categories.length === 0) problems.push(`${field} has no category`);
    else if (categories.length > 1) problems.push(`${field} has ${categories.length} categories`);
  }
  for (const { field, name } of categoryTags(document)) {
    const owner = name in DATA_CATEGORIES ? owningDomain(name as DataCategory) : undefined;
    if (owner === domain) continue;
    problems.push(
      owner
        ? `${field} is tagged ${name}, which ${owner} holds; this subgraph is ${domain}'s and tags only its own (${ownCategories(domain)})`
        : `${field} is tagged ${name}, which is no data category`,
    );
  }
  if (!personal.some((f) => f.field.startsWith('Person.'))) problems.push('Person has no personal field');
  return { problems, personal: personal.length };
}

/**
 * A tagged field of Person to ask `_entities` for, as a selection (`name`, or `name { __typename }` for a
 * composite type); undefined when Person has none.
 */
export function personFieldSelection(document: DocumentNode): { name: string; text: string } | undefined {
  const personField = personalFields(document).find((f) => f.field.startsWith('Person.') && f.categories.length === 1);
  if (!personField) return undefined;
  const name = personField.field.slice('Person.'.length);
  const definition = document.definitions.find(
    (d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      d.name.value === 'Person' &&
      d.fields?.some((f) => f.name.value === name),
  );
  const field =
    definition && 'fields' in definition ? definition.fields?.find((f) => f.name.value === name) : undefined;
  if (!field) return undefined;
  const target = namedType(field.type);
  const composite = document.definitions.some(
    (d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION ||
        d.kind === Kind.INTERFACE_TYPE_DEFINITION ||
        d.kind === Kind.UNION_TYPE_DEFINITION) &&
      d.name.value === target,
  );
  return { name, text: composite ? `${name} { __typename }` : name };
}

interface FieldHolder {
  readonly kind: Kind;
  readonly name: NameNode;
  readonly directives?: readonly DirectiveNode[];
  readonly fields?: readonly { readonly name: NameNode; readonly directives?: readonly DirectiveNode[] }[];
}

const holdsFieldsOrInputs = (definition: DefinitionNode): definition is DefinitionNode & FieldHolder =>
  holdsFields(definition) ||
  definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
  definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION;

/** A directive's argument as written (an enum value, a string or a boolean), if it is given. */
function argumentOf(directive: DirectiveNode, name: string): string | boolean | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind === Kind.ENUM || value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.BOOLEAN) return value.value;
  return undefined;
}

/**
 * The fields (and input fields) the supergraph routes to the subgraph `name` (its `@join__graph` name): of each
 * type it joins, a field with no `@join__field` (every graph of the type serves it) or one joined to it, not
 * as `external`. As `Type.field`.
 */
export function routedFields(supergraph: DocumentNode, name: string): string[] {
  const graph = supergraph.definitions
    .flatMap((d) => (d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph' ? (d.values ?? []) : []))
    .find((v) => v.directives?.some((d) => d.name.value === 'join__graph' && argumentOf(d, 'name') === name))
    ?.name.value;
  if (!graph) return [];
  const routed: string[] = [];
  for (const definition of supergraph.definitions) {
    if (!holdsFieldsOrInputs(definition)) continue;
    const joins = (definition.directives ?? []).filter((d) => d.name.value === 'join__type');
    if (!joins.some((d) => argumentOf(d, 'graph') === graph)) continue;
    for (const field of definition.fields ?? []) {
      const fieldJoins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const served =
        fieldJoins.length === 0 ||
        fieldJoins.some((d) => argumentOf(d, 'graph') === graph && argumentOf(d, 'external') !== true);
      if (served) routed.push(`${definition.name.value}.${field.name.value}`);
    }
  }
  return routed;
}

/** The fields the supergraph routes to the subgraph `name` that its SDL does not define. */
export function unservedFields(
  supergraph: DocumentNode,
  name: string,
  subgraph: DocumentNode,
): { missing: string[]; routed: number } {
  const defined = new Set<string>();
  for (const definition of subgraph.definitions) {
    if (!holdsFieldsOrInputs(definition)) continue;
    for (const field of definition.fields ?? []) defined.add(`${definition.name.value}.${field.name.value}`);
  }
  const routed = routedFields(supergraph, name);
  return { missing: routed.filter((coordinate) => !defined.has(coordinate)), routed: routed.length };
}
