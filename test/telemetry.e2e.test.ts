// What an operator sees of the 8050 walk-through: one trace per request from the gateway down to each
// subgraph's SQL, Prometheus metrics that promtool accepts, one log line per request; and in none of
// them a resident's name, address or phone number.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCIES,
  InMemorySpanExporter,
  residentId,
  startTracing,
  SUBGRAPH_NAMES,
  type ReadableSpan,
  type RunningTracing,
} from '@hub/platform';
import { walk8050, type Walkthrough } from '../scripts/walkthrough-8050.js';
import { useTestHub } from './support/hub.js';
import { captureLogs } from './support/logs.js';

const exporter = new InMemorySpanExporter();
let tracing: RunningTracing | null = null;
beforeAll(() => {
  tracing = startTracing(
    { metricsPort: undefined, tracing: { enabled: true, serviceName: 'hub' }, logFormat: 'json' },
    {
      exporter,
    },
  );
});
afterAll(async () => tracing?.shutdown());

const { logger, lines } = captureLogs();
const hub = useTestHub({ logger, telemetry: { metricsPort: 0 } });

let walked: Walkthrough;
/** Every name, kana, address and phone number of the register's residents, the walk-through's included. */
let personalData: string[] = [];

beforeAll(async () => {
  walked = await walk8050((agency, query, variables) => hub.query({ agency }, query, variables));
  const rows = await hub.subgraphs.welfare.db.sql<
    { name: string; nameKana: string; address: string | null; phone: string | null }[]
  >`select name, name_kana, address, phone from welfare.person`;
  personalData = rows.flatMap((r) => [r.name, r.nameKana, r.address, r.phone]).filter((v): v is string => !!v);
});

/** Every attribute value, span name, event and status message of the spans, as text. */
function spanText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
  );
}

