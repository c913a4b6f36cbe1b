import { describe, expect, it } from 'vitest';
import { Kind, parse, print, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { asksForData, inlineFragments, scanSelection } from './selection.js';
import { indexSupergraph } from './schema-index.js';

const index = indexSupergraph(/* GraphQL */ `
  directive @category(name: String!) on FIELD_DEFINITION
  type Query {
    person(id: ID!): Person
  }
  type Person {
    id: ID!
    name: String @category(name: IDENTITY)
    household: Household @category(name: WELFARE_CASE)
    dvCase: DvCase @category(name: DV)
  }
  type Household {
    summary: String @category(name: WELFARE_CASE)
    members: [Person!]! @category(name: WELFARE_CASE)
  }
  type DvCase {
    status: String @category(name: DV)
    whereabouts: Whereabouts @category(name: DV_LOCATION)
  }
  type Whereabouts {
    address: String @category(name: DV_LOCATION)
  }
`);

function personSelection(query: string): SelectionSetNode {
  const operation = inlineFragments(parse(query)).definitions[0] as OperationDefinitionNode;
  const field = operation.selectionSet.selections[0]!;
  if (field.kind !== Kind.FIELD || !field.selectionSet) throw new Error('no person field');
  return field.selectionSet;
}

describe('scanSelection', () => {
  it('keeps the rewriting of a selection per denied set, and rewrites anew for another denied set', () => {
    const selection = personSelection('{ person(id: "p") { name household { summary } dvCase { status } } }');
    const none = scanSelection(index, selection, 'Person');
    const dvDenied = scanSelection(index, selection, 'Person', new Set(['DV'] as const));
    // The same denied set in another order, on the next request: the same rewriting, not walked again.
    expect(scanSelection(index, selection, 'Person', new Set(['DV'] as const))).toBe(dvDenied);
    expect(scanSelection(index, selection, 'Person')).toBe(none);
    // A revocation that denies more gets its own rewriting, without the newly denied field.
    const both = scanSelection(index, selection, 'Person', new Set(['WELFARE_CASE', 'DV'] as const));
    expect(both).not.toBe(dvDenied);
    expect(print(both.selectionSet)).not.toContain('household');
    expect(print(dvDenied.selectionSet)).toContain('household');
    expect(print(dvDenied.selectionSet)).not.toContain('dvCase');
    // Another parse of the same text is another selection, scanned on its own.
    const again = personSelection('{ person(id: "p") { name household { summary } dvCase { status } } }');
    expect(scanSelection(index, again, 'Person', new Set(['DV'] as const))).not.toBe(dvDenied);
  });

  it('records a use where the category changes, by response keys', () => {
    const scan = scanSelection(
      index,
      personSelection('{ person(id: 1) { n: name dvCase { status whereabouts { address } } } }'),
      'Person',
    );
    expect(scan.uses).toEqual([
      { category: 'IDENTITY', path: ['n'] },
      { category: 'DV', path: ['dvCase'] },
      { category: 'DV_LOCATION', path: ['dvCase', 'whereabouts'] },
    ]);
  });

  it('takes a denied category out, however deep, and keeps the rest', () => {
    const scan = scanSelection(
      index,
      personSelection('{ person(id: 1) { name dvCase { status whereabouts { address } } } }'),
      'Person',
      new Set(['DV_LOCATION']),
    );
    expect(print(scan.selectionSet)).toBe('{\n  name\n  dvCase {\n    status\n  }\n}');
  });

  it('cuts a nested person to its key and hands its selection over', () => {
    const scan = scanSelection(
      index,
      personSelection('{ person(id: 1) { household { summary members { name } } } }'),
      'Person',
    );
    expect(scan.nested.map((n) => [n.path, print(n.selectionSet)])).toEqual([
      [['household', 'members'], '{\n  name\n}'],
    ]);
    expect(print(scan.selectionSet)).toContain('members {\n      __typename\n      id\n    }');
  });

  it('sees fields behind named and inline fragments', () => {
    const selection = personSelection(
      'query { person(id: 1) { ...F ... on Person { dvCase { status } } } } fragment F on Person { name }',
    );
    expect(scanSelection(index, selection, 'Person').uses.map((u) => u.category)).toEqual(['IDENTITY', 'DV']);
  });

  it('keeps an emptied object valid GraphQL', () => {
    const scan = scanSelection(
      index,
      personSelection('{ person(id: 1) { dvCase { whereabouts { address } } } }'),
      'Person',
      new Set(['DV_LOCATION']),
    );
    expect(print(scan.selectionSet)).toBe('{\n  dvCase {\n    __typename\n  }\n}');
  });
});

describe('asksForData', () => {
  it('is false when only the key is left', () => {
    expect(asksForData(personSelection('{ person(id: 1) { __typename id } }'))).toBe(false);
    expect(asksForData(personSelection('{ person(id: 1) { id name } }'))).toBe(true);
  });
});
