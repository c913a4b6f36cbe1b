// Resolvers of the hub's own subgraph: the register, managing the legal bases, and seeing the decisions.
// The rules of who may do what live in permissions.ts; the SQL in store.ts.

import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import {
  DateScalar,
  DateTimeScalar,
  DOMAINS,
  ERRORS,
  requireUuid,
  type DataCategory,
  type Domain,
} from '@hub/platform';
import type { Caller, GatewayContext } from '../context.js';
import { decide, type MeetingKind } from '../policy/decide.js';
import {
  accessLogView,
  isAuditor,
  isHubAdmin,
  mayConvene,
  mayExplainAccessOf,
  mayReviewEmergencies,
  mayRevokeConsent,
  maySeeAllConsents,
  maySetDisclosureProtection,
} from './permissions.js';
import { rateLimitArgument } from './agency-controls.js';
import { pageSize, requiredText } from './input.js';
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
  rateLimitPerMinute?: number | null;
}

function nonEmptyUnique<T>(values: readonly T[], argument: string): T[] {
  if (!values.length) throw ERRORS.BAD_USER_INPUT.err(`${argument} must not be empty`, { argument });
  return [...new Set(values)];
}

function uuids(values: readonly string[], argument: string): string[] {
  return nonEmptyUnique(values, argument).map((id) => requireUuid(id, argument));
}

function forbidden(message: string): never {
  throw ERRORS.FORBIDDEN.err(message);
}

