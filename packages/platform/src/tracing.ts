// Traces (OpenTelemetry): the hub's spans, the W3C trace context it carries inside signed subgraph
// requests, and the SDK started from the standard OTEL_* variables. Off unless configured; then free.

import { createRequire } from 'node:module';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { TelemetryConfig } from './config.js';

export { SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span };
/** The SDK's in-memory exporter and its spans, for tests (the SDK this package registers, not another copy). */
export { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';

/** The hub's tracer; a no-op until a provider is registered (startTracing). */
export const tracer = trace.getTracer('hub');

/**
 * Runs `fn` inside a new active span (a child of the current one) and ends it, recording a thrown error by
 * its name only: messages may quote data. Attributes are ids, codes and counts, never personal data.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: { kind?: SpanKind; parent?: Context } = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(name, { attributes, kind: options.kind ?? SpanKind.INTERNAL }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace id of the active span, when one is being recorded (for log lines). */
export function activeTraceId(): string | null {
  const span = trace.getActiveSpan();
  const ids = span?.spanContext();
  return ids && trace.isSpanContextValid(ids) ? ids.traceId : null;
}

/** The active trace context as a W3C `traceparent` value, to be signed into a subgraph request. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** A context continuing the W3C trace context of incoming headers (a new trace when they carry none). */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** A context whose parent is the given `traceparent` (or none, for a new trace). */
export function contextFromTraceparent(traceparent: string | undefined | null): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

export interface RunningTracing {
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /**
   * Where finished spans go, each as it ends (tests pass the SDK's InMemorySpanExporter).
   * @default OTLP over HTTP, batched, configured by the OTEL_EXPORTER_OTLP_* variables
   */
  exporter?: SpanExporter;
}

/**
 * Registers the OpenTelemetry SDK for this process when `config.tracing` is on (or an exporter is given):
 * the W3C trace-context propagator, async-hooks context, the sampler of OTEL_TRACES_SAMPLER. Returns null
 * when tracing is off, and then every span of the hub (and of @apollo/gateway) is a no-op.
 */
/**
 * The OTLP/HTTP exporter's class, loaded when tracing starts: most starts trace nothing, and loading it
 * costs a few hundred milliseconds of a start.
 */
function otlpExporter(): typeof import('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter {
  const load = createRequire(import.meta.url);
  return (load('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http'))
    .OTLPTraceExporter;
}

export function startTracing(config: TelemetryConfig, options: TracingOptions = {}): RunningTracing | null {
  if (!config.tracing.enabled && !options.exporter) return null;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new (otlpExporter())());
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': config.tracing.serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
