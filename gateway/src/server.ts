// The gateway, wired: authentication and the request's context (request-context.ts) → the federated query
// plan over the agency subgraphs (federation.ts), each fetch through the enforcement seam (enforce/), and the
// hub's own records in-process → the response. Built here, listened to by index.ts or the all-in-one start.

import { ApolloServer } from '@apollo/server';
import { importJWK, type CryptoKey } from 'jose';
import {
  connect,
  contextFromTraceparent,
  createHttpHandler,
  describeSafely,
  gatewayKeys,
  type GatewayKeys,
  listen,
  observePool,
  once,
  prepareSchema,
  startMetricsServer,
  listeningAs,
  seedOnce,
  RELOCATIONS_PATH,
  GATEWAY_POOL_SIZE,
  SUBGRAPH_NAMES,
  subgraphService,
  type DataCategory,
  type Database,
  type HubConfig,
  type Logger,
  type MigrationMode,
  type RunningHttp,
  type RunningMetrics,
  type SubgraphName,
} from '@hub/platform';
import { fileCheckpointSink, requireCheckpointFile } from './audit/checkpoint-file.js';
import {
  rememberingSink,
  type CheckpointKey,
  type CheckpointOptions,
  type CheckpointOutcome,
  type CheckpointSigner,
  type CheckpointSink,
} from './audit/checkpoint.js';
import { startCheckpoints, type RunningCheckpoints } from './audit/checkpoints.js';
import { UI_DIST_DIR } from '@hub/ui';
import { createAuditWriter, type AuditWriter } from './audit/log.js';
import { createAuthenticator } from './auth/authenticate.js';
import type { GatewayContext } from './context.js';
import { PolicyDataSource } from './enforce/data-source.js';
import { createEnforcementStats, type EnforcementStats } from './enforce/policy-port.js';
import { BasesCache } from './policy/bases-cache.js';
import { indexSupergraph, type SchemaIndex } from './enforce/schema-index.js';
import { createSigningFetcher } from './enforce/signing-fetcher.js';
import { createLogIds, loadLogIdKey } from './hub/log-ids.js';
import { createRelocations } from './hub/relocations.js';
import { createSystemPost, createSystemReads, loggedSystemSend } from './hub/system-reads.js';
import { UnenforcedDataSource } from './enforce/unenforced.js';
import { buildHubSchema, HUB_DB_SCHEMA, HUB_MIGRATIONS_DIR, seedHub } from './hub/index.js';
import { createRateLimiter } from './limits/rate-limit.js';
import { checkScalarsAtTheGateway } from './scalars.js';
import { readiness } from './readiness.js';
import { readSupergraph } from './supergraph.js';
import { observedAuditWriter, observedFetcher, observeGroupCommit } from './telemetry.js';
import { createRequestContext } from './request-context.js';
import { federatedGateway, startApolloServer, type FederatedGatewayOptions } from './federation.js';
import { uiRoutes } from './ui.js';

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
  /** Pause before a DV transfer's move is told again to a subgraph that did not take it. @default 30000 */
  relocationRetryMs?: number;
  /** Port to listen on. @default config.gateway.port */
  port?: number;
  /**
   * `off` sends every fetch unexamined and unlogged, to measure what enforcement costs (npm run bench);
   * refused when NODE_ENV is production.
   * @default 'enforce'
   */
  authorization?: 'enforce' | 'off';
  /**
   * How the access log's checkpoints are signed, verified and kept.
   * @default an Ed25519 pair generated at start, and the file config.audit.checkpointFile
   */
  checkpoints?: GatewayCheckpointOptions;
  /**
   * The folder of the pages served under /ui/ (packages/ui's build).
   * @default UI_DIST_DIR of @hub/ui
   */
  uiDir?: string;
}

export interface GatewayCheckpointOptions {
  /** The key checkpoints are signed with. */
  signer: CheckpointSigner;
  /** Every public key a checkpoint may be verified with, by kid (the signer's own, and older ones). */
  verifyKeys: ReadonlyMap<string, CheckpointKey>;
  /** @default the file config.audit.checkpointFile */
  sink?: CheckpointSink;
}

