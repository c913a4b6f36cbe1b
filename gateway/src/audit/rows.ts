// The access log's rows for a fetch's decisions, made straight from them (audit/log.ts writes them): one
// row per outcome and set of categories, naming each person it holds for with the consent, meeting or
// emergency access their decision rests on.

import { CATEGORY_NAMES, type DataCategory } from '@hub/platform';
import type { PersonDecisions } from '../enforce/fetch.js';
import type { Decision } from '../policy/decide.js';
import { Decided } from '../policy/decided.js';
import { basisIdOf, type AuditRecord } from './log.js';

/** The record a decision rests on (consent, meeting or emergency access), '' where it names none. */
const basisOf = (decision: Decision): string => (decision.allowed ? (basisIdOf(decision) ?? '') : '');

/** Whether two decisions say the same, as the log records them: same outcome, on the same record. */
export const sameOutcome = (a: Decision, b: Decision): boolean =>
  a.allowed ? b.allowed && a.basis === b.basis && basisOf(a) === basisOf(b) : !b.allowed && a.reason === b.reason;

/** What the rows of one append share: who decided about whom, when, in which request, for what. */
export type RowFacts = Pick<AuditRecord, 'at' | 'agencyId' | 'staffId' | 'operationName' | 'requestId' | 'purpose'>;

// Each category as a bit, so that a set of categories is a number whatever the order it came in.
const CATEGORY_BIT = new Map(CATEGORY_NAMES.map((category, i) => [category, 2 ** i]));
const SORTED_CATEGORIES = [...CATEGORY_NAMES].sort();

/** The categories of a set of category bits, sorted by name. */
const categoriesIn = (bits: number): DataCategory[] =>
  SORTED_CATEGORIES.filter((category) => Math.floor(bits / CATEGORY_BIT.get(category)!) % 2 === 1);

/**
 * The access log's rows for a fetch's decisions, made straight from them: one row per outcome and set of
 * categories, naming each person it holds for with the consent, meeting or emergency access it rests on.
 * A person's categories that share an outcome share a row; a list of a thousand persons read on their
 * consents is one row. Nothing is made per person but their place in the rows' arrays.
 */
export function rowsOf(decisions: readonly PersonDecisions[], facts: RowFacts): AuditRecord[] {
  // By what the rows say (a basis or a denial's reason: the two sets of names are apart), then by categories.
  const rows = new Map<string, Map<number, AuditRecord>>();
  const ordered: AuditRecord[] = [];
  for (const { personId, decisions: byCategory } of decisions) {
    for (const { decision, what, bits, basisId } of outcomesOf(byCategory)) {
      let alike = rows.get(what);
      if (!alike) rows.set(what, (alike = new Map()));
      let row = alike.get(bits);
      if (!row) {
        row = {
          ...facts,
          categories: categoriesIn(bits),
          allowed: decision.allowed,
          basis: decision.allowed ? decision.basis : null,
          reason: decision.allowed ? null : decision.reason,
          personIds: [],
          basisIds: [],
        };
        alike.set(bits, row);
        ordered.push(row);
      }
      row.personIds.push(personId);
      row.basisIds.push(basisId);
    }
  }
  return ordered;
}

/** One outcome of a person's decisions: the categories (as bits) that share it. */
export interface Outcome {
  readonly decision: Decision;
  /** The decision's basis, or its denial's reason. */
  readonly what: string;
  readonly bits: number;
  readonly basisId: string;
}

// Decisions kept across requests with the bases they were made on (Decided) keep their outcomes with them;
// others (a request's part of them) are grouped when recorded.
const outcomesOf = (byCategory: ReadonlyMap<DataCategory, Decision>): readonly Outcome[] =>
  byCategory instanceof Decided ? (byCategory.outcomes ??= outcomesIn(byCategory)) : outcomesIn(byCategory);

/** A person's categories grouped by outcome: usually one or two outcomes. */
function outcomesIn(byCategory: ReadonlyMap<DataCategory, Decision>): readonly Outcome[] {
  const grouped: { decision: Decision; bits: number }[] = [];
  for (const [category, decision] of byCategory) {
    const outcome = grouped.find((o) => sameOutcome(o.decision, decision));
    if (outcome) outcome.bits += CATEGORY_BIT.get(category)!;
    else grouped.push({ decision, bits: CATEGORY_BIT.get(category)! });
  }
  return grouped.map(({ decision, bits }) => ({
    decision,
    what: decision.allowed ? decision.basis : decision.reason,
    bits,
    basisId: basisOf(decision),
  }));
}
