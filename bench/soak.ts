// npm run soak: a bounded soak of the whole hub, in-process on an embedded database in a temp folder.
// SOAK_CLIENTS concurrent clients (default 8) send a fixed mix of reads through the gateway as several
// agencies for SOAK_SECONDS (default 60, at most 300) while a background loop grants and revokes one
// person's consent every ~300 ms. Afterwards every response is checked against the basis that held over
// its whole [start, end] (CONTRACT.md: a revocation takes effect on the very next request), the heap is
// compared after gc with the heap after warm-up, and the access log's hash chain is verified. Loopback
// only; writes bench/results/<date>-soak.json and prints a Markdown table. Exit 1 on any mismatch, error,
// broken chain or gross leak.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHub } from '@hub/all-in-one';
import { mintDevToken } from '@hub/gateway/token';
import { AGENCIES, createLogger, pathBeside, readConfig, residentId } from '@hub/platform';
import { verifyAuditChain } from '@hub/gateway/audit';

const SECONDS = Math.min(300, Math.max(1, Number(process.env['SOAK_SECONDS'] ?? 60) || 60));
const CLIENTS = Math.min(64, Math.max(1, Math.floor(Number(process.env['SOAK_CLIENTS'] ?? 8) || 8)));
const WARMUP_SECONDS = Math.min(5, Math.max(1, SECONDS / 10));
const TOGGLE_PAUSE_MS = 300;
const MB = 1024 * 1024;
const STABLE_MB = 50;
const LEAK_MB = 200;

const helloWork = AGENCIES.helloWorkMinamino.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const welfare = AGENCIES.minaminoWelfare.id;
// watanabe: a MENTAL_HEALTH record, read by Hello Work under a consent granted once at the start.
// sato-mother: a MENTAL_HEALTH record, no basis for Hello Work at any time.
// kato: no seeded basis; identity and a welfare consultation (IDENTITY, WELFARE_CASE), neither Hello
// Work's domain; the toggler grants and revokes Hello Work's consent for them all through the run.
const watanabe = residentId('watanabe');
const satoMother = residentId('sato-mother');
const kato = residentId('kato');

// ---- the hub -------------------------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'hub-soak-'));
const base = readConfig({
  LOG_LEVEL: 'silent',
  NODE_ENV: 'development',
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUDIT_CHECKPOINT_FILE: `${dir}-audit-checkpoints.jsonl`,
});
const config = { ...base, nodeEnv: 'development' as const, database: { kind: 'embedded' as const, dir } };
const hub = await startHub({ config, ports: 'ephemeral', seed: true, logger: createLogger('soak', 'silent') });
const tokens = {
  helloWork: await mintDevToken(config.auth, { agency: helloWork, ttl: '2h' }),
  collaborator: await mintDevToken(config.auth, { agency: collaborator, ttl: '2h' }),
  kokoro: await mintDevToken(config.auth, { agency: kokoro, ttl: '2h' }),
  welfare: await mintDevToken(config.auth, { agency: welfare, ttl: '2h' }),
  auditor: await mintDevToken(config.auth, { agency: welfare, roles: ['auditor'], ttl: '2h' }),
};

interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}
interface Response {
  status: number;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: GraphQLError[] } | null;
  start: number;
  end: number;
}

async function post(token: string, query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  const start = performance.now();
  let status = 0;
  let text = '';
  try {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    text = String(error);
  }
  const end = performance.now();
  let body: Response['body'] = null;
  try {
    body = JSON.parse(text) as Response['body'];
  } catch {
    // left null: counted as an error
  }
  return { status, text, body, start, end };
}

async function mutate(token: string, query: string, variables: Record<string, unknown>): Promise<Response> {
  const r = await post(token, query, variables);
  if (r.status !== 200 || !r.body?.data || r.body.errors?.length) {
    throw new Error(`mutation failed (${r.status}): ${r.text.slice(0, 500)}`);
  }
  return r;
}

const GRANT = /* GraphQL */ `
  mutation Grant($input: GrantConsentInput!) {
    grantConsent(input: $input) {
      id
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeConsent(id: $id, reason: "本人の申出") {
      id
    }
  }
`;
const grantInput = (personId: string, categories: string[]) => ({
  input: {
    personId,
    recipientAgencyIds: [helloWork],
    categories,
    purpose: '就労支援のための情報共有（ソーク試験）',
    validFrom: new Date(Date.now() - 86_400_000).toISOString(),
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    method: 'WRITTEN',
    evidenceRef: '同意書-ソーク',
  },
});
const grantId = (r: Response) => (r.body!.data!['grantConsent'] as { id: string }).id;

