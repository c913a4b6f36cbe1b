// The hub's own subgraph, executed inside the gateway process (no network hop): its schema, SDL and
// migrations, composed into the supergraph like any agency subgraph.

import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import {
  DASHBOARD_SDL,
  pathBeside,
  readBeside,
  SCALAR_SDL,
  SUBGRAPH_SDL_HEADER,
  type GraphQLResolverMap,
} from '@hub/platform';
import { dashboardResolvers } from './dashboards.js';
import { participationResolvers } from './participation.js';
import { referralResolvers } from './referrals.js';
import { hubResolvers } from './resolvers.js';

export const HUB_SUBGRAPH_NAME = 'hub';
export const HUB_DB_SCHEMA = 'hub';
export const HUB_MIGRATIONS_DIR = pathBeside(import.meta.url, 'migrations');

export function hubTypeDefs(): DocumentNode {
  return parse(
    `${SUBGRAPH_SDL_HEADER}\n${SCALAR_SDL}\n${DASHBOARD_SDL}\n${readBeside(import.meta.url, 'schema.graphql')}`,
  );
}

export function buildHubSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: hubTypeDefs(),
    resolvers: mergeResolvers([
      hubResolvers,
      referralResolvers,
      dashboardResolvers,
      participationResolvers,
    ]) as GraphQLResolverMap<unknown>,
  });
}

/** The hub's resolver maps, one per concern, as one map (a type's fields may come from several). */
function mergeResolvers<T>(maps: readonly GraphQLResolverMap<T>[]): GraphQLResolverMap<T> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      merged[type] = { ...merged[type], ...(fields as Record<string, unknown>) };
    }
  }
  return merged as GraphQLResolverMap<T>;
}

export { PARTICIPATION_OPERATIONS } from './participation.js';
export { RELATIONSHIP_PROBES } from './relationship.js';
export { seedHub, createHubStore, type HubStore, type AgencyRow } from './store.js';
