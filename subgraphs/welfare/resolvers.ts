// Resolvers of the welfare subgraph: thin glue from the schema to the store. Arguments are checked here;
// the rules that depend on stored state (the support flow, trust before a visit) run in the store's transactions.

import {
  AGENCY_ID,
  ERRORS,
  PEOPLE_IDS_LIMIT,
  registeredMunicipality,
  requireCaller,
  requireUuid,
  type Resolvers,
  optionalText,
  requiredLine,
  requiredText,
  isBlank,
  optionalLine,
  recordedDay,
  todayInJapan,
  MAX_GOAL,
  MAX_LINE,
  MAX_NAME,
  MAX_PHONE,
  dashboardField,
  type SubgraphContext,
} from '@hub/platform';
import type { CaseStatus, ReviewOutcome } from './lifecycle.js';
import type { HikikomoriStage } from './outreach.js';
import type {
  CaseEventRow,
  CaseRow,
  ConsultationRow,
  HikikomoriEventRow,
  HikikomoriRow,
  HouseholdRow,
  OutreachRow,
  PersonRow,
  PlanReviewRow,
  RegisterPersonInput,
  RoleAssignment,
  SupportPlanRow,
  WelfareStore,
} from './store.js';
import { MAX_HOUSEHOLD_SIZE } from './store.js';

const MUNICIPALITY_CODE = /^\d{6}$/;

/** The person a case is about: what a plan or a review of it names as its person. */
async function personOfCase(store: WelfareStore, caseId: string): Promise<PersonRow | null> {
  const owner = await store.caseOwner.load(caseId);
  return owner ? store.person.load(owner.personId) : null;
}

/** The age no resident can be older than, in years. */
const OLDEST_AGE = 130;

function validateRegistration(input: RegisterPersonInput): RegisterPersonInput {
  // Each refusal names its field: an empty name is EMPTY (as the register has always said), and otherwise a
  // name is the platform's one line of text of at most 100 characters (INVALID_LENGTH, INVALID_TEXT).
  const [name, nameKana] = (['name', 'nameKana'] as const).map((argument) => {
    if (isBlank(input[argument])) {
      throw ERRORS.BAD_USER_INPUT.err(`${argument} must not be empty`, { argument, reason: 'EMPTY' });
    }
    return requiredLine(input[argument], argument, MAX_NAME);
  }) as [string, string];
  if (!MUNICIPALITY_CODE.test(input.municipalityCode)) {
    throw ERRORS.BAD_USER_INPUT.err('municipalityCode is a 6-digit 全国地方公共団体コード', {
      argument: 'municipalityCode',
    });
  }
  // A child born today in Japan is registered today, from 15:00 UTC too; no one living was born more than
  // OLDEST_AGE years ago (a typing slip such as 1800 for 1980 is refused, not registered).
  recordedDay(input.birthDate, 'birthDate', { pastYears: OLDEST_AGE, aheadYears: 0 });
  // Given is given: an empty id is refused as any other id that is not one, not taken as "no household".
  if (input.householdId != null) requireUuid(input.householdId, 'householdId');
  return {
    ...input,
    name,
    nameKana,
    address: optionalText(input.address, 'address', MAX_LINE),
    phone: optionalLine(input.phone, 'phone', MAX_PHONE),
  };
}

/** How many other residents one household records at once: all it may hold but the person. */
const MAX_HOUSEHOLD_MEMBERS = MAX_HOUSEHOLD_SIZE - 1;
/** The most agencies a plan review or a closure names as having taken part. */
const MAX_PARTICIPANTS = 30;
/** The most goals one version of a support plan sets. */
const MAX_GOALS = 20;
/** The most role assignments one version of a support plan makes: one for each agency. */
const MAX_ROLES = 30;

/**
 * An agency a case's record names. The register is the hub's: the gateway checks every named agency
 * against it before the mutation is sent (mutation-rules.ts); welfare checks only that it is an agency id.
 */
function requireAgency(agencyId: string, argument: string): string {
  if (!AGENCY_ID.test(agencyId)) {
    throw ERRORS.BAD_USER_INPUT.err('An agency id is not in the register', { reason: 'UNKNOWN_AGENCY', argument });
  }
  return agencyId;
}

/** The agencies that took part in a review or a closure: at least one, each in the register, once. */
function requireParticipants(agencyIds: readonly string[]): string[] {
  if (!agencyIds.length || agencyIds.length > MAX_PARTICIPANTS) {
    throw ERRORS.BAD_USER_INPUT.err(`Between 1 and ${MAX_PARTICIPANTS} participating agencies are named`, {
      argument: 'participantAgencyIds',
      reason: 'OUT_OF_RANGE',
    });
  }
  return [...new Set(agencyIds.map((id) => requireAgency(id, 'participantAgencyIds')))];
}

