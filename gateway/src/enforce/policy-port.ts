// The policy as enforcement sees it, for one request: decisions on the bases (kept across requests by
// the gateway's BasesCache for one version of them, read again once any of them changed, so a
// revocation holds on the next request), made before any subgraph is asked, and every decision recorded
// in the access log before data leaves the hub: a query's all at once before its answer, a mutation's as
// each of its steps records them.

import { accessLogUnavailable, CATEGORY_NAMES, type DataCategory, type Sql } from '@hub/platform';
import { mergeRecords, type AuditRecord, type AuditWriter } from '../audit/log.js';
import { rowsOf, sameOutcome } from '../audit/rows.js';
import type { Caller } from '../context.js';
import { loadBases, loadVersionedBases, NO_BASES } from '../policy/bases.js';
import type { BasesCache } from '../policy/bases-cache.js';
import type { Relocations } from '../hub/relocations.js';
import type { SystemReads } from '../hub/system-reads.js';
import { decide, knowsOfPerson, reachedOnConsent, type Bases, type Decision } from '../policy/decide.js';
import { decisionKnownTo } from '../policy/explain.js';
import { callerKey, categoriesKey, decisionsOn } from '../policy/decision-memo.js';
import type { PersonDecisions } from '../policy/decided.js';
import type { PolicyPort } from './fetch.js';
import type { RegisteredAgency } from './mutation-rules.js';
import { observeDecisions, tracedDecisions } from '../telemetry.js';

/** Counts kept by a gateway for benchmarks and tests: how often enforcement read the bases and wrote the log. */
export interface EnforcementStats {
  /** Statements that read persons' bases (a read of the version alone is not one). */
  policyReads: number;
  auditWrites: number;
  /** Transactions that committed audit writes: fewer than auditWrites when concurrent fetch steps share one. */
  auditCommits: number;
  subgraphFetches: number;
}

export function createEnforcementStats(): EnforcementStats {
  return { policyReads: 0, auditWrites: 0, auditCommits: 0, subgraphFetches: 0 };
}

export interface RequestFacts {
  readonly caller: Caller;
  readonly requestId: string;
  readonly purpose: string | null;
  /** The bases' version the request's first statement saw, when it read one (GatewayContext.basesVersion). */
  readonly basesVersion?: bigint | undefined;
  readonly operationName: () => string | null;
  /** The request's own object (its context): the bases read for it are reused by its other fetch steps. */
  readonly request: object;
}

/** Where a request's bases come from: the hub database, and the gateway's cache of them. */
export interface BasesSource {
  readonly sql: Sql;
  readonly cache: BasesCache;
}

interface RequestBases {
  /** How many times a change the request made dropped what it had read (forgetRequestBases). */
  generation: number;
  /** The bases of each person this request has read (or found kept). */
  readonly known: Map<string, Bases>;
  /** The read under way for each person asked for and not known yet. */
  readonly reading: Map<string, Promise<void>>;
  /** Set once a read of this request saw the version: the cache is of that version or a newer one since. */
  validated: boolean;
}

// Per request, the bases of each person already asked for. Fetch steps of one request that run side by
// side (the usual plan: one step per subgraph after the first) share one read and then decide, and so
// record, in the same tick, which lets the access-log writer commit them together.
const basesOfRequest = new WeakMap<object, RequestBases>();

// Per request, the decisions already recorded, by recipient and person, each with the append that carries
// it: a person reached by two paths (her household's members, a referral's person, a field of the hub's
// register beside a subgraph's) is decided alike at each, and her log shows the one access of the request
// once. A step that finds its decision recorded by another waits for that append, so nothing is sent before
// it is committed. The decisions are kept as the maps they came in (made once per person and bases, and
// shared by the requests on those bases): nothing is made per decision to find it again.
interface Recorded {
  readonly decisions: ReadonlyMap<DataCategory, Decision>;
  readonly append: { committed?: Promise<void> };
}

/**
 * What a request recorded for one recipient. Its steps usually read categories no earlier step read (a
 * person's welfare data from one subgraph, her employment from another): then none of a step's decisions
 * can have been recorded before, and the step is kept whole. Only once a step reads a category recorded
 * before are the decisions indexed by person (`byPerson`, the earlier steps' included) and compared.
 */
