// Resolvers of the child-dv subgraph: thin glue from the schema to the store's loaders.

import {
  ERRORS,
  MAX_COMPANIONS,
  registeredMunicipality,
  requireCaller,
  requireUuid,
  type Resolvers,
  optionalLine,
  optionalText,
  recordedDay,
  requiredText,
  MAX_LINE,
  dashboardField,
  type SubgraphContext,
} from '@hub/platform';
import type { AbuseReportRow, ChildDvStore, ChildWelfareCaseRow, DvCaseRow, WhereaboutsRow } from './store.js';

const AGENCY_ID = /^[A-Za-z0-9._-]{1,100}$/;
const MUNICIPALITY_CODE = /^\d{6}$/;

/**
 * Where she lives from a day that has come: the newest `since` is her current whereabouts, so one dated
 * ahead would hide every address recorded after it until that day.
 */
const sinceNotAhead = (since: string): string => recordedDay(since, 'since', { aheadYears: 0 });

function requireAgencyId(value: string, argument: string): string {
  if (!AGENCY_ID.test(value)) throw ERRORS.BAD_USER_INPUT.err(`${argument} is not a valid agency id`, { argument });
  return value;
}

function requireMunicipalityCode(value: string, argument: string): string {
  if (!MUNICIPALITY_CODE.test(value)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is a 6-digit 全国地方公共団体コード`, {
      argument,
      reason: 'INVALID_MUNICIPALITY_CODE',
    });
  }
  return value;
}

/** Who moves with her: person ids, each once, not hers, at most MAX_COMPANIONS (the gateway checked who each is). */
function companions(ids: readonly string[] | null | undefined, personId: string): string[] {
  const argument = 'accompanyingPersonIds';
  const unique = [...new Set((ids ?? []).map((id) => requireUuid(id, argument)))];
  if (unique.length > MAX_COMPANIONS) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} names at most ${MAX_COMPANIONS} persons`, {
      argument,
      reason: 'OUT_OF_RANGE',
    });
  }
  if (unique.includes(personId)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} names the person herself`, {
      argument,
      reason: 'COMPANION_IS_THE_PERSON',
    });
  }
  return unique;
}

interface RecordAbuseReportInput {
  personId: string;
  kind: string;
  urgency: string;
  receivingAgencyId: string;
  summary?: string | null;
}

interface OpenChildWelfareCaseInput {
  personId: string;
  classification: string;
  registeredWithCouncil?: boolean | null;
  summary?: string | null;
}

interface OpenDvCaseInput {
  personId: string;
  formerMunicipalityCode?: string | null;
  protectionOrder?: boolean | null;
  summary?: string | null;
}

interface RecordWhereaboutsInput {
  dvCaseId: string;
  municipalityCode: string;
  address: string;
  shelterName?: string | null;
  since: string;
}

interface TriageAbuseReportInput {
  reportId: string;
  status: string;
  note?: string | null;
}

interface UpdateChildWelfareCaseInput {
  personId: string;
  caseId: string;
  status: string;
  registeredWithCouncil?: boolean | null;
  summary?: string | null;
}

interface UpdateDvCaseInput {
  personId: string;
  status: string;
  protectionOrder?: boolean | null;
  summary?: string | null;
}

interface TransferDvCaseInput {
  personId: string;
  toAgencyId: string;
  toMunicipalityCode?: string | null;
  note?: string | null;
  accompanyingPersonIds?: string[] | null;
}

const personOf = (row: { personId: string }) => ({ id: row.personId });

/** The receipt of an urgent report: proof of filing, nothing about the person or the case. */
const receiptOf = (row: AbuseReportRow) => ({
  receiptNumber: row.receiptNumber,
  receivedAt: row.reportedAt,
  receivingAgencyId: row.receivingAgencyId,
  status: row.status,
});

export const resolvers: Resolvers<ChildDvStore> = {
  Query: {
    // Counts of the reports about persons of the caller's jurisdiction only (CONTRACT.md v2).
    urgentReportsDashboard: dashboardField((context: SubgraphContext<ChildDvStore>) =>
      context.store.dashboard(requireCaller(context)),
    ),
    // Only the agency a report is addressed to sees it: the queue is the caller's own, from the signature. A
    // report is the reporter's to address (a legal duty, 児童虐待防止法 6条): the agency it names receives it,
    // and passes on one about a person it does not serve; refusing it by where the person lives would tell
    // any reporter where she lives.
    urgentReports: (_: unknown, { status }: { status?: string | null }, context) =>
      context.store.urgentReports(requireCaller(context).agencyId, status ?? null),
  },

  Mutation: {
    // 児童虐待防止法 6条, DV防止法 6条: whoever finds danger to life or body must report, so any agency may
    // file (the gateway checks the receiver is a CHILD_DV agency); the sender gets its receipt only.
    recordAbuseReport: async (_: unknown, { input }: { input: RecordAbuseReportInput }, context) => {
      const caller = requireCaller(context);
      const personId = requireUuid(input.personId, 'personId');
      const row = await context.store.recordAbuseReport({
        personId,
        reporterAgencyId: caller.agencyId,
        kind: input.kind,
        urgency: input.urgency,
        receivingAgencyId: requireAgencyId(input.receivingAgencyId, 'receivingAgencyId'),
        summary: optionalText(input.summary, 'summary'),
        municipalityCode: registeredMunicipality(caller, personId),
      });
      return receiptOf(row);
    },
    triageAbuseReport: async (_: unknown, { input }: { input: TriageAbuseReportInput }, context) => {
      const caller = requireCaller(context);
      const row = await context.store.triageAbuseReport({
        reportId: requireUuid(input.reportId, 'reportId'),
        receivingAgencyId: caller.agencyId,
        status: input.status,
        note: optionalText(input.note, 'note'),
      });
      // The same answer whether the report is missing or addressed to another agency.
      if (!row)
        throw ERRORS.NOT_FOUND.err('No report with that id addressed to the calling agency', { argument: 'reportId' });
      if (row === 'CLOSED')
        throw ERRORS.BAD_USER_INPUT.err('The report is closed', { argument: 'reportId', reason: 'REPORT_CLOSED' });
      return row;
    },
    // 別添3 4(1): the gateway lets this through only with the person's consent naming the destination and
    // DV_LOCATION; here the case moves, if the caller holds it.
    transferDvCase: async (_: unknown, { input }: { input: TransferDvCaseInput }, context) => {
      const caller = requireCaller(context);
      const toAgencyId = requireAgencyId(input.toAgencyId, 'toAgencyId');
      if (toAgencyId === caller.agencyId) {
        throw ERRORS.BAD_USER_INPUT.err('toAgencyId names the caller: the case moves to another agency', {
          argument: 'toAgencyId',
          reason: 'TRANSFER_TO_SELF',
        });
      }
      const personId = requireUuid(input.personId, 'personId');
      const row = await context.store.transferDvCase({
        personId,
        fromAgencyId: caller.agencyId,
        toAgencyId,
        // Which of the destination's municipalities: the gateway checks the destination serves it.
        toMunicipalityCode:
          input.toMunicipalityCode == null
            ? null
            : requireMunicipalityCode(input.toMunicipalityCode, 'toMunicipalityCode'),
        note: optionalText(input.note, 'note'),
        accompanyingPersonIds: companions(input.accompanyingPersonIds, personId),
        deadline: caller.deadline,
      });
      if (!row)
        throw ERRORS.NOT_FOUND.err('No open DV case of that person held by the calling agency', {
          argument: 'personId',
        });
      return row;
    },
    // The gateway sends it only for a person the caller serves (input.personId); here, only the case's holder acts.
    updateChildWelfareCase: async (_: unknown, { input }: { input: UpdateChildWelfareCaseInput }, context) => {
      const caller = requireCaller(context);
      const row = await context.store.updateChildWelfareCase({
        personId: requireUuid(input.personId, 'personId'),
        caseId: requireUuid(input.caseId, 'caseId'),
        agencyId: caller.agencyId,
        status: input.status,
        registeredWithCouncil: input.registeredWithCouncil ?? null,
        summary: optionalText(input.summary, 'summary'),
      });
      // The same answer whether the case is missing, of another person or another agency's.
      if (!row)
        throw ERRORS.NOT_FOUND.err('No child-welfare case of that person with that id held by the calling agency', {
          argument: 'caseId',
        });
      if (row === 'CLOSED')
        throw ERRORS.BAD_USER_INPUT.err('The case is closed', { argument: 'caseId', reason: 'CASE_CLOSED' });
      return row;
    },
    updateDvCase: async (_: unknown, { input }: { input: UpdateDvCaseInput }, context) => {
      const caller = requireCaller(context);
      const row = await context.store.updateDvCase({
        personId: requireUuid(input.personId, 'personId'),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
        status: input.status,
        protectionOrder: input.protectionOrder ?? null,
        summary: optionalText(input.summary, 'summary'),
      });
      if (!row)
        throw ERRORS.NOT_FOUND.err('No open DV case of that person held by the calling agency', {
          argument: 'personId',
        });
      return row;
    },
    openChildWelfareCase: (_: unknown, { input }: { input: OpenChildWelfareCaseInput }, context) => {
      const caller = requireCaller(context);
      return context.store.openChildWelfareCase({
        personId: requireUuid(input.personId, 'personId'),
        classification: input.classification,
        agencyId: caller.agencyId,
        registeredWithCouncil: input.registeredWithCouncil ?? false,
        summary: optionalText(input.summary, 'summary'),
      });
    },
    openDvCase: (_: unknown, { input }: { input: OpenDvCaseInput }, context) => {
      const caller = requireCaller(context);
      const personId = requireUuid(input.personId, 'personId');
      return context.store.openDvCase({
        personId,
        municipalityCode: registeredMunicipality(caller, personId),
        agencyId: caller.agencyId,
        formerMunicipalityCode:
          input.formerMunicipalityCode != null
            ? requireMunicipalityCode(input.formerMunicipalityCode, 'formerMunicipalityCode')
            : null,
        protectionOrder: input.protectionOrder ?? false,
        summary: optionalText(input.summary, 'summary'),
      });
    },
    recordWhereabouts: async (_: unknown, { input }: { input: RecordWhereaboutsInput }, context) => {
      const caller = requireCaller(context);
      const row = await context.store.recordWhereabouts({
        dvCaseId: requireUuid(input.dvCaseId, 'dvCaseId'),
        agencyId: caller.agencyId,
        jurisdiction: caller.jurisdiction,
        municipalityCode: requireMunicipalityCode(input.municipalityCode, 'municipalityCode'),
        address: requiredText(input.address, 'address', MAX_LINE),
        shelterName: optionalLine(input.shelterName, 'shelterName', MAX_LINE),
        since: sinceNotAhead(input.since),
      });
      // The same answer whether the case is missing, another agency's or of a person the caller does not
      // serve: no probe learns a case exists.
      if (!row)
        throw ERRORS.NOT_FOUND.err('No DV case with that id held by the calling agency', { argument: 'dvCaseId' });
      return row;
    },
  },

  Person: {
    // Identity is the welfare subgraph's: any id is a resident here, with or without records.
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    childWelfareCases: (person: { id: string }, _: unknown, { store }) => store.childWelfareCases.load(person.id),
    abuseReports: (person: { id: string }, _: unknown, { store }) => store.abuseReports.load(person.id),
    dvCase: (person: { id: string }, _: unknown, { store }) => store.dvCase.load(person.id),
    dvCases: (person: { id: string }, _: unknown, { store }) => store.dvCases.load(person.id),
    whereabouts: async (person: { id: string }, _: unknown, { store }) => {
      const current = await store.dvCase.load(person.id);
      return current ? store.whereabouts.load(current.id) : null;
    },
  },

  ChildWelfareCase: {
    person: (row: ChildWelfareCaseRow) => personOf(row),
  },

  AbuseReport: {
    person: (row: AbuseReportRow) => personOf(row),
  },

  ProtectedWhereabouts: {
    person: async (row: WhereaboutsRow, _: unknown, { store }) => {
      const owner = await store.dvCaseOwner.load(row.dvCaseId);
      return owner ? personOf(owner) : null;
    },
  },

  DvCase: {
    person: (row: DvCaseRow) => personOf(row),
    whereabouts: (row: DvCaseRow, _: unknown, { store }) => store.whereabouts.load(row.id),
    transfers: (row: DvCaseRow, _: unknown, { store }) => store.transfers.load(row.id),
  },
};
