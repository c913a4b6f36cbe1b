// The policy as enforcement sees it, for one request: decisions read from the bases in one round trip
// per request (shared by its fetch steps, never across requests, so a revocation holds on the next
// request), and every decision recorded in the access log before data is requested.

import { CATEGORY_NAMES, type DataCategory, type Sql } from '@hub/platform';
import type { AuditEntry, AuditWriter } from '../audit/log.js';
import type { Caller } from '../context.js';
import { loadBases, NO_BASES } from '../policy/bases.js';
import { decide, type Bases, type Decision } from '../policy/decide.js';
import type { PersonDecisions, PolicyPort } from './fetch.js';
import type { RegisteredAgency } from './mutation-rules.js';
import { observeDecisions, tracedDecisions } from '../telemetry.js';

/** Counts kept by a gateway for benchmarks and tests: how often enforcement read the bases and wrote the log. */
export interface EnforcementStats {
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
  readonly operationName: () => string | null;
  /** The request's own object (its context): the bases read for it are reused by its other fetch steps. */
  readonly request: object;
}

// Per request, the bases of each person already asked for. Fetch steps of one request that run side by
// side (the usual plan: one step per subgraph after the first) share one read and then decide, and so
// record, in the same tick, which lets the access-log writer commit them together.
const basesOfRequest = new WeakMap<object, Map<string, Promise<Bases>>>();

function basesFor(
  sql: Sql,
  request: object,
  personIds: readonly string[],
  stats: EnforcementStats,
): Promise<Map<string, Bases>> {
  let known = basesOfRequest.get(request);
  if (!known) basesOfRequest.set(request, (known = new Map()));
  const missing = [...new Set(personIds)].filter((id) => !known.has(id));
  if (missing.length) {
    stats.policyReads += 1;
    const read = loadBases(sql, missing);
    for (const id of missing)
      known.set(
        id,
        read.then((bases) => bases.get(id)!),
      );
  }
  const pending = personIds.map(async (id) => [id, await known.get(id)!] as const);
  return Promise.all(pending).then((entries) => new Map(entries));
}

/** What an access-log entry records of a decision: decisions alike in it share an entry. */
function outcomeKey(decision: Decision): string {
  return decision.allowed
    ? `+${decision.basis}|${decision.consentId ?? ''}|${decision.meetingId ?? ''}|${decision.emergencyId ?? ''}`
    : `-${decision.reason}`;
}

export function createPolicyPort(
  sql: Sql,
  audit: AuditWriter,
  facts: RequestFacts,
  stats: EnforcementStats,
): PolicyPort {
  return tracedDecisions({
    ...mutationPolicy(sql, facts, stats),
    async decide(personIds, categories) {
      const now = new Date();
      // Even its own domain's data needs the person's bases: rule 1 asks where the person is registered.
      const bases = await basesFor(sql, facts.request, personIds, stats);
      const result = new Map<string, Map<DataCategory, Decision>>();
      for (const personId of personIds) {
        const decisions = new Map<DataCategory, Decision>();
        const personBases = bases.get(personId) ?? NO_BASES;
        for (const category of categories) {
          decisions.set(category, decide({ caller: facts.caller, personId, category, bases: personBases, now }));
        }
        result.set(personId, decisions);
      }
      return result;
    },

    async residences(personIds) {
      const bases = await basesFor(sql, facts.request, personIds, stats);
      const found = new Map<string, string>();
      for (const [personId, personBases] of bases) {
        if (personBases.municipalityCode) found.set(personId, personBases.municipalityCode);
      }
      return found;
    },

    async strangers(personIds) {
      const now = new Date();
      const bases = await basesFor(sql, facts.request, personIds, stats);
      const holdsNothing = (personId: string) =>
        CATEGORY_NAMES.every(
          (category) =>
            !decide({ caller: facts.caller, personId, category, bases: bases.get(personId) ?? NO_BASES, now }).allowed,
        );
      return new Set(personIds.filter(holdsNothing));
    },

    async record(decisions: readonly PersonDecisions[]) {
      const at = new Date();
      const operationName = facts.operationName();
      const entries: AuditEntry[] = [];
      for (const { personId, decisions: byCategory } of decisions) {
        // One entry per person and outcome: the categories that share a decision share an entry.
        const grouped = new Map<string, { decision: Decision; categories: DataCategory[] }>();
        for (const [category, decision] of byCategory) {
          const key = outcomeKey(decision);
          const group = grouped.get(key) ?? { decision, categories: [] };
          group.categories.push(category);
          grouped.set(key, group);
        }
        for (const { decision, categories } of grouped.values()) {
          entries.push({
            at,
            agencyId: facts.caller.agencyId,
            staffId: facts.caller.staffId,
            personId,
            categories: categories.sort(),
            allowed: decision.allowed,
            basis: decision.allowed ? decision.basis : null,
            reason: decision.allowed ? null : decision.reason,
            consentId: decision.allowed ? (decision.consentId ?? null) : null,
            meetingId: decision.allowed ? (decision.meetingId ?? null) : null,
            emergencyId: decision.allowed ? (decision.emergencyId ?? null) : null,
            operationName,
            requestId: facts.requestId,
            purpose: facts.purpose,
          });
        }
      }
      stats.auditWrites += 1;
      observeDecisions(facts.request, facts.caller.domain, entries);
      await audit.append(entries);
    },
  });
}

/** What a mutation's checks read besides the caller's own decisions: any agency's, and the register. */
function mutationPolicy(
  sql: Sql,
  facts: RequestFacts,
  stats: EnforcementStats,
): Pick<PolicyPort, 'caller' | 'decideFor' | 'agencies' | 'registerResident' | 'moveResident'> {
  return {
    caller: facts.caller,
    async decideFor(agency, personIds, categories, only) {
      const now = new Date();
      stats.policyReads += 1;
      const bases = await loadBases(sql, personIds);
      const result = new Map<string, Map<DataCategory, Decision>>();
      for (const personId of personIds) {
        const personBases = bases.get(personId) ?? NO_BASES;
        const decisions = new Map<DataCategory, Decision>();
        for (const category of categories)
          decisions.set(category, decide({ caller: agency, personId, category, bases: personBases, now }, only));
        result.set(personId, decisions);
      }
      return result;
    },
    async registerResident(personId, municipalityCode, birthDate) {
      await sql`
        insert into hub.resident (person_id, municipality_code, birth_date, registered_by)
        values (${personId}, ${municipalityCode}, ${birthDate}, ${facts.caller.agencyId})
        on conflict (person_id) do nothing`;
    },
    async moveResident(personId, municipalityCode) {
      await sql`
        update hub.resident set municipality_code = ${municipalityCode}, moved_at = now()
        where person_id = ${personId}`;
    },
    async agencies(ids) {
      const rows = await sql<RegisteredAgency[]>`
        select id, domain, municipality_code, jurisdiction from hub.agency where id = any(${[...new Set(ids)]})`;
      return new Map(rows.map((row) => [row.id, row]));
    },
  };
}
