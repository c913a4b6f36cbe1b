// The welfare system's SQL: the only code that reads or writes the welfare schema, one module a concept
// under store/. Loaders batch every lookup of a request into one statement per kind.

import { relocateIn, type Sql } from '@hub/platform';
import { createCaseStore } from './store/cases.js';
import { createDashboardStore } from './store/dashboard.js';
import { createOutreachStore } from './store/outreach.js';
import { createParticipationStore } from './store/participation.js';
import { createPeopleStore } from './store/people.js';

export type {
  CaseEventRow,
  CaseRow,
  Closure,
  DraftSupportPlanInput,
  PlanReviewRow,
  RoleAssignment,
  SupportPlanRow,
} from './store/cases.js';
export type { HikikomoriEventRow, HikikomoriRow, OutreachInput, OutreachRow } from './store/outreach.js';
export type { CommunityPlaceRow, ParticipationProfileInput, ParticipationProfileRow } from './store/participation.js';
export type { ConsultationRow, HouseholdRow, PersonRow, RegisterPersonInput } from './store/people.js';

export function createStore(sql: Sql) {
  return {
    ...createDashboardStore(sql),
    ...createPeopleStore(sql),
    ...createCaseStore(sql),
    ...createOutreachStore(sql),
    ...createParticipationStore(sql),
  };
}

export type WelfareStore = ReturnType<typeof createStore>;

/**
 * A DV transfer moved the person (relocation.ts in @hub/platform): her welfare record and support cases (and so her household, which is answered only where all its members are served) count where she now lives,
 * so the agencies of the town she left no longer act on them by id nor count them.
 */
export const relocate = relocateIn([
  { table: 'welfare.person', personColumn: 'id' },
  { table: 'welfare.support_case' },
]);
