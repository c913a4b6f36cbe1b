// The response in one walk: the data the fetches gathered, shaped to the operation's selections (fields
// by response name, fragments by runtime type, __typename), with a non-null field that came back null
// making its parent null, as GraphQL's value completion does.

import {
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { graphql } from '../graphql-cjs.js';

const { getNamedType, isAbstractType, isLeafType, isListType, isNonNullType, isObjectType } = graphql;

interface ShapedField {
  readonly key: string;
  readonly typename: boolean;
  readonly type: GraphQLOutputType;
  readonly fieldName: string;
  readonly parentType: string;
  readonly selections: readonly SelectionSetNode[];
  /** Filled on first use: the fields of the sub-selections per runtime type. */
  readonly children: Map<string, readonly ShapedField[]>;
}

export interface ShapeError {
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** Why an operation is not shaped here (the stock executor runs it), or null when it can be. */
export function unshapeable(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
): string | null {
  let why: string | null = null;
  const check = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length) why = 'directives';
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__schema' || selection.name.value === '__type') why = 'introspection';
        if (selection.selectionSet) check(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        check(selection.selectionSet);
      }
    }
  };
  check(operation.selectionSet);
  for (const fragment of fragments) check(fragment.selectionSet);
  return why;
}

/** A shaper for one operation; the per-type field lists it computes are kept for its next requests. */
export function createShaper(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
) {
  const fragmentByName = new Map(fragments.map((f) => [f.name.value, f]));
  const rootType = schema.getRootType(operation.operation)!;

  function fieldsOf(runtime: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): ShapedField[] {
    const byKey = new Map<string, { fieldName: string; selections: SelectionSetNode[] }>();
    const visit = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          let entry = byKey.get(key);
          if (!entry) byKey.set(key, (entry = { fieldName: selection.name.value, selections: [] }));
          if (selection.selectionSet) entry.selections.push(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (!selection.typeCondition || applies(selection.typeCondition.name.value, runtime))
            visit(selection.selectionSet);
        } else {
          const fragment = fragmentByName.get(selection.name.value);
          if (fragment && applies(fragment.typeCondition.name.value, runtime)) visit(fragment.selectionSet);
        }
      }
    };
    selectionSets.forEach(visit);
    return [...byKey].map(([key, { fieldName, selections }]) => {
      const typename = fieldName === '__typename';
      const type = typename ? runtime : runtime.getFields()[fieldName]!.type;
      return { key, typename, type, fieldName, parentType: runtime.name, selections, children: new Map() };
    });
  }

  function applies(condition: string, runtime: GraphQLObjectType): boolean {
    if (condition === runtime.name) return true;
    const type = schema.getType(condition);
    return !!type && isAbstractType(type) && schema.isSubType(type, runtime);
  }

  const rootFields = fieldsOf(rootType, [operation.selectionSet]);

  /** The response data and the value completion errors. */
  return function shape(data: Record<string, unknown>): { data: Record<string, unknown> | null; errors: ShapeError[] } {
    const errors: ShapeError[] = [];
    const path: (string | number)[] = [];

    function object(value: Record<string, unknown>, fields: readonly ShapedField[], typeName: string) {
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        if (field.typename) {
          out[field.key] = typeName;
          continue;
        }
        path.push(field.key);
        const completed = complete(value[field.key], field.type, field);
        path.pop();
        if (completed === INVALID) return INVALID;
        out[field.key] = completed;
      }
      return out;
    }

    /** The completed value; INVALID when a non-null position is null, for the nearest nullable one to take. */
    function complete(value: unknown, type: GraphQLOutputType, field: ShapedField): unknown {
      if (isNonNullType(type)) {
        const completed = completeNullable(value, type.ofType, field);
        if (completed === INVALID) return INVALID;
        if (completed === null) {
          errors.push({
            message: `Cannot return null for non-nullable field ${field.parentType}.${field.fieldName}.`,
            path: [...path],
          });
          return INVALID;
        }
        return completed;
      }
      const completed = completeNullable(value, type, field);
      return completed === INVALID ? null : completed;
    }

    function completeNullable(value: unknown, type: GraphQLOutputType, field: ShapedField): unknown {
      if (value === null || value === undefined) return null;
      if (isListType(type)) {
        if (!Array.isArray(value)) return null;
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          const item = complete(value[i], type.ofType, field);
          path.pop();
          if (item === INVALID) return INVALID;
          out[i] = item;
        }
        return out;
      }
      if (isLeafType(type)) return value;
      const named = getNamedType(type) as GraphQLCompositeType;
      const typename = (value as Record<string, unknown>)['__typename'];
      const runtime = isObjectType(named)
        ? named
        : typeof typename === 'string'
          ? (schema.getType(typename) as GraphQLObjectType | undefined)
          : undefined;
      if (!runtime || !isObjectType(runtime)) return null;
      let fields = field.children.get(runtime.name);
      if (!fields) field.children.set(runtime.name, (fields = fieldsOf(runtime, field.selections)));
      return object(value as Record<string, unknown>, fields, runtime.name);
    }

    const shaped = object(data, rootFields, rootType.name);
    return { data: shaped === INVALID ? null : (shaped as Record<string, unknown>), errors };
  };
}

const INVALID = Symbol('invalid');
