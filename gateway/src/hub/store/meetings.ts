// Meetings (支援会議, 重層的支援会議, 要保護児童対策地域協議会) and their members: convening, membership,
// the members' acknowledgement of confidentiality, and closing; a meeting is seen by its members only.

import { ERRORS, manyEach, type DataCategory, type Sql, type TransactionSql } from '@hub/platform';
import type { MeetingKind } from '../../policy/decide.js';
import type { Guard } from './guard.js';

export interface MeetingRow {
  id: string;
  kind: MeetingKind;
  title: string;
  subjectPersonIds: string[];
  sharedCategories: DataCategory[];
  startsAt: Date;
  endsAt: Date | null;
  closedAt: Date | null;
  convenedBy: string;
  convenedByStaff: string;
  municipalityCode: string | null;
  createdAt: Date;
}

/** A meeting as convened: all but what the database assigns and closing sets; it names its municipality. */
export type NewMeeting = Omit<MeetingRow, 'id' | 'closedAt' | 'createdAt' | 'municipalityCode'> & {
  municipalityCode: string;
};

export interface MeetingMemberRow {
  meetingId: string;
  agencyId: string;
  addedAt: Date;
  acknowledgedAt: Date | null;
}

// A meeting is visible to its convener and its current members only.
const visibleMeeting = (sql: Sql, agencyId: string) => sql`
  (m.convened_by = ${agencyId}
   or exists (select 1 from hub.meeting_member mm
              where mm.meeting_id = m.id and mm.agency_id = ${agencyId} and mm.removed_at is null))`;

/**
 * The meeting, locked, for an agency that knows of it: its convener, or a member now or before. To any other
 * it is an id that names no meeting (NOT_FOUND), as `meeting(id)` answers it null: a refusal would confirm
 * to any agency that a meeting, of any town, stands behind the id.
 */
async function lockMeeting(tx: TransactionSql, id: string, by: string, argument: string): Promise<MeetingRow> {
  const [row] = await tx<(MeetingRow & { known: boolean })[]>`
    select m.*, (m.convened_by = ${by} or exists (select 1 from hub.meeting_member mm
                 where mm.meeting_id = m.id and mm.agency_id = ${by})) as known
    from hub.meeting m where m.id = ${id} for update`;
  if (!row?.known) throw ERRORS.NOT_FOUND.err('No meeting with that id', { argument });
  const { known: _known, ...meeting } = row;
  return meeting;
}

