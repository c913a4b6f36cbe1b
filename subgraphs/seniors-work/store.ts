// The silver centre's SQL: the only code that reads or writes the seniors_work schema.
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

export interface SilverMembershipRow {
  id: string;
  personId: string;
  centreName: string;
  agencyId: string;
  joinedOn: Date;
  skills: string[];
  status: string;
}

export interface WorkOfferRow {
  id: string;
  title: string;
  centreName: string;
  hoursPerWeek: number;
  location: string;
  outdoor: boolean;
  slots: number;
  description: string;
}

export interface AssignmentRow {
  id: string;
  personId: string;
  offerId: string;
  startedOn: Date;
  endedOn: Date | null;
  hoursPerWeek: number;
  recordedBy: string;
  /** Called off before it started (取消): no work, counted in no dashboard. */
  cancelled: boolean;
}

export interface LifelongCouncilRow {
  id: string;
  course: string;
  prefectureCode: string;
  prefecture: string;
  municipality: string | null;
  organisation: string;
  periodStart: Date;
  periodEnd: Date;
}

export interface RegisterSilverMembershipInput {
  personId: string;
  agencyId: string;
  centreName: string;
  /** YYYY-MM-DD, a day of Japan's calendar. */
  joinedOn: string;
  skills: string[];
}

export interface AssignWorkInput {
  personId: string;
  offerId: string;
  startedOn: string;
  hoursPerWeek: number | null;
  recordedBy: string;
  municipalityCode: string | null;
}

// 高年齢者等の雇用の安定等に関する法律 (高年齢者雇用安定法): a silver centre offers its members temporary and
// short-term work (臨時的かつ短期的な就業) or other light work (軽易な業務), whose usual measure is about 20 hours
// a week at most. The hub holds that bound per member, over all the work the member is assigned at once; the
// longer hours the law allows for some jobs in some areas (要件緩和) are not recorded here.
export const MAX_HOURS_PER_WEEK = 20;

/** 休会 (on leave), 復帰 (back from leave) and 退会 (leaving): what a member's membership may change by. */
export type MembershipChange = 'SUSPEND' | 'RESUME' | 'WITHDRAW';

/** Each change: the statuses it is made from, the one it makes, whether she stops working, and its refusal. */
const MEMBERSHIP_CHANGES: Readonly<
  Record<
    MembershipChange,
    {
      from: readonly string[];
      to: string;
      stopsWork: boolean;
      refused: { reason: string; message: string };
    }
  >
> = {
  SUSPEND: {
    from: ['ACTIVE'],
    to: 'SUSPENDED',
    stopsWork: true,
    refused: { reason: 'MEMBERSHIP_NOT_ACTIVE', message: 'Only an active member goes on leave' },
  },
  RESUME: {
    from: ['SUSPENDED'],
    to: 'ACTIVE',
    stopsWork: false,
    refused: { reason: 'MEMBERSHIP_NOT_SUSPENDED', message: 'Only a member on leave comes back from it' },
  },
  WITHDRAW: {
    from: ['ACTIVE', 'SUSPENDED'],
    to: 'WITHDRAWN',
    stopsWork: true,
    refused: { reason: 'MEMBERSHIP_WITHDRAWN', message: 'The member has withdrawn already' },
  },
};

