// The gateway, wired: authentication → the federated query plan over the agency subgraphs (and the
// hub's own, in-process) → the response. Built here, listened to by index.ts or the all-in-one start.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import {
  connect,
  createHttpHandler,
  deriveSubgraphKey,
  describeSafely,
  ERRORS,
  isUnreachable,
  listen,
  maskErrors,
  once,
  prepareSchema,
  seedOnce,
  SUBGRAPH_NAMES,
  subgraphService,
  type DataCategory,
  type Database,
  type HubConfig,
  type Logger,
  type MigrationMode,
  type SubgraphName,
} from '@hub/platform';
import { createAuditWriter } from './audit/log.js';
import { createAuthenticator } from './auth/authenticate.js';
import { QUERY_PLAN_STORE_MIB } from './engine.js';
import type { GatewayContext } from './context.js';
import { requestLogPlugin } from './request-log.js';
import { aggregatesOnlyPlugin } from './enforce/aggregates-only.js';
import { PolicyDataSource } from './enforce/data-source.js';
import { createEnforcementStats, type EnforcementStats } from './enforce/policy-port.js';
import { indexSupergraph } from './enforce/schema-index.js';
import { createSigningFetcher } from './enforce/signing-fetcher.js';
import { UnenforcedDataSource } from './enforce/unenforced.js';
import {
  buildHubSchema,
  createHubStore,
  HUB_DB_SCHEMA,
  HUB_MIGRATIONS_DIR,
  HUB_SUBGRAPH_NAME,
  PARTICIPATION_OPERATIONS,
  RELATIONSHIP_PROBES,
  seedHub,
} from './hub/index.js';
import { gatewayLimits } from './limits/index.js';
import { readSupergraph } from './supergraph.js';

export interface GatewayOptions {
  config: HubConfig;
  databaseUrl: string;
  /** `check` for a runtime role that may not run DDL (see serviceDatabase). @default 'apply' */
  migrations?: MigrationMode;
  logger: Logger;
  /** @default the checked-in schema/supergraph.graphql */
  supergraphSdl?: string;
  /** Where each agency subgraph listens. @default config.subgraphs[name].url */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Port to listen on. @default config.gateway.port */
  port?: number;
  /**
   * `off` sends every fetch unexamined and unlogged, to measure what enforcement costs (npm run bench);
   * refused when NODE_ENV is production.
   * @default 'enforce'
   */
  authorization?: 'enforce' | 'off';
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  /** How often enforcement read the bases, wrote the access log and fetched from subgraphs, since start. */
  readonly stats: Readonly<EnforcementStats>;
  /** Every field of the supergraph that holds personal data, with its category. */
  readonly categories: ReadonlyMap<string, DataCategory>;
  close(): Promise<void>;
}