describe('traces', () => {
  it('exports no resident’s name, address or phone number in any span of the whole walk-through', () => {
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(100);
    expect(personalData.length).toBeGreaterThan(20);
    expect(personalData).toEqual(expect.arrayContaining(['木下 誠']));
    const text = spanText(spans);
    for (const value of personalData) expect(text, 'a span holds personal data').not.toContain(value);
    expect(text).not.toContain(walked.sonId);
  });

  /**
   * Posts one operation as the collaborator under a trace of the test's own (with any other `headers`);
   * returns its answer and spans.
   */
  async function traced(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<{
    status: number;
    body: { data: Record<string, { id: string }>; errors?: unknown };
    spans: ReadableSpan[];
  }> {
    const traceId = randomBytes(16).toString('hex');
    const operationName = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await hub.token(AGENCIES.minaminoCollaborator.id)}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        ...headers,
      },
      body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
    });
    const body = (await response.json()) as { data: Record<string, { id: string }>; errors?: unknown };
    return {
      status: response.status,
      body,
      spans: exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
    };
  }

  it('one request is one trace: the gateway, its decisions, the audit append, and every subgraph fetch down to SQL', async () => {
    hub.forget();
    // 伊藤: the collaborator reads its own case, and Hello Work's and the eco project's on his consent.
    const { status, spans } = await traced(
      /* GraphQL */ `
        query Household($id: ID!) {
          person(id: $id) {
            name
            cases {
              status
            }
            jobSeeker {
              desiredWork
            }
            enrollments {
              opportunity {
                title
              }
            }
            latestRiskLevel
          }
        }
      `,
      { id: residentId('ito') },
    );
    expect(status).toBe(200);

    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const names = new Set(spans.map((s) => s.name));
    for (const name of [
      'gateway',
      'graphql.parse',
      'graphql.validate',
      'gateway.request',
      'gateway.execute',
      'gateway.fetch',
      'hub.decide',
      'hub.bases.read',
      'hub.audit.append',
      'db.query',
    ]) {
      expect(names, name).toContain(name);
    }
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    const decided = fetches.filter((s) => typeof s.attributes['hub.decisions.allowed'] === 'number');
    expect(decided.length).toBeGreaterThan(0);
    expect(decided.some((s) => (s.attributes['hub.decisions.denied'] as number) > 0)).toBe(true);

    // Every subgraph that was asked answered under the gateway's fetch span for it, signed into the request.
    const asked = SUBGRAPH_NAMES.filter((name) => hub.received(name).length > 0);
    expect(asked.length).toBeGreaterThanOrEqual(3);
    for (const subgraph of asked) {
      const served = spans.filter((s) => s.name === `subgraph ${subgraph}`);
      expect(served.length, subgraph).toBe(hub.received(subgraph).length);
      for (const span of served) {
        const parent = byId.get(span.parentSpanId ?? '');
        expect(parent?.name).toBe('gateway.fetch');
        expect(parent?.attributes['service']).toBe(subgraph);
        const below = spans.filter((s) => s.parentSpanId === span.spanContext().spanId).map((s) => s.name);
        expect(below.length, `${subgraph} has spans below its request`).toBeGreaterThan(0);
      }
    }
    expect(spans.find((s) => s.name === 'gateway')?.attributes['graphql.operation.name']).toBe('Household');
  });

  /** The names of a span's ancestors in its trace, nearest first. */
  function ancestors(span: ReadableSpan, spans: readonly ReadableSpan[]): string[] {
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const names: string[] = [];
    for (let up = byId.get(span.parentSpanId ?? ''); up; up = byId.get(up.parentSpanId ?? '')) names.push(up.name);
    return names;
  }

  it('a mutation’s writes each have a SQL span, in a subgraph and in the hub’s own store, naming no value', async () => {
    const registered = await traced(/* GraphQL */ `
      mutation {
        registerPerson(
          input: {
            name: "トレース 花子"
            nameKana: "トレース ハナコ"
            birthDate: "1980-04-01"
            municipalityCode: "990001"
          }
        ) {
          id
        }
      }
    `);
    expect(registered.body.errors).toBeUndefined();
    const personId = registered.body.data['registerPerson']!.id;
    const insert = registered.spans.find(
      (s) => s.name === 'db.query' && s.attributes['db.collection.name'] === 'welfare.person',
    );
    expect(insert?.attributes).toMatchObject({
      'db.system': 'postgresql',
      'db.operation.name': 'INSERT',
      'hub.db.rows': 1,
    });
    expect(ancestors(insert!, registered.spans)).toEqual(expect.arrayContaining(['subgraph welfare', 'gateway']));

    // The consent is the hub's own record, written in a transaction of the gateway's store.
    const granted = await traced(/* GraphQL */ `
      mutation {
        grantConsent(
          input: {
            personId: "${personId}"
            recipientAgencyIds: ["${AGENCIES.minaminoCollaborator.id}"]
            categories: [EMPLOYMENT]
            purpose: "支援プラン作成"
            validFrom: "2020-01-01T00:00:00Z"
            validUntil: "2100-01-01T00:00:00Z"
            method: WRITTEN
            evidenceRef: "同意書-トレース"
          }
        ) {
          id
        }
      }
    `);
    expect(granted.body.errors).toBeUndefined();
    const consent = granted.spans.find(
      (s) => s.name === 'db.query' && s.attributes['db.collection.name'] === 'hub.consent',
    );
    expect(consent?.attributes).toMatchObject({ 'db.operation.name': 'INSERT', 'hub.db.rows': 1 });
    expect(ancestors(consent!, granted.spans)).toContain('gateway');
    const text = spanText([...registered.spans, ...granted.spans]);
    for (const value of ['トレース 花子', 'トレース ハナコ', '1980-04-01', '同意書-トレース', '支援プラン作成']) {
      expect(text, 'a span holds a value of the mutation').not.toContain(value);
    }
  });

  it("continues a caller's traceparent only: its tracestate and baggage, text of its own, are not carried", async () => {
    const { status, spans } = await traced(
      'query ($id: ID!) { person(id: $id) { name } }',
      { id: residentId('ito') },
      { tracestate: 'zq=rouei-tarou-19610717', baggage: 'person=rouei-tarou' },
    );
    expect(status).toBe(200);
    expect(spans.map((s) => s.name)).toContain('hub.decide');
    for (const span of spans) expect(span.spanContext().traceState?.serialize() ?? '').toBe('');
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.events]))).not.toContain('rouei');
  });
});

