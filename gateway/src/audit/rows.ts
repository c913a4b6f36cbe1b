// The access log's rows for a fetch's decisions, made straight from them (audit/log.ts writes them): one
// row per outcome and set of categories, naming each person it holds for with the consent, meeting or
// emergency access their decision rests on.

import { CATEGORY_NAMES, type DataCategory } from '@hub/platform';
import type { Decision } from '../policy/decide.js';
import { Decided, type PersonDecisions } from '../policy/decided.js';
import { basisIdOf, type AuditRecord } from './log.js';

/**
 * The record a decision rests on (consent, meeting or emergency access), or that a denial's reason speaks
 * of (a consent or a meeting); '' where it names none.
 */
const basisOf = (decision: Decision): string => basisIdOf(decision) ?? '';

/** Whether two decisions say the same, as the log records them: same outcome, on the same record. */
export const sameOutcome = (a: Decision, b: Decision): boolean =>
  (a.allowed ? b.allowed && a.basis === b.basis : !b.allowed && a.reason === b.reason) && basisOf(a) === basisOf(b);

/** What the rows of one append share: who decided about whom, when, in which request, for what. */
export type RowFacts = Pick<AuditRecord, 'at' | 'agencyId' | 'staffId' | 'operationName' | 'requestId' | 'purpose'>;

// Each category as a bit, so that a set of categories is a number whatever the order it came in.
const CATEGORY_BIT = new Map(CATEGORY_NAMES.map((category, i) => [category, 2 ** i]));
const SORTED_CATEGORIES = [...CATEGORY_NAMES].sort();

/** The categories of a set of category bits, sorted by name. */
const categoriesIn = (bits: number): DataCategory[] =>
  SORTED_CATEGORIES.filter((category) => Math.floor(bits / CATEGORY_BIT.get(category)!) % 2 === 1);

/** What a row says but its facts: the decision's outcome, its categories, its persons and their records. */
type RowParts = Omit<AuditRecord, keyof RowFacts>;

/**
 * The access log's rows for a fetch's decisions, made straight from them: one row per outcome and set of
 * categories, naming each person it holds for with the consent, meeting or emergency access it rests on.
 * A person's categories that share an outcome share a row; a list of a thousand persons read on their
 * consents is one row. Nothing is made per person but their place in the rows' arrays, and for decisions
 * kept across requests (Decided) not even that when the same persons' are recorded again (rowPartsOf).
 */
export function rowsOf(decisions: readonly PersonDecisions[], facts: RowFacts): AuditRecord[] {
  return rowPartsOf(decisions).map((parts) => ({ ...facts, ...parts }));
}

/** The rows' parts of decisions kept across requests, by the first person's decisions: the last list seen. */
const keptParts = new WeakMap<
  Decided,
  { readonly decisions: readonly PersonDecisions[]; readonly parts: RowParts[] }
>();

/**
 * The rows' parts, the same for the same persons' decisions: a list of persons read again with nothing
 * changed in their bases (the same Decided maps, person by person) gets the arrays made for it before,
 * frozen, as they are shared by the requests that record them.
 */
function rowPartsOf(decisions: readonly PersonDecisions[]): RowParts[] {
  const first = decisions[0]?.decisions;
  if (!(first instanceof Decided)) return partsOf(decisions);
  const kept = keptParts.get(first);
  if (kept && sameDecisions(kept.decisions, decisions)) return kept.parts;
  const parts = partsOf(decisions);
  if (decisions.every((given) => given.decisions instanceof Decided)) {
    for (const part of parts) {
      Object.freeze(part.categories);
      Object.freeze(part.personIds);
      Object.freeze(part.basisIds);
    }
    keptParts.set(first, { decisions: [...decisions], parts });
  }
  return parts;
}

const sameDecisions = (a: readonly PersonDecisions[], b: readonly PersonDecisions[]): boolean =>
  a.length === b.length && a.every((x, i) => x.decisions === b[i]!.decisions && x.personId === b[i]!.personId);

function partsOf(decisions: readonly PersonDecisions[]): RowParts[] {
  // By what the rows say (a basis or a denial's reason: the two sets of names are apart), then by categories.
  const rows = new Map<string, Map<number, RowParts>>();
  const ordered: RowParts[] = [];
  for (const { personId, decisions: byCategory } of decisions) {
    for (const { decision, what, bits, basisId } of outcomesOf(byCategory)) {
      let alike = rows.get(what);
      if (!alike) rows.set(what, (alike = new Map()));
      let row = alike.get(bits);
      if (!row) {
        row = {
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
