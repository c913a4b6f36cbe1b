// The floor and the public four-subgraph scenario: the same query served by stock @apollo/gateway, Hive
// Gateway (with and without the router runtime) and the hub's engine, answers checked alike, interleaved.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUILD_QUERY, composeGuildSupergraph, type GuildSubgraphName } from './guild/subgraphs.js';
import { canonical, memoryOf, post, runLoad } from './load.js';
import {
  expectedHashOf,
  fmtRange,
  getJson,
  measure,
  shown,
  startParty,
  stopParty,
  summarize,
  type Measured,
  type Party,
} from './parties.js';
import { GUILD_CONCURRENCY, GUILD_MS, REPETITIONS } from './settings.js';

/** The gateways of the four-subgraph scenario: name in the results, party kind in serve.ts. */
export const GUILD_PARTIES = [
  ['stock @apollo/gateway', 'apollo'],
  ['Hive Gateway', 'hive'],
  ['Hive Gateway + router runtime', 'hive-router'],
  ['hub engine, stock executor', 'engine-stock'],
  ['hub engine', 'engine'],
] as const;
/** Which of them run: BENCH_PARTIES=apollo,hive,hive-router,engine-stock,engine (default all). */
const GUILD_SELECTED = new Set<string>(
  (process.env['BENCH_PARTIES'] ?? GUILD_PARTIES.map(([, kind]) => kind).join(',')).split(',').map((k) => k.trim()),
);
export async function measureGuild() {
  const subgraphs = await startParty('guild-subgraphs');
  const urls = subgraphs.detail['urls'] as Record<GuildSubgraphName, string>;
  const statsUrl = subgraphs.detail['stats'] as string;
  const dir = await mkdtemp(join(tmpdir(), 'hub-bench-'));
  const supergraphFile = join(dir, 'supergraph.graphql');
  await writeFile(supergraphFile, composeGuildSupergraph(urls));

  const bare = await startParty('bare');
  // The reference answer is stock @apollo/gateway's, whichever parties are timed.
  const body = JSON.stringify({ query: GUILD_QUERY });
  const referenceParty = await startParty('apollo', [supergraphFile]);
  const reference = canonical(JSON.parse((await post(referenceParty.detail['url'] as string, body)).text));
  const gateways: Record<string, Party | null> = {};
  for (const [name, kind] of GUILD_PARTIES) {
    if (!GUILD_SELECTED.has(kind)) continue;
    gateways[name] =
      kind === 'apollo'
        ? referenceParty
        : await startParty(kind, [supergraphFile]).catch((error: unknown) => {
            if (kind === 'engine') throw error;
            console.error(`${name} did not start: ${String(error)}`);
            return null;
          });
  }
  if (!GUILD_SELECTED.has('apollo')) await stopParty(referenceParty);
  const expected = new Map<string, { hash: string; bytes: number }>();
  for (const [name, party] of Object.entries(gateways)) {
    if (party) expected.set(name, await expectedHashOf(party.detail['url'] as string, body, reference));
  }

  // Subgraph calls and representations per request, from the subgraphs' own counts.
  const perRequest: Record<string, { calls: number; representations: number }> = {};
  for (const [name, party] of Object.entries(gateways)) {
    if (!party) continue;
    const before = await getJson<Record<string, { calls: number; representations: number }>>(statsUrl);
    const requests = 10;
    for (let i = 0; i < requests; i++) await post(party.detail['url'] as string, body);
    const after = await getJson<Record<string, { calls: number; representations: number }>>(statsUrl);
    const sum = (counts: typeof after, key: 'calls' | 'representations') =>
      Object.values(counts).reduce((s, c) => s + c[key], 0);
    perRequest[name] = {
      calls: (sum(after, 'calls') - sum(before, 'calls')) / requests,
      representations: (sum(after, 'representations') - sum(before, 'representations')) / requests,
    };
  }

  const floorBody = JSON.stringify({ query: '{ users { id username name } }' });
  const floorRuns: Record<string, Measured[]> = { 'bare node:http': [], 'one subgraph call (accounts)': [] };
  const guildRuns: Record<string, Measured[]> = Object.fromEntries(
    Object.entries(gateways)
      .filter(([, p]) => p)
      .map(([name]) => [name, []]),
  );
  // What the subgraphs received during the timed runs: a gateway that shares a call among concurrent
  // identical requests sends fewer under load than one request alone makes.
  const underLoad: Record<string, { requests: number; calls: number; bytes: number }> = Object.fromEntries(
    Object.keys(guildRuns).map((name) => [name, { requests: 0, calls: 0, bytes: 0 }]),
  );
  const received = async () => {
    const counts = await getJson<Record<string, { calls: number; responseBytes: number }>>(statsUrl);
    const all = Object.values(counts);
    return { calls: all.reduce((n, c) => n + c.calls, 0), bytes: all.reduce((n, c) => n + c.responseBytes, 0) };
  };
  // Warm every gateway (plans, JIT, pools) before the first timed run.
  for (const [name, party] of Object.entries(gateways)) {
    if (!party) continue;
    await runLoad({ url: party.detail['url'] as string, body, concurrency: GUILD_CONCURRENCY, durationMs: 1_000 });
    void name;
  }
  for (let rep = 0; rep < REPETITIONS; rep++) {
    process.stdout.write(`  guild repetition ${rep + 1}/${REPETITIONS}\n`);
    floorRuns['bare node:http']!.push(
      await measure(bare, () =>
        runLoad({
          url: bare.detail['url'] as string,
          body: floorBody,
          concurrency: GUILD_CONCURRENCY,
          durationMs: GUILD_MS / 2,
        }),
      ),
    );
    floorRuns['one subgraph call (accounts)']!.push(
      await measure(subgraphs, () =>
        runLoad({ url: urls.accounts, body: floorBody, concurrency: GUILD_CONCURRENCY, durationMs: GUILD_MS / 2 }),
      ),
    );
    // Interleaved, so a disturbance of the machine falls on every gateway alike.
    for (const [name, party] of Object.entries(gateways)) {
      if (!party) continue;
      const before = await received();
      const run = await measure(party, () =>
        runLoad({
          url: party.detail['url'] as string,
          body,
          concurrency: GUILD_CONCURRENCY,
          durationMs: GUILD_MS,
          expectedHash: expected.get(name)!.hash,
        }),
      );
      const after = await received();
      guildRuns[name]!.push(run);
      underLoad[name]!.requests += run.requests;
      underLoad[name]!.calls += after.calls - before.calls;
      underLoad[name]!.bytes += after.bytes - before.bytes;
    }
  }
  const guild = Object.fromEntries(
    Object.entries(guildRuns).map(([name, runs]) => {
      const party = gateways[name]!;
      return [
        name,
        {
          ...summarize(runs),
          memory: memoryOf(party.child.pid!),
          responseBytes: expected.get(name)!.bytes,
          subgraphCallsPerRequest: perRequest[name]!.calls,
          representationsPerRequest: perRequest[name]!.representations,
          underLoad: {
            subgraphCallsPerRequest: shown(underLoad[name]!.calls / Math.max(1, underLoad[name]!.requests)),
            subgraphKbPerRequest: shown(underLoad[name]!.bytes / 1024 / Math.max(1, underLoad[name]!.requests)),
          },
        },
      ];
    }),
  );
  const floor = Object.fromEntries(Object.entries(floorRuns).map(([name, runs]) => [name, summarize(runs)]));
  for (const party of [bare, subgraphs, ...Object.values(gateways)]) if (party) await stopParty(party);
  await rm(dir, { recursive: true, force: true });
  const started = Object.fromEntries(
    GUILD_PARTIES.map(([name, kind]) => [
      name,
      !GUILD_SELECTED.has(kind) ? 'not selected' : gateways[name] ? 'ran' : 'did not start',
    ]),
  );
  return { floor, guild, started };
}

