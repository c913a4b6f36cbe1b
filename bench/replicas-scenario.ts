// Two gateway processes on one PostgreSQL: their combined throughput against one, and the access log
// they append to, verified and counted afterwards (one entry per decision: none lost, none twice).

import { canonical, median, post, runLoad } from './load.js';
import {
  expectedHashOf,
  fmtRange,
  loadFigures,
  shown,
  startParty,
  stopParty,
  summarize,
  type Measured,
} from './parties.js';
import { PEOPLE_QUERY } from './scenarios.js';
import { HUB_MS, REPETITIONS } from './settings.js';

const VERIFY_QUERY = JSON.stringify({ query: '{ verifyAccessLog { intact entries firstBrokenId } }' });
const REPLICA_PERSONS = 100;

interface Verification {
  intact: boolean;
  entries: number;
  firstBrokenId: string | null;
}

/**
 * Two gateway processes on one PostgreSQL: the person query (N = 100) with 8 clients on one gateway,
 * then 4 clients on each of two, interleaved; then the access log verified and its entries counted
 * against the requests answered (one entry per decision: none lost, none twice).
 */
export async function measureReplicas() {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) return { skipped: 'needs DATABASE_URL (two gateway processes share one PostgreSQL)' } as const;
  const { generateSigningKey } = await import('@hub/platform');
  const keyEnv = { BENCH_GATEWAY_SIGNING_KEY: JSON.stringify(generateSigningKey('EdDSA', 'bench').privateJwk) };
  const hub = await startParty('hub', [], { ...keyEnv, BENCH_PERSONS: String(REPLICA_PERSONS) });
  try {
    const detail = hub.detail as {
      on: string;
      token: string;
      auditorToken: string;
      ids: string[];
      databaseUrl: string;
      subgraphUrls: Record<string, string>;
    };
    const replica = await startParty('replica', [], {
      ...keyEnv,
      BENCH_REPLICA_OF: JSON.stringify({ databaseUrl: detail.databaseUrl, subgraphUrls: detail.subgraphUrls }),
    });
    const headers = { authorization: `Bearer ${detail.token}` };
    const body = JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: detail.ids.slice(0, REPLICA_PERSONS) } });
    const verify = async (): Promise<Verification> => {
      const { text } = await post(detail.on, VERIFY_QUERY, { authorization: `Bearer ${detail.auditorToken}` });
      return (JSON.parse(text) as { data: { verifyAccessLog: Verification } }).data.verifyAccessLog;
    };
    const first = await post(detail.on, body, headers);
    const reference = canonical(JSON.parse(first.text));
    const expected = {
      one: await expectedHashOf(detail.on, body, reference, headers),
      replica: await expectedHashOf(replica.detail['url'] as string, body, reference, headers),
    };
    // Entries per request, and what the verification itself adds, from sequential requests.
    const v0 = await verify();
    const v1 = await verify();
    const perVerify = v1.entries - v0.entries;
    const sequential = 5;
    for (let i = 0; i < sequential; i++) {
      await post(i % 2 ? (replica.detail['url'] as string) : detail.on, body, headers);
    }
    const v2 = await verify();
    const entriesPerRequest = (v2.entries - v1.entries - perVerify) / sequential;

    const runs: Record<'one' | 'two', Measured[]> = { one: [], two: [] };
    let answered = 0;
    const before = await verify();
    for (let rep = 0; rep < REPETITIONS; rep++) {
      process.stdout.write(`  replicas repetition ${rep + 1}/${REPETITIONS}\n`);
      const one = await runLoad({
        url: detail.on,
        body,
        headers,
        concurrency: 8,
        durationMs: HUB_MS,
        expectedHash: expected.one.hash,
      });
      runs.one.push(loadFigures(one));
      answered += one.requests;
      const [a, b] = await Promise.all([
        runLoad({ url: detail.on, body, headers, concurrency: 4, durationMs: HUB_MS, expectedHash: expected.one.hash }),
        runLoad({
          url: replica.detail['url'] as string,
          body,
          headers,
          concurrency: 4,
          durationMs: HUB_MS,
          expectedHash: expected.replica.hash,
        }),
      ]);
      runs.two.push(
        loadFigures({
          ...a,
          requests: a.requests + b.requests,
          errors: a.errors + b.errors,
          latenciesMs: [...a.latenciesMs, ...b.latenciesMs],
          seconds: Math.max(a.seconds, b.seconds),
        }),
      );
      answered += a.requests + b.requests;
    }
    const after = await verify();
    const entriesWritten = after.entries - before.entries - perVerify;
    await stopParty(replica);
    return {
      persons: REPLICA_PERSONS,
      one: summarize(runs.one),
      two: summarize(runs.two),
      combinedOverOne: shown(median(runs.two.map((r) => r.reqPerSec)) / median(runs.one.map((r) => r.reqPerSec))),
      requestsAnswered: answered,
      entriesPerRequest,
      entriesWritten,
      entriesExpected: answered * entriesPerRequest,
      verification: after,
    };
  } finally {
    await stopParty(hub);
  }
}

export type ReplicasResult = Awaited<ReturnType<typeof measureReplicas>>;

export function replicasMarkdown(r: ReplicasResult): string[] {
  const lines: string[] = [];
  lines.push('## Two gateway replicas on one PostgreSQL', '');
  if ('skipped' in r) lines.push(`Skipped: ${r.skipped}.`, '');
  else {
    lines.push(
      `The person query, N = ${r.persons}, 8 clients in all: on one gateway, then 4 on each of two gateway processes (the second its own process on the same database and subgraphs), interleaved.`,
      '',
      '| gateways | req/s | p50 ms | p95 ms | p99 ms | errors |',
      '|---:|---:|---:|---:|---:|---:|',
      `| 1 | ${fmtRange(r.one.reqPerSec)} | ${r.one.p50ms} | ${r.one.p95ms} | ${r.one.p99ms} | ${r.one.errors} |`,
      `| 2 | ${fmtRange(r.two.reqPerSec)} | ${r.two.p50ms} | ${r.two.p95ms} | ${r.two.p99ms} | ${r.two.errors} |`,
      '',
      `Combined throughput of two over one: ${r.combinedOverOne}×. Access log afterwards: intact ${r.verification.intact} (first broken ${r.verification.firstBrokenId ?? 'none'}), ${r.entriesWritten} entries written for ${r.requestsAnswered} requests answered at ${r.entriesPerRequest} entries per request (expected ${r.entriesExpected}).`,
      '',
    );
  }
  return lines;
}