interface RecordedFor {
  readonly categories: Set<DataCategory>;
  readonly steps: { readonly decisions: readonly PersonDecisions[]; readonly append: Recorded['append'] }[];
  byPerson: Map<string, Recorded[]> | undefined;
}
const recordedOfRequest = new WeakMap<object, Map<string, RecordedFor>>();

/** The categories these decisions are about. */
function categoriesOf(decisions: readonly PersonDecisions[]): Set<DataCategory> {
  const categories = new Set<DataCategory>();
  for (const { decisions: byCategory } of decisions) for (const category of byCategory.keys()) categories.add(category);
  return categories;
}

function remember(byPerson: Map<string, Recorded[]>, personId: string, entry: Recorded): void {
  const earlier = byPerson.get(personId);
  if (earlier) earlier.push(entry);
  else byPerson.set(personId, [entry]);
}

/** The decisions of the steps recorded so far, by person: from here on each step is compared person by person. */
function indexByPerson(steps: RecordedFor['steps']): Map<string, Recorded[]> {
  const byPerson = new Map<string, Recorded[]>();
  for (const { decisions, append } of steps) {
    for (const { personId, decisions: byCategory } of decisions)
      remember(byPerson, personId, { decisions: byCategory, append });
  }
  return byPerson;
}

// Per query, the access-log rows its steps made, appended together before its answer leaves the hub
// (appendBeforeAnswer): a query's decisions are made before any subgraph is asked, and all of them are
// committed in one statement before any of its data is delivered. A request not marked (a mutation, which
// writes as it goes) appends each step's rows as the step records them, and the step waits for the commit.
const answerRowsOf = new WeakMap<object, AuditRecord[]>();

/** The rows are kept for the request's answer: a promise already settled, so nothing waits on them. */
const KEPT_FOR_ANSWER: Promise<void> = Promise.resolve();

/** From now on this request's decisions are appended once, before its answer leaves (see appendBeforeAnswer). */
export function recordAtAnswer(request: object): void {
  if (!answerRowsOf.has(request)) answerRowsOf.set(request, []);
}

/**
 * Appends the decisions a request kept for its answer, in one statement (rows of several steps that say
 * the same of the same persons become one row naming all their categories). Rejects when they are not
 * committed: then none of the answer's data may leave.
 */
export async function appendBeforeAnswer(request: object, audit: AuditWriter): Promise<void> {
  const rows = answerRowsOf.get(request);
  answerRowsOf.delete(request);
  if (!rows?.length) return;
  await audit.append(rows.length > 1 ? mergeRecords(rows) : rows);
}

/** What of these decisions about one person the request has not recorded yet; the appends of the rest. */
function notRecordedYet(
  made: ReadonlyMap<DataCategory, Decision>,
  earlier: readonly Recorded[],
  waitFor: Set<Recorded['append']>,
): ReadonlyMap<DataCategory, Decision> {
  const fresh = new Map<DataCategory, Decision>();
  for (const [category, decision] of made) {
    const found = earlier.find((entry) => {
      const before = entry.decisions.get(category);
      return before !== undefined && sameOutcome(before, decision);
    });
    if (found) waitFor.add(found.append);
    else fresh.set(category, decision);
  }
  return fresh.size === made.size ? made : fresh;
}

function merged(...parts: Map<string, Bases>[]): Map<string, Bases> {
  return new Map(parts.flatMap((part) => [...part]));
}

/**
 * The bases of persons this request has not asked for yet. The request's first read is one statement
 * that returns the version with the persons the cache lacks (the version alone when it lacks none): when
 * the cache is of that version (or a newer one), what it holds is current; when older, the cache is
 * dropped and the persons found in it read again. After that first read the cache is of the request's
 * version or newer, and only the persons it lacks are read.
 */
