// Resolvers of the seniors' work subgraph: thin glue from the schema to the store's loaders.

import {
  ERRORS,
  registeredMunicipality,
  requireCaller,
  requireUuid,
  type Resolvers,
  listPage,
  type PageArgs,
  requiredLine,
  isBlank,
  recordedDay,
  todayInJapan,
  dashboardField,
  type SubgraphContext,
} from '@hub/platform';
import type { AssignmentRow, MembershipChange, SeniorsWorkStore } from './store.js';

const MAX_NAME = 100;
const MAX_SKILLS = 20;
const MAX_SKILL = 50;

interface RegisterSilverMembershipArgs {
  personId: string;
  centreName: string;
  joinedOn?: string | null;
  skills?: string[] | null;
}

interface AssignWorkArgs {
  personId: string;
  offerId: string;
  startedOn: string;
  hoursPerWeek?: number | null;
}

function validateMembership(input: RegisterSilverMembershipArgs) {
  requireUuid(input.personId, 'personId');
  const centreName = requiredLine(input.centreName, 'centreName', MAX_NAME);
  // Each skill a name of one line, as the centre's name is (INVALID_TEXT for a line break, INVALID_LENGTH).
  const skills = [
    ...new Set((input.skills ?? []).filter((s) => !isBlank(s)).map((s) => requiredLine(s, 'skills', MAX_SKILL))),
  ];
  if (skills.length > MAX_SKILLS) {
    throw ERRORS.BAD_USER_INPUT.err(`skills are at most ${MAX_SKILLS}, each at most ${MAX_SKILL} characters`, {
      argument: 'skills',
      reason: 'INVALID_LENGTH',
    });
  }
  // The centre dates a membership on Japan's calendar: its today has begun at 15:00 UTC.
  const today = todayInJapan();
  const joinedOn = recordedDay(input.joinedOn ?? today, 'joinedOn', { aheadYears: 0 });
  return { personId: input.personId, centreName, joinedOn, skills };
}

/** 休会, 復帰 or 退会 of the member the input names (the gateway held the caller to serving her). */
function changeMembership(context: SubgraphContext<SeniorsWorkStore>, personId: string, change: MembershipChange) {
  requireCaller(context);
  return context.store.changeMembership(requireUuid(personId, 'personId'), change);
}

export const resolvers: Resolvers<SeniorsWorkStore> = {
  Query: {
    // Assignments of persons in the caller's jurisdiction only (CONTRACT.md v2).
    silverPlacementsDashboard: dashboardField((context: SubgraphContext<SeniorsWorkStore>) =>
      context.store.dashboard(requireCaller(context)),
    ),
    workOffers: (_: unknown, args: { outdoor?: boolean | null } & PageArgs, { store }) =>
      listPage(args, 'a work offer of this list', (page) =>
        store.workOffers({ outdoor: args.outdoor ?? null, ...page }),
      ),
    lifelongCouncils: (_: unknown, args: { prefecture?: string | null } & PageArgs, { store }) =>
      listPage(args, 'a council of this list', (page) =>
        store.lifelongCouncils({ prefecture: args.prefecture?.trim() || null, ...page }),
      ),
  },

  Mutation: {
    registerSilverMembership: (_: unknown, { input }: { input: RegisterSilverMembershipArgs }, context) => {
      const caller = requireCaller(context);
      return context.store.registerSilverMembership({ ...validateMembership(input), agencyId: caller.agencyId });
    },
    suspendSilverMembership: (_: unknown, { input }: { input: { personId: string } }, context) =>
      changeMembership(context, input.personId, 'SUSPEND'),
    resumeSilverMembership: (_: unknown, { input }: { input: { personId: string } }, context) =>
      changeMembership(context, input.personId, 'RESUME'),
    withdrawSilverMembership: (_: unknown, { input }: { input: { personId: string } }, context) =>
      changeMembership(context, input.personId, 'WITHDRAW'),
    assignWork: (_: unknown, { input }: { input: AssignWorkArgs }, context) => {
      const caller = requireCaller(context);
      requireUuid(input.personId, 'personId');
      requireUuid(input.offerId, 'offerId');
      return context.store.assignWork({
        personId: input.personId,
        offerId: input.offerId,
        // Work is assigned for the year ahead at most: a start years on would count toward her 20 hours now.
        startedOn: recordedDay(input.startedOn, 'startedOn', { aheadYears: 1 }),
        hoursPerWeek: input.hoursPerWeek ?? null,
        recordedBy: caller.agencyId,
        municipalityCode: registeredMunicipality(caller, input.personId),
      });
    },
    endAssignment: (_: unknown, args: { id: string; endedOn?: string | null }, context) => {
      const caller = requireCaller(context);
      const id = requireUuid(args.id, 'id');
      const today = todayInJapan();
      // Never later than today; how far back is the assignment's start's to say (INVALID_PERIOD).
      const endedOn = args.endedOn ?? today;
      if (endedOn > today) {
        throw ERRORS.BAD_USER_INPUT.err('endedOn is in the future', { argument: 'endedOn', reason: 'IN_THE_FUTURE' });
      }
      return context.store.endAssignment(id, endedOn, today, caller.jurisdiction);
    },
  },

  // Identity is the welfare system's: this subgraph only adds fields to the resident's id.
  Person: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    silverMembership: (person: { id: string }, _: unknown, { store }) => store.silverMembership.load(person.id),
    assignments: (person: { id: string }, _: unknown, { store }) => store.assignments.load(person.id),
  },

  Assignment: {
    person: (row: AssignmentRow) => ({ id: row.personId }),
    offer: (row: AssignmentRow, _: unknown, { store }) => store.workOffer.load(row.offerId),
  },

  WorkOffer: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.workOffer.load(id),
  },
};