// ---- the mix ---------------------------------------------------------------------------------------

const RISK = /* GraphQL */ `
  query Risk($id: ID!) {
    person(id: $id) {
      id
      jobSeeker {
        status
      }
      riskAssessments {
        level
        note
      }
    }
  }
`;
const OWN = /* GraphQL */ `
  query Own($id: ID!) {
    person(id: $id) {
      id
      name
      cases {
        status
      }
    }
  }
`;
const TOGGLED = /* GraphQL */ `
  query Toggled($id: ID!) {
    person(id: $id) {
      id
      name
      consultations {
        agencyKind
        summary
      }
    }
  }
`;
const TOGGLED_FIELDS = ['name', 'consultations'] as const;

type Kind = 'allowed-consent' | 'allowed-own' | 'denied' | 'toggled';
const MIX: readonly Kind[] = ['allowed-consent', 'toggled', 'allowed-own', 'denied', 'toggled'];

function send(kind: Kind): Promise<Response> {
  switch (kind) {
    case 'allowed-consent':
      return post(tokens.helloWork, RISK, { id: watanabe });
    case 'allowed-own':
      return post(tokens.collaborator, OWN, { id: watanabe });
    case 'denied':
      return post(tokens.helloWork, RISK, { id: satoMother });
    case 'toggled':
      return post(tokens.helloWork, TOGGLED, { id: kato });
  }
}

// ---- setup: the owners' view of the values, and the standing consent --------------------------------

const person = (r: Response) => (r.body?.data?.['person'] ?? null) as Record<string, unknown> | null;
const forbidden = (r: Response) => (r.body?.errors ?? []).filter((e) => e.extensions?.['code'] === 'FORBIDDEN');
const otherErrors = (r: Response) => (r.body?.errors ?? []).filter((e) => e.extensions?.['code'] !== 'FORBIDDEN');

function ownerRead(r: Response, field: string): unknown {
  const value = person(r)?.[field];
  const errors = (r.body?.errors ?? []).filter((e) => e.path?.[1] === field || !e.path);
  if (r.status !== 200 || errors.length || value == null || (Array.isArray(value) && !value.length)) {
    throw new Error(`setup: the owner's read of ${field} returned nothing: ${r.text.slice(0, 500)}`);
  }
  return value;
}

const watanabeRisk = ownerRead(await post(tokens.kokoro, RISK, { id: watanabe }), 'riskAssessments');
const satoRisk = ownerRead(await post(tokens.kokoro, RISK, { id: satoMother }), 'riskAssessments') as {
  level: string;
  note: string | null;
}[];
const katoOwner = await post(tokens.welfare, TOGGLED, { id: kato });
const katoName = ownerRead(katoOwner, 'name') as string;
const katoConsultations = ownerRead(katoOwner, 'consultations') as { summary: string | null }[];
// Strings that must never appear in a response to a read without a basis.
const satoSecrets = [...new Set(satoRisk.flatMap((a) => [a.note, `"level":"${a.level}"`]).filter(Boolean))] as string[];
const katoSecrets = [katoName, ...katoConsultations.map((c) => c.summary).filter((s): s is string => !!s)];

const watanabeConsent = await mutate(tokens.collaborator, GRANT, grantInput(watanabe, ['MENTAL_HEALTH']));
// The holder of MENTAL_HEALTH (the suicide-prevention window) confirms what the consent opens.
await mutate(
  tokens.kokoro,
  /* GraphQL */ `
    mutation ($id: ID!) {
      confirmConsent(id: $id, categories: [MENTAL_HEALTH]) {
        id
      }
    }
  `,
  { id: grantId(watanabeConsent) },
);

// ---- classification ----------------------------------------------------------------------------------

interface Sample {
  kind: Kind;
  start: number;
  end: number;
  status: number;
  /** For toggled reads: what the response showed. */
  outcome: 'allowed' | 'denied' | 'mixed' | 'error';
  reasons: string[];
  problem: string | null;
}

const DENIAL_REASONS = new Set(['CONSENT_REVOKED', 'NO_LEGAL_BASIS']);

