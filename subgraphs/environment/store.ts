// The environment system's SQL: the only code that reads or writes the environment schema.
// Loaders batch every lookup of a request into one statement per kind.

import {
  ERRORS,
  manyEach,
  MIN_PUBLISHED_COUNT,
  monthlyDashboard,
  oneEach,
  recordsByPerson,
  relocateIn,
  todayInJapan,
  validUuids,
  type Caller,
  type DashboardReader,
  type Page,
  type Sql,
} from '@hub/platform';

export interface EcoProjectRow {
  id: string;
  name: string;
  kind: string;
  municipalityCode: string;
  municipality: string;
  operator: string;
  description: string;
}

export interface OpportunityRow {
  id: string;
  projectId: string;
  title: string;
  capacity: number;
  intermediateWorkSlots: number;
  hoursPerWeek: number;
  outdoor: boolean;
  schedule: string;
  minAge: number | null;
}

export interface EnrollmentRow {
  id: string;
  personId: string;
  opportunityId: string;
  enrolledOn: Date;
  status: string;
  asIntermediateWork: boolean;
  agencyId: string;
}

/** The active enrolments of an opportunity, grouped by who recorded them and where their persons are registered. */
export interface ActiveEnrolments {
  agencyId: string;
  municipalityCode: string | null;
  count: number;
}

interface ActiveCountRow {
  opportunityId: string;
  active: number;
  groups: ActiveEnrolments[];
}

/** Who reads an opportunity's counts: the agency, and where it reads enrolments as its own domain's. */
export type CountReader = Pick<Caller, 'agencyId' | 'ownDomainIn'>;

export interface EnrollInput {
  personId: string;
  opportunityId: string;
  asIntermediateWork: boolean;
  agencyId: string;
  municipalityCode: string | null;
}

/** How an active enrolment ends: withdrawn (取消) or completed (修了). */
export type EnrollmentEnd = 'WITHDRAWN' | 'COMPLETED';

const ENDED_AS: Readonly<Record<EnrollmentEnd, string>> = { WITHDRAWN: 'withdrawn', COMPLETED: 'completed' };

