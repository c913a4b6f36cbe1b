// Deciding one enforced fetch's persons: every (person, category) it reads decided in one read of the
// bases before anything is sent, the decisions recorded, the persons the caller knows nothing of told
// apart, and one FORBIDDEN error per denied category; persons denied alike grouped into one request.

import type { GraphQLFormattedError } from 'graphql';
import { ERRORS, type DataCategory } from '@hub/platform';
import { denialMessage, knowsOfPerson, type Decision } from '../policy/decide.js';
import { Decided } from '../policy/decided.js';
import type { PersonDecisions } from '../policy/decided.js';
import type { EnforceOptions, Path, PersonScope } from './fetch.js';
import type { Scan } from './selection.js';

/** What a stranger, or a person the fetch does not read, is decided: nothing. */
const NOTHING_DECIDED: ReadonlyMap<DataCategory, Decision> = new Map();

/**
 * The decisions of a fetch's persons. `strangers` are the persons about whom the caller holds no basis for
 * any category at all, and whom no record names it in (a consent, a meeting, which it would be told of):
 * they are answered exactly as ids that name no one (null, no error; their denials are in the access log)
 * and never sent to a subgraph, so no agency can test whether an id is a resident.
 */
export type DecisionsOf = ((personId: string) => ReadonlyMap<DataCategory, Decision>) & {
  readonly strangers: ReadonlySet<string>;
};

export function forbidden(message: string, path: Path, extensions: Record<string, unknown>): GraphQLFormattedError {
  return { message, path: [...path], extensions: { code: ERRORS.FORBIDDEN.code, ...extensions } };
}

const NO_ERRORS: readonly GraphQLFormattedError[] = Object.freeze([]);

/** One FORBIDDEN error per denied category the scan reads of this person, at its first place. */
export function denialErrors(
  personId: string,
  scan: Scan,
  decisions: ReadonlyMap<DataCategory, Decision>,
  base: Path,
): readonly GraphQLFormattedError[] {
  if (!deniedCategories(decisions).size) return NO_ERRORS;
  const errors: GraphQLFormattedError[] = [];
  const reported = new Set<DataCategory>();
  for (const use of scan.uses) {
    const decision = decisions.get(use.category);
    if (!decision || decision.allowed || reported.has(use.category)) continue;
    reported.add(use.category);
    errors.push(
      forbidden(denialMessage(use.category, decision.reason), [...base, ...use.path], {
        reason: decision.reason,
        category: use.category,
        personId,
      }),
    );
  }
  return errors;
}

// Decisions kept across requests with the bases they were made on (Decided) keep their denied set and its
// group's key: worked out once, not once per person and fetch. Others are worked out where asked.
function deniedIn(decisions: ReadonlyMap<DataCategory, Decision>): ReadonlySet<DataCategory> {
  const denied = new Set<DataCategory>();
  for (const [category, decision] of decisions) if (!decision.allowed) denied.add(category);
  return denied;
}

/** The categories these decisions deny (shared: read it, never change it). */
export const deniedCategories = (decisions: ReadonlyMap<DataCategory, Decision>): ReadonlySet<DataCategory> =>
  decisions instanceof Decided ? (decisions.denied ??= deniedIn(decisions)) : deniedIn(decisions);

const keyOfDenied = (denied: ReadonlySet<DataCategory>): string => [...denied].sort().join(',');

/** Persons denied the same categories share one request: this names their group. */
export const groupKey = (decisions: ReadonlyMap<DataCategory, Decision>): string =>
  decisions instanceof Decided
    ? (decisions.deniedKey ??= keyOfDenied(deniedCategories(decisions)))
    : keyOfDenied(deniedCategories(decisions));

/** The categories a scan reads that are not denied. */
export const readsOf = (scan: Scan, denied: ReadonlySet<DataCategory>) =>
  new Set(scan.uses.map((u) => u.category).filter((c) => !denied.has(c)));

function knowsAny(decisions: ReadonlyMap<DataCategory, Decision>): boolean {
  for (const decision of decisions.values()) if (knowsOfPerson(decision)) return true;
  return false;
}

/** Decides every (person, category) of a fetch in one read, before anything is sent, and records the decisions. */
export async function decideScopes(scopes: readonly PersonScope[], options: EnforceOptions): Promise<DecisionsOf> {
  // What each person is asked for: one fetch can read one person's cases and only another's id (two
  // aliases). Usually every person of a fetch is read with one scan: then each is asked everything.
  const oneScan = scopes.every((scope) => scope.scan === scopes[0]!.scan);
  const asked = new Map<string, Set<DataCategory> | null>();
  const categories = new Set<DataCategory>();
  for (const scope of scopes) {
    let theirs = asked.get(scope.personId);
    if (theirs === undefined) asked.set(scope.personId, (theirs = oneScan ? null : new Set()));
    for (const use of scope.scan.uses) {
      categories.add(use.category);
      theirs?.add(use.category);
    }
  }
  const personIds = [...asked.keys()];
  const decisions = categories.size
    ? await options.policy.decide(personIds, categories)
    : new Map<string, ReadonlyMap<DataCategory, Decision>>();
  // A person the caller knows of by a category this fetch reads is no stranger: only the others are decided over all.
  const undecided: string[] = [];
  const recorded: PersonDecisions[] = [];
  for (const personId of personIds) {
    const decided = decisions.get(personId);
    // Logged: what was asked of her, not every category the fetch reads of anyone (usually the same).
    const theirs = asked.get(personId);
    const logged =
      decided && theirs && theirs.size < categories.size
        ? new Map([...decided].filter(([category]) => theirs.has(category)))
        : decided;
    if (logged?.size) recorded.push({ personId, decisions: logged });
    if (!decided || !knowsAny(decided)) undecided.push(personId);
  }
  const strangers = undecided.length ? await options.policy.strangers(undecided) : new Set<string>();
  if (recorded.length) await options.policy.record(recorded);
  // What an id that names no one gets: null and no error, for nothing about it can be denied or allowed.
  const decisionsOf = (personId: string): ReadonlyMap<DataCategory, Decision> =>
    strangers.has(personId) ? NOTHING_DECIDED : (decisions.get(personId) ?? NOTHING_DECIDED);
  return Object.assign(decisionsOf, { strangers });
}
