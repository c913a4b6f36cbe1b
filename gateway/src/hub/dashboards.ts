// The hub's dashboards: referrals between domains and meetings held. Counts about no one, each a
// whole suppressed table with fixed axes (no filters: two filtered answers could be subtracted).

import { countsOf, DOMAINS, monthlyDashboard, suppressTable, type Sql, type GraphQLResolverMap } from '@hub/platform';
import type { GatewayContext } from '../context.js';

const MEETING_KINDS = ['SUPPORT_MEETING', 'MULTILAYER_MEETING', 'CHILD_COUNCIL'] as const;

export function createDashboardStore(sql: Sql) {
  return {
    /** Referrals by the referring and the receiving agency's domain. */
    async referralFlow() {
      const groups = await sql<{ row: string; column: string; count: string }[]>`
        select f.domain as row, t.domain as column, count(*) as count
        from hub.referral r
        join hub.agency f on f.id = r.from_agency_id
        join hub.agency t on t.id = r.to_agency_id
        group by 1, 2`;
      return suppressTable({
        rowDimension: 'fromDomain',
        columnDimension: 'toDomain',
        rows: DOMAINS,
        columns: DOMAINS,
        counts: countsOf(groups),
      });
    },

    /** Meetings by kind and the month they started, over the last twelve months. */
    meetingsHeld: () =>
      monthlyDashboard(
        'meetingKind',
        MEETING_KINDS,
        (months) => sql<{ row: string; column: string; count: string }[]>`
        select kind as row, to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM') as column, count(*) as count
        from hub.meeting
        where to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM') = any(${months})
        group by 1, 2`,
      ),
  };
}

export type DashboardStore = ReturnType<typeof createDashboardStore>;

export const dashboardResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: {
    referralFlowDashboard: (_: unknown, __: unknown, { hub }) => hub.dashboards.referralFlow(),
    meetingsHeldDashboard: (_: unknown, __: unknown, { hub }) => hub.dashboards.meetingsHeld(),
  },
};
