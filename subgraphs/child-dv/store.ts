// The child-welfare and DV system's SQL: the only code that reads or writes the child_dv schema.
// Loaders batch every lookup of a request into one statement per kind.

import { randomInt } from 'node:crypto';
import {
  ERRORS,
  manyEach,
  monthlyDashboard,
  oneEach,
  recordsByPerson,
  relocateIn,
  validUuids,
  type DashboardReader,
  type Sql,
} from '@hub/platform';

export interface ChildWelfareCaseRow {
  id: string;
  personId: string;
  classification: string;
  status: string;
  openedAt: Date;
  agencyId: string;
  registeredWithCouncil: boolean;
  summary: string | null;
}

export interface AbuseReportRow {
  id: string;
  personId: string;
  reportedAt: Date;
  reporterAgencyId: string;
  kind: string;
  urgency: string;
  receivingAgencyId: string;
  summary: string | null;
  receiptNumber: string;
  status: string;
  triagedAt: Date | null;
  triageNote: string | null;
}

export interface DvTransferRow {
  id: string;
  dvCaseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  toMunicipalityCode: string | null;
  transferredAt: Date;
  note: string | null;
}

/** 緊急度 order of the queue: danger to life or body first. */
const URGENCY_ORDER = ['IMMEDIATE', 'PROMPT', 'ROUTINE'];

