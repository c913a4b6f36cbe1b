// The rules of outreach and hikikomori support (別添1): trust with the family before a first home visit,
// and support that moves from the family to the person, to a place to belong, to society.

import { ERRORS } from '@hub/platform';

/**
 * 別添1 2(3): build trust with the person and family first, and visit for the first time only once the
 * relationship has grown. These stages of an earlier outreach record are that trust.
 */
export const TRUSTED_STAGES: readonly string[] = ['FAMILY_TRUST', 'PERSON_CONTACT', 'ONGOING'];

export function homeVisitBeforeTrust(): never {
  throw ERRORS.BAD_USER_INPUT.err(
    'A home visit is recorded only after an earlier outreach record reached FAMILY_TRUST or later',
    { reason: 'HOME_VISIT_BEFORE_FAMILY_TRUST', argument: 'method' },
  );
}

const HIKIKOMORI_STAGES = [
  'FAMILY_SUPPORT',
  'INDIVIDUAL_SUPPORT',
  'GROUP_PARTICIPATION',
  'SOCIAL_PARTICIPATION',
] as const;
export type HikikomoriStage = (typeof HIKIKOMORI_STAGES)[number];

/** Support moves one step forward at a time: family → the person → a group or place to belong → society. */
export function requireNextStage(from: HikikomoriStage, to: HikikomoriStage): void {
  if (HIKIKOMORI_STAGES.indexOf(to) === HIKIKOMORI_STAGES.indexOf(from) + 1) return;
  throw ERRORS.BAD_USER_INPUT.err(`Hikikomori support cannot go from ${from} to ${to}: one step forward at a time`, {
    reason: 'ILLEGAL_TRANSITION',
    argument: 'to',
  });
}