function validatePlan(goals: readonly string[], roles: readonly RoleAssignment[]) {
  if (!goals.length || goals.length > MAX_GOALS) {
    throw ERRORS.BAD_USER_INPUT.err(`A plan has between 1 and ${MAX_GOALS} goals`, {
      argument: 'goals',
      reason: 'OUT_OF_RANGE',
    });
  }
  if (!roles.length || roles.length > MAX_ROLES) {
    throw ERRORS.BAD_USER_INPUT.err(`A plan assigns between 1 and ${MAX_ROLES} roles`, {
      argument: 'roles',
      reason: 'OUT_OF_RANGE',
    });
  }
  const agencies = roles.map((r) => requireAgency(r.agencyId, 'roles'));
  if (new Set(agencies).size !== agencies.length) {
    throw ERRORS.BAD_USER_INPUT.err('Each agency has one role assignment in a plan', { argument: 'roles' });
  }
  return {
    goals: goals.map((goal) => requiredText(goal, 'goals', MAX_GOAL)),
    roles: roles.map((r) => ({
      agencyId: r.agencyId,
      role: requiredText(r.role, 'roles', MAX_LINE),
      issues: [...new Set(r.issues ?? [])],
    })),
  };
}

/**
 * 見直し予定日: a plan is reviewed on a day from its drafting (today in Japan) to a year on. One before it
 * (INVALID_PERIOD) or years ahead (TOO_FAR_IN_THE_FUTURE), a slip such as 0001 or 9999, would stand in the plan.
 */
function reviewDay(reviewOn: string | null | undefined): string | null {
  if (reviewOn == null) return null;
  const today = todayInJapan();
  if (reviewOn < today) {
    throw ERRORS.BAD_USER_INPUT.err('reviewOn is before the plan is drafted', {
      argument: 'reviewOn',
      reason: 'INVALID_PERIOD',
    });
  }
  return recordedDay(reviewOn, 'reviewOn', { aheadYears: 1 }, today);
}

/** The person a record is for, by her id as the register holds it (lower case, however it was written). */
async function requirePerson(store: WelfareStore, id: string): Promise<string> {
  const personId = requireUuid(id, 'personId');
  if (!(await store.person.load(personId)))
    throw ERRORS.NOT_FOUND.err('No person with that id', { argument: 'personId' });
  return personId;
}

