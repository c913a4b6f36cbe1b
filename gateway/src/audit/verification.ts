// verifyAccessLog: the chain recomputed and held against the newest signed checkpoint, naming every problem
// it finds, so that one does not hide another (CONTRACT.md "Seeing the decisions" and v2's checkpoints).

import type { Sql } from '@hub/platform';
import {
  checkpointedEntry,
  readSink,
  type Checkpoint,
  type CheckpointAnchor,
  type CheckpointOrigin,
} from './checkpoint.js';
import { verifyAuditChain, type AuditChainVerification } from './log.js';

/** What is wrong with the access log. */
export type AccessLogProblem = 'CHAIN_BROKEN' | 'CHECKPOINT_FORGED' | 'TAIL_CUT';

/** A checkpoint as verification reports it: what a known key signed (`verified`), or what a line claims. */
export type ReportedCheckpoint = Partial<Checkpoint> & { readonly verified: boolean };

/** One problem verification found. */
export interface AccessLogFinding {
  readonly problem: AccessLogProblem;
  /** The entry it was found at; null for CHECKPOINT_FORGED. */
  readonly entryId: string | null;
  /** The checkpoint it was found against; null for an entry the chain alone shows broken. */
  readonly checkpoint: ReportedCheckpoint | null;
}

export interface AccessLogVerification extends AuditChainVerification {
  /** The first of `problems`; null when intact. */
  readonly problem: AccessLogProblem | null;
  /** Every problem found: by the entry it was found at, oldest first, then a forged newest line. */
  readonly problems: readonly AccessLogFinding[];
  /**
   * The checkpoint the first problem was found against, else the one the chain was held against (the anchor),
   * else what the sink's newest line claims; null when none was written.
   */
  readonly checkpoint: ReportedCheckpoint | null;
  /**
   * When this gateway first found the sink no longer holding the newest checkpoint it knew of (moved, emptied or
   * replaced outside the hub), since it started; null if never. The chain is then held against the one it
   * remembers, so `intact` still speaks of the log; this speaks of the anchor outside the database.
   */
  readonly checkpointLostAt: Date | null;
  /**
   * Where the checkpoints the chain was held against began (the first of their sink, signed in each since);
   * null without a signed checkpoint, or when it was written by a release that did not record it.
   */
  readonly checkpointOrigin: ReportedOrigin | null;
}

/** A sink's origin as verification reports it: `overExistingLog` when entries up to it were taken on trust. */
export interface ReportedOrigin extends CheckpointOrigin {
  readonly overExistingLog: boolean;
}

/**
 * The anchor's entry as the chain holds it now: gone (TAIL_CUT: entries were deleted from the end, and any
 * appended since chain onto the cut) or holding another hash, as after re-hashing the chain up to it
 * (CHAIN_BROKEN); nothing when it is held with the hash signed.
 */
async function anchorFinding(sql: Sql, signed: Checkpoint): Promise<AccessLogFinding | null> {
  const held = await checkpointedEntry(sql, signed);
  if (held === 'HELD') return null;
  return {
    problem: held === 'GONE' ? 'TAIL_CUT' : 'CHAIN_BROKEN',
    entryId: signed.lastId,
    checkpoint: { ...signed, verified: true },
  };
}

const byEntry = (a: AccessLogFinding, b: AccessLogFinding): number => {
  const [x, y] = [BigInt(a.entryId ?? 0), BigInt(b.entryId ?? 0)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Recomputes the chain and holds it against the newest checkpoint a known key signed (the anchor, whatever
 * was appended after it: a line appended since says only what its writer chose), naming every problem: each
 * entry whose link or hash does not match (CHAIN_BROKEN, at that entry), the anchor's entry gone or changed
 * (`anchorFinding`), a newest line no known key signed (CHECKPOINT_FORGED: the tail cannot be checked by it).
 */
export async function verifyAccessLog(sql: Sql, anchor: CheckpointAnchor | undefined): Promise<AccessLogVerification> {
  const {
    newest,
    anchor: signed,
    lostSince: checkpointLostAt,
  } = anchor
    ? await readSink(anchor.sink, anchor.verifyKeys)
    : { newest: { kind: 'none' as const }, anchor: null, lostSince: null };
  const chain = await verifyAuditChain(sql);
  const claimed: ReportedCheckpoint | null =
    newest.kind === 'verified'
      ? { ...newest.checkpoint, verified: true }
      : newest.kind === 'forged'
        ? { ...newest.claimed, verified: false }
        : null;
  const atAnchor = signed ? await anchorFinding(sql, signed) : null;
  const broken = chain.brokenIds
    // A checkpointed entry found changed is told once, against its checkpoint.
    .filter((id) => id !== atAnchor?.entryId)
    .map((id): AccessLogFinding => ({ problem: 'CHAIN_BROKEN', entryId: id, checkpoint: null }));
  // Stable: at one entry, the anchor's finding comes first.
  const atEntries = [...(atAnchor ? [atAnchor] : []), ...broken].sort(byEntry);
  const forged: AccessLogFinding[] =
    newest.kind === 'forged' ? [{ problem: 'CHECKPOINT_FORGED', entryId: null, checkpoint: claimed }] : [];
  const problems = [...atEntries, ...forged];
  const [first] = problems;
  return {
    intact: !first,
    entries: chain.entries,
    firstBrokenId: first?.entryId ?? null,
    brokenIds: chain.brokenIds,
    brokenEntries: chain.brokenEntries,
    problem: first?.problem ?? null,
    problems,
    checkpoint: first?.checkpoint ?? (signed ? { ...signed, verified: true } : claimed),
    checkpointLostAt,
    checkpointOrigin: signed?.origin ? { ...signed.origin, overExistingLog: signed.origin.lastId !== null } : null,
  };
}
