// Levels of a query plan: one request per subgraph per level, and the fetches nothing waits for moved to
// a level that calls their subgraph anyway. The plan is Apollo's, for the public four-subgraph query.

import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';
import { expect, it } from 'vitest';
import { composeGuildSupergraph, GUILD_QUERY } from '../../../bench/guild/subgraphs.js';
import { levelPlan, representationOf, unsupported } from './levels.js';

const supergraph = Supergraph.build(
  composeGuildSupergraph({
    accounts: 'http://accounts.test/graphql',
    inventory: 'http://inventory.test/graphql',
    products: 'http://products.test/graphql',
    reviews: 'http://reviews.test/graphql',
  }),
);
const planner = new QueryPlanner(supergraph);
const planOf = (query: string): QueryPlan =>
  planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(query)));

it('sends the deep query in six requests over four levels, for the sixteen fetches of its plan', () => {
  const plan = planOf(GUILD_QUERY);
  expect(unsupported(plan)).toBeNull();
  const leveled = levelPlan(plan);
  expect(leveled.fetchCount).toBe(16);
  expect(leveled.requestCount).toBe(6);
  const subgraphs = leveled.levels.map((groups) => groups.map((g) => g.subgraph).sort());
  // The inventory fetches nothing waits for (inStock at three paths) join the last level's inventory call.
  expect(subgraphs).toEqual([['accounts', 'products'], ['reviews'], ['accounts', 'products'], ['inventory']]);
  // Every fetch runs after the fetches it waits for.
  for (const groups of leveled.levels) {
    for (const group of groups) {
      for (const fetch of group.fetches)
        for (const before of fetch.waitsFor) expect(before.level).toBeLessThan(fetch.level);
    }
  }
  // A group of several entity fetches is one operation, each fetch's _entities under its own alias.
  const inventory = leveled.levels[3]![0]!;
  expect(inventory.fetches.length).toBeGreaterThan(1);
  expect(inventory.merged?.query).toContain('_0: _entities(representations: $r0)');
  expect(inventory.merged?.query).toContain(`_${inventory.fetches.length - 1}: _entities`);
});

it('sends a plan of one fetch as planned', () => {
  const leveled = levelPlan(planOf('{ topProducts { upc name } }'));
  expect(leveled.requestCount).toBe(1);
  expect(leveled.levels[0]![0]!.merged).toBeUndefined();
});

it('builds a representation from what the fetch requires, and none for another type', () => {
  const requires = [
    {
      kind: 'InlineFragment' as const,
      typeCondition: 'Product',
      selections: [
        { kind: 'Field' as const, name: '__typename' },
        { kind: 'Field' as const, name: 'upc' },
      ],
    },
  ];
  const isSubtype = (typename: string, condition: string) => typename === condition;
  expect(representationOf({ __typename: 'Product', upc: '1', name: 'Table' }, requires, isSubtype)).toEqual({
    __typename: 'Product',
    upc: '1',
  });
  expect(representationOf({ __typename: 'User', id: '1' }, requires, isSubtype)).toBeNull();
});
