// The checked-in supergraph is the composition of the subgraphs as they are, and every personal field
// in it carries exactly one data category.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { composeHub } from '@hub/all-in-one';
import { categoryMap, SUPERGRAPH_PATH } from '@hub/gateway/supergraph';
import { CATEGORY_NAMES } from '@hub/platform';

const checkedIn = await readFile(SUPERGRAPH_PATH, 'utf8');

function personFields(sdl: string): readonly FieldDefinitionNode[] {
  const person = parse(sdl).definitions.find(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Person',
  );
  return person?.fields ?? [];
}

describe('schema/supergraph.graphql', () => {
  it('equals a fresh composition of the subgraphs (run npm run compose when this fails)', () => {
    expect(checkedIn).toBe(composeHub());
  });

  it('tags every field of Person but its id with a data category', () => {
    const categories = categoryMap(checkedIn);
    const untagged = personFields(checkedIn)
      .map((f) => f.name.value)
      .filter((name) => name !== 'id' && !categories.has(`Person.${name}`));
    expect(untagged).toEqual([]);
  });

  it('keeps every tagged field of Person nullable, so a denied field can resolve to null', () => {
    const categories = categoryMap(checkedIn);
    const nonNull = personFields(checkedIn)
      .filter((f) => categories.has(`Person.${f.name.value}`) && f.type.kind === Kind.NON_NULL_TYPE)
      .map((f) => f.name.value);
    expect(nonNull).toEqual([]);
  });

  it('uses every category of the contract somewhere', () => {
    const used = new Set(categoryMap(checkedIn).values());
    expect([...used].sort()).toEqual([...CATEGORY_NAMES].sort());
  });
});