describe('logs', () => {
  it('writes one line per request with its request id, trace id, agency, operation, duration and decisions', () => {
    const requests = lines.filter((l) => l['msg'] === 'request');
    expect(requests.length).toBeGreaterThan(20);
    const household = requests.find((l) => l['operationName'] === 'Household');
    expect(household).toMatchObject({
      agency: AGENCIES.minaminoCollaborator.id,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      allowed: expect.any(Number),
      denied: expect.any(Number),
      ms: expect.any(Number),
    });
    expect((household!['allowed'] as number) + (household!['denied'] as number)).toBeGreaterThan(0);
  });

  it('logs no resident’s name, address or phone number in any line of the walk-through', () => {
    const text = JSON.stringify(lines);
    for (const value of personalData) expect(text, 'a log line holds personal data').not.toContain(value);
  });
});

describe('metrics', () => {
  let text = '';
  beforeAll(async () => {
    const response = await fetch(hub.gateway.metricsUrl!);
    expect(response.headers.get('content-type')).toContain('text/plain');
    text = await response.text();
  });

  it('counts requests, decisions by caller domain, category, basis and reason, and the audit’s group commits', () => {
    expect(text).toMatch(/^hub_requests_total\{operation="[^"]+",outcome="ok"\} \d+/m);
    expect(text).toMatch(
      /^hub_decisions_total\{caller_domain="WELFARE",category="[A-Z_]+",outcome="allowed",basis="[A-Z_]+",reason=""\} \d+/m,
    );
    expect(text).toMatch(/^hub_decisions_total\{[^}]*outcome="denied",basis="",reason="NO_LEGAL_BASIS"\} \d+/m);
    expect(text).toMatch(/^hub_audit_group_commit_entries_count \d+/m);
    expect(text).toMatch(/^hub_bases_read_duration_seconds_count [1-9]\d*/m);
    expect(text).toMatch(/^hub_subgraph_fetch_duration_seconds_count\{subgraph="welfare",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^hub_query_plan_cache_total\{result="hit"\} [1-9]/m);
    expect(text).toMatch(/^hub_audit_checkpoint_age_seconds \d/m);
    expect(text).toMatch(/^hub_db_pool_max_connections\{pool="hub-gateway"\} 8/m);
  });

  it.runIf(process.env['DATABASE_URL'])('counts the connections of every pool on PostgreSQL', () => {
    expect(text).toMatch(/^hub_db_connections\{pool="hub-gateway",state="[a-z ]+"\} [1-9]/m);
    expect(text).toMatch(/^hub_db_connections\{pool="hub-welfare",state="[a-z ]+"\} [1-9]/m);
  });

  it('names no person and passes promtool check metrics', (context) => {
    for (const value of personalData) expect(text).not.toContain(value);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error) {
      context.skip('promtool is not installed (Debian package prometheus): the format check is skipped');
      return;
    }
    // prom-client's own process gauges end in _total; promtool's lint names them, and nothing else may fail.
    const problems = (promtool.stdout + promtool.stderr)
      .split('\n')
      .filter(
        (line) => line && !/^nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/.test(line),
      );
    expect(problems).toEqual([]);
  });
});

describe('what the gateway sends out', () => {
  it("reports nothing to Apollo's servers: @apollo/gateway's usage statistics are off unless the operator turns them on", () => {
    // Read by @apollo/gateway when the hub's gateway (started above, in this process) was built.
    expect(process.env['APOLLO_TELEMETRY_DISABLED']).toBe('true');
  });
});
