// Resolvers of the welfare subgraph: thin glue from the schema to the store's loaders.

import { ERRORS, requireCaller, requireUuid, type Resolvers } from '@hub/platform';
import type {
  CaseRow,
  ConsultationRow,
  HikikomoriRow,
  HouseholdRow,
  OutreachRow,
  PersonRow,
  RegisterPersonInput,
  WelfareStore,
} from './store.js';

const MUNICIPALITY_CODE = /^\d{6}$/;

function validateRegistration(input: RegisterPersonInput): RegisterPersonInput {
  const name = input.name.trim();
  const nameKana = input.nameKana.trim();
  if (!name || !nameKana) throw ERRORS.BAD_USER_INPUT.err('name and nameKana must not be empty', { argument: 'input' });
  if (name.length > 100 || nameKana.length > 100) {
    throw ERRORS.BAD_USER_INPUT.err('name and nameKana are at most 100 characters', { argument: 'input' });
  }
  if (!MUNICIPALITY_CODE.test(input.municipalityCode)) {
    throw ERRORS.BAD_USER_INPUT.err('municipalityCode is a 6-digit 全国地方公共団体コード', {
      argument: 'municipalityCode',
    });
  }
  if (new Date(input.birthDate).getTime() > Date.now()) {
    throw ERRORS.BAD_USER_INPUT.err('birthDate is in the future', { argument: 'birthDate' });
  }
  if (input.householdId) requireUuid(input.householdId, 'householdId');
  return { ...input, name, nameKana };
}

async function requirePerson(store: WelfareStore, personId: string): Promise<string> {
  requireUuid(personId, 'personId');
  if (!(await store.person.load(personId)))
    throw ERRORS.NOT_FOUND.err('No person with that id', { argument: 'personId' });
  return personId;
}

export const resolvers: Resolvers<WelfareStore> = {
  Query: {
    person: (_: unknown, { id }: { id: string }, { store }) => store.person.load(requireUuid(id, 'id')),
    people: (_: unknown, { ids }: { ids: string[] }, { store }) => {
      if (ids.length > 1000) throw ERRORS.BAD_USER_INPUT.err('people takes at most 1000 ids', { argument: 'ids' });
      return Promise.all(ids.map((id) => store.person.load(id)));
    },
    communityPlaces: (_: unknown, { kind }: { kind?: string | null }, { store }) => store.communityPlaces(kind ?? null),
  },

  Mutation: {
    registerPerson: (_: unknown, { input }: { input: RegisterPersonInput }, context) => {
      requireCaller(context);
      return context.store.registerPerson(validateRegistration(input));
    },
    recordConsultation: async (
      _: unknown,
      { input }: { input: { personId: string; channel: string; agencyKind: string; summary?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      await requirePerson(context.store, input.personId);
      return context.store.recordConsultation({ ...input, agencyId: caller.agencyId });
    },
    openCase: async (_: unknown, { input }: { input: { personId: string; issues: string[] } }, context) => {
      const caller = requireCaller(context);
      await requirePerson(context.store, input.personId);
      if (!input.issues.length)
        throw ERRORS.BAD_USER_INPUT.err('a case needs at least one issue', { argument: 'issues' });
      return context.store.openCase({ ...input, leadAgencyId: caller.agencyId });
    },
    recordOutreach: async (
      _: unknown,
      { input }: { input: { personId: string; method: string; relationshipStage: string; note?: string | null } },
      context,
    ) => {
      const caller = requireCaller(context);
      await requirePerson(context.store, input.personId);
      return context.store.recordOutreach({ ...input, agencyId: caller.agencyId });
    },
  },

  Person: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.person.load(id),
    household: (person: PersonRow, _: unknown, { store }) =>
      person.householdId ? store.household.load(person.householdId) : null,
    consultations: (person: PersonRow, _: unknown, { store }) => store.consultations.load(person.id),
    cases: (person: PersonRow, _: unknown, { store }) => store.cases.load(person.id),
    outreachRecords: (person: PersonRow, _: unknown, { store }) => store.outreachRecords.load(person.id),
    hikikomoriSupport: (person: PersonRow, _: unknown, { store }) => store.hikikomoriSupport.load(person.id),
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
  },

  OutreachRecord: {
    person: (row: OutreachRow, _: unknown, { store }) => store.person.load(row.personId),
  },

  HikikomoriSupport: {
    place: (row: HikikomoriRow, _: unknown, { store }) => (row.placeId ? store.communityPlace.load(row.placeId) : null),
  },

  CommunityPlace: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.communityPlace.load(id),
  },
};