async function readForRequest(
  source: BasesSource,
  state: RequestBases,
  personIds: readonly string[],
  stats: EnforcementStats,
): Promise<Map<string, Bases>> {
  const { cache, sql } = source;
  const { version: cachedAt, found } = cache.lookup(personIds);
  const missing = personIds.filter((id) => !found.has(id));
  if (state.validated && !missing.length) return found;
  if (missing.length) stats.policyReads += 1;
  const read = await loadVersionedBases(sql, missing);
  cache.store(read);
  if (state.validated || (cachedAt !== null && cachedAt >= read.version)) {
    state.validated = true;
    return merged(found, read.bases);
  }
  state.validated = true;
  if (!found.size) return read.bases;
  // The bases changed since these were cached: read them again.
  stats.policyReads += 1;
  const again = await loadVersionedBases(sql, [...found.keys()]);
  cache.store(again);
  return merged(again.bases, read.bases);
}

/**
 * What a request knows of the bases, dropped after a change it made to them, of everyone (after each of the
 * hub's mutations: a revocation, a removal, a meeting's end, a review; hub-records.ts decidedAfterEachChange)
 * or of the person the register learnt of (a registration, a DV transfer's move): what it reads
 * afterwards, in a later field or among the persons inside the answer, is decided on the bases at the version
 * the change made, as the next request's would be, not on those read before it.
 */
export function forgetRequestBases(request: object, personId?: string): void {
  const state = basesOfRequest.get(request);
  if (!state) {
    // Nothing read yet, but the version the request's first statement saw is no longer the bases' own:
    // the first read after the change asks for the version again.
    basesOfRequest.set(request, { generation: 1, known: new Map(), reading: new Map(), validated: false });
    return;
  }
  if (personId === undefined) state.known.clear();
  else state.known.delete(personId);
  state.validated = false;
  state.generation += 1;
}

/**
 * Which of the request's readings of the bases is current: a count that changes whenever a change the
 * request made dropped them, so what was decided on the earlier ones (a hub record's release) is decided again.
 */
export function basesGeneration(request: object): number {
  return basesOfRequest.get(request)?.generation ?? 0;
}

/**
 * The bases of these persons (and of any other person the request has read: look them up by id). One
 * read for the persons the request has not asked for yet; persons another fetch step is reading are
 * waited for, not read twice.
 */
async function basesFor(
  source: BasesSource,
  { request, basesVersion: version }: Pick<RequestFacts, 'request' | 'basesVersion'>,
  personIds: readonly string[],
  stats: EnforcementStats,
): Promise<ReadonlyMap<string, Bases>> {
  let state = basesOfRequest.get(request);
  if (!state) {
    // A version seen by the request's first statement makes the cache current for it: no read of its own.
    if (version !== undefined) source.cache.see(version);
    state = { generation: 0, known: new Map(), reading: new Map(), validated: version !== undefined };
    basesOfRequest.set(request, state);
  }
  const { known, reading } = state;
  const wanted = new Set<string>();
  const awaited = new Set<Promise<void>>();
  for (const id of personIds) {
    if (known.has(id)) continue;
    const underway = reading.get(id);
    if (underway) awaited.add(underway);
    else wanted.add(id);
  }
  if (wanted.size) {
    const ids = [...wanted];
    const read = readForRequest(source, state, ids, stats).then((bases) => {
      for (const id of ids) {
        known.set(id, bases.get(id)!);
        reading.delete(id);
      }
    });
    for (const id of ids) reading.set(id, read);
    awaited.add(read);
  }
  if (awaited.size) await Promise.all(awaited);
  return known;
}

const ALL_CATEGORIES: ReadonlySet<DataCategory> = new Set(CATEGORY_NAMES);
const ALL_CATEGORIES_KEY = categoriesKey(ALL_CATEGORIES);

