// Test fixture: the hub of @hub/testkit (gateway, six subgraphs, database on ephemeral ports, embedded
// by default or a fresh database on DATABASE_URL), on a database the test file owns, so a file can stop
// and start the hub again on the same data; `useTestHub` ties one to the file's lifetime.

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startGateway, type GatewayOptions, type RunningGateway } from '@hub/gateway/server';
import { connect, createLogger, type Database, type RunningSubgraph, type SubgraphName } from '@hub/platform';
import {
  createTestDatabase,
  startTestHub as startKitHub,
  type GraphQLResponse,
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
import type { Role } from '@hub/gateway/roles';

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

/**
 * A second gateway replica of the hub: the same database and subgraphs, its own checkpoint file (the
 * hub's with `.replica`) unless `options.config` says otherwise; `subgraphUrls` replaces some subgraphs.
 */
export function startGatewayReplica(hub: TestHub, options: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  const { config, subgraphUrls, ...rest } = options;
  return startGateway({
    config: config ?? {
      ...hub.config,
      audit: { ...hub.config.audit, checkpointFile: `${hub.config.audit.checkpointFile}.replica` },
    },
    databaseUrl: hub.database.url,
    logger: createLogger('replica', 'silent'),
    port: 0,
    ...rest,
    subgraphUrls: {
      ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, subgraph]) => [name, subgraph.url])),
      ...subgraphUrls,
    },
  });
}

/** A connection of the test file's own to the hub's database, open for the file's tests. */
export function useConnection(hub: TestHub, name: string, max = 2): Database {
  let opened: Database | undefined;
  beforeAll(() => {
    opened = connect(hub.database.url, { name, max });
  });
  afterAll(async () => {
    await opened?.close();
  });
  return new Proxy({} as Database, {
    get(_target, property) {
      if (!opened) throw new Error('the connection is used before beforeAll opened it');
      return Reflect.get(opened, property);
    },
  });
}

/** The code of a response's first error (`extensions.code`), if any. */
export const codeOf = (errors: GraphQLResponse['errors']) => errors?.[0]?.extensions?.['code'];

/** Runs an operation as an agency, with a token carrying `roles` when any are given. */
export async function queryAs<T = Record<string, unknown>>(
  hub: TestHub,
  agency: string,
  query: string,
  variables: Record<string, unknown> = {},
  roles: readonly Role[] = [],
): Promise<GraphQLResponse<T>> {
  if (!roles.length) return hub.query<T>({ agency }, query, variables);
  return hub.query<T>({ authorization: `Bearer ${await hub.token(agency, { roles: [...roles] })}` }, query, variables);
}

/** The input of `registerAgency`, as a hub administrator gives it. */
export interface AgencyInput {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly kind: string;
  readonly municipalityCode: string;
  readonly jurisdiction?: readonly string[];
}

/** Registers an agency as a hub administrator would; throws when the hub refuses it. */
export async function registerAgency(hub: TestHub, input: AgencyInput): Promise<void> {
  const registered = await queryAs(
    hub,
    'minamino-welfare',
    `mutation ($input: RegisterAgencyInput!) { registerAgency(input: $input) { id } }`,
    { input },
    ['hub-admin'],
  );
  if (registered.errors?.length) throw new Error(`registerAgency was refused: ${JSON.stringify(registered.errors)}`);
}
