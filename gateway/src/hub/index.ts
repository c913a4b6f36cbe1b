// The hub's own subgraph, executed inside the gateway process (no network hop): its schema, SDL and
// migrations, composed into the supergraph like any agency subgraph.

import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { DASHBOARD_SDL, pathBeside, readBeside, SCALAR_SDL, SUBGRAPH_SDL_HEADER } from '@hub/platform';
import { hubResolvers } from './resolvers.js';

export const HUB_SUBGRAPH_NAME = 'hub';
export const HUB_DB_SCHEMA = 'hub';
export const HUB_MIGRATIONS_DIR = pathBeside(import.meta.url, 'migrations');

export function hubTypeDefs(): DocumentNode {
  return parse(`${SUBGRAPH_SDL_HEADER}\n${SCALAR_SDL}\n${DASHBOARD_SDL}\n${readBeside(import.meta.url, 'schema.graphql')}`);
}

export function buildHubSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: hubTypeDefs(), resolvers: hubResolvers as GraphQLResolverMap<unknown> });
}

export { seedHub, createHubStore, type HubStore, type AgencyRow } from './store.js';
