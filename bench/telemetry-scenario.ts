// What traces and metrics cost: hubs alike but for their telemetry, measured interleaved.

import { canonical, post, runLoad } from './load.js';
import {
  expectedHashOf,
  fmtRange,
  measure,
  startParty,
  stopParty,
  summarize,
  type Measured,
  type Party,
} from './parties.js';
import { PEOPLE_QUERY } from './scenarios.js';
import { HUB_CONCURRENCY, REPETITIONS, TELEMETRY_MS, TELEMETRY_PERSONS } from './settings.js';

/** An OTLP/HTTP collector that accepts every export and keeps only counts: where the traced party sends. */
async function startOtlpSink(): Promise<{ url: string; exports: () => number; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => exports,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What traces and metrics cost: the hub's person list (authorization on) served by hubs alike but for
 * their telemetry (none; metrics; metrics and tracing sampling nothing, 10 % or every request),
 * measured interleaved, CPU of each whole hub process per request.
 */
export async function measureTelemetry() {
  const sink = await startOtlpSink();
  const tracing = (sampler: string, arg?: string) => ({
    BENCH_METRICS: '1',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_TRACES_SAMPLER: sampler,
    ...(arg ? { OTEL_TRACES_SAMPLER_ARG: arg } : {}),
  });
  const variants: Record<string, Record<string, string>> = {
    off: {},
    metrics: { BENCH_METRICS: '1' },
    // The SDK on but sampling nothing: what context propagation costs by itself.
    'metrics + tracing 0 %': tracing('always_off'),
    'metrics + tracing 10 %': tracing('parentbased_traceidratio', '0.1'),
    'metrics + tracing 100 %': tracing('parentbased_always_on'),
  };
  const parties: Record<string, Party> = {};
  for (const [name, env] of Object.entries(variants)) {
    process.stdout.write(`  starting the hub with telemetry: ${name}\n`);
    parties[name] = await startParty('hub', [], { BENCH_PERSONS: String(TELEMETRY_PERSONS), ...env });
  }
  const runs: Record<string, Measured[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  // Each hub registered persons of its own: alike in shape, not in ids, so each answer is its own reference.
  const requestOf = (party: Party) => {
    const { on, token, ids } = party.detail as { on: string; token: string; ids: string[] };
    const body = JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: ids.slice(0, TELEMETRY_PERSONS) } });
    return { url: on, body, headers: { authorization: `Bearer ${token}` } };
  };
  const expected: Record<string, string> = {};
  for (const [name, party] of Object.entries(parties)) {
    const { url, body, headers } = requestOf(party);
    const reference = canonical(JSON.parse((await post(url, body, headers)).text));
    expected[name] = (await expectedHashOf(url, body, reference, headers)).hash;
    await runLoad({ url, body, headers, concurrency: HUB_CONCURRENCY, durationMs: 1_000 });
  }
  for (let rep = 0; rep < REPETITIONS; rep++) {
    process.stdout.write(`  telemetry repetition ${rep + 1}/${REPETITIONS}\n`);
    for (const [name, party] of Object.entries(parties)) {
      runs[name]!.push(
        await measure(party, () =>
          runLoad({
            ...requestOf(party),
            concurrency: HUB_CONCURRENCY,
            durationMs: TELEMETRY_MS,
            expectedHash: expected[name]!,
          }),
        ),
      );
    }
  }
  const metricsParty = parties['metrics']!.detail['metrics'] as string;
  const scrape = await (await fetch(metricsParty)).text();
  const series = scrape.split('\n').filter((line) => line && !line.startsWith('#')).length;
  const rows = Object.fromEntries(Object.entries(runs).map(([name, measured]) => [name, summarize(measured)]));
  for (const party of Object.values(parties)) await stopParty(party);
  const otlpExports = sink.exports();
  await sink.close();
  return { persons: TELEMETRY_PERSONS, rows, metricsSeries: series, otlpExports };
}

export type TelemetryResult = Awaited<ReturnType<typeof measureTelemetry>>;

export function telemetryMarkdown(t: TelemetryResult): string[] {
  const lines: string[] = [];
  lines.push('', `## Telemetry: person list of ${t.persons}, authorization on`, '');
  lines.push(
    `CPU is the whole hub process; ${HUB_CONCURRENCY} clients, ${TELEMETRY_MS / 1000} s per run; traces exported over OTLP/HTTP to a local sink (${t.otlpExports} exports); one metrics scrape holds ${t.metricsSeries} series.`,
    '',
  );
  lines.push('| telemetry | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | CPU vs off |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  const off = t.rows['off']!.cpuMsPerRequest.median;
  for (const [name, s] of Object.entries(t.rows)) {
    const extra = Math.round((s.cpuMsPerRequest.median / off - 1) * 1000) / 10;
    lines.push(
      `| ${name} | ${fmtRange(s.reqPerSec)} | ${s.p50ms} | ${s.p95ms} | ${s.p99ms} | ${s.errors} | ${fmtRange(s.cpuMsPerRequest)} | ${name === 'off' ? '' : `${extra > 0 ? '+' : ''}${extra} %`} |`,
    );
  }
  return lines;
}