export const resolvers: Resolvers<WelfareStore> = {
  Query: {
    // Cases of persons in the caller's jurisdiction only (CONTRACT.md v2).
    caseDashboard: dashboardField((context: SubgraphContext<WelfareStore>) =>
      context.store.caseDashboard(requireCaller(context)),
    ),
    person: (_: unknown, { id }: { id: string }, { store }) => store.person.load(requireUuid(id, 'id')),
    people: (_: unknown, { ids }: { ids: string[] }, { store }) => {
      if (ids.length > PEOPLE_IDS_LIMIT) {
        throw ERRORS.BAD_USER_INPUT.err(`people takes at most ${PEOPLE_IDS_LIMIT} ids`, {
          argument: 'ids',
          reason: 'OUT_OF_RANGE',
        });
      }
      // A UUID in either case names one person: each is looked up as the store keeps ids, in lower case.
      return Promise.all(ids.map((id) => store.person.load(id.toLowerCase())));
    },
    communityPlaces: (_: unknown, { kind }: { kind?: string | null }, { store }) => store.communityPlaces(kind ?? null),
  },

  Mutation: {
    registerPerson: (_: unknown, { input }: { input: RegisterPersonInput }, context) => {
      const caller = requireCaller(context);
      return context.store.registerPerson(validateRegistration(input), caller);
    },
    recordHousehold: (
      _: unknown,
      {
        input,
      }: {
        input: { personId: string; otherMemberIds?: string[] | null; flags: string[]; summary?: string | null };
      },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = requireUuid(input.personId, 'personId').toLowerCase();
      const otherMemberIds = [
        ...new Set((input.otherMemberIds ?? []).map((id) => requireUuid(id, 'otherMemberIds').toLowerCase())),
      ].filter((id) => id !== personId);
      if (otherMemberIds.length > MAX_HOUSEHOLD_MEMBERS) {
        throw ERRORS.BAD_USER_INPUT.err(`A household records at most ${MAX_HOUSEHOLD_MEMBERS} other residents`, {
          argument: 'otherMemberIds',
          reason: 'OUT_OF_RANGE',
        });
      }
      return context.store.recordHousehold(
        { personId, otherMemberIds, flags: [...new Set(input.flags)], summary: optionalText(input.summary, 'summary') },
        caller.jurisdiction,
      );
    },
    recordConsultation: async (
      _: unknown,
      { input }: { input: { personId: string; channel: string; agencyKind: string; summary?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      const summary = optionalText(input.summary, 'summary');
      return context.store.recordConsultation({ ...input, personId, summary, agencyId: caller.agencyId });
    },
    openCase: async (_: unknown, { input }: { input: { personId: string; issues: string[] } }, context) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      if (!input.issues.length)
        throw ERRORS.BAD_USER_INPUT.err('a case needs at least one issue', { argument: 'issues', reason: 'EMPTY' });
      return context.store.openCase({
        ...input,
        personId,
        // An issue named twice is one issue: counted once in the dashboards, as a person is.
        issues: [...new Set(input.issues)],
        leadAgencyId: caller.agencyId,
        municipalityCode: registeredMunicipality(caller, personId),
      });
    },
    advanceCase: (
      _: unknown,
      { input }: { input: { caseId: string; to: CaseStatus; note?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      return context.store.advanceCase({
        caseId: requireUuid(input.caseId, 'caseId'),
        to: input.to,
        note: optionalText(input.note, 'note'),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
      });
    },
    addCaseIssues: (
      _: unknown,
      { input }: { input: { caseId: string; issues: string[]; note?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      const caseId = requireUuid(input.caseId, 'caseId');
      if (!input.issues.length)
        throw ERRORS.BAD_USER_INPUT.err('name at least one issue to add', { argument: 'issues', reason: 'EMPTY' });
      return context.store.addCaseIssues({
        caseId,
        // An issue named twice is one issue, as openCase counts it.
        issues: [...new Set(input.issues)],
        note: optionalText(input.note, 'note'),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
      });
    },
    draftSupportPlan: (
      _: unknown,
      { input }: { input: { caseId: string; goals: string[]; roles: RoleAssignment[]; reviewOn?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      return context.store.draftSupportPlan({
        caseId: requireUuid(input.caseId, 'caseId'),
        ...validatePlan(input.goals, input.roles),
        reviewOn: reviewDay(input.reviewOn),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
      });
    },
    reviewSupportPlan: (
      _: unknown,
      {
        input,
      }: {
        input: { caseId: string; participantAgencyIds: string[]; outcome: ReviewOutcome; note?: string | null };
      },
      context,
    ) => {
      const caller = requireCaller(context);
      return context.store.reviewSupportPlan({
        caseId: requireUuid(input.caseId, 'caseId'),
        participantAgencyIds: requireParticipants(input.participantAgencyIds),
        outcome: input.outcome,
        note: optionalText(input.note, 'note'),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
      });
    },
    closeCase: (
      _: unknown,
      { input }: { input: { caseId: string; participantAgencyIds: string[]; reason: string } },
      context,
    ) => {
      const caller = requireCaller(context);
      return context.store.closeCase({
        caseId: requireUuid(input.caseId, 'caseId'),
        participantAgencyIds: requireParticipants(input.participantAgencyIds),
        reason: requiredText(input.reason, 'reason'),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
      });
    },
    recordOutreach: async (
      _: unknown,
      { input }: { input: { personId: string; method: string; relationshipStage: string; note?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      return context.store.recordOutreach({
        ...input,
        personId,
        note: optionalText(input.note, 'note'),
        agencyId: caller.agencyId,
      });
    },
    startHikikomoriSupport: async (
      _: unknown,
      {
        input,
      }: {
        input: { personId: string; withdrawnSince?: number | null; placeId?: string | null; note?: string | null };
      },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      const since = input.withdrawnSince ?? null;
      // This year in Japan: from 15:00 UTC on 31 December it is already the next.
      if (since !== null && (since < 1950 || since > Number(todayInJapan().slice(0, 4)))) {
        throw ERRORS.BAD_USER_INPUT.err('withdrawnSince is a year from 1950 to this year', {
          argument: 'withdrawnSince',
        });
      }
      return context.store.startHikikomoriSupport({
        personId,
        agencyId: caller.agencyId,
        withdrawnSince: since,
        placeId: input.placeId != null ? requireUuid(input.placeId, 'placeId') : null,
        note: optionalText(input.note, 'note'),
      });
    },
    recordPeerSupporterVisit: async (
      _: unknown,
      {
        input,
      }: {
        input: { personId: string; supporterName?: string | null; note: string; relationshipStage?: string | null };
      },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      return context.store.recordPeerSupporterVisit({
        personId,
        agencyId: caller.agencyId,
        supporterName: optionalLine(input.supporterName, 'supporterName', MAX_NAME),
        note: requiredText(input.note, 'note'),
        relationshipStage: input.relationshipStage ?? null,
      });
    },
    recordParticipationProfile: async (
      _: unknown,
      {
        input,
      }: {
        input: {
          personId: string;
          wishes: string[];
          maxHoursPerWeek?: number | null;
          setting?: string | null;
          nearArea?: string | null;
          notes?: string | null;
        };
      },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      const hours = input.maxHoursPerWeek ?? null;
      if (hours !== null && (hours < 1 || hours > 60)) {
        throw ERRORS.BAD_USER_INPUT.err('maxHoursPerWeek is from 1 to 60', { argument: 'maxHoursPerWeek' });
      }
      return context.store.recordParticipationProfile({
        personId,
        wishes: [...new Set(input.wishes)],
        maxHoursPerWeek: hours,
        setting: input.setting ?? 'EITHER',
        nearArea: optionalText(input.nearArea, 'nearArea', MAX_NAME),
        notes: optionalText(input.notes, 'notes'),
        agencyId: caller.agencyId,
      });
    },
    advanceHikikomoriStage: async (
      _: unknown,
      { input }: { input: { personId: string; to: HikikomoriStage; note?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      const personId = await requirePerson(context.store, input.personId);
      return context.store.advanceHikikomoriStage({
        ...input,
        personId,
        note: optionalText(input.note, 'note'),
        agencyId: caller.agencyId,
      });
    },
  },

  Person: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.person.load(id),
    household: (person: PersonRow, _: unknown, { store }) =>
      person.householdId ? store.household.load(person.householdId) : null,
    consultations: (person: PersonRow, _: unknown, { store }) => store.consultations.load(person.id),
    cases: (person: PersonRow, _: unknown, { store }) => store.cases.load(person.id),
    outreachRecords: (person: PersonRow, _: unknown, { store }) => store.outreachRecords.load(person.id),
    relationshipStage: async (person: PersonRow, _: unknown, { store }) =>
      (await store.outreachRecords.load(person.id)).at(-1)?.relationshipStage ?? null,
    hikikomoriSupport: (person: PersonRow, _: unknown, { store }) => store.hikikomoriSupport.load(person.id),
    participationProfile: (person: PersonRow, _: unknown, { store }) => store.participationProfile.load(person.id),
  },

  Household: {
    members: (household: HouseholdRow, _: unknown, { store }) => store.householdMembers.load(household.id),
  },

  Consultation: {
    person: (row: ConsultationRow, _: unknown, { store }) => store.person.load(row.personId),
  },

  Case: {
    person: (row: CaseRow, _: unknown, { store }) => store.person.load(row.personId),
    plan: (row: CaseRow, _: unknown, { store }) => store.currentPlan.load(row.id),
    planHistory: (row: CaseRow, _: unknown, { store }) => store.planHistory.load(row.id),
    reviews: (row: CaseRow, _: unknown, { store }) => store.planReviews.load(row.id),
    events: (row: CaseRow, _: unknown, { store }) => store.caseEvents.load(row.id),
    closure: (row: CaseRow) =>
      row.status === 'CLOSED' && row.closedAt
        ? {
            closedAt: row.closedAt,
            reason: row.closureReason,
            participantAgencyIds: row.closureParticipantAgencyIds ?? [],
            agencyId: row.closedBy ?? row.leadAgencyId,
          }
        : null,
  },

  CaseEvent: {
    from: (row: CaseEventRow) => row.fromStatus,
    to: (row: CaseEventRow) => row.toStatus,
  },

  SupportPlan: {
    agencyId: (row: SupportPlanRow) => row.draftedBy,
    person: (row: SupportPlanRow, _: unknown, { store }) => personOfCase(store, row.caseId),
  },

  PlanReview: {
    person: (row: PlanReviewRow, _: unknown, { store }) => personOfCase(store, row.caseId),
  },

  RoleAssignment: {
    issues: (role: RoleAssignment) => role.issues ?? [],
  },

  OutreachRecord: {
    person: (row: OutreachRow, _: unknown, { store }) => store.person.load(row.personId),
  },

  HikikomoriSupport: {
    place: (row: HikikomoriRow, _: unknown, { store }) => (row.placeId ? store.communityPlace.load(row.placeId) : null),
  },

  HikikomoriEvent: {
    stage: (entry: HikikomoriEventRow) => entry.stage ?? null,
    supporterName: (entry: HikikomoriEventRow) => entry.supporterName ?? null,
  },

  CommunityPlace: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.communityPlace.load(id),
  },
};
