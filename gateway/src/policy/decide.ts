// The decision: may caller agency A read data of category C about person P, now, on these bases?
// A pure function of its arguments; the rules of CONTRACT.md "The decision", in order, as data.

import { owningDomain, type DataCategory, type Domain } from '@hub/platform';

/**
 * On what an access rests. `AUDIT` is no agency's basis: it is a hub auditor's read of what its review needs (an
 * emergency's reason), recorded as such, never an answer of the decision about an agency's access.
 */
export type LegalBasis = 'OWN_DOMAIN' | 'CONSENT' | 'SUPPORT_MEETING' | 'CHILD_COUNCIL' | 'EMERGENCY' | 'AUDIT';

/** Why a decision denies, as `extensions.reason` tells it (CONTRACT.md "The decision"). */
export const DENIAL_REASONS = [
  'NO_LEGAL_BASIS',
  'CONSENT_REVOKED',
  'CONSENT_EXPIRED',
  'CONSENT_NOT_CONFIRMED',
  'NOT_A_MEMBER',
  'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
  'CATEGORY_NOT_SHARED',
  'MEETING_NOT_ACTIVE',
  'PROTECTED_LOCATION',
] as const;

export type DenialReason = (typeof DENIAL_REASONS)[number];

/** A denial's message, saying what its reason says and nothing more. */
export function denialMessage(category: DataCategory, reason: DenialReason): string {
  switch (reason) {
    case 'NO_LEGAL_BASIS':
      return `No legal basis to read ${category} of this person`;
    case 'CONSENT_REVOKED':
      return `The consent that opened ${category} of this person is revoked`;
    case 'CONSENT_EXPIRED':
      return `The consent that opened ${category} of this person is not in force`;
    case 'CONSENT_NOT_CONFIRMED':
      return `${category} of this person awaits its holder's confirmation of the consent`;
    case 'NOT_A_MEMBER':
      return `The calling agency is no member of the meeting that shares ${category} of this person`;
    case 'CONFIDENTIALITY_NOT_ACKNOWLEDGED':
      return `The meeting shares ${category} of this person once the calling agency acknowledges its confidentiality`;
    case 'CATEGORY_NOT_SHARED':
      // Listed among its shared categories or not: a meeting shares only what an acknowledged member holds.
      return `The meeting does not share ${category} of this person: it does not list it, or no acknowledged member holds it`;
    case 'MEETING_NOT_ACTIVE':
      return `The meeting that shared ${category} of this person is not in session`;
    case 'PROTECTED_LOCATION':
      return `${category} of this person opens only to its holder or to the person's own consent naming it`;
  }
}

/** The reasons that speak of a consent: told only to an agency the consent names. */
export const CONSENT_REASONS: ReadonlySet<DenialReason> = new Set([
  'CONSENT_REVOKED',
  'CONSENT_EXPIRED',
  'CONSENT_NOT_CONFIRMED',
]);

/** The reasons that speak of a meeting: told only to an agency the meeting has or had as a member. */
export const MEETING_REASONS: ReadonlySet<DenialReason> = new Set([
  'NOT_A_MEMBER',
  'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
  'CATEGORY_NOT_SHARED',
  'MEETING_NOT_ACTIVE',
]);

const RECORD_REASONS: ReadonlySet<DenialReason> = new Set([...CONSENT_REASONS, ...MEETING_REASONS]);

/**
 * Whether a decision shows the agency knows of the person: it is allowed, or denied for a reason only an
 * agency named in one of the person's records is told (a consent naming it, a meeting it is or was in).
 * A person about whom no decision does is a stranger to the agency, answered as an id that names no one.
 */
export function knowsOfPerson(decision: Decision): boolean {
  return decision.allowed || RECORD_REASONS.has(decision.reason);
}

/**
 * Allowed on a basis (naming the consent, meeting or emergency it rests on), or denied for a reason (naming
 * the consent or meeting a consent's or a meeting's reason speaks of: whom else it may be told to).
 */
export type Decision =
  | {
      readonly allowed: true;
      readonly basis: LegalBasis;
      readonly consentId?: string;
      readonly meetingId?: string;
      readonly emergencyId?: string;
    }
  | {
      readonly allowed: false;
      readonly reason: DenialReason;
      readonly consentId?: string;
      readonly meetingId?: string;
    };

