// The access log's anchor when a gateway starts on a log already cut and its checkpoint file is then lost
// (moved aside, truncated or replaced): the gateway holds the chain against the newest checkpoint it read
// in the file, as against one it signed, so the cut still shows and nothing is signed over it. (A hub of
// its own: the test leaves the log cut.)

import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cutTail, readPeople, verifyThrough } from './support/checkpoints.js';
import { startGatewayReplica, useConnection, useTestHub } from './support/hub.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-audit-checkpoint-restart');

const VERIFY = '{ verifyAccessLog { intact problem firstBrokenId checkpoint { lastId verified } checkpointLostAt } }';

describe('a checkpoint file lost after a restart on a log already cut', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const checkpointFile = () => `${hub.config.audit.checkpointFile}.restart`;
  /** A gateway on the hub's data with its own checkpoint file, under a key kept across its starts. */
  const gateway = () =>
    startGatewayReplica(hub, {
      config: { ...hub.config, audit: { ...hub.config.audit, checkpointFile: checkpointFile() } },
      checkpoints: { signer: { kid: 'gateway-kept', privateKey }, verifyKeys: new Map([['gateway-kept', publicKey]]) },
    });

  it('the gateway holds the chain against the checkpoint it read there: the cut still shows, nothing is signed over it', async () => {
    await readPeople(hub, 3);
    const before = await gateway();
    const signed = await before.checkpointAccessLog();
    await before.close();
    if (!signed?.written) throw new Error('the checkpoint was not written');
    const { lastId } = signed.checkpoint;
    await cutTail(db, lastId);

    const after = await gateway();
    try {
      expect(await verifyThrough(hub, after.url, VERIFY)).toMatchObject({
        intact: false,
        problem: 'TAIL_CUT',
        checkpointLostAt: null,
      });
      await writeFile(checkpointFile(), '');
      const found = await verifyThrough(hub, after.url, VERIFY);
      expect(found).toMatchObject({ intact: false, problem: 'TAIL_CUT', checkpoint: { lastId, verified: true } });
      expect(found['checkpointLostAt']).toEqual(expect.any(String));
      await readPeople(hub, 1);
      expect(await after.checkpointAccessLog()).toMatchObject({ written: false, lastId });
      expect(await verifyThrough(hub, after.url, VERIFY)).toMatchObject({ intact: false, problem: 'TAIL_CUT' });
    } finally {
      await after.close();
    }
  });
});
