import { parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { rootFragmentsWrittenOut } from './root-fragments.js';

const written = (text: string) => {
  const document = parse(text);
  const result = rootFragmentsWrittenOut(document, document.definitions[0] as OperationDefinitionNode);
  return { document, result, printed: print(result.document).replace(/\s+/g, ' ') };
};

describe('rootFragmentsWrittenOut', () => {
  it('leaves a query as it is, fragments and all', () => {
    const { document, result } = written('{ ...F } fragment F on Query { agencies { id } }');
    expect(result.document).toBe(document);
  });

  it("writes a mutation's root spread and inline fragment out in place, and drops the fragment no longer spread", () => {
    const { printed, result } = written('mutation { a ...F ... on Mutation { c } d } fragment F on Mutation { b }');
    expect(printed).toBe('mutation { a b c d }');
    expect(result.document.definitions).toEqual([result.operation]);
  });

  it('keeps a conditioned fragment as an inline fragment with its directives, in place', () => {
    const { printed } = written(
      'mutation ($on: Boolean!) { a ...F @include(if: $on) d } fragment F on Mutation { b ...G } fragment G on Mutation { c }',
    );
    expect(printed).toBe('mutation ($on: Boolean!) { a ... on Mutation @include(if: $on) { b c } d }');
  });

  it('plans the operation alone: a fragment another operation of the document spreads is left out too', () => {
    const { printed } = written(
      'mutation M { a ...F } mutation Other { ...F } query Q { ...G } fragment F on Mutation { b } fragment G on Query { c }',
    );
    expect(printed).toBe('mutation M { a b }');
  });

  it('keeps a fragment the operation still spreads below its root', () => {
    const { printed } = written(
      'mutation { a { ...P } ...F } fragment F on Mutation { b { ...P } } fragment P on T { x }',
    );
    expect(printed).toBe('mutation { a { ...P } b { ...P } } fragment P on T { x }');
  });
});
