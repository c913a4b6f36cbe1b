// Resolvers of the hub's own subgraph.

import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { GatewayContext } from '../context.js';
import type { AgencyRow } from './store.js';

export const hubResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: {
    agencies: (_: unknown, args: { domain?: string | null; municipalityCode?: string | null }, { hub }) =>
      hub.agencies(args),
    agency: (_: unknown, { id }: { id: string }, { hub }) => hub.agency.load(id),
    municipalities: (_: unknown, __: unknown, { hub }) => hub.municipalities(),
  },
  Agency: {
    __resolveReference: ({ id }: { id: string }, { hub }) => hub.agency.load(id),
    municipality: (agency: AgencyRow, _: unknown, { hub }) => hub.municipality.load(agency.municipalityCode),
  },
};
