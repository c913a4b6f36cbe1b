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
import { accessLogSearchResolvers } from './access-log-search.js';
import { agencyControlResolvers } from './agency-controls.js';
import { consentResolvers } from './consents.js';
import { dashboardResolvers } from './dashboards.js';
import { participationResolvers } from './participation.js';
import { referralResolvers } from './referrals.js';
import { hubResolvers } from './resolvers.js';

export const HUB_SUBGRAPH_NAME = 'hub';
export const HUB_DB_SCHEMA = 'hub';
export const HUB_MIGRATIONS_DIR = pathBeside(import.meta.url, 'migrations');

/** SDL files beside this module that extend schema.graphql's types, one concern each. */
const EXTENSION_SDL = ['agency-controls.graphql', 'access-log-checkpoint.graphql', 'access-log-search.graphql'];

export function hubTypeDefs(): DocumentNode {
  return parse(
    [
      SUBGRAPH_SDL_HEADER,
      SCALAR_SDL,
      DASHBOARD_SDL,
      readBeside(import.meta.url, 'schema.graphql'),
      ...EXTENSION_SDL.map((file) => readBeside(import.meta.url, file)),
    ].join('\n'),
  );
}

export function buildHubSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: hubTypeDefs(),
    resolvers: mergeResolvers([
      hubResolvers,
      consentResolvers,
      referralResolvers,
      dashboardResolvers,
      participationResolvers,
      agencyControlResolvers,
      accessLogSearchResolvers,
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
export { seedHub } from './seed.js';
export { createHubStore, type HubStore, type AgencyRow } from './store.js';
