// The access log: every decision about a person, appended in one statement and chained by hash
// (hash = sha256(prev_hash + canonical JSON of the entry)), so any later change shows in verifyAuditChain.
// Concurrent fetch steps share one statement through the group-commit writer; enforcement hands it rows
// (one per outcome of a fetch, naming its persons), and single decisions become rows through recordsOf.

import { hash } from 'node:crypto';
import type { DataCategory, Sql } from '@hub/platform';
import { CONSENT_REASONS, MEETING_REASONS, type DenialReason, type LegalBasis } from '../policy/decide.js';

/** One decision about one person, as the enforcement records it and as the person's log shows it. */
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

/** What the decisions of one row share: everything but the person and the record their basis names. */
type Shared = Omit<AuditEntry, 'personId' | 'consentId' | 'meetingId' | 'emergencyId'>;

/**
 * One row of the log: decisions of one append that share everything but the person, each person with the
 * consent, meeting or emergency access their decision rests on, or the consent or meeting a denial's reason
 * speaks of (`basisIds`, aligned with `personIds`; which it is follows from `basis` or `reason`; '' where it
 * names none: an array element stored as NULL would not read back as null).
 */
export interface AuditRecord extends Shared {
  personIds: string[];
  basisIds: string[];
}

/** The row as hashed: fixed key order, ISO timestamps, nulls explicit, and a format apart from single entries. */
export function canonicalRecord(record: AuditRecord): string {
  return JSON.stringify({
    agencyId: record.agencyId,
    allowed: record.allowed,
    at: record.at.toISOString(),
    basis: record.basis,
    basisIds: record.basisIds,
    categories: record.categories,
    format: 2,
    operationName: record.operationName,
    personIds: record.personIds,
    purpose: record.purpose,
    reason: record.reason,
    requestId: record.requestId,
    staffId: record.staffId,
  });
}

export function recordHash(prevHash: string, record: AuditRecord): string {
  return hash('sha256', prevHash + canonicalRecord(record), 'hex');
}

/** The record a decision rests on (consent, meeting or emergency access), whichever its basis names. */
export const basisIdOf = (decided: {
  readonly consentId?: string | null;
  readonly meetingId?: string | null;
  readonly emergencyId?: string | null;
}): string | null => decided.consentId ?? decided.meetingId ?? decided.emergencyId ?? null;

/** Which record a row's basis ids name, by its basis or, for a denial, by its reason. */
const BASIS_OF: ReadonlyMap<LegalBasis | DenialReason, 'consent' | 'meeting'> = new Map([
  ['CONSENT', 'consent'],
  ...[...CONSENT_REASONS].map((reason) => [reason, 'consent'] as const),
  ['SUPPORT_MEETING', 'meeting'],
  ['CHILD_COUNCIL', 'meeting'],
  ...[...MEETING_REASONS].map((reason) => [reason, 'meeting'] as const),
]);

/** The decision of one person of a row, as a single entry again. */
export function entryOf(record: AuditRecord, index: number): AuditEntry {
  const { personIds, basisIds, ...shared } = record;
  const basisId = basisIds[index] || null;
  const speaksOf = record.allowed ? record.basis : record.reason;
  return {
    ...shared,
    personId: personIds[index]!,
    consentId: speaksOf && BASIS_OF.get(speaksOf) === 'consent' ? basisId : null,
    meetingId: speaksOf && BASIS_OF.get(speaksOf) === 'meeting' ? basisId : null,
    // An emergency's basis, or the emergency an auditor's review read.
    emergencyId: speaksOf === 'EMERGENCY' || speaksOf === 'AUDIT' ? basisId : null,
  };
}

/** How many of the newest rows a decision is compared with before it opens a row of its own. */
const OPEN_ROWS = 16;

/** Whether two decisions were made alike: one request, one caller, one outcome, one stated purpose. */
const madeAlike = (a: Shared, b: Shared): boolean =>
  a.requestId === b.requestId &&
  a.agencyId === b.agencyId &&
  a.staffId === b.staffId &&
  a.allowed === b.allowed &&
  a.basis === b.basis &&
  a.reason === b.reason &&
  a.operationName === b.operationName &&
  a.purpose === b.purpose;

/** Whether two decisions may share a row: alike in everything but the person and their basis record. */
const sameShared = (a: Shared, b: Shared): boolean =>
  a.at.getTime() === b.at.getTime() &&
  madeAlike(a, b) &&
  a.categories.length === b.categories.length &&
  a.categories.every((category, i) => category === b.categories[i]);

/**
 * The rows that record these decisions, in the order their first decisions came: decisions alike but for
 * their persons share a row, each person at most once in a row. An append holds a few kinds of decision
 * over many persons, so each decision is compared with the newest OPEN_ROWS rows, not keyed: an append of
 * decisions all unlike each other costs a bounded number of comparisons each (and gets a row each).
 */