export function createMeetingStore(sql: Sql) {
  const meetingMembers = manyEach<string, MeetingMemberRow>(
    (ids) => sql<MeetingMemberRow[]>`
      select meeting_id, agency_id, added_at, acknowledged_at from hub.meeting_member
      where meeting_id = any(${ids}::uuid[]) and removed_at is null
      order by added_at, agency_id`,
    (row) => row.meetingId,
  );

  /** Runs a change to one meeting, by agency `by`, in a transaction, after its guard, and forgets cached members. */
  function changeMeeting(
    id: string,
    by: string,
    guard: Guard<MeetingRow>,
    change: (tx: TransactionSql, meeting: MeetingRow) => Promise<void>,
    argument = 'meetingId',
  ): Promise<MeetingRow> {
    meetingMembers.clear(id);
    return sql.begin(async (tx) => {
      const meeting = await lockMeeting(tx, id, by, argument);
      guard(meeting);
      await change(tx, meeting);
      const [updated] = await tx<MeetingRow[]>`select * from hub.meeting where id = ${id}`;
      return updated!;
    });
  }

  return {
    members: meetingMembers,
    visible(id: string, agencyId: string): Promise<MeetingRow | undefined> {
      return sql<MeetingRow[]>`
        select m.* from hub.meeting m where m.id = ${id} and ${visibleMeeting(sql, agencyId)}`.then(([row]) => row);
    },
    /**
     * The meetings the agency sees, latest start first (then id), `first` of them after the meeting `after`;
     * null when `after` is no meeting it sees (one closed since still marks its place among the active).
     */
    async visibleList(
      agencyId: string,
      activeOnly: boolean,
      first: number,
      after: string | null = null,
    ): Promise<MeetingRow[] | null> {
      if (after !== null) {
        const [anchor] = await sql`
          select 1 from hub.meeting m where m.id = ${after} and ${visibleMeeting(sql, agencyId)}`;
        if (!anchor) return null;
      }
      return sql<MeetingRow[]>`
        select m.* from hub.meeting m
        where ${visibleMeeting(sql, agencyId)}
          and (not ${activeOnly}
               or (m.closed_at is null and m.starts_at <= now() and (m.ends_at is null or m.ends_at > now())))
          and (${after}::uuid is null or exists (
            select 1 from hub.meeting a
            where a.id = ${after}::uuid and (m.starts_at < a.starts_at or (m.starts_at = a.starts_at and m.id > a.id))))
        order by m.starts_at desc, m.id
        limit ${first}`;
    },
    /** The meeting and its convener's membership, in one transaction. */
    convene(input: NewMeeting): Promise<MeetingRow> {
      return sql.begin(async (tx) => {
        const [meeting] = await tx<MeetingRow[]>`
          insert into hub.meeting (kind, title, subject_person_ids, shared_categories, starts_at, ends_at,
                                   convened_by, convened_by_staff, municipality_code)
          values (${input.kind}, ${input.title}, ${input.subjectPersonIds}::text[], ${input.sharedCategories}::text[],
                  ${input.startsAt}, ${input.endsAt}, ${input.convenedBy}, ${input.convenedByStaff},
                  ${input.municipalityCode})
          returning *`;
        // Convening counts as the convener's acknowledgement of confidentiality (CONTRACT.md).
        await tx`
          insert into hub.meeting_member (meeting_id, agency_id, acknowledged_at)
          values (${meeting!.id}, ${input.convenedBy}, now())`;
        return meeting!;
      });
    },
    /** Adds a member, or re-admits a removed one, who then has to acknowledge confidentiality again. */
    addMember(meetingId: string, by: string, agencyId: string, guard: Guard<MeetingRow>): Promise<MeetingRow> {
      return changeMeeting(meetingId, by, guard, async (tx) => {
        await tx`
          insert into hub.meeting_member (meeting_id, agency_id) values (${meetingId}, ${agencyId})
          on conflict (meeting_id, agency_id) do update
            set added_at = now(), acknowledged_at = null, removed_at = null
            where hub.meeting_member.removed_at is not null`;
      });
    },
    removeMember(meetingId: string, by: string, agencyId: string, guard: Guard<MeetingRow>): Promise<MeetingRow> {
      return changeMeeting(meetingId, by, guard, async (tx) => {
        const removed = await tx`
          update hub.meeting_member set removed_at = clock_timestamp()
          where meeting_id = ${meetingId} and agency_id = ${agencyId} and removed_at is null`;
        if (!removed.count) {
          throw ERRORS.BAD_USER_INPUT.err('That agency is not a member of the meeting', {
            argument: 'agencyId',
            reason: 'NOT_A_MEMBER',
          });
        }
      });
    },
    close(id: string, by: string, guard: Guard<MeetingRow>): Promise<MeetingRow> {
      return changeMeeting(
        id,
        by,
        guard,
        async (tx) => {
          await tx`update hub.meeting set closed_at = clock_timestamp() where id = ${id}`;
        },
        'id',
      );
    },
    /**
     * The convener of the meeting and the municipality it belongs to when a hub administrator has switched the
     * convener off, else null (also for no meeting).
     */
    async deactivatedConvener(id: string): Promise<{ convenedBy: string; municipalityCode: string | null } | null> {
      const [row] = await sql<{ convenedBy: string; municipalityCode: string | null }[]>`
        select m.convened_by, m.municipality_code from hub.meeting m join hub.agency a on a.id = m.convened_by
        where m.id = ${id} and a.deactivated_at is not null`;
      return row ?? null;
    },
    /**
     * Records the member's acknowledgement once; acknowledging again keeps the first time. The guard sees the
     * locked meeting and whether the agency is a current member of it.
     */
    acknowledge(
      meetingId: string,
      agencyId: string,
      guard: (meeting: MeetingRow, isMember: boolean) => void,
    ): Promise<MeetingRow> {
      return changeMeeting(
        meetingId,
        agencyId,
        () => {},
        async (tx, meeting) => {
          const [member] = await tx`
            select 1 from hub.meeting_member
            where meeting_id = ${meetingId} and agency_id = ${agencyId} and removed_at is null
            for update`;
          guard(meeting, member !== undefined);
          // Once is enough: acknowledging again writes nothing, so the bases' version stays (migration 023).
          await tx`
            update hub.meeting_member set acknowledged_at = now()
            where meeting_id = ${meetingId} and agency_id = ${agencyId} and removed_at is null
              and acknowledged_at is null`;
        },
      );
    },
  };
}