export interface DecisionCaller {
  readonly agencyId: string;
  readonly domain: Domain;
  /** The municipality codes the agency serves: own-domain access stops at their edge. */
  readonly jurisdiction: readonly string[];
}

/** 本人同意: the person's consent to provide categories of their data to recipient agencies. */
export interface Consent {
  readonly id: string;
  readonly personId: string;
  readonly recipientAgencyIds: readonly string[];
  /** The agency that obtained and recorded it (absent where the bases were made without it). */
  readonly obtainedBy?: string;
  readonly categories: readonly DataCategory[];
  /** The categories the consent opens now: recorded or confirmed by an agency of their owning domain. */
  readonly confirmedCategories: readonly DataCategory[];
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  readonly revokedAt: Date | null;
  /** When it was recorded (absent: taken as recorded before any move of the person). */
  readonly recordedAt?: Date;
}

export type MeetingKind = 'SUPPORT_MEETING' | 'MULTILAYER_MEETING' | 'CHILD_COUNCIL';

export interface MeetingMember {
  readonly agencyId: string;
  readonly domain: Domain;
  /** When the member agency acknowledged its duty of confidentiality in this meeting. */
  readonly acknowledgedAt: Date | null;
  /** When it was removed: a removed member is no member, but was one (it may be told why it is refused). */
  readonly removedAt: Date | null;
  /** The municipalities the member agency serves: it holds its domain's data about their residents only. */
  readonly jurisdiction: readonly string[];
  /** When a hub administrator switched the member agency off: it holds nothing for the meeting any more. */
  readonly deactivatedAt: Date | null;
}

export interface Meeting {
  readonly id: string;
  readonly kind: MeetingKind;
  readonly subjectPersonIds: readonly string[];
  readonly sharedCategories: readonly DataCategory[];
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly closedAt: Date | null;
  /** The municipality the meeting belongs to (its subjects' when it was convened); null for one convened before jurisdictions. */
  readonly municipalityCode: string | null;
  readonly members: readonly MeetingMember[];
}

export interface EmergencyAccess {
  readonly id: string;
  readonly agencyId: string;
  readonly personId: string;
  readonly categories: readonly DataCategory[];
  readonly reason: string;
  readonly expiresAt: Date;
}

/** The bases that concern one person: everything the decision may rest on. */
export interface Bases {
  /** The municipality the person is registered in now; null for an id the hub's register does not know. */
  readonly municipalityCode: string | null;
  /**
   * Whether where she is registered is DV_LOCATION: a DV transfer moved her (the register's only move).
   * Absent: not moved.
   */
  readonly locationProtected?: boolean;
  /** When a DV transfer last moved her (with `locationProtected`). */
  readonly movedAt?: Date;
  readonly consents: readonly Consent[];
  readonly meetings: readonly Meeting[];
  readonly emergencies: readonly EmergencyAccess[];
}

export interface DecisionInput {
  readonly caller: DecisionCaller;
  readonly personId: string;
  readonly category: DataCategory;
  readonly bases: Bases;
  readonly now: Date;
}

/** A rule either allows, or denies with the reason it came closest to allowing, or does not apply. */
type RuleOutcome = Decision | { readonly allowed: false; readonly reason: null };
type Rule = (input: DecisionInput) => RuleOutcome;

const NOT_APPLICABLE: RuleOutcome = Object.freeze({ allowed: false, reason: null });

// When several rules came close, the denial names the nearest miss.
const REASON_PRIORITY: readonly DenialReason[] = [
  'CONSENT_NOT_CONFIRMED',
  'CONSENT_REVOKED',
  'CONSENT_EXPIRED',
  'PROTECTED_LOCATION',
  'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
  'CATEGORY_NOT_SHARED',
  'MEETING_NOT_ACTIVE',
  'NOT_A_MEMBER',
  'NO_LEGAL_BASIS',
];

const RANK: ReadonlyMap<DenialReason, number> = new Map(REASON_PRIORITY.map((reason, rank) => [reason, rank]));

type Denial = Decision & { readonly allowed: false };

