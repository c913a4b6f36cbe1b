// Resolvers of the hub's own subgraph: the register, emergencies and seeing the decisions (consents are in
// consents.ts, meetings in meetings.ts, referrals in referrals.ts). Who may act is permissions.ts's (with the
// argument and jurisdiction checks of guards.ts and the relationship of relationship.ts); what a reader is
// shown of a record about a person is the decision's, through enforce/hub-records.ts; the SQL is store/'s.

import {
  AGENCY_ID,
  DateScalar,
  DateTimeScalar,
  DOMAINS,
  ERRORS,
  requireUuid,
  type DataCategory,
  type Domain,
  type GraphQLResolverMap,
  optionalText,
  notOfThisList,
  pageSize,
  MAX_PAGE,
  requiredText,
  requiredLine,
  MAX_LINE,
  listPage,
  type PageArgs,
} from '@hub/platform';
import type { GatewayContext } from '../context.js';
import { asAuditorOf, guardedFields, readByParties, type RecordPolicy } from '../enforce/hub-records.js';
import { explainTo } from '../policy/explain.js';
import {
  accessLogView,
  isAuditor,
  mayExplainAccessOf,
  mayReviewDeclaration,
  mayReviewEmergencies,
  maySetDisclosureProtection,
  serves,
  welfareReadingRefusal,
} from './permissions.js';
import { changerOf, rateLimitArgument } from './agency-controls.js';
import {
  auditorOnly,
  forbidden,
  hubAdminOnly,
  isRegisteredMunicipality,
  municipalityOf,
  nonEmptyUnique,
  periodOf,
  requireJurisdiction,
  unknownMunicipality,
} from './guards.js';
import { SYSTEM_AGENCY } from './system-reads.js';
import type {
  AccessLogRow,
  AgencyRow,
  DisclosureProtectionRow,
  EmergencyAccessRow,
  HubStore,
  ProtectionPeriod,
  ResidentRow,
} from './store.js';

/** An access decision's record fields, none: what a refusal or an allowed access on no record carries. */
const NOTHING_EXPLAINED = { basis: null, reason: null, consentId: null, meetingId: null, emergencyId: null };

/** An agency's kind when its registration names none: what its domain's agencies are. */
const AGENCY_KIND_OF_DOMAIN: Readonly<Record<Domain, string>> = {
  WELFARE: '福祉部局',
  SUICIDE_PREVENTION: '自殺対策主管部局',
  CHILD_DV: '子ども家庭・DV支援機関',
  EMPLOYMENT: '職業紹介機関',
  SENIORS_WORK: '高齢者就業支援機関',
  ENVIRONMENT: '環境部局',
};

type Args<T> = { input: T };

interface DeclareEmergencyInput {
  personId: string;
  categories: DataCategory[];
  reason: string;
}

interface RegisterAgencyInput {
  id: string;
  name: string;
  domain: Domain;
  kind?: string | null;
  municipalityCode?: string | null;
  jurisdiction?: string[] | null;
  rateLimitPerMinute?: number | null;
}

/** An access log entry's cursor: its sealed id (hub/log-ids.ts). */
export const cursorOf = (hub: HubStore, id: string) => hub.logIds.seal(id);

/** The id of the entry a cursor points after: `row`, or `row.n` for the n-th person a row names. */
export function idOfCursor(hub: HubStore, cursor: string): string {
  const id = hub.logIds.open(cursor);
  return id ?? notOfThisList('a cursor of this log');
}

/** A person as the hub's register has them (null: not registered through the hub). */
interface RegisteredPerson {
  readonly id: string;
  readonly resident: ResidentRow | null;
}

// Where a person is registered is their CONTACT data, decided like any other subgraph's field; once a DV
// transfer moved her, it says where a DV victim now lives, which is DV_LOCATION, and a refusal of it tells
// of a DV case only an agency that may read her DV data (hub-records.ts, raisedFor).
const personPolicy: RecordPolicy<RegisteredPerson> = {
  key: (person) => `Person:${person.id}`,
  personIds: (person) => [person.id],
  category: (person) => (person.resident?.locationProtected ? 'DV_LOCATION' : 'CONTACT'),
  tagged: 'CONTACT',
  raisedFor: 'DV',
  ownDomainCovers: (person, { caller }) => person.resident === null || serves(caller, person.resident.municipalityCode),
  standing: () => ({ party: false }),
};

