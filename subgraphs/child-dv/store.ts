// The child-welfare and DV system's SQL: the only code that reads or writes the child_dv schema.
// Loaders batch every lookup of a request into one statement per kind.

import { recordsByPerson, oneEach, validUuids, type Sql } from '@hub/platform';

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
}

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
    childWelfareCases: recordsByPerson(
      (ids) => sql<ChildWelfareCaseRow[]>`
        select * from child_dv.child_welfare_case where person_id = any(${ids}::uuid[]) order by opened_at`,
    ),
    abuseReports: recordsByPerson(
      (ids) => sql<AbuseReportRow[]>`
        select * from child_dv.abuse_report where person_id = any(${ids}::uuid[]) order by reported_at`,
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
    }): Promise<AbuseReportRow> {
      const [row] = await sql<AbuseReportRow[]>`
        insert into child_dv.abuse_report (person_id, reporter_agency_id, kind, urgency, receiving_agency_id, summary)
        values (${input.personId}, ${input.reporterAgencyId}, ${input.kind}, ${input.urgency},
                ${input.receivingAgencyId}, ${input.summary})
        returning *`;
      return row!;
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
    }): Promise<DvCaseRow> {
      const [row] = await sql<DvCaseRow[]>`
        insert into child_dv.dv_case (person_id, agency_id, former_municipality_code, protection_order, summary)
        values (${input.personId}, ${input.agencyId}, ${input.formerMunicipalityCode}, ${input.protectionOrder},
                ${input.summary})
        returning *`;
      return row!;
    },

    /** Null when no such case is held by the agency: the address is written only into the holder's own case. */
    async recordWhereabouts(input: {
      dvCaseId: string;
      agencyId: string;
      municipalityCode: string;
      address: string;
      shelterName: string | null;
      since: string;
    }): Promise<WhereaboutsRow | null> {
      const [row] = await sql<WhereaboutsRow[]>`
        insert into child_dv.protected_whereabouts (dv_case_id, municipality_code, address, shelter_name, since)
        select id, ${input.municipalityCode}::text, ${input.address}::text, ${input.shelterName}::text, ${input.since}::date
        from child_dv.dv_case where id = ${input.dvCaseId}::uuid and agency_id = ${input.agencyId}
        returning *`;
      return row ?? null;
    },
  };
}

export type ChildDvStore = ReturnType<typeof createStore>;