// Decisions that name no record are the same every time: one object each, not one per (person, category).
const DENIED = Object.fromEntries(
  REASON_PRIORITY.map((reason) => [reason, Object.freeze({ allowed: false, reason })]),
) as Readonly<Record<DenialReason, Denial>>;

/** A denial for a reason that speaks of a consent: naming the one it speaks of. */
const deniedOnConsent = (reason: DenialReason, consent: Consent): Denial => ({
  allowed: false,
  reason,
  consentId: consent.id,
});

/** A denial for a reason that speaks of a meeting: naming the first it speaks of. */
const deniedInMeeting = (reason: DenialReason, meetings: readonly Meeting[]): Denial => ({
  allowed: false,
  reason,
  meetingId: meetings[0]!.id,
});

const OWN_DOMAIN_ALLOWED: Decision = Object.freeze({ allowed: true, basis: 'OWN_DOMAIN' });

// DV victims' whereabouts: only the owning domain or a consent naming DV_LOCATION explicitly (DOMAIN.md §4.8).
export const CONSENT_ONLY: ReadonlySet<DataCategory> = new Set(['DV_LOCATION']);

/** The bases that open a CONSENT_ONLY category: her own consent, and the holder's own domain. */
const UNLOCKS_PROTECTED_LOCATION: ReadonlySet<LegalBasis> = new Set(['OWN_DOMAIN', 'CONSENT']);

/**
 * How many of the rules below a field's category leaves closed, as a rank: a consent-only category (2) is
 * opened by fewer bases than any other (1), and a field with no category (0) is readable by every agency.
 * A field moved to a lower rank is readable by more agencies than before (npm run schema:check).
 */
export function protectionLevel(category: DataCategory | undefined): 0 | 1 | 2 {
  if (category === undefined) return 0;
  return CONSENT_ONLY.has(category) ? 2 : 1;
}

function isActiveConsent(consent: Consent, now: Date): boolean {
  return (
    consent.revokedAt === null && consent.validFrom <= now && (consent.validUntil === null || now < consent.validUntil)
  );
}

function isActiveMeeting(meeting: Meeting, now: Date): boolean {
  return meeting.closedAt === null && meeting.startsAt <= now && (meeting.endsAt === null || now < meeting.endsAt);
}

/**
 * Whether an agency serves the municipality the person lives in now (null: she is in no register): the
 * jurisdiction rule, for the decision and for every check that an agency acts where it serves.
 */
export const servesWhereSheLives = (
  agency: { readonly jurisdiction: readonly string[] },
  municipalityCode: string | null,
): boolean => municipalityCode !== null && agency.jurisdiction.includes(municipalityCode);

// Rule 1 stops at the jurisdiction's edge: after a DV transfer the municipality she left holds nothing of her.
const ownDomain: Rule = ({ caller, category, bases }) =>
  owningDomain(category) === caller.domain && servesWhereSheLives(caller, bases.municipalityCode)
    ? OWN_DOMAIN_ALLOWED
    : NOT_APPLICABLE;

/**
 * Whether an agency serves the municipality she lives in now and no other. After a DV transfer her new town's
 * records of her (a consultation its welfare office recorded) name its agencies: they tell an agency serving
 * several towns (a Hello Work of two) which one she fled to, and tell one serving her new town alone nothing
 * it does not know by serving her.
 */
export const servesOnlyWhereSheLives = (
  agency: { readonly jurisdiction: readonly string[] },
  municipalityCode: string | null,
): boolean =>
  servesWhereSheLives(agency, municipalityCode) && agency.jurisdiction.every((code) => code === municipalityCode);

/**
 * Whom a consent reaches after a DV transfer: an agency serving where she lives now and nowhere else, on any
 * of her consents; any other only on one recorded since her last move, by an agency of her new town
 * (grantConsent needs jurisdiction), whose holders decided then to let her new town's data flow. A consent
 * recorded before, naming her whereabouts then or not, would tell its recipients serving elsewhere where she
 * fled (servesOnlyWhereSheLives), which no basis but an explicit DV_LOCATION consent of her new town may.
 */
export const reachedOnConsent = (caller: DecisionCaller, bases: Bases, c: Consent): boolean =>
  !bases.locationProtected ||
  servesOnlyWhereSheLives(caller, bases.municipalityCode) ||
  (bases.movedAt !== undefined && c.recordedAt !== undefined && c.recordedAt > bases.movedAt);

