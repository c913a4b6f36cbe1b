// Decisions kept with the bases they were made on. A person's bases are one object for as long as the
// gateway keeps them current (BasesCache: any change to any bases drops them all), and a decision on them
// changes otherwise only when the clock passes one of their times: a consent's start or end, a meeting's,
// a member's acknowledgement, an emergency access's expiry. So a decision made at `now` holds until the
// earliest of those times after `now`, for the same caller, person and categories.

import type { DataCategory } from '@hub/platform';
import { decide, type Bases, type Decision, type DecisionCaller } from './decide.js';
import { Decided } from './decided.js';

/** The earliest time (ms) after `now` at which a decision on these bases may change; Infinity when none. */
export function stableUntil(bases: Bases, now: number): number {
  let until = Infinity;
  const consider = (time: Date | null) => {
    const at = time?.getTime();
    if (at !== undefined && at > now && at < until) until = at;
  };
  for (const consent of bases.consents) {
    consider(consent.validFrom);
    consider(consent.validUntil);
  }
  for (const meeting of bases.meetings) {
    consider(meeting.startsAt);
    consider(meeting.endsAt);
    for (const member of meeting.members) consider(member.acknowledgedAt);
  }
  for (const access of bases.emergencies) consider(access.expiresAt);
  return until;
}

interface Kept {
  readonly personId: string;
  /** The interval the decisions hold for: from when they were made until the bases' next time. */
  readonly from: number;
  readonly until: number;
  /** The decisions per set of categories asked, by categoriesKey. */
  readonly decided: Map<string, ReadonlyMap<DataCategory, Decision>>;
}

// Per bases object, per caller: the agencies asking about one person are few.
const kept = new WeakMap<Bases, Map<string, Kept>>();

/** What a kept decision is for: the caller's agency, domain and jurisdiction. */
export const callerKey = (caller: DecisionCaller): string =>
  `${caller.agencyId}\u0000${caller.domain}\u0000${caller.jurisdiction.join(',')}`;

/** The key of a set of categories, whatever their order. */
export const categoriesKey = (categories: ReadonlySet<DataCategory>): string => [...categories].sort().join(',');

export interface DecideAsked {
  readonly caller: DecisionCaller;
  /** callerKey(caller), worked out once per request. */
  readonly callerKey: string;
  readonly categories: ReadonlySet<DataCategory>;
  /** categoriesKey(categories), worked out once per fetch. */
  readonly categoriesKey: string;
  readonly now: Date;
}

/**
 * The decisions about one person on each category asked: those kept for these bases when they still hold
 * (same caller, same person, the clock not past the bases' next time), else decided now and kept. The map
 * is shared: read it, never change it.
 */
export function decisionsOn(personId: string, bases: Bases, asked: DecideAsked): ReadonlyMap<DataCategory, Decision> {
  const now = asked.now.getTime();
  let callers = kept.get(bases);
  if (!callers) kept.set(bases, (callers = new Map()));
  let entry = callers.get(asked.callerKey);
  // The bases of persons the register does not know are one object (NO_BASES): kept for one person at a time.
  if (!entry || entry.personId !== personId || now < entry.from || now >= entry.until) {
    entry = { personId, from: now, until: stableUntil(bases, now), decided: new Map() };
    callers.set(asked.callerKey, entry);
  }
  let decisions = entry.decided.get(asked.categoriesKey);
  if (!decisions) {
    const made = new Decided();
    for (const category of asked.categories)
      made.set(category, decide({ caller: asked.caller, personId, category, bases, now: asked.now }));
    entry.decided.set(asked.categoriesKey, made);
    decisions = made;
  }
  return decisions;
}
