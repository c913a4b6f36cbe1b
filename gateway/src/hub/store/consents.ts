// 本人同意 — the consents' rows: recording, confirming and revoking them, each change on the locked row
// after its guard.

import { ERRORS, type DataCategory, type Sql, type TransactionSql } from '@hub/platform';
import type { Guard } from './guard.js';

export type ConsentMethod = 'WRITTEN' | 'ORAL' | 'GUARDIAN';

export interface ConsentRow {
  id: string;
  personId: string;
  recipientAgencyIds: string[];
  categories: DataCategory[];
  purpose: string;
  validFrom: Date;
  /** When the consent ends: the end recorded, or earlier where the person comes of age first (GUARDIAN). */
  validUntil: Date;
  /** The end the recording agency gave, where the consent ends earlier (validUntil); null where it does not. */
  statedUntil: Date | null;
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

async function lockConsent(tx: TransactionSql, id: string): Promise<ConsentRow> {
  const [row] = await tx<ConsentRow[]>`select * from hub.consent where id = ${id} for update`;
  if (!row) throw ERRORS.NOT_FOUND.err('No consent with that id', { argument: 'id' });
  return row;
}

export function createConsentStore(sql: Sql) {
  return {
    byIds(ids: readonly string[]): Promise<ConsentRow[]> {
      return sql<ConsentRow[]>`select * from hub.consent where id = any(${[...ids]}::uuid[])`;
    },
    /**
     * A person's consents, newest first (created, then id), `first` of them after the consent `after` (one of
     * hers: the caller checks that it was one of its list).
     */
    forPerson(personId: string, first: number, after: string | null = null): Promise<ConsentRow[]> {
      return sql<ConsentRow[]>`
        select * from hub.consent c
        where c.person_id = ${personId}
          and (${after}::uuid is null or exists (
            select 1 from hub.consent a
            where a.id = ${after}::uuid and (c.created_at < a.created_at or (c.created_at = a.created_at and c.id > a.id))))
        order by c.created_at desc, c.id
        limit ${first}`;
    },
    /**
     * The holder's queue: consents in force or yet to start that name a category of `categories` not yet
     * confirmed, about persons registered in `jurisdiction`, oldest first, after the consent `after` (the last
     * of the page before; confirmed since, it still marks the place), or null when `after` is no consent of the
     * queue (about a person it serves, naming a category it holds). A consent that carried a DV victim's
     * whereabouts is in the queue of a holder of DV_LOCATION only: that it exists, who recorded it and what it
     * names say where she is protected (DV_LOCATION), as consents(personId) keeps it from anyone else.
     */
    async awaiting(
      categories: readonly string[],
      jurisdiction: readonly string[],
      first: number,
      after: string | null = null,
    ): Promise<ConsentRow[] | null> {
      const whereabouts = categories.includes('DV_LOCATION');
      if (after !== null) {
        // One that is or was in this queue: about a person it serves, naming a category it holds.
        const [anchor] = await sql`
          select 1 from hub.consent c join hub.resident r on r.person_id = c.person_id
          where c.id = ${after} and r.municipality_code = any(${[...jurisdiction]}::text[])
            and (${whereabouts}::boolean or not 'DV_LOCATION' = any(c.categories))
            and exists (select 1 from unnest(c.categories) named where named = any(${[...categories]}::text[]))`;
        if (!anchor) return null;
      }
      return sql<ConsentRow[]>`
        select c.* from hub.consent c
        join hub.resident r on r.person_id = c.person_id
        where r.municipality_code = any(${[...jurisdiction]}::text[])
          and c.revoked_at is null and c.valid_until > now()
          and (${whereabouts}::boolean or not 'DV_LOCATION' = any(c.categories))
          and exists (
            select 1 from unnest(c.categories) named
            where named = any(${[...categories]}::text[]) and not named = any(c.confirmed_categories))
          and (${after}::uuid is null or exists (
            select 1 from hub.consent a
            where a.id = ${after}::uuid and (c.created_at > a.created_at or (c.created_at = a.created_at and c.id > a.id))))
        order by c.created_at, c.id
        limit ${first}`;
    },
    async grant(input: NewConsent): Promise<ConsentRow> {
      const [row] = await sql<ConsentRow[]>`
        insert into hub.consent (person_id, recipient_agency_ids, categories, purpose, valid_from, valid_until,
                                 stated_until, method, guardian_name, evidence_ref, witness_staff_id, guardianship_ref,
                                 confirmed_categories, obtained_by, obtained_by_staff)
        values (${input.personId}, ${input.recipientAgencyIds}::text[], ${input.categories}::text[], ${input.purpose},
                ${input.validFrom}, ${input.validUntil}, ${input.statedUntil}, ${input.method}, ${input.guardianName},
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
        if (consent.revokedAt)
          throw ERRORS.BAD_USER_INPUT.err('The consent is already revoked', {
            argument: 'id',
            reason: 'ALREADY_REVOKED',
          });
        const [row] = await tx<ConsentRow[]>`
          update hub.consent set revoked_at = clock_timestamp(), revoked_by = ${by}, revocation_reason = ${reason}
          where id = ${id}
          returning *`;
        return row!;
      });
    },
  };
}
