// Persons, their households and their consultations (相談受付): who the welfare system supports and how
// each contact began.

import { ERRORS, manyEach, oneEach, recordsByPerson, validUuids, type Sql } from '@hub/platform';

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

export interface RegisterPersonInput {
  name: string;
  nameKana: string;
  birthDate: string;
  address?: string | null;
  phone?: string | null;
  municipalityCode: string;
  householdId?: string | null;
}

export function createPeopleStore(sql: Sql) {
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

    /**
     * A household is joined only where the caller serves every member already in it: one of another
     * municipality is answered as an id that names no household, and its members and flags stay out of reach.
     */
    async registerPerson(input: RegisterPersonInput, jurisdiction: readonly string[]): Promise<PersonRow> {
      if (input.householdId) {
        const [household] = await sql`
          select 1 from welfare.household h
          where h.id = ${input.householdId}::uuid
            and not exists (
              select 1 from welfare.person p
              where p.household_id = h.id and p.municipality_code <> all(${[...jurisdiction]}::text[]))`;
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

    async personExists(id: string): Promise<boolean> {
      const [row] = await sql`select 1 from welfare.person where id = ${id}::uuid`;
      return Boolean(row);
    },
  };
}
