// What enforcement needs to know of the supergraph: each field's return type and data category.
// Built once at start from the supergraph SDL (the API schema drops the @category directive).

import { Kind, parse, type TypeNode } from 'graphql';
import { isDataCategory, type DataCategory } from '@hub/platform';

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
  const fields = new Map<string, FieldInfo>();
  const categories = new Map<string, DataCategory>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const key = `${definition.name.value}.${field.name.value}`;
      const tag = field.directives?.find((d) => d.name.value === 'category');
      const value = tag?.arguments?.find((a) => a.name.value === 'name')?.value;
      const category = value?.kind === Kind.ENUM && isDataCategory(value.value) ? value.value : undefined;
      if (tag && !category) throw new Error(`${key} carries an unknown data category`);
      fields.set(key, { type: namedType(field.type), category });
      if (category) categories.set(key, category);
    }
  }
  return {
    field: (parentType, fieldName) => fields.get(`${parentType}.${fieldName}`),
    categories,
  };
}
