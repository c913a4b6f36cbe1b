// The support flow of a multi-agency case (支援フロー of 004, 別添2 6(1)): which status may follow which.
// Pure rules as data; the store applies a transition only inside the transaction that locked the case.

import { ERRORS } from '@hub/platform';

export const CASE_STATUSES = [
  'INTAKE',
  'ASSESSMENT',
  'PLANNING',
  'ACTIVE',
  'MONITORING',
  'CLOSED',
  'REPLAN',
  'SUSPENDED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * The steps of the flow. Suspension (中断) is open to every status in this table that has a step, and
 * a suspended case resumes only where it stopped, so neither is listed here.
 */
const NEXT: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  INTAKE: ['ASSESSMENT'],
  ASSESSMENT: ['PLANNING'],
  PLANNING: ['ACTIVE'],
  ACTIVE: ['MONITORING'],
  // 別添2 6(1): at the plan's evaluation the agencies decide together on closure, re-plan or suspension.
  MONITORING: ['CLOSED', 'REPLAN'],
  // A re-plan drafts a new version, then either goes through planning again or straight back to support.
  REPLAN: ['PLANNING', 'ACTIVE'],
  SUSPENDED: [],
  CLOSED: [],
};

/** Open: support is under way, so the case may be suspended. */
function isOpen(status: CaseStatus): boolean {
  return status !== 'CLOSED' && status !== 'SUSPENDED';
}

export type Transition = { allowed: true; suspendedFrom: CaseStatus | null } | { allowed: false };

/** Whether a case in `from` (suspended from `suspendedFrom`, if suspended) may go to `to`. */
export function transition(from: CaseStatus, to: CaseStatus, suspendedFrom: CaseStatus | null): Transition {
  if (from === 'SUSPENDED') return to === suspendedFrom ? { allowed: true, suspendedFrom: null } : { allowed: false };
  if (to === 'SUSPENDED') return isOpen(from) ? { allowed: true, suspendedFrom: from } : { allowed: false };
  return NEXT[from].includes(to) ? { allowed: true, suspendedFrom: null } : { allowed: false };
}

/** The transition, or the domain error that refuses it; statuses only in the message, nothing personal. */
export function requireTransition(
  from: CaseStatus,
  to: CaseStatus,
  suspendedFrom: CaseStatus | null,
  /** The input that asked for the move: `to` (advanceCase), or the case itself (closeCase). */
  argument = 'to',
): { suspendedFrom: CaseStatus | null } {
  const result = transition(from, to, suspendedFrom);
  if (result.allowed) return result;
  const resumes = from === 'SUSPENDED' && suspendedFrom ? ` (it resumes at ${suspendedFrom})` : '';
  throw ERRORS.BAD_USER_INPUT.err(`A case cannot go from ${from} to ${to}${resumes}`, {
    reason: 'ILLEGAL_TRANSITION',
    argument,
  });
}

/** Statuses in which a support plan may be drafted: planning, or a re-plan (再プラン) adding a version. */
export const DRAFTING_STATUSES: ReadonlySet<CaseStatus> = new Set(['PLANNING', 'REPLAN']);

export type ReviewOutcome = 'CONTINUE' | 'REPLAN' | 'SUSPEND' | 'CLOSE';

/** Where a plan review in MONITORING takes the case; CONTINUE keeps it in monitoring. */
export const OUTCOME_STATUS: Readonly<Record<ReviewOutcome, CaseStatus | null>> = {
  CONTINUE: null,
  REPLAN: 'REPLAN',
  SUSPEND: 'SUSPENDED',
  CLOSE: 'CLOSED',
};
