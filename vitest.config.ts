import { defineConfig } from 'vitest/config';

import { createRequire } from 'node:module';

// By its path: this config is bundled and its package imports left to Node, which loads no .ts file.
import { isArrayTypeReadFailure } from './packages/platform/src/array-type-read.js';

const GRAPHQL_AS_NODE_RESOLVES = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  // graphql as Node resolves it ("main", CommonJS), the one copy the Apollo packages require: the hub's own
  // code then executes, validates and checks types against the schemas they build, as under `npm start`,
  // not against a second copy of graphql's module build.
  resolve: { alias: [{ find: /^graphql$/, replacement: GRAPHQL_AS_NODE_RESOLVES }] },
  test: {
    // postgres.js's read of a new connection's array types, cut by a database restart (the fault drills),
    // rejects where nothing can catch it (porsager/postgres#1192); the services log it and go on
    // (surviveArrayTypeReadFailures), and so does the suite. Every other unhandled error fails the run.
    onUnhandledError: (error) => !isArrayTypeReadFailure(error),
    // An e2e file starts its own database and seven servers: two at a time fits two cores.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/ui/app/**/*.test.ts',
            'gateway/src/**/*.test.ts',
            'subgraphs/*/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', 'test/**/*.e2e.test.ts'],
          // The property tests run a thousand cases: room for a busy machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          // A first start migrates and seeds seven schemas: on a busy two-core machine that nears a minute.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      // The example department project runs as a department's CI would, with its own configuration.
      'examples/*/vitest.config.ts',
    ],
  },
});
