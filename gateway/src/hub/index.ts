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
import { decidedAfterEachChange, unguardedCategorizedFields, type FieldResolver } from '../enforce/hub-records.js';
import { accessLogSearchResolvers } from './access-log-search.js';
import { agencyControlResolvers } from './agency-controls.js';
import { consentResolvers } from './consents.js';
import { dashboardResolvers } from './dashboards.js';
import { meetingResolvers } from './meetings.js';
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

/** Every concern's resolvers, as the one map the hub's schema is built with. */
export function hubResolverMap(): GraphQLResolverMap<unknown> {
  const merged = mergeResolvers([
    hubResolvers,
    meetingResolvers,
    consentResolvers,
    referralResolvers,
    dashboardResolvers,
    participationResolvers,
    agencyControlResolvers,
    accessLogSearchResolvers,
  ]) as Record<string, Record<string, FieldResolver<unknown>>>;
  return { ...merged, Mutation: decidedAfterEachChange(merged['Mutation'] ?? {}) } as GraphQLResolverMap<unknown>;
}

/**
 * The hub's executable schema. Every field its SDL tags with a category must be answered by a guarded
 * resolver (enforce/hub-records.ts), which decides and logs the read before it releases a value: one
 * answered any other way is a start-up error, not a field that skips the decision.
 */
export function buildHubSchema(): GraphQLSchema {
  const typeDefs = hubTypeDefs();
  const resolvers = hubResolverMap();
  const unguarded = unguardedCategorizedFields(typeDefs, resolvers);
  if (unguarded.length) {
    throw new Error(`The hub's categorized fields must be guarded (guardedFields): ${unguarded.join(', ')}`);
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
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