export function createStore(sql: Sql) {
  return {
    /**
     * The dashboard: counts by setting and month over the last twelve months, suppressed for publication. An
     * assignment called off before it started was no work: it is not counted.
     */
    dashboard: ({ agencyId, jurisdiction }: DashboardReader) =>
      monthlyDashboard(
        'setting',
        ['OUTDOOR', 'INDOOR'],
        jurisdiction,
        (months) => sql<{ row: string; column: string; count: string; municipality: string }[]>`
        select case when o.outdoor then 'OUTDOOR' else 'INDOOR' end as row,
               to_char(a.started_on, 'YYYY-MM') as column, count(*) as count,
               count(*) filter (where a.recorded_by = ${agencyId}) as known,
               a.municipality_code as municipality
        from seniors_work.assignment a join seniors_work.work_offer o on o.id = a.offer_id
        where not a.cancelled and to_char(a.started_on, 'YYYY-MM') = any(${months})
          and a.municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`,
      ),
    silverMembership: oneEach<string, SilverMembershipRow>(
      (ids) => sql<SilverMembershipRow[]>`
        select * from seniors_work.silver_membership where person_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.personId,
    ),
    assignments: recordsByPerson(
      (ids) => sql<AssignmentRow[]>`
        select * from seniors_work.assignment where person_id = any(${ids}::uuid[])
        order by started_on, id`,
    ),
    workOffer: oneEach<string, WorkOfferRow>(
      (ids) => sql<WorkOfferRow[]>`
        select * from seniors_work.work_offer where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),

    /**
     * Work offers by title, then id, after the offer `after` (the last of the page before), or null when
     * `after` is no offer the filter lists.
     */
    async workOffers(filter: Page & { outdoor: boolean | null }): Promise<WorkOfferRow[] | null> {
      const { after } = filter;
      const listed = sql`(${filter.outdoor}::boolean is null or outdoor = ${filter.outdoor})`;
      if (after !== null) {
        const [anchor] = await sql`select 1 from seniors_work.work_offer where id = ${after}::uuid and ${listed}`;
        if (!anchor) return null;
      }
      return sql<WorkOfferRow[]>`
        select o.* from seniors_work.work_offer o
        where ${listed}
          and (${after}::uuid is null or exists (
            select 1 from seniors_work.work_offer a where a.id = ${after}::uuid and (o.title, o.id) > (a.title, a.id)))
        order by o.title, o.id
        limit ${filter.first}`;
    },

    /**
     * Councils by prefecture code, those covering the whole prefecture (no municipality) first, then by
     * municipality, start of period, organisation and id, after the council `after` (the last of the page
     * before), or null when `after` is no council the filter lists.
     */
    async lifelongCouncils(filter: Page & { prefecture: string | null }): Promise<LifelongCouncilRow[] | null> {
      const { after } = filter;
      const listed = sql`(${filter.prefecture}::text is null or prefecture = ${filter.prefecture})`;
      if (after !== null) {
        const [anchor] = await sql`select 1 from seniors_work.lifelong_council where id = ${after}::uuid and ${listed}`;
        if (!anchor) return null;
      }
      // municipality nulls first, as a key a row comparison can take: (is not null, the name or '').
      return sql<LifelongCouncilRow[]>`
        select c.* from seniors_work.lifelong_council c
        where ${listed}
          and (${after}::uuid is null or exists (
            select 1 from seniors_work.lifelong_council a
            where a.id = ${after}::uuid
              and (c.prefecture_code, c.municipality is not null, coalesce(c.municipality, ''), c.period_start, c.organisation, c.id)
                > (a.prefecture_code, a.municipality is not null, coalesce(a.municipality, ''), a.period_start, a.organisation, a.id)))
        order by c.prefecture_code, c.municipality is not null, coalesce(c.municipality, ''), c.period_start,
          c.organisation, c.id
        limit ${filter.first}`;
    },

    /** A member who is still ACTIVE is refused; a suspended or former member is re-admitted in place. */
    async registerSilverMembership(input: RegisterSilverMembershipInput): Promise<SilverMembershipRow> {
      const [row] = await sql<SilverMembershipRow[]>`
        insert into seniors_work.silver_membership (person_id, centre_name, agency_id, joined_on, skills)
        values (${input.personId}, ${input.centreName}, ${input.agencyId},
                ${input.joinedOn}::date, ${input.skills})
        on conflict (person_id) do update set
          centre_name = excluded.centre_name,
          agency_id = excluded.agency_id,
          joined_on = excluded.joined_on,
          skills = excluded.skills,
          status = 'ACTIVE'
        where seniors_work.silver_membership.status <> 'ACTIVE'
        returning *`;
      if (!row) {
        throw ERRORS.BAD_USER_INPUT.err('The person is already an active member', {
          reason: 'ALREADY_MEMBER',
          argument: 'personId',
        });
      }
      return row;
    },

    /**
     * 休会, 復帰 or 退会 (MEMBERSHIP_CHANGES): refused from any other status, and, where she stops working,
     * while an assignment of hers has not ended, whose hours and slot would stay taken by someone who does not
     * work.
     */
    changeMembership(personId: string, change: MembershipChange): Promise<SilverMembershipRow> {
      const { from, to, stopsWork, refused } = MEMBERSHIP_CHANGES[change];
      return sql.begin(async (tx) => {
        // Locked as assignWork locks it: an assignment made meanwhile would outlive her being at work.
        const [member] = await tx<{ status: string }[]>`
          select status from seniors_work.silver_membership where person_id = ${personId}::uuid for update`;
        if (!member) {
          throw ERRORS.NOT_FOUND.err('No silver-centre membership for that person', { argument: 'personId' });
        }
        if (!from.includes(member.status)) {
          throw ERRORS.BAD_USER_INPUT.err(refused.message, { reason: refused.reason, argument: 'personId' });
        }
        const [working] = stopsWork
          ? await tx`
              select 1 from seniors_work.assignment where person_id = ${personId}::uuid and ended_on is null limit 1`
          : [];
        if (working) {
          throw ERRORS.BAD_USER_INPUT.err('An assignment of the member has not ended: end it first', {
            reason: 'ASSIGNMENT_NOT_ENDED',
            argument: 'personId',
          });
        }
        const [row] = await tx<SilverMembershipRow[]>`
          update seniors_work.silver_membership set status = ${to} where person_id = ${personId}::uuid
          returning *`;
        return row!;
      });
    },

    /**
     * Checks membership, the offer's free slots and the hours (the offer's, and the member's in all), then records
     * the assignment, in one transaction.
     */
    assignWork(input: AssignWorkInput): Promise<AssignmentRow> {
      return sql.begin(async (tx) => {
        // Locked: two assignments of one member at once would each count the other's hours as not yet there.
        const [member] = await tx<{ status: string; joinedOn: Date }[]>`
          select status, joined_on from seniors_work.silver_membership where person_id = ${input.personId}::uuid
          for update`;
        if (!member) {
          throw ERRORS.NOT_FOUND.err('No silver-centre membership for that person', { argument: 'personId' });
        }
        if (member.status !== 'ACTIVE') {
          throw ERRORS.BAD_USER_INPUT.err('The membership is not active', {
            reason: 'MEMBERSHIP_NOT_ACTIVE',
            argument: 'personId',
          });
        }
        if (new Date(input.startedOn) < member.joinedOn) {
          throw ERRORS.BAD_USER_INPUT.err('startedOn is before the member joined', { argument: 'startedOn' });
        }
        // Locks the offer before counting its slots, in a statement of its own: under READ COMMITTED a count in
        // the locking statement would read the snapshot from before the lock wait, and two assignments would
        // both take the last slot.
        const [offer] = await tx<{ slots: number; hoursPerWeek: number }[]>`
          select slots, hours_per_week from seniors_work.work_offer where id = ${input.offerId}::uuid for update`;
        if (!offer) throw ERRORS.NOT_FOUND.err('No work offer with that id', { argument: 'offerId' });
        // The input's own bounds first: a refusal names the argument that is wrong, whatever the offer's state.
        const hours = input.hoursPerWeek ?? offer.hoursPerWeek;
        const maxHours = Math.min(MAX_HOURS_PER_WEEK, offer.hoursPerWeek);
        if (hours < 1 || hours > maxHours) {
          throw ERRORS.BAD_USER_INPUT.err(`hoursPerWeek is between 1 and ${maxHours} for this offer`, {
            argument: 'hoursPerWeek',
          });
        }
        const [assigned] = await tx<{ taken: number; alreadyAssigned: boolean }[]>`
          select count(*)::int as taken,
                 coalesce(bool_or(person_id = ${input.personId}::uuid), false) as already_assigned
          from seniors_work.assignment
          where offer_id = ${input.offerId}::uuid and ended_on is null`;
        if (assigned!.alreadyAssigned) {
          throw ERRORS.BAD_USER_INPUT.err('The member is already assigned to this offer', {
            reason: 'ALREADY_ASSIGNED',
            argument: 'offerId',
          });
        }
        if (assigned!.taken >= offer.slots) {
          throw ERRORS.BAD_USER_INPUT.err('The work offer has no free slots', {
            reason: 'OFFER_FULL',
            argument: 'offerId',
          });
        }
        const [current] = await tx<{ hours: number }[]>`
          select coalesce(sum(hours_per_week), 0)::int as hours from seniors_work.assignment
          where person_id = ${input.personId}::uuid and ended_on is null`;
        if (current!.hours + hours > MAX_HOURS_PER_WEEK) {
          throw ERRORS.BAD_USER_INPUT.err(
            `hoursPerWeek would take the member's work over the ${MAX_HOURS_PER_WEEK} hours a week a silver centre offers`,
            { reason: 'HOURS_OVER_LIMIT', argument: 'hoursPerWeek' },
          );
        }
        const [row] = await tx<AssignmentRow[]>`
          insert into seniors_work.assignment
            (person_id, offer_id, started_on, hours_per_week, recorded_by, municipality_code)
          values (${input.personId}, ${input.offerId}, ${input.startedOn}, ${hours}, ${input.recordedBy},
                  ${input.municipalityCode})
          returning *`;
        return row!;
      });
    },

    /**
     * Ends an assignment of a person the caller serves (NOT_FOUND otherwise, as for an unknown id) on `endedOn`,
     * not before it started (INVALID_PERIOD); one that had not started by `today` is cancelled (取消), ended on
     * its start day and marked `cancelled`.
     */
    async endAssignment(
      id: string,
      endedOn: string,
      today: string,
      jurisdiction: readonly string[],
    ): Promise<AssignmentRow> {
      const served = sql`municipality_code = any(${[...jurisdiction]}::text[])`;
      const notStarted = sql`started_on > ${today}::date`;
      const [row] = await sql<AssignmentRow[]>`
        update seniors_work.assignment
        set ended_on = case when ${notStarted} then started_on else ${endedOn}::date end, cancelled = ${notStarted}
        where id = ${id}::uuid and ended_on is null and ${served}
          and (${notStarted} or ${endedOn}::date >= started_on)
        returning *`;
      if (row) return row;
      const [existing] = await sql<{ endedOn: Date | null }[]>`
        select ended_on from seniors_work.assignment where id = ${id}::uuid and ${served}`;
      if (!existing) throw ERRORS.NOT_FOUND.err('No assignment with that id', { argument: 'id' });
      if (existing.endedOn) {
        throw ERRORS.BAD_USER_INPUT.err('The assignment has ended already', {
          reason: 'ASSIGNMENT_ENDED',
          argument: 'id',
        });
      }
      throw ERRORS.BAD_USER_INPUT.err('endedOn is before the assignment started', {
        reason: 'INVALID_PERIOD',
        argument: 'endedOn',
      });
    },
  };
}

export type SeniorsWorkStore = ReturnType<typeof createStore>;

/**
 * A DV transfer moved the person (relocation.ts in @hub/platform): her assignments count where she now lives,
 * so the agencies of the town she left no longer act on them by id nor count them.
 */
export const relocate = relocateIn([{ table: 'seniors_work.assignment' }]);