/** X-Hub-Purpose, URL-decoded when it is (Japanese text travels encoded), at most 500 characters. */
function statedPurpose(value: string): string {
  let text = value;
  try {
    text = decodeURIComponent(value);
  } catch {
    // Not URL-encoded: kept as sent.
  }
  return text.slice(0, 500);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function probeSubgraph(url: string): Promise<boolean> {
  try {
    const response = await fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Loads the hub's demo register into an empty database (or always, with `force`). */
export function seedGateway(db: Database, options: { force?: boolean } = {}): Promise<boolean> {
  return seedOnce(db.sql, HUB_DB_SCHEMA, seedHub, options);
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  if (options.authorization === 'off' && config.nodeEnv === 'production') {
    throw new Error('authorization off is for benchmarks only, never in production');
  }
  const supergraphSdl = options.supergraphSdl ?? (await readSupergraph());
  const index = indexSupergraph(supergraphSdl);
  const stats = createEnforcementStats();
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, options.subgraphUrls?.[name] ?? config.subgraphs[name].url]),
  ) as Record<SubgraphName, string>;

  const db = connect(options.databaseUrl, { name: 'hub-gateway', max: 8 });
  try {
    await prepareSchema(db.sql, HUB_DB_SCHEMA, HUB_MIGRATIONS_DIR, options.migrations ?? 'apply');
    const hubSchema = buildHubSchema();
    const audit = createAuditWriter(db.sql, { onCommit: () => (stats.auditCommits += 1) });
    const gateway = new ApolloGateway({
      supergraphSdl,
      logger,
      experimental_approximateQueryPlanStoreMiB: QUERY_PLAN_STORE_MIB,
      buildService: ({ name }) => {
        if (name === HUB_SUBGRAPH_NAME) return new LocalGraphQLDataSource(hubSchema);
        const url = urls[name as SubgraphName];
        if (!url) throw new Error(`no URL for subgraph ${name}`);
        const subgraph = subgraphService(name as SubgraphName);
        const key = deriveSubgraphKey(config.signing.secret, subgraph.name);
        if (options.authorization === 'off') {
          return new UnenforcedDataSource({
            url,
            fetcher: createSigningFetcher(subgraph.name, key, config.subgraphFetch),
            categories: [...index.categories.values()],
          });
        }
        return new PolicyDataSource({
          url,
          domain: subgraph.domain,
          index,
          sql: db.sql,
          audit,
          stats,
          fetcher: createSigningFetcher(subgraph.name, key, config.subgraphFetch),
          logger,
        });
      },
    });

    const development = config.nodeEnv !== 'production';
    const { plugins: limitPlugins, ...limits } = await gatewayLimits<GatewayContext>(config.limits, [
      ...Object.values(PARTICIPATION_OPERATIONS),
      ...Object.values(RELATIONSHIP_PROBES),
    ]);
    const apollo = new ApolloServer<GatewayContext>({
      gateway,
      introspection: development,
      includeStacktraceInErrorResponses: false,
      formatError: maskErrors(logger),
      csrfPrevention: true,
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        requestLogPlugin(logger),
        ...limitPlugins,
        aggregatesOnlyPlugin(index.categories),
      ],
      ...limits,
    });
    await apollo.start();

    const authenticator = createAuthenticator(config.auth);
    const handler = createHttpHandler<GatewayContext>({
      apollo,
      maxBodyBytes: config.limits.maxBodyBytes,
      context: async (req) => {
        const hub = createHubStore(db.sql, { emergencyTtlMinutes: config.policy.emergencyTtlMinutes });
        const caller = await authenticator
          .authenticate(header(req, 'authorization'), (id) => hub.agency.load(id))
          .catch((error: unknown) => {
            // The first read of a request is the caller's agency: a database down answers 503 here, not 500.
            if (!isUnreachable(error)) {
              const reason = (error as { extensions?: { reason?: unknown } }).extensions?.reason;
              logger.info(
                { reason: typeof reason === 'string' ? reason : 'UNKNOWN' },
                'request refused: unauthenticated',
              );
              throw error;
            }
            logger.warn({ error: describeSafely(error) }, 'hub database unreachable');
            throw ERRORS.SERVICE_UNAVAILABLE.err('The hub database is not reachable; try again shortly.');
          });
        const purpose = header(req, 'x-hub-purpose');
        const context: GatewayContext = {
          caller,
          hub,
          requestId: randomUUID(),
          purpose: purpose ? statedPurpose(purpose) : null,
          execute: async (query, variables) => {
            const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
            if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by the hub');
            return response.body.singleResult as never;
          },
        };
        return context;
      },
      probes: {
        '/healthz': async () => ({ ok: true }),
        '/readyz': async () => {
          const database = await db.sql`select 1`.then(
            () => true,
            () => false,
          );
          const subgraphs = Object.fromEntries(
            await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await probeSubgraph(urls[name])] as const)),
          );
          return { ok: database && Object.values(subgraphs).every(Boolean), detail: { database, subgraphs } };
        },
      },
    });
    const http = await listen(handler, config.host, options.port ?? config.gateway.port);
    return {
      url: http.url,
      port: http.port,
      db,
      stats,
      categories: index.categories,
      close: once(async () => {
        await http.close();
        await apollo.stop();
        await db.close();
      }),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