// The holder lets its data flow (APPI: the holding organ decides on provision): a category opens only once
// recorded or confirmed by an agency of its owning domain. Only agencies the consent names get here, so the
// consent's reasons go to no one else. One pass over the person's consents: the first active one that
// opens the category wins.
const consent: Rule = ({ caller, personId, category, bases, now }) => {
  let active: Consent | undefined;
  let revoked: Consent | undefined;
  let expired: Consent | undefined;
  for (const c of bases.consents) {
    const relevant =
      c.personId === personId &&
      c.recipientAgencyIds.includes(caller.agencyId) &&
      c.categories.includes(category) &&
      reachedOnConsent(caller, bases, c);
    if (!relevant) continue;
    if (isActiveConsent(c, now)) {
      if (c.confirmedCategories.includes(category)) return { allowed: true, basis: 'CONSENT', consentId: c.id };
      active ??= c;
    }
    if (c.revokedAt !== null) revoked ??= c;
    if (c.validUntil !== null && c.validUntil <= now) expired ??= c;
  }
  if (active) return deniedOnConsent('CONSENT_NOT_CONFIRMED', active);
  // A recorded revocation ends the consent whatever its timestamp: revocation always wins.
  if (revoked) return deniedOnConsent('CONSENT_REVOKED', revoked);
  if (expired) return deniedOnConsent('CONSENT_EXPIRED', expired);
  return NOT_APPLICABLE;
};

const isCurrent = (member: MeetingMember) => member.removedAt === null;

const hasAcknowledged = (member: MeetingMember, now: Date) =>
  isCurrent(member) && member.acknowledgedAt !== null && member.acknowledgedAt <= now;

/**
 * Whether a member holds `category` about a resident of `municipalityCode` for the meeting to share: an
 * acknowledged member of the owning domain that serves where the person lives now and is not switched off
 * (as only such an agency confirms a consent's category, rule 2).
 */
const holdsFor = (member: MeetingMember, category: DataCategory, municipalityCode: string | null, now: Date) =>
  member.domain === owningDomain(category) &&
  member.deactivatedAt === null &&
  servesWhereSheLives(member, municipalityCode) &&
  hasAcknowledged(member, now);

/**
 * Whether a meeting covers the person: she is its subject and still lives in its municipality. A meeting
 * belongs to one municipality; after a DV transfer, the meetings of the town she left cover her no more.
 */
export const covers = (
  meeting: Pick<Meeting, 'subjectPersonIds' | 'municipalityCode'>,
  personId: string,
  municipalityCode: string | null,
) =>
  meeting.subjectPersonIds.includes(personId) &&
  (meeting.municipalityCode === null || meeting.municipalityCode === municipalityCode);

/**
 * Rules 3 and 4: a meeting of `kind` that is active, covers P (of P's municipality now), shares C, of which A
 * is a member that has acknowledged confidentiality (社会福祉法 106条の6 ⑤; 児童福祉法 25条の5), and in which C's
 * holder (an active agency of C's owning domain serving P) is an acknowledged member too: members share what
 * they hold, no more. A reason about
 * the meeting goes only to an agency that is or was its member; anyone else is told NO_LEGAL_BASIS.
 */
function meetingRule(kind: 'SUPPORT_MEETING' | 'CHILD_COUNCIL', basis: LegalBasis): Rule {
  return ({ caller, personId, category, bases, now }) => {
    if (!bases.meetings.length) return NOT_APPLICABLE;
    const covering = bases.meetings.filter((m) => m.kind === kind && covers(m, personId, bases.municipalityCode));
    const callers = (m: Meeting) => m.members.filter((member) => member.agencyId === caller.agencyId);
    const everMember = covering.filter((m) => callers(m).length > 0);
    if (!everMember.length) return NOT_APPLICABLE;
    const membership = everMember.filter((m) => callers(m).some(isCurrent));
    const shares = (m: Meeting) => m.sharedCategories.includes(category);
    // Removed from every such meeting: no member of one that shares C, or of none that ever did.
    if (!membership.length) {
      const shared = everMember.filter(shares);
      return shared.length
        ? deniedInMeeting('NOT_A_MEMBER', shared)
        : deniedInMeeting('CATEGORY_NOT_SHARED', everMember);
    }
    // A meeting that never shares C says nothing of C: not whether it is in session.
    const sharing = membership.filter(shares);
    if (!sharing.length) return deniedInMeeting('CATEGORY_NOT_SHARED', membership);
    const active = sharing.filter((m) => isActiveMeeting(m, now));
    if (!active.length) return deniedInMeeting('MEETING_NOT_ACTIVE', sharing);
    const held = active.filter((m) =>
      m.members.some((member) => holdsFor(member, category, bases.municipalityCode, now)),
    );
    if (!held.length) return deniedInMeeting('CATEGORY_NOT_SHARED', active);
    const acknowledged = held.find((m) => callers(m).some((member) => hasAcknowledged(member, now)));
    if (!acknowledged) return deniedInMeeting('CONFIDENTIALITY_NOT_ACKNOWLEDGED', held);
    return { allowed: true, basis, meetingId: acknowledged.id };
  };
}

