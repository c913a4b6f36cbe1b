// The access log: every decision about a person, appended in one statement and chained by hash
// (hash = sha256(prev_hash + canonical JSON of the entry)), so any later change shows in verifyAuditChain.
// Concurrent fetch steps share one statement through the group-commit writer.

import { hash } from 'node:crypto';
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

/** The index that lets each entry have one successor only (migration 005): a stale tip fails on it. */
const CHAIN_LINK = 'audit_log_prev_hash_key';

/** How often an appender re-reads the tip after losing a race before it gives up (and fails closed). */
const MAX_ATTEMPTS = 100;

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
  // One-shot hashing of the concatenation: the same digest as two updates, without a Hash object each.
  return hash('sha256', prevHash + canonicalEntry(entry), 'hex');
}

/** The hash of the newest entry: what the next one chains after. */
export async function readChainTip(sql: Sql): Promise<string> {
  const [last] = await sql<{ hash: string }[]>`select hash from hub.audit_log order by id desc limit 1`;
  return last?.hash ?? GENESIS_HASH;
}

const isStaleTip = (error: unknown): boolean =>
  (error as { code?: unknown; constraint_name?: unknown }).code === '23505' &&
  (error as { constraint_name?: unknown }).constraint_name === CHAIN_LINK;

/**
 * Inserts entries chained after `tip`, in one statement (so all or none), and returns the new tip. Fails
 * with a unique violation on CHAIN_LINK when another appender has already chained after `tip`.
 */
async function insertChained(sql: Sql, entries: readonly AuditEntry[], tip: string): Promise<string> {
  let prevHash = tip;
  const prevHashes: string[] = [];
  const hashes: string[] = [];
  for (const entry of entries) {
    const hash = chainHash(prevHash, entry);
    prevHashes.push(prevHash);
    hashes.push(hash);
    prevHash = hash;
  }
  const column = <T>(value: (entry: AuditEntry) => T) => entries.map(value);
  // One array per column: the statement's text is the same for any number of entries, so it is
  // prepared once per connection. Rows are inserted in array order, so id order is chain order.
  // Every array is sent as text and cast per value: the driver would otherwise serialize a value
  // by the array type the server reports, and it does not take a string for a boolean.
  await sql`
    insert into hub.audit_log (at, agency_id, staff_id, person_id, categories, allowed, basis, reason, consent_id,
                               meeting_id, emergency_id, operation_name, request_id, purpose, prev_hash, hash)
    select e.at::timestamptz, e.agency_id, e.staff_id, e.person_id, e.categories::text[], e.allowed::boolean, e.basis, e.reason,
           e.consent_id, e.meeting_id, e.emergency_id, e.operation_name, e.request_id, e.purpose, e.prev_hash,
           e.hash
    from unnest(
      ${column((e) => e.at.toISOString())}::text[], ${column((e) => e.agencyId)}::text[],
      ${column((e) => e.staffId)}::text[], ${column((e) => e.personId)}::text[],
      ${column((e) => `{${e.categories.join(',')}}`)}::text[], ${column((e) => String(e.allowed))}::text[],
      ${column((e) => e.basis)}::text[], ${column((e) => e.reason)}::text[], ${column((e) => e.consentId)}::text[],
      ${column((e) => e.meetingId)}::text[], ${column((e) => e.emergencyId)}::text[],
      ${column((e) => e.operationName)}::text[], ${column((e) => e.requestId)}::text[],
      ${column((e) => e.purpose)}::text[], ${prevHashes}::text[], ${hashes}::text[]
    ) with ordinality as e(at, agency_id, staff_id, person_id, categories, allowed, basis, reason, consent_id,
                           meeting_id, emergency_id, operation_name, request_id, purpose, prev_hash, hash, n)
    order by e.n`;
  return prevHash;
}

/**
 * Appends entries chained after the newest one, all or none, and returns the new tip. `tip`, when
 * known, saves reading it; a stale one (another appender went first) is re-read and the append retried.
 * Throws on any other failure: a caller that cannot record a decision must not deliver the data.
 */
export async function appendAudit(sql: Sql, entries: readonly AuditEntry[], tip?: string): Promise<string> {
  let known = tip;
  for (let attempt = 1; ; attempt += 1) {
    known ??= await readChainTip(sql);
    if (!entries.length) return known;
    try {
      return await insertChained(sql, entries, known);
    } catch (error) {
      if (!isStaleTip(error) || attempt >= MAX_ATTEMPTS) throw error;
      known = undefined;
    }
  }
}

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
  const fields = [
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
  ];
  // A cheap key, null told apart from 'null'; the one free text (purpose) comes last, so a separator
  // inside it cannot make two different decisions look alike.
  return fields.map((v) => (v === null ? '\u0000' : String(v))).join('\u0001');
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
 * A group-commit writer: callers that arrive while an append is being written wait for the next one,
 * which appends all their entries in one statement after the tip this writer last wrote, and each caller
 * is answered by the commit of the statement that carried its entries. A batch that fails is retried caller by caller, so
 * one caller's bad entry fails only that caller; a database that refuses fails them all (fail closed).
 */
export function createAuditWriter(sql: Sql, options: AuditWriterOptions = {}): AuditWriter {
  const maxEntries = options.maxEntries ?? 5_000;
  let queue: Waiter[] = [];
  let writing = false;
  // The chain's newest hash as this writer last wrote it; unknown after a failure (read again then).
  let tip: string | undefined;

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
      tip = await appendAudit(sql, entries, tip);
      options.onCommit?.(batch.length, entries.length);
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      tip = undefined;
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
