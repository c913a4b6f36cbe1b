// Persons, their households and their consultations (相談受付): who the welfare system supports and how
// each contact began.

import {
  ERRORS,
  manyEach,
  oneEach,
  recordsByPerson,
  requireTimeToCommit,
  validUuids,
  type SignedCaller,
  type Sql,
  type TransactionSql,
} from '@hub/platform';

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

/** 世帯: the person and the 20 others recordHousehold names at most. A household, not a register. */
export const MAX_HOUSEHOLD_SIZE = 21;

/**
 * Holds a household's row to the end of the transaction: what adds to a household holds it first, so one
 * counting its members counts those another added a moment before, and two together never pass the bound.
 */
async function holdHousehold(tx: TransactionSql, householdId: string): Promise<boolean> {
  const [held] = await tx`select 1 from welfare.household where id = ${householdId}::uuid for update`;
  return Boolean(held);
}

/** Whether a member of the household is registered where the caller does not serve. */
async function memberElsewhere(
  tx: TransactionSql,
  householdId: string,
  jurisdiction: readonly string[],
): Promise<boolean> {
  const [elsewhere] = await tx`
    select 1 from welfare.person
    where household_id = ${householdId}::uuid and municipality_code <> all(${[...jurisdiction]}::text[])
    limit 1`;
  return Boolean(elsewhere);
}

async function householdSize(tx: TransactionSql, householdId: string): Promise<number> {
  const [row] = await tx<{ members: number }[]>`
    select count(*)::int as members from welfare.person where household_id = ${householdId}::uuid`;
  return row!.members;
}

/**
 * The household a new resident joins, held: one the caller serves every member of (one of another
 * municipality is answered as an id that names no household, its members and flags out of reach), with room
 * for her (OUT_OF_RANGE past MAX_HOUSEHOLD_SIZE).
 */
async function joinableHousehold(
  tx: TransactionSql,
  householdId: string,
  jurisdiction: readonly string[],
): Promise<void> {
  const held = await holdHousehold(tx, householdId);
  const elsewhere = held && (await memberElsewhere(tx, householdId, jurisdiction));
  if (!held || elsewhere) throw ERRORS.NOT_FOUND.err('No household with that id', { argument: 'householdId' });
  if ((await householdSize(tx, householdId)) >= MAX_HOUSEHOLD_SIZE) {
    throw ERRORS.BAD_USER_INPUT.err(`A household holds at most ${MAX_HOUSEHOLD_SIZE} residents`, {
      reason: 'OUT_OF_RANGE',
      argument: 'householdId',
    });
  }
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

    async registerPerson(
      input: RegisterPersonInput,
      caller: Pick<SignedCaller, 'jurisdiction' | 'deadline'>,
    ): Promise<PersonRow> {
      // The hub's register learns her from this answer: one the gateway no longer waits for is not written.
      return sql.begin(async (tx) => {
        if (input.householdId) await joinableHousehold(tx, input.householdId, caller.jurisdiction);
        const [row] = await tx<PersonRow[]>`
          insert into welfare.person (name, name_kana, birth_date, address, phone, municipality_code, household_id)
          values (${input.name}, ${input.nameKana}, ${input.birthDate}, ${input.address ?? null},
                  ${input.phone ?? null}, ${input.municipalityCode}, ${input.householdId ?? null})
          returning *`;
        requireTimeToCommit(caller);
        return row!;
      });
    },

    /**
     * 世帯の記録: the household the person lives in, with the other residents named, and its situations. All
     * are residents the caller serves (as any member of a household it records already); one in another
     * household is not moved out of it (ALREADY_IN_HOUSEHOLD). A person without a household gets a new one;
     * one with a household gets the others added, and its flags and summary replaced. One transaction.
     */
    recordHousehold(
      input: { personId: string; otherMemberIds: readonly string[]; flags: readonly string[]; summary: string | null },
      jurisdiction: readonly string[],
    ): Promise<PersonRow> {
      return sql.begin(async (tx) => {
        const ids = [input.personId, ...input.otherMemberIds];
        const people = await tx<PersonRow[]>`
          select * from welfare.person where id = any(${ids}::uuid[]) order by id for update`;
        const byId = new Map(people.map((person) => [person.id, person]));
        const served = (id: string) => {
          const person = byId.get(id);
          return person !== undefined && jurisdiction.includes(person.municipalityCode);
        };
        // A resident the caller does not serve is answered as one it cannot know of, alike for an unknown id.
        // For `otherMemberIds` this is the only check anywhere: the gateway decides a mutation's jurisdiction
        // on `input.personId` alone (gateway/src/enforce/mutations.ts). It stays here, in the transaction that
        // reads the residents named, locked, from the register that says where each is registered.
        for (const id of ids) {
          if (served(id)) continue;
          throw ERRORS.FORBIDDEN.err(
            'The calling agency does not serve the municipality this person is registered in',
            {
              reason: 'OUTSIDE_JURISDICTION',
              argument: id === input.personId ? 'personId' : 'otherMemberIds',
              personId: id,
            },
          );
        }
        let householdId = byId.get(input.personId)!.householdId;
        if (householdId) {
          await holdHousehold(tx, householdId);
          if (await memberElsewhere(tx, householdId, jurisdiction)) {
            throw ERRORS.FORBIDDEN.err('The calling agency does not serve every member of this household', {
              reason: 'OUTSIDE_JURISDICTION',
              argument: 'personId',
            });
          }
        }
        const taken = input.otherMemberIds.find((id) => {
          const theirs = byId.get(id)!.householdId;
          return theirs !== null && theirs !== householdId;
        });
        if (taken) {
          throw ERRORS.BAD_USER_INPUT.err('A resident named lives in another household', {
            reason: 'ALREADY_IN_HOUSEHOLD',
            argument: 'otherMemberIds',
            personId: taken,
          });
        }
        const joining = ids.filter((id) => byId.get(id)!.householdId !== householdId).length;
        const members = householdId ? await householdSize(tx, householdId) : 0;
        if (members + joining > MAX_HOUSEHOLD_SIZE) {
          throw ERRORS.BAD_USER_INPUT.err(`A household holds at most ${MAX_HOUSEHOLD_SIZE} residents`, {
            reason: 'OUT_OF_RANGE',
            argument: 'otherMemberIds',
          });
        }
        if (householdId) {
          await tx`
            update welfare.household set flags = ${[...input.flags]}::text[], summary = ${input.summary}
            where id = ${householdId}::uuid`;
        } else {
          const [household] = await tx<{ id: string }[]>`
            insert into welfare.household (flags, summary) values (${[...input.flags]}::text[], ${input.summary})
            returning id`;
          householdId = household!.id;
        }
        await tx`update welfare.person set household_id = ${householdId}::uuid where id = any(${ids}::uuid[])`;
        const [row] = await tx<PersonRow[]>`select * from welfare.person where id = ${input.personId}::uuid`;
        return row!;
      });
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
