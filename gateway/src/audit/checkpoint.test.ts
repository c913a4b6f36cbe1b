import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileCheckpointSink,
  generateCheckpointSigner,
  readCheckpoint,
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

describe('the file checkpoint sink', () => {
  it('has no latest line before the first is written, then the newest', async () => {
    const sink = fileCheckpointSink(join(dir, 'nested', 'a.jsonl'));
    expect(await sink.latest()).toBeNull();
    await sink.append('{"first":1}');
    await sink.append('{"second":2}');
    expect(await sink.latest()).toBe('{"second":2}');
  });
});

describe('reading a checkpoint', () => {
  it('trusts what the JWS signs with a known kid', async () => {
    const sink = fileCheckpointSink(join(dir, 'b.jsonl'));
    const { claims, kid, keys } = await signedLine(sink);
    expect(await readCheckpoint(await sink.latest(), keys)).toEqual({
      kind: 'verified',
      checkpoint: { ...claims, kid },
    });
  });

  it('calls forged a line whose key is unknown, whose JWS was altered, or that is no JSON', async () => {
    const sink = fileCheckpointSink(join(dir, 'c.jsonl'));
    const { kid, keys } = await signedLine(sink);
    const line = JSON.parse((await sink.latest())!) as { jws: string };
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
