// The access log: every decision about a person, appended in one transaction and chained by hash
// (hash = sha256(prev_hash + canonical JSON of the entry)), so any later change shows in verifyAuditChain.
// Concurrent fetch steps share one transaction through the group-commit writer.

import { createHash } from 'node:crypto';
import type { DataCategory, Sql } from '@hub/platform';
import type { DenialReason, LegalBasis } from '../policy/decide.js';

export interface AuditEntry {
  at: Date;
  agencyId: string;
  staffId: string;
  personId: string;
  categories: DataCategory[];
  allowed: boolean;
  basis: LegalBasis | null;
  reason: DenialReason | null;
  consentId: string | null;
  meetingId: string | null;
  emergencyId: string | null;
  operationName: string | null;
  requestId: string;
  purpose: string | null;
}

/** The prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

// Every appender takes this transaction-level lock before reading the last hash, so the chain stays a
// line under concurrent requests and across gateway replicas.
const CHAIN_LOCK = 'hub.audit_log:chain';

/** The entry as hashed: fixed key order, ISO timestamps, nulls explicit. */
export function canonicalEntry(entry: AuditEntry): string {
  return JSON.stringify({
    agencyId: entry.agencyId,
    allowed: entry.allowed,
    at: entry.at.toISOString(),
    basis: entry.basis,
    categories: entry.categories,
    consentId: entry.consentId,
    emergencyId: entry.emergencyId,
    meetingId: entry.meetingId,
    operationName: entry.operationName,
    personId: entry.personId,
    purpose: entry.purpose,
    reason: entry.reason,
    requestId: entry.requestId,
    staffId: entry.staffId,
  });
}

export function chainHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash).update(canonicalEntry(entry)).digest('hex');
}

/**
 * Appends entries in one transaction, chained after the last one. Throws on any failure: a caller
 * that cannot record a decision must not deliver the data (fail closed).
 */
export async function appendAudit(sql: Sql, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${CHAIN_LOCK}))`;
    const [last] = await tx<{ hash: string }[]>`select hash from hub.audit_log order by id desc limit 1`;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows = entries.map((entry) => {
      const hash = chainHash(prevHash, entry);
      const row = {
        at: entry.at,
        agency_id: entry.agencyId,
        staff_id: entry.staffId,
        person_id: entry.personId,
        categories: entry.categories,
        allowed: entry.allowed,
        basis: entry.basis,
        reason: entry.reason,
        consent_id: entry.consentId,
        meeting_id: entry.meetingId,
        emergency_id: entry.emergencyId,
        operation_name: entry.operationName,
        request_id: entry.requestId,
        purpose: entry.purpose,
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    // Identity values follow the VALUES order, so id order is chain order. Chunked to stay well under
    // the 65535 parameters of one statement (16 a row).
    for (let start = 0; start < rows.length; start += INSERT_ROWS) {
      await tx`insert into hub.audit_log ${tx(rows.slice(start, start + INSERT_ROWS))}`;
    }
  });
}

const INSERT_ROWS = 2_000;

export interface AuditWriter {
  /** Resolves once the entries are committed; rejects (and nothing may be delivered) when they are not. */
  append(entries: readonly AuditEntry[]): Promise<void>;
}

export interface AuditWriterOptions {
  /**
   * Most entries one transaction takes from waiting callers (a single caller's entries always go whole).
   * @default 5000
   */
  maxEntries?: number;
  /** Called after each committed transaction, with how many callers and entries it carried. */
  onCommit?: (callers: number, entries: number) => void;
}

/** What makes two entries the same decision: everything but the time and the categories. */
function decisionKey(entry: AuditEntry): string {
  return JSON.stringify([
    entry.requestId,
    entry.personId,
    entry.agencyId,
    entry.staffId,
    entry.allowed,
    entry.basis,
    entry.reason,
    entry.consentId,
    entry.meetingId,
    entry.emergencyId,
    entry.operationName,
    entry.purpose,
  ]);
}

/**
 * Entries of one request that record the same decision about the same person (the fetch steps of a
 * request commit together, each naming the categories it reads) become one entry naming all their
 * categories, at the earliest time: the log says the same in fewer rows.
 */
export function mergeEntries(entries: readonly AuditEntry[]): AuditEntry[] {
  const merged = new Map<string, AuditEntry>();
  for (const entry of entries) {
    const key = decisionKey(entry);
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, entry);
      continue;
    }
    merged.set(key, {
      ...seen,
      at: seen.at <= entry.at ? seen.at : entry.at,
      categories: [...new Set([...seen.categories, ...entry.categories])].sort(),
    });
  }
  return [...merged.values()];
}

interface Waiter {
  readonly entries: readonly AuditEntry[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A group-commit writer: callers that arrive while a transaction is being written wait for the next one,
 * which appends all their entries at once (same lock, same chain), and each caller is answered by the
 * commit of the transaction that carried its entries. A batch that fails is retried caller by caller, so
 * one caller's bad entry fails only that caller; a database that refuses fails them all (fail closed).
 */
export function createAuditWriter(sql: Sql, options: AuditWriterOptions = {}): AuditWriter {
  const maxEntries = options.maxEntries ?? 5_000;
  let queue: Waiter[] = [];
  let writing = false;

  const take = (): Waiter[] => {
    let count = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || count + queue[n]!.entries.length <= maxEntries)) {
      count += queue[n]!.entries.length;
      n += 1;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    return batch;
  };

  const write = async (batch: readonly Waiter[]) => {
    const entries = batch.length > 1 ? mergeEntries(batch.flatMap((w) => w.entries)) : batch[0]!.entries;
    try {
      await appendAudit(sql, entries);
      options.onCommit?.(batch.length, entries.length);
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const waiter of batch) await write([waiter]);
    }
  };

  const drain = async () => {
    writing = true;
    // One turn of the event loop lets the fetch steps that decided together share the first transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (queue.length) await write(take());
    } finally {
      writing = false;
    }
  };

  return {
    append(entries) {
      if (!entries.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ entries, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

export interface AuditChainVerification {
  intact: boolean;
  entries: number;
  firstBrokenId: string | null;
}

interface StoredEntry extends AuditEntry {
  id: string;
  prevHash: string;
  hash: string;
}

const PAGE = 1000;

/** Recomputes the whole chain in id order; the first entry whose link or hash does not match breaks it. */
export async function verifyAuditChain(sql: Sql): Promise<AuditChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let entries = 0;
  let firstBrokenId: string | null = null;
  let afterId = '0';
  for (;;) {
    // Ordered by the bigint column (l.id), not by the text alias of the same name.
    const page = await sql<StoredEntry[]>`
      select l.id::text as id, l.at, l.agency_id as "agencyId", l.staff_id as "staffId", l.person_id as "personId",
             l.categories, l.allowed, l.basis, l.reason, l.consent_id as "consentId", l.meeting_id as "meetingId",
             l.emergency_id as "emergencyId", l.operation_name as "operationName", l.request_id as "requestId",
             l.purpose, l.prev_hash as "prevHash", l.hash
      from hub.audit_log l
      where l.id > ${afterId}::bigint
      order by l.id
      limit ${PAGE}`;
    for (const row of page) {
      entries += 1;
      if (firstBrokenId === null && (row.prevHash !== expectedPrev || chainHash(row.prevHash, row) !== row.hash)) {
        firstBrokenId = row.id;
      }
      expectedPrev = row.hash;
    }
    if (page.length < PAGE) break;
    afterId = page[page.length - 1]!.id;
  }
  return { intact: firstBrokenId === null, entries, firstBrokenId };
}
