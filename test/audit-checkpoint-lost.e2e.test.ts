// The access log's anchor when its checkpoint file is lost while the gateway runs (moved aside, truncated
// or replaced): the gateway still holds the chain against the newest checkpoint it signed, so a tail cut
// after it shows, no checkpoint is signed over the cut, and verification tells since when the file lost it.
// (A hub of its own: the test leaves the log cut; audit-checkpoint-restart has the gateway restarted.)

import { rename, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AGENCIES } from '@hub/platform';
import { cutTail, readPeople } from './support/checkpoints.js';
import { useConnection, useTestHub } from './support/hub.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-audit-checkpoint-lost');

const VERIFY = '{ verifyAccessLog { intact problem firstBrokenId checkpoint { lastId verified } checkpointLostAt } }';

async function verifyAsAuditor() {
  const authorization = `Bearer ${await hub.token(AGENCIES.minaminoKokoro.id, { roles: ['auditor'] })}`;
  const result = await hub.query<{ verifyAccessLog: Record<string, unknown> }>({ authorization }, VERIFY);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.verifyAccessLog;
}

describe('a checkpoint file lost while the gateway runs', () => {
  it('an intact log whose file was emptied is reported intact, and the auditor is told since when the file lost its checkpoint', async () => {
    await readPeople(hub, 1);
    const written = await hub.gateway.checkpointAccessLog();
    if (!written?.written) throw new Error('the checkpoint was not written');
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, checkpointLostAt: null });

    const emptiedAt = Date.now();
    await writeFile(hub.config.audit.checkpointFile, '');
    const found = await verifyAsAuditor();
    expect(found).toMatchObject({
      intact: true,
      problem: null,
      checkpoint: { lastId: written.checkpoint.lastId, verified: true },
    });
    expect(Date.parse(String(found['checkpointLostAt']))).toBeGreaterThanOrEqual(emptiedAt - 1_000);
    // The next checkpoint is in the file again; what was lost stays told until the gateway restarts.
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({ written: true });
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, checkpointLostAt: found['checkpointLostAt'] });
  });

  it('a tail cut after it still shows (TAIL_CUT), and no checkpoint is signed over the cut', async () => {
    await readPeople(hub, 3);
    const written = await hub.gateway.checkpointAccessLog();
    if (!written?.written) throw new Error('the checkpoint was not written');
    const { lastId } = written.checkpoint;

    // Whoever can reach the file moves it aside, then a superuser cuts the newest entries.
    await rename(hub.config.audit.checkpointFile, `${hub.config.audit.checkpointFile}.aside`);
    await cutTail(db, lastId);

    expect(await verifyAsAuditor()).toMatchObject({
      intact: false,
      problem: 'TAIL_CUT',
      firstBrokenId: lastId,
      checkpoint: { lastId, verified: true },
    });
    await readPeople(hub, 1);
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({ written: false, lastId });
    expect(await verifyAsAuditor()).toMatchObject({ intact: false, problem: 'TAIL_CUT' });
    expect((await verifyAsAuditor())['checkpointLostAt']).toEqual(expect.any(String));
  });
});
