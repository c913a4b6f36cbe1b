// The access log's anchor: a signed checkpoint of the chain's head (last id, its hash, how many entries),
// written outside the database, so a cut tail or a re-hashed chain shows against it (CONTRACT.md v2).

import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, type CryptoKey } from 'jose';
import type { Sql, TransactionSql } from '@hub/platform';
import { GENESIS_HASH } from './log.js';

/** A key jose signs or verifies with: a node:crypto KeyObject or a WebCrypto CryptoKey. */
export type CheckpointKey = KeyObject | CryptoKey;

/** The chain's head as a checkpoint states it. `lastId` is null while the log is empty. */
export interface ChainHead {
  readonly lastId: string | null;
  readonly hash: string;
  readonly entries: number;
}

export interface Checkpoint extends ChainHead {
  readonly at: Date;
  readonly kid: string;
  /** The first checkpoint of the sink this one follows, signed with it; absent from those of releases before. */
  readonly origin?: CheckpointOrigin;
}

/**
 * Where a sink's chain of checkpoints began: the head its first checkpoint signed. Every later checkpoint signs
 * it again, so a reader of the newest knows whether the entries up to `lastId` were taken on trust (a new or
 * emptied file over a log that held entries), however long the file has grown.
 */
export interface CheckpointOrigin {
  readonly at: Date;
  /** Null when the log was empty: nothing was taken on trust. */
  readonly lastId: string | null;
  readonly entries: number;
}

/** What checkpoints are signed with: the gateway's own key's algorithm (Ed25519, or ECDSA P-256). */
export type CheckpointAlgorithm = 'EdDSA' | 'ES256';

export interface CheckpointSigner {
  /** The key id written into every checkpoint's JWS header. */
  readonly kid: string;
  /** An Ed25519 private key, or a P-256 one with `alg: 'ES256'`. */
  readonly privateKey: CheckpointKey;
  /** @default 'EdDSA' */
  readonly alg?: CheckpointAlgorithm;
}

/** Where checkpoints are kept: outside the database, in lines of text, newest last. */
export interface CheckpointSink {
  /** Appends one line durably (resolves once it is on stable storage). */
  append(line: string): Promise<void>;
  /**
   * The whole lines of about the last `bytes` of the sink, oldest first; `complete` when they are all it
   * holds. Anyone who can write to the sink can append to it: only lines a known key signed are trusted.
   */
  recent(bytes: number): Promise<SinkLines>;
  /**
   * Told the line of the newest checkpoint a reading found signed (`readSink`): a sink that remembers
   * (`rememberingSink`) holds it as it holds its own last line.
   */
  anchored?(line: string): void;
}

export interface SinkLines {
  readonly lines: string[];
  readonly complete: boolean;
  /** When this process first found the sink no longer holding the newest checkpoint it knew (a `rememberingSink`). */
  readonly lostSince?: Date;
}

export interface CheckpointOptions {
  readonly signer: CheckpointSigner;
  /** The public keys checkpoints are verified with, by kid; the signer's own is one of them. */
  readonly verifyKeys: ReadonlyMap<string, CheckpointKey>;
  readonly sink: CheckpointSink;
  /**
   * Whether a checkpoint under a kid these keys do not hold, naming an entry gone or changed, stops new
   * checkpoints (a key retired while a cut was outstanding). Not where keys are generated at each start
   * (development): every earlier process's checkpoints are under a kid no longer known.
   * @default true
   */
  readonly unknownKeysHold?: boolean;
}

/** A line as written: the claims in the clear for a reader, and the JWS that alone is trusted. */
interface CheckpointLine extends OriginClaims {
  at: string;
  lastId: string | null;
  hash: string;
  entries: number;
  kid: string;
  jws: string;
}

/** A checkpoint's origin as its claims state it, flat, so a reader of the file sees it as the JWS signs it. */
interface OriginClaims {
  originAt?: string;
  originLastId?: string | null;
  originEntries?: number;
}

const ALGORITHMS: readonly string[] = ['EdDSA', 'ES256'] satisfies CheckpointAlgorithm[];

/** Reads the file's last line from its end: checkpoints are a few hundred bytes, the file grows for years. */
const TAIL_BYTES = 64 * 1024;