/**
 * Checkpoints are signed with the gateway's own key (GATEWAY_SIGNING_KEY, Ed25519 or P-256) and verified
 * with its public keys (GATEWAY_VERIFY_KEYS, old and new during a rotation), so a restarted or restored
 * gateway with the same keys verifies the checkpoints written before.
 */
async function gatewayCheckpoints(keys: GatewayKeys): Promise<GatewayCheckpointOptions> {
  const verifyKeys = new Map<string, CheckpointKey>();
  for (const jwk of keys.publicJwks.keys) {
    const alg = jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.crv === 'P-256' ? 'ES256' : undefined;
    if (jwk.kid && alg) verifyKeys.set(jwk.kid, (await importJWK(jwk, alg)) as CryptoKey);
  }
  return { signer: { kid: keys.kid, privateKey: keys.privateKey, alg: keys.alg }, verifyKeys };
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  /** How often enforcement read the bases, wrote the access log and fetched from subgraphs, since start. */
  readonly stats: Readonly<EnforcementStats>;
  /** Every field of the supergraph that holds personal data, with its category. */
  readonly categories: ReadonlyMap<string, DataCategory>;
  /** GET URL of the Prometheus metrics (config.telemetry.metricsPort), or null when none are served. */
  readonly metricsUrl: string | null;
  /** Signs and writes a checkpoint of the access log now, as the timer does (null with authorization off). */
  checkpointAccessLog(): Promise<CheckpointOutcome | null>;
  close(): Promise<void>;
}

/** Loads the hub's demo register into an empty database (or always, with `force`). */
export function seedGateway(db: Database, options: { force?: boolean } = {}): Promise<boolean> {
  return seedOnce(db.sql, HUB_DB_SCHEMA, seedHub, options);
}

/**
 * The access log as this gateway writes it: the writer that commits each request's decisions (counted,
 * failures logged without what they were to record) and how its chain is anchored outside the database.
 */
async function openAccessLog(
  db: Database,
  options: GatewayOptions,
  signingKey: GatewayKeys,
  stats: EnforcementStats,
): Promise<{ audit: AuditWriter; anchor: CheckpointOptions }> {
  const { config, logger } = options;
  const audit = observedAuditWriter(
    createAuditWriter(db.sql, {
      onCommit: (callers, entries) => {
        stats.auditCommits += 1;
        observeGroupCommit(callers, entries);
      },
      onFailure: (error) =>
        logger.error({ error: describeSafely(error) }, 'access log append failed: what it was to record is withheld'),
    }),
  );
  const signing = options.checkpoints ?? (await gatewayCheckpoints(signingKey));
  const anchor: CheckpointOptions = {
    signer: signing.signer,
    verifyKeys: signing.verifyKeys,
    unknownKeysHold: options.checkpoints !== undefined || !config.signing.generated,
    sink: rememberingSink(signing.sink ?? fileCheckpointSink(config.audit.checkpointFile), () =>
      logger.error(
        {},
        'access log checkpoint sink lost the newest checkpoint this gateway knew of; holding the chain against it',
      ),
    ),
  };
  return { audit, anchor };
}

interface EnforcementParts {
  readonly index: SchemaIndex;
  readonly db: Database;
  readonly basesCache: BasesCache;
  readonly audit: AuditWriter;
  readonly stats: EnforcementStats;
  readonly relocations: ReturnType<typeof createRelocations>;
}

/** Where each agency subgraph's fetches pass: the enforcement seam, or with authorization off (the bench's comparison only) none. */
function dataSourceOf(options: GatewayOptions, parts: EnforcementParts): FederatedGatewayOptions['dataSource'] {
  const { config, logger } = options;
  const { index, db, basesCache, audit, stats, relocations } = parts;
  return (name, url, fetcher) =>
    options.authorization === 'off'
      ? new UnenforcedDataSource({ url, fetcher, categories: [...index.categories.values()] })
      : new PolicyDataSource({
          url,
          domain: subgraphService(name).domain,
          index,
          sql: db.sql,
          basesCache,
          audit,
          stats,
          relocations,
          fetcher,
          logger,
          tellsWiringFaults: config.nodeEnv !== 'production',
        });
}

