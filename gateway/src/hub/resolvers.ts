// Resolvers of the hub's own subgraph: the register, managing the legal bases, and seeing the decisions.
// The rules of who may do what live in permissions.ts; the SQL in store.ts.

import {
  DateScalar,
  DateTimeScalar,
  DOMAINS,
  ERRORS,
  requireUuid,
  type DataCategory,
  type Domain,
  type GraphQLResolverMap,
} from '@hub/platform';
import type { Caller, GatewayContext } from '../context.js';
import { guardedFields, partyIf, type RecordPolicy } from '../enforce/hub-records.js';
import { decide, type MeetingKind } from '../policy/decide.js';
import {
  accessLogView,
  categoriesHeldBy,
  categoriesOnlyTheHolderRecords,
  isAuditor,
  isHubAdmin,
  mayConvene,
  mayExplainAccessOf,
  mayReviewEmergencies,
  mayRevokeConsent,
  maySetDisclosureProtection,
  serves,
} from './permissions.js';
import { rateLimitArgument } from './agency-controls.js';
import { optionalText, pageSize, requiredText } from './input.js';
import { ageOn } from './participation.js';
import { hasRelationship } from './relationship.js';
import type {
  AccessLogRow,
  AgencyRow,
  ConsentMethod,
  ConsentRow,
  DisclosureProtectionRow,
  EmergencyAccessRow,
  HubStore,
  MeetingMemberRow,
  MeetingRow,
} from './store.js';

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const MUNICIPALITY_CODE = /^\d{6}$/;
const ADULT_AGE = 18;

type Args<T> = { input: T };

interface GrantConsentInput {
  personId: string;
  recipientAgencyIds: string[];
  categories: DataCategory[];
  purpose: string;
  validFrom: Date;
  validUntil: Date;
  method: ConsentMethod;
  guardianName?: string | null;
  evidenceRef?: string | null;
  witnessStaffId?: string | null;
  guardianshipRef?: string | null;
}

interface ConveneMeetingInput {
  kind: MeetingKind;
  title: string;
  subjectPersonIds: string[];
  sharedCategories: DataCategory[];
  startsAt: Date;
  endsAt?: Date | null;
}

interface DeclareEmergencyInput {
  personId: string;
  categories: DataCategory[];
  reason: string;
}

interface RegisterAgencyInput {
  id: string;
  name: string;
  domain: Domain;
  kind: string;
  municipalityCode: string;
  jurisdiction?: string[] | null;
  rateLimitPerMinute?: number | null;
}

function nonEmptyUnique<T>(values: readonly T[], argument: string): T[] {
  if (!values.length) throw ERRORS.BAD_USER_INPUT.err(`${argument} must not be empty`, { argument });
  return [...new Set(values)];
}

function uuids(values: readonly string[], argument: string): string[] {
  return nonEmptyUnique(values, argument).map((id) => requireUuid(id, argument));
}

function forbidden(message: string, extensions: Record<string, unknown> = {}): never {
  throw ERRORS.FORBIDDEN.err(message, extensions);
}

