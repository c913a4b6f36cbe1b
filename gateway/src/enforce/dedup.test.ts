import { describe, expect, it } from 'vitest';
import { deduplicateRepresentations, expandEntities } from './dedup.js';

const rep = (id: string) => ({ __typename: 'Person', id });

describe('representation deduplication', () => {
  it('keeps each distinct representation once, in order of first appearance', () => {
    const dedup = deduplicateRepresentations([rep('a'), rep('b'), rep('a'), rep('a')]);
    expect(dedup?.unique).toEqual([rep('a'), rep('b')]);
    expect(dedup?.positions).toEqual([[0, 2, 3], [1]]);
  });

  it('tells apart types, ids and representations with more keys than a type and an id', () => {
    const other = { __typename: 'Opportunity', id: 'a' };
    const keyed = { __typename: 'Person', id: 'a', municipalityCode: '012345' };
    expect(deduplicateRepresentations([rep('a'), other, keyed, rep('a'), { ...keyed }])?.positions).toEqual([
      [0, 3],
      [1],
      [2, 4],
    ]);
  });

  it('leaves distinct representations alone', () => {
    expect(deduplicateRepresentations([rep('a'), rep('b')])).toBeNull();
  });

  it('answers every original position with its own copy, and repeats an error at each', () => {
    const dedup = deduplicateRepresentations([rep('a'), rep('b'), rep('a')])!;
    const expanded = expandEntities(
      {
        data: { _entities: [{ id: 'a', tags: ['x'] }, null] },
        errors: [{ message: 'denied', path: ['_entities', 1, 'name'] }, { message: 'elsewhere' }],
      },
      dedup,
      3,
    );
    const entities = expanded.data!['_entities'] as unknown[];
    expect(entities).toEqual([{ id: 'a', tags: ['x'] }, null, { id: 'a', tags: ['x'] }]);
    expect(entities[0]).not.toBe(entities[2]);
    expect(expanded.errors).toEqual([{ message: 'denied', path: ['_entities', 1, 'name'] }, { message: 'elsewhere' }]);
  });
});
