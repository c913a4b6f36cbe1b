// The bench's summary of a CPU profile (bench/profile-summary.ts): self time per request, by where the
// code lives and by the hub's own functions.

import { describe, expect, it } from 'vitest';
import { placeOf, summarizeProfile, type CpuProfile } from '../bench/profile-summary.js';

const BUNDLE = 'file:///hub/node_modules/.cache/hub-bundles/start/abc/chunk-X.js';

describe('placeOf', () => {
  it("names the hub's bundle, a package (scoped too), Node's own code and V8's pseudo-frames", () => {
    expect(placeOf(BUNDLE, 'decide')).toBe('the hub (bundle)');
    expect(placeOf('file:///hub/node_modules/graphql/execution/execute.js', 'execute')).toBe('graphql');
    expect(placeOf('file:///hub/node_modules/@apollo/gateway/dist/index.js', 'x')).toBe('@apollo/gateway');
    expect(placeOf('node:internal/streams/writable', 'write')).toBe('node');
    expect(placeOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(placeOf('', 'writeBuffer')).toBe('native');
  });
});

describe('summarizeProfile', () => {
  it('sums self time per request by place and by hub function, largest first', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'decide', url: BUNDLE, lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'record', url: BUNDLE, lineNumber: 99 } },
        { id: 4, callFrame: { functionName: 'execute', url: 'file:///n/node_modules/graphql/e.js', lineNumber: 0 } },
      ],
      samples: [2, 2, 3, 4, 4, 4, 1],
      timeDeltas: [1000, 1000, 500, 1000, 1000, 1000, 500],
    };
    const summary = summarizeProfile(profile, 2);
    expect(summary.totalMs).toBe(3);
    expect(summary.byPlace).toEqual([
      { name: 'graphql', ms: 1.5 },
      { name: 'the hub (bundle)', ms: 1.25 },
      { name: '(root)', ms: 0.25 },
    ]);
    expect(summary.hubFunctions).toEqual([
      { name: 'decide chunk-X.js:10', ms: 1 },
      { name: 'record chunk-X.js:100', ms: 0.25 },
    ]);
  });
});
