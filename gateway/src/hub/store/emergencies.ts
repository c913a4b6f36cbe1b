// Emergency accesses (緊急時の例外): declared for a while, then reviewed after the fact, once.

import { ERRORS, type DataCategory, type Sql } from '@hub/platform';

export interface EmergencyAccessRow {
  id: string;
  agencyId: string;
  staffId: string;
  personId: string;
  categories: DataCategory[];
  reason: string;
  declaredAt: Date;
  expiresAt: Date;
  reviewOutcome: 'JUSTIFIED' | 'UNJUSTIFIED' | null;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
}

const DEFAULT_EMERGENCY_TTL_MINUTES = 30;

export function createEmergencyStore(sql: Sql, emergencyTtlMinutes = DEFAULT_EMERGENCY_TTL_MINUTES) {
  return {
    async declare(input: {
      agencyId: string;
      staffId: string;
      personId: string;
      categories: DataCategory[];
      reason: string;
    }): Promise<EmergencyAccessRow> {
      const [row] = await sql<EmergencyAccessRow[]>`
        insert into hub.emergency_access (agency_id, staff_id, person_id, categories, reason, declared_at, expires_at)
        values (${input.agencyId}, ${input.staffId}, ${input.personId}, ${input.categories}::text[], ${input.reason},
                now(), now() + make_interval(mins => ${emergencyTtlMinutes}::int))
        returning *`;
      return row!;
    },
    /**
     * Declarations since `since`, newest first (declared, then id), `first` of them after the declaration
     * `after`; `declaredBy` limits them to one agency's, `review` to the review queue or the reviewed. Null when
     * `after` is no declaration of the list (one reviewed since still marks its place in the queue).
     */
    async list(filter: {
      since: Date | null;
      declaredBy: string | null;
      review: 'PENDING' | 'REVIEWED' | null;
      first: number;
      after: string | null;
    }): Promise<EmergencyAccessRow[] | null> {
      const { since, declaredBy, after } = filter;
      if (after !== null) {
        const [anchor] = await sql`
          select 1 from hub.emergency_access
          where id = ${after} and (${since}::timestamptz is null or declared_at >= ${since})
            and (${declaredBy}::text is null or agency_id = ${declaredBy})`;
        if (!anchor) return null;
      }
      return sql<EmergencyAccessRow[]>`
        select * from hub.emergency_access e
        where (${since}::timestamptz is null or e.declared_at >= ${since})
          and (${declaredBy}::text is null or e.agency_id = ${declaredBy})
          and (${filter.review}::text is null
               or (${filter.review} = 'PENDING') = (e.review_outcome is null))
          and (${after}::uuid is null or exists (
            select 1 from hub.emergency_access a
            where a.id = ${after}::uuid and (e.declared_at < a.declared_at or (e.declared_at = a.declared_at and e.id > a.id))))
        order by e.declared_at desc, e.id
        limit ${filter.first}`;
    },
    /**
     * Closes a declaration's after-the-fact review; a review is closed once. `check` refuses (throws) a
     * reviewer who may not review this declaration: it is told the declaration once it is locked.
     */
    review(
      id: string,
      outcome: 'JUSTIFIED' | 'UNJUSTIFIED',
      note: string | null,
      by: { agencyId: string; staffId: string },
      check: (declaration: EmergencyAccessRow) => void,
    ): Promise<EmergencyAccessRow> {
      return sql.begin(async (tx) => {
        const [current] = await tx<
          EmergencyAccessRow[]
        >`select * from hub.emergency_access where id = ${id} for update`;
        if (!current) throw ERRORS.NOT_FOUND.err('No emergency access with that id', { argument: 'id' });
        check(current);
        if (current.reviewOutcome) {
          throw ERRORS.BAD_USER_INPUT.err('The review of this emergency access is already closed', {
            argument: 'id',
            reason: 'ALREADY_REVIEWED',
          });
        }
        const [row] = await tx<EmergencyAccessRow[]>`
          update hub.emergency_access
          set review_outcome = ${outcome}, review_note = ${note}, reviewed_by = ${by.agencyId}, reviewed_at = clock_timestamp()
          where id = ${id}
          returning *`;
        return row!;
      });
    },
  };
}
