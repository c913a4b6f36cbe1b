// Every name an integrator sees in the hub's public schema is described (README: the Japanese term, then
// what an integrator needs). Read from the API schema the gateway serves: the supergraph without its join
// directives and inaccessible parts, as introspection shows it.

import { describe, expect, it } from 'vitest';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { apiSchemaSdl, readSupergraph } from '@hub/gateway/supergraph';

const schema = buildSchema(apiSchemaSdl(await readSupergraph()));

const described = (description: string | null | undefined): boolean => (description ?? '').trim() !== '';

/** `Type`, `Type.field`, `Type.field(arg)`, `Input.field`, `Enum.VALUE` for everything without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    // Built-in scalars and introspection types are graphql's; federation's own (_Any, _Service, link__…)
    // are not in the API schema, and their names start with an underscore or a namespace.
    if (isSpecifiedScalarType(type) || isIntrospectionType(type) || type.name.startsWith('_')) continue;
    if (!described(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (!described(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues())
        if (!described(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing.sort();
}

describe('the public schema', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(schema)).toEqual([]);
  });
});
