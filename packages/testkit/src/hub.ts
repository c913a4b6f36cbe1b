// The whole hub in one process for a test: the database (embedded in a temporary folder, or a fresh
// database on the server DATABASE_URL names, dropped afterwards), the six agency subgraphs and the
// gateway on free ports; any subgraph can be the department's own system, reached by its URL.

import { startHub, type RunningHub } from '@hub/all-in-one';
import type { Role } from '@hub/gateway/roles';
import { mintDevToken } from '@hub/gateway/token';
import {
  createLogger,
  createScratchDatabase,
  generateSigningKey,
  readConfig,
  type DatabaseConfig,
  type Domain,
  type HubConfig,
  type Logger,
  type ScratchDatabase,
  type SubgraphName,
} from '@hub/platform';
import { requireAgencyId, requireDomain, requireRoles, requireSubgraphName, requireUrl } from './subgraph-names.js';

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

/**
 * A gateway signing key pair in the shape of `HubConfig['signing']`: hand `verifyKeys` to a stand-in
 * subgraph started before the hub, and the whole value to `startTestHub({ signing })`.
 */
export function testSigningKeys(): HubConfig['signing'] {
  const { privateJwk, publicJwks } = generateSigningKey('EdDSA', 'test');
  return { gatewayKey: privateJwk, verifyKeys: publicJwks, generated: true };
}

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: GraphQLError[];
}

export interface ClientOptions {
  /** Roles claimed by the token, e.g. `['auditor']`, `['hub-admin']`. */
  roles?: Role[];
  /** The staff member (the token's `sub`). @default 'dev-staff' */
  sub?: string;
  /** Sent as X-Hub-Purpose, the stated purpose the access log keeps. */
  purpose?: string;
}

/** A client of the hub as one agency: each request carries a fresh development token for it. */
export interface HubClient {
  readonly agencyId: string;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
}

export interface ReceivedRequest {
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
}

/** A municipality and its first agency, written straight into the register of a hub started empty. */
export interface FirstAgency {
  /** Lower-case letters, digits and hyphens, as `registerAgency` takes. */
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
  /** 機関の種別, e.g. '重層的支援体制整備事業 所管課'. */
  readonly kind: string;
  /** Its own municipality, added to the register unless it is there already. */
  readonly municipality: { readonly code: string; readonly name: string; readonly prefecture: string };
  /** Further municipalities it serves (each must be registered already; else refused). @default its own only */
  readonly jurisdiction?: readonly string[];
}