// An emergency's reason says why the person was thought in danger: read by the declaring agency and by
// auditors only (the list shows no one else a declaration), each read logged as the hub's records' are. An
// auditor reads it on its role (AUDIT, naming the emergency), its own agency's declaration too: the disclosure
// view withholds the review of one that tells of child protection or DV by that name, whoever reviews it.
const emergencyPolicy: RecordPolicy<EmergencyAccessRow> = {
  key: (access) => `EmergencyAccess:${access.id}`,
  personIds: (access) => [access.personId],
  category: () => 'WELFARE_CASE',
  standing: (access, { caller }) =>
    isAuditor(caller)
      ? asAuditorOf(access.id)
      : access.agencyId === caller.agencyId
        ? { party: true }
        : { party: false },
};

/** An emergency's review, with the declaration it reviews: its note is read as the declaration's reason is. */
interface EmergencyReviewRow {
  readonly outcome: string;
  readonly note: string | null;
  readonly reviewedAt: Date | null;
  readonly access: EmergencyAccessRow;
}

const emergencyReviewPolicy: RecordPolicy<EmergencyReviewRow> = {
  key: (review) => emergencyPolicy.key(review.access),
  personIds: (review) => [review.access.personId],
  category: () => 'WELFARE_CASE',
  standing: (review, context) => emergencyPolicy.standing(review.access, context),
};

/**
 * The whiles a protection of her disclosure view was active (不開示, CONTRACT.md v2): her DV and
 * child-protection cases' and reports' in the child-DV system, and the CHILD_DV agencies' settings.
 */
async function protectedDuring(
  personId: string,
  { hub, systemReads }: Pick<GatewayContext, 'hub' | 'systemReads'>,
): Promise<ProtectionPeriod[]> {
  const [cases, settings] = await Promise.all([
    systemReads.protectionPeriods(personId),
    hub.disclosureProtections.periods(personId),
  ]);
  return [...cases, ...settings];
}

