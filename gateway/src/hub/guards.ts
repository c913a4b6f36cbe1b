// Checks the hub's mutations share: arguments that name agencies and persons, and jurisdiction, each
// refused with the contract's code and reason before anything is recorded.

import { ERRORS, loadEvery, requireUuid } from '@hub/platform';
import type { Caller } from '../context.js';
import type { Standing } from '../enforce/hub-records.js';
import { isAuditor, isHubAdmin, serves } from './permissions.js';
import type { HubStore } from './store.js';
import type { Period } from './store/access-log.js';
import type { AgencyRow } from './store/register.js';

const MUNICIPALITY_CODE = /^\d{6}$/;

/** Whether `code` names a municipality of the register (a malformed code names none). */
export const isRegisteredMunicipality = async (hub: HubStore, code: string) =>
  MUNICIPALITY_CODE.test(code) && !!(await hub.municipality.load(code));

export const unknownMunicipality = (argument: string) =>
  ERRORS.BAD_USER_INPUT.err(`${argument} names registered municipalities only`, {
    argument,
    reason: 'UNKNOWN_MUNICIPALITY',
  });

export function nonEmptyUnique<T>(values: readonly T[], argument: string): T[] {
  if (!values.length) throw ERRORS.BAD_USER_INPUT.err(`${argument} must not be empty`, { argument, reason: 'EMPTY' });
  return [...new Set(values)];
}

/** UUIDs, each once however it is written (requireUuid writes them in lower case): a list that names none is EMPTY. */
export function uuids(values: readonly string[], argument: string): string[] {
  return nonEmptyUnique(
    values.map((id) => requireUuid(id, argument)),
    argument,
  );
}

/** The period `from`/`to` name, refused when it holds no instant. */
export function periodOf(args: { from?: Date | null; to?: Date | null }): Period {
  if (args.from && args.to && args.from >= args.to) {
    throw ERRORS.BAD_USER_INPUT.err('to must be after from', { argument: 'to', reason: 'INVALID_PERIOD' });
  }
  return { from: args.from ?? null, to: args.to ?? null };
}

export function forbidden(message: string, extensions: Record<string, unknown> = {}): never {
  throw ERRORS.FORBIDDEN.err(message, extensions);
}

/** Refused (FORBIDDEN, NOT_AN_AUDITOR) unless the token carries the auditor role; `action` says what it may not do. */
export function auditorOnly(caller: Caller, action: string): void {
  if (!isAuditor(caller)) forbidden(`Only an auditor ${action}`, { reason: 'NOT_AN_AUDITOR' });
}

/** Refused (FORBIDDEN, NOT_A_HUB_ADMIN) unless the token carries the hub-admin role. */
export function hubAdminOnly(caller: Caller, action: string): void {
  if (!isHubAdmin(caller)) forbidden(`Only a hub administrator ${action}`, { reason: 'NOT_A_HUB_ADMIN' });
}

/**
 * Every id must name an agency of the register (UNKNOWN_AGENCY otherwise) that is still active: nothing is
 * sent to, shared with or opened for an agency a hub administrator switched off (AGENCY_DEACTIVATED), unless
 * `deactivated` is allowed (a member switched off may still be removed). One statement for all of them.
 */
export async function requireAgencies(
  hub: HubStore,
  ids: readonly string[],
  argument: string,
  { deactivated = 'refused' }: { deactivated?: 'refused' | 'allowed' } = {},
): Promise<AgencyRow[]> {
  const found = await loadEvery(hub.agency, ids);
  const agencies = found.filter((agency): agency is AgencyRow => agency !== null);
  if (agencies.length < found.length) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} names an agency that is not registered`, {
      argument,
      reason: 'UNKNOWN_AGENCY',
    });
  }
  if (deactivated === 'refused' && agencies.some((agency) => agency.deactivatedAt !== null)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} names an agency that is deactivated`, {
      argument,
      reason: 'AGENCY_DEACTIVATED',
    });
  }
  return agencies;
}

/**
 * A party's standing to a record about one person (a consent's recorder and recipients, a referral's two
 * ends). After a DV transfer, an agency that does not serve where she lives now is no party to it: what her
 * new town's agencies write on the record since (a revocation and its reason, a referral's answer and note)
 * would tell it where she fled. It is decided then like anyone's read of the record's category.
 */
export async function partyAbout(named: boolean, personId: string, caller: Caller, hub: HubStore): Promise<Standing> {
  if (!named) return { party: false };
  const resident = await hub.residents.resident.load(personId);
  return { party: !resident?.locationProtected || serves(caller, resident.municipalityCode) };
}

/** Where the person is registered now (null for an id the register does not know). */
export async function municipalityOf(hub: HubStore, personId: string): Promise<string | null> {
  return (await hub.residents.registered([personId])).get(personId)?.municipalityCode ?? null;
}

/**
 * An agency acts for a person only within its jurisdiction. A person registered elsewhere and an id that
 * names no one are refused alike, so the refusal tells nothing of who is a resident where.
 */
export function requireJurisdiction(caller: Caller, municipalityCode: string | null, personId: string): void {
  if (!serves(caller, municipalityCode)) outsideJurisdiction(personId);
}

function outsideJurisdiction(personId: string): never {
  forbidden('The calling agency does not serve the municipality this person is registered in', {
    reason: 'OUTSIDE_JURISDICTION',
    personId,
  });
}

/**
 * How far ahead a record whose subjects are judged on their age when it starts may start (a child council, a
 * guardian's consent): a start the caller could set years ahead would let it find a person's 18th birthday,
 * and so her birth date (IDENTITY, not the caller's to read), by trying again on other days.
 */
const AGE_JUDGED_LEAD_DAYS = 31;
const DAY_MS = 86_400_000;

/** Refuses (INVALID_PERIOD) such a record (`what`) starting further ahead than AGE_JUDGED_LEAD_DAYS. */
export function requireStartSoon(start: Date, argument: string, what: string): void {
  if (start.getTime() <= Date.now() + AGE_JUDGED_LEAD_DAYS * DAY_MS) return;
  throw ERRORS.BAD_USER_INPUT.err(`${what} starts within ${AGE_JUDGED_LEAD_DAYS} days`, {
    argument,
    reason: 'INVALID_PERIOD',
  });
}

/**
 * When a rule about the person (their age) is judged for a record that starts at `from`: at its start, or now
 * if it started earlier, so a backdated start cannot judge the person as they were years ago.
 */
export const judgedAt = (from: Date, now = new Date()): Date => (from > now ? from : now);

/** Started, not ended, not closed or revoked. */
export const isActiveNow = (from: Date, until: Date | null, closed: Date | null, now = new Date()) =>
  closed === null && from <= now && (until === null || now < until);
