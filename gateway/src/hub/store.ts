// The hub's SQL: the agency register, the legal bases (consents, meetings, emergency accesses,
// disclosure protections) and reading the access log. Only this module (with seed.ts, policy/bases.ts and
// audit/log.ts) touches the hub schema's tables.

import {
  ERRORS,
  manyEach,
  oneEach,
  type DataCategory,
  type Domain,
  type Sql,
  type TransactionSql,
} from '@hub/platform';
import { verifyAccessLog, type CheckpointAnchor } from '../audit/checkpoint.js';
import { appendAudit, type AuditEntry } from '../audit/log.js';
import { loadBases } from '../policy/bases.js';
import { createAgencyControlStore } from './agency-controls.js';
import { createDashboardStore } from './dashboards.js';
import { createReferralStore } from './referrals.js';
import type { DenialReason, LegalBasis, MeetingKind } from '../policy/decide.js';

export interface AgencyRow {
  id: string;
  name: string;
  domain: Domain;
  kind: string;
  municipalityCode: string;
  /** Its own requests per minute; null: the hub's RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute: number | null;
  /** Set while the agency is switched off: its tokens are refused. */
  deactivatedAt: Date | null;
  /** The municipalities it serves. */
  jurisdiction: string[];
}

/** 住民の登録: where a person is registered now (and their birth date, where registered through the hub). */
export interface ResidentRow {
  personId: string;
  municipalityCode: string;
  birthDate: Date | null;
}

export interface MunicipalityRow {
  code: string;
  name: string;
  prefecture: string;
}

export type ConsentMethod = 'WRITTEN' | 'ORAL' | 'GUARDIAN';

export interface ConsentRow {
  id: string;
  personId: string;
  recipientAgencyIds: string[];
  categories: DataCategory[];
  purpose: string;
  validFrom: Date;
  validUntil: Date;
  method: ConsentMethod;
  guardianName: string | null;
  evidenceRef: string | null;
  witnessStaffId: string | null;
  guardianshipRef: string | null;
  /** The categories the consent opens now (recorded or confirmed by their holder). */
  confirmedCategories: DataCategory[];
  obtainedBy: string;
  obtainedByStaff: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  revocationReason: string | null;
  createdAt: Date;
}

/** A consent as recorded: everything but what the database assigns and what a revocation sets later. */
export type NewConsent = Omit<ConsentRow, 'id' | 'revokedAt' | 'revokedBy' | 'revocationReason' | 'createdAt'>;

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

export interface NewMeeting {
  kind: MeetingKind;
  title: string;
  subjectPersonIds: string[];
  sharedCategories: DataCategory[];
  startsAt: Date;
  endsAt: Date | null;
  convenedBy: string;
  convenedByStaff: string;
  municipalityCode: string;
}

export interface MeetingMemberRow {
  meetingId: string;
  agencyId: string;
  addedAt: Date;
  acknowledgedAt: Date | null;
}

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

export interface DisclosureProtectionRow {
  personId: string;
  setBy: string;
  until: Date;
  setAt: Date;
}

export interface AccessLogRow {
  id: string;
  at: Date;
  agencyId: string;
  staffId: string;
  personId: string;
  categories: DataCategory[];
  allowed: boolean;
  basis: LegalBasis | null;
  reason: DenialReason | null;
  consentId: string | null;
  meetingId: string | null;
  emergencyId: string | null;
  purpose: string | null;
}

export interface HubStoreOptions {
  /**
   * How long a declared emergency access lasts (config.policy.emergencyTtlMinutes).
   * @default 30
   */
  emergencyTtlMinutes?: number;
  /** The access log's checkpoints, which verifyAccessLog holds the chain against. */
  checkpoints?: CheckpointAnchor;
}

/** Guards a change inside its transaction: throws (FORBIDDEN, BAD_USER_INPUT) to refuse it. */
export type Guard<R> = (row: R) => void;

const DEFAULT_EMERGENCY_TTL_MINUTES = 30;

/**
 * One entry of the access log from its row `l` and the person `p` (person_id, basis_id, n) it names: a
 * row written before rows named several persons is its one entry; a row naming several is one entry per
 * person (id `row.n`), with the record their basis names as the consent, meeting or emergency it is.
 */
