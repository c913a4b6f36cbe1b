// The welfare system's SQL: the only code that reads or writes the welfare schema.
// Loaders batch every lookup of a request into one statement per kind.

import { ERRORS, manyEach, recordsByPerson, oneEach, validUuids, type Sql } from '@hub/platform';

export interface PersonRow {
  id: string;
  name: string;
  nameKana: string;
  birthDate: Date;
  address: string | null;
  phone: string | null;
  municipalityCode: string;
  householdId: string | null;
}

export interface HouseholdRow {
  id: string;
  flags: string[];
  summary: string | null;
}

export interface ConsultationRow {
  id: string;
  personId: string;
  agencyId: string;
  receivedAt: Date;
  channel: string;
  agencyKind: string;
  summary: string | null;
}

export interface CaseRow {
  id: string;
  personId: string;
  status: string;
  issues: string[];
  leadAgencyId: string;
  openedAt: Date;
  closedAt: Date | null;
}

export interface SupportPlanRow {
  id: string;
  caseId: string;
  version: number;
  goals: string[];
  roles: { agencyId: string; role: string }[];
  createdAt: Date;
  reviewOn: Date | null;
}

export interface OutreachRow {
  id: string;
  personId: string;
  agencyId: string;
  contactedAt: Date;
  method: string;
  relationshipStage: string;
  note: string | null;
}

export interface HikikomoriRow {
  id: string;
  personId: string;
  withdrawnSince: number | null;
  stage: string;
  agencyId: string;
  familyClassAttendance: number;
  peerSupporterVisits: number;
  placeId: string | null;
  history: { on: string; note: string }[];
}

export interface CommunityPlaceRow {
  id: string;
  name: string;
  kind: string;
  operator: string;
  location: string;
  openDays: string;
}

export interface RegisterPersonInput {
  name: string;
  nameKana: string;
  birthDate: string;
  address?: string | null;
  phone?: string | null;
  municipalityCode: string;
  householdId?: string | null;
}

export function createStore(sql: Sql) {
  return {
    person: oneEach<string, PersonRow>(
      (ids) => sql<PersonRow[]>`select * from welfare.person where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),
    household: oneEach<string, HouseholdRow>(
      (ids) => sql<HouseholdRow[]>`select * from welfare.household where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),
    householdMembers: manyEach<string, PersonRow>(
      (ids) =>
        sql<PersonRow[]>`
          select * from welfare.person where household_id = any(${validUuids(ids)}::uuid[])
          order by birth_date`,
      (row) => row.householdId ?? '',
    ),
    consultations: recordsByPerson(
      (ids) => sql<ConsultationRow[]>`
        select * from welfare.consultation where person_id = any(${ids}::uuid[]) order by received_at`,
    ),
    cases: recordsByPerson(
      (ids) => sql<CaseRow[]>`
        select * from welfare.support_case where person_id = any(${ids}::uuid[]) order by opened_at`,
    ),
    currentPlan: oneEach<string, SupportPlanRow>(
      (caseIds) => sql<SupportPlanRow[]>`
        select distinct on (case_id) * from welfare.support_plan
        where case_id = any(${validUuids(caseIds)}::uuid[])
        order by case_id, version desc`,
      (row) => row.caseId,
    ),
    outreachRecords: recordsByPerson(
      (ids) => sql<OutreachRow[]>`
        select * from welfare.outreach_record where person_id = any(${ids}::uuid[]) order by contacted_at`,
    ),
    hikikomoriSupport: oneEach<string, HikikomoriRow>(
      (ids) => sql<HikikomoriRow[]>`
        select * from welfare.hikikomori_support where person_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.personId,
    ),
    communityPlace: oneEach<string, CommunityPlaceRow>(
      (ids) => sql<CommunityPlaceRow[]>`
        select * from welfare.community_place where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),

    communityPlaces(kind: string | null): Promise<CommunityPlaceRow[]> {
      return sql<CommunityPlaceRow[]>`
        select * from welfare.community_place
        ${kind ? sql`where kind = ${kind}` : sql``}
        order by name`;
    },

    async registerPerson(input: RegisterPersonInput): Promise<PersonRow> {
      if (input.householdId) {
        const [household] = await sql`select 1 from welfare.household where id = ${input.householdId}::uuid`;
        if (!household) throw ERRORS.NOT_FOUND.err('No household with that id', { argument: 'householdId' });
      }
      const [row] = await sql<PersonRow[]>`
        insert into welfare.person (name, name_kana, birth_date, address, phone, municipality_code, household_id)
        values (${input.name}, ${input.nameKana}, ${input.birthDate}, ${input.address ?? null},
                ${input.phone ?? null}, ${input.municipalityCode}, ${input.householdId ?? null})
        returning *`;
      return row!;
    },

    async recordConsultation(input: {
      personId: string;
      agencyId: string;
      channel: string;
      agencyKind: string;
      summary?: string | null;
    }): Promise<ConsultationRow> {
      const [row] = await sql<ConsultationRow[]>`
        insert into welfare.consultation (person_id, agency_id, channel, agency_kind, summary)
        values (${input.personId}, ${input.agencyId}, ${input.channel}, ${input.agencyKind}, ${input.summary ?? null})
        returning *`;
      return row!;
    },

    async openCase(input: { personId: string; leadAgencyId: string; issues: string[] }): Promise<CaseRow> {
      const [row] = await sql<CaseRow[]>`
        insert into welfare.support_case (person_id, lead_agency_id, issues)
        values (${input.personId}, ${input.leadAgencyId}, ${input.issues})
        returning *`;
      return row!;
    },

    async recordOutreach(input: {
      personId: string;
      agencyId: string;
      method: string;
      relationshipStage: string;
      note?: string | null;
    }): Promise<OutreachRow> {
      const [row] = await sql<OutreachRow[]>`
        insert into welfare.outreach_record (person_id, agency_id, method, relationship_stage, note)
        values (${input.personId}, ${input.agencyId}, ${input.method}, ${input.relationshipStage}, ${input.note ?? null})
        returning *`;
      return row!;
    },

    async personExists(id: string): Promise<boolean> {
      const [row] = await sql`select 1 from welfare.person where id = ${id}::uuid`;
      return Boolean(row);
    },
  };
}

export type WelfareStore = ReturnType<typeof createStore>;
