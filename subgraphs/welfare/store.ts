// The welfare system's SQL: the only code that reads or writes the welfare schema.
// Loaders batch every lookup of a request into one statement per kind.

import {
  countsOf,
  ERRORS,
  manyEach,
  oneEach,
  recordsByPerson,
  suppressTable,
  validUuids,
  type Sql,
  type TransactionSql,
} from '@hub/platform';
import {
  homeVisitBeforeTrust,
  requireNextStage,
  todayInJapan,
  TRUSTED_STAGES,
  type HikikomoriStage,
} from './outreach.js';
import {
  DRAFTING_STATUSES,
  OUTCOME_STATUS,
  requireTransition,
  type CaseStatus,
  type ReviewOutcome,
} from './lifecycle.js';

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
  history: HikikomoriEventRow[];
}

export type HikikomoriEventRow = {
  on: string;
  note: string;
  /** Only on entries that moved the support to a stage. */
  stage?: HikikomoriStage;
  /** Only on a peer supporter's visit. */
  supporterName?: string | null;
};

export interface OutreachInput {
  personId: string;
  agencyId: string;
  method: string;
  relationshipStage: string;
  note: string | null;
  supporterName?: string | null;
}

export interface ParticipationProfileRow {
  personId: string;
  wishes: string[];
  maxHoursPerWeek: number | null;
  setting: string;
  nearArea: string | null;
  notes: string | null;
  agencyId: string;
  updatedAt: Date;
}

export type ParticipationProfileInput = Omit<ParticipationProfileRow, 'updatedAt'>;

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

export interface DraftSupportPlanInput {
  caseId: string;
  goals: string[];
  roles: RoleAssignment[];
  reviewOn?: string | null;
  agencyId: string;
}

export interface Closure {
  reason: string | null;
  participantAgencyIds: string[];
}

/** Locks the case's row for the transaction: two changes of one case queue up instead of racing. */
async function lockCase(tx: TransactionSql, caseId: string): Promise<CaseRow> {
  const [row] = await tx<CaseRow[]>`select * from welfare.support_case where id = ${caseId}::uuid for update`;
  if (!row) throw ERRORS.NOT_FOUND.err('No case with that id', { argument: 'caseId' });
  return row;
}