/** Every id must name an agency of the register; one statement for all of them. */
async function requireAgencies(hub: HubStore, ids: readonly string[], argument: string): Promise<void> {
  const found = await hub.agency.loadMany(ids);
  if (found.some((agency) => !agency || agency instanceof Error)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} names an agency that is not registered`, { argument });
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
      if (!mayExplainAccessOf(caller, args.agencyId))
        forbidden("Only WELFARE agencies and auditors explain another agency's access");
      const agency = await hub.agency.load(args.agencyId);
      if (!agency) throw ERRORS.NOT_FOUND.err('No agency with that id', { argument: 'agencyId' });
      const bases = await hub.bases([personId]);
      const decision = decide({
        caller: { agencyId: agency.id, domain: agency.domain },
        personId,
        category: args.category,
        bases: bases.get(personId)!,
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

    consents: (_: unknown, args: { personId: string }, { caller, hub }) =>
      hub.consents.forPerson(
        requireUuid(args.personId, 'personId'),
        maySeeAllConsents(caller) ? null : caller.agencyId,
      ),

    meeting: (_: unknown, { id }: { id: string }, { caller, hub }) =>
      hub.meetings.visible(requireUuid(id, 'id'), caller.agencyId).then((row) => row ?? null),

    meetings: (_: unknown, args: { activeOnly?: boolean | null }, { caller, hub }) =>
      hub.meetings.visibleList(caller.agencyId, args.activeOnly ?? false),

    emergencyAccesses(_: unknown, args: { since?: Date | null }, { caller, hub }) {
      if (!mayReviewEmergencies(caller)) forbidden('Only WELFARE agencies and auditors review emergency accesses');
      return hub.emergencies.since(args.since ?? null);
    },

    async accessLog(
      _: unknown,
      args: { personId: string; first?: number | null; after?: string | null },
      { caller, hub },
    ) {
      const view = accessLogView(caller);
      if (!view) forbidden('Only auditors and WELFARE agencies read an access log');
      const personId = requireUuid(args.personId, 'personId');
      const first = pageSize(args.first, 50);
      const rows = await hub.accessLog.page(personId, {
        first: first + 1,
        afterId: args.after ? idOfCursor(args.after) : null,
        withholdProtected: view === 'DISCLOSURE',
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
      if (!MUNICIPALITY_CODE.test(input.municipalityCode) || !(await hub.municipality.load(input.municipalityCode))) {
        throw ERRORS.BAD_USER_INPUT.err('municipalityCode names no registered municipality', {
          argument: 'municipalityCode',
        });
      }
      return hub.registerAgency({
        id: input.id,
        name: requiredText(input.name, 'name', 200),
        domain: input.domain,
        kind: requiredText(input.kind, 'kind', 200),
        municipalityCode: input.municipalityCode,
        rateLimitPerMinute: rateLimitArgument(input.rateLimitPerMinute, 'rateLimitPerMinute'),
      });
    },

    // Any agency that obtained the person's consent records it; it is recorded as obtainedBy.
    async grantConsent(_: unknown, { input }: Args<GrantConsentInput>, context) {
      const { caller, hub } = context;
      const personId = requireUuid(input.personId, 'personId');
      const recipientAgencyIds = nonEmptyUnique(input.recipientAgencyIds, 'recipientAgencyIds');
      const categories = nonEmptyUnique(input.categories, 'categories');
      const purpose = requiredText(input.purpose, 'purpose');
      if (input.validUntil <= input.validFrom) {
        throw ERRORS.BAD_USER_INPUT.err('validUntil must be after validFrom', { argument: 'validUntil' });
      }
      const guardianName = input.guardianName?.trim() || null;
      if ((input.method === 'GUARDIAN') !== (guardianName !== null)) {
        throw ERRORS.BAD_USER_INPUT.err('guardianName is required for method GUARDIAN and only for it', {
          argument: 'guardianName',
        });
      }
      if (guardianName && guardianName.length > 200) {
        throw ERRORS.BAD_USER_INPUT.err('guardianName is at most 200 characters', { argument: 'guardianName' });
      }
      await requireAgencies(hub, recipientAgencyIds, 'recipientAgencyIds');
      if (!(await hasRelationship(context, personId))) {
        throw ERRORS.FORBIDDEN.err('Only an agency with a relationship to the person records a consent for them', {
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
        guardianName,
        obtainedBy: caller.agencyId,
        obtainedByStaff: caller.staffId,
      });
    },

    revokeConsent(_: unknown, args: { id: string; reason: string }, { caller, hub }) {
      const id = requireUuid(args.id, 'id');
      const reason = requiredText(args.reason, 'reason');
      return hub.consents.revoke(id, caller.agencyId, reason, (consent) => {
        if (!mayRevokeConsent(caller, consent)) {
          forbidden('Only the obtaining agency, a WELFARE agency or a hub administrator revokes this consent');
        }
      });
    },

    conveneMeeting(_: unknown, { input }: Args<ConveneMeetingInput>, { caller, hub }) {
      if (!mayConvene(caller, input.kind)) forbidden(`A ${caller.domain} agency does not convene a ${input.kind}`);
      const endsAt = input.endsAt ?? null;
      if (endsAt && endsAt <= input.startsAt) {
        throw ERRORS.BAD_USER_INPUT.err('endsAt must be after startsAt', { argument: 'endsAt' });
      }
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
        subjectPersonIds: uuids(input.subjectPersonIds, 'subjectPersonIds'),
        sharedCategories,
        startsAt: input.startsAt,
        endsAt,
        convenedBy: caller.agencyId,
        convenedByStaff: caller.staffId,
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

  Agency: {
    __resolveReference: ({ id }: { id: string }, { hub }) => hub.agency.load(id),
    municipality: (agency: AgencyRow, _: unknown, { hub }) => hub.municipality.load(agency.municipalityCode),
  },

  Consent: {
    recipients: async (consent: ConsentRow, _: unknown, { hub }) =>
      (await hub.agency.loadMany(consent.recipientAgencyIds)).filter(
        (agency): agency is AgencyRow => agency !== null && !(agency instanceof Error),
      ),
    obtainedBy: (consent: ConsentRow, _: unknown, { hub }) => hub.agency.load(consent.obtainedBy),
    active: (consent: ConsentRow) => isActiveNow(consent.validFrom, consent.validUntil, consent.revokedAt),
  },

  Meeting: {
    active: (meeting: MeetingRow) => isActiveNow(meeting.startsAt, meeting.endsAt, meeting.closedAt),
    convenedBy: (meeting: MeetingRow, _: unknown, { hub }) => hub.agency.load(meeting.convenedBy),
    members: (meeting: MeetingRow, _: unknown, { hub }) => hub.meetings.members.load(meeting.id),
  },

  MeetingMember: {
    agency: (member: MeetingMemberRow, _: unknown, { hub }) => hub.agency.load(member.agencyId),
  },

  EmergencyAccess: {
    agency: (access: EmergencyAccessRow, _: unknown, { hub }) => hub.agency.load(access.agencyId),
    active: (access: EmergencyAccessRow) => new Date() < access.expiresAt,
  },

  DisclosureProtection: {
    setBy: (protection: DisclosureProtectionRow, _: unknown, { hub }) => hub.agency.load(protection.setBy),
  },

  AccessLogEntry: {
    agency: (entry: AccessLogRow, _: unknown, { hub }) => hub.agency.load(entry.agencyId),
  },
};
