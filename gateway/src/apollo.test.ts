import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INCOMING_OPERATION, isIncomingOperation } from './apollo.js';

describe('Apollo internals the gateway relies on', () => {
  it('the request kind of an incoming operation is still the one a stock ApolloGateway sends its data sources', async () => {
    const typeDefs = parse('type Query { ok: Boolean }');
    const composed = composeServices([{ name: 'only', url: 'http://only.invalid/graphql', typeDefs }]);
    if (!composed.supergraphSdl) throw new Error(composed.errors?.map((e) => e.message).join('; '));
    const seen: { kind: unknown; incoming: boolean }[] = [];
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: () => {
        const source = new LocalGraphQLDataSource(
          buildSubgraphSchema({ typeDefs, resolvers: { Query: { ok: () => true } } }),
        );
        const process = source.process.bind(source);
        source.process = (options: GraphQLDataSourceProcessOptions) => {
          seen.push({ kind: options.kind, incoming: isIncomingOperation(options) });
          return process(options);
        };
        return source;
      },
    });
    const server = new ApolloServer({ gateway });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ ok }' });
      expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ ok: true });
    } finally {
      await server.stop();
    }
    expect(seen).toEqual([{ kind: INCOMING_OPERATION, incoming: true }]);
    expect(isIncomingOperation({ kind: 'health check' } as unknown as GraphQLDataSourceProcessOptions)).toBe(false);
  });
});
