// What the gateway tells an operator besides its answers: spans and metrics around the request, its
// decisions, the access log and each subgraph fetch. Hooks wrap the pieces server.ts wires together.

import type { ApolloServerPlugin } from '@apollo/server';
import {
  inSpan,
  metrics,
  sampling,
  SpanStatusCode,
  trace,
  tracer,
  type DataCategory,
  type Domain,
  type Span,
} from '@hub/platform';
import { decisionsIn, type AuditRecord, type AuditWriter } from './audit/log.js';
import type { PolicyPort } from './enforce/fetch.js';
import type { Fetcher } from './enforce/http-fetcher.js';

/** Decisions per person and category of one request, counted for its log line. */
export interface DecisionTally {
  allowed: number;
  denied: number;
}

// Keyed by the request's context object: gone with the request, never shared between two.
const tallies = new WeakMap<object, DecisionTally>();
// Keyed by the span of a subgraph fetch, so several recordings of one fetch step add up.
const spanTallies = new WeakMap<Span, DecisionTally>();

/** The decisions a request recorded so far (zero for none). */
export function decisionsOf(request: object): DecisionTally {
  return tallies.get(request) ?? { allowed: 0, denied: 0 };
}

/**
 * Counts decisions as they are recorded: the request's tally, the active span's outcome counts (the
 * subgraph fetch they decide), and hub_decisions_total by caller domain, category, basis and reason.
 */
export function observeDecisions(request: object, callerDomain: Domain, rows: readonly AuditRecord[]): void {
  const tally = tallies.get(request) ?? { allowed: 0, denied: 0 };
  tallies.set(request, tally);
  // The fetch span's counts only when it is being recorded (a sampled trace).
  const active = trace.getActiveSpan();
  const span = active?.isRecording() ? active : undefined;
  const spanTally = span ? (spanTallies.get(span) ?? { allowed: 0, denied: 0 }) : null;
  // Counted per distinct label set first: a row of a thousand persons is one increment per category.
  const byLabels = new Map<string, { category: DataCategory; row: AuditRecord; count: number }>();
  for (const row of rows) {
    const persons = row.personIds.length;
    const n = row.categories.length * persons;
    if (row.allowed) tally.allowed += n;
    else tally.denied += n;
    if (spanTally) spanTally[row.allowed ? 'allowed' : 'denied'] += n;
    for (const category of row.categories) {
      const key = `${category}|${row.allowed}|${row.basis}|${row.reason}`;
      const seen = byLabels.get(key);
      if (seen) seen.count += persons;
      else byLabels.set(key, { category, row, count: persons });
    }
  }
  for (const { category, row: entry, count } of byLabels.values()) {
    metrics.decisions.inc(
      {
        caller_domain: callerDomain,
        category,
        outcome: entry.allowed ? 'allowed' : 'denied',
        basis: entry.basis ?? '',
        reason: entry.reason ?? '',
      },
      count,
    );
  }
  if (span && spanTally) {
    spanTallies.set(span, spanTally);
    span.setAttributes({ 'hub.decisions.allowed': spanTally.allowed, 'hub.decisions.denied': spanTally.denied });
  }
}

/** The policy port with a span around each decision step (its bases read below it). */
export function tracedDecisions(port: PolicyPort): PolicyPort {
  return {
    ...port,
    decide: (personIds, categories) =>
      inSpan('hub.decide', { 'hub.persons': personIds.length, 'hub.categories': categories.size }, () =>
        port.decide(personIds, categories),
      ),
  };
}

/** The access-log writer with a span and a latency per append (the wait for its group commit included). */
export function observedAuditWriter(audit: AuditWriter): AuditWriter {
  return {
    append(rows) {
      const started = performance.now();
      return inSpan('hub.audit.append', { 'hub.audit.entries': decisionsIn(rows) }, () => audit.append(rows)).finally(
        () => metrics.auditAppendDuration.observe((performance.now() - started) / 1000),
      );
    },
  };
}

/** Records one group commit of the access log: how many fetch steps and entries it carried. */
export function observeGroupCommit(callers: number, entries: number): void {
  metrics.auditGroupCommitCallers.observe(callers);
  metrics.auditGroupCommitEntries.observe(entries);
}

/** A subgraph fetcher timed per fetch (its retries included), by subgraph and outcome. */
export function observedFetcher(subgraph: string, fetcher: Fetcher): Fetcher {
  return async (url, init) => {
    const started = performance.now();
    let outcome = 'error';
    try {
      const response = await fetcher(url, init);
      outcome = response.status < 500 ? 'ok' : 'error';
      return response;
    } finally {
      metrics.subgraphFetchDuration.observe({ subgraph, outcome }, (performance.now() - started) / 1000);
    }
  };
}

/**
 * Counts plan-cache hits for ApolloGateway's experimental_didResolveQueryPlan: the cache hands back the
 * very plan object it stored, so a plan seen before was a hit.
 */
export function planCacheObserver(): (options: { queryPlan: object }) => void {
  const seen = new WeakSet<object>();
  return ({ queryPlan }) => {
    const hit = seen.has(queryPlan);
    if (!hit) seen.add(queryPlan);
    metrics.queryPlans.inc({ result: hit ? 'hit' : 'miss' });
  };
}

/** Operation names as metric labels: GraphQL names only, and at most this many distinct ones. */
const MAX_OPERATION_LABELS = 200;
const operationLabels = new Set<string>();

function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationLabels.has(name)) return name;
  if (operationLabels.size >= MAX_OPERATION_LABELS || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) return 'other';
  operationLabels.add(name);
  return name;
}

/** ok, partial (data and errors), refused (a 4xx: not authenticated, limited, bad input), error. */
function outcomeOf(status: number, hasData: boolean, errors: number): string {
  if (status >= 400 && status < 500) return 'refused';
  if (status >= 500) return 'error';
  if (!errors) return 'ok';
  return hasData ? 'partial' : 'error';
}

/**
 * Spans for Apollo Server's own parse and validate phases (the gateway's plan, execute and fetch spans
 * come from @apollo/gateway), and the request counter and latency histogram of every answered request.
 */
export function telemetryPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  const phase = (name: string) => {
    // No span at all in a trace that is not sampled.
    const span = sampling() ? tracer.startSpan(name) : undefined;
    return async (error?: unknown) => {
      if (!span) return;
      if (error) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
  };
  return {
    // A request refused while its context is built (no valid token, over its rate) never starts.
    async contextCreationDidFail({ error }) {
      const status = (error as { extensions?: { http?: { status?: unknown } } }).extensions?.http?.status;
      metrics.requests.inc({
        operation: 'none',
        outcome: outcomeOf(typeof status === 'number' ? status : 500, false, 1),
      });
    },
    async requestDidStart() {
      const started = performance.now();
      return {
        async parsingDidStart() {
          return phase('graphql.parse');
        },
        async validationDidStart() {
          const end = phase('graphql.validate');
          return async (errors?: readonly Error[]) => end(errors?.length ? errors[0] : undefined);
        },
        async willSendResponse({ response, operationName, errors }) {
          const operation = operationLabel(operationName);
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const outcome = outcomeOf(
            response.http.status ?? 200,
            body?.data !== undefined && body?.data !== null,
            errors?.length ?? body?.errors?.length ?? 0,
          );
          metrics.requests.inc({ operation, outcome });
          metrics.requestDuration.observe({ operation }, (performance.now() - started) / 1000);
          const span = sampling() ? trace.getActiveSpan() : undefined;
          span?.setAttributes({ 'graphql.operation.name': operation, 'hub.outcome': outcome });
        },
      };
    },
  };
}