function classify(kind: Kind, r: Response): Sample {
  const sample: Sample = {
    kind,
    start: r.start,
    end: r.end,
    status: r.status,
    outcome: 'error',
    reasons: [],
    problem: null,
  };
  const p = person(r);
  const others = otherErrors(r);
  if (r.status !== 200 || !p || others.length) {
    sample.problem = `error: status ${r.status} ${others.map((e) => e.extensions?.['code'] ?? e.message).join(',')}`;
    return sample;
  }
  const denials = forbidden(r);
  sample.reasons = [...new Set(denials.map((e) => String(e.extensions?.['reason'])))];
  switch (kind) {
    case 'allowed-consent':
    case 'allowed-own': {
      const field = kind === 'allowed-consent' ? 'riskAssessments' : 'cases';
      const ok =
        !denials.length && p[field] != null && (kind !== 'allowed-consent' || sameJson(p[field], watanabeRisk));
      sample.outcome = ok ? 'allowed' : 'denied';
      if (!ok) sample.problem = `allowed read denied or wrong: ${r.text.slice(0, 300)}`;
      return sample;
    }
    case 'denied': {
      const leaked = satoSecrets.filter((s) => r.text.includes(s));
      const ok =
        p['riskAssessments'] === null &&
        denials.length > 0 &&
        denials.every((e) => e.extensions?.['reason'] === 'NO_LEGAL_BASIS') &&
        !leaked.length;
      sample.outcome = ok ? 'denied' : 'allowed';
      if (!ok) sample.problem = `denied read allowed or leaked (${leaked.length} values): ${r.text.slice(0, 300)}`;
      return sample;
    }
    case 'toggled': {
      const denied = TOGGLED_FIELDS.filter(
        (f) => p[f] === null && denials.some((e) => e.path?.[0] === 'person' && e.path[1] === f),
      );
      const allowed = TOGGLED_FIELDS.filter((f) => p[f] != null && !denials.some((e) => e.path?.[1] === f));
      if (allowed.length === TOGGLED_FIELDS.length && !denials.length) sample.outcome = 'allowed';
      else if (denied.length === TOGGLED_FIELDS.length && sample.reasons.every((x) => DENIAL_REASONS.has(x))) {
        sample.outcome = 'denied';
        const leaked = katoSecrets.filter((s) => r.text.includes(s));
        if (leaked.length) sample.problem = `toggled read denied but carries ${leaked.length} values`;
      } else {
        sample.outcome = 'mixed';
        sample.problem = `toggled read neither wholly allowed nor wholly denied: ${r.text.slice(0, 300)}`;
      }
      return sample;
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- memory --------------------------------------------------------------------------------------------

const gc = (globalThis as { gc?: () => void }).gc;
async function collect(): Promise<void> {
  if (!gc) return;
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
}
interface MemorySample {
  at: number;
  rssMb: number;
  heapMb: number;
}
const memory: MemorySample[] = [];
const t0 = performance.now();
const sampleMemory = () => {
  const m = process.memoryUsage();
  memory.push({
    at: Math.round((performance.now() - t0) / 100) / 10,
    rssMb: Math.round((m.rss / MB) * 10) / 10,
    heapMb: Math.round((m.heapUsed / MB) * 10) / 10,
  });
};
sampleMemory();
const memoryStart = memory[0]!;
const sampler = setInterval(sampleMemory, 1000);

// ---- clients -----------------------------------------------------------------------------------------

async function clients(until: number, kinds: readonly Kind[], into: Sample[]): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; performance.now() < until; i++) {
        const kind = kinds[i % kinds.length]!;
        into.push(classify(kind, await send(kind)));
      }
    }),
  );
}

// Warm-up: the mix without the toggler (kato has no basis yet, so toggled reads must be denied).
process.stdout.write(`warm-up ${WARMUP_SECONDS} s, ${CLIENTS} clients… `);
const warmup: Sample[] = [];
await clients(performance.now() + WARMUP_SECONDS * 1000, MIX, warmup);
await collect();
const afterWarmup = process.memoryUsage();
console.log(`${warmup.length} requests`);

