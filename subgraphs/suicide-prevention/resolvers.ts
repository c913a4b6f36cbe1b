// Resolvers of the suicide-prevention subgraph: thin glue from the schema to the store's loaders.

import {
  ERRORS,
  requireCaller,
  requireUuid,
  type Resolvers,
  listPage,
  type PageArgs,
  optionalText,
  requiredLine,
  MAX_LINE,
} from '@hub/platform';
import type {
  CounselingContactRow,
  PsychiatricReferralRow,
  RiskAssessmentRow,
  SuicidePreventionStore,
} from './store.js';

const AGENCY_ID = /^[A-Za-z0-9._-]{1,100}$/;

function requireAgencyId(value: string, argument: string): string {
  if (!AGENCY_ID.test(value)) throw ERRORS.BAD_USER_INPUT.err(`${argument} is not a valid agency id`, { argument });
  return value;
}

interface RecordRiskAssessmentInput {
  personId: string;
  level: string;
  signs: string[];
  coAssessorAgencyId?: string | null;
  note?: string | null;
}

interface RecordCounselingContactInput {
  personId: string;
  channel: string;
  summary?: string | null;
}

interface ReferToPsychiatricCareInput {
  personId: string;
  institution: string;
  status?: string | null;
}

interface RecordJointScreeningInput {
  personId: string;
  coAssessorAgencyId: string;
  level: string;
  signs: string[];
  note?: string | null;
}

/** An assessment's record from its input: the caller assesses, the co-assessor (if any) is another agency. */
function assessmentOf(input: RecordRiskAssessmentInput, assessorAgencyId: string) {
  const coAssessorAgencyId = input.coAssessorAgencyId
    ? requireAgencyId(input.coAssessorAgencyId, 'coAssessorAgencyId')
    : null;
  if (coAssessorAgencyId === assessorAgencyId) {
    throw ERRORS.BAD_USER_INPUT.err('the co-assessor is another agency than the assessor', {
      argument: 'coAssessorAgencyId',
      reason: 'CO_ASSESSOR_IS_ASSESSOR',
    });
  }
  return {
    personId: requireUuid(input.personId, 'personId'),
    level: input.level,
    signs: [...new Set(input.signs)],
    assessorAgencyId,
    coAssessorAgencyId,
    note: optionalText(input.note, 'note'),
  };
}

const personOf = (row: { personId: string }) => ({ id: row.personId });

export const resolvers: Resolvers<SuicidePreventionStore> = {
  Query: {
    counselingWindows: (
      _: unknown,
      args: { agencyId?: string | null; channel?: string | null } & PageArgs,
      { store },
    ) =>
      listPage(args, 'a counselling window of this list', (page) =>
        store.counselingWindows({ agencyId: args.agencyId ?? null, channel: args.channel ?? null, ...page }),
      ),
  },

  Mutation: {
    recordRiskAssessment: (_: unknown, { input }: { input: RecordRiskAssessmentInput }, context) =>
      context.store.recordRiskAssessment(assessmentOf(input, requireCaller(context).agencyId)),
    // 別添2 6(1)(ア): the collaborator screens with the window; the gateway checks the co-assessor is a
    // SUICIDE_PREVENTION agency and that the caller has a basis for the person's mental health.
    recordJointScreening: (_: unknown, { input }: { input: RecordJointScreeningInput }, context) =>
      context.store.recordJointScreening({
        ...assessmentOf(input, requireCaller(context).agencyId),
        // RecordJointScreeningInput.coAssessorAgencyId is ID!: always there, and checked like any other.
        coAssessorAgencyId: requireAgencyId(input.coAssessorAgencyId, 'coAssessorAgencyId'),
      }),
    recordCounselingContact: (_: unknown, { input }: { input: RecordCounselingContactInput }, context) => {
      const caller = requireCaller(context);
      return context.store.recordCounselingContact({
        personId: requireUuid(input.personId, 'personId'),
        channel: input.channel,
        agencyId: caller.agencyId,
        summary: optionalText(input.summary, 'summary'),
      });
    },
    referToPsychiatricCare: (_: unknown, { input }: { input: ReferToPsychiatricCareInput }, context) => {
      const caller = requireCaller(context);
      const institution = requiredLine(input.institution, 'institution', MAX_LINE);
      return context.store.referToPsychiatricCare({
        personId: requireUuid(input.personId, 'personId'),
        institution,
        status: input.status ?? 'PROPOSED',
        agencyId: caller.agencyId,
      });
    },
  },

  Person: {
    // Identity is the welfare subgraph's: any id is a resident here, with or without records.
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    riskAssessments: (person: { id: string }, _: unknown, { store }) => store.riskAssessments.load(person.id),
    counselingContacts: (person: { id: string }, _: unknown, { store }) => store.counselingContacts.load(person.id),
    psychiatricReferrals: (person: { id: string }, _: unknown, { store }) => store.psychiatricReferrals.load(person.id),
    latestRiskLevel: async (person: { id: string }, _: unknown, { store }) =>
      (await store.riskAssessments.load(person.id)).at(-1)?.level ?? null,
  },

  RiskAssessment: {
    person: (row: RiskAssessmentRow) => personOf(row),
    referral: (row: RiskAssessmentRow, _: unknown, { store }) => store.referralOfScreening.load(row.id),
  },

  CounselingContact: {
    person: (row: CounselingContactRow) => personOf(row),
  },

  PsychiatricReferral: {
    person: (row: PsychiatricReferralRow) => personOf(row),
  },

  CounselingWindow: {
    __resolveReference: ({ id }: { id: string }, { store }) => store.counselingWindow.load(id),
  },
};
