// The access log's anchor: the gateway signs checkpoints of the chain's head into a file outside the
// database, and verifyAccessLog holds the chain against the newest one. Each test tampers as a database
// superuser would (the append-only triggers disabled) or as whoever can write the checkpoint file.

import { generateKeyPairSync } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { AGENCIES, ConfigError, residentId, type Database } from '@hub/platform';
import { testSigningKeys } from '@hub/testkit';
import { readCheckpoint, type CheckpointSink } from '@hub/gateway/audit';
import { appendAudit, recordHash, type AuditRecord } from '@hub/gateway/audit';
import { auditEntry } from './support/bases.js';
import { startGatewayReplica, useConnection, useTestHub } from './support/hub.js';
import { captureLogs } from './support/logs.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-audit-checkpoint');

const welfare = AGENCIES.minaminoWelfare.id;
const kokoro = AGENCIES.minaminoKokoro.id;

type Problem = 'CHAIN_BROKEN' | 'TAIL_CUT' | 'CHECKPOINT_FORGED';

interface ReportedCheckpoint {
  at: string | null;
  lastId: string | null;
  hash: string | null;
  entries: number | null;
  kid: string | null;
  verified: boolean;
}

interface Verification {
  intact: boolean;
  entries: number;
  firstBrokenId: string | null;
  problem: Problem | null;
  brokenEntries: number;
  problems: { problem: Problem; entryId: string | null; checkpoint: ReportedCheckpoint | null }[];
  checkpoint: ReportedCheckpoint | null;
}

const VERIFY = /* GraphQL */ `
  fragment Checkpoint on AccessLogCheckpoint {
    at
    lastId
    hash
    entries
    kid
    verified
  }
  {
    verifyAccessLog {
      intact
      entries
      firstBrokenId
      problem
      brokenEntries
      problems {
        problem
        entryId
        checkpoint {
          ...Checkpoint
        }
      }
      checkpoint {
        ...Checkpoint
      }
    }
  }
`;

async function verifyAsAuditor(): Promise<Verification> {
  const authorization = `Bearer ${await hub.token(kokoro, { roles: ['auditor'] })}`;
  const result = await hub.query<{ verifyAccessLog: Verification }>({ authorization }, VERIFY);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.verifyAccessLog;
}

const READ_PERSON = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      id
      name
    }
  }
`;

/** Reads through the gateway, so the access log grows by real decisions. */
async function readPeople(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const result = await hub.query({ agency: welfare }, READ_PERSON, { id: residentId('watanabe') });
    expect(result.errors).toBeUndefined();
  }
}

async function checkpoint() {
  const outcome = await hub.gateway.checkpointAccessLog();
  if (!outcome?.written) throw new Error('the checkpoint was not written');
  return outcome.checkpoint;
}

/** The lines of a checkpoint file (none while it does not exist). */
const linesOf = async (file: string) =>
  (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line.length);
const checkpointLines = () => linesOf(hub.config.audit.checkpointFile);

/** One logged read through a gateway replica. */
async function readThrough(replica: { url: string }): Promise<void> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(welfare)}` },
    body: JSON.stringify({ query: READ_PERSON, variables: { id: residentId('watanabe') } }),
  });
  expect(response.status).toBe(200);
}

/** Runs statements as a superuser who switched the access log's append-only triggers off. */
const asSuperuser = (change: (tx: Database['sql']) => Promise<unknown>) =>
  db.sql.begin(async (tx) => {
    await tx`alter table hub.audit_log disable trigger user`;
    await change(tx as unknown as Database['sql']);
    await tx`alter table hub.audit_log enable trigger user`;
  });

interface Row {
  id: string;
  staffId: string;
  hash: string;
}

// Ordered by the bigint column (l.id), not by the text alias of the same name.
const newest = async (n: number) =>
  db.sql<Row[]>`select l.id::text as id, l.staff_id, l.hash from hub.audit_log l order by l.id desc limit ${n}`;