export function recordsOf(entries: readonly AuditEntry[]): AuditRecord[] {
  const open: { record: AuditRecord; persons: Set<string> }[] = [];
  for (const entry of entries) {
    let group: (typeof open)[number] | undefined;
    for (let i = open.length - 1; i >= Math.max(0, open.length - OPEN_ROWS) && !group; i -= 1) {
      if (sameShared(open[i]!.record, entry) && !open[i]!.persons.has(entry.personId)) group = open[i];
    }
    if (!group) {
      const { personId: _person, consentId: _consent, meetingId: _meeting, emergencyId: _emergency, ...shared } = entry;
      group = { record: { ...shared, personIds: [], basisIds: [] }, persons: new Set() };
      open.push(group);
    }
    group.persons.add(entry.personId);
    group.record.personIds.push(entry.personId);
    group.record.basisIds.push(basisIdOf(entry) ?? '');
  }
  return open.map((g) => g.record);
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
 * Inserts these rows chained after `tip`, in one statement (so all or none), and returns the new tip.
 * Fails with a unique violation on CHAIN_LINK when another appender has already chained after `tip`.
 */
async function insertChained(sql: Sql, records: readonly AuditRecord[], tip: string): Promise<string> {
  let prevHash = tip;
  // Keyed by column: json_populate_recordset fills the table's own row type, arrays included, which costs
  // the database a third less than picking each field and array out of the JSON by hand.
  const rows = records.map((record) => {
    const hash = recordHash(prevHash, record);
    const row = {
      at: record.at.toISOString(),
      agency_id: record.agencyId,
      staff_id: record.staffId,
      person_ids: record.personIds,
      basis_ids: record.basisIds,
      categories: record.categories,
      allowed: record.allowed,
      basis: record.basis,
      reason: record.reason,
      operation_name: record.operationName,
      request_id: record.requestId,
      purpose: record.purpose,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // The rows as one JSON parameter: the statement's text is the same for any number of rows and persons,
  // so it is prepared once per connection. Rows are inserted in array order, so id order is chain order.
  await sql`
    insert into hub.audit_log (at, agency_id, staff_id, person_ids, basis_ids, categories, allowed, basis, reason,
                               operation_name, request_id, purpose, prev_hash, hash)
    select r.at, r.agency_id, r.staff_id, r.person_ids, r.basis_ids, r.categories, r.allowed, r.basis, r.reason,
           r.operation_name, r.request_id, r.purpose, r.prev_hash, r.hash
    from json_populate_recordset(null::hub.audit_log, ${JSON.stringify(rows)}::text::json) with ordinality as r
    order by r.ordinality`;
  return prevHash;
}

/**
 * Appends rows chained after the newest one, all or none, and returns the new tip. `tip`, when known,
 * saves reading it; a stale one (another appender went first) is re-read and the append retried. Throws on
 * any other failure: a caller that cannot record a decision must not deliver the data.
 */
async function appendRecords(sql: Sql, records: readonly AuditRecord[], tip?: string): Promise<string> {
  let known = tip;
  for (let attempt = 1; ; attempt += 1) {
    known ??= await readChainTip(sql);
    if (!records.length) return known;
    try {
      return await insertChained(sql, records, known);
    } catch (error) {
      if (!isStaleTip(error) || attempt >= MAX_ATTEMPTS) throw error;
      known = undefined;
    }
  }
}

/** Appends single decisions, as the rows recordsOf makes of them (see appendRecords). */
export function appendAudit(sql: Sql, entries: readonly AuditEntry[], tip?: string): Promise<string> {
  return appendRecords(sql, recordsOf(entries), tip);
}

export interface AuditWriter {
  /** Resolves once the rows are committed; rejects (and nothing may be delivered) when they are not. */
  append(records: readonly AuditRecord[]): Promise<void>;
}

export interface AuditWriterOptions {
  /**
   * Most decisions (persons of rows) one transaction takes from waiting callers (a single caller's rows
   * always go whole).
   * @default 5000
   */
  maxEntries?: number;
  /** Called after each committed transaction, with how many callers and decisions it carried. */
  onCommit?: (callers: number, entries: number) => void;
  /** Called when a caller's rows could not be appended (and what waited on them is withheld). */
  onFailure?: (error: unknown) => void;
}

/** How many decisions rows record: one per person of each row. */
export const decisionsIn = (records: readonly AuditRecord[]): number =>
  records.reduce((n, record) => n + record.personIds.length, 0);

/** Whether two rows of one request record the same decisions about the same persons (time and categories aside). */
const sameButCategories = (a: AuditRecord, b: AuditRecord): boolean =>
  madeAlike(a, b) &&
  a.personIds.length === b.personIds.length &&
  a.personIds.every((person, i) => person === b.personIds[i] && a.basisIds[i] === b.basisIds[i]);

/**
 * Rows of one request that record the same decisions about the same persons (the fetch steps of a request
 * that run side by side commit together, each naming the categories it reads) become one row naming all
 * their categories, at the earliest time: the log says the same in fewer rows.
 */
export function mergeRecords(records: readonly AuditRecord[]): AuditRecord[] {
  const merged: AuditRecord[] = [];
  for (const record of records) {
    const at = merged.findIndex((seen) => sameButCategories(seen, record));
    if (at === -1) {
      merged.push(record);
      continue;
    }
    const seen = merged[at]!;
    merged[at] = {
      ...seen,
      at: seen.at <= record.at ? seen.at : record.at,
      categories: [...new Set([...seen.categories, ...record.categories])].sort(),
    };
  }
  return merged;
}

interface Waiter {
  readonly records: readonly AuditRecord[];
  /** How many decisions the rows record. */
  readonly count: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A group-commit writer: callers that arrive while an append is being written wait for the next one,
 * which appends all their rows in one statement after the tip this writer last wrote, and each caller is
 * answered by the commit of the statement that carried its rows. A batch that fails is retried caller by
 * caller, so one caller's bad row fails only that caller; a database that refuses fails them all (fail closed).
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
    while (n < queue.length && (n === 0 || count + queue[n]!.count <= maxEntries)) {
      count += queue[n]!.count;
      n += 1;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    return batch;
  };

  const write = async (batch: readonly Waiter[]) => {
    const records = batch.length > 1 ? mergeRecords(batch.flatMap((w) => w.records)) : batch[0]!.records;
    try {
      tip = await appendRecords(sql, records, tip);
      options.onCommit?.(batch.length, decisionsIn(records));
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      tip = undefined;
      if (batch.length === 1) {
        options.onFailure?.(error);
        return batch[0]!.reject(error);
      }
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
    append(records) {
      if (!records.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, count: decisionsIn(records), resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

export interface AuditChainVerification {
  intact: boolean;
  /** Decisions recorded: one per person of each row. */
  entries: number;
  /** The first row whose link or hash does not match (its id). */
  firstBrokenId: string | null;
  /** Rows whose link or hash does not match, oldest first: the first BROKEN_ROWS_TOLD of them. */
  brokenIds: string[];
  /** How many rows (entries, as ids name them) do not match, all of them. */
  brokenEntries: number;
}

/** How many broken rows verification names: enough to tell one rewrite from another, bounded for a log re-hashed whole. */
const BROKEN_ROWS_TOLD = 100;

/** A row as stored: a single entry (rows written before rows named several persons) or a record. */
type StoredRow = AuditEntry &
  Pick<AuditRecord, 'personIds' | 'basisIds'> & {
    id: string;
    prevHash: string;
    hash: string;
  };

/** The hash a stored row should have, in the format it was written in. */
function storedHash(row: StoredRow): string {
  return row.personIds ? recordHash(row.prevHash, row) : chainHash(row.prevHash, row);
}

const PAGE = 1000;

/** Recomputes the whole chain in id order, naming the rows whose link or hash does not match. */
export async function verifyAuditChain(sql: Sql): Promise<AuditChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let entries = 0;
  const brokenIds: string[] = [];
  let brokenEntries = 0;
  // From the very first row, whatever its id: a row slipped in below 1 is read and checked like the rest.
  let afterId: string | null = null;
  for (;;) {
    // Ordered by the bigint column (l.id), not by the text alias of the same name.
    const page: StoredRow[] = await sql<StoredRow[]>`
      select l.id::text as id, l.at, l.agency_id as "agencyId", l.staff_id as "staffId", l.person_id as "personId",
             l.categories, l.allowed, l.basis, l.reason, l.consent_id as "consentId", l.meeting_id as "meetingId",
             l.emergency_id as "emergencyId", l.operation_name as "operationName", l.request_id as "requestId",
             l.purpose, l.person_ids as "personIds", l.basis_ids as "basisIds", l.prev_hash as "prevHash", l.hash
      from hub.audit_log l
      where ${afterId}::bigint is null or l.id > ${afterId}::bigint
      order by l.id
      limit ${PAGE}`;
    for (const row of page) {
      entries += row.personIds ? row.personIds.length : 1;
      // Each row is held against the one before as stored: a row rewritten with its hash left breaks there, one
      // whose hash was recomputed to fit breaks the link of the next.
      if (row.prevHash !== expectedPrev || storedHash(row) !== row.hash) {
        brokenEntries += 1;
        if (brokenIds.length < BROKEN_ROWS_TOLD) brokenIds.push(row.id);
      }
      expectedPrev = row.hash;
    }
    if (page.length < PAGE) break;
    afterId = page[page.length - 1]!.id;
  }
  return { intact: brokenEntries === 0, entries, firstBrokenId: brokenIds[0] ?? null, brokenIds, brokenEntries };
}
