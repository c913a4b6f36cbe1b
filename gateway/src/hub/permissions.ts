// Who may manage and see the legal bases and the access log: the rules of CONTRACT.md "Managing the
// bases" and "Seeing the decisions" as data and small predicates, so each is tested alone.

import { owningDomain, type DataCategory, type Domain } from '@hub/platform';
import { AUDITOR_ROLE, HUB_ADMIN_ROLE } from '../auth/roles.js';
import { servesOnlyWhereSheLives, servesWhereSheLives, type MeetingKind } from '../policy/decide.js';

/** The part of the caller these rules look at. */
export interface Actor {
  readonly agencyId: string;
  readonly domain: Domain;
  readonly roles: readonly string[];
  /** The municipality codes the agency serves. */
  readonly jurisdiction: readonly string[];
}

export const isAuditor = (actor: Actor): boolean => actor.roles.includes(AUDITOR_ROLE);
export const isHubAdmin = (actor: Actor): boolean => actor.roles.includes(HUB_ADMIN_ROLE);
const isWelfare = (actor: Actor): boolean => actor.domain === 'WELFARE';

/**
 * Why a reading kept to auditors and the WELFARE agencies serving the person is refused: a WELFARE agency
 * is outside its jurisdiction (OUTSIDE_JURISDICTION); any other agency is not one that may (NOT_PERMITTED).
 */
export const welfareReadingRefusal = (actor: Actor): string =>
  isWelfare(actor) ? 'OUTSIDE_JURISDICTION' : 'NOT_PERMITTED';

/** An agency acts for a person only where it serves: a person the register does not know is no one's. */
export function serves(actor: Actor, municipalityCode: string | null | undefined): boolean {
  return servesWhereSheLives(actor, municipalityCode ?? null);
}

/**
 * Whether an agency serves the person where she lives now as a party to her consents: after a DV transfer,
 * only where she lives and nowhere else (policy/decide.ts servesOnlyWhereSheLives). What her new town's
 * agencies write on her consents (a revocation's reason) would tell an agency serving several towns which one
 * she fled to.
 */
export function servesHerNow(
  actor: Actor,
  resident: { readonly municipalityCode: string | null; readonly locationProtected: boolean } | null | undefined,
): boolean {
  const where = resident?.municipalityCode ?? null;
  return resident?.locationProtected ? servesOnlyWhereSheLives(actor, where) : serves(actor, where);
}

// 社会福祉法 106条の6: the municipality (or its multi-agency collaborator) organises a 支援会議, and the
// collaborator a 重層的支援会議; a 要保護児童対策地域協議会 is run by the child-protection side or the municipality.
const CONVENING_DOMAINS: Readonly<Record<MeetingKind, readonly Domain[]>> = {
  SUPPORT_MEETING: ['WELFARE'],
  MULTILAYER_MEETING: ['WELFARE'],
  CHILD_COUNCIL: ['CHILD_DV', 'WELFARE'],
};

export function mayConvene(actor: Actor, kind: MeetingKind): boolean {
  return CONVENING_DOMAINS[kind].includes(actor.domain);
}

// The holder lets its data flow: DV victims' whereabouts are opened by the DV side alone (DOMAIN.md §4.8).
const RECORDED_ONLY_BY_HOLDER: ReadonlySet<DataCategory> = new Set(['DV_LOCATION']);

/** Categories of a consent only their holder's domain may record (refused to anyone else). */
export function categoriesOnlyTheHolderRecords(actor: Actor, categories: readonly DataCategory[]): DataCategory[] {
  return categories.filter((c) => RECORDED_ONLY_BY_HOLDER.has(c) && owningDomain(c) !== actor.domain);
}

/** The categories a consent recorded or confirmed by this agency opens: those its own domain holds. */
export function categoriesHeldBy(actor: Actor, categories: readonly DataCategory[]): DataCategory[] {
  return categories.filter((c) => owningDomain(c) === actor.domain);
}

export function mayRevokeConsent(
  actor: Actor,
  consent: { readonly obtainedBy: string },
  personMunicipality: string | null,
): boolean {
  return (
    consent.obtainedBy === actor.agencyId ||
    (isWelfare(actor) && serves(actor, personMunicipality)) ||
    isHubAdmin(actor)
  );
}

/** Every emergency declaration is reviewed by auditors; the declaring agency sees its own. */
export function mayReviewEmergencies(actor: Actor): boolean {
  return isAuditor(actor);
}

/**
 * After-the-fact review is another person's: the staff member who declared an emergency access does not
 * review it (another staff member of the same agency may).
 */
export function mayReviewDeclaration(
  reviewer: { readonly agencyId: string; readonly staffId: string },
  declaration: { readonly agencyId: string; readonly staffId: string },
): boolean {
  return !(declaration.agencyId === reviewer.agencyId && sameStaff(declaration.staffId, reviewer.staffId));
}

/** Which party of a referral moves it a step: its receiver (`to`) answers it, its sender (`from`) withdraws it. */
export type ReferralSide = 'from' | 'to';

/** Whether the agency is the party of the referral that the step (`by`) belongs to. */
export function mayMoveReferral(
  agencyId: string,
  referral: { readonly fromAgencyId: string; readonly toAgencyId: string },
  by: ReferralSide,
): boolean {
  return (by === 'to' ? referral.toAgencyId : referral.fromAgencyId) === agencyId;
}

/**
 * An agency may ask how the decision goes for itself; asking about another agency's access (which reveals
 * whether a resident is known, and what bases another agency holds) is for auditors and the WELFARE agencies
 * that serve the person's municipality, which answer her disclosure requests. A hub administrator manages
 * the register of agencies, not persons: it asks as its own agency does.
 */
export function mayExplainAccessOf(actor: Actor, agencyId: string, personMunicipality: string | null): boolean {
  return agencyId === actor.agencyId || isAuditor(actor) || (isWelfare(actor) && serves(actor, personMunicipality));
}

/**
 * How much of a person's access log the caller sees: auditors everything; the WELFARE agency of the
 * person's current municipality, which handles the disclosure request (開示請求), the disclosure view;
 * anyone else nothing.
 */
export type AccessLogView = 'AUDIT' | 'DISCLOSURE';

export function accessLogView(actor: Actor, personMunicipality: string | null): AccessLogView | null {
  if (isAuditor(actor)) return 'AUDIT';
  if (isWelfare(actor) && serves(actor, personMunicipality)) return 'DISCLOSURE';
  return null;
}

/** Only the DV and child-protection agencies decide that their own accesses must not be disclosed. */
export function maySetDisclosureProtection(actor: Actor): boolean {
  return actor.domain === 'CHILD_DV';
}

/**
 * Whether two staff ids name the same staff member: alike once Unicode-normalised (full-width letters as
 * ASCII), without the characters that show nothing (format characters such as a zero-width space, and the
 * other default-ignorable ones: a combining grapheme joiner, a Hangul filler, a variation selector; the
 * blank Braille pattern),
 * surrounding space or case; every dash (a hyphen, a minus sign, an en dash) read as the ASCII one.
 */
export const sameStaff = (a: string, b: string): boolean => staffKey(a) === staffKey(b);

const staffKey = (id: string) =>
  id
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu, '')
    .replace(/\p{Dash}/gu, '-')
    .trim()
    .toLowerCase();
