import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
