// Where a CPU profile of the hub spends its time, per request: self time summed by where the code lives
// (the hub's own bundle, each installed package, Node's internals, the collector, idle) and by function.
// bench/profile-hub.ts prints it for the profile it took; two printouts (authorization on and off) side
// by side show what authorization adds. A profile samples the main thread's wall time: a native call the
// operating system pauses for another thread reads long in it (the bench's per-thread CPU does not).

/** The parts of a V8 .cpuprofile this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's code lives: the hub's bundle, a package by name, Node's own, or V8's pseudo-frames. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'native';
  if (url.includes('/.cache/hub-bundles/')) return 'the hub (bundle)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackage) return inPackage[1]!;
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^.*\//, '');
}

export interface ProfileRow {
  readonly name: string;
  /** Self time, ms per request. */
  readonly ms: number;
}

export interface ProfileSummary {
  /** All sampled time, idle included, ms per request. */
  readonly totalMs: number;
  readonly byPlace: ProfileRow[];
  /** The hub's own functions, by name and line in the bundle. */
  readonly hubFunctions: ProfileRow[];
}

const rowsOf = (times: Map<string, number>, requests: number, most: number): ProfileRow[] =>
  [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, most)
    .map(([name, us]) => ({ name, ms: Math.round((us / 1000 / requests) * 1000) / 1000 }));

/** The profile's self time per request, by place and by the hub's own functions (the `most` largest of each). */
export function summarizeProfile(profile: CpuProfile, requests: number, most = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPlace = new Map<string, number>();
  const hubFunctions = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const place = placeOf(url, functionName);
    total += us;
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    if (place === 'the hub (bundle)') {
      const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
      hubFunctions.set(name, (hubFunctions.get(name) ?? 0) + us);
    }
  });
  return {
    totalMs: Math.round((total / 1000 / Math.max(1, requests)) * 1000) / 1000,
    byPlace: rowsOf(byPlace, Math.max(1, requests), most),
    hubFunctions: rowsOf(hubFunctions, Math.max(1, requests), most),
  };
}

/** The summary as lines to print. */
export function summaryLines(summary: ProfileSummary): string[] {
  const row = (r: ProfileRow) => `  ${r.ms.toFixed(3).padStart(7)}  ${r.name}`;
  return [
    `sampled ${summary.totalMs.toFixed(3)} ms a request (self time, idle included); by place:`,
    ...summary.byPlace.map(row),
    "the hub's own functions:",
    ...summary.hubFunctions.map(row),
  ];
}