// The toggler: grant, pause, revoke, pause, … until the clients stop; it always ends revoked.
interface Change {
  kind: 'grant' | 'revoke';
  start: number;
  end: number;
}
const changes: Change[] = [];
let togglerError: string | null = null;
let clientsDone = false;
async function toggler(): Promise<void> {
  try {
    while (!clientsDone) {
      let start = performance.now();
      const granted = await mutate(tokens.collaborator, GRANT, grantInput(kato, ['IDENTITY', 'WELFARE_CASE']));
      changes.push({ kind: 'grant', start, end: performance.now() });
      await sleep(TOGGLE_PAUSE_MS);
      start = performance.now();
      await mutate(tokens.collaborator, REVOKE, { id: grantId(granted) });
      changes.push({ kind: 'revoke', start, end: performance.now() });
      if (!clientsDone) await sleep(TOGGLE_PAUSE_MS);
    }
  } catch (error) {
    togglerError = String(error);
  }
}

process.stdout.write(`soak ${SECONDS} s… `);
const samples: Sample[] = [];
const runStart = performance.now();
const toggling = toggler();
// Started after the toggler's first grant began, so "before any grant" is only the warm-up.
await clients(runStart + SECONDS * 1000, MIX, samples);
const runSeconds = (performance.now() - runStart) / 1000;
clientsDone = true;
await toggling;
clearInterval(sampler);
sampleMemory();
const memoryEndBeforeGc = memory[memory.length - 1]!;
await collect();
const afterRun = process.memoryUsage();
console.log(`${samples.length} requests, ${changes.length} consent changes`);

// ---- the check against the timeline --------------------------------------------------------------------

/** 'active' / 'revoked' when no change overlaps [start, end], else 'overlapping'. */
function basisOver(start: number, end: number): 'active' | 'revoked' | 'none' | 'overlapping' {
  let state: 'active' | 'revoked' | 'none' = 'none';
  for (const c of changes) {
    if (c.start <= end && c.end >= start) return 'overlapping';
    if (c.end < start) state = c.kind === 'grant' ? 'active' : 'revoked';
  }
  return state;
}

const counts = {
  allowedReads: 0,
  deniedReads: 0,
  toggled: 0,
  toggledAllowed: 0,
  toggledDenied: 0,
  overlapping: 0,
  overlappingAllowed: 0,
  overlappingDenied: 0,
  errors: 0,
  mismatches: 0,
};
const problems: string[] = [];
const note = (s: Sample, what: string) => {
  if (problems.length < 20) problems.push(`${s.kind} [${s.start.toFixed(1)}, ${s.end.toFixed(1)}] ms: ${what}`);
};

for (const [phase, list] of [
  ['warm-up', warmup],
  ['soak', samples],
] as const) {
  for (const s of list) {
    const counted = phase === 'soak';
    if (s.outcome === 'error') {
      if (counted) counts.errors++;
      else counts.mismatches++;
      note(s, `${phase}: ${s.problem}`);
      continue;
    }
    if (s.kind !== 'toggled') {
      if (counted && s.kind === 'denied') counts.deniedReads++;
      else if (counted) counts.allowedReads++;
      if (s.problem) {
        counts.mismatches++;
        note(s, `${phase}: ${s.problem}`);
      }
      continue;
    }
    if (counted) {
      counts.toggled++;
      if (s.outcome === 'allowed') counts.toggledAllowed++;
      if (s.outcome === 'denied') counts.toggledDenied++;
    }
    const basis = phase === 'warm-up' ? 'none' : basisOver(s.start, s.end);
    if (basis === 'overlapping') {
      counts.overlapping++;
      if (s.outcome === 'allowed') counts.overlappingAllowed++;
      if (s.outcome === 'denied') counts.overlappingDenied++;
      // Either way is right while a change is in flight; a half-allowed response or a leak is not.
      if (s.outcome === 'mixed' || s.problem?.includes('carries')) {
        counts.mismatches++;
        note(s, `${phase}: ${s.problem}`);
      }
      continue;
    }
    const expected = basis === 'active' ? 'allowed' : 'denied';
    const expectedReason = basis === 'revoked' ? 'CONSENT_REVOKED' : 'NO_LEGAL_BASIS';
    if (
      s.outcome !== expected ||
      s.problem ||
      (expected === 'denied' && !s.reasons.every((r) => r === expectedReason))
    ) {
      counts.mismatches++;
      note(s, `${phase}: basis ${basis}, got ${s.outcome} ${s.reasons.join(',')} ${s.problem ?? ''}`);
    }
  }
}
if (togglerError) problems.push(`toggler: ${togglerError}`);

// ---- the access log ----------------------------------------------------------------------------------

