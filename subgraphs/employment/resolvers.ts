// Resolvers of the employment (Hello Work) subgraph: thin glue from the schema to the store's loaders.

import {
  ERRORS,
  listPage,
  type PageArgs,
  registeredMunicipality,
  requireCaller,
  requireUuid,
  type Resolvers,
  recordedDay,
  requiredText,
  todayInJapan,
  dashboardField,
  type SubgraphContext,
} from '@hub/platform';
import type { EmploymentStore, PlacementEnd, PlacementRow } from './store.js';

const MAX_TEXT = 200;
const MAX_HOURS_PER_WEEK = 60;

interface RegisterJobSeekerArgs {
  personId: string;
  desiredWork: string;
  desiredHoursPerWeek?: number | null;
  preferredWorkStyles: string[];
  supportNeeds?: string[] | null;
}

interface RecordPlacementArgs {
  personId: string;
  openingId: string;
  startedOn: string;
}

function validateRegistration(input: RegisterJobSeekerArgs) {
  requireUuid(input.personId, 'personId');
  const desiredWork = requiredText(input.desiredWork, 'desiredWork', MAX_TEXT);
  const hours = input.desiredHoursPerWeek ?? null;
  if (hours !== null && (hours < 1 || hours > MAX_HOURS_PER_WEEK)) {
    throw ERRORS.BAD_USER_INPUT.err(`desiredHoursPerWeek is between 1 and ${MAX_HOURS_PER_WEEK}`, {
      argument: 'desiredHoursPerWeek',
    });
  }
  if (!input.preferredWorkStyles.length) {
    throw ERRORS.BAD_USER_INPUT.err('preferredWorkStyles needs at least one work style', {
      argument: 'preferredWorkStyles',
    });
  }
  return {
    personId: input.personId,
    desiredWork,
    desiredHoursPerWeek: hours,
    preferredWorkStyles: [...new Set(input.preferredWorkStyles)],
    supportNeeds: [...new Set(input.supportNeeds ?? [])],
  };
}

export const resolvers: Resolvers<EmploymentStore> = {
  Query: {
    // Placements of persons in the caller's jurisdiction only (CONTRACT.md v2).
    diversePlacementsDashboard: dashboardField((context: SubgraphContext<EmploymentStore>) =>
      context.store.dashboard(requireCaller(context)),
    ),
    jobOpenings: (
      _: unknown,
      args: { workStyle?: string | null; diverseOnly?: boolean | null } & PageArgs,
      { store },
    ) =>
      listPage(args, 'a job opening of this list', (page) =>
        store.jobOpenings({ workStyle: args.workStyle ?? null, diverseOnly: args.diverseOnly ?? false, ...page }),
      ),
    jobOpening: (_: unknown, { id }: { id: string }, { store }) => store.jobOpening.load(requireUuid(id, 'id')),
  },

  Mutation: {
    registerJobSeeker: (_: unknown, { input }: { input: RegisterJobSeekerArgs }, context) => {
      const caller = requireCaller(context);
      return context.store.registerJobSeeker({ ...validateRegistration(input), officeAgencyId: caller.agencyId });
    },
    endJobSeekerRegistration: (_: unknown, { input }: { input: { personId: string } }, context) => {
      requireCaller(context);
      return context.store.endJobSeekerRegistration(requireUuid(input.personId, 'personId'));
    },
    recordPlacement: (_: unknown, { input }: { input: RecordPlacementArgs }, context) => {
      const caller = requireCaller(context);
      requireUuid(input.personId, 'personId');
      requireUuid(input.openingId, 'openingId');
      return context.store.recordPlacement({
        ...input,
        // A placement starts within the year ahead: one years on would mark her PLACED now.
        startedOn: recordedDay(input.startedOn, 'startedOn', { aheadYears: 1 }),
        recordedBy: caller.agencyId,
        municipalityCode: registeredMunicipality(caller, input.personId),
      });
    },
    endPlacement: (_: unknown, args: { id: string; status: PlacementEnd; endedOn?: string | null }, context) => {
      const caller = requireCaller(context);
      const id = requireUuid(args.id, 'id');
      const today = todayInJapan();
      // Never later than today, how far back the placement's start's to say (INVALID_PERIOD); a placement called
      // off ends on its start day, up to a year ahead as recordPlacement takes it, and on no other.
      const aheadYears = args.status === 'CANCELLED' ? 1 : 0;
      const endedOn = args.endedOn == null ? null : recordedDay(args.endedOn, 'endedOn', { aheadYears }, today);
      return context.store.endPlacement({ id, status: args.status, endedOn, today, jurisdiction: caller.jurisdiction });
    },
  },

  // Identity is the welfare system's: this subgraph only adds fields to the resident's id.
  Person: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    jobSeeker: (person: { id: string }, _: unknown, { store }) => store.jobSeeker.load(person.id),
    placements: (person: { id: string }, _: unknown, { store }) => store.placements.load(person.id),
  },

  Placement: {
    person: (row: PlacementRow) => ({ id: row.personId }),
    opening: (row: PlacementRow, _: unknown, { store }) => store.jobOpening.load(row.openingId),
  },

  JobOpening: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.jobOpening.load(id),
  },
};
