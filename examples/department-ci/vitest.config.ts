import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'department-ci',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    // A test hub starts a database and seven servers: allow for a slow machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
