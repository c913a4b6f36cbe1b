// An entry for run-bundled.js's test (test/run-bundled.test.ts): prints where it believes it runs from, a
// value of the hub's own code bundled with it, the arguments it was given, and whether its stacks are
// source-mapped.

import { pathBeside, SUBGRAPH_NAMES } from '@hub/platform';

console.log(
  JSON.stringify({
    url: import.meta.url,
    beside: pathBeside(import.meta.url, 'hub.ts'),
    subgraphs: SUBGRAPH_NAMES.length,
    argv: process.argv.slice(2),
    sourceMaps: process.sourceMapsEnabled,
    stackNamesSource: new Error().stack?.includes('bundled-entry.ts:') ?? false,
  }),
);
