// The Hello Work system's SQL: the only code that reads or writes the employment schema.
// Loaders batch every lookup of a request into one statement per kind.

import {
  ERRORS,
  monthlyDashboard,
  oneEach,
  recordsByPerson,
  relocateIn,
  validUuids,
  type DashboardReader,
  type Page,
  type Sql,
} from '@hub/platform';

export interface JobSeekerRow {
  id: string;
  personId: string;
  registeredAt: Date;
  officeAgencyId: string;
  desiredWork: string;
  desiredHoursPerWeek: number | null;
  preferredWorkStyles: string[];
  supportNeeds: string[];
  status: string;
}

export interface JobOpeningRow {
  id: string;
  title: string;
  employer: string;
  workStyle: string;
  hoursPerWeek: number;
  durationWeeks: number | null;
  diverseWork: boolean;
  targetGroups: string[];
  location: string;
  outdoor: boolean;
  minAge: number | null;
  maxAge: number | null;
  openings: number;
  postedOn: Date;
}

export interface PlacementRow {
  id: string;
  personId: string;
  openingId: string;
  startedOn: Date;
  endedOn: Date | null;
  status: string;
  recordedBy: string;
}

export interface JobOpeningFilter extends Page {
  workStyle: string | null;
  diverseOnly: boolean;
}

export interface RegisterJobSeekerInput {
  personId: string;
  officeAgencyId: string;
  desiredWork: string;
  desiredHoursPerWeek: number | null;
  preferredWorkStyles: string[];
  supportNeeds: string[];
}

export interface RecordPlacementInput {
  personId: string;
  openingId: string;
  startedOn: string;
  recordedBy: string;
  municipalityCode: string | null;
}

/**
 * How a placement ends: its term ran out (期間満了) or the person left (離職), once it has started; or it was
 * called off before it started (取消).
 */
export type PlacementEnd = 'COMPLETED' | 'LEFT' | 'CANCELLED';

export interface EndPlacementInput {
  id: string;
  status: PlacementEnd;
  /**
   * YYYY-MM-DD, a day of Japan's calendar: for COMPLETED or LEFT not after `today` (`today` when null); for
   * CANCELLED its start day, the only day it may name.
   */
  endedOn: string | null;
  today: string;
  /** The municipalities the caller serves: a placement counted elsewhere is answered as no placement. */
  jurisdiction: readonly string[];
}

/** A placement as `endPlacement` finds it under its lock, judged against `today` and the `endedOn` asked. */
interface PlacementToEnd {
  status: string;
  /** Its start day is `today` or before. */
  started: boolean;
  /** The `endedOn` asked (`today` when none) is before its start day. */
  beforeStart: boolean;
  /** The `endedOn` asked is its start day. */
  onStart: boolean;
}

/**
 * Why a placement cannot end so, or undefined: once only (PLACEMENT_ENDED); one started ends COMPLETED or LEFT,
 * not before its start (PLACEMENT_STARTED, INVALID_PERIOD); one not started is CANCELLED, on its start day
 * (PLACEMENT_NOT_STARTED, INVALID_PERIOD).
 */
function endRefusal(status: PlacementEnd, endedOn: string | null, placement: PlacementToEnd): Error | undefined {
  if (placement.status !== 'EMPLOYED') {
    return ERRORS.BAD_USER_INPUT.err('The placement has ended already', { reason: 'PLACEMENT_ENDED', argument: 'id' });
  }
  if (status === 'CANCELLED') {
    if (placement.started) {
      return ERRORS.BAD_USER_INPUT.err('The placement has started: it ends COMPLETED or LEFT, not CANCELLED', {
        reason: 'PLACEMENT_STARTED',
        argument: 'status',
      });
    }
    if (endedOn !== null && !placement.onStart) {
      return ERRORS.BAD_USER_INPUT.err('A placement called off ends on its start day: omit endedOn or name that day', {
        reason: 'INVALID_PERIOD',
        argument: 'endedOn',
      });
    }
    return undefined;
  }
  if (!placement.started) {
    return ERRORS.BAD_USER_INPUT.err('The placement has not started: one called off is CANCELLED', {
      reason: 'PLACEMENT_NOT_STARTED',
      argument: 'status',
    });
  }
  if (placement.beforeStart) {
    return ERRORS.BAD_USER_INPUT.err('endedOn is before the placement started', {
      reason: 'INVALID_PERIOD',
      argument: 'endedOn',
    });
  }
  return undefined;
}