describe('signed checkpoints of the access log', () => {
  it('are written at start and on demand, one signed JSON line each, naming the chain head', async () => {
    const atStart = (await checkpointLines()).length;
    expect(atStart).toBeGreaterThanOrEqual(1);
    await readPeople(3);
    const written = await checkpoint();
    const [head] = await newest(1);
    expect(written).toMatchObject({ lastId: head!.id, hash: head!.hash });
    const lines = await checkpointLines();
    expect(lines).toHaveLength(atStart + 1);
    const line = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({ lastId: head!.id, hash: head!.hash, kid: written.kid });
    expect(String(line['jws']).split('.')).toHaveLength(3);
  });

  it('verifyAccessLog reports an intact chain and the checkpoint it checked against', async () => {
    await readPeople(1);
    const written = await checkpoint();
    const [stored] = await db.sql<{ count: number }[]>`select sum(decisions)::int as count from hub.audit_log`;
    expect(await verifyAsAuditor()).toEqual({
      intact: true,
      entries: stored!.count,
      firstBrokenId: null,
      problem: null,
      problems: [],
      brokenEntries: 0,
      checkpoint: {
        at: written.at.toISOString(),
        lastId: written.lastId,
        hash: written.hash,
        entries: written.entries,
        kid: written.kid,
        verified: true,
      },
    });
  });
});

describe('a gateway replica with a key of its own', () => {
  it('signs a checkpoint of the new head every interval, unasked', async () => {
    const checkpointFile = `${hub.config.audit.checkpointFile}.interval`;
    const replica = await startGatewayReplica(hub, {
      config: { ...hub.config, audit: { ...hub.config.audit, checkpointFile, checkpointIntervalSeconds: 1 } },
    });
    try {
      await readThrough(replica);
      const [head] = await newest(1);
      const named = async () =>
        (await linesOf(checkpointFile)).some((line) => (JSON.parse(line) as { hash: string }).hash === head!.hash);
      // Within a few intervals, and while the replica runs: no request and no shutdown asks for it.
      await expect.poll(named, { timeout: 5_000, interval: 200 }).toBe(true);
    } finally {
      await replica.close();
    }
  });

  it('signs with the key it is given and writes a last checkpoint when it shuts down', async () => {
    const kid = 'gateway-2026-11';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const checkpointFile = `${hub.config.audit.checkpointFile}.replica`;
    const replica = await startGatewayReplica(hub, {
      config: { ...hub.config, audit: { ...hub.config.audit, checkpointFile } },
      checkpoints: { signer: { kid, privateKey }, verifyKeys: new Map([[kid, publicKey]]) },
    });
    try {
      await readThrough(replica);
    } finally {
      await replica.close();
    }
    const [head] = await newest(1);
    const lines = await linesOf(checkpointFile);
    expect(await readCheckpoint(lines.at(-1)!, new Map([[kid, publicKey]]))).toMatchObject({
      kind: 'verified',
      checkpoint: { lastId: head!.id, hash: head!.hash, kid },
    });
  });
});