const entryColumns = (sql: Sql) => sql`
  case when l.person_ids is null then l.id::text else l.id::text || '.' || p.n::text end as id,
  l.at, l.agency_id, l.staff_id, coalesce(l.person_id, p.person_id) as person_id, l.categories, l.allowed,
  l.basis, l.reason,
  case when l.person_ids is null then l.consent_id when l.basis = 'CONSENT' then nullif(p.basis_id, '') end as consent_id,
  case when l.person_ids is null then l.meeting_id
       when l.basis in ('SUPPORT_MEETING', 'CHILD_COUNCIL') then nullif(p.basis_id, '') end as meeting_id,
  case when l.person_ids is null then l.emergency_id when l.basis = 'EMERGENCY' then nullif(p.basis_id, '') end as emergency_id,
  l.purpose`;

// A meeting is visible to its convener and its current members only.
const visibleMeeting = (sql: Sql, agencyId: string) => sql`
  (m.convened_by = ${agencyId}
   or exists (select 1 from hub.meeting_member mm
              where mm.meeting_id = m.id and mm.agency_id = ${agencyId} and mm.removed_at is null))`;

async function lockConsent(tx: TransactionSql, id: string): Promise<ConsentRow> {
  const [row] = await tx<ConsentRow[]>`select * from hub.consent where id = ${id} for update`;
  if (!row) throw ERRORS.NOT_FOUND.err('No consent with that id', { argument: 'id' });
  return row;
}

async function lockMeeting(tx: TransactionSql, id: string): Promise<MeetingRow> {
  const [row] = await tx<MeetingRow[]>`select * from hub.meeting where id = ${id} for update`;
  if (!row) throw ERRORS.NOT_FOUND.err('No meeting with that id', { argument: 'meetingId' });
  return row;
}

