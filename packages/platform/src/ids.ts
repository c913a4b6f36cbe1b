// Id checks before anything reaches SQL: a malformed id is a clear BAD_USER_INPUT or simply matches nothing.

import { ERRORS } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How an agency id of the register is written: 2 to 63 lower-case letters, digits and hyphens (hub migration 001). */
export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Checks an id argument's form before it reaches SQL; `what` names it in the error. A UUID is one id in
 * either case: it goes on in lower case, as ids are stored and compared everywhere in the hub.
 */
export function requireUuid(value: string, what: string): string {
  if (!isUuid(value))
    throw ERRORS.BAD_USER_INPUT.err(`${what} is not a valid id`, { argument: what, reason: 'INVALID_ID' });
  return value.toLowerCase();
}

/** Only the ids of a valid form, in lower case: a malformed id simply matches nothing. */
export function validUuids(values: readonly string[]): string[] {
  return values.filter(isUuid).map((id) => id.toLowerCase());
}

/** The most persons one `people(ids)` names: the gateway refuses more before deciding or logging anything. */
export const PEOPLE_IDS_LIMIT = 1000;