export function createStore(sql: Sql) {
  return {
    /**
     * The dashboard: counts by workStyle and month over the last twelve months, suppressed for publication. A
     * placement called off before it started (CANCELLED) was no placement: it is not counted.
     */
    dashboard: ({ agencyId, jurisdiction }: DashboardReader) =>
      monthlyDashboard(
        'workStyle',
        ['FULL_TIME', 'PART_TIME', 'SHORT_HOURS', 'SHORT_TERM', 'INTERMEDIATE_WORK'],
        jurisdiction,
        (months) => sql<{ row: string; column: string; count: string; municipality: string }[]>`
        select o.work_style as row, to_char(p.started_on, 'YYYY-MM') as column, count(*) as count,
               count(*) filter (where p.recorded_by = ${agencyId}) as known,
               p.municipality_code as municipality
        from employment.placement p join employment.job_opening o on o.id = p.opening_id
        where o.diverse_work and p.status <> 'CANCELLED' and to_char(p.started_on, 'YYYY-MM') = any(${months})
          and p.municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`,
      ),
    jobSeeker: oneEach<string, JobSeekerRow>(
      (ids) => sql<JobSeekerRow[]>`
        select * from employment.job_seeker where person_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.personId,
    ),
    placements: recordsByPerson(
      (ids) => sql<PlacementRow[]>`
        select * from employment.placement where person_id = any(${ids}::uuid[])
        order by started_on, id`,
    ),
    jobOpening: oneEach<string, JobOpeningRow>(
      (ids) => sql<JobOpeningRow[]>`
        select * from employment.job_opening where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),

    /**
     * Job openings, newest first, then by title and id (one order, whatever ties), after the opening `after`
     * (the last of the page before), or null when `after` is no opening the filter lists: a page after it
     * would be cut short, or start anywhere, without a word.
     */
    async jobOpenings(filter: JobOpeningFilter): Promise<JobOpeningRow[] | null> {
      const { after } = filter;
      const listed = sql`(${filter.workStyle}::text is null or work_style = ${filter.workStyle})
        and (not ${filter.diverseOnly} or diverse_work)`;
      if (after !== null) {
        const [anchor] = await sql`select 1 from employment.job_opening where id = ${after}::uuid and ${listed}`;
        if (!anchor) return null;
      }
      return sql<JobOpeningRow[]>`
        select o.* from employment.job_opening o
        where ${listed}
          and (${after}::uuid is null or exists (
            select 1 from employment.job_opening a
            where a.id = ${after}::uuid
              and (o.posted_on < a.posted_on or (o.posted_on = a.posted_on and (o.title, o.id) > (a.title, a.id)))))
        order by o.posted_on desc, o.title, o.id
        limit ${filter.first}`;
    },

    /** A registration that is still ACTIVE is refused; an inactive or placed one is renewed in place. */
    async registerJobSeeker(input: RegisterJobSeekerInput): Promise<JobSeekerRow> {
      const [row] = await sql<JobSeekerRow[]>`
        insert into employment.job_seeker
          (person_id, office_agency_id, desired_work, desired_hours_per_week, preferred_work_styles, support_needs)
        values (${input.personId}, ${input.officeAgencyId}, ${input.desiredWork}, ${input.desiredHoursPerWeek},
                ${input.preferredWorkStyles}, ${input.supportNeeds})
        on conflict (person_id) do update set
          registered_at = now(),
          office_agency_id = excluded.office_agency_id,
          desired_work = excluded.desired_work,
          desired_hours_per_week = excluded.desired_hours_per_week,
          preferred_work_styles = excluded.preferred_work_styles,
          support_needs = excluded.support_needs,
          status = 'ACTIVE'
        where employment.job_seeker.status <> 'ACTIVE'
        returning *`;
      if (!row) {
        throw ERRORS.BAD_USER_INPUT.err('The person already has an active job-seeker registration', {
          reason: 'ALREADY_REGISTERED',
          argument: 'personId',
        });
      }
      return row;
    },

    /**
     * An active registration ends without a placement (INACTIVE): withdrawn by the job seeker, or its term ran
     * out. A placed or inactive one is refused; registerJobSeeker renews either.
     */
    async endJobSeekerRegistration(personId: string): Promise<JobSeekerRow> {
      const [row] = await sql<JobSeekerRow[]>`
        update employment.job_seeker set status = 'INACTIVE'
        where person_id = ${personId}::uuid and status = 'ACTIVE'
        returning *`;
      if (row) return row;
      const [existing] = await sql`select 1 from employment.job_seeker where person_id = ${personId}::uuid`;
      if (!existing) {
        throw ERRORS.NOT_FOUND.err('No job-seeker registration for that person', { argument: 'personId' });
      }
      throw ERRORS.BAD_USER_INPUT.err('Only an active job-seeker registration can end', {
        reason: 'JOB_SEEKER_NOT_ACTIVE',
        argument: 'personId',
      });
    },

    /** Records the placement and marks the registration PLACED, in one transaction. */
    recordPlacement(input: RecordPlacementInput): Promise<PlacementRow> {
      return sql.begin(async (tx) => {
        const [seeker] = await tx<{ status: string }[]>`
          select status from employment.job_seeker where person_id = ${input.personId}::uuid for update`;
        if (!seeker) {
          throw ERRORS.NOT_FOUND.err('No job-seeker registration for that person', { argument: 'personId' });
        }
        if (seeker.status === 'INACTIVE') {
          throw ERRORS.BAD_USER_INPUT.err('The job-seeker registration is inactive', {
            reason: 'JOB_SEEKER_INACTIVE',
            argument: 'personId',
          });
        }
        // Locks the opening before counting its places, in a statement of its own: under READ COMMITTED a count
        // in the locking statement would read the snapshot from before the lock wait, and two placements would
        // both take the last place.
        const [opening] = await tx<{ openings: number; postedOn: Date }[]>`
          select openings, posted_on from employment.job_opening where id = ${input.openingId}::uuid for update`;
        if (!opening) throw ERRORS.NOT_FOUND.err('No job opening with that id', { argument: 'openingId' });
        const [employed] = await tx<{ filled: number }[]>`
          select count(*)::int as filled from employment.placement
          where opening_id = ${input.openingId}::uuid and status = 'EMPLOYED'`;
        // The same placement sent twice (a retry) would take a second place in the opening.
        const [already] = await tx<{ id: string }[]>`
          select id from employment.placement
          where person_id = ${input.personId}::uuid and opening_id = ${input.openingId}::uuid and status = 'EMPLOYED'`;
        if (already) {
          throw ERRORS.BAD_USER_INPUT.err('The person is already placed in this opening', {
            reason: 'ALREADY_PLACED',
            argument: 'openingId',
          });
        }
        if (employed!.filled >= opening.openings) {
          throw ERRORS.BAD_USER_INPUT.err('The job opening has no places left', {
            reason: 'OPENING_FULL',
            argument: 'openingId',
          });
        }
        if (new Date(input.startedOn) < opening.postedOn) {
          throw ERRORS.BAD_USER_INPUT.err('startedOn is before the opening was posted', { argument: 'startedOn' });
        }
        const [row] = await tx<PlacementRow[]>`
          insert into employment.placement (person_id, opening_id, started_on, recorded_by, municipality_code)
          values (${input.personId}, ${input.openingId}, ${input.startedOn}, ${input.recordedBy},
                  ${input.municipalityCode})
          returning *`;
        await tx`update employment.job_seeker set status = 'PLACED' where person_id = ${input.personId}::uuid`;
        return row!;
      });
    },

    /**
     * Ends a placement of a person the caller serves (NOT_FOUND otherwise, as for an unknown id), freeing its
     * place in the opening. One that has started by `today` ends COMPLETED or LEFT on `endedOn`, not before it
     * started (INVALID_PERIOD); one that has not is CANCELLED, ended on its start day, and her registration,
     * PLACED by it, is ACTIVE again unless another placement of hers is under way: in one transaction.
     */
    endPlacement(input: EndPlacementInput): Promise<PlacementRow> {
      const { id, status, endedOn, today, jurisdiction } = input;
      return sql.begin(async (tx) => {
        const served = tx`municipality_code = any(${[...jurisdiction]}::text[])`;
        const [owner] = await tx<{ personId: string }[]>`
          select person_id from employment.placement where id = ${id}::uuid and ${served}`;
        if (!owner) throw ERRORS.NOT_FOUND.err('No placement with that id', { argument: 'id' });
        // Her registration first, as recordPlacement locks it: a placement recorded meanwhile is seen below.
        await tx`select 1 from employment.job_seeker where person_id = ${owner.personId}::uuid for update`;
        const [existing] = await tx<PlacementToEnd[]>`
          select status, started_on <= ${today}::date as started,
                 ${endedOn ?? today}::date < started_on as before_start, ${endedOn}::date = started_on as on_start
          from employment.placement where id = ${id}::uuid and ${served} for update`;
        // Moved meanwhile to a town the caller does not serve (a DV transfer): no placement it may end.
        if (!existing) throw ERRORS.NOT_FOUND.err('No placement with that id', { argument: 'id' });
        const refusal = endRefusal(status, endedOn, existing);
        if (refusal) throw refusal;
        const [row] = await tx<PlacementRow[]>`
          update employment.placement
          set status = ${status}, ended_on = ${status === 'CANCELLED' ? tx`started_on` : tx`${endedOn ?? today}::date`}
          where id = ${id}::uuid
          returning *`;
        if (status === 'CANCELLED') {
          await tx`
            update employment.job_seeker set status = 'ACTIVE'
            where person_id = ${owner.personId}::uuid and status = 'PLACED'
              and not exists (
                select 1 from employment.placement
                where person_id = ${owner.personId}::uuid and status = 'EMPLOYED')`;
        }
        return row!;
      });
    },
  };
}

export type EmploymentStore = ReturnType<typeof createStore>;

/**
 * A DV transfer moved the person (relocation.ts in @hub/platform): her placements count where she now lives,
 * so the agencies of the town she left no longer act on them by id nor count them.
 */
export const relocate = relocateIn([{ table: 'employment.placement' }]);
