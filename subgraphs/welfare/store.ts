// The welfare system's SQL: the only code that reads or writes the welfare schema, one module a concept
// under store/. Loaders batch every lookup of a request into one statement per kind.

import { relocateIn, type Relocate, type Sql } from '@hub/platform';
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
export { MAX_HOUSEHOLD_SIZE } from './store/people.js';

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
const recount = relocateIn([{ table: 'welfare.person', personColumn: 'id' }, { table: 'welfare.support_case' }]);

/**
 * A DV transfer moves her records to her new town, and takes her out of the household she left while
 * any of its other members lives elsewhere (the household she fled): her new town records the household she
 * lives in now, and the town she left its own without her. Each step holds when repeated, as a relocation's
 * retry asks.
 */
export const relocate: Relocate = {
  holds: recount.holds,
  async move(sql, relocation) {
    const moved = await recount.move(sql, relocation);
    const left = await sql`
      update welfare.person p set household_id = null
      where p.id = ${relocation.personId} and p.household_id is not null
        and exists (
          select 1 from welfare.person o
          where o.household_id = p.household_id and o.id <> p.id
            and o.municipality_code is distinct from ${relocation.municipalityCode})`;
    return moved + left.count;
  },
};
