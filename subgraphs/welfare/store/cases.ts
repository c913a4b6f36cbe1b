// Support cases (支援ケース) and their lifecycle: opening, each step of the flow with its history, the
// versions of the support plan and their reviews, and closure with who took part in it.

import { ERRORS, manyEach, oneEach, recordsByPerson, validUuids, type Sql, type TransactionSql } from '@hub/platform';
import {
  DRAFTING_STATUSES,
  OUTCOME_STATUS,
  requireTransition,
  type CaseStatus,
  type ReviewOutcome,
} from '../lifecycle.js';

export interface CaseRow {
  id: string;
  personId: string;
  status: string;
  issues: string[];
  leadAgencyId: string;
  openedAt: Date;
  closedAt: Date | null;
  suspendedFrom: CaseStatus | null;
  closureReason: string | null;
  closureParticipantAgencyIds: string[] | null;
  closedBy: string | null;
}

export interface CaseEventRow {
  id: string;
  caseId: string;
  at: Date;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  agencyId: string;
  note: string | null;
  /** The issues the entry added to the case (addCaseIssues), its status the same before and after; [] for a change of status. */
  addedIssues: string[];
}

export interface PlanReviewRow {
  id: string;
  caseId: string;
  planVersion: number;
  reviewedAt: Date;
  outcome: ReviewOutcome;
  participantAgencyIds: string[];
  agencyId: string;
  note: string | null;
}

export type RoleAssignment = {
  agencyId: string;
  role: string;
  /** Absent in plans drafted before roles named their issues. */
  issues?: string[];
};

export interface SupportPlanRow {
  id: string;
  caseId: string;
  version: number;
  goals: string[];
  roles: RoleAssignment[];
  createdAt: Date;
  reviewOn: Date | null;
  draftedBy: string | null;
}

/** A change of a case, by a welfare agency serving `jurisdiction` (the municipalities it acts in). */
interface CaseChange {
  caseId: string;
  agencyId: string;
  jurisdiction: readonly string[];
}

export interface DraftSupportPlanInput extends CaseChange {
  goals: string[];
  roles: RoleAssignment[];
  reviewOn?: string | null;
}

export interface Closure {
  reason: string | null;
  participantAgencyIds: string[];
}

/**
 * Locks the case's row for the transaction: two changes of one case queue up instead of racing. A case
 * counted in a municipality the caller does not serve is answered as an id that names no case (CONTRACT.md
 * v2: an agency acts for a person only within its jurisdiction), so no agency learns which cases exist elsewhere.
 */
async function lockCase(tx: TransactionSql, caseId: string, jurisdiction: readonly string[]): Promise<CaseRow> {
  const [row] = await tx<CaseRow[]>`
    select * from welfare.support_case
    where id = ${caseId}::uuid and municipality_code = any(${[...jurisdiction]}::text[])
    for update`;
  if (!row) throw ERRORS.NOT_FOUND.err('No case with that id', { argument: 'caseId' });
  return row;
}

/** Moves a locked case to `to` if the flow allows it, and records the change in its history. */
async function moveCase(
  tx: TransactionSql,
  current: CaseRow,
  to: CaseStatus,
  change: { agencyId: string; note: string | null; closure?: Closure },
  argument = 'to',
): Promise<CaseRow> {
  const { suspendedFrom } = requireTransition(current.status as CaseStatus, to, current.suspendedFrom, argument);
  if (to === 'ACTIVE') {
    // A plan drafted since the case last went to REPLAN: a re-plan (再プラン) drafts the plan again. Resuming a
    // re-plan that was suspended (SUSPENDED → REPLAN) starts none: a plan drafted before the pause counts.
    const [plan] = await tx`
      select 1 from welfare.support_plan p
      where p.case_id = ${current.id}::uuid
        and p.created_at > coalesce(
          (select max(e.at) from welfare.case_event e
           where e.case_id = p.case_id and e.to_status = 'REPLAN' and e.from_status is distinct from 'SUSPENDED'
             and cardinality(e.added_issues) = 0),
          '-infinity'::timestamptz)
      limit 1`;
    if (!plan) {
      throw ERRORS.BAD_USER_INPUT.err(
        'Support starts only once the case has a support plan, drafted again after a re-plan',
        {
          reason: 'NO_SUPPORT_PLAN',
          argument: 'to',
        },
      );
    }
  }
  const closing = to === 'CLOSED';
  const [row] = await tx<CaseRow[]>`
    update welfare.support_case
    set status = ${to},
        suspended_from = ${suspendedFrom},
        closed_at = ${closing ? tx`now()` : tx`closed_at`},
        closure_reason = ${closing ? (change.closure?.reason ?? null) : null},
        closure_participant_agency_ids = ${closing ? (change.closure?.participantAgencyIds ?? []) : null},
        closed_by = ${closing ? change.agencyId : null}
    where id = ${current.id}::uuid
    returning *`;
  await tx`
    insert into welfare.case_event (case_id, from_status, to_status, agency_id, note)
    values (${current.id}, ${current.status}, ${to}, ${change.agencyId}, ${change.note})`;
  return row!;
}

