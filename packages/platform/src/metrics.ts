// Prometheus metrics (prom-client): one registry per process, served as text on METRICS_PORT. Labels
// are codes, names of operations, subgraphs, categories and pools: bounded sets, never personal data.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Sql } from 'postgres';

export const metricsRegistry = new Registry();

/** Seconds: from a fraction of a millisecond (a bases read) to the subgraph time limit. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  requests: new Counter({
    name: 'hub_requests_total',
    help: 'GraphQL requests answered by the gateway, by operation name and outcome (ok, partial, refused, error).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  requestDuration: new Histogram({
    name: 'hub_request_duration_seconds',
    help: 'Time from the request reaching the gateway to its answer, by operation name.',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [metricsRegistry],
  }),
  subgraphFetchDuration: new Histogram({
    name: 'hub_subgraph_fetch_duration_seconds',
    help: 'Time of one signed fetch from an agency subgraph (all attempts), by subgraph and outcome.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [metricsRegistry],
  }),
  basesReadDuration: new Histogram({
    name: 'hub_bases_read_duration_seconds',
    help: 'Time of one read of the legal bases (consents, meetings, emergencies, residence) for a set of persons.',
    buckets: LATENCY_BUCKETS,
    registers: [metricsRegistry],
  }),
  auditAppendDuration: new Histogram({
    name: 'hub_audit_append_duration_seconds',
    help: 'Time from a fetch step handing its decisions to the access log to their commit.',
    buckets: LATENCY_BUCKETS,
    registers: [metricsRegistry],
  }),
  decisions: new Counter({
    name: 'hub_decisions_total',
    help: 'Decisions per person and data category, by caller domain, category, outcome, legal basis (allowed) and denial reason (denied).',
    labelNames: ['caller_domain', 'category', 'outcome', 'basis', 'reason'] as const,
    registers: [metricsRegistry],
  }),
  auditGroupCommitEntries: new Histogram({
    name: 'hub_audit_group_commit_entries',
    help: 'Access-log entries written by one group-commit transaction.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    registers: [metricsRegistry],
  }),
  auditGroupCommitCallers: new Histogram({
    name: 'hub_audit_group_commit_callers',
    help: 'Fetch steps whose decisions one group-commit transaction carried.',
    buckets: [1, 2, 3, 5, 10, 25, 50, 100],
    registers: [metricsRegistry],
  }),
  checkpointLastSuccess: new Gauge({
    name: 'hub_audit_checkpoint_last_success_timestamp_seconds',
    help: 'When this gateway last wrote a signed checkpoint of the access log (Unix time); 0 before the first.',
    registers: [metricsRegistry],
  }),
  checkpointFailures: new Counter({
    name: 'hub_audit_checkpoint_failures_total',
    help: 'Checkpoints not written: the sink or the database failed (failed), or the chain no longer holds the last checkpoint (refused).',
    labelNames: ['reason'] as const,
    registers: [metricsRegistry],
  }),
  relocationsPending: new Gauge({
    name: 'hub_relocations_pending',
    help: "DV transfers' moves not yet taken by a subgraph, as (person, subgraph) pairs, after the gateway's last round.",
    registers: [metricsRegistry],
  }),
  rateLimited: new Counter({
    name: 'hub_rate_limited_total',
    help: 'Requests refused with RATE_LIMITED, by agency.',
    labelNames: ['agency'] as const,
    registers: [metricsRegistry],
  }),
  poolMax: new Gauge({
    name: 'hub_db_pool_max_connections',
    help: 'Connections a service pool may open (its size), by pool (application_name).',
    labelNames: ['pool'] as const,
    registers: [metricsRegistry],
  }),
  queryPlans: new Counter({
    name: 'hub_query_plan_cache_total',
    help: 'Query plans the gateway used, by whether the plan cache held them (hit) or they were planned (miss).',
    labelNames: ['result'] as const,
    registers: [metricsRegistry],
  }),
};

/** The first moment a checkpoint could have been written, for the age gauge before the first one. */
const processStart = Date.now() / 1000;
let lastCheckpoint = 0;

new Gauge({
  name: 'hub_audit_checkpoint_age_seconds',
  help: 'Seconds since the last signed checkpoint of the access log (since start, before the first one).',
  registers: [metricsRegistry],
  collect() {
    this.set(Date.now() / 1000 - (lastCheckpoint || processStart));
  },
});

/** Records a checkpoint written now. */
export function checkpointWritten(at = new Date()): void {
  lastCheckpoint = at.getTime() / 1000;
  metrics.checkpointLastSuccess.set(lastCheckpoint);
}

/** The pools whose connections are counted at each scrape (by application_name, from pg_stat_activity). */
const pools = new Map<Sql, number>();

/** Counts a pool's connections and its size at every scrape, until the returned function is called. */
export function observePool(sql: Sql, name: string, max: number): () => void {
  pools.set(sql, max);
  metrics.poolMax.set({ pool: name }, max);
  return () => {
    pools.delete(sql);
  };
}

interface ActivityRow {
  pool: string;
  state: string;
  connections: number;
}

/** The promise's value, or a rejection once `ms` have passed: a scrape never waits on a stuck database. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

new Gauge({
  name: 'hub_db_connections',
  help: "Open database connections of the hub's pools, by pool (application_name) and state (active, idle, …), from pg_stat_activity.",
  labelNames: ['pool', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    // Any one pool sees every session of its database; the first that answers is enough.
    for (const sql of pools.keys()) {
      try {
        const rows = await within(
          1_000,
          sql<ActivityRow[]>`
            select application_name as pool, coalesce(state, 'unknown') as state, count(*)::int as connections
            from pg_stat_activity
            where datname = current_database() and application_name like 'hub-%'
            group by 1, 2`,
        );
        for (const row of rows) this.set({ pool: row.pool, state: row.state }, row.connections);
        return;
      } catch {
        // A database that does not answer leaves the gauge empty; /readyz and the logs tell why.
      }
    }
  },
});

export interface RunningMetrics {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET /metrics (Prometheus text format) on its own port, apart from the GraphQL endpoint. */
export async function startMetricsServer(host: string, port: number): Promise<RunningMetrics> {
  // The process's own figures (CPU, memory, event-loop lag, GC), only where metrics are served.
  if (!metricsRegistry.getSingleMetric('process_cpu_user_seconds_total'))
    collectDefaultMetrics({ register: metricsRegistry });
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/metrics`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