const verifyThroughGateway = await post(
  tokens.auditor,
  /* GraphQL */ `
    {
      verifyAccessLog {
        intact
        entries
        firstBrokenId
      }
    }
  `,
);
const viaGateway = (verifyThroughGateway.body?.data?.['verifyAccessLog'] ?? null) as {
  intact: boolean;
  entries: number;
  firstBrokenId: string | null;
} | null;
const direct = await verifyAuditChain(hub.gateway.db.sql);
const chainIntact = !!viaGateway?.intact && direct.intact;
if (!chainIntact) {
  problems.push(
    `audit chain: gateway ${JSON.stringify(viaGateway) ?? verifyThroughGateway.text}, direct ${JSON.stringify(direct)}`,
  );
}

await hub.close();
await rm(dir, { recursive: true, force: true });
await rm(config.audit.checkpointFile, { force: true });

// ---- figures -------------------------------------------------------------------------------------------

const latencies = samples.map((s) => s.end - s.start).sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const round = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => round(bytes / MB);
const peak = memory.reduce((a, m) => ({ rssMb: Math.max(a.rssMb, m.rssMb), heapMb: Math.max(a.heapMb, m.heapMb) }), {
  rssMb: 0,
  heapMb: 0,
});
const heapGrowthMb = mb(afterRun.heapUsed - afterWarmup.heapUsed);
const heap = {
  gc: !!gc,
  startMb: memoryStart.heapMb,
  afterWarmupMb: mb(afterWarmup.heapUsed),
  peakMb: peak.heapMb,
  endBeforeGcMb: memoryEndBeforeGc.heapMb,
  endMb: mb(afterRun.heapUsed),
  growthAfterWarmupMb: heapGrowthMb,
  stable: heapGrowthMb <= STABLE_MB,
};
const rss = { startMb: memoryStart.rssMb, peakMb: peak.rssMb, endMb: mb(afterRun.rss) };
const grossLeak = heapGrowthMb > LEAK_MB;
if (grossLeak) problems.push(`heap grew ${heapGrowthMb} MB after warm-up (limit ${LEAK_MB} MB)`);

const failed = counts.mismatches > 0 || counts.errors > 0 || !!togglerError || !chainIntact || grossLeak;
const result = {
  date: new Date().toISOString(),
  database: config.database.kind,
  node: process.version,
  seconds: SECONDS,
  clients: CLIENTS,
  warmupRequests: warmup.length,
  requests: samples.length,
  reqPerSec: round(samples.length / runSeconds),
  p50ms: round(percentile(50)),
  p95ms: round(percentile(95)),
  p99ms: round(percentile(99)),
  maxMs: round(latencies[latencies.length - 1] ?? 0),
  ...counts,
  consentChanges: changes.length,
  heap,
  rss,
  audit: { entries: direct.entries, intactDirect: direct.intact, viaGateway },
  chainIntact,
  passed: !failed,
  problems,
  memory,
};
const resultsDir = pathBeside(import.meta.url, 'results');
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `${result.date.slice(0, 10)}-soak.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);

const r = result;
console.log(`
| requests | req/s | p50 ms | p95 ms | p99 ms | errors | allowed / denied / toggled | toggled allowed / denied | overlapping | mismatches |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| ${r.requests} | ${r.reqPerSec} | ${r.p50ms} | ${r.p95ms} | ${r.p99ms} | ${r.errors} | ${r.allowedReads} / ${r.deniedReads} / ${r.toggled} | ${r.toggledAllowed} / ${r.toggledDenied} | ${r.overlapping} | ${r.mismatches} |

| heap MB start / after warm-up / peak / end (after gc) | rss MB start / peak / end | heap stable (≤ +${STABLE_MB} MB) | consent changes | audit entries | chain intact |
|---|---|---|---:|---:|---|
| ${heap.startMb} / ${heap.afterWarmupMb} / ${heap.peakMb} / ${heap.endMb}${gc ? '' : ' (no gc)'} | ${rss.startMb} / ${rss.peakMb} / ${rss.endMb} | ${heap.stable ? 'yes' : 'no'} (${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb}) | ${r.consentChanges} | ${r.audit.entries} | ${chainIntact ? 'yes' : 'no'} |

${r.database} database, ${process.version}, ${CLIENTS} clients, ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up; written to ${file}`);
if (failed) {
  console.error(`\nSOAK FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('passed');
process.exit(0);