export type GuildResult = Awaited<ReturnType<typeof measureGuild>>;

/** The floor and the scenario's table. */
export function guildMarkdown({ floor, guild }: Pick<GuildResult, 'floor' | 'guild'>): string[] {
  const lines: string[] = [];
  if (Object.keys(guild).length) {
    lines.push('## Floor and the public four-subgraph scenario', '');
    lines.push(
      '| party | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | RSS after / peak MB | subgraph calls/req | representations/req | under load: subgraph calls/req | under load: subgraph KB/req |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, s] of Object.entries(floor)) {
      lines.push(
        `| ${name} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | | | | | |`,
      );
    }
    for (const [name, s] of Object.entries(guild)) {
      lines.push(
        `| ${name} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | ${s.memory.rssMb} / ${s.memory.peakMb} | ${s.subgraphCallsPerRequest} | ${s.representationsPerRequest} | ${s.underLoad.subgraphCallsPerRequest} | ${s.underLoad.subgraphKbPerRequest} |`,
      );
    }
    lines.push(
      '',
      `Response ${guild['hub engine']?.responseBytes ?? '?'} bytes; ${GUILD_CONCURRENCY} concurrent clients, ${GUILD_MS / 1000} s per run.`,
      'Subgraph calls and representations per request: one request alone; under load: what the subgraphs received during the timed runs, per request answered (a gateway that shares one call among concurrent identical requests sends fewer).',
      '',
    );
  }
  return lines;
}
