// Test fixture: the real hub (gateway, six subgraphs, database) on ephemeral ports, against an embedded
// PGlite in a temporary folder, or, when DATABASE_URL is set, a fresh database created on that server
// and dropped afterwards, so parallel files and runs never collide.

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startHub, type RunningHub } from '@hub/all-in-one';
import { mintDevToken } from '@hub/gateway/token';
import {
  createLogger,
  createScratchDatabase,
  readConfig,
  type DatabaseConfig,
  type HubConfig,
  type Logger,
  type ScratchDatabase,
  type SubgraphName,
} from '@hub/platform';

export type TestDatabase = ScratchDatabase;

/** A new empty database of the kind this run tests: embedded by default, PostgreSQL with DATABASE_URL. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase('test', process.env['DATABASE_URL']);
}

export function testConfig(database: DatabaseConfig, checkpointFile: string): HubConfig {
  const base = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  return { ...base, database, audit: { ...base.audit, checkpointFile } };
}

/** The HS256 development secret the test hub verifies its tokens with. */
export function devSecret(config: HubConfig): string {
  if (config.auth.verify.kind !== 'secret') throw new Error('this hub verifies tokens against a JWKS, not a secret');
  return config.auth.verify.secret;
}

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestHub extends RunningHub {
  readonly config: HubConfig;
  /** A development token for an agency of the demo register. */
  token(agency: string, options?: { sub?: string; roles?: string[]; ttl?: string }): Promise<string>;
  /** POSTs an operation to the gateway as the given agency (or with the given raw Authorization header). */
  query<TData = Record<string, unknown>>(
    as: { agency: string } | { authorization: string | null },
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
  /** Statements sent by every subgraph (by name) and by the gateway (`gateway`) so far. */
  statements(): Record<string, number>;
  /** The requests a subgraph received since the last `forget()`. */
  received(subgraph: SubgraphName): readonly ReceivedRequest[];
  forget(): void;
}

export interface ReceivedRequest {
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
}

export async function startTestHub(
  database: TestDatabase,
  options: {
    seed?: boolean;
    auth?: Partial<HubConfig['auth']>;
    /** The gateway's key and the subgraphs' JWKS. @default a key pair generated for this hub */
    signing?: HubConfig['signing'];
    nodeEnv?: HubConfig['nodeEnv'];
    limits?: Partial<HubConfig['limits']>;
    /** Each service's own database URL, naming its own role (see npm run db:roles). @default none: one role */
    serviceDatabaseUrls?: HubConfig['serviceDatabaseUrls'];
    /** @default a silent logger */
    logger?: Logger;
    /** @default no metrics port, tracing as configured (off) */
    telemetry?: Partial<HubConfig['telemetry']>;
  } = {},
): Promise<TestHub> {
  const base = testConfig(database.config, database.checkpointFile);
  const config: HubConfig = {
    ...base,
    nodeEnv: options.nodeEnv ?? base.nodeEnv,
    auth: { ...base.auth, ...options.auth },
    signing: options.signing ?? base.signing,
    limits: { ...base.limits, ...options.limits },
    serviceDatabaseUrls: options.serviceDatabaseUrls ?? base.serviceDatabaseUrls,
    telemetry: { ...base.telemetry, ...options.telemetry },
  };
  const received = new Map<SubgraphName, ReceivedRequest[]>();
  const hub = await startHub({
    config,
    ports: 'ephemeral',
    seed: options.seed ?? true,
    logger: options.logger ?? createLogger('test', 'silent'),
    observeSubgraphs: (subgraph, body) => {
      let request: ReceivedRequest = { query: body, variables: undefined };
      try {
        request = JSON.parse(body) as ReceivedRequest;
      } catch {
        // kept as raw text
      }
      received.set(subgraph, [...(received.get(subgraph) ?? []), request]);
    },
  });
  const token: TestHub['token'] = (agency, opts = {}) => mintDevToken(config.auth, { agency, ...opts });
  return {
    ...hub,
    config,
    token,
    async query(as, query, variables) {
      const authorization = 'agency' in as ? `Bearer ${await token(as.agency)}` : as.authorization;
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    received: (subgraph) => received.get(subgraph) ?? [],
    forget: () => received.clear(),
    statements() {
      return {
        ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.db.statementCount()])),
        gateway: hub.gateway.db.statementCount(),
      };
    },
  };
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
