// Test fixture: the hub of @hub/testkit (gateway, six subgraphs, database on ephemeral ports, embedded
// by default or a fresh database on DATABASE_URL), on a database the test file owns, so a file can stop
// and start the hub again on the same data; `useTestHub` ties one to the file's lifetime.

import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RunningSubgraph, SubgraphName } from '@hub/platform';
import {
  createTestDatabase,
  startTestHub as startKitHub,
  type TestDatabase,
  type TestHub as KitTestHub,
  type TestHubOptions,
} from '@hub/testkit';

export {
  createTestDatabase,
  devSecret,
  testConfig,
  type GraphQLResponse,
  type ReceivedRequest,
  type TestDatabase,
} from '@hub/testkit';

/** The kit's hub with every subgraph started here (these tests replace none). */
export interface TestHub extends KitTestHub {
  readonly subgraphs: Readonly<Record<SubgraphName, RunningSubgraph>>;
}

export async function startTestHub(
  database: TestDatabase,
  options: Omit<TestHubOptions, 'database' | 'municipality' | 'subgraphs'> & { seed?: boolean } = {},
): Promise<TestHub> {
  const { seed = true, ...rest } = options;
  return (await startKitHub({ ...rest, database, municipality: seed ? 'demo' : 'empty' })) as TestHub;
}

/**
 * The test file's hub: started on a fresh database before the file's tests, closed and its database
 * dropped after them; what the subgraphs received is forgotten before each test.
 */
export function useTestHub(options: Parameters<typeof startTestHub>[1] = {}): TestHub {
  let started: TestHub | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    started = await startTestHub(database, options);
  });
  afterAll(async () => {
    await started?.close();
    await database?.drop();
  });
  beforeEach(() => started?.forget());
  return new Proxy({} as TestHub, {
    get(_target, property) {
      if (!started) throw new Error('the test hub is used before beforeAll started it');
      return Reflect.get(started, property);
    },
  });
}