export interface DvCaseRow {
  id: string;
  personId: string;
  openedAt: Date;
  status: string;
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

export function createStore(sql: Sql) {
  return {
    /**
     * The dashboard: urgent reports by kind and month received over the last twelve months, suppressed; the
     * reports the reader filed or received are its own (known).
     */
    dashboard: ({ agencyId, jurisdiction }: DashboardReader) =>
      monthlyDashboard(
        'reportKind',
        ['PHYSICAL', 'NEGLECT', 'PSYCHOLOGICAL', 'SEXUAL', 'DV_DANGER'],
        jurisdiction,
        (months) => sql<{ row: string; column: string; count: string; municipality: string }[]>`
        select kind as row, to_char(reported_at at time zone 'Asia/Tokyo', 'YYYY-MM') as column, count(*) as count,
               count(*) filter (where reporter_agency_id = ${agencyId} or receiving_agency_id = ${agencyId}) as known,
               municipality_code as municipality
        from child_dv.abuse_report
        where to_char(reported_at at time zone 'Asia/Tokyo', 'YYYY-MM') = any(${months})
          and municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`,
      ),
    childWelfareCases: recordsByPerson(
      (ids) => sql<ChildWelfareCaseRow[]>`
        select * from child_dv.child_welfare_case where person_id = any(${ids}::uuid[]) order by opened_at`,
    ),
    abuseReports: recordsByPerson(
      (ids) => sql<AbuseReportRow[]>`
        select * from child_dv.abuse_report
        where person_id = any(${ids}::uuid[]) and kind <> 'DV_DANGER'
        order by reported_at`,
    ),
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

    async recordAbuseReport(input: {
      personId: string;
      reporterAgencyId: string;
      kind: string;
      urgency: string;
      receivingAgencyId: string;
      summary: string | null;
      municipalityCode: string | null;
    }): Promise<AbuseReportRow> {
      // A receipt number drawn at random, not the next of a sequence: consecutive receipts would tell any
      // reporter how many reports everyone else filed in between, however few (秘匿処理).
      for (let attempt = 1; ; attempt += 1) {
        try {
          const [row] = await sql<AbuseReportRow[]>`
            insert into child_dv.abuse_report
              (person_id, reporter_agency_id, kind, urgency, receiving_agency_id, summary, municipality_code,
               receipt_number)
            values (${input.personId}, ${input.reporterAgencyId}, ${input.kind}, ${input.urgency},
                    ${input.receivingAgencyId}, ${input.summary}, ${input.municipalityCode}, ${randomReceipt()})
            returning *`;
          return row!;
        } catch (error) {
          const taken = (error as { constraint_name?: string }).constraint_name === 'abuse_report_receipt_idx';
          if (!taken || attempt >= 5) throw error;
        }
      }
    },

    /** The reports addressed to one agency, most urgent and oldest first. */
    urgentReports(receivingAgencyId: string, status: string | null): Promise<AbuseReportRow[]> {
      return sql<AbuseReportRow[]>`
        select * from child_dv.abuse_report
        where receiving_agency_id = ${receivingAgencyId} and (${status}::text is null or status = ${status})
        order by array_position(${URGENCY_ORDER}::text[], urgency), reported_at, receipt_number`;
    },

    /**
     * Null when no such report is addressed to the agency (another agency's report is not revealed);
     * a closed report stays closed.
     */
    async triageAbuseReport(input: {
      reportId: string;
      receivingAgencyId: string;
      status: string;
      note: string | null;
    }): Promise<AbuseReportRow | 'CLOSED' | null> {
      return sql.begin(async (tx) => {
        const [current] = await tx<AbuseReportRow[]>`
          select * from child_dv.abuse_report
          where id = ${input.reportId}::uuid and receiving_agency_id = ${input.receivingAgencyId}
          for update`;
        if (!current) return null;
        if (current.status === 'CLOSED') return 'CLOSED' as const;
        const [row] = await tx<AbuseReportRow[]>`
          update child_dv.abuse_report
          set status = ${input.status}, triaged_at = now(), triage_note = coalesce(${input.note}::text, triage_note)
          where id = ${current.id}
          returning *`;
        return row!;
      });
    },

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
          insert into child_dv.dv_transfer (dv_case_id, from_agency_id, to_agency_id, to_municipality_code, note)
          values (${current.id}, ${input.fromAgencyId}, ${input.toAgencyId}, ${input.toMunicipalityCode}, ${input.note})`;
        // Unnamed, it is the destination's only municipality, which child-dv is not told (005_dv_case_municipality.sql).
        const [row] = await tx<DvCaseRow[]>`
          update child_dv.dv_case set agency_id = ${input.toAgencyId}, municipality_code = ${input.toMunicipalityCode}
          where id = ${current.id} returning *`;
        return row!;
      });
    },

    /**
     * Null when the person has no such case held by the agency (another agency's case is not revealed); a
     * closed case stays closed. Fields not given stay as they were.
     */
    async updateChildWelfareCase(input: {
      personId: string;
      caseId: string;
      agencyId: string;
      status: string;
      registeredWithCouncil: boolean | null;
      summary: string | null;
    }): Promise<ChildWelfareCaseRow | 'CLOSED' | null> {
      return sql.begin(async (tx) => {
        const [current] = await tx<ChildWelfareCaseRow[]>`
          select * from child_dv.child_welfare_case
          where id = ${input.caseId}::uuid and person_id = ${input.personId}::uuid and agency_id = ${input.agencyId}
          for update`;
        if (!current) return null;
        if (current.status === 'CLOSED') return 'CLOSED' as const;
        const [row] = await tx<ChildWelfareCaseRow[]>`
          update child_dv.child_welfare_case
          set status = ${input.status},
              registered_with_council = coalesce(${input.registeredWithCouncil}::boolean, registered_with_council),
              summary = coalesce(${input.summary}::text, summary)
          where id = ${current.id}
          returning *`;
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

    async openChildWelfareCase(input: {
      personId: string;
      classification: string;
      agencyId: string;
      registeredWithCouncil: boolean;
      summary: string | null;
    }): Promise<ChildWelfareCaseRow> {
      const [row] = await sql<ChildWelfareCaseRow[]>`
        insert into child_dv.child_welfare_case (person_id, classification, agency_id, registered_with_council, summary)
        values (${input.personId}, ${input.classification}, ${input.agencyId}, ${input.registeredWithCouncil},
                ${input.summary})
        returning *`;
      return row!;
    },

    async openDvCase(input: {
      personId: string;
      agencyId: string;
      formerMunicipalityCode: string | null;
      protectionOrder: boolean;
      summary: string | null;
      municipalityCode: string | null;
    }): Promise<DvCaseRow> {
      // One open case per person: a second would take the first's place in Person.dvCase, whereabouts and
      // all, and a transfer would move one and leave the other open where she lived.
      const [row] = await sql<DvCaseRow[]>`
        insert into child_dv.dv_case
          (person_id, agency_id, former_municipality_code, protection_order, summary, municipality_code)
        select ${input.personId}, ${input.agencyId}, ${input.formerMunicipalityCode}, ${input.protectionOrder},
               ${input.summary}, ${input.municipalityCode}
        where not exists (
          select 1 from child_dv.dv_case where person_id = ${input.personId} and status <> 'CLOSED')
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

export type ChildDvStore = ReturnType<typeof createStore>;

/**
 * A DV transfer moved the person (relocation.ts in @hub/platform): her abuse reports and DV cases count where she now lives,
 * so the agencies of the town she left no longer act on them by id nor count them.
 */
export const relocate = relocateIn([{ table: 'child_dv.abuse_report' }, { table: 'child_dv.dv_case' }]);

/** 受付番号: R- and eight digits, drawn at random. */
function randomReceipt(): string {
  return `R-${randomInt(100_000_000).toString().padStart(8, '0')}`;
}