interface HandlerParts extends Omit<EnforcementParts, 'index'> {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly systemReads: ReturnType<typeof createSystemReads>;
  readonly anchor: CheckpointOptions;
  readonly logIds: ReturnType<typeof createLogIds>;
  readonly urls: Readonly<Record<SubgraphName, string>>;
  readonly systemPost: ReturnType<typeof createSystemPost>;
}

/** The HTTP side: the request's context (who is calling, its limits, the bases), the pages and the probes. */
function gatewayHandler(options: GatewayOptions, parts: HandlerParts) {
  const { config, logger } = options;
  const { db, apollo, basesCache, audit, stats, relocations, systemReads, anchor, logIds, urls, systemPost } = parts;
  const development = config.nodeEnv !== 'production';
  return createHttpHandler<GatewayContext>({
    apollo,
    maxBodyBytes: config.limits.maxBodyBytes,
    // The explorer's page is development's only: in production a browser's GET is refused as any GET.
    servesPage: development,
    challenge: 'Bearer realm="hub"',
    // A caller's own W3C traceparent is continued: its trace then shows the hub's part. Its tracestate and
    // baggage are not: they are text of the caller's, carried into every span of the hub's otherwise.
    trace: { name: 'gateway', parent: (req) => contextFromTraceparent(req.headersDistinct['traceparent']?.[0]) },
    context: createRequestContext({
      sql: db.sql,
      config,
      logger,
      authenticator: createAuthenticator(config.auth),
      rateLimiter: createRateLimiter({ perMinute: config.limits.rateLimitPerMinute, logger }),
      basesCache,
      audit,
      stats,
      relocations,
      systemReads,
      checkpoints: anchor,
      logIds,
      apollo: () => apollo,
    }),
    routes: uiRoutes({ distDir: options.uiDir ?? UI_DIST_DIR, auth: config.auth, development }),
    probes: {
      '/healthz': async () => ({ ok: true }),
      '/readyz': () => readiness(db.sql, urls, systemPost),
    },
  });
}

/** What startGateway assembles from the supergraph and its database before it listens. */
interface AssemblyParts {
  readonly supergraphSdl: string;
  readonly index: SchemaIndex;
  readonly db: Database;
  readonly stats: EnforcementStats;
}

/** The gateway assembled: its Apollo server behind the HTTP handler, the relocations, the access log's anchor. */
interface AssembledGateway {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly relocations: ReturnType<typeof createRelocations>;
  readonly anchor: CheckpointOptions;
  readonly handler: ReturnType<typeof gatewayHandler>;
}

/**
 * The schema migrated, the keys and the access log opened, the federated gateway built and its Apollo
 * server started behind the HTTP handler: everything startGateway serves, not yet listening.
 */
