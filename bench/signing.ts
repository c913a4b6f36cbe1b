// The CPU cost of signing each subgraph request: the previous HS256 (a per-subgraph HMAC key) next to
// the gateway's Ed25519 key (EdDSA), sign and verify N times each, and the shared replay check (one
// insert into the subgraph's signature_uses) on the bench database. `npx tsx bench/signing.ts` runs it alone.

import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { importJWK, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import {
  connect,
  createScratchDatabase,
  createSharedReplayGuard,
  generateSigningKey,
  migrate,
  signatureKeys,
  signSubgraphRequest,
  startDatabase,
  SUBGRAPH_PLATFORM_MIGRATIONS_DIR,
  verifySubgraphRequest,
  type ReplayGuard,
} from '@hub/platform';
import { percentile } from './load.js';

export interface SigningCostRow {
  scheme: string;
  /** CPU microseconds per signature (process.cpuUsage, user + system). */
  signUs: number;
  verifyUs: number;
}

export interface SigningCost {
  operations: number;
  rows: SigningCostRow[];
  /** EdDSA / HS256, sign + verify CPU per request. */
  ratio: number;
  replay: { database: string; inserts: number; p50ms: number; p99ms: number };
}

const BODY = JSON.stringify({ query: '{ person(id: "p1") { name jobSeeker { id } } }', variables: {} });
const CLAIMS = { subgraph: 'employment', agency: 'minamino-welfare', staff: 'staff-1', rid: 'bench' } as const;

async function cpuMicrosPerOp(n: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i += 1) await op();
  const before = process.cpuUsage();
  for (let i = 0; i < n; i += 1) await op();
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / n) * 10) / 10;
}

/** The scheme the hub used before: HS256 with the subgraph's HKDF-derived 32-byte key. */
async function hmacRow(n: number): Promise<SigningCostRow> {
  const key = new Uint8Array(createHash('sha256').update('bench-secret:employment').digest());
  const sign = () =>
    new SignJWT({
      bh: createHash('sha256').update(BODY).digest('base64url'),
      agency: CLAIMS.agency,
      rid: CLAIMS.rid,
      cat: [],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'hub-subgraph+jwt' })
      .setIssuer('hub-gateway')
      .setAudience(CLAIMS.subgraph)
      .setSubject(CLAIMS.staff)
      .setIssuedAt()
      .setExpirationTime('30s')
      .setJti(randomUUID())
      .sign(key);
  const token = await sign();
  const verify = async () => {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: CLAIMS.subgraph });
    return createHash('sha256').update(BODY).digest('base64url') === payload['bh'];
  };
  return {
    scheme: 'HS256 (shared secret, before)',
    signUs: await cpuMicrosPerOp(n, sign),
    verifyUs: await cpuMicrosPerOp(n, verify),
  };
}

async function asymmetricRow(n: number, alg: 'EdDSA' | 'ES256'): Promise<SigningCostRow> {
  const { privateJwk, publicJwks } = generateSigningKey(alg, 'bench');
  const key = { privateKey: (await importJWK(privateJwk, alg)) as CryptoKey, kid: privateJwk.kid, alg };
  const keys = signatureKeys(publicJwks);
  const sign = () =>
    signSubgraphRequest({
      subgraph: CLAIMS.subgraph,
      key,
      body: BODY,
      agencyId: CLAIMS.agency,
      staffId: CLAIMS.staff,
      requestId: CLAIMS.rid,
      categories: [],
    });
  const token = await sign();
  // The crypto alone: the replay check is measured on its own below.
  const noReplay: ReplayGuard = { remember: async () => true };
  const verify = () => verifySubgraphRequest({ subgraph: CLAIMS.subgraph, keys, token, body: BODY, replay: noReplay });
  const name = alg === 'EdDSA' ? 'EdDSA (Ed25519, the gateway key, now)' : 'ES256 (P-256, also accepted)';
  return { scheme: name, signUs: await cpuMicrosPerOp(n, sign), verifyUs: await cpuMicrosPerOp(n, verify) };
}

async function replayCost(inserts: number): Promise<SigningCost['replay']> {
  const database = await createScratchDatabase('benchsign', process.env['DATABASE_URL']);
  const server = await startDatabase(database.config);
  const db = connect(server.url, { name: 'bench-signatures', max: 2 });
  try {
    await migrate(db.sql, 'employment', SUBGRAPH_PLATFORM_MIGRATIONS_DIR, { prefix: 'platform/' });
    const guard = createSharedReplayGuard(db.sql, 'employment');
    const times: number[] = [];
    for (let i = 0; i < inserts; i += 1) {
      const t0 = performance.now();
      await guard.remember(randomUUID(), Date.now() + 35_000);
      times.push(performance.now() - t0);
    }
    guard.stop();
    const sorted = times.slice(100).sort((a, b) => a - b);
    const ms = (p: number) => Math.round(percentile(sorted, p) * 1000) / 1000;
    return {
      database: database.config.kind === 'url' ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite',
      inserts,
      p50ms: ms(50),
      p99ms: ms(99),
    };
  } finally {
    await db.close();
    await server.close();
    await database.drop();
  }
}

export async function measureSigning(options: { quick?: boolean } = {}): Promise<SigningCost> {
  const n = options.quick ? 1_000 : 3_000;
  const rows = [await hmacRow(n), await asymmetricRow(n, 'EdDSA'), await asymmetricRow(n, 'ES256')];
  const perRequest = (r: SigningCostRow) => r.signUs + r.verifyUs;
  const ratio = Math.round((perRequest(rows[1]!) / perRequest(rows[0]!)) * 10) / 10;
  return { operations: n, rows, ratio, replay: await replayCost(options.quick ? 500 : 2_000) };
}

export function signingMarkdown(cost: SigningCost): string[] {
  return [
    '## Signing each subgraph request: CPU per operation',
    '',
    `${cost.operations} signatures and verifications each, CPU µs per operation (user + system).`,
    '',
    '| scheme | sign µs | verify µs | sign + verify µs |',
    '|---|---:|---:|---:|',
    ...cost.rows.map(
      (r) => `| ${r.scheme} | ${r.signUs} | ${r.verifyUs} | ${Math.round((r.signUs + r.verifyUs) * 10) / 10} |`,
    ),
    '',
    `EdDSA / HS256, sign + verify: ${cost.ratio}×. The shared replay check (one insert into signature_uses, ${cost.replay.database}): p50 ${cost.replay.p50ms} ms, p99 ${cost.replay.p99ms} ms over ${cost.replay.inserts} inserts.`,
    '',
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cost = await measureSigning({ quick: process.env['BENCH_QUICK'] === '1' });
  console.log(signingMarkdown(cost).join('\n'));
}
