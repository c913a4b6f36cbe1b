// Child-welfare cases (児童福祉の相談・支援): their SQL in the child_dv schema.

import { recordsByPerson, type Sql } from '@hub/platform';

export interface ChildWelfareCaseRow {
  id: string;
  personId: string;
  classification: string;
  status: string;
  openedAt: Date;
  /** 終結: when it was closed, set by the table's trigger as its status becomes CLOSED (migration 007). */
  closedAt: Date | null;
  agencyId: string;
  registeredWithCouncil: boolean;
  summary: string | null;
}

export function createChildWelfareStore(sql: Sql) {
  return {
    childWelfareCases: recordsByPerson(
      (ids) => sql<ChildWelfareCaseRow[]>`
        select * from child_dv.child_welfare_case where person_id = any(${ids}::uuid[]) order by opened_at`,
    ),

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
  };
}