export function createCaseStore(sql: Sql) {
  return {
    cases: recordsByPerson(
      (ids) => sql<CaseRow[]>`
        select * from welfare.support_case where person_id = any(${ids}::uuid[]) order by opened_at`,
    ),
    /** The person a case is about, by case id: a plan or a review names its case only. */
    caseOwner: oneEach<string, { id: string; personId: string }>(
      (caseIds) => sql<{ id: string; personId: string }[]>`
        select id, person_id from welfare.support_case where id = any(${validUuids(caseIds)}::uuid[])`,
      (row) => row.id,
    ),
    currentPlan: oneEach<string, SupportPlanRow>(
      (caseIds) => sql<SupportPlanRow[]>`
        select distinct on (case_id) * from welfare.support_plan
        where case_id = any(${validUuids(caseIds)}::uuid[])
        order by case_id, version desc`,
      (row) => row.caseId,
    ),
    planHistory: manyEach<string, SupportPlanRow>(
      (caseIds) => sql<SupportPlanRow[]>`
        select * from welfare.support_plan where case_id = any(${validUuids(caseIds)}::uuid[])
        order by case_id, version`,
      (row) => row.caseId,
    ),
    planReviews: manyEach<string, PlanReviewRow>(
      (caseIds) => sql<PlanReviewRow[]>`
        select * from welfare.plan_review where case_id = any(${validUuids(caseIds)}::uuid[]) order by seq`,
      (row) => row.caseId,
    ),
    caseEvents: manyEach<string, CaseEventRow>(
      (caseIds) => sql<CaseEventRow[]>`
        select * from welfare.case_event where case_id = any(${validUuids(caseIds)}::uuid[]) order by seq`,
      (row) => row.caseId,
    ),

    openCase(input: {
      personId: string;
      leadAgencyId: string;
      issues: string[];
      municipalityCode: string | null;
    }): Promise<CaseRow> {
      // One case a person (migration 006): her agencies work the one she has, through its plan; a second would
      // split the plan and the meeting record. The unique index holds it when agencies open her case at the
      // same instant (the second waits for the first and opens none); the check beside it sees, too, a case
      // an older database held beside another (open_beside_another), which the index leaves out.
      return sql.begin(async (tx) => {
        const [row] = await tx<CaseRow[]>`
          insert into welfare.support_case (person_id, lead_agency_id, issues, municipality_code)
          select ${input.personId}::uuid, ${input.leadAgencyId}::text, ${input.issues}::text[],
                 ${input.municipalityCode}::text
          where not exists (
            select 1 from welfare.support_case
            where person_id = ${input.personId}::uuid and status <> 'CLOSED')
          on conflict (person_id) where status <> 'CLOSED' and not open_beside_another do nothing
          returning *`;
        if (!row) {
          throw ERRORS.BAD_USER_INPUT.err(
            'The person already has a case that is not closed: its agencies work that one',
            {
              argument: 'personId',
              reason: 'CASE_ALREADY_OPEN',
            },
          );
        }
        await tx`
          insert into welfare.case_event (case_id, from_status, to_status, agency_id)
          values (${row!.id}, null, ${row!.status}, ${input.leadAgencyId})`;
        return row!;
      });
    },

    /** Any step of the flow but closure, which needs the participants closeCase or a review records. */
    advanceCase(input: CaseChange & { to: CaseStatus; note: string | null }): Promise<CaseRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId, input.jurisdiction);
        if (input.to === 'CLOSED') {
          requireTransition(current.status as CaseStatus, input.to, current.suspendedFrom);
          throw ERRORS.BAD_USER_INPUT.err(
            'A case is closed by closeCase or reviewSupportPlan, which record who took part in the closing evaluation',
            { reason: 'CLOSURE_NEEDS_PARTICIPANTS', argument: 'to' },
          );
        }
        return moveCase(tx, current, input.to, input);
      });
    },

    /**
     * 課題の追加: issues found after the case was opened join it, each once, in any status but CLOSED (a closed
     * case's issues are what it closed on). The history records the addition with the issues it added.
     */
    addCaseIssues(input: CaseChange & { issues: string[]; note: string | null }): Promise<CaseRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId, input.jurisdiction);
        if (current.status === 'CLOSED') {
          throw ERRORS.BAD_USER_INPUT.err('A closed case takes no new issue: a new case is opened for it', {
            reason: 'CASE_CLOSED',
            argument: 'caseId',
          });
        }
        const added = input.issues.filter((issue) => !current.issues.includes(issue));
        // Nothing new: nothing changes and nothing is recorded, so the same request sent again adds no entry.
        if (!added.length) return current;
        const [row] = await tx<CaseRow[]>`
          update welfare.support_case set issues = issues || ${added}::text[]
          where id = ${current.id}::uuid
          returning *`;
        await tx`
          insert into welfare.case_event (case_id, from_status, to_status, agency_id, note, added_issues)
          values (${current.id}, ${current.status}, ${current.status}, ${input.agencyId}, ${input.note},
                  ${added}::text[])`;
        return row!;
      });
    },

    /** A new version of the plan, in planning or re-planning; the versions before it are kept. */
    draftSupportPlan(input: DraftSupportPlanInput): Promise<SupportPlanRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId, input.jurisdiction);
        if (!DRAFTING_STATUSES.has(current.status as CaseStatus)) {
          throw ERRORS.BAD_USER_INPUT.err(`A support plan is drafted in PLANNING or REPLAN, not ${current.status}`, {
            reason: 'NOT_IN_PLANNING',
            argument: 'caseId',
          });
        }
        const [row] = await tx<SupportPlanRow[]>`
          insert into welfare.support_plan (case_id, version, goals, roles, review_on, drafted_by)
          select ${input.caseId}, coalesce(max(version), 0) + 1, ${input.goals}, ${tx.json(input.roles)},
                 ${input.reviewOn ?? null}, ${input.agencyId}
          from welfare.support_plan where case_id = ${input.caseId}::uuid
          returning *`;
        return row!;
      });
    },

    /** 別添2 6(1): the review records who took part; its outcome moves the case (CONTINUE keeps it). */
    reviewSupportPlan(
      input: CaseChange & { participantAgencyIds: string[]; outcome: ReviewOutcome; note: string | null },
    ): Promise<PlanReviewRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId, input.jurisdiction);
        if (current.status !== 'MONITORING') {
          throw ERRORS.BAD_USER_INPUT.err(`A support plan is reviewed in MONITORING, not ${current.status}`, {
            reason: 'NOT_IN_MONITORING',
            argument: 'caseId',
          });
        }
        const [plan] = await tx<{ version: number }[]>`
          select max(version) as version from welfare.support_plan where case_id = ${input.caseId}::uuid`;
        const [review] = await tx<PlanReviewRow[]>`
          insert into welfare.plan_review (case_id, plan_version, outcome, participant_agency_ids, agency_id, note)
          values (${input.caseId}, ${plan?.version ?? 0}, ${input.outcome}, ${input.participantAgencyIds},
                  ${input.agencyId}, ${input.note})
          returning *`;
        const to = OUTCOME_STATUS[input.outcome];
        if (to) {
          await moveCase(tx, current, to, {
            agencyId: input.agencyId,
            note: input.note,
            closure: { reason: input.note, participantAgencyIds: input.participantAgencyIds },
          });
        }
        return review!;
      });
    },

    closeCase(input: CaseChange & { participantAgencyIds: string[]; reason: string }) {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId, input.jurisdiction);
        return moveCase(
          tx,
          current,
          'CLOSED',
          {
            agencyId: input.agencyId,
            note: input.reason,
            closure: { reason: input.reason, participantAgencyIds: input.participantAgencyIds },
          },
          'caseId',
        );
      });
    },
  };
}
