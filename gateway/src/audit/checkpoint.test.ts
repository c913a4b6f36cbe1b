import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpointSink, requireCheckpointFile } from './checkpoint-file.js';
import {
  generateCheckpointSigner,
  readCheckpoint,
  readSink,
  rememberingSink,
  signCheckpoint,
  type CheckpointSink,
} from './checkpoint.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hub-checkpoint-unit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function signedLine(sink: CheckpointSink) {
  const { signer, publicKey } = generateCheckpointSigner();
  const head = { lastId: '42', hash: 'a'.repeat(64), entries: 42 };
  const at = new Date('2026-11-30T00:00:00.000Z');
  await sink.append(await signCheckpoint(head, signer, at));
  return { claims: { ...head, at }, kid: signer.kid, keys: new Map([[signer.kid, publicKey]]) };
}

/** The sink's newest line, or null. */
const newestLine = async (sink: CheckpointSink) => (await sink.recent(64 * 1024)).lines.at(-1) ?? null;

describe('the file checkpoint sink', () => {
  it('has no line before the first is written, then its lines, oldest first', async () => {
    const sink = fileCheckpointSink(join(dir, 'nested', 'a.jsonl'));
    expect(await sink.recent(1024)).toEqual({ lines: [], complete: true });
    await sink.append('{"first":1}');
    await sink.append('{"second":2}');
    expect(await sink.recent(1024)).toEqual({ lines: ['{"first":1}', '{"second":2}'], complete: true });
  });

  it('a file whose folder cannot be made is refused at once, naming the error, not spun on', async () => {
    // Under /proc every new entry is refused with ENOENT, which Node's recursive mkdir loops on for ever.
    await expect(requireCheckpointFile('/proc/hub-no-such/checkpoints.jsonl')).rejects.toThrow(
      /AUDIT_CHECKPOINT_FILE: \/proc\/hub-no-such\/checkpoints\.jsonl cannot be written \(ENOENT\)/,
    );
    const deep = join(dir, 'deep', 'er', 'c.jsonl');
    await requireCheckpointFile(deep);
    expect(await fileCheckpointSink(deep).recent(1024)).toEqual({ lines: [], complete: true });
  }, 10_000);

  it('reads whole lines of its tail only, and says when it read less than all', async () => {
    const sink = fileCheckpointSink(join(dir, 'tail.jsonl'));
    for (let i = 0; i < 10; i += 1) await sink.append(`{"line":${i}}`);
    // 12 bytes a line: the last 30 bytes hold two whole lines and the end of a third.
    expect(await sink.recent(30)).toEqual({ lines: ['{"line":8}', '{"line":9}'], complete: false });
  });
});

describe('the anchor: the newest checkpoint a known key signed', () => {
  it('a line anyone appended after it is no anchor, and stands as the newest only as forged', async () => {
    const sink = fileCheckpointSink(join(dir, 'anchor-a.jsonl'));
    const { claims, kid, keys } = await signedLine(sink);
    await sink.append(JSON.stringify({ ...claims, lastId: '41', jws: 'x.y.z' }));
    const reading = await readSink(sink, keys);
    expect(reading.anchor).toEqual({ ...claims, kid });
    expect(reading.newest).toMatchObject({ kind: 'forged', claimed: { lastId: '41' } });
  });

  it('a genuine older checkpoint appended again (a replay) is no anchor either', async () => {
    const sink = fileCheckpointSink(join(dir, 'anchor-b.jsonl'));
    const { signer, publicKey } = generateCheckpointSigner();
    const keys = new Map([[signer.kid, publicKey]]);
    const older = await signCheckpoint({ lastId: '4', hash: 'a'.repeat(64), entries: 4 }, signer, new Date(1_000));
    const newer = await signCheckpoint({ lastId: '5', hash: 'b'.repeat(64), entries: 5 }, signer, new Date(2_000));
    for (const line of [older, newer, older]) await sink.append(line);
    const reading = await readSink(sink, keys);
    expect(reading.anchor).toMatchObject({ lastId: '5' });
    expect(reading.newest).toMatchObject({ kind: 'forged', claimed: { lastId: '4' } });
  });

  it('reads further back while the recent lines hold no signed one', async () => {
    const sink = fileCheckpointSink(join(dir, 'anchor-c.jsonl'));
    const { claims, kid, keys } = await signedLine(sink);
    const junk = JSON.stringify({ lastId: '1', hash: 'c'.repeat(64), padding: 'x'.repeat(1000) });
    for (let i = 0; i < 100; i += 1) await sink.append(junk);
    expect((await readSink(sink, keys)).anchor).toEqual({ ...claims, kid });
  });

  it('none signed at all: no anchor', async () => {
    const sink = fileCheckpointSink(join(dir, 'anchor-d.jsonl'));
    await sink.append('{"lastId":"1"}');
    expect(await readSink(sink, new Map())).toMatchObject({ anchor: null, newest: { kind: 'forged' } });
  });
});

