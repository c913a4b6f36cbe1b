import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { answerShape, keepAsked, strayedFrom } from './answer.js';

const operationOf = (query: string) => {
  const document = parse(query);
  return { document, operation: document.definitions[0] as OperationDefinitionNode };
};

describe('an answer cut to what was asked', () => {
  it('drops every key the operation did not select, at every depth, keeping aliases and every fragment’s fields', () => {
    const { document, operation } = operationOf(`
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Person { jobSeeker { desiredWork } mine: id }
          ...More
        }
      }
      fragment More on Person { __typename }
    `);
    const data = {
      _entities: [
        {
          __typename: 'Person',
          mine: 'a',
          jobSeeker: { desiredWork: '介護', note: 'not asked' },
          name: 'not asked',
          dvCase: { summary: 'not asked' },
        },
        null,
      ],
      verifyAccessLog: { intact: true },
    };
    keepAsked(data, answerShape(operation.selectionSet, document));
    expect(data).toEqual({
      _entities: [{ __typename: 'Person', mine: 'a', jobSeeker: { desiredWork: '介護' } }, null],
    });
  });
});

describe('an answer about another entity than the one asked for', () => {
  const isPersonField = (field: string) => field === 'person' || field === 'people';

  it('withholds an _entities item whose key fields are not its representation’s', () => {
    const { operation } = operationOf(
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id } } }',
    );
    const representations = [
      { __typename: 'Person', id: 'A0' },
      { __typename: 'Person', id: 'b1' },
    ];
    const data = { _entities: [{ id: 'a0' }, { id: 'c2' }] };
    const strayed = strayedFrom(data, operation, { representations }, isPersonField);
    expect(strayed).toEqual([{ path: ['_entities', 1] }]);
    expect(data._entities).toEqual([{ id: 'a0' }, null]);
  });

  it('withholds a person answered with another id, by position in a list, and says nothing of one that selects no id', () => {
    const { operation } = operationOf(
      'query ($ids: [ID!]!) { people(ids: $ids) { id } one: person(id: "x1") { id } two: person(id: "x2") { name } }',
    );
    const data = { people: [{ id: 'p1' }, { id: 'p9' }, null], one: { id: 'y1' }, two: { name: 'n' } };
    const strayed = strayedFrom(data, operation, { ids: ['p1', 'p2', 'p3'] }, isPersonField);
    expect(strayed.map(({ path }) => path)).toEqual([['people', 1], ['one']]);
    expect(data).toEqual({ people: [{ id: 'p1' }, null, null], one: null, two: { name: 'n' } });
  });

  it('reads whose an answer is from its `id` field, whatever the client aliased: `id: name` is no other person', () => {
    const { operation } = operationOf('query { person(id: "x1") { id: name pid: id } }');
    const data = { person: { id: '高橋 一郎', pid: 'x1' } };
    expect(strayedFrom(data, operation, {}, isPersonField)).toEqual([]);
    const swapped = { person: { id: '高橋 一郎', pid: 'y9' } };
    expect(strayedFrom(swapped, operation, {}, isPersonField)).toEqual([{ path: ['person'] }]);
  });

  it('withholds a list answered where one person was asked for, and reads a single id given for a list as a list of one', () => {
    const { operation } = operationOf('query ($ids: [ID!]!) { person(id: "x1") { id } people(ids: $ids) { id } }');
    const data = { person: [{ id: 'y9' }], people: [{ id: 'y9' }] };
    expect(strayedFrom(data, operation, { ids: 'x2' }, isPersonField).map(({ path }) => path)).toEqual([
      ['person'],
      ['people', 0],
    ]);
    const nameOnly = operationOf('query { person(id: "x1") { name } }').operation;
    expect(strayedFrom({ person: [{ name: 'n' }] }, nameOnly, {}, isPersonField)).toEqual([{ path: ['person'] }]);
  });
});