/**
 * A sink that also remembers the newest checkpoint this process knows of: the last line it appended, or
 * the newest signed one a reading found (a checkpoint of an earlier start, or of another gateway). Should
 * the sink lose it (the file moved aside, truncated or replaced while the gateway runs), readings of the
 * whole sink hold it as the oldest line, so the chain is still held against it and a tail cut after it
 * still shows (TAIL_CUT), nor is a checkpoint signed over the cut. `onLost` hears of each reading that
 * found it missing.
 */
export function rememberingSink(sink: CheckpointSink, onLost: () => void): CheckpointSink {
  let remembered: string | null = null;
  // Told with every reading from then on: the sink holding this process's next line again does not undo it.
  let lostSince: Date | undefined;
  return {
    async append(line) {
      await sink.append(line);
      remembered = line;
    },
    anchored(line) {
      remembered = line.trim();
    },
    async recent(bytes) {
      const read = await sink.recent(bytes);
      // Only a reading of the whole sink can tell that it no longer holds the line.
      if (remembered === null || !read.complete || read.lines.some((line) => line.trim() === remembered)) {
        return lostSince ? { ...read, lostSince } : read;
      }
      onLost();
      lostSince ??= new Date();
      return { lines: [remembered, ...read.lines], complete: true, lostSince };
    },
  };
}

/**
 * The newest row's id and hash, and how many entries (decisions, one per person a row names) there are, in
 * one snapshot. The count reads the whole table once per checkpoint: cheap at millions of rows, worth making
 * incremental far beyond.
 */
async function readChainHead(sql: Sql | TransactionSql): Promise<ChainHead> {
  const [head] = await sql<{ id: string; hash: string; entries: number }[]>`
    select l.id::text as id, l.hash, (select coalesce(sum(decisions), 0)::int from hub.audit_log) as entries
    from hub.audit_log l order by l.id desc limit 1`;
  return head
    ? { lastId: head.id, hash: head.hash, entries: head.entries }
    : { lastId: null, hash: GENESIS_HASH, entries: 0 };
}

/** The line a checkpoint of `head` is written as: its claims in the clear, and the JWS of the same claims. */
export async function signCheckpoint(
  head: ChainHead,
  signer: CheckpointSigner,
  at: Date,
  origin?: CheckpointOrigin,
): Promise<string> {
  const claims = {
    at: at.toISOString(),
    lastId: head.lastId,
    hash: head.hash,
    entries: head.entries,
    ...(origin
      ? { originAt: origin.at.toISOString(), originLastId: origin.lastId, originEntries: origin.entries }
      : {}),
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: signer.alg ?? 'EdDSA', kid: signer.kid, typ: 'hub-audit-checkpoint' })
    .sign(signer.privateKey);
  const line: CheckpointLine = { ...claims, kid: signer.kid, jws };
  return JSON.stringify(line);
}

/** What verification makes of the newest line of the sink. */
export type CheckpointReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'verified'; readonly checkpoint: Checkpoint }
  /**
   * Unreadable, unsigned, signed with an unknown kid or a bad signature: the claims, as far as they can be
   * read. `unknownKey`: a well-formed checkpoint signed under a kid the gateway does not know (a retired key
   * or another's), with what its signed part says.
   */
  | { readonly kind: 'forged'; readonly claimed: Partial<Checkpoint>; readonly unknownKey?: Partial<Checkpoint> };

function claimsOf(value: unknown): Partial<CheckpointLine> {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v['at'] === 'string' ? { at: v['at'] } : {}),
    ...(typeof v['lastId'] === 'string' || v['lastId'] === null ? { lastId: v['lastId'] as string | null } : {}),
    ...(typeof v['hash'] === 'string' ? { hash: v['hash'] } : {}),
    ...(typeof v['entries'] === 'number' ? { entries: v['entries'] } : {}),
    ...(typeof v['kid'] === 'string' ? { kid: v['kid'] } : {}),
    ...(typeof v['jws'] === 'string' ? { jws: v['jws'] } : {}),
    ...(typeof v['originAt'] === 'string' ? { originAt: v['originAt'] } : {}),
    ...(typeof v['originLastId'] === 'string' || v['originLastId'] === null
      ? { originLastId: v['originLastId'] as string | null }
      : {}),
    ...(typeof v['originEntries'] === 'number' ? { originEntries: v['originEntries'] } : {}),
  };
}

function originOf(claims: OriginClaims): CheckpointOrigin | undefined {
  const at = claims.originAt ? new Date(claims.originAt) : undefined;
  if (!at || Number.isNaN(at.getTime()) || claims.originLastId === undefined) return undefined;
  if (claims.originEntries === undefined) return undefined;
  return { at, lastId: claims.originLastId, entries: claims.originEntries };
}

