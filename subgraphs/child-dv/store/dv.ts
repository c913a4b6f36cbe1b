// DV cases (配偶者暴力相談), their transfers between agencies and the protected whereabouts: their SQL in the
// child_dv schema.

import {
  ERRORS,
  manyEach,
  oneEach,
  recordsByPerson,
  requireTimeToCommit,
  validUuids,
  type SignedCaller,
  type Sql,
} from '@hub/platform';

export interface DvTransferRow {
  id: string;
  dvCaseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  toMunicipalityCode: string | null;
  transferredAt: Date;
  note: string | null;
  accompanyingPersonIds: string[];
}

export interface DvCaseRow {
  id: string;
  personId: string;
  openedAt: Date;
  status: string;
  /** 終結: when it was closed, set by the table's trigger as its status becomes CLOSED (migration 007). */
  closedAt: Date | null;
  agencyId: string;
  formerMunicipalityCode: string | null;
  protectionOrder: boolean;
  summary: string | null;
}

export interface WhereaboutsRow {
  id: string;
  dvCaseId: string;
  municipalityCode: string;
  address: string;
  shelterName: string | null;
  since: Date;
  recordedAt: Date;
}

export function createDvStore(sql: Sql) {
  return {
    transfers: manyEach<string, DvTransferRow>(
      (caseIds) => sql<DvTransferRow[]>`
        select * from child_dv.dv_transfer where dv_case_id = any(${validUuids(caseIds)}::uuid[])
        order by transferred_at`,
      (row) => row.dvCaseId,
    ),

    /** The person a DV case is about, by case id: whereabouts name their case only. */
    dvCaseOwner: oneEach<string, { id: string; personId: string }>(
      (caseIds) => sql<{ id: string; personId: string }[]>`
        select id, person_id from child_dv.dv_case where id = any(${validUuids(caseIds)}::uuid[])`,
      (row) => row.id,
    ),

    /** The person's DV cases, oldest first: those closed and the one open, if any. */
    dvCases: recordsByPerson(
      (ids) => sql<DvCaseRow[]>`
        select * from child_dv.dv_case where person_id = any(${ids}::uuid[]) order by opened_at, id`,
    ),

    dvCase: oneEach<string, DvCaseRow>(
      (ids) => sql<DvCaseRow[]>`
        select distinct on (person_id) * from child_dv.dv_case
        where person_id = any(${validUuids(ids)}::uuid[])
        order by person_id, opened_at desc`,
      (row) => row.personId,
    ),

    whereabouts: oneEach<string, WhereaboutsRow>(
      (caseIds) => sql<WhereaboutsRow[]>`
        select distinct on (dv_case_id) * from child_dv.protected_whereabouts
        where dv_case_id = any(${validUuids(caseIds)}::uuid[])
        order by dv_case_id, since desc, recorded_at desc`,
      (row) => row.dvCaseId,
    ),

    /**
     * Moves the person's open DV case held by `fromAgencyId` to `toAgencyId` and keeps the move; the
     * case stays open. Null when the agency holds no open case of the person.
     */
    async transferDvCase(input: {
      personId: string;
      fromAgencyId: string;
      toAgencyId: string;
      toMunicipalityCode: string | null;
      note: string | null;
      /** Who moved with her (her children), recorded with the transfer. */
      accompanyingPersonIds: readonly string[];
      /** The gateway's deadline: the hub's register moves her on this answer, so a later one is not written. */
      deadline: SignedCaller['deadline'];
    }): Promise<DvCaseRow | null> {
      return sql.begin(async (tx) => {
        const [current] = await tx<DvCaseRow[]>`
          select * from child_dv.dv_case
          where person_id = ${input.personId}::uuid and agency_id = ${input.fromAgencyId} and status <> 'CLOSED'
          order by opened_at desc
          limit 1
          for update`;
        if (!current) return null;
        await tx`
          insert into child_dv.dv_transfer
            (dv_case_id, from_agency_id, to_agency_id, to_municipality_code, note, accompanying_person_ids)
          values (${current.id}, ${input.fromAgencyId}, ${input.toAgencyId}, ${input.toMunicipalityCode},
                  ${input.note}, ${[...input.accompanyingPersonIds]}::uuid[])`;
        // Unnamed, it is the destination's only municipality, which child-dv is not told (005_dv_case_municipality.sql).
        const [row] = await tx<DvCaseRow[]>`
          update child_dv.dv_case set agency_id = ${input.toAgencyId}, municipality_code = ${input.toMunicipalityCode}
          where id = ${current.id} returning *`;
        requireTimeToCommit(input);
        return row!;
      });
    },

    /**
     * Updates the person's open DV case held by the agency, while it serves the municipality the case counts
     * in; null when it holds none (a closed case is no longer open, so it stays closed). Fields not given stay
     * as they were.
     */
    async updateDvCase(input: {
      personId: string;
      agencyId: string;
      jurisdiction: readonly string[];
      status: string;
      protectionOrder: boolean | null;
      summary: string | null;
    }): Promise<DvCaseRow | null> {
      const [row] = await sql<DvCaseRow[]>`
        update child_dv.dv_case
        set status = ${input.status},
            protection_order = coalesce(${input.protectionOrder}::boolean, protection_order),
            summary = coalesce(${input.summary}::text, summary)
        where id = (
          select id from child_dv.dv_case
          where person_id = ${input.personId}::uuid and agency_id = ${input.agencyId} and status <> 'CLOSED'
            and (municipality_code is null or municipality_code = any(${[...input.jurisdiction]}::text[]))
          order by opened_at desc
          limit 1)
        returning *`;
      return row ?? null;
    },

    async openDvCase(input: {
      personId: string;
      agencyId: string;
      formerMunicipalityCode: string | null;
      protectionOrder: boolean;
      summary: string | null;
      municipalityCode: string | null;
    }): Promise<DvCaseRow> {
      // One open case per person (migration 008's unique index): a second would take the first's place in
      // Person.dvCase, whereabouts and all, and a transfer would move one and leave the other open where she
      // lived. Two agencies opening one at the same instant: the second waits for the first and opens none.
      const [row] = await sql<DvCaseRow[]>`
        insert into child_dv.dv_case
          (person_id, agency_id, former_municipality_code, protection_order, summary, municipality_code)
        values (${input.personId}, ${input.agencyId}, ${input.formerMunicipalityCode}, ${input.protectionOrder},
                ${input.summary}, ${input.municipalityCode})
        on conflict (person_id) where status <> 'CLOSED' do nothing
        returning *`;
      if (!row) {
        throw ERRORS.BAD_USER_INPUT.err('The person already has an open DV case; its holder transfers it', {
          argument: 'personId',
          reason: 'DV_CASE_ALREADY_OPEN',
        });
      }
      return row;
    },

    /**
     * Null when no such case is held by the agency for a person of its jurisdiction: the address is written
     * only into the holder's own case, while it serves her (a case naming no municipality: see migration 005).
     */
    async recordWhereabouts(input: {
      dvCaseId: string;
      agencyId: string;
      jurisdiction: readonly string[];
      municipalityCode: string;
      address: string;
      shelterName: string | null;
      since: string;
    }): Promise<WhereaboutsRow | null> {
      const [row] = await sql<WhereaboutsRow[]>`
        insert into child_dv.protected_whereabouts (dv_case_id, municipality_code, address, shelter_name, since)
        select id, ${input.municipalityCode}::text, ${input.address}::text, ${input.shelterName}::text, ${input.since}::date
        from child_dv.dv_case
        where id = ${input.dvCaseId}::uuid and agency_id = ${input.agencyId}
          and (municipality_code is null or municipality_code = any(${[...input.jurisdiction]}::text[]))
        returning *`;
      return row ?? null;
    },
  };
}
