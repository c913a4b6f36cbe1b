import { generateKeyPairSync } from 'node:crypto';
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