describe('reading a checkpoint', () => {
  it('trusts what the JWS signs with a known kid', async () => {
    const sink = fileCheckpointSink(join(dir, 'b.jsonl'));
    const { claims, kid, keys } = await signedLine(sink);
    expect(await readCheckpoint(await newestLine(sink), keys)).toEqual({
      kind: 'verified',
      checkpoint: { ...claims, kid },
    });
  });

  it('calls forged a line whose readable fields say other than the JWS beside it', async () => {
    const sink = fileCheckpointSink(join(dir, 'edited.jsonl'));
    const { keys } = await signedLine(sink);
    const line = JSON.parse((await newestLine(sink))!) as Record<string, unknown>;
    expect((await readCheckpoint(JSON.stringify(line), keys)).kind).toBe('verified');
    const edits: Record<string, unknown>[] = [
      { lastId: '999' },
      { entries: 999 },
      { hash: 'b'.repeat(64) },
      { at: '2030-01-01T00:00:00Z' },
      { kid: 'another' },
      // Of another type, or not a value at all: the same edit, which a reader by eye takes as the value.
      { entries: '42' },
      { lastId: 42 },
      { at: 'bogus' },
      { at: 0 },
      { hash: null },
    ];
    for (const edit of edits) {
      expect((await readCheckpoint(JSON.stringify({ ...line, ...edit }), keys)).kind, JSON.stringify(edit)).toBe(
        'forged',
      );
    }
    const { lastId: _, ...withoutLastId } = line;
    expect((await readCheckpoint(JSON.stringify(withoutLastId), keys)).kind).toBe('forged');
  });

  it('reads the origin a checkpoint signs, and calls forged a line whose readable origin says other than its JWS', async () => {
    const { signer, publicKey } = generateCheckpointSigner();
    const keys = new Map([[signer.kid, publicKey]]);
    const head = { lastId: '50', hash: 'a'.repeat(64), entries: 50 };
    const at = new Date('2026-12-01T00:00:00.000Z');
    const origin = { at: new Date('2026-11-30T00:00:00.000Z'), lastId: '40', entries: 40 };
    const line = JSON.parse(await signCheckpoint(head, signer, at, origin)) as Record<string, unknown>;
    expect(line).toMatchObject({ originAt: '2026-11-30T00:00:00.000Z', originLastId: '40', originEntries: 40 });
    expect(await readCheckpoint(JSON.stringify(line), keys)).toEqual({
      kind: 'verified',
      checkpoint: { ...head, at, kid: signer.kid, origin },
    });
    // Moving the origin back to an empty log by hand would hide that entries were taken on trust.
    for (const edit of [{ originLastId: null }, { originEntries: 0 }, { originAt: '2026-01-01T00:00:00.000Z' }]) {
      expect((await readCheckpoint(JSON.stringify({ ...line, ...edit }), keys)).kind, JSON.stringify(edit)).toBe(
        'forged',
      );
    }
    const { originLastId: _, ...withoutOrigin } = line;
    expect((await readCheckpoint(JSON.stringify(withoutOrigin), keys)).kind).toBe('forged');
  });

  it('calls forged a line whose key is unknown, whose JWS was altered, or that is no JSON', async () => {
    const sink = fileCheckpointSink(join(dir, 'c.jsonl'));
    const { kid, keys } = await signedLine(sink);
    const line = JSON.parse((await newestLine(sink))!) as { jws: string };
    expect((await readCheckpoint(JSON.stringify(line), new Map())).kind).toBe('forged');
    const [header, , signature] = line.jws.split('.');
    const altered = Buffer.from(
      JSON.stringify({ at: '2026-11-30T00:00:00.000Z', lastId: '7', hash: 'b', entries: 7 }),
    ).toString('base64url');
    const reading = await readCheckpoint(JSON.stringify({ ...line, jws: `${header}.${altered}.${signature}` }), keys);
    expect(reading).toMatchObject({ kind: 'forged', claimed: { kid } });
    expect((await readCheckpoint('not json', keys)).kind).toBe('forged');
  });
});