async function assembleGateway(options: GatewayOptions, parts: AssemblyParts): Promise<AssembledGateway> {
  const { config, logger } = options;
  const { supergraphSdl, index, db, stats } = parts;
  // The bases across requests, valid for one version of them at a time: replicas on one database each
  // keep their own, and each drops its own on the first request after any change (policy/bases-cache.ts).
  const basesCache = new BasesCache();
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, options.subgraphUrls?.[name] ?? config.subgraphs[name].url]),
  ) as Record<SubgraphName, string>;
  const applied = await prepareSchema(db.sql, HUB_DB_SCHEMA, HUB_MIGRATIONS_DIR, options.migrations ?? 'apply');
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const signingKey = await gatewayKeys(config.signing);
  const logIds = createLogIds(await loadLogIdKey(db.sql));
  const hubSchema = buildHubSchema();
  const { audit, anchor } = await openAccessLog(db, options, signingKey, stats);
  const systemPost = createSystemPost((subgraph) => createSigningFetcher(subgraph, signingKey, config.subgraphFetch));
  const relocations = createRelocations({
    sql: db.sql,
    logger,
    ...(options.relocationRetryMs === undefined ? {} : { retryMs: options.relocationRetryMs }),
    post: async (subgraph, body) => {
      const response = await systemPost(subgraph, new URL(RELOCATIONS_PATH, urls[subgraph]).href, body);
      const answer: unknown = await response.json().catch(() => null);
      return { status: response.status, answer };
    },
  });
  const gateway = federatedGateway({
    supergraphSdl,
    logger,
    hubSchema,
    urls,
    dataSource: dataSourceOf(options, { index, db, basesCache, audit, stats, relocations }),
    fetcherOf: (name) => observedFetcher(name, createSigningFetcher(name, signingKey, config.subgraphFetch)),
  });

  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => checkScalarsAtTheGateway(apiSchema));

  const systemReads = createSystemReads(
    loggedSystemSend((subgraph, body, categories) => systemPost(subgraph, urls[subgraph], body, categories), logger),
  );

  const apollo = await startApolloServer(gateway, {
    config,
    logger,
    categories: index.categories,
    keyFields: index.keyFields,
    audit,
  });

  const handler = gatewayHandler(options, {
    db,
    apollo,
    basesCache,
    audit,
    stats,
    relocations,
    systemReads,
    anchor,
    logIds,
    urls,
    systemPost,
  });
  return { apollo, relocations, anchor, handler };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  if (options.authorization === 'off' && config.nodeEnv === 'production') {
    throw new Error('authorization off is for benchmarks only, never in production');
  }
  if (!options.checkpoints?.sink) await requireCheckpointFile(config.audit.checkpointFile);
  const supergraphSdl = options.supergraphSdl ?? (await readSupergraph());
  const index = indexSupergraph(supergraphSdl);
  const stats = createEnforcementStats();

  const db = connect(options.databaseUrl, { name: 'hub-gateway', max: GATEWAY_POOL_SIZE });
  const forgetPool = observePool(db.sql, 'hub-gateway', GATEWAY_POOL_SIZE);
  let assembled: AssembledGateway | null = null;
  let checkpoints: RunningCheckpoints | null = null;
  let metricsServer: RunningMetrics | null = null;
  let http: RunningHttp | null = null;
  // Whatever of the gateway is running, stopped in order: on close, and when the start fails part way.
  const closeAll = async () => {
    await http?.close();
    await assembled?.apollo.stop();
    await assembled?.relocations.stop();
    // After the last request is answered, so the final checkpoint covers every entry this replica wrote.
    await checkpoints?.stop();
    await metricsServer?.close();
    forgetPool();
    await db.close();
  };
  try {
    assembled = await assembleGateway(options, { supergraphSdl, index, db, stats });
    const { relocations, anchor, handler } = assembled;
    // With authorization off nothing is logged, so there is nothing to anchor.
    checkpoints =
      options.authorization === 'off'
        ? null
        : await startCheckpoints(db.sql, anchor, {
            intervalSeconds: config.audit.checkpointIntervalSeconds,
            logger,
            sinkName: options.checkpoints?.sink ? 'the sink given to startGateway' : config.audit.checkpointFile,
          });
    const metricsPort = config.telemetry.metricsPort;
    metricsServer =
      metricsPort === undefined
        ? null
        : await listeningAs('the metrics endpoint', 'METRICS_PORT', metricsPort, () =>
            startMetricsServer(config.host, metricsPort),
          );
    const port = options.port ?? config.gateway.port;
    http = await listeningAs('the gateway', 'GATEWAY_PORT', port, () =>
      listen(handler, config.host, port, {
        onError: (error) => logger.error({ error: describeSafely(error) }, 'request failed: answered 500'),
      }),
    );
    // Moves a subgraph did not take (it was down), from before this start too, are told until it does.
    if (options.authorization !== 'off') relocations.start();
    const running = checkpoints;
    return {
      url: http.url,
      port: http.port,
      db,
      stats,
      categories: index.categories,
      metricsUrl: metricsServer?.url ?? null,
      checkpointAccessLog: async () => (running ? running.write() : null),
      close: once(closeAll),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
