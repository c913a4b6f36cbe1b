// つなぎ — the referrals' rows: made, listed, and moved from one status to the next by the party the step
// belongs to, in one transaction.

import { ERRORS, oneEach, type DataCategory, type Sql } from '@hub/platform';
import type { LegalBasis } from '../../policy/decide.js';
import type { ReferralSide } from '../permissions.js';

export type ReferralStatus = 'REQUESTED' | 'ACCEPTED' | 'DECLINED' | 'COMPLETED' | 'WITHDRAWN';

export interface ReferralRow {
  id: string;
  personId: string;
  fromAgencyId: string;
  toAgencyId: string;
  categories: DataCategory[];
  reason: string;
  basis: LegalBasis;
  consentId: string | null;
  meetingId: string | null;
  status: ReferralStatus;
  createdByStaff: string;
  createdAt: Date;
  respondedAt: Date | null;
  responseNote: string | null;
  completedAt: Date | null;
  withdrawalNote: string | null;
  withdrawnAt: Date | null;
}

/** Who moves a referral from one status to the next: the receiver answers it, the sender may withdraw it. */
const REFERRAL_TRANSITIONS: Readonly<
  Record<'accept' | 'decline' | 'complete' | 'withdraw', { from: ReferralStatus; to: ReferralStatus; by: ReferralSide }>
> = {
  accept: { from: 'REQUESTED', to: 'ACCEPTED', by: 'to' },
  decline: { from: 'REQUESTED', to: 'DECLINED', by: 'to' },
  complete: { from: 'ACCEPTED', to: 'COMPLETED', by: 'to' },
  withdraw: { from: 'REQUESTED', to: 'WITHDRAWN', by: 'from' },
};

/** The answer for an id that names no referral the caller may move or read: the same for every such id. */
export const noSuchReferral = () => ERRORS.NOT_FOUND.err('No referral with that id', { argument: 'id' });

export function createReferralStore(sql: Sql) {
  /**
   * Whether the referral `r` is still its parties' in `jurisdiction`: after a DV transfer, an agency that does
   * not serve where she lives now is no party to the referrals of her (guards.ts, partyAbout).
   */
  const stillAParty = (jurisdiction: readonly string[]) => sql`
    not exists (select 1 from hub.resident res
                where res.person_id = r.person_id::text and res.location_protected
                  and not (res.municipality_code = any(${[...jurisdiction]}::text[])))`;
  const byId = oneEach<string, ReferralRow>(
    (ids) => sql<ReferralRow[]>`select * from hub.referral where id = any(${ids}::uuid[])`,
    (row) => row.id,
  );
  return {
    byId,
    create(
      referral: Omit<
        ReferralRow,
        | 'id'
        | 'status'
        | 'createdAt'
        | 'respondedAt'
        | 'responseNote'
        | 'completedAt'
        | 'withdrawalNote'
        | 'withdrawnAt'
      >,
    ) {
      return sql<ReferralRow[]>`
        insert into hub.referral (person_id, from_agency_id, to_agency_id, categories, reason, basis, consent_id,
                                  meeting_id, created_by_staff)
        values (${referral.personId}, ${referral.fromAgencyId}, ${referral.toAgencyId}, ${referral.categories},
                ${referral.reason}, ${referral.basis}, ${referral.consentId}, ${referral.meetingId},
                ${referral.createdByStaff})
        returning *`.then(([row]) => row!);
    },
    /** Whether a referral of the person was sent or received by the agency. */
    async connects(agencyId: string, personId: string): Promise<boolean> {
      const [row] = await sql`
        select 1 from hub.referral
        where person_id = ${personId}
          and ((from_agency_id = ${agencyId} and status <> 'WITHDRAWN')
            or (to_agency_id = ${agencyId} and status not in ('WITHDRAWN', 'DECLINED')))
        limit 1`;
      return Boolean(row);
    },
    /**
     * Referrals the agency sent or received, newest first, but those of a person a DV transfer took where it
     * does not serve (`jurisdiction`): left out as if they did not exist. A page of them after the referral
     * `after` (the last of the page before), or null when `after` is not one of the agency's on that side: a
     * page after another's would be cut short without a word.
     */
    async list(
      agency: { readonly agencyId: string; readonly jurisdiction: readonly string[] },
      side: ReferralSide,
      status: ReferralStatus | null,
      first: number,
      after: string | null = null,
    ): Promise<ReferralRow[] | null> {
      const { agencyId, jurisdiction } = agency;
      const column = side === 'from' ? sql`from_agency_id` : sql`to_agency_id`;
      if (after !== null) {
        const [anchor] = await sql`
          select 1 from hub.referral r
          where id = ${after} and ${column} = ${agencyId} and ${stillAParty(jurisdiction)}`;
        if (!anchor) return null;
      }
      return sql<ReferralRow[]>`
        select * from hub.referral r
        where ${column} = ${agencyId} and (${status}::text is null or status = ${status})
          and ${stillAParty(jurisdiction)}
          and (${after}::uuid is null or exists (
            select 1 from hub.referral a
            where a.id = ${after}::uuid and (r.created_at < a.created_at or (r.created_at = a.created_at and r.id > a.id))))
        order by created_at desc, id
        limit ${first}`;
    },
    /**
     * Moves a referral a party of it may move, in one transaction; anyone else is told there is no such referral.
     * `check` refuses (throws) a party the step is not for: it is told the referral, once locked, and the party
     * the step belongs to. The note is the mover's: the receiver's answer (responseNote) or the sender's
     * withdrawal (withdrawalNote).
     */
    transition(
      id: string,
      agencyId: string,
      step: keyof typeof REFERRAL_TRANSITIONS,
      note: string | null,
      check: (referral: ReferralRow, by: ReferralSide) => void,
    ) {
      const { from, to, by } = REFERRAL_TRANSITIONS[step];
      byId.clear(id);
      return sql.begin(async (tx) => {
        const [row] = await tx<ReferralRow[]>`select * from hub.referral where id = ${id} for update`;
        if (!row || (row.toAgencyId !== agencyId && row.fromAgencyId !== agencyId)) throw noSuchReferral();
        check(row, by);
        if (row.status !== from) {
          throw ERRORS.BAD_USER_INPUT.err(`A referral that is ${row.status} cannot become ${to}`, {
            reason: 'ILLEGAL_TRANSITION',
            argument: 'id',
          });
        }
        const [updated] = await tx<ReferralRow[]>`
          update hub.referral set
            status = ${to},
            responded_at = case when ${to} in ('ACCEPTED', 'DECLINED') then now() else responded_at end,
            response_note = case when ${by} = 'to' then coalesce(${note}, response_note) else response_note end,
            completed_at = case when ${to} = 'COMPLETED' then now() else completed_at end,
            withdrawal_note = case when ${to} = 'WITHDRAWN' then ${note} else withdrawal_note end,
            withdrawn_at = case when ${to} = 'WITHDRAWN' then now() else withdrawn_at end
          where id = ${id}
          returning *`;
        return updated!;
      });
    },
  };
}

export type ReferralStore = ReturnType<typeof createReferralStore>;