export const hubResolvers: GraphQLResolverMap<GatewayContext> = {
  DateTime: DateTimeScalar,
  Date: DateScalar,

  Query: {
    async agencies(_: unknown, args: { domain?: string | null; municipalityCode?: string | null }, { hub }) {
      // A mistyped code is refused rather than answered as a town without agencies.
      const code = args.municipalityCode;
      if (code != null && !(await isRegisteredMunicipality(hub, code))) throw unknownMunicipality('municipalityCode');
      return hub.agencies(args);
    },
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
        forbidden("Only auditors and the WELFARE agencies serving the person explain another agency's access", {
          reason: welfareReadingRefusal(caller),
        });
      const agency = await hub.agency.load(args.agencyId);
      if (!agency) throw ERRORS.NOT_FOUND.err('No agency with that id', { argument: 'agencyId' });
      // Its tokens are refused (401) whatever its bases say: it reads nothing until it is switched on again.
      if (agency.deactivatedAt) return { ...NOTHING_EXPLAINED, allowed: false, reason: 'AGENCY_DEACTIVATED' };
      const decision = explainTo(
        { agency: caller, seesAll: isAuditor(caller) },
        {
          caller: { agencyId: agency.id, domain: agency.domain, jurisdiction: agency.jurisdiction },
          personId,
          category: args.category,
          bases,
          now: new Date(),
        },
      );
      if (!decision) {
        forbidden('Whether another agency may read where a DV victim lives is told only to agencies that may read it', {
          reason: 'PROTECTED_LOCATION',
        });
      }
      // A denial names the consent or meeting its reason speaks of: one the asker knows of (explainTo).
      if (!decision.allowed)
        return {
          allowed: false,
          basis: null,
          reason: decision.reason,
          consentId: decision.consentId ?? null,
          meetingId: decision.meetingId ?? null,
          emergencyId: null,
        };
      const record: { consentId?: string; meetingId?: string; emergencyId?: string } =
        decision.basis === null ? {} : decision;
      return {
        allowed: true,
        basis: decision.basis,
        reason: null,
        consentId: record.consentId ?? null,
        meetingId: record.meetingId ?? null,
        emergencyId: record.emergencyId ?? null,
      };
    },

    // Declarations and their reasons are for auditors and the declaring agency: an auditor sees every one
    // (review PENDING: the queue still to review), any other agency its own. Whom each is about is read with
    // it: logged.
    ...readByParties(emergencyPolicy, {
      emergencyAccesses: (
        _: unknown,
        args: { since?: Date | null; review?: 'PENDING' | 'REVIEWED' | null } & PageArgs,
        { caller, hub }: GatewayContext,
      ) =>
        listPage(
          args,
          'a declaration of this list',
          (page) =>
            hub.emergencies.list({
              since: args.since ?? null,
              declaredBy: mayReviewEmergencies(caller) ? null : caller.agencyId,
              review: args.review ?? null,
              ...page,
            }),
          MAX_PAGE,
        ),
    }),

    async accessLog(
      _: unknown,
      args: { personId: string; from?: Date | null; to?: Date | null; first?: number | null; after?: string | null },
      { caller, hub, systemReads },
    ) {
      const personId = requireUuid(args.personId, 'personId');
      const period = periodOf(args);
      const view = accessLogView(caller, await municipalityOf(hub, personId));
      if (!view) {
        forbidden("Only auditors and the WELFARE agency of the person's municipality read an access log", {
          reason: welfareReadingRefusal(caller),
        });
      }
      const first = pageSize(args.first, 50);
      // A row names a person once, so a person's log pages by row: one of hers this view shows, not another's
      // log's, nor one it withholds (whether a cursor is taken would tell that the withheld entry names her).
      const afterId = args.after == null ? null : idOfCursor(hub, args.after).split('.')[0]!;
      const options = {
        withholdProtected: view === 'DISCLOSURE',
        protectedDuring: view === 'DISCLOSURE' ? await protectedDuring(personId, { hub, systemReads }) : [],
        readerId: caller.agencyId,
        ...period,
      };
      if (afterId !== null && !(await hub.accessLog.shows(personId, afterId, options))) {
        notOfThisList('a cursor of this log');
      }
      const rows = await hub.accessLog.page(personId, { first: first + 1, afterId, ...options });
      const page = rows.slice(0, first);
      return {
        edges: page.map((node) => ({ cursor: cursorOf(hub, node.id), node })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursorOf(hub, page.at(-1)!.id) : null },
      };
    },

    verifyAccessLog(_: unknown, __: unknown, { caller, hub }) {
      auditorOnly(caller, 'verifies the access log');
      return hub.accessLog.verify();
    },
  },

  Mutation: {
    async registerAgency(_: unknown, { input }: Args<RegisterAgencyInput>, context) {
      const { caller, hub } = context;
      hubAdminOnly(caller, 'registers agencies');
      if (!AGENCY_ID.test(input.id)) {
        throw ERRORS.BAD_USER_INPUT.err('id is 2 to 63 lower-case letters, digits and hyphens', {
          argument: 'id',
          reason: 'INVALID_ID',
        });
      }
      if (input.id === SYSTEM_AGENCY) {
        throw ERRORS.BAD_USER_INPUT.err('id names the hub itself', { argument: 'id', reason: 'RESERVED_ID' });
      }
      if (!DOMAINS.includes(input.domain))
        throw ERRORS.BAD_USER_INPUT.err('Unknown domain', { argument: 'domain', reason: 'UNKNOWN_DOMAIN' });
      // Its seat, or the first municipality it serves: an agency serves at least the town it sits in.
      const seat = input.municipalityCode ?? input.jurisdiction?.[0];
      if (seat == null) {
        throw ERRORS.BAD_USER_INPUT.err('Name the municipality the agency sits in (municipalityCode) or serves', {
          argument: 'municipalityCode',
          reason: 'MISSING_MUNICIPALITY',
        });
      }
      const jurisdiction = [...new Set([seat, ...(input.jurisdiction ?? [])])];
      for (const code of jurisdiction) {
        if (!(await isRegisteredMunicipality(hub, code))) {
          throw unknownMunicipality(input.jurisdiction?.includes(code) ? 'jurisdiction' : 'municipalityCode');
        }
      }
      return hub.registerAgency(
        {
          id: input.id,
          name: requiredLine(input.name, 'name', MAX_LINE),
          domain: input.domain,
          kind: input.kind == null ? AGENCY_KIND_OF_DOMAIN[input.domain] : requiredLine(input.kind, 'kind', MAX_LINE),
          municipalityCode: seat,
          jurisdiction,
          rateLimitPerMinute: rateLimitArgument(input.rateLimitPerMinute, 'rateLimitPerMinute'),
        },
        changerOf(context),
      );
    },

    // Imminent danger to life or body (DOMAIN.md §4.5): any agency may declare, with a reason, for a short time,
    // about a person where it serves. A declaration opens what it names, so one about a resident of another
    // town, answered where one about an id that names no one is not, would tell whether an id is a resident:
    // both are refused alike (OUTSIDE_JURISDICTION), and nothing is recorded.
    ...readByParties(emergencyPolicy, {
      declareEmergency: async (_: unknown, { input }: Args<DeclareEmergencyInput>, { caller, hub }: GatewayContext) => {
        const personId = requireUuid(input.personId, 'personId');
        const categories = nonEmptyUnique(input.categories, 'categories');
        const reason = requiredText(input.reason, 'reason');
        requireJurisdiction(caller, await municipalityOf(hub, personId), personId);
        return hub.emergencies.declare({
          agencyId: caller.agencyId,
          staffId: caller.staffId,
          personId,
          categories,
          reason,
        });
      },

      reviewEmergency: (
        _: unknown,
        args: { id: string; outcome: 'JUSTIFIED' | 'UNJUSTIFIED'; note?: string | null },
        { caller, hub }: GatewayContext,
      ) => {
        if (!mayReviewEmergencies(caller)) {
          forbidden('Only an auditor reviews an emergency access', { reason: 'NOT_AN_AUDITOR' });
        }
        return hub.emergencies.review(
          requireUuid(args.id, 'id'),
          args.outcome,
          optionalText(args.note, 'note'),
          caller,
          (declaration) => {
            if (!mayReviewDeclaration(caller, declaration)) {
              forbidden('The staff member who declared an emergency access does not review it', {
                reason: 'OWN_DECLARATION',
              });
            }
          },
        );
      },
    }),

    async setDisclosureProtection(_: unknown, args: { personId: string; until: Date }, { caller, hub }) {
      if (!maySetDisclosureProtection(caller)) {
        forbidden('Only a CHILD_DV agency sets a disclosure protection', { reason: 'NOT_THE_HOLDER' });
      }
      const personId = requireUuid(args.personId, 'personId');
      requireJurisdiction(caller, await municipalityOf(hub, personId), personId);
      return hub.disclosureProtections.set(personId, caller.agencyId, caller.staffId, args.until);
    },
  },

  Person: {
    __resolveReference: async ({ id }: { id: string }, { hub }: GatewayContext): Promise<RegisteredPerson> => {
      const key = id.toLowerCase();
      return { id: key, resident: await hub.residents.resident.load(key) };
    },
    ...guardedFields(personPolicy, ['municipalityCode'], {
      municipalityCode: (person: RegisteredPerson) => person.resident?.municipalityCode ?? null,
    }),
  },

  Agency: {
    __resolveReference: ({ id }: { id: string }, { hub }) => hub.agency.load(id),
    municipality: (agency: AgencyRow, _: unknown, { hub }) => hub.municipality.load(agency.municipalityCode),
    jurisdiction: (agency: AgencyRow) => agency.jurisdiction,
  },

  EmergencyAccess: {
    ...guardedFields(emergencyPolicy, ['reason']),
    agency: (access: EmergencyAccessRow, _: unknown, { hub }) => hub.agency.load(access.agencyId),
    // An auditor who finds it unjustified ends it at once (the bases leave it out: policy/bases.ts).
    active: (access: EmergencyAccessRow) => new Date() < access.expiresAt && access.reviewOutcome !== 'UNJUSTIFIED',
    review: (access: EmergencyAccessRow): EmergencyReviewRow | null =>
      access.reviewOutcome
        ? { outcome: access.reviewOutcome, note: access.reviewNote, reviewedAt: access.reviewedAt, access }
        : null,
  },

  EmergencyReview: {
    ...guardedFields(emergencyReviewPolicy, ['note']),
    outcome: (review: EmergencyReviewRow) => review.outcome,
  },

  DisclosureProtection: {
    setBy: (protection: DisclosureProtectionRow, _: unknown, { hub }) => hub.agency.load(protection.setBy),
  },

  AccessLogEntry: {
    id: (entry: AccessLogRow, _: unknown, { hub }) => hub.logIds.seal(entry.id),
    agency: (entry: AccessLogRow, _: unknown, { hub }) => hub.agency.load(entry.agencyId),
  },
};
