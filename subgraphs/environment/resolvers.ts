// Resolvers of the environment subgraph: thin glue from the schema to the store's loaders.

import {
  MIN_PUBLISHED_COUNT,
  registeredMunicipality,
  requireCaller,
  requireUuid,
  type Resolvers,
  listPage,
  type PageArgs,
  dashboardField,
  type SubgraphContext,
} from '@hub/platform';
import type {
  ActiveEnrolments,
  CountReader,
  EcoProjectRow,
  EnrollmentRow,
  EnvironmentStore,
  OpportunityRow,
} from './store.js';

interface EnrollArgs {
  input: { personId: string; opportunityId: string; asIntermediateWork?: boolean | null };
}

/**
 * An opportunity's active enrolments: all of them, those the reader knows on its own (the ones it recorded,
 * and those of persons whose enrolments it reads as its own domain's), and the others.
 */
async function enrolments(store: EnvironmentStore, opportunityId: string, reader: CountReader | null) {
  const counted = await store.activeCount.load(opportunityId);
  const active = counted?.active ?? 0;
  const knows = (group: ActiveEnrolments) =>
    reader !== null &&
    (group.agencyId === reader.agencyId ||
      (group.municipalityCode !== null && reader.ownDomainIn.includes(group.municipalityCode)));
  const known = (counted?.groups ?? []).filter(knows).reduce((sum, group) => sum + group.count, 0);
  return { active, known, others: active - known };
}

export const resolvers: Resolvers<EnvironmentStore> = {
  Query: {
    // Enrolments of persons in the caller's jurisdiction only (CONTRACT.md v2).
    ecoEnrollmentsDashboard: dashboardField((context: SubgraphContext<EnvironmentStore>) =>
      context.store.dashboard(requireCaller(context)),
    ),
    ecoProjects: (_: unknown, args: { kind?: string | null } & PageArgs, { store }) =>
      listPage(args, 'an eco project of this list', (page) => store.ecoProjects(args.kind ?? null, page)),
    participationOpportunities: (
      _: unknown,
      args: { outdoor?: boolean | null; openOnly?: boolean | null } & PageArgs,
      { store, caller },
    ) =>
      listPage(args, 'a place to participate of this list', (page) =>
        store.participationOpportunities(
          { outdoor: args.outdoor ?? null, openOnly: args.openOnly ?? false, reader: caller ?? null },
          page,
        ),
      ),
  },

  Mutation: {
    // This subgraph does not own identity: the gateway resolves the person; here only the id's form is checked.
    enroll: (_: unknown, { input }: EnrollArgs, context) => {
      const caller = requireCaller(context);
      const personId = requireUuid(input.personId, 'personId');
      return context.store.enroll({
        personId,
        opportunityId: requireUuid(input.opportunityId, 'opportunityId'),
        asIntermediateWork: input.asIntermediateWork ?? false,
        agencyId: caller.agencyId,
        municipalityCode: registeredMunicipality(caller, personId),
      });
    },
    withdrawEnrollment: (_: unknown, { id }: { id: string }, context) => {
      const caller = requireCaller(context);
      return context.store.endEnrollment(requireUuid(id, 'id'), 'WITHDRAWN', caller.jurisdiction);
    },
    completeEnrollment: (_: unknown, { id }: { id: string }, context) => {
      const caller = requireCaller(context);
      return context.store.endEnrollment(requireUuid(id, 'id'), 'COMPLETED', caller.jurisdiction);
    },
  },

  Person: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    enrollments: (person: { id: string }, _: unknown, { store }) => store.enrollments.load(person.id),
  },

  EcoProject: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.ecoProject.load(id),
    opportunities: (project: EcoProjectRow, _: unknown, { store }) => store.projectOpportunities.load(project.id),
  },

  ParticipationOpportunity: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.opportunity.load(id),
    project: (row: OpportunityRow, _: unknown, { store }) => store.ecoProject.load(row.projectId),
    // A count about persons: published from five enrolments the reader does not know on its own (those it
    // could subtract), as a dashboard's cell is (CONTRACT.md v2).
    enrolledCount: async (row: OpportunityRow, _: unknown, { store, caller }) => {
      const { active, others } = await enrolments(store, row.id, caller);
      return others < MIN_PUBLISHED_COUNT ? null : active;
    },
    // Full means as many enrolled as places: where fewer than MIN_PUBLISHED_COUNT places are not taken by
    // enrolments the reader knows, a count it could work out (places less those), suppressed as enrolledCount is.
    hasPlaces: async (row: OpportunityRow, _: unknown, { store, caller }) => {
      const { active, known } = await enrolments(store, row.id, caller);
      return row.capacity - known < MIN_PUBLISHED_COUNT ? null : active < row.capacity;
    },
  },

  Enrollment: {
    person: (row: EnrollmentRow) => ({ id: row.personId }),
    opportunity: (row: EnrollmentRow, _: unknown, { store }) => store.opportunity.load(row.opportunityId),
  },
};
