// The policy as enforcement sees it, for one request: decisions read from the bases in one round trip
// per fetch step (never cached across requests, so a revocation holds on the next request), and every
// decision recorded in the access log before data is requested.

import { owningDomain, type DataCategory, type Sql } from '@hub/platform';
import type { AuditEntry, AuditWriter } from '../audit/log.js';
import type { Caller } from '../context.js';
import { loadBases } from '../policy/bases.js';
import { decide, type Decision } from '../policy/decide.js';
import type { PersonDecisions, PolicyPort } from './enforce.js';

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
}

export function createPolicyPort(
  sql: Sql,
  audit: AuditWriter,
  facts: RequestFacts,
  stats: EnforcementStats,
): PolicyPort {
  return {
    async decide(personIds, categories) {
      const now = new Date();
      const foreign = [...categories].filter((c) => owningDomain(c) !== facts.caller.domain);
      if (foreign.length) stats.policyReads += 1;
      const bases = foreign.length ? await loadBases(sql, personIds) : new Map();
      const result = new Map<string, Map<DataCategory, Decision>>();
      for (const personId of personIds) {
        const decisions = new Map<DataCategory, Decision>();
        const personBases = bases.get(personId) ?? { consents: [], meetings: [], emergencies: [] };
        for (const category of categories) {
          decisions.set(category, decide({ caller: facts.caller, personId, category, bases: personBases, now }));
        }
        result.set(personId, decisions);
      }
      return result;
    },

    async record(decisions: readonly PersonDecisions[]) {
      const at = new Date();
      const entries: AuditEntry[] = [];
      for (const { personId, decisions: byCategory } of decisions) {
        // One entry per person and outcome: the categories that share a decision share an entry.
        const grouped = new Map<string, { decision: Decision; categories: DataCategory[] }>();
        for (const [category, decision] of byCategory) {
          const key = JSON.stringify(decision);
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
            operationName: facts.operationName(),
            requestId: facts.requestId,
            purpose: facts.purpose,
          });
        }
      }
      stats.auditWrites += 1;
      await audit.append(entries);
    },
  };
}