describe('a checkpoint file that begins over a log already holding entries', () => {
  const ORIGIN = /* GraphQL */ `
    {
      verifyAccessLog {
        intact
        checkpointOrigin {
          at
          lastId
          entries
          overExistingLog
        }
      }
    }
  `;
  const told = (lines: Record<string, unknown>[]) =>
    lines.filter((line) => String(line['msg']).includes('checkpoint file held no checkpoint'));

  /** verifyAccessLog asked of a gateway replica, as an auditor. */
  async function verifyAt(replica: { url: string }) {
    const response = await fetch(replica.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await hub.token(kokoro, { roles: ['auditor'] })}`,
      },
      body: JSON.stringify({ query: ORIGIN }),
    });
    const body = (await response.json()) as { data?: { verifyAccessLog: unknown }; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.verifyAccessLog;
  }

  it('is told at error level naming the file and the entries taken on trust, and verifyAccessLog says where its checkpoints began', async () => {
    await readPeople(1);
    const kid = 'gateway-new-anchor';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const checkpoints = { signer: { kid, privateKey }, verifyKeys: new Map([[kid, publicKey]]) };
    // The same database reached by another spelling of its URL names another default file: a new, empty one.
    const checkpointFile = `${hub.config.audit.checkpointFile}.respelled`;
    const config = { ...hub.config, audit: { ...hub.config.audit, checkpointFile } };
    const [head] = await newest(1);
    const [stored] = await db.sql<{ count: number }[]>`select sum(decisions)::int as count from hub.audit_log`;

    const first = captureLogs();
    const replica = await startGatewayReplica(hub, { config, checkpoints, logger: first.logger });
    let origin: unknown;
    try {
      const [line] = await linesOf(checkpointFile);
      const began = JSON.parse(line!) as { at: string };
      origin = { at: began.at, lastId: head!.id, entries: stored!.count, overExistingLog: true };
      expect(await verifyAt(replica)).toEqual({ intact: true, checkpointOrigin: origin });
    } finally {
      await replica.close();
    }
    expect(told(first.lines)).toMatchObject([
      { level: 50, file: checkpointFile, lastId: head!.id, entries: stored!.count },
    ]);

    // Started again on that file, the checkpoints carry where they began, signed, and nothing is told again.
    const again = captureLogs();
    const restarted = await startGatewayReplica(hub, { config, checkpoints, logger: again.logger });
    try {
      await readThrough(restarted);
      expect(await restarted.checkpointAccessLog()).toMatchObject({ written: true });
      expect(await verifyAt(restarted)).toEqual({ intact: true, checkpointOrigin: origin });
    } finally {
      await restarted.close();
    }
    expect(told(again.lines)).toEqual([]);
  });
});

describe('a checkpoint sink that refuses the first line', () => {
  it('stops the start in one line naming AUDIT_CHECKPOINT_FILE, as a full disk does', async () => {
    const kid = 'gateway-full-disk';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const full: CheckpointSink = {
      append: () =>
        Promise.reject(
          Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' }),
        ),
      recent: () => Promise.resolve({ lines: [], complete: true }),
    };
    const started = startGatewayReplica(hub, {
      checkpoints: { signer: { kid, privateKey }, verifyKeys: new Map([[kid, publicKey]]), sink: full },
    });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow('AUDIT_CHECKPOINT_FILE: the first checkpoint cannot be written (ENOSPC)');
  });
});

describe('what verifyAccessLog detects against the newest checkpoint', () => {
  it('a rewritten entry: CHAIN_BROKEN at that entry', async () => {
    await readPeople(3);
    await checkpoint();
    const [, target] = await newest(3);
    await asSuperuser((tx) => tx`update hub.audit_log set staff_id = 'someone-else' where id = ${target!.id}::bigint`);
    expect(await verifyAsAuditor()).toMatchObject({
      intact: false,
      problem: 'CHAIN_BROKEN',
      firstBrokenId: target!.id,
      problems: [{ problem: 'CHAIN_BROKEN', entryId: target!.id, checkpoint: null }],
    });
    await asSuperuser(
      (tx) => tx`update hub.audit_log set staff_id = ${target!.staffId} where id = ${target!.id}::bigint`,
    );
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, problem: null, problems: [] });
  });

  it('every rewritten entry is named, oldest first: one does not hide another', async () => {
    await readPeople(4);
    await checkpoint();
    const [, later, , earlier] = await newest(4);
    for (const row of [later!, earlier!]) {
      await asSuperuser((tx) => tx`update hub.audit_log set staff_id = 'someone-else' where id = ${row.id}::bigint`);
    }
    expect(await verifyAsAuditor()).toMatchObject({
      problem: 'CHAIN_BROKEN',
      firstBrokenId: earlier!.id,
      brokenEntries: 2,
      problems: [
        { problem: 'CHAIN_BROKEN', entryId: earlier!.id },
        { problem: 'CHAIN_BROKEN', entryId: later!.id },
      ],
    });
    for (const row of [later!, earlier!]) {
      await asSuperuser((tx) => tx`update hub.audit_log set staff_id = ${row.staffId} where id = ${row.id}::bigint`);
    }
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, problems: [], brokenEntries: 0 });
  });

  it('names the first 100 entries the chain shows broken, and counts them all', async () => {
    const [last] = await db.sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from hub.audit_log`;
    // One row each, appended as the gateway does.
    for (let i = 0; i < 105; i++) await appendAudit(db.sql, [auditEntry(residentId('watanabe'))]);
    const mark = (change: 'append' | 'restore') =>
      asSuperuser(
        (tx) => tx`
          update hub.audit_log
          set staff_id = case when ${change} = 'append' then staff_id || '#' else left(staff_id, -1) end
          where id > ${last!.id}::bigint`,
      );
    await mark('append');
    const verification = await verifyAsAuditor();
    expect(verification.brokenEntries).toBe(105);
    expect(verification.problems).toHaveLength(100);
    expect(verification.problems.every((p) => p.problem === 'CHAIN_BROKEN')).toBe(true);
    await mark('restore');
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, brokenEntries: 0 });
  });

  it('a rewritten entry whose hash was recomputed to fit: CHAIN_BROKEN at the checkpointed entry', async () => {
    await readPeople(1);
    const written = await checkpoint();
    const [stored] = await db.sql<(AuditRecord & { prevHash: string })[]>`
      select at, agency_id, staff_id, person_ids, basis_ids, categories, allowed, basis, reason, operation_name,
             request_id, purpose, prev_hash
      from hub.audit_log where id = ${written.lastId!}::bigint`;
    const forged = { ...stored!, staffId: 'someone-else' };
    await asSuperuser(
      (tx) => tx`
        update hub.audit_log set staff_id = ${forged.staffId}, hash = ${recordHash(stored!.prevHash, forged)}
        where id = ${written.lastId!}::bigint`,
    );
    expect(await verifyAsAuditor()).toMatchObject({
      intact: false,
      problem: 'CHAIN_BROKEN',
      firstBrokenId: written.lastId,
    });
    await asSuperuser(
      (tx) => tx`
        update hub.audit_log set staff_id = ${stored!.staffId}, hash = ${written.hash}
        where id = ${written.lastId!}::bigint`,
    );
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, problem: null });
  });

  it('a checkpoint line not signed by a known key: CHECKPOINT_FORGED, whatever it claims', async () => {
    await readPeople(1);
    const genuine = await checkpoint();
    const claims = { at: new Date().toISOString(), lastId: genuine.lastId, hash: genuine.hash, entries: 1 };
    const intruder = generateKeyPairSync('ed25519').privateKey;
    const signedAs = async (kid: string) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'hub-audit-checkpoint' })
        .sign(intruder);

    // A key the hub does not know, and then the hub's own kid on a signature by another key.
    for (const kid of ['intruder', genuine.kid]) {
      const line = { ...claims, kid, jws: await signedAs(kid) };
      await appendFile(hub.config.audit.checkpointFile, `${JSON.stringify(line)}\n`);
      expect(await verifyAsAuditor()).toMatchObject({
        intact: false,
        problem: 'CHECKPOINT_FORGED',
        checkpoint: { kid, verified: false, entries: 1 },
      });
    }
    await appendFile(hub.config.audit.checkpointFile, '{"lastId": "1", "hash": "not signed at all"}\n');
    expect(await verifyAsAuditor()).toMatchObject({ problem: 'CHECKPOINT_FORGED', checkpoint: { verified: false } });

    // The forged line claims nothing untrue of the chain, so the next genuine checkpoint takes its place.
    await appendFile(
      hub.config.audit.checkpointFile,
      `${JSON.stringify({ ...claims, kid: genuine.kid, jws: await signedAs(genuine.kid) })}\n`,
    );
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({
      written: true,
      superseded: { kid: genuine.kid, lastId: genuine.lastId },
    });
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, problem: null, checkpoint: { verified: true } });
  });

  it('a line under a kid this gateway does not know is told where its keys are configured, not where they are made at each start', async () => {
    await readPeople(1);
    const checkpointFile = `${hub.config.audit.checkpointFile}.kids`;
    const config = { ...hub.config, audit: { ...hub.config.audit, checkpointFile } };
    const alarm = (lines: Record<string, unknown>[]) =>
      lines.filter((line) => String(line['msg']).includes('held a line no known key signed'));

    // Development: a new key pair at each start, so every earlier start's checkpoints are under unknown kids.
    const earlier = await startGatewayReplica(hub, { config: { ...config, signing: testSigningKeys() } });
    await earlier.close();
    const restarted = captureLogs();
    const replica = await startGatewayReplica(hub, {
      config: { ...config, signing: testSigningKeys() },
      logger: restarted.logger,
    });
    try {
      expect(await replica.checkpointAccessLog()).toMatchObject({ written: true });
      expect(await replica.checkpointAccessLog()).not.toHaveProperty('superseded');
    } finally {
      await replica.close();
    }
    expect(alarm(restarted.lines)).toEqual([]);
    // The file holds the earlier start's checkpoints: no new anchor over the log to tell of.
    expect(restarted.lines.filter((line) => String(line['msg']).includes('held no checkpoint'))).toEqual([]);

    // Configured keys: a line under a kid they do not hold is someone's writing, and is told.
    const kid = 'gateway-2026-12';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const [head] = await newest(1);
    const claims = { at: new Date().toISOString(), lastId: head!.id, hash: head!.hash, entries: 1 };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'intruder', typ: 'hub-audit-checkpoint' })
      .sign(generateKeyPairSync('ed25519').privateKey);
    const configured = captureLogs();
    const keyedFile = `${checkpointFile}.keyed`;
    const keyed = await startGatewayReplica(hub, {
      config: { ...config, audit: { ...config.audit, checkpointFile: keyedFile } },
      checkpoints: { signer: { kid, privateKey }, verifyKeys: new Map([[kid, publicKey]]) },
      logger: configured.logger,
    });
    try {
      await appendFile(keyedFile, `${JSON.stringify({ ...claims, kid: 'intruder', jws })}\n`);
      expect(await keyed.checkpointAccessLog()).toMatchObject({
        written: true,
        superseded: { kid: 'intruder', lastId: head!.id },
      });
    } finally {
      await keyed.close();
    }
    expect(alarm(configured.lines)).toMatchObject([{ level: 50, claimedKid: 'intruder', claimedLastId: head!.id }]);
  });

  it("a forged line under the hub's own kid naming an entry the chain never held is followed by the next checkpoint, which says what it followed; the line stays in the file", async () => {
    await readPeople(1);
    const genuine = await checkpoint();
    const beyond = String(BigInt(genuine.lastId!) + 5n);
    const forged = { at: new Date().toISOString(), lastId: beyond, hash: 'f'.repeat(64), entries: 9, kid: genuine.kid };
    const line = JSON.stringify({ ...forged, jws: 'a.b.c' });
    await appendFile(hub.config.audit.checkpointFile, `${line}\n`);
    expect(await verifyAsAuditor()).toMatchObject({
      problem: 'CHECKPOINT_FORGED',
      checkpoint: { lastId: beyond, verified: false },
    });

    // A line no known key signed anchors nothing and proves nothing of the chain: it does not stop the
    // checkpoints (whoever can write to the file could otherwise stop them), and it is told, not dropped.
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({
      written: true,
      superseded: { lastId: beyond, kid: genuine.kid },
    });
    expect(await checkpointLines()).toContain(line);
    expect(await verifyAsAuditor()).toMatchObject({ intact: true, problem: null, checkpoint: { verified: true } });
  });

  it('a cut tail: TAIL_CUT at the checkpointed entry, and no later checkpoint covers it up', async () => {
    await readPeople(4);
    const written = await checkpoint();
    const [, , cutFrom] = await newest(3);
    await asSuperuser((tx) => tx`delete from hub.audit_log where id >= ${cutFrom!.id}::bigint`);
    expect(await verifyAsAuditor()).toMatchObject({
      intact: false,
      problem: 'TAIL_CUT',
      firstBrokenId: written.lastId,
    });

    // New decisions chain onto the cut tail, and the gateway refuses to sign a head that drops the last one.
    await readPeople(2);
    const linesBefore = await checkpointLines();
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({ written: false, lastId: written.lastId });
    expect(await checkpointLines()).toEqual(linesBefore);
    expect(await verifyAsAuditor()).toMatchObject({
      intact: false,
      problem: 'TAIL_CUT',
      firstBrokenId: written.lastId,
      checkpoint: { lastId: written.lastId, verified: true },
    });

    // Whoever can write to the sink appends a line naming the head the cut left, with its real hash: only
    // signed checkpoints count, so the cut still shows and nothing is signed over it.
    const [head] = await newest(1);
    const unsigned = { at: new Date().toISOString(), lastId: head!.id, hash: head!.hash, entries: 1, kid: written.kid };
    await appendFile(hub.config.audit.checkpointFile, `${JSON.stringify({ ...unsigned, jws: 'a.b.c' })}\n`);
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({ written: false, lastId: written.lastId });
    // What is reported is the signed checkpoint the cut was found against, not what the appended line says.
    expect(await verifyAsAuditor()).toMatchObject({
      problem: 'TAIL_CUT',
      firstBrokenId: written.lastId,
      checkpoint: { lastId: written.lastId, hash: written.hash, entries: written.entries, verified: true },
    });

    // Nor does a genuine checkpoint from before the cut, appended again.
    const [earliest] = await checkpointLines();
    await appendFile(hub.config.audit.checkpointFile, `${earliest}\n`);
    expect(await hub.gateway.checkpointAccessLog()).toMatchObject({ written: false, lastId: written.lastId });
    expect(await verifyAsAuditor()).toMatchObject({ problem: 'TAIL_CUT', firstBrokenId: written.lastId });
  });

  it('every problem is named beside the first: a rewrite below a cut tail, the cut, the break after it, a forged newest line', async () => {
    // The last test left a cut tail, entries appended after it and a replayed checkpoint as the newest line.
    const [anchor] = (await verifyAsAuditor()).problems;
    expect(anchor).toMatchObject({ problem: 'TAIL_CUT', checkpoint: { verified: true } });
    const [afterCut] = await db.sql<Row[]>`
      select l.id::text as id from hub.audit_log l where l.id > ${anchor!.entryId!}::bigint order by l.id limit 1`;
    const [below] = await db.sql<Row[]>`
      select l.id::text as id, l.staff_id from hub.audit_log l where l.id < ${anchor!.entryId!}::bigint
      order by l.id desc limit 1`;
    await asSuperuser((tx) => tx`update hub.audit_log set staff_id = 'someone-else' where id = ${below!.id}::bigint`);

    const verification = await verifyAsAuditor();
    // The first is reported as before, the rewrite at its entry, with the checkpoint the chain was held
    // against: the signed one, not the line appended after it.
    expect(verification).toMatchObject({
      problem: 'CHAIN_BROKEN',
      firstBrokenId: below!.id,
      brokenEntries: 2,
      checkpoint: anchor!.checkpoint,
    });
    expect(verification.problems).toEqual([
      { problem: 'CHAIN_BROKEN', entryId: below!.id, checkpoint: null },
      { problem: 'TAIL_CUT', entryId: anchor!.entryId, checkpoint: anchor!.checkpoint },
      // What this gateway appended after the cut links to the entry it last wrote, which is gone.
      { problem: 'CHAIN_BROKEN', entryId: afterCut!.id, checkpoint: null },
      { problem: 'CHECKPOINT_FORGED', entryId: null, checkpoint: expect.objectContaining({ verified: false }) },
    ]);
    await asSuperuser(
      (tx) => tx`update hub.audit_log set staff_id = ${below!.staffId} where id = ${below!.id}::bigint`,
    );
  });
});
