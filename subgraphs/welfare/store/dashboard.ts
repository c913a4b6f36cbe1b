// The welfare system's dashboard: counts about no one, the cases of a jurisdiction as one suppressed table
// with fixed axes (status by issue).

import { countsOf, knownOf, suppressTable, type DashboardReader, type KnownTableCounts, type Sql } from '@hub/platform';

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
  'HOUSEWORK',
  'EDUCATION',
  'RELATIONSHIPS',
  'NEIGHBOUR_TROUBLE',
];

export function createDashboardStore(sql: Sql) {
  return {
    /**
     * The dashboard: cases by status and issue (a case counts once in its status's total), suppressed; the
     * cases the reader leads are its own (known).
     */
    async caseDashboard({ agencyId, jurisdiction }: DashboardReader) {
      const [cells, statuses] = await Promise.all([
        sql<{ row: string; column: string; count: string; known: string; municipality: string }[]>`
          select status as row, issue as column, count(*) as count,
                 count(*) filter (where lead_agency_id = ${agencyId}) as known,
                 municipality_code as municipality
          from welfare.support_case, unnest(issues) as issue
          where municipality_code = any(${[...jurisdiction]})
          group by 1, 2, 5`,
        sql<{ status: string; count: string; known: string; municipality: string }[]>`
          select status, count(*) as count, count(*) filter (where lead_agency_id = ${agencyId}) as known,
                 municipality_code as municipality
          from welfare.support_case
          where municipality_code = any(${[...jurisdiction]})
          group by 1, 4`,
      ]);
      // A case counts once in its status's total, and once under each of its issues.
      const counted = (of: (group: { municipality: string }) => boolean): KnownTableCounts => {
        const byStatus = (value: (s: (typeof statuses)[number]) => string) => {
          const totals = new Map<string, number>();
          for (const s of statuses.filter(of)) totals.set(s.status, (totals.get(s.status) ?? 0) + Number(value(s)));
          return totals;
        };
        const rowTotals = byStatus((s) => s.count);
        const knownTotals = byStatus((s) => s.known);
        const sum = (totals: Map<string, number>) => [...totals.values()].reduce((a, b) => a + b, 0);
        return {
          counts: countsOf(cells.filter(of)),
          rowTotals,
          total: sum(rowTotals),
          known: { counts: knownOf(cells.filter(of)), rowTotals: knownTotals, total: sum(knownTotals) },
        };
      };
      return suppressTable({
        rowDimension: 'caseStatus',
        columnDimension: 'caseIssue',
        rows: CASE_STATUSES,
        columns: CASE_ISSUES,
        ...counted(() => true),
        parts: new Map([...new Set(jurisdiction)].map((code) => [code, counted((g) => g.municipality === code)])),
      });
    },
  };
}