export function createPolicyPort(
  source: BasesSource,
  audit: AuditWriter,
  facts: RequestFacts,
  stats: EnforcementStats,
  relocations: Relocations,
  systemReads: Pick<SystemReads, 'holdsOpenDvCase' | 'withOpenCase' | 'ageLimits'>,
): PolicyPort {
  const caller = callerKey(facts.caller);
  return tracedDecisions({
    ...mutationPolicy(source.sql, facts, stats, relocations, systemReads),
    async decide(personIds, categories) {
      // Even its own domain's data needs the person's bases: rule 1 asks where the person is registered.
      const bases = await basesFor(source, facts, personIds, stats);
      const asked = {
        caller: facts.caller,
        callerKey: caller,
        categories,
        categoriesKey: categoriesKey(categories),
        now: new Date(),
      };
      const result = new Map<string, ReadonlyMap<DataCategory, Decision>>();
      for (const personId of personIds)
        result.set(personId, decisionsOn(personId, bases.get(personId) ?? NO_BASES, asked));
      return result;
    },

    async residences(personIds) {
      const bases = await basesFor(source, facts, personIds, stats);
      const found = new Map<string, string>();
      for (const personId of personIds) {
        const municipalityCode = bases.get(personId)?.municipalityCode;
        if (municipalityCode) found.set(personId, municipalityCode);
      }
      return found;
    },

    async strangers(personIds) {
      const bases = await basesFor(source, facts, personIds, stats);
      const asked = {
        caller: facts.caller,
        callerKey: caller,
        categories: ALL_CATEGORIES,
        categoriesKey: ALL_CATEGORIES_KEY,
        now: new Date(),
      };
      // No basis, and no record that names the caller (a consent, a meeting): it would be told nothing.
      // A consent naming it that has not started yet opens nothing, but the caller reads it as a party
      // (`consents(personId)`): it knows of her, as the recipient of one revoked or expired does; so does the
      // agency that recorded one, whatever it opens now. Unless a DV transfer took her where the consent
      // reaches it no more: the agencies of the town she left hold nothing of her, and are answered as for
      // an id that names no one, the consent's recorder as its recipients.
      const agency = facts.caller;
      const knowsNothing = (personId: string) => {
        const personBases = bases.get(personId) ?? NO_BASES;
        for (const decision of decisionsOn(personId, personBases, asked).values())
          if (knowsOfPerson(decision)) return false;
        return !personBases.consents.some(
          (c) =>
            c.personId === personId &&
            (c.obtainedBy === agency.agencyId ||
              (c.recipientAgencyIds.includes(agency.agencyId) && asked.now < c.validFrom)) &&
            reachedOnConsent(agency, personBases, c),
        );
      };
      return new Set(personIds.filter(knowsNothing));
    },

    record: (decisions: readonly PersonDecisions[], recipient?: string) =>
      recordDecisions(audit, facts, stats, decisions, recipient ?? facts.caller.agencyId),
  });
}

/**
 * Records a step's decisions for the agency they were made for (the caller, or a mutation's recipient) and
 * resolves once they are committed: each decision of a request is recorded once, so a decision an earlier
 * step of the request already recorded is not appended again, and this step waits for that step's append.
 */
async function recordDecisions(
  audit: AuditWriter,
  facts: RequestFacts,
  stats: EnforcementStats,
  decisions: readonly PersonDecisions[],
  agencyId: string,
): Promise<void> {
  let byRecipient = recordedOfRequest.get(facts.request);
  if (!byRecipient) recordedOfRequest.set(facts.request, (byRecipient = new Map()));
  let recorded = byRecipient.get(agencyId);
  if (!recorded) byRecipient.set(agencyId, (recorded = { categories: new Set(), steps: [], byPerson: undefined }));
  const append: Recorded['append'] = {};
  const waitFor = new Set<Recorded['append']>();
  const categories = categoriesOf(decisions);
  let fresh: PersonDecisions[];
  if (!recorded.byPerson && [...categories].every((category) => !recorded.categories.has(category))) {
    // Nothing of this step's categories was recorded yet: all of it is new (each person is named once).
    fresh = decisions.filter((given) => given.decisions.size > 0);
    recorded.steps.push({ decisions: fresh, append });
  } else {
    const byPerson = (recorded.byPerson ??= indexByPerson(recorded.steps));
    fresh = [];
    for (const given of decisions) {
      const earlier = byPerson.get(given.personId);
      const kept = earlier ? notRecordedYet(given.decisions, earlier, waitFor) : given.decisions;
      if (!kept.size) continue;
      remember(byPerson, given.personId, { decisions: kept, append });
      fresh.push(kept === given.decisions ? given : { personId: given.personId, decisions: kept });
    }
  }
  for (const category of categories) recorded.categories.add(category);
  if (fresh.length) {
    const rows = rowsOf(fresh, {
      at: new Date(),
      agencyId,
      staffId: facts.caller.staffId,
      operationName: facts.operationName(),
      requestId: facts.requestId,
      purpose: facts.purpose,
    });
    stats.auditWrites += 1;
    observeDecisions(facts.request, facts.caller.domain, rows);
    const keptForAnswer = answerRowsOf.get(facts.request);
    keptForAnswer?.push(...rows);
    append.committed = keptForAnswer ? KEPT_FOR_ANSWER : audit.append(rows);
    waitFor.add(append);
  }
  // An append an earlier step registered but never started (it failed making its rows) is no record:
  // nothing waiting on it may be sent.
  const unrecorded = () => Promise.reject(new Error('an earlier step of the request could not record its decisions'));
  try {
    await Promise.all([...waitFor].map(({ committed }) => committed ?? unrecorded()));
  } catch (error) {
    // What waited on this record is withheld, with the error that says so (never the cause's own words).
    throw accessLogUnavailable(error);
  }
}

