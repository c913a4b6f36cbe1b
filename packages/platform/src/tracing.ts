// Traces (OpenTelemetry): the hub's spans, the W3C trace context it carries inside signed subgraph
// requests, and the SDK started from the standard OTEL_* variables. Off unless configured; then free.

import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type ContextManager,
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

/** Whether a context's span is part of a trace being sampled (false for none). */
export function isSampled(ctx: Context): boolean {
  const ids = trace.getSpanContext(ctx);
  return ids !== undefined && (ids.traceFlags & TraceFlags.SAMPLED) !== 0;
}

/** Whether the active span's trace is being sampled: worth the work of attributes, spans and counts. */
export function sampling(): boolean {
  return isSampled(context.active());
}

/**
 * The context of everything outside a sampled trace: a parent that is valid but not sampled, so that a
 * span started there is not recorded and starts no trace of its own with a parent-based sampler. (The
 * SDK's plain trace-id ratio sampler XORs the id's 32-bit parts: this one comes to 0xffffffff, which no
 * ratio below 1 takes.)
 */
const UNSAMPLED = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: 'ffffffff000000000000000000000000',
  spanId: 'ffffffffffffffff',
  traceFlags: TraceFlags.NONE,
});

/**
 * OpenTelemetry's context, carried across awaits only for sampled traces. AsyncLocalStorage on Node 20
 * runs a hook on every promise the process makes once it is on, sampled or not, and a request over 100
 * persons makes thousands. So the store is on only while a sampled trace's work is in flight in this
 * process (counted from its outermost scope until that scope's promise settles), and off otherwise; an
 * unsampled request runs without it, and sees UNSAMPLED wherever it asks for the active context: its spans
 * are not recorded, and the traceparent it signs into subgraph requests says "not sampled".
 */
export class SampledContextManager implements ContextManager {
  private readonly store = new AsyncLocalStorage<Context>();
  private scopes = 0;

  active(): Context {
    return this.store.getStore() ?? UNSAMPLED;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const call = thisArg === undefined ? fn : (fn.bind(thisArg) as F);
    if (this.store.getStore() !== undefined) return this.store.run(ctx, call, ...args);
    // Outside any sampled trace: an unsampled context needs no carrying (UNSAMPLED stands for it).
    if (!isSampled(ctx)) return call(...args);
    this.scopes += 1;
    let result: ReturnType<F>;
    try {
      result = this.store.run(ctx, call, ...args);
    } catch (error) {
      this.release();
      throw error;
    }
    if (result instanceof Promise) {
      const release = () => this.release();
      result.then(release, release);
    } else {
      this.release();
    }
    return result;
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    const run = (self: unknown, args: unknown[]) => this.with(ctx, () => fn.apply(self, args));
    return function (this: unknown, ...args: unknown[]) {
      return run(this, args);
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.scopes = 0;
    this.store.disable();
    return this;
  }

  private release(): void {
    this.scopes -= 1;
    if (this.scopes === 0) this.store.disable();
  }
}

/** A span that records nothing, for work whose trace is not sampled. */
const NOT_RECORDED = trace.wrapSpanContext(trace.getSpanContext(UNSAMPLED)!);

/**
 * Runs `fn` inside a new active span (a child of the current one) and ends it, recording a thrown error by
 * its name only: messages may quote data. Attributes are ids, codes and counts, never personal data.
 * Below a parent that is not sampled no span is made at all: `fn` runs with one that records nothing.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes | (() => Attributes),
  fn: (span: Span) => Promise<T>,
  options: { kind?: SpanKind; parent?: Context } = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  const ids = trace.getSpanContext(parent);
  if (ids && (ids.traceFlags & TraceFlags.SAMPLED) === 0) return fn(NOT_RECORDED);
  return tracer.startActiveSpan(
    name,
    {
      attributes: typeof attributes === 'function' ? attributes() : attributes,
      kind: options.kind ?? SpanKind.INTERNAL,
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The trace id of the active span, when its trace is being sampled (for log lines). */
export function activeTraceId(): string | null {
  const ids = trace.getSpanContext(context.active());
  return ids && (ids.traceFlags & TraceFlags.SAMPLED) !== 0 && trace.isSpanContextValid(ids) ? ids.traceId : null;
}

/** The active trace context as a W3C `traceparent` value, to be signed into a subgraph request. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
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
 * The OTLP/HTTP exporter's class, loaded when tracing starts: most starts trace nothing, and loading it
 * costs a few hundred milliseconds of a start.
 */
function otlpExporter(): typeof import('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter {
  const load = createRequire(import.meta.url);
  return (load('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http'))
    .OTLPTraceExporter;
}

/**
 * Registers the OpenTelemetry SDK for this process when `config.tracing` is on (or an exporter is given):
 * the W3C trace-context propagator, the context carried for sampled traces (SampledContextManager), the
 * sampler of OTEL_TRACES_SAMPLER. Returns null when tracing is off, and then every span of the hub (and of
 * @apollo/gateway) is a no-op.
 */
export function startTracing(config: TelemetryConfig, options: TracingOptions = {}): RunningTracing | null {
  if (!config.tracing.enabled && !options.exporter) return null;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new (otlpExporter())());
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': config.tracing.serviceName }),
    spanProcessors: [processor],
  });
  provider.register({ contextManager: new SampledContextManager() });
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