export function createHubStore(sql: Sql, options: HubStoreOptions = {}) {
  const emergencyTtlMinutes = options.emergencyTtlMinutes ?? DEFAULT_EMERGENCY_TTL_MINUTES;
  const agency = oneEach<string, AgencyRow>(
    (ids) => sql<AgencyRow[]>`select * from hub.agency where id = any(${ids})`,
    (row) => row.id,
  );
  const resident = oneEach<string, ResidentRow>(
    (ids) => sql<ResidentRow[]>`
      select person_id, municipality_code, birth_date from hub.resident where person_id = any(${ids})`,
    (row) => row.personId,
  );
  const meetingMembers = manyEach<string, MeetingMemberRow>(
    (ids) => sql<MeetingMemberRow[]>`
      select meeting_id, agency_id, added_at, acknowledged_at from hub.meeting_member
      where meeting_id = any(${ids}::uuid[]) and removed_at is null
      order by added_at, agency_id`,
    (row) => row.meetingId,
  );

  /** Runs a change to one meeting in a transaction, after its guard, and forgets cached members. */
  function changeMeeting(
    id: string,
    guard: Guard<MeetingRow>,
    change: (tx: TransactionSql, meeting: MeetingRow) => Promise<void>,
  ): Promise<MeetingRow> {
    meetingMembers.clear(id);
    return sql.begin(async (tx) => {
      const meeting = await lockMeeting(tx, id);
      guard(meeting);
      await change(tx, meeting);
      const [updated] = await tx<MeetingRow[]>`select * from hub.meeting where id = ${id}`;
      return updated!;
    });
  }

  return {
    agency,
    referrals: createReferralStore(sql),
    agencyControls: createAgencyControlStore(sql, agency),
    dashboards: createDashboardStore(sql),
    municipality: oneEach<string, MunicipalityRow>(
      (codes) => sql<MunicipalityRow[]>`select * from hub.municipality where code = any(${codes})`,
      (row) => row.code,
    ),
    agencies(filter: { domain?: string | null; municipalityCode?: string | null }): Promise<AgencyRow[]> {
      return sql<AgencyRow[]>`
        select * from hub.agency
        where (${filter.domain ?? null}::text is null or domain = ${filter.domain ?? null})
          and (${filter.municipalityCode ?? null}::text is null or municipality_code = ${filter.municipalityCode ?? null})
        order by municipality_code, domain, id`;
    },
    municipalities(): Promise<MunicipalityRow[]> {
      return sql<MunicipalityRow[]>`select * from hub.municipality order by code`;
    },
    async registerAgency(input: Omit<AgencyRow, 'deactivatedAt'>): Promise<AgencyRow> {
      const [row] = await sql<AgencyRow[]>`
        insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction, rate_limit_per_minute)
        values (${input.id}, ${input.name}, ${input.domain}, ${input.kind}, ${input.municipalityCode},
                ${input.jurisdiction}::text[], ${input.rateLimitPerMinute})
        on conflict (id) do nothing
        returning *`;
      if (!row) throw ERRORS.BAD_USER_INPUT.err('An agency with that id is already registered', { argument: 'id' });
      agency.clear(row.id);
      return row;
    },

    residents: {
      /** One person's registration, batched per request. */
      resident,
      /** Where each person is registered now, and when born; unknown ids are absent. */
      async registered(personIds: readonly string[]): Promise<Map<string, ResidentRow>> {
        const rows = await sql<ResidentRow[]>`
          select person_id, municipality_code, birth_date from hub.resident
          where person_id = any(${[...new Set(personIds)]})`;
        return new Map(rows.map((r) => [r.personId, r]));
      },
    },

    /** The bases of each person, read now (policy/bases.ts). */
    bases: (personIds: readonly string[]) => loadBases(sql, personIds),

    consents: {
      byIds(ids: readonly string[]): Promise<ConsentRow[]> {
        return sql<ConsentRow[]>`select * from hub.consent where id = any(${[...ids]}::uuid[])`;
      },
      /** A person's consents; `visibleTo` limits them to those the agency obtained or receives. */
      forPerson(personId: string, visibleTo: string | null): Promise<ConsentRow[]> {
        return sql<ConsentRow[]>`
          select * from hub.consent
          where person_id = ${personId}
            and (${visibleTo}::text is null or obtained_by = ${visibleTo} or ${visibleTo} = any(recipient_agency_ids))
          order by created_at desc, id`;
      },
      async grant(input: NewConsent): Promise<ConsentRow> {
        const [row] = await sql<ConsentRow[]>`
          insert into hub.consent (person_id, recipient_agency_ids, categories, purpose, valid_from, valid_until,
                                   method, guardian_name, evidence_ref, witness_staff_id, guardianship_ref,
                                   confirmed_categories, obtained_by, obtained_by_staff)
          values (${input.personId}, ${input.recipientAgencyIds}::text[], ${input.categories}::text[], ${input.purpose},
                  ${input.validFrom}, ${input.validUntil}, ${input.method}, ${input.guardianName},
                  ${input.evidenceRef}, ${input.witnessStaffId}, ${input.guardianshipRef},
                  ${input.confirmedCategories}::text[], ${input.obtainedBy}, ${input.obtainedByStaff})
          returning *`;
        return row!;
      },
      /** Opens `categories` of the consent: its holder confirms them (CONTRACT.md rule 2). */
      confirm(
        id: string,
        categories: readonly DataCategory[],
        by: { agencyId: string; staffId: string },
        guard: Guard<ConsentRow>,
      ): Promise<ConsentRow> {
        return sql.begin(async (tx) => {
          const consent = await lockConsent(tx, id);
          guard(consent);
          for (const category of categories) {
            await tx`
              insert into hub.consent_confirmation (consent_id, category, agency_id, staff_id)
              values (${id}, ${category}, ${by.agencyId}, ${by.staffId})
              on conflict (consent_id, category) do nothing`;
          }
          const [row] = await tx<ConsentRow[]>`
            update hub.consent
            set confirmed_categories = array(
              select distinct c from unnest(confirmed_categories || ${[...categories]}::text[]) as c order by c)
            where id = ${id}
            returning *`;
          return row!;
        });
      },
      revoke(id: string, by: string, reason: string, guard: Guard<ConsentRow>): Promise<ConsentRow> {
        return sql.begin(async (tx) => {
          const consent = await lockConsent(tx, id);
          guard(consent);
          if (consent.revokedAt) throw ERRORS.BAD_USER_INPUT.err('The consent is already revoked', { argument: 'id' });
          const [row] = await tx<ConsentRow[]>`
            update hub.consent set revoked_at = now(), revoked_by = ${by}, revocation_reason = ${reason}
            where id = ${id}
            returning *`;
          return row!;
        });
      },
    },

    meetings: {
      members: meetingMembers,
      visible(id: string, agencyId: string): Promise<MeetingRow | undefined> {
        return sql<MeetingRow[]>`
          select m.* from hub.meeting m where m.id = ${id} and ${visibleMeeting(sql, agencyId)}`.then(([row]) => row);
      },
      visibleList(agencyId: string, activeOnly: boolean): Promise<MeetingRow[]> {
        return sql<MeetingRow[]>`
          select m.* from hub.meeting m
          where ${visibleMeeting(sql, agencyId)}
            and (not ${activeOnly}
                 or (m.closed_at is null and m.starts_at <= now() and (m.ends_at is null or m.ends_at > now())))
          order by m.starts_at desc, m.id`;
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
      addMember(meetingId: string, agencyId: string, guard: Guard<MeetingRow>): Promise<MeetingRow> {
        return changeMeeting(meetingId, guard, async (tx) => {
          await tx`
            insert into hub.meeting_member (meeting_id, agency_id) values (${meetingId}, ${agencyId})
            on conflict (meeting_id, agency_id) do update
              set added_at = now(), acknowledged_at = null, removed_at = null
              where hub.meeting_member.removed_at is not null`;
        });
      },
      removeMember(meetingId: string, agencyId: string, guard: Guard<MeetingRow>): Promise<MeetingRow> {
        return changeMeeting(meetingId, guard, async (tx) => {
          const removed = await tx`
            update hub.meeting_member set removed_at = now()
            where meeting_id = ${meetingId} and agency_id = ${agencyId} and removed_at is null`;
          if (!removed.count) {
            throw ERRORS.BAD_USER_INPUT.err('That agency is not a member of the meeting', { argument: 'agencyId' });
          }
        });
      },
      close(id: string, guard: Guard<MeetingRow>): Promise<MeetingRow> {
        return changeMeeting(id, guard, async (tx) => {
          await tx`update hub.meeting set closed_at = now() where id = ${id}`;
        });
      },
      /** Records the member's acknowledgement once; acknowledging again keeps the first time. */
      acknowledge(meetingId: string, agencyId: string): Promise<MeetingRow> {
        return changeMeeting(
          meetingId,
          () => {},
          async (tx) => {
            const member = await tx`
            update hub.meeting_member set acknowledged_at = coalesce(acknowledged_at, now())
            where meeting_id = ${meetingId} and agency_id = ${agencyId} and removed_at is null`;
            if (!member.count) {
              throw ERRORS.FORBIDDEN.err('Only a member of the meeting acknowledges confidentiality in it');
            }
          },
        );
      },
    },

    emergencies: {
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
      /** Declarations since `since`, newest first; `declaredBy` limits them to one agency's, `pendingOnly` to the review queue. */
      list(filter: {
        since: Date | null;
        declaredBy: string | null;
        review: 'PENDING' | 'REVIEWED' | null;
      }): Promise<EmergencyAccessRow[]> {
        return sql<EmergencyAccessRow[]>`
          select * from hub.emergency_access
          where (${filter.since}::timestamptz is null or declared_at >= ${filter.since})
            and (${filter.declaredBy}::text is null or agency_id = ${filter.declaredBy})
            and (${filter.review}::text is null
                 or (${filter.review} = 'PENDING') = (review_outcome is null))
          order by declared_at desc, id`;
      },
      /** Closes a declaration's after-the-fact review; a review is closed once. */
      review(
        id: string,
        outcome: 'JUSTIFIED' | 'UNJUSTIFIED',
        note: string | null,
        by: string,
      ): Promise<EmergencyAccessRow> {
        return sql.begin(async (tx) => {
          const [current] = await tx<
            EmergencyAccessRow[]
          >`select * from hub.emergency_access where id = ${id} for update`;
          if (!current) throw ERRORS.NOT_FOUND.err('No emergency access with that id', { argument: 'id' });
          if (current.reviewOutcome) {
            throw ERRORS.BAD_USER_INPUT.err('The review of this emergency access is already closed', {
              argument: 'id',
              reason: 'ALREADY_REVIEWED',
            });
          }
          const [row] = await tx<EmergencyAccessRow[]>`
            update hub.emergency_access
            set review_outcome = ${outcome}, review_note = ${note}, reviewed_by = ${by}, reviewed_at = now()
            where id = ${id}
            returning *`;
          return row!;
        });
      },
    },

    disclosureProtections: {
      async set(personId: string, setBy: string, setByStaff: string, until: Date): Promise<DisclosureProtectionRow> {
        const [row] = await sql<DisclosureProtectionRow[]>`
          insert into hub.disclosure_protection (person_id, set_by, set_by_staff, until)
          values (${personId}, ${setBy}, ${setByStaff}, ${until})
          on conflict (person_id, set_by) do update
            set until = excluded.until, set_by_staff = excluded.set_by_staff, set_at = now()
          returning person_id, set_by, until, set_at`;
        return row!;
      },
    },

    accessLog: {
      /**
       * One page of a person's access log, newest first, after the entry `afterId`. `withholdProtected`
       * leaves out the CHILD_DV agencies' entries while a disclosure protection is active, in SQL, so
       * page sizes reveal nothing of what was withheld.
       */
      page(
        personId: string,
        options: { first: number; afterId: string | null; withholdProtected: boolean; protectedNow: boolean },
      ) {
        // A row names the person alone (written before rows named several) or among others, at `n`.
        return sql<AccessLogRow[]>`
          select ${entryColumns(sql)}
          from hub.audit_log l
          cross join lateral (
            select ${personId}::text as person_id, l.basis_ids[n] as basis_id, n
            from (select array_position(l.person_ids, ${personId}::text) as n) found
          ) p
          where (l.person_id = ${personId} or l.person_ids @> array[${personId}::text])
            and (${options.afterId}::bigint is null or l.id < ${options.afterId}::bigint)
            and not (
              ${options.withholdProtected}::boolean
              and l.agency_id in (select a.id from hub.agency a where a.domain = 'CHILD_DV')
              and (${options.protectedNow}::boolean
                   or exists (select 1 from hub.disclosure_protection d where d.person_id = ${personId} and d.until > now()))
            )
          order by l.id desc
          limit ${options.first}`;
      },
      /** One page of the whole log, newest first, of one agency and/or a period: the auditor's search. */
      search(options: {
        agencyId: string | null;
        from: Date | null;
        to: Date | null;
        first: number;
        /** The id of the last entry of the page before (`row` or `row.n`). */
        after: string | null;
      }) {
        // One entry per person of each row: a row written before rows named several is its one entry (n 1).
        return sql<AccessLogRow[]>`
          select ${entryColumns(sql)}
          from hub.audit_log l
          cross join lateral (
            select u.person_id, u.basis_id, u.n from unnest(l.person_ids, l.basis_ids) with ordinality as u(person_id, basis_id, n)
            union all
            select l.person_id, null, 1 where l.person_ids is null
          ) p
          where (${options.agencyId}::text is null or l.agency_id = ${options.agencyId})
            and (${options.from}::timestamptz is null or l.at >= ${options.from})
            and (${options.to}::timestamptz is null or l.at < ${options.to})
            and (${options.after}::text is null
                 or (l.id, p.n) < (split_part(${options.after}::text, '.', 1)::bigint,
                                   coalesce(nullif(split_part(${options.after}::text, '.', 2), ''), '1')::bigint))
          order by l.id desc, p.n desc
          limit ${options.first}`;
      },
      append: async (entries: readonly AuditEntry[]): Promise<void> => {
        await appendAudit(sql, entries);
      },
      verify: () => verifyAccessLog(sql, options.checkpoints),
    },
  };
}

export type HubStore = ReturnType<typeof createHubStore>;
