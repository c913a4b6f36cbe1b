// The welfare system's dashboard: counts about no one, the cases of a jurisdiction as one suppressed table
// with fixed axes (status by issue).

import { countsOf, knownOf, suppressTable, type DashboardReader, type Sql } from '@hub/platform';

const CASE_STATUSES = ['INTAKE', 'ASSESSMENT', 'PLANNING', 'ACTIVE', 'MONITORING', 'REPLAN', 'SUSPENDED', 'CLOSED'];
const CASE_ISSUES = [
  'LIVING',
  'ECONOMIC',
  'DEBT',
  'CARE',
  'CHILD_REARING',
  'EMPLOYMENT',
  'ISOLATION',
  'HIKIKOMORI',
  'MENTAL_HEALTH',
  'HOUSING',
  'ABUSE_DV',
  'DISABILITY',
];

export function createDashboardStore(sql: Sql) {
  return {
    /**
     * The dashboard: cases by status and issue (a case counts once in its status's total), suppressed; the
     * cases the reader leads are its own (known).
     */
    async caseDashboard({ agencyId, jurisdiction }: DashboardReader) {
      const [cells, statuses] = await Promise.all([
        sql<{ row: string; column: string; count: string; known: string }[]>`
          select status as row, issue as column, count(*) as count,
                 count(*) filter (where lead_agency_id = ${agencyId}) as known
          from welfare.support_case, unnest(issues) as issue
          where municipality_code = any(${[...jurisdiction]})
          group by 1, 2`,
        sql<{ status: string; count: string; known: string }[]>`
          select status, count(*) as count, count(*) filter (where lead_agency_id = ${agencyId}) as known
          from welfare.support_case
          where municipality_code = any(${[...jurisdiction]})
          group by 1`,
      ]);
      return suppressTable({
        rowDimension: 'caseStatus',
        columnDimension: 'caseIssue',
        rows: CASE_STATUSES,
        columns: CASE_ISSUES,
        counts: countsOf(cells),
        rowTotals: new Map(statuses.map((s) => [s.status, Number(s.count)])),
        total: statuses.reduce((sum, s) => sum + Number(s.count), 0),
        known: {
          counts: knownOf(cells),
          rowTotals: new Map(statuses.map((s) => [s.status, Number(s.known)])),
          total: statuses.reduce((sum, s) => sum + Number(s.known), 0),
        },
      });
    },
  };
}