export function createStore(sql: Sql) {
  return {
    /** The dashboard: counts by projectKind and month over the last twelve months, suppressed for publication. */
    dashboard: ({ agencyId, jurisdiction }: DashboardReader) =>
      monthlyDashboard(
        'projectKind',
        ['SATOYAMA_FIREWOOD', 'FIRE_STARTER', 'PLASTIC_UPCYCLING', 'FOOD_LOSS_KITCHEN', 'LOCAL_PRODUCE', 'BIOMASS'],
        jurisdiction,
        (months) => sql<{ row: string; column: string; count: string; municipality: string }[]>`
        select p.kind as row, to_char(e.enrolled_on, 'YYYY-MM') as column, count(*) as count,
               count(*) filter (where e.agency_id = ${agencyId}) as known,
               e.municipality_code as municipality
        from environment.enrollment e
        join environment.participation_opportunity o on o.id = e.opportunity_id
        join environment.eco_project p on p.id = o.project_id
        where to_char(e.enrolled_on, 'YYYY-MM') = any(${months})
          and e.municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`,
      ),
    ecoProject: oneEach<string, EcoProjectRow>(
      (ids) => sql<EcoProjectRow[]>`select * from environment.eco_project where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),
    opportunity: oneEach<string, OpportunityRow>(
      (ids) => sql<OpportunityRow[]>`
        select * from environment.participation_opportunity where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),
    projectOpportunities: manyEach<string, OpportunityRow>(
      (ids) => sql<OpportunityRow[]>`
        select * from environment.participation_opportunity
        where project_id = any(${validUuids(ids)}::uuid[]) order by title`,
      (row) => row.projectId,
    ),
    // Counts only: the public side of an opportunity never learns who holds its places.
    activeCount: oneEach<string, ActiveCountRow>(
      (ids) => sql<ActiveCountRow[]>`
        select opportunity_id, sum(n)::int as active,
               jsonb_agg(jsonb_build_object('agencyId', agency_id, 'municipalityCode', municipality_code, 'count', n))
                 as groups
        from (
          select opportunity_id, agency_id, municipality_code, count(*)::int as n
          from environment.enrollment
          where opportunity_id = any(${validUuids(ids)}::uuid[]) and status = 'ACTIVE'
          group by opportunity_id, agency_id, municipality_code
        ) recorded
        group by opportunity_id`,
      (row) => row.opportunityId,
    ),
    enrollments: recordsByPerson(
      (ids) => sql<EnrollmentRow[]>`
        select * from environment.enrollment
        where person_id = any(${ids}::uuid[]) order by enrolled_on, id`,
    ),

    /**
     * Eco projects by name, then id, after the project `after` (the last of the page before), or null when
     * `after` is no project of `kind` (of any kind: null).
     */
    async ecoProjects(kind: string | null, { first, after }: Page): Promise<EcoProjectRow[] | null> {
      const listed = sql`(${kind}::text is null or kind = ${kind})`;
      if (after !== null) {
        const [anchor] = await sql`select 1 from environment.eco_project where id = ${after}::uuid and ${listed}`;
        if (!anchor) return null;
      }
      return sql<EcoProjectRow[]>`
        select p.* from environment.eco_project p
        where ${listed}
          and (${after}::uuid is null or exists (
            select 1 from environment.eco_project a where a.id = ${after}::uuid and (p.name, p.id) > (a.name, a.id)))
        order by p.name, p.id
        limit ${first}`;
    },

    /**
     * Places to participate by title, then id, after the place `after` (the last of the page before), or null
     * when `after` is no place of the list `outdoor` asks for. One openOnly leaves out (full since, or full
     * to this reader) still marks where the page before ended, as a queue's item answered since does.
     */
    async participationOpportunities(
      filter: { outdoor: boolean | null; openOnly: boolean; reader: CountReader | null },
      { first, after }: Page,
    ): Promise<OpportunityRow[] | null> {
      const setting = sql`(${filter.outdoor}::boolean is null or outdoor = ${filter.outdoor})`;
      if (after !== null) {
        const [anchor] = await sql`
          select 1 from environment.participation_opportunity where id = ${after}::uuid and ${setting}`;
        if (!anchor) return null;
      }
      const known = filter.reader
        ? sql`(e.agency_id = ${filter.reader.agencyId}
               or e.municipality_code = any(${[...filter.reader.ownDomainIn]}::text[]))`
        : sql`false`;
      return sql<OpportunityRow[]>`
        select o.* from environment.participation_opportunity o
        where ${setting}
          and (${after}::uuid is null or exists (
            select 1 from environment.participation_opportunity a
            where a.id = ${after}::uuid and (o.title, o.id) > (a.title, a.id)))
          ${
            // One whose places, less the enrolments the reader knows on its own, are fewer than
            // MIN_PUBLISHED_COUNT is listed full or not: leaving it out would tell a count below it (hasPlaces
            // is null there alike).
            filter.openOnly
              ? sql`and (o.capacity - (
                    select count(*) from environment.enrollment e
                    where e.opportunity_id = o.id and e.status = 'ACTIVE' and ${known}
                  ) < ${MIN_PUBLISHED_COUNT}
                  or o.capacity > (
                    select count(*) from environment.enrollment e where e.opportunity_id = o.id and e.status = 'ACTIVE'))`
              : sql``
          }
        order by o.title, o.id
        limit ${first}`;
    },

    /**
     * Locks the opportunity's row, so concurrent enrolments in it queue up and the capacity check
     * and the insert see the same count: two requests cannot both take the last place.
     */
    enroll(input: EnrollInput): Promise<EnrollmentRow> {
      return sql.begin(async (tx) => {
        const [opportunity] = await tx<OpportunityRow[]>`
          select * from environment.participation_opportunity where id = ${input.opportunityId}::uuid for update`;
        if (!opportunity)
          throw ERRORS.NOT_FOUND.err('No participation opportunity with that id', { argument: 'opportunityId' });
        const [counts] = await tx<{ active: number; intermediate: number; alreadyActive: boolean }[]>`
          select count(*)::int as active,
                 (count(*) filter (where as_intermediate_work))::int as intermediate,
                 coalesce(bool_or(person_id = ${input.personId}::uuid), false) as already_active
          from environment.enrollment
          where opportunity_id = ${input.opportunityId}::uuid and status = 'ACTIVE'`;
        if (counts!.alreadyActive) {
          throw ERRORS.BAD_USER_INPUT.err('The person is already enrolled in this opportunity', {
            reason: 'ALREADY_ENROLLED',
            argument: 'personId',
          });
        }
        if (counts!.active >= opportunity.capacity) {
          throw ERRORS.BAD_USER_INPUT.err('The participation opportunity is full', {
            reason: 'OPPORTUNITY_FULL',
            argument: 'opportunityId',
          });
        }
        if (input.asIntermediateWork && counts!.intermediate >= opportunity.intermediateWorkSlots) {
          throw ERRORS.BAD_USER_INPUT.err('No intermediate-work slot (中間的就労の枠) is left in this opportunity', {
            reason: 'NO_INTERMEDIATE_WORK_SLOT',
            argument: 'asIntermediateWork',
          });
        }
        const [row] = await tx<EnrollmentRow[]>`
          insert into environment.enrollment
            (person_id, opportunity_id, enrolled_on, as_intermediate_work, agency_id, municipality_code)
          values (${input.personId}, ${input.opportunityId}, ${todayInJapan()}, ${input.asIntermediateWork},
                  ${input.agencyId}, ${input.municipalityCode})
          returning *`;
        return row!;
      });
    },

    /**
     * Ends an active enrolment: withdrawn (取消) or completed (修了), its place freed either way. An enrolment
     * counted in a municipality the caller does not serve is answered as an id that names none (CONTRACT.md v2:
     * an agency acts for a person only within its jurisdiction).
     */
    async endEnrollment(id: string, status: EnrollmentEnd, jurisdiction: readonly string[]): Promise<EnrollmentRow> {
      const served = sql`municipality_code = any(${[...jurisdiction]}::text[])`;
      const [row] = await sql<EnrollmentRow[]>`
        update environment.enrollment set status = ${status}
        where id = ${id}::uuid and status = 'ACTIVE' and ${served}
        returning *`;
      if (row) return row;
      const [existing] = await sql`select 1 from environment.enrollment where id = ${id}::uuid and ${served}`;
      if (!existing) throw ERRORS.NOT_FOUND.err('No enrollment with that id', { argument: 'id' });
      throw ERRORS.BAD_USER_INPUT.err(`Only an active enrollment can be ${ENDED_AS[status]}`, {
        reason: 'ENROLLMENT_NOT_ACTIVE',
        argument: 'id',
      });
    },
  };
}

export type EnvironmentStore = ReturnType<typeof createStore>;

/**
 * A DV transfer moved the person (relocation.ts in @hub/platform): her enrolments count where she now lives,
 * so the agencies of the town she left no longer act on them by id nor count them.
 */
export const relocate = relocateIn([{ table: 'environment.enrollment' }]);