function asCheckpoint(claims: Partial<CheckpointLine>): Partial<Checkpoint> {
  const at = claims.at ? new Date(claims.at) : undefined;
  return {
    ...(at && !Number.isNaN(at.getTime()) ? { at } : {}),
    ...(claims.lastId !== undefined ? { lastId: claims.lastId } : {}),
    ...(claims.hash !== undefined ? { hash: claims.hash } : {}),
    ...(claims.entries !== undefined ? { entries: claims.entries } : {}),
    ...(claims.kid !== undefined ? { kid: claims.kid } : {}),
  };
}

/** The fields a line holds in the clear beside its JWS: the signed claims and the key's id, as written. */
const READABLE_FIELDS = ['at', 'lastId', 'hash', 'entries'] as const;
/** Readable fields that lines of releases before did not have: absent from both, or the same in both. */
const ORIGIN_FIELDS = ['originAt', 'originLastId', 'originEntries'] as const;

/**
 * Whether the line's readable fields are, value for value and type for type, what its JWS signs and the kid
 * its header names: the gateway writes them so from the same claims, so any other line was edited.
 */
function saysAsSigned(line: Record<string, unknown>, signed: Record<string, unknown>, kid: string): boolean {
  return (
    line['kid'] === kid &&
    READABLE_FIELDS.every((field) => field in line && line[field] === signed[field]) &&
    ORIGIN_FIELDS.every((field) => line[field] === signed[field])
  );
}

/** Verifies a line: only what the JWS signs counts, with a key known by its kid. */
export async function readCheckpoint(
  line: string | null,
  verifyKeys: ReadonlyMap<string, CheckpointKey>,
): Promise<CheckpointReading> {
  if (line === null) return { kind: 'none' };
  let written: Record<string, unknown>;
  let clear: Partial<CheckpointLine> = {};
  try {
    written = JSON.parse(line) as Record<string, unknown>;
    clear = claimsOf(written);
  } catch {
    return { kind: 'forged', claimed: {} };
  }
  const forged = { kind: 'forged', claimed: asCheckpoint(clear) } as const;
  if (!clear.jws) return forged;
  try {
    const { kid, alg } = decodeProtectedHeader(clear.jws);
    if (kid === undefined || alg === undefined || !ALGORITHMS.includes(alg)) return forged;
    const key = verifyKeys.get(kid);
    if (!key) {
      const [, payload = ''] = clear.jws.split('.');
      const said = asCheckpoint(claimsOf(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))));
      return { ...forged, unknownKey: { ...said, kid } };
    }
    // The key decides: a header naming another algorithm than its key's fails verification (forged).
    const { payload } = await compactVerify(clear.jws, key, { algorithms: [alg] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const signed = asCheckpoint(claimsOf(claims));
    if (!signed.at || signed.lastId === undefined || !signed.hash || signed.entries === undefined) return forged;
    const origin = originOf(claimsOf(claims));
    const checkpoint: Checkpoint = {
      at: signed.at,
      lastId: signed.lastId,
      hash: signed.hash,
      entries: signed.entries,
      kid,
      ...(origin ? { origin } : {}),
    };
    // The line's readable fields are for whoever reads the file by eye: one that says other than the JWS
    // beside it (or is missing) was edited, and the line is told as forged, as any other change would be.
    return saysAsSigned(written, claims, kid) ? { kind: 'verified', checkpoint } : forged;
  } catch {
    return forged;
  }
}

/** What the sink says: its newest line as verification reads it, and the anchor to hold the chain against. */
export interface SinkReading {
  /** The newest line: `forged` too when it is a genuine older checkpoint appended again. */
  readonly newest: CheckpointReading;
  /** The newest checkpoint a known key signed (by its signed time), or null when there is none. */
  readonly anchor: Checkpoint | null;
  /**
   * Checkpoints signed after the anchor (all, without one) under a kid the gateway does not know, as their
   * signed part states them: a key retired while a cut was outstanding leaves its evidence here.
   */
  readonly unknownKeys: readonly Partial<Checkpoint>[];
  /** When this process first found the sink no longer holding the newest checkpoint it knew of; null if never. */
  readonly lostSince: Date | null;
}

