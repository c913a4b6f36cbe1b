// Who may manage and see the legal bases and the access log: the rules of CONTRACT.md "Managing the
// bases" and "Seeing the decisions" as data and small predicates, so each is tested alone.

import type { Domain } from '@hub/platform';
import type { MeetingKind } from '../policy/decide.js';

/** The part of the caller these rules look at. */
export interface Actor {
  readonly agencyId: string;
  readonly domain: Domain;
  readonly roles: readonly string[];
}

export const AUDITOR_ROLE = 'auditor';
export const HUB_ADMIN_ROLE = 'hub-admin';

export const isAuditor = (actor: Actor): boolean => actor.roles.includes(AUDITOR_ROLE);
export const isHubAdmin = (actor: Actor): boolean => actor.roles.includes(HUB_ADMIN_ROLE);
const isWelfare = (actor: Actor): boolean => actor.domain === 'WELFARE';

// 社会福祉法 106条の6: the municipality (or its multi-agency collaborator) organises a 支援会議, and the
// collaborator a 重層的支援会議; a 要保護児童対策地域協議会 is run by the child-protection side or the municipality.
export const CONVENING_DOMAINS: Readonly<Record<MeetingKind, readonly Domain[]>> = {
  SUPPORT_MEETING: ['WELFARE'],
  MULTILAYER_MEETING: ['WELFARE'],
  CHILD_COUNCIL: ['CHILD_DV', 'WELFARE'],
};

export function mayConvene(actor: Actor, kind: MeetingKind): boolean {
  return CONVENING_DOMAINS[kind].includes(actor.domain);
}

/** WELFARE agencies (the person's consultation point) and auditors see every consent of a person. */
export function maySeeAllConsents(actor: Actor): boolean {
  return isWelfare(actor) || isAuditor(actor);
}

export function mayRevokeConsent(actor: Actor, consent: { readonly obtainedBy: string }): boolean {
  return consent.obtainedBy === actor.agencyId || isWelfare(actor) || isHubAdmin(actor);
}

/** Every emergency access is reviewed after the fact by the municipality's welfare side and auditors. */
export function mayReviewEmergencies(actor: Actor): boolean {
  return isWelfare(actor) || isAuditor(actor);
}

/**
 * An agency may ask how the decision goes for itself; asking about another agency's access (which
 * reveals that a consent or meeting exists) is for WELFARE agencies, auditors and hub administrators.
 */
export function mayExplainAccessOf(actor: Actor, agencyId: string): boolean {
  return agencyId === actor.agencyId || isWelfare(actor) || isAuditor(actor) || isHubAdmin(actor);
}

/**
 * How much of a person's access log the caller sees: auditors everything; a WELFARE agency handling the
 * person's disclosure request the disclosure view (without protected entries); anyone else nothing.
 */
export type AccessLogView = 'AUDIT' | 'DISCLOSURE';

export function accessLogView(actor: Actor): AccessLogView | null {
  if (isAuditor(actor)) return 'AUDIT';
  if (isWelfare(actor)) return 'DISCLOSURE';
  return null;
}

/** Only the DV and child-protection agencies decide that their own accesses must not be disclosed. */
export function maySetDisclosureProtection(actor: Actor): boolean {
  return actor.domain === 'CHILD_DV';
}
