// The hub's dashboards: referrals between domains and meetings held. Counts about no one, each a
// whole suppressed table with fixed axes (no filters: two filtered answers could be subtracted), of the
// persons and meetings of the caller's jurisdiction only (CONTRACT.md v2).

import {
  dashboardField,
  countedGroups,
  DOMAINS,
  partsOf,
  monthlyDashboard,
  suppressTable,
  type DashboardReader,
  type GraphQLResolverMap,
  type Sql,
} from '@hub/platform';
import type { GatewayContext } from '../context.js';

const MEETING_KINDS = ['SUPPORT_MEETING', 'MULTILAYER_MEETING', 'CHILD_COUNCIL'] as const;

export function createDashboardStore(sql: Sql) {
  return {
    /**
     * Referrals of persons registered in `jurisdiction`, by the referring and the receiving agency's domain;
     * those the reader sent or received are its own (known).
     */
    async referralFlow({ agencyId, jurisdiction }: DashboardReader) {
      const groups = await sql<{ row: string; column: string; count: string; known: string; municipality: string }[]>`
        select f.domain as row, t.domain as column, count(*) as count,
               count(*) filter (where r.from_agency_id = ${agencyId} or r.to_agency_id = ${agencyId}) as known,
               p.municipality_code as municipality
        from hub.referral r
        join hub.agency f on f.id = r.from_agency_id
        join hub.agency t on t.id = r.to_agency_id
        join hub.resident p on p.person_id = r.person_id::text
        where p.municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`;
      return suppressTable({
        rowDimension: 'fromDomain',
        columnDimension: 'toDomain',
        rows: DOMAINS,
        columns: DOMAINS,
        ...countedGroups(groups),
        parts: partsOf(jurisdiction, groups, countedGroups),
      });
    },

    /**
     * Meetings of `jurisdiction`'s municipalities by kind and the month they started, over the last twelve
     * months; those the reader convened or was made a member of are its own (known).
     */
    meetingsHeld: ({ agencyId, jurisdiction }: DashboardReader) =>
      monthlyDashboard(
        'meetingKind',
        MEETING_KINDS,
        jurisdiction,
        (months) => sql<{ row: string; column: string; count: string; municipality: string }[]>`
        select kind as row, to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM') as column, count(*) as count,
               count(*) filter (
                 where convened_by = ${agencyId}
                    or exists (select 1 from hub.meeting_member m where m.meeting_id = meeting.id and m.agency_id = ${agencyId})
               ) as known,
               municipality_code as municipality
        from hub.meeting
        where to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM') = any(${months})
          and municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`,
      ),
  };
}

export type DashboardStore = ReturnType<typeof createDashboardStore>;

export const dashboardResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: {
    referralFlowDashboard: dashboardField(({ caller, hub }: GatewayContext) => hub.dashboards.referralFlow(caller)),
    meetingsHeldDashboard: dashboardField(({ caller, hub }: GatewayContext) => hub.dashboards.meetingsHeld(caller)),
  },
};