/**
 * Reads the sink's recent lines until one verifies (or the sink is read whole). Only signed checkpoints
 * anchor the chain: a line anyone appended (no valid signature) or a genuine older one appended again (a
 * replay: signed earlier than a checkpoint before it) neither covers a cut tail nor stands for the newest.
 */
export async function readSink(
  sink: CheckpointSink,
  verifyKeys: ReadonlyMap<string, CheckpointKey>,
): Promise<SinkReading> {
  for (let bytes = TAIL_BYTES; ; bytes *= 4) {
    const { lines, complete, lostSince } = await sink.recent(bytes);
    const readings = await Promise.all(lines.map((line) => readCheckpoint(line, verifyKeys)));
    let anchor: Checkpoint | null = null;
    let anchorLine = '';
    readings.forEach((reading, i) => {
      if (reading.kind !== 'verified' || (anchor && reading.checkpoint.at < anchor.at)) return;
      anchor = reading.checkpoint;
      anchorLine = lines[i]!;
    });
    if (!anchor && !complete) continue;
    if (anchor) sink.anchored?.(anchorLine);
    const last = readings.at(-1) ?? ({ kind: 'none' } as const);
    const newest: CheckpointReading =
      last.kind === 'verified' && last.checkpoint !== anchor ? { kind: 'forged', claimed: last.checkpoint } : last;
    const unknownKeys = readings.flatMap((reading) =>
      reading.kind === 'forged' && reading.unknownKey && (!anchor || (reading.unknownKey.at ?? 0) > anchor.at)
        ? [reading.unknownKey]
        : [],
    );
    return { newest, anchor, unknownKeys, lostSince: lostSince ?? null };
  }
}

/** What the chain holds now of the entry a checkpoint names: it, with the hash named; nothing; or another hash. */
export async function checkpointedEntry(
  sql: Sql | TransactionSql,
  head: Pick<ChainHead, 'lastId' | 'hash'>,
): Promise<'HELD' | 'GONE' | 'CHANGED'> {
  if (head.lastId === null) return 'HELD';
  const [row] = await sql<{ hash: string }[]>`select hash from hub.audit_log where id = ${head.lastId}::bigint`;
  if (!row) return 'GONE';
  return row.hash === head.hash ? 'HELD' : 'CHANGED';
}

export type CheckpointOutcome =
  | {
      readonly written: true;
      readonly checkpoint: Checkpoint;
      /**
       * What the file's newest line claimed when no known key signed it (or it was a genuine older checkpoint
       * appended again): someone wrote to the file. It stays in the file; this checkpoint now follows it. Not
       * set for a well-formed line under an unknown kid where unknown kids do not hold (`unknownKeysHold:
       * false`, development): there it is an earlier start's checkpoint.
       */
      readonly superseded?: Partial<Checkpoint>;
      /**
       * Where keys are made at each start (`unknownKeysHold: false`): an earlier start's checkpoint names an
       * entry the chain no longer holds. Its key is gone, so it is no anchor and stops nothing, but the entries
       * may have been cut between the two starts: told, so an operator keeps keys (npm run keys) to be sure.
       */
      readonly unverifiedCut?: { readonly lastId: string; readonly kid: string | null };
      /**
       * The sink held no checkpoint a known key signed while the log held entries: this is the first of its
       * checkpoints, and the entries up to its head are taken on trust (a cut before now cannot show against
       * it). Not set where keys are made at each start and the sink holds earlier starts' lines.
       */
      readonly overExistingLog?: { readonly lastId: string; readonly entries: number };
    }
  /** The newest checkpoint no longer holds: writing over it would hide a cut or a rewrite, so it stays newest. */
  | {
      readonly written: false;
      readonly reason: 'CHAIN_NO_LONGER_HOLDS_LAST_CHECKPOINT';
      readonly lastId: string | null;
    }
  /**
   * A checkpoint signed since under a kid the gateway does not know names an entry the chain no longer
   * holds: a cut found under a key since retired. Nothing is signed over it until that key is trusted again
   * (and verifyAccessLog shows the cut) or the line is resolved by whoever keeps the sink.
   */
  | {
      readonly written: false;
      readonly reason: 'UNKNOWN_KEY_CHECKPOINT_NO_LONGER_HOLDS';
      readonly lastId: string | null;
      readonly kid: string | null;
    };

/** How long a checkpoint waits for a lock another session holds on the access log before it fails. */
const CHECKPOINT_LOCK_TIMEOUT_MS = 5_000;