/** What a mutation's checks read besides the caller's own decisions: any agency's, and the register. */
function mutationPolicy(
  sql: Sql,
  facts: RequestFacts,
  stats: EnforcementStats,
  relocations: Relocations,
  systemReads: Pick<SystemReads, 'holdsOpenDvCase' | 'withOpenCase' | 'ageLimits'>,
): Pick<
  PolicyPort,
  | 'caller'
  | 'decideFor'
  | 'agencies'
  | 'registerResident'
  | 'moveResident'
  | 'holds'
  | 'withOpenCase'
  | 'birthDate'
  | 'ageLimits'
> {
  return {
    caller: facts.caller,
    async holds(record, personId, agencyId = facts.caller.agencyId) {
      switch (record) {
        case 'OPEN_DV_CASE':
          return systemReads.holdsOpenDvCase(personId, agencyId);
      }
    },
    withOpenCase: (personIds) => systemReads.withOpenCase(personIds),
    ageLimits: (record, id) => systemReads.ageLimits(record, id),
    // A mutation's check on another agency's behalf reads the bases now, past the cache: it precedes a
    // write, and mutations are few.
    async decideFor(agency, personId, categories, only) {
      const now = new Date();
      stats.policyReads += 1;
      const bases = (await loadBases(sql, [personId])).get(personId) ?? NO_BASES;
      const itself = agency.agencyId === facts.caller.agencyId;
      const made = new Map<DataCategory, Decision>();
      const told = new Map<DataCategory, Decision>();
      for (const category of categories) {
        const input = { caller: agency, personId, category, bases, now };
        const decision = decide(input, only);
        made.set(category, decision);
        told.set(category, itself || decision.allowed ? decision : decisionKnownTo(facts.caller.agencyId, input, only));
      }
      return { made, told };
    },
    async registerResident(personId, municipalityCode, birthDate) {
      const inserted = await sql`
        insert into hub.resident (person_id, municipality_code, birth_date, registered_by)
        values (${personId}, ${municipalityCode}, ${birthDate}, ${facts.caller.agencyId})
        on conflict (person_id) do nothing
        returning person_id`;
      forgetRequestBases(facts.request, personId);
      return inserted.length > 0;
    },
    async birthDate(personId) {
      const [row] = await sql<{ born: string | null }[]>`
        select to_char(birth_date, 'YYYY-MM-DD') as born from hub.resident where person_id = ${personId}`;
      return row?.born ?? null;
    },
    async moveResident(personId, municipalityCode) {
      // Every subgraph is told before the transfer is answered; one that does not answer is told later.
      await relocations.move(sql, personId, municipalityCode);
      await relocations.deliver([personId]);
      forgetRequestBases(facts.request, personId);
    },
    async agencies(ids) {
      const rows = await sql<RegisteredAgency[]>`
        select id, domain, municipality_code, jurisdiction, deactivated_at is not null as deactivated
        from hub.agency where id = any(${[...new Set(ids)]})`;
      return new Map(rows.map((row) => [row.id, row]));
    },
  };
}