/**
 * Whom rule 5 reaches: a person of the register, and a DV victim a transfer moved only from an agency serving
 * where she lives now and nowhere else. Records of her are made there by agencies of that town (its welfare
 * office's consultations, the consents it records), and an emergency opening them to an agency serving
 * anywhere else too would tell it where she fled, which no emergency may unlock (DV_LOCATION;
 * servesOnlyWhereSheLives). An id the register does not know is reached no more than she is: else a
 * declaration about each would tell a moved victim from an id that names no one.
 */
const reachedInEmergency = (caller: DecisionCaller, bases: Bases): boolean =>
  bases.locationProtected ? servesOnlyWhereSheLives(caller, bases.municipalityCode) : bases.municipalityCode !== null;

const emergency: Rule = ({ caller, personId, category, bases, now }) => {
  if (!bases.emergencies.length || !reachedInEmergency(caller, bases)) return NOT_APPLICABLE;
  const access = bases.emergencies.find(
    (e) =>
      e.agencyId === caller.agencyId &&
      e.personId === personId &&
      e.categories.includes(category) &&
      now < e.expiresAt &&
      e.reason.trim() !== '',
  );
  return access ? { allowed: true, basis: 'EMERGENCY', emergencyId: access.id } : NOT_APPLICABLE;
};

/** The rules of CONTRACT.md in order. A MULTILAYER_MEETING (重層的支援会議) has none: it runs on consent. */
const RULES: readonly { readonly basis: LegalBasis; readonly rule: Rule }[] = [
  { basis: 'OWN_DOMAIN', rule: ownDomain },
  { basis: 'CONSENT', rule: consent },
  { basis: 'SUPPORT_MEETING', rule: meetingRule('SUPPORT_MEETING', 'SUPPORT_MEETING') },
  { basis: 'CHILD_COUNCIL', rule: meetingRule('CHILD_COUNCIL', 'CHILD_COUNCIL') },
  { basis: 'EMERGENCY', rule: emergency },
];

/**
 * `only` limits the decision to some bases: a mutation whose law asks for the person's consent (a DV
 * transfer) decides on `CONSENT` alone, so no other basis stands in for it.
 */
export function decide(input: DecisionInput, only?: ReadonlySet<LegalBasis>): Decision {
  // The nearest miss so far, by REASON_PRIORITY: NO_LEGAL_BASIS when no rule came close.
  let nearest: Denial = DENIED.NO_LEGAL_BASIS;
  // PROTECTED_LOCATION says a basis held does not unlock the whereabouts: only where such a basis is asked about.
  const locks = !only || [...only].some((b) => !UNLOCKS_PROTECTED_LOCATION.has(b));
  if (CONSENT_ONLY.has(input.category) && locks) nearest = DENIED.PROTECTED_LOCATION;
  for (const { basis, rule } of RULES) {
    if (only && !only.has(basis)) continue;
    const outcome = rule(input);
    if (outcome.allowed) {
      const unlocks = UNLOCKS_PROTECTED_LOCATION.has(basis) || !CONSENT_ONLY.has(input.category);
      if (unlocks) return outcome;
    } else if (outcome.reason && RANK.get(outcome.reason)! < RANK.get(nearest.reason)!) {
      nearest = outcome;
    }
  }
  return nearest;
}
