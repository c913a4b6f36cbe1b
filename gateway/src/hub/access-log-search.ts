// The auditor's search of the access log: by agency and period across persons, for auditors only, as
// verifyAccessLog is. The disclosure view (accessLog) stays the only way any other agency reads the log.

import { type GraphQLResolverMap, notOfThisList, pageSize } from '@hub/platform';
import type { GatewayContext } from '../context.js';
import { auditorOnly, periodOf, requireAgencies } from './guards.js';
import { cursorOf, idOfCursor } from './resolvers.js';

interface SearchArgs {
  agencyId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

export const accessLogSearchResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: {
    async accessLogSearch(_: unknown, args: SearchArgs, { caller, hub }) {
      auditorOnly(caller, 'searches the access log');
      const period = periodOf(args);
      // A deactivated agency's accesses stay in the log; an id the register never held is a typo, not
      // an agency that read nothing.
      if (args.agencyId != null) await requireAgencies(hub, [args.agencyId], 'agencyId', { deactivated: 'allowed' });
      const first = pageSize(args.first, 50);
      const filters = { agencyId: args.agencyId ?? null, ...period };
      const after = args.after == null ? null : idOfCursor(hub, args.after);
      // A cursor of another search (other filters) would page this one from where that one stood.
      if (after !== null && !(await hub.accessLog.searchLists(filters, after)))
        notOfThisList('a cursor of this search');
      const rows = await hub.accessLog.search({ ...filters, first: first + 1, after });
      const page = rows.slice(0, first);
      return {
        edges: page.map((node) => ({ cursor: cursorOf(hub, node.id), node })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursorOf(hub, page.at(-1)!.id) : null },
      };
    },
  },
};