export interface TestHub extends RunningHub {
  readonly config: HubConfig;
  /**
   * Writes a municipality and an agency into the register, as an operator writes a production hub's first
   * ones (docker/README.md): on a hub started with `municipality: 'empty'`, the agency whose hub-admin
   * token (`token(id, { roles: ['hub-admin'] })`) then registers the others through `registerAgency`.
   */
  registerFirstAgency(agency: FirstAgency): Promise<void>;
  /**
   * A development token for an agency of the register. `roles` are the hub's (auditor, dashboard, hub-admin);
   * another is refused. `ttl` as jose reads it ('15m', '1h'); a negative one ('-1s') mints a token already
   * expired, to test that it is refused (TOKEN_EXPIRED).
   */
  token(agency: string, options?: { sub?: string; roles?: Role[]; ttl?: string }): Promise<string>;
  /** A client acting as `agencyId`, with the token's roles and staff member and the request's stated purpose. */
  as(agencyId: string, options?: ClientOptions): HubClient;
  /** POSTs an operation to the gateway as the given agency (or with the given raw Authorization header). */
  query<TData = Record<string, unknown>>(
    as: { agency: string } | { authorization: string | null },
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
  /** Statements sent by every subgraph started here (by name) and by the gateway (`gateway`) so far. */
  statements(): Record<string, number>;
  /** The requests a subgraph started here received since the last `forget()`. */
  received(subgraph: SubgraphName): readonly ReceivedRequest[];
  forget(): void;
  /** Stops the gateway and the subgraphs, and drops the database if the hub created it. */
  stop(): Promise<void>;
}

export interface TestHubOptions {
  /** @default a new database (createTestDatabase), dropped by `stop()` */
  database?: TestDatabase;
  /** `demo`: the demo municipality's register and records (みなみ野市); `empty`: no agency, no person. @default 'demo' */
  municipality?: 'demo' | 'empty';
  /**
   * Subgraphs that are the department's system under test: not started, the gateway sends their
   * fetches (signed, see `signing`) to this URL instead.
   */
  subgraphs?: Partial<Record<SubgraphName, string>>;
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
}

async function postGraphQL<TData>(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> | undefined,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Starts the whole hub for a test; `stop()` (or `close()`, which keeps the database) ends it. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  for (const [name, url] of Object.entries(options.subgraphs ?? {})) {
    requireSubgraphName(name, 'startTestHub({ subgraphs })');
    requireUrl(String(url), `startTestHub({ subgraphs: { ${name} } })`);
  }
  const owned = options.database ? undefined : await createTestDatabase();
  const database = options.database ?? owned!;
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
  let hub: RunningHub;
  try {
    hub = await startHub({
      config,
      ports: 'ephemeral',
      seed: (options.municipality ?? 'demo') === 'demo',
      logger: options.logger ?? createLogger('test', 'silent'),
      ...(options.subgraphs ? { externalSubgraphs: options.subgraphs } : {}),
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
  } catch (error) {
    await owned?.drop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const token: TestHub['token'] = async (agency, opts = {}) => {
    if (opts.roles) requireRoles(opts.roles, 'token({ roles })');
    return mintDevToken(config.auth, { agency, ...opts });
  };
  /** The gateway's answer, or an error saying the hub was stopped (a fetch of a closed port says only ECONNREFUSED). */
  const post = <TData>(headers: Record<string, string>, query: string, variables?: Record<string, unknown>) => {
    if (stopped) throw new Error('this test hub was stopped (stop()); start another with startTestHub() to query');
    return postGraphQL<TData>(hub.gatewayUrl, headers, query, variables);
  };
  const as: TestHub['as'] = (agencyId, opts = {}) => ({
    agencyId,
    async query(query, variables) {
      const bearer = await token(agencyId, {
        ...(opts.sub ? { sub: opts.sub } : {}),
        ...(opts.roles ? { roles: opts.roles } : {}),
      });
      // Header values are bytes: a purpose in Japanese goes percent-encoded, as the gateway reads it.
      const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
      if (opts.purpose !== undefined) headers['x-hub-purpose'] = encodeURIComponent(opts.purpose);
      return post(headers, query, variables);
    },
  });
  return {
    ...hub,
    config,
    token,
    as,
    async registerFirstAgency(agency) {
      requireAgencyId(agency.id, 'registerFirstAgency({ id })');
      requireDomain(agency.domain, 'registerFirstAgency({ domain })');
      const { sql } = hub.gateway.db;
      const { code, name, prefecture } = agency.municipality;
      const jurisdiction = [...new Set([code, ...(agency.jurisdiction ?? [])])];
      if (stopped) throw new Error('this test hub was stopped (stop()); start another with startTestHub()');
      await sql.begin(async (tx) => {
        // As registerAgency refuses them (UNKNOWN_MUNICIPALITY): a test register holds what a production one can.
        const registered = await tx<{ code: string }[]>`select code from hub.municipality order by code`;
        const known = new Set([...registered.map((m) => m.code), code]);
        const unknown = jurisdiction.filter((c) => !known.has(c));
        if (unknown.length)
          throw new TypeError(
            `registerFirstAgency({ jurisdiction }): ${unknown.map((c) => JSON.stringify(c)).join(', ')} names no ` +
              `registered municipality; the register has ${registered.map((m) => m.code).join(', ') || 'none'} ` +
              `besides its own ${code} (register another first with its own first agency)`,
          );
        await tx`
          insert into hub.municipality (code, name, prefecture) values (${code}, ${name}, ${prefecture})
          on conflict (code) do nothing`;
        const [taken] = await tx`select 1 from hub.agency where id = ${agency.id}`;
        if (taken) throw new TypeError(`registerFirstAgency({ id }): "${agency.id}" is registered already`);
        await tx`
          insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction)
          values (${agency.id}, ${agency.name}, ${agency.domain}, ${agency.kind}, ${code}, ${jurisdiction})`;
      });
    },
    async query(who, query, variables) {
      const authorization = 'agency' in who ? `Bearer ${await token(who.agency)}` : who.authorization;
      return post(authorization ? { authorization } : {}, query, variables);
    },
    received: (subgraph) => received.get(subgraph) ?? [],
    forget: () => received.clear(),
    statements() {
      return {
        ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s ? s.db.statementCount() : 0])),
        gateway: hub.gateway.db.statementCount(),
      };
    },
    stop: () =>
      (stopped ??= (async () => {
        await hub.close();
        await owned?.drop();
      })()),
  };
}
