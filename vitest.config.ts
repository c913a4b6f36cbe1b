import { defineConfig } from 'vitest/config';

import { isArrayTypeReadFailure } from './packages/platform/src/array-type-read.js';

export default defineConfig({
  test: {
    // postgres.js's read of a new connection's array types, cut by a database restart (the fault drills),
    // rejects where nothing can catch it (porsager/postgres#1192); the services log it and go on
    // (surviveArrayTypeReadFailures), and so does the suite. Every other unhandled error fails the run.
    onUnhandledError: (error) => !isArrayTypeReadFailure(error),
    // An e2e file starts its own database and seven servers: two at a time fits two cores.
    maxWorkers: 2,
    projects: [
      {
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
