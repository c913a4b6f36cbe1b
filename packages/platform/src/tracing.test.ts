import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { isSampled, SampledContextManager } from './tracing.js';

function contextOf(traceFlags: TraceFlags, traceId: string): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags });
}

const sampledA = contextOf(TraceFlags.SAMPLED, '4bf92f3577b34da6a3ce929d0e0e4736');
const sampledB = contextOf(TraceFlags.SAMPLED, '0af7651916cd43dd8448eb211c80319c');
const unsampled = contextOf(TraceFlags.NONE, '5bf92f3577b34da6a3ce929d0e0e4736');

/** A promise and what resolves it. */
function opened(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe('SampledContextManager', () => {
  it('carries a sampled context across awaits, each concurrent trace its own', async () => {
    const manager = new SampledContextManager();
    const seen: Context[] = [];
    // Each trace waits on a gate this test opens, B's first: the interleaving is the test's, not the timers'.
    const gates = { a: opened(), b: opened() };
    const work = (ctx: Context, gate: Promise<void>) =>
      manager.with(ctx, async () => {
        await sleep(1);
        await gate;
        seen.push(manager.active());
        await Promise.resolve();
        return manager.with(manager.active(), async () => {
          await sleep(1);
          return manager.active();
        });
      });
    const both = Promise.all([work(sampledA, gates.a.promise), work(sampledB, gates.b.promise)]);
    gates.b.resolve();
    await sleep(5);
    gates.a.resolve();
    const [a, b] = await both;
    expect(a).toBe(sampledA);
    expect(b).toBe(sampledB);
    expect(seen).toEqual([sampledB, sampledA]);
  });

  it('outside a sampled trace, the active context is a valid parent that is not sampled', async () => {
    const manager = new SampledContextManager();
    const inside = await manager.with(unsampled, async () => {
      await sleep(1);
      return manager.active();
    });
    expect(isSampled(inside)).toBe(false);
    expect(trace.isSpanContextValid(trace.getSpanContext(inside)!)).toBe(true);
    // Once a sampled trace's work has settled, what runs after it is outside it again.
    await manager.with(sampledA, async () => sleep(1));
    expect(isSampled(manager.active())).toBe(false);
  });

  it('outside a sampled trace, not even a plain trace-id ratio sampler starts a trace', () => {
    const { traceId } = trace.getSpanContext(new SampledContextManager().active())!;
    const sampler = new TraceIdRatioBasedSampler(0.99);
    expect(sampler.shouldSample(ROOT_CONTEXT, traceId).decision).toBe(SamplingDecision.NOT_RECORD);
  });

  it('an unsampled request running beside a sampled one stays unsampled', async () => {
    const manager = new SampledContextManager();
    let unsampledSaw: Context | undefined;
    const sampled = manager.with(sampledA, async () => {
      await sleep(5);
      return manager.active();
    });
    await sleep(1);
    await manager.with(unsampled, async () => {
      await sleep(1);
      unsampledSaw = manager.active();
    });
    expect(await sampled).toBe(sampledA);
    expect(isSampled(unsampledSaw!)).toBe(false);
  });
});