/** Every id must name an agency of the register; one statement for all of them. */
async function requireAgencies(hub: HubStore, ids: readonly string[], argument: string): Promise<void> {
  const found = await hub.agency.loadMany(ids);
  if (found.some((agency) => !agency || agency instanceof Error)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} names an agency that is not registered`, { argument });
  }
}

/** Where the person is registered now (null for an id the register does not know). */
async function municipalityOf(hub: HubStore, personId: string): Promise<string | null> {
  return (await hub.residents.registered([personId])).get(personId)?.municipalityCode ?? null;
}

/**
 * An agency acts for a person only within its jurisdiction. A person registered elsewhere and an id that
 * names no one are refused alike, so the refusal tells nothing of who is a resident where.
 */
function requireJurisdiction(caller: Caller, municipalityCode: string | null, personId: string): void {
  if (!serves(caller, municipalityCode)) {
    forbidden('The calling agency does not serve the municipality this person is registered in', {
      reason: 'OUTSIDE_JURISDICTION',
      personId,
    });
  }
}

function missingEvidence(argument: string, message: string): never {
  throw ERRORS.BAD_USER_INPUT.err(message, { argument: `input.${argument}`, reason: 'MISSING_EVIDENCE' });
}

/**
 * How the consent was obtained, as the contract asks it to be evidenced: a signed form for WRITTEN and
 * GUARDIAN (its reference in the recording agency's records), a second staff member for ORAL, and the
 * court's decision (成年後見) when a guardian consents for a person aged 18 or over (or of unknown age).
 */
function consentEvidence(
  input: GrantConsentInput,
  caller: Caller,
  birthDate: Date | null,
): {
  guardianName: string | null;
  evidenceRef: string | null;
  witnessStaffId: string | null;
  guardianshipRef: string | null;
} {
  const guardianName = optionalText(input.guardianName, 'guardianName', 200);
  const evidenceRef = optionalText(input.evidenceRef, 'evidenceRef', 200);
  const witnessStaffId = optionalText(input.witnessStaffId, 'witnessStaffId', 200);
  const guardianshipRef = optionalText(input.guardianshipRef, 'guardianshipRef', 200);
  if ((input.method === 'GUARDIAN') !== (guardianName !== null)) {
    throw ERRORS.BAD_USER_INPUT.err('guardianName is required for method GUARDIAN and only for it', {
      argument: 'input.guardianName',
      reason: guardianName === null ? 'MISSING_EVIDENCE' : 'INVALID_EVIDENCE',
    });
  }
  if (input.method !== 'ORAL' && !evidenceRef) {
    missingEvidence('evidenceRef', `A ${input.method} consent names its signed form (evidenceRef)`);
  }
  if (input.method === 'ORAL') {
    if (!witnessStaffId) missingEvidence('witnessStaffId', 'An ORAL consent names the staff member who witnessed it');
    if (witnessStaffId === caller.staffId) {
      throw ERRORS.BAD_USER_INPUT.err('The witness of an ORAL consent is another staff member than the recorder', {
        argument: 'input.witnessStaffId',
        reason: 'INVALID_EVIDENCE',
      });
    }
  }
  const adult = birthDate === null || ageOn(birthDate.toISOString().slice(0, 10), input.validFrom) >= ADULT_AGE;
  if (input.method === 'GUARDIAN' && adult && !guardianshipRef) {
    missingEvidence(
      'guardianshipRef',
      "A guardian's consent for an adult names the court's decision (guardianshipRef)",
    );
  }
  return {
    guardianName,
    evidenceRef,
    witnessStaffId: input.method === 'ORAL' ? witnessStaffId : null,
    guardianshipRef: input.method === 'GUARDIAN' ? guardianshipRef : null,
  };
}

/** A child council covers children, specified expectant mothers and the adults of a subject child's household. */
async function requireChildCouncilSubjects(context: GatewayContext, personIds: string[], startsAt: Date) {
  const invalid = await context.systemReads.invalidChildCouncilSubjects(personIds, startsAt);
  if (invalid.length) {
    throw ERRORS.BAD_USER_INPUT.err(
      'A child council covers children, specified expectant mothers and adults of a subject child’s household',
      { argument: 'subjectPersonIds', reason: 'INVALID_SUBJECT', personId: invalid[0] },
    );
  }
}

function conveningOnly(caller: Caller) {
  return (meeting: MeetingRow) => {
    if (meeting.convenedBy !== caller.agencyId) forbidden('Only the convening agency manages this meeting');
    if (meeting.closedAt) throw ERRORS.BAD_USER_INPUT.err('The meeting is closed', { argument: 'meetingId' });
  };
}

const isActiveNow = (from: Date, until: Date | null, closed: Date | null, now = new Date()) =>
  closed === null && from <= now && (until === null || now < until);

/** Opaque cursors over the log's ids, so clients do not build them. */
const cursorOf = (id: string) => Buffer.from(`log:${id}`).toString('base64url');

function idOfCursor(cursor: string): string {
  const match = /^log:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw ERRORS.BAD_USER_INPUT.err('after is not a cursor of this log', { argument: 'after' });
  return match[1]!;
}

// A record that says where a DV victim now lives (the consent that carried a transfer) is DV_LOCATION;
// any other consent is the person's WELFARE_CASE. The agencies it names read it as their own.
const consentCategory = (consent: ConsentRow): DataCategory =>
  consent.categories.includes('DV_LOCATION') ? 'DV_LOCATION' : 'WELFARE_CASE';

const consentPolicy: RecordPolicy<ConsentRow> = {
  key: (consent) => `Consent:${consent.id}`,
  personIds: (consent) => [consent.personId],
  category: consentCategory,
  standing: (consent, { caller }) =>
    partyIf(consent.obtainedBy === caller.agencyId || consent.recipientAgencyIds.includes(caller.agencyId)),
};

// Where a person is registered is their CONTACT data, decided like any other subgraph's field.
const personPolicy: RecordPolicy<{ id: string }> = {
  key: (person) => `Person:${person.id.toLowerCase()}`,
  personIds: (person) => [person.id.toLowerCase()],
  category: () => 'CONTACT',
  standing: () => ({ party: false }),
};

// A meeting is shown to its convener and members only; its title and subjects are the subjects' WELFARE_CASE.
const meetingPolicy: RecordPolicy<MeetingRow> = {
  key: (meeting) => `Meeting:${meeting.id}`,
  personIds: (meeting) => meeting.subjectPersonIds,
  category: () => 'WELFARE_CASE',
  standing: () => partyIf(true),
};

/**
 * A person's consents the caller may see: those that name it, and the others while it holds a basis for
 * their category (WELFARE_CASE, or DV_LOCATION for one that carried a DV victim's whereabouts).
 */
async function visibleConsents(context: GatewayContext, personId: string, operationName: string | null) {
  const { caller, hub } = context;
  const all = await hub.consents.forPerson(personId, null);
  const port = context.policyFor(operationName);
  const categories = new Set<DataCategory>(['WELFARE_CASE', ...all.map(consentCategory)]);
  const decisions = (await port.decide([personId], categories)).get(personId)!;
  await port.record([{ personId, decisions }]);
  const named = (c: ConsentRow) => c.obtainedBy === caller.agencyId || c.recipientAgencyIds.includes(caller.agencyId);
  const visible = all.filter((c) => named(c) || decisions.get(consentCategory(c))?.allowed);
  const listing = decisions.get('WELFARE_CASE')!;
  return { visible, denied: listing.allowed ? null : listing.reason };
}

export const hubResolvers: GraphQLResolverMap<GatewayContext> = {
  DateTime: DateTimeScalar,
  Date: DateScalar,

  Query: {
    agencies: (_: unknown, args: { domain?: string | null; municipalityCode?: string | null }, { hub }) =>
      hub.agencies(args),
    agency: (_: unknown, { id }: { id: string }, { hub }) => hub.agency.load(id),
    municipalities: (_: unknown, __: unknown, { hub }) => hub.municipalities(),

    async explainAccess(
      _: unknown,
      args: { personId: string; category: DataCategory; agencyId: string },
      { caller, hub },
    ) {
      const personId = requireUuid(args.personId, 'personId');
      const bases = (await hub.bases([personId])).get(personId)!;
      if (!mayExplainAccessOf(caller, args.agencyId, bases.municipalityCode))
        forbidden("Only auditors and the WELFARE agencies serving the person explain another agency's access");
      const agency = await hub.agency.load(args.agencyId);
      if (!agency) throw ERRORS.NOT_FOUND.err('No agency with that id', { argument: 'agencyId' });
      const decision = decide({
        caller: { agencyId: agency.id, domain: agency.domain, jurisdiction: agency.jurisdiction },
        personId,
        category: args.category,
        bases,
        now: new Date(),
      });
      return decision.allowed
        ? {
            allowed: true,
            basis: decision.basis,
            reason: null,
            consentId: decision.consentId ?? null,
            meetingId: decision.meetingId ?? null,
            emergencyId: decision.emergencyId ?? null,
          }
        : { allowed: false, basis: null, reason: decision.reason, consentId: null, meetingId: null, emergencyId: null };
    },

    async consents(_: unknown, args: { personId: string }, context, info) {
      const personId = requireUuid(args.personId, 'personId');
      const { visible, denied } = await visibleConsents(context, personId, info.operation.name?.value ?? null);
      // A denied list: null with the denial, unless consents naming the caller are there to show.
      if (denied && !visible.length) {
        throw ERRORS.FORBIDDEN.err('No legal basis to read WELFARE_CASE of this person', {
          reason: denied,
          category: 'WELFARE_CASE',
          personId,
        });
      }
      return visible;
    },

    meeting: (_: unknown, { id }: { id: string }, { caller, hub }) =>
      hub.meetings.visible(requireUuid(id, 'id'), caller.agencyId).then((row) => row ?? null),

    meetings: (_: unknown, args: { activeOnly?: boolean | null }, { caller, hub }) =>
      hub.meetings.visibleList(caller.agencyId, args.activeOnly ?? false),

    // Declarations and their reasons are for auditors and the declaring agency: an auditor sees every one
    // (review PENDING: the queue still to review), any other agency its own.
    emergencyAccesses(
      _: unknown,
      args: { since?: Date | null; review?: 'PENDING' | 'REVIEWED' | null },
      { caller, hub },
    ) {
      return hub.emergencies.list({
        since: args.since ?? null,
        declaredBy: mayReviewEmergencies(caller) ? null : caller.agencyId,
        review: args.review ?? null,
      });
    },

    async accessLog(
      _: unknown,
      args: { personId: string; first?: number | null; after?: string | null },
      { caller, hub, systemReads },
    ) {
      const personId = requireUuid(args.personId, 'personId');
      const view = accessLogView(caller, await municipalityOf(hub, personId));
      if (!view) {
        forbidden("Only auditors and the WELFARE agency of the person's municipality read an access log");
      }
      const first = pageSize(args.first, 50);
      const rows = await hub.accessLog.page(personId, {
        first: first + 1,
        afterId: args.after ? idOfCursor(args.after) : null,
        withholdProtected: view === 'DISCLOSURE',
        protectedNow: view === 'DISCLOSURE' && (await systemReads.protectionActive(personId)),
      });
      const page = rows.slice(0, first);
      return {
        edges: page.map((node) => ({ cursor: cursorOf(node.id), node })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursorOf(page.at(-1)!.id) : null },
      };
    },

    verifyAccessLog(_: unknown, __: unknown, { caller, hub }) {
      if (!isAuditor(caller)) forbidden('Only auditors verify the access log');
      return hub.accessLog.verify();
    },
  },

  Mutation: {
    async registerAgency(_: unknown, { input }: Args<RegisterAgencyInput>, { caller, hub }) {
      if (!isHubAdmin(caller)) forbidden('Only a hub administrator registers agencies');
      if (!AGENCY_ID.test(input.id)) {
        throw ERRORS.BAD_USER_INPUT.err('id is 2 to 63 lower-case letters, digits and hyphens', { argument: 'id' });
      }
      if (!DOMAINS.includes(input.domain)) throw ERRORS.BAD_USER_INPUT.err('Unknown domain', { argument: 'domain' });
      const jurisdiction = [...new Set([input.municipalityCode, ...(input.jurisdiction ?? [])])];
      for (const code of jurisdiction) {
        if (!MUNICIPALITY_CODE.test(code) || !(await hub.municipality.load(code))) {
          throw ERRORS.BAD_USER_INPUT.err('municipalityCode and jurisdiction name registered municipalities only', {
            argument: input.jurisdiction?.includes(code) ? 'jurisdiction' : 'municipalityCode',
          });
        }
      }
      return hub.registerAgency({
        id: input.id,
        name: requiredText(input.name, 'name', 200),
        domain: input.domain,
        kind: requiredText(input.kind, 'kind', 200),
        municipalityCode: input.municipalityCode,
        jurisdiction,
        rateLimitPerMinute: rateLimitArgument(input.rateLimitPerMinute, 'rateLimitPerMinute'),
      });
    },

    // An agency records a consent it obtained, for a person it serves and has a relationship with; what the
    // consent opens now is what the recorder's own domain holds (the holder lets its data flow).
    async grantConsent(_: unknown, { input }: Args<GrantConsentInput>, context) {
      const { caller, hub } = context;
      const personId = requireUuid(input.personId, 'personId');
      const recipientAgencyIds = nonEmptyUnique(input.recipientAgencyIds, 'recipientAgencyIds');
      const categories = nonEmptyUnique(input.categories, 'categories');
      const purpose = requiredText(input.purpose, 'purpose');
      if (input.validUntil <= input.validFrom) {
        throw ERRORS.BAD_USER_INPUT.err('validUntil must be after validFrom', { argument: 'validUntil' });
      }
      const resident = (await hub.residents.registered([personId])).get(personId);
      const evidence = consentEvidence(input, caller, resident?.birthDate ?? null);
      await requireAgencies(hub, recipientAgencyIds, 'recipientAgencyIds');
      const holderOnly = categoriesOnlyTheHolderRecords(caller, categories);
      if (holderOnly.length) {
        forbidden(`Only an agency of the holding domain records a consent naming ${holderOnly[0]}`, {
          reason: 'NOT_THE_HOLDER',
          category: holderOnly[0],
          personId,
        });
      }
      requireJurisdiction(caller, resident?.municipalityCode ?? null, personId);
      if (!(await hasRelationship(context, personId))) {
        forbidden('Only an agency with a relationship to the person records a consent for them', {
          reason: 'NO_RELATIONSHIP',
          personId,
        });
      }
      return hub.consents.grant({
        personId,
        recipientAgencyIds,
        categories,
        purpose,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
        method: input.method,
        ...evidence,
        confirmedCategories: categoriesHeldBy(caller, categories),
        obtainedBy: caller.agencyId,
        obtainedByStaff: caller.staffId,
      });
    },

    // 個人情報保護法: the organ that holds the data decides on its provision; it confirms its categories.
    async confirmConsent(_: unknown, args: { id: string; categories: DataCategory[] }, { caller, hub }) {
      const id = requireUuid(args.id, 'id');
      const categories = nonEmptyUnique(args.categories, 'categories');
      const notHeld = categories.filter((c) => !categoriesHeldBy(caller, [c]).length);
      if (notHeld.length) {
        forbidden(`Only an agency of the domain holding ${notHeld[0]} confirms it`, {
          reason: 'NOT_THE_HOLDER',
          category: notHeld[0],
        });
      }
      const [consent] = await hub.consents.byIds([id]);
      if (!consent) throw ERRORS.NOT_FOUND.err('No consent with that id', { argument: 'id' });
      requireJurisdiction(caller, await municipalityOf(hub, consent.personId), consent.personId);
      return hub.consents.confirm(id, categories, caller, (current) => {
        const outside = categories.filter((c) => !current.categories.includes(c));
        if (outside.length) {
          throw ERRORS.BAD_USER_INPUT.err(`The consent does not name ${outside[0]}`, {
            argument: 'categories',
            reason: 'CATEGORY_NOT_IN_CONSENT',
          });
        }
        // A consent that has not started yet may be confirmed ahead; a revoked or expired one opens nothing.
        if (current.revokedAt || current.validUntil <= new Date()) {
          throw ERRORS.BAD_USER_INPUT.err('A revoked or expired consent is not confirmed', {
            argument: 'id',
            reason: 'CONSENT_NOT_ACTIVE',
          });
        }
      });
    },

    async revokeConsent(_: unknown, args: { id: string; reason: string }, { caller, hub }) {
      const id = requireUuid(args.id, 'id');
      const reason = requiredText(args.reason, 'reason');
      const [consent] = await hub.consents.byIds([id]);
      if (!consent) throw ERRORS.NOT_FOUND.err('No consent with that id', { argument: 'id' });
      const municipality = await municipalityOf(hub, consent.personId);
      return hub.consents.revoke(id, caller.agencyId, reason, (current) => {
        if (!mayRevokeConsent(caller, current, municipality)) {
          forbidden('Only the obtaining agency, a WELFARE agency serving the person or a hub administrator revokes it');
        }
      });
    },

    async conveneMeeting(_: unknown, { input }: Args<ConveneMeetingInput>, context) {
      const { caller, hub } = context;
      if (!mayConvene(caller, input.kind)) forbidden(`A ${caller.domain} agency does not convene a ${input.kind}`);
      const endsAt = input.endsAt ?? null;
      if (endsAt && endsAt <= input.startsAt) {
        throw ERRORS.BAD_USER_INPUT.err('endsAt must be after startsAt', { argument: 'endsAt' });
      }
      const subjectPersonIds = uuids(input.subjectPersonIds, 'subjectPersonIds');
      const registered = await hub.residents.registered(subjectPersonIds);
      for (const personId of subjectPersonIds) {
        requireJurisdiction(caller, registered.get(personId)?.municipalityCode ?? null, personId);
      }
      const municipalities = new Set(subjectPersonIds.map((id) => registered.get(id)!.municipalityCode));
      if (municipalities.size > 1) {
        throw ERRORS.BAD_USER_INPUT.err('A meeting belongs to one municipality: its subjects are registered there', {
          argument: 'subjectPersonIds',
          reason: 'SUBJECTS_IN_SEVERAL_MUNICIPALITIES',
        });
      }
      if (input.kind === 'CHILD_COUNCIL') await requireChildCouncilSubjects(context, subjectPersonIds, input.startsAt);
      // 児童福祉法 25条の3: a child council shares child welfare information among its members by statute.
      const sharedCategories = [
        ...new Set<DataCategory>([
          ...input.sharedCategories,
          ...(input.kind === 'CHILD_COUNCIL' ? (['CHILD_WELFARE'] as const) : []),
        ]),
      ];
      return hub.meetings.convene({
        kind: input.kind,
        title: requiredText(input.title, 'title', 200),
        subjectPersonIds,
        sharedCategories,
        startsAt: input.startsAt,
        endsAt,
        convenedBy: caller.agencyId,
        convenedByStaff: caller.staffId,
        municipalityCode: [...municipalities][0]!,
      });
    },

    async addMeetingMember(_: unknown, args: { meetingId: string; agencyId: string }, { caller, hub }) {
      const meetingId = requireUuid(args.meetingId, 'meetingId');
      await requireAgencies(hub, [args.agencyId], 'agencyId');
      return hub.meetings.addMember(meetingId, args.agencyId, conveningOnly(caller));
    },

    removeMeetingMember(_: unknown, args: { meetingId: string; agencyId: string }, { caller, hub }) {
      const meetingId = requireUuid(args.meetingId, 'meetingId');
      const guard = conveningOnly(caller);
      return hub.meetings.removeMember(meetingId, args.agencyId, (meeting) => {
        guard(meeting);
        if (args.agencyId === meeting.convenedBy) {
          throw ERRORS.BAD_USER_INPUT.err('The convening agency stays a member; close the meeting instead', {
            argument: 'agencyId',
          });
        }
      });
    },

    closeMeeting: (_: unknown, { id }: { id: string }, { caller, hub }) =>
      hub.meetings.close(requireUuid(id, 'id'), conveningOnly(caller)),

    acknowledgeConfidentiality: (_: unknown, { meetingId }: { meetingId: string }, { caller, hub }) =>
      hub.meetings.acknowledge(requireUuid(meetingId, 'meetingId'), caller.agencyId),

    // Imminent danger to life or body (DOMAIN.md §4.5): any agency may declare, with a reason, for a short time.
    declareEmergency: (_: unknown, { input }: Args<DeclareEmergencyInput>, { caller, hub }) =>
      hub.emergencies.declare({
        agencyId: caller.agencyId,
        staffId: caller.staffId,
        personId: requireUuid(input.personId, 'personId'),
        categories: nonEmptyUnique(input.categories, 'categories'),
        reason: requiredText(input.reason, 'reason'),
      }),

    reviewEmergency(
      _: unknown,
      args: { id: string; outcome: 'JUSTIFIED' | 'UNJUSTIFIED'; note?: string | null },
      { caller, hub },
    ) {
      if (!mayReviewEmergencies(caller)) forbidden('Only an auditor reviews an emergency access');
      return hub.emergencies.review(
        requireUuid(args.id, 'id'),
        args.outcome,
        optionalText(args.note, 'note'),
        caller.agencyId,
      );
    },

    setDisclosureProtection(_: unknown, args: { personId: string; until: Date }, { caller, hub }) {
      if (!maySetDisclosureProtection(caller)) forbidden('Only a CHILD_DV agency sets a disclosure protection');
      return hub.disclosureProtections.set(
        requireUuid(args.personId, 'personId'),
        caller.agencyId,
        caller.staffId,
        args.until,
      );
    },
  },

  Person: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    ...guardedFields(personPolicy, ['municipalityCode'], {
      municipalityCode: async ({ id }: { id: string }, _: never, { hub }) =>
        (await hub.residents.resident.load(id.toLowerCase()))?.municipalityCode ?? null,
    }),
  },

  Agency: {
    __resolveReference: ({ id }: { id: string }, { hub }) => hub.agency.load(id),
    municipality: (agency: AgencyRow, _: unknown, { hub }) => hub.municipality.load(agency.municipalityCode),
    jurisdiction: (agency: AgencyRow) => agency.jurisdiction,
  },

  Consent: {
    ...guardedFields(consentPolicy, ['purpose', 'guardianName', 'evidenceRef', 'witnessStaffId', 'guardianshipRef']),
    ...guardedFields(consentPolicy, ['recipients'], {
      recipients: async (consent: ConsentRow, _: never, { hub }) =>
        (await hub.agency.loadMany(consent.recipientAgencyIds)).filter(
          (agency): agency is AgencyRow => agency !== null && !(agency instanceof Error),
        ),
    }),
    obtainedBy: (consent: ConsentRow, _: unknown, { hub }) => hub.agency.load(consent.obtainedBy),
    active: (consent: ConsentRow) => isActiveNow(consent.validFrom, consent.validUntil, consent.revokedAt),
    awaitingConfirmation: (consent: ConsentRow) =>
      consent.categories.filter((c) => !consent.confirmedCategories.includes(c)),
  },

  Meeting: {
    ...guardedFields(meetingPolicy, ['title', 'subjectPersonIds']),
    active: (meeting: MeetingRow) => isActiveNow(meeting.startsAt, meeting.endsAt, meeting.closedAt),
    convenedBy: (meeting: MeetingRow, _: unknown, { hub }) => hub.agency.load(meeting.convenedBy),
    members: (meeting: MeetingRow, _: unknown, { hub }) => hub.meetings.members.load(meeting.id),
    municipality: (meeting: MeetingRow, _: unknown, { hub }) =>
      meeting.municipalityCode ? hub.municipality.load(meeting.municipalityCode) : null,
  },

  MeetingMember: {
    agency: (member: MeetingMemberRow, _: unknown, { hub }) => hub.agency.load(member.agencyId),
  },

  EmergencyAccess: {
    agency: (access: EmergencyAccessRow, _: unknown, { hub }) => hub.agency.load(access.agencyId),
    active: (access: EmergencyAccessRow) => new Date() < access.expiresAt,
    review: (access: EmergencyAccessRow) =>
      access.reviewOutcome
        ? { outcome: access.reviewOutcome, note: access.reviewNote, reviewedAt: access.reviewedAt }
        : null,
  },

  DisclosureProtection: {
    setBy: (protection: DisclosureProtectionRow, _: unknown, { hub }) => hub.agency.load(protection.setBy),
  },

  AccessLogEntry: {
    agency: (entry: AccessLogRow, _: unknown, { hub }) => hub.agency.load(entry.agencyId),
  },
};
