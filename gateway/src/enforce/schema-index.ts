// What enforcement needs to know of the supergraph: each field's return type and data category.
// Built once at start from the supergraph SDL (the API schema drops the @category directive).

import { Kind, parse, type TypeNode } from 'graphql';
import { fieldCategories, holdsFields, type DataCategory } from '@hub/platform';

/** The entity every personal field hangs from: a field's person is its nearest enclosing Person. */
export const PERSON_TYPE = 'Person';

export interface FieldInfo {
  /** The named return type (lists and non-null stripped). */
  readonly type: string;
  readonly category: DataCategory | undefined;
}

export interface SchemaIndex {
  field(parentType: string, fieldName: string): FieldInfo | undefined;
  /** Every tagged field, as `Type.field`. */
  readonly categories: ReadonlyMap<string, DataCategory>;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

export function indexSupergraph(supergraphSdl: string): SchemaIndex {
  const document = parse(supergraphSdl);
  // The tags read as every reader of an SDL reads them (throws on a tag that names no category).
  const categories = fieldCategories(document);
  const fields = new Map<string, FieldInfo>();
  for (const definition of document.definitions) {
    if (!holdsFields(definition)) continue;
    for (const field of definition.fields ?? []) {
      const key = `${definition.name.value}.${field.name.value}`;
      fields.set(key, { type: namedType(field.type), category: categories.get(key) });
    }
  }
  return {
    field: (parentType, fieldName) => fields.get(`${parentType}.${fieldName}`),
    categories,
  };
}
