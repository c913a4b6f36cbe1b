// The child-welfare and DV system's SQL: the only code that reads or writes the child_dv schema, one module
// a concept under store/. Loaders batch every lookup of a request into one statement per kind.

import { relocateIn, type Sql } from '@hub/platform';
import { createAbuseReportStore } from './store/abuse-reports.js';
import { createChildWelfareStore } from './store/child-welfare.js';
import { createDvStore } from './store/dv.js';

export type { AbuseReportRow } from './store/abuse-reports.js';
export type { ChildWelfareCaseRow } from './store/child-welfare.js';
export type { DvCaseRow, DvTransferRow, WhereaboutsRow } from './store/dv.js';

export function createStore(sql: Sql) {
  return {
    ...createAbuseReportStore(sql),
    ...createChildWelfareStore(sql),
    ...createDvStore(sql),
  };
}

export type ChildDvStore = ReturnType<typeof createStore>;

/**
 * A DV transfer moved the person (relocation.ts in @hub/platform): her abuse reports and DV cases count where she now lives,
 * so the agencies of the town she left no longer act on them by id nor count them.
 */
export const relocate = relocateIn([{ table: 'child_dv.abuse_report' }, { table: 'child_dv.dv_case' }]);