/** Moves a locked case to `to` if the flow allows it, and records the change in its history. */
async function moveCase(
  tx: TransactionSql,
  current: CaseRow,
  to: CaseStatus,
  change: { agencyId: string; note: string | null; closure?: Closure },
): Promise<CaseRow> {
  const { suspendedFrom } = requireTransition(current.status as CaseStatus, to, current.suspendedFrom);
  if (to === 'ACTIVE') {
    const [plan] = await tx`select 1 from welfare.support_plan where case_id = ${current.id}::uuid limit 1`;
    if (!plan) {
      throw ERRORS.BAD_USER_INPUT.err('Support starts only once the case has a support plan', {
        reason: 'NO_SUPPORT_PLAN',
        argument: 'to',
      });
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

/**
 * Records an outreach contact: a home visit only after trust with the family (別添1 2(3)); a peer
 * supporter's visit is also counted in the person's hikikomori support, with an entry in its history.
 */
async function insertOutreach(tx: TransactionSql, input: OutreachInput): Promise<OutreachRow> {
  if (input.method === 'HOME_VISIT') {
    const [trusted] = await tx`
      select 1 from welfare.outreach_record
      where person_id = ${input.personId}::uuid and relationship_stage = any(${[...TRUSTED_STAGES]}::text[])
      limit 1`;
    if (!trusted) homeVisitBeforeTrust();
  }
  const [row] = await tx<OutreachRow[]>`
    insert into welfare.outreach_record (person_id, agency_id, method, relationship_stage, note)
    values (${input.personId}, ${input.agencyId}, ${input.method}, ${input.relationshipStage}, ${input.note})
    returning *`;
  if (input.method === 'PEER_SUPPORTER_VISIT') {
    const entry: HikikomoriEventRow = {
      on: todayInJapan(),
      note: input.note ?? 'ひきこもりサポーターの訪問',
      supporterName: input.supporterName ?? null,
    };
    await tx`
      update welfare.hikikomori_support
      set peer_supporter_visits = peer_supporter_visits + 1, history = history || ${tx.json([entry])}
      where person_id = ${input.personId}::uuid`;
  }
  return row!;
}

async function lockHikikomoriSupport(tx: TransactionSql, personId: string): Promise<HikikomoriRow> {
  const [row] = await tx<HikikomoriRow[]>`
    select * from welfare.hikikomori_support where person_id = ${personId}::uuid for update`;
  if (!row) {
    throw ERRORS.BAD_USER_INPUT.err('The person has no hikikomori support', {
      reason: 'NO_HIKIKOMORI_SUPPORT',
      argument: 'personId',
    });
  }
  return row;
}

const CASE_STATUSES = ['INTAKE', 'ASSESSMENT', 'PLANNING', 'ACTIVE', 'MONITORING', 'REPLAN', 'SUSPENDED', 'CLOSED'];
const CASE_ISSUES = [
  'LIVING',
  'ECONOMIC',
  'DEBT',
  'CARE',
  'CHILD_REARING',
  'EMPLOYMENT',
  'ISOLATION',
  'HIKIKOMORI',
  'MENTAL_HEALTH',
  'HOUSING',
  'ABUSE_DV',
  'DISABILITY',
];

export function createStore(sql: Sql) {
  return {
    /** The dashboard: cases by status and issue (a case counts once in its status's total), suppressed. */
    async caseDashboard(jurisdiction: readonly string[]) {
      const [cells, statuses] = await Promise.all([
        sql<{ row: string; column: string; count: string }[]>`
          select status as row, issue as column, count(*) as count
          from welfare.support_case, unnest(issues) as issue
          where municipality_code = any(${[...jurisdiction]})
          group by 1, 2`,
        sql<{ status: string; count: string }[]>`
          select status, count(*) as count from welfare.support_case
          where municipality_code = any(${[...jurisdiction]})
          group by 1`,
      ]);
      return suppressTable({
        rowDimension: 'caseStatus',
        columnDimension: 'caseIssue',
        rows: CASE_STATUSES,
        columns: CASE_ISSUES,
        counts: countsOf(cells),
        rowTotals: new Map(statuses.map((s) => [s.status, Number(s.count)])),
        total: statuses.reduce((sum, s) => sum + Number(s.count), 0),
      });
    },
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
    outreachRecords: recordsByPerson(
      (ids) => sql<OutreachRow[]>`
        select * from welfare.outreach_record where person_id = any(${ids}::uuid[]) order by contacted_at`,
    ),
    hikikomoriSupport: oneEach<string, HikikomoriRow>(
      (ids) => sql<HikikomoriRow[]>`
        select * from welfare.hikikomori_support where person_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.personId,
    ),
    participationProfile: oneEach<string, ParticipationProfileRow>(
      (ids) => sql<ParticipationProfileRow[]>`
        select * from welfare.participation_profile where person_id = any(${validUuids(ids)}::uuid[])`,
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

    openCase(input: {
      personId: string;
      leadAgencyId: string;
      issues: string[];
      municipalityCode: string | null;
    }): Promise<CaseRow> {
      return sql.begin(async (tx) => {
        const [row] = await tx<CaseRow[]>`
          insert into welfare.support_case (person_id, lead_agency_id, issues, municipality_code)
          values (${input.personId}, ${input.leadAgencyId}, ${input.issues}, ${input.municipalityCode})
          returning *`;
        await tx`
          insert into welfare.case_event (case_id, from_status, to_status, agency_id)
          values (${row!.id}, null, ${row!.status}, ${input.leadAgencyId})`;
        return row!;
      });
    },

    /** Any step of the flow but closure, which needs the participants closeCase or a review records. */
    advanceCase(input: { caseId: string; to: CaseStatus; agencyId: string; note: string | null }): Promise<CaseRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId);
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

    /** A new version of the plan, in planning or re-planning; the versions before it are kept. */
    draftSupportPlan(input: DraftSupportPlanInput): Promise<SupportPlanRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId);
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
    reviewSupportPlan(input: {
      caseId: string;
      participantAgencyIds: string[];
      outcome: ReviewOutcome;
      note: string | null;
      agencyId: string;
    }): Promise<PlanReviewRow> {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId);
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

    closeCase(input: { caseId: string; participantAgencyIds: string[]; reason: string; agencyId: string }) {
      return sql.begin(async (tx) => {
        const current = await lockCase(tx, input.caseId);
        return moveCase(tx, current, 'CLOSED', {
          agencyId: input.agencyId,
          note: input.reason,
          closure: { reason: input.reason, participantAgencyIds: input.participantAgencyIds },
        });
      });
    },

    recordOutreach(input: OutreachInput): Promise<OutreachRow> {
      return sql.begin((tx) => insertOutreach(tx, input));
    },

    /** Support begins with the family (FAMILY_SUPPORT); a person has one hikikomori support record. */
    startHikikomoriSupport(input: {
      personId: string;
      agencyId: string;
      withdrawnSince: number | null;
      placeId: string | null;
      note: string | null;
    }): Promise<HikikomoriRow> {
      return sql.begin(async (tx) => {
        if (input.placeId) {
          const [place] = await tx`select 1 from welfare.community_place where id = ${input.placeId}::uuid`;
          if (!place) throw ERRORS.NOT_FOUND.err('No place to belong with that id', { argument: 'placeId' });
        }
        const entry: HikikomoriEventRow = {
          on: todayInJapan(),
          note: input.note ?? 'ひきこもり支援の開始',
          stage: 'FAMILY_SUPPORT',
        };
        const [row] = await tx<HikikomoriRow[]>`
          insert into welfare.hikikomori_support (person_id, withdrawn_since, stage, agency_id, place_id, history)
          values (${input.personId}, ${input.withdrawnSince}, 'FAMILY_SUPPORT', ${input.agencyId}, ${input.placeId},
                  ${tx.json([entry])})
          on conflict (person_id) do nothing
          returning *`;
        if (!row) {
          throw ERRORS.BAD_USER_INPUT.err('The person already has hikikomori support', {
            reason: 'ALREADY_SUPPORTED',
            argument: 'personId',
          });
        }
        return row;
      });
    },

    /** 別添1 3(2): a peer supporter's visit, counted and recorded as outreach at the latest stage of trust. */
    recordPeerSupporterVisit(input: {
      personId: string;
      agencyId: string;
      supporterName: string | null;
      note: string;
      relationshipStage: string | null;
    }): Promise<HikikomoriRow> {
      return sql.begin(async (tx) => {
        await lockHikikomoriSupport(tx, input.personId);
        const [latest] = await tx<{ relationshipStage: string }[]>`
          select relationship_stage from welfare.outreach_record where person_id = ${input.personId}::uuid
          order by contacted_at desc limit 1`;
        await insertOutreach(tx, {
          ...input,
          method: 'PEER_SUPPORTER_VISIT',
          relationshipStage: input.relationshipStage ?? latest?.relationshipStage ?? 'FAMILY_CONTACT',
        });
        const [row] = await tx<HikikomoriRow[]>`
          select * from welfare.hikikomori_support where person_id = ${input.personId}::uuid`;
        return row!;
      });
    },

    advanceHikikomoriStage(input: {
      personId: string;
      to: HikikomoriStage;
      note: string | null;
    }): Promise<HikikomoriRow> {
      return sql.begin(async (tx) => {
        const current = await lockHikikomoriSupport(tx, input.personId);
        requireNextStage(current.stage as HikikomoriStage, input.to);
        const entry: HikikomoriEventRow = {
          on: todayInJapan(),
          note: input.note ?? '支援の段階が進んだ',
          stage: input.to,
        };
        const [row] = await tx<HikikomoriRow[]>`
          update welfare.hikikomori_support set stage = ${input.to}, history = history || ${tx.json([entry])}
          where person_id = ${input.personId}::uuid
          returning *`;
        return row!;
      });
    },

    /** One statement: the profile is replaced whole, so there is nothing to half-write. */
    async recordParticipationProfile(input: ParticipationProfileInput): Promise<ParticipationProfileRow> {
      const [row] = await sql<ParticipationProfileRow[]>`
        insert into welfare.participation_profile
          (person_id, wishes, max_hours_per_week, setting, near_area, notes, agency_id)
        values (${input.personId}, ${input.wishes}, ${input.maxHoursPerWeek}, ${input.setting}, ${input.nearArea},
                ${input.notes}, ${input.agencyId})
        on conflict (person_id) do update
        set wishes = excluded.wishes, max_hours_per_week = excluded.max_hours_per_week, setting = excluded.setting,
            near_area = excluded.near_area, notes = excluded.notes, agency_id = excluded.agency_id,
            updated_at = now()
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
