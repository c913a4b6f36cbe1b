// A person's decisions on the categories asked, as decisionsOn keeps them (across requests, with the bases
// they were made on), carrying what enforcement and the access log work out of them once: the categories
// they deny, that set's group key, and their outcomes as the log's rows record them. Each is a property of
// the decisions themselves: a table keyed by them cost a lookup per person and fetch step.

import type { DataCategory } from '@hub/platform';
import type { Outcome } from '../audit/rows.js';
import type { Decision } from './decide.js';

export class Decided extends Map<DataCategory, Decision> {
  /** The categories these decisions deny (enforce/decisions.ts, deniedCategories). */
  denied: ReadonlySet<DataCategory> | undefined;
  /** The key of the group of persons denied those categories (enforce/decisions.ts, groupKey). */
  deniedKey: string | undefined;
  /** The categories grouped by outcome, as the access log's rows record them (audit/rows.ts). */
  outcomes: readonly Outcome[] | undefined;
}

/** One person's decisions, as a fetch records them in the access log. */
export interface PersonDecisions {
  readonly personId: string;
  readonly decisions: ReadonlyMap<DataCategory, Decision>;
}
