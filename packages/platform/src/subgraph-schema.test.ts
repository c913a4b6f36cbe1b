// A running subgraph's schema keeps no location of its SDL: each location holds on to the SDL's tokens,
// tens of MB across the hub's seven schemas, which only composition's messages need.

import { visit, type ASTNode } from 'graphql';
import { expect, it } from 'vitest';
import { buildSchema, defineSubgraph, subgraphTypeDefs, type SubgraphDefinition } from './subgraph.js';

const definition = defineSubgraph({
  name: 'welfare',
  sdl: /* GraphQL */ `
    """
    福祉の記録 — a record kept by the welfare office.
    """
    type Record @key(fields: "id") {
      id: ID!
      note: String
    }
    type Query {
      record(id: ID!): Record
    }
  `,
  resolvers: {},
  migrationsDir: '',
  createStore: () => ({}),
  seed: async () => {},
});

function locatedNodes(node: ASTNode | undefined | null): number {
  let located = 0;
  if (node)
    visit(node, {
      enter(n) {
        if (n.loc) located += 1;
      },
    });
  return located;
}

it("a running subgraph's schema keeps no location of its SDL, composition's type definitions keep them", () => {
  const schema = buildSchema(definition);
  const astNodes = Object.values(schema.getTypeMap()).map((type) => type.astNode);
  expect(astNodes.filter(Boolean).length).toBeGreaterThan(0);
  expect(astNodes.reduce((sum, node) => sum + locatedNodes(node), 0)).toBe(0);
  expect(locatedNodes(subgraphTypeDefs(definition as SubgraphDefinition<unknown>))).toBeGreaterThan(0);
});
