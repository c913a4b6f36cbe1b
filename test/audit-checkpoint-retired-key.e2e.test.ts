// The access log's anchor across a key rotation: a cut found while the old key signed checkpoints is not
// laundered by the new key once the old one is retired. (A hub of its own: the test leaves the log cut.)

import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cutTail, readPeople, verifyThrough } from './support/checkpoints.js';
import { startGatewayReplica, useConnection, useTestHub } from './support/hub.js';
import { captureLogs } from './support/logs.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-audit-checkpoint-retired-key');

const VERIFY = '{ verifyAccessLog { intact problem firstBrokenId checkpoint { lastId kid verified } } }';

const keyPair = (kid: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, publicKey };
};
const oldKey = keyPair('gateway-2026-10');
const newKey = keyPair('gateway-2026-12');
const checkpointFile = () => `${hub.config.audit.checkpointFile}.rotation`;

/** A gateway on the hub's data that signs checkpoints with `signer` and trusts `trusted`. */
const gatewayWith = (signer: typeof oldKey, trusted: (typeof oldKey)[]) =>
  startGatewayReplica(hub, {
    config: { ...hub.config, audit: { ...hub.config.audit, checkpointFile: checkpointFile() } },
    checkpoints: {
      signer: { kid: signer.kid, privateKey: signer.privateKey },
      verifyKeys: new Map(trusted.map((key) => [key.kid, key.publicKey])),
    },
  });

const lines = async () => (await readFile(checkpointFile(), 'utf8')).split('\n').filter((line) => line.length);

describe('a key retired while a tail cut is outstanding', () => {
  it('no checkpoint is signed over the cut under the new key, and the cut shows again once the old key is trusted', async () => {
    await readPeople(hub, 3);
    // The old key signs the head; then a superuser cuts the newest entry.
    const before = await gatewayWith(oldKey, [oldKey]);
    const signed = await before.checkpointAccessLog();
    await before.close();
    if (!signed?.written) throw new Error('the checkpoint was not written');
    const { lastId } = signed.checkpoint;
    await cutTail(db, lastId);
    const written = await lines();

    // The new key alone: the old key's checkpoints verify no more, and still nothing is signed over the cut.
    const after = await gatewayWith(newKey, [newKey]);
    try {
      expect(await after.checkpointAccessLog()).toMatchObject({
        written: false,
        reason: 'UNKNOWN_KEY_CHECKPOINT_NO_LONGER_HOLDS',
        lastId,
        kid: oldKey.kid,
      });
      expect(await lines()).toEqual(written);
      expect(await verifyThrough(hub, after.url, VERIFY)).toMatchObject({
        intact: false,
        problem: 'CHECKPOINT_FORGED',
        checkpoint: { kid: oldKey.kid, verified: false },
      });
    } finally {
      await after.close();
    }

    // Trusting the old key again shows the cut against its checkpoint.
    const restored = await gatewayWith(newKey, [newKey, oldKey]);
    try {
      expect(await verifyThrough(hub, restored.url, VERIFY)).toMatchObject({
        intact: false,
        problem: 'TAIL_CUT',
        firstBrokenId: lastId,
        checkpoint: { lastId, kid: oldKey.kid, verified: true },
      });
    } finally {
      await restored.close();
    }

    // In development, where each start generates its key pair, every earlier start's checkpoints are under a
    // kid no longer known: they stop nothing, and the new start's checkpoint becomes the newest. One naming an
    // entry the chain no longer holds is told, once, by its ids: the start cannot tell a cut from a new chain.
    const logs = captureLogs();
    const development = await startGatewayReplica(hub, {
      config: {
        ...hub.config,
        signing: { ...hub.config.signing, generated: true },
        audit: { ...hub.config.audit, checkpointFile: checkpointFile() },
      },
      logger: logs.logger,
    });
    try {
      expect(await development.checkpointAccessLog()).toMatchObject({ written: true });
    } finally {
      await development.close();
    }
    const told = logs.lines.filter((line) => String(line['msg']).includes('of an earlier start names an entry'));
    expect(told).toEqual([expect.objectContaining({ level: 40, claimedLastId: lastId, claimedKid: oldKey.kid })]);
  });
});