describe('a gateway key of P-256 (ES256)', () => {
  it('signs checkpoints that verify with its public key, so a restarted gateway with the same keys verifies them', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = { kid: 'gateway-p256', privateKey, alg: 'ES256' as const };
    const head = { lastId: '8', hash: 'c'.repeat(64), entries: 8 };
    const at = new Date('2026-12-01T00:00:00.000Z');
    const line = await signCheckpoint(head, signer, at);
    expect(await readCheckpoint(line, new Map([[signer.kid, publicKey]]))).toEqual({
      kind: 'verified',
      checkpoint: { ...head, at, kid: signer.kid },
    });
  });

  it('calls forged a line whose header names another algorithm than its key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const line = await signCheckpoint(
      { lastId: '8', hash: 'c'.repeat(64), entries: 8 },
      { kid: 'k', privateKey, alg: 'ES256' },
      new Date('2026-12-01T00:00:00.000Z'),
    );
    expect((await readCheckpoint(line, new Map([['k', ed.publicKey]]))).kind).toBe('forged');
  });
});

describe('rememberingSink: the last line this process appended, should the sink lose it', () => {
  function memorySink(lines: string[], complete = true): CheckpointSink {
    return {
      append: async (line) => void lines.push(line),
      recent: async () => ({ lines: [...lines], complete }),
    };
  }

  it('reads the sink as it is while the sink holds the line', async () => {
    const lines: string[] = [];
    const sink = rememberingSink(memorySink(lines), () => expect.unreachable());
    await sink.append('one');
    expect(await sink.recent(1024)).toEqual({ lines: ['one'], complete: true });
  });

  it('holds the line as the oldest of a whole reading that lacks it, and says so', async () => {
    const lines: string[] = [];
    let lost = 0;
    const sink = rememberingSink(memorySink(lines), () => (lost += 1));
    await sink.append('mine');
    lines.splice(0, lines.length, 'appended by someone');
    const reading = await sink.recent(1024);
    expect(reading).toEqual({ lines: ['mine', 'appended by someone'], complete: true, lostSince: expect.any(Date) });
    expect(lost).toBe(1);
  });

  it('keeps telling since when it lost a line, after the sink holds its next one again', async () => {
    const lines: string[] = [];
    const sink = rememberingSink(memorySink(lines), () => {});
    await sink.append('mine');
    lines.length = 0;
    const { lostSince } = await sink.recent(1024);
    expect(lostSince).toBeInstanceOf(Date);
    await sink.append('my next');
    expect(await sink.recent(1024)).toEqual({ lines: ['my next'], complete: true, lostSince });
  });

  it('adds nothing to a partial reading: the line may lie before it', async () => {
    const lines = ['newer'];
    const sink = rememberingSink(memorySink(lines, false), () => expect.unreachable());
    await sink.append('mine');
    lines.splice(0, lines.length, 'newer still');
    expect(await sink.recent(16)).toEqual({ lines: ['newer still'], complete: false });
  });
});