/**
 * Signs the chain's head and appends it to the sink. Refuses (and writes nothing) when the newest
 * checkpoint's entry is gone or changed, so a later checkpoint never launders a cut tail.
 */
export async function writeCheckpoint(
  sql: Sql,
  options: CheckpointOptions,
  now = new Date(),
): Promise<CheckpointOutcome> {
  // Held against the newest signed checkpoint, never a line anyone could have appended.
  const { anchor, unknownKeys, newest } = await readSink(options.sink, options.verifyKeys);
  // A lock another session holds on the log (a migration) fails the checkpoint after a while, to be tried at
  // the next interval, rather than holding a connection of the pool and the shutdown until it is released.
  const read = await sql.begin(async (tx): Promise<CheckpointOutcome | { head: ChainHead; unverifiedCut?: Cut }> => {
    await tx`select set_config('lock_timeout', ${String(CHECKPOINT_LOCK_TIMEOUT_MS)}, true)`;
    if (anchor && (await checkpointedEntry(tx, anchor)) !== 'HELD') {
      return { written: false, reason: 'CHAIN_NO_LONGER_HOLDS_LAST_CHECKPOINT', lastId: anchor.lastId };
    }
    // A line under an unknown kid may be anyone's: it is no anchor, but one naming an entry that is gone or
    // changed is not signed over either, as a retired key's evidence of a cut would be.
    for (const said of options.unknownKeysHold === false ? [] : unknownKeys) {
      if (said.lastId === undefined || said.lastId === null || !said.hash) continue;
      if (!/^\d{1,19}$/.test(said.lastId)) continue;
      if ((await checkpointedEntry(tx, { lastId: said.lastId, hash: said.hash })) === 'HELD') continue;
      return {
        written: false,
        reason: 'UNKNOWN_KEY_CHECKPOINT_NO_LONGER_HOLDS',
        lastId: said.lastId,
        kid: said.kid ?? null,
      };
    }
    const unverifiedCut = options.unknownKeysHold === false ? await earlierStartCut(tx, unknownKeys) : undefined;
    return { head: await readChainHead(tx), ...(unverifiedCut ? { unverifiedCut } : {}) };
  });
  if (!('head' in read)) return read;
  const { head, unverifiedCut } = read;
  // The first checkpoint of the sink is its origin; each after carries it on (none after one of a release before).
  const origin = anchor ? anchor.origin : { at: now, lastId: head.lastId, entries: head.entries };
  await options.sink.append(await signCheckpoint(head, options.signer, now, origin));
  const checkpoint: Checkpoint = { ...head, at: now, kid: options.signer.kid, ...(origin ? { origin } : {}) };
  // Where each start makes its keys, a sink holding lines is an earlier start's: only an empty one is new.
  const newSink = !anchor && (newest.kind === 'none' || options.unknownKeysHold !== false);
  // Where keys are made at each start, a line under an unknown kid is an earlier start's checkpoint: not told.
  const told = newest.kind === 'forged' && !(newest.unknownKey && options.unknownKeysHold === false);
  return {
    written: true,
    checkpoint,
    ...(told ? { superseded: newest.claimed } : {}),
    ...(unverifiedCut ? { unverifiedCut } : {}),
    ...(newSink && head.lastId !== null ? { overExistingLog: { lastId: head.lastId, entries: head.entries } } : {}),
  };
}

/** An earlier start's checkpoint naming an entry the chain no longer holds. */
interface Cut {
  readonly lastId: string;
  readonly kid: string | null;
}

/** The first of earlier starts' checkpoints (keys made at each start) that names an entry the chain no longer holds. */
async function earlierStartCut(
  sql: Sql | TransactionSql,
  lines: readonly Partial<Checkpoint>[],
): Promise<Cut | undefined> {
  for (const said of lines) {
    if (!said.lastId || !said.hash || !/^\d{1,19}$/.test(said.lastId)) continue;
    if ((await checkpointedEntry(sql, { lastId: said.lastId, hash: said.hash })) !== 'HELD') {
      return { lastId: said.lastId, kid: said.kid ?? null };
    }
  }
  return undefined;
}

/** A development signer: an Ed25519 pair made at start, known to this process only. */
export function generateCheckpointSigner(): { signer: CheckpointSigner; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { kid: `checkpoint-${randomUUID()}`, privateKey }, publicKey };
}

/** What verification checks against: the sink and the keys, without the signer. */
export type CheckpointAnchor = Pick<CheckpointOptions, 'sink' | 'verifyKeys'>;
