// The subgraph bootstrap every agency service shares: build the federated schema from the
// subgraph's SDL and resolvers, migrate its database schema, and serve it (alone or in-process).

import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from './resolver-map.js';
import { parse, type DocumentNode } from 'graphql';
import type { Sql, TransactionSql } from 'postgres';
import { fieldCategories, SUBGRAPH_SDL_HEADER, type DataCategory } from './categories.js';
import { categoryGuardPlugin } from './category-guard.js';
import { connect, type Database } from './database.js';
import { documentCache } from './document-cache.js';
import { describeCause, describeSafely, ERRORS, isUnreachable, maskErrors } from './errors.js';
import { createHttpHandler, listen, type RunningHttp } from './http.js';
import type { Logger } from './logger.js';
import { prepareSchema, type MigrationMode } from './migrate.js';
import { DASHBOARD_SDL } from './dashboards.js';
import { DateScalar, DateTimeScalar, SCALAR_SDL } from './scalars.js';
import { listeningAs } from './startup.js';
import {
  envPrefix,
  SUBGRAPH_POOL_SIZE,
  SUBGRAPH_SIGNATURE_POOL_SIZE,
  subgraphService,
  type SubgraphName,
  type SubgraphService,
} from './services.js';
import {
  createSharedReplayGuard,
  SUBGRAPH_PLATFORM_MIGRATIONS_DIR,
  SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX,
  type SharedReplayGuard,
} from './replay.js';
import { relocationRoute, type Relocate } from './relocation.js';
import {
  SIGNATURE_CHALLENGE,
  SIGNATURE_HEADER,
  signatureKeys,
  verifySubgraphRequest,
  type SignedCaller,
} from './signing.js';
import { contextFromTraceparent, inSpan } from './tracing.js';
import { observePool } from './metrics.js';
import type { JSONWebKeySet } from 'jose';

/** The agency and staff member on whose behalf the gateway calls. */
export interface Caller {
  readonly agencyId: string;
  readonly staffId: string;
  /** The municipalities the agency serves: a dashboard counts only their persons' records. */
  readonly jurisdiction: readonly string[];
  /**
   * The municipalities whose persons' records in this subgraph the caller reads as its own domain's
   * (CONTRACT.md rule 1): its jurisdiction when it is an agency of this subgraph's domain, none otherwise.
   * What it reads there it can subtract from any count, so a count about persons is judged without them.
   */
  readonly ownDomainIn: readonly string[];
  /** Where each person the request records for is registered (the hub's register), by person id. */
  readonly registeredIn: Readonly<Record<string, string>>;
  /** Until when the gateway waits for the answer (`requireTimeToCommit`), from its signature. */
  readonly deadline: SignedCaller['deadline'];
}

export interface SubgraphContext<TStore> {
  /** The subgraph's data access, with fresh loaders for this request. */
  readonly store: TStore;
  /** Who the gateway's verified signature says is calling; never taken from plain headers. */
  readonly caller: Caller | null;
  readonly requestId: string;
  /** The data categories the gateway allowed this request to read, from its signature. */
  readonly allowedCategories: ReadonlySet<DataCategory>;
}

export type Resolvers<TStore> = GraphQLResolverMap<SubgraphContext<TStore>>;

export interface SubgraphDefinition<TStore> {
  readonly name: SubgraphName;
  /** The domain SDL (schema.graphql); the category directive and scalars are added here. */
  readonly sdl: string;
  readonly resolvers: Resolvers<TStore>;
  /** Folder of NNN_name.sql files run into the subgraph's own PostgreSQL schema. */
  readonly migrationsDir: string;
  /** Per-request data access: its SQL and loaders; nothing else touches the subgraph's tables. */
  readonly createStore: (sql: Sql) => TStore;
  /** Loads the demo municipality's records of this domain; idempotent. */
  readonly seed: (sql: TransactionSql) => Promise<void>;
  /**
   * Re-counts a person's records where the register now has her (a DV transfer's move, relocation.ts):
   * for a subgraph whose records count in a municipality. Without it, a relocation moves nothing.
   */
  readonly relocate?: Relocate;
}

/** Reads a file that sits beside a module: `readBeside(import.meta.url, 'schema.graphql')`. */
export function readBeside(moduleUrl: string, file: string): string {
  return readFileSync(fileURLToPath(new URL(file, moduleUrl)), 'utf8');
}

export function pathBeside(moduleUrl: string, file: string): string {
  return fileURLToPath(new URL(file, moduleUrl));
}

export function defineSubgraph<TStore>(definition: SubgraphDefinition<TStore>): SubgraphDefinition<TStore> {
  return definition;
}

/** The full subgraph SDL as composed into the supergraph. */
export function subgraphTypeDefs(definition: SubgraphDefinition<unknown>): DocumentNode {
  return parse(`${SUBGRAPH_SDL_HEADER}\n${SCALAR_SDL}\n${DASHBOARD_SDL}\n${definition.sdl}`);
}

/** Root fields (Query, Mutation) each under a span of their own: what the subgraph was asked, by field name. */
function tracedRootResolvers<TStore>(resolvers: Resolvers<TStore>): Resolvers<TStore> {
  const traced: Resolvers<TStore> = { ...resolvers };
  for (const type of ['Query', 'Mutation']) {
    const fields = resolvers[type] as Record<string, unknown> | undefined;
    if (!fields) continue;
    traced[type] = Object.fromEntries(
      Object.entries(fields).map(([field, resolve]) => {
        if (typeof resolve !== 'function') return [field, resolve];
        const attributes = { 'graphql.field.path': `${type}.${field}` };
        const wrapped = (...args: unknown[]) =>
          inSpan('graphql.resolve', attributes, async () => (resolve as (...a: unknown[]) => unknown)(...args));
        return [field, wrapped];
      }),
    ) as Resolvers<TStore>[string];
  }
  return traced;
}

export function buildSchema<TStore>(definition: SubgraphDefinition<TStore>) {
  return buildSubgraphSchema({
    typeDefs: subgraphTypeDefs(definition as SubgraphDefinition<unknown>),
    resolvers: {
      DateTime: DateTimeScalar,
      Date: DateScalar,
      ...tracedRootResolvers(definition.resolvers),
    } as GraphQLResolverMap<unknown>,
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface RunningSubgraph {
  readonly service: SubgraphService;
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  close(): Promise<void>;
}

export interface StartSubgraphOptions {
  databaseUrl: string;
  /** `check` for a runtime role that may not run DDL (see serviceDatabase). @default 'apply' */
  migrations?: MigrationMode;
  host: string;
  port: number;
  logger: Logger;
  /** @default true */
  includeStacktrace?: boolean;
  /** Connections in this subgraph's pool. @default SUBGRAPH_POOL_SIZE (4) */
  poolSize?: number;
  /** The gateway's public keys (config.signing.verifyKeys); a signature under any of them is accepted. */
  verifyKeys: JSONWebKeySet;
  /** Sees the raw body of every POST the subgraph receives: tests prove what was never sent. */
  observe?: (body: string) => void;
}

/** Parsed operations a subgraph keeps (see document-cache.ts). */
const SUBGRAPH_DOCUMENTS = 200;

/**
 * Characters of operation text a subgraph keeps parsed: the gateway's fetches are a few hundred characters
 * each, so this holds them all; a client's one-off batch of a hundred mutations forwarded whole is longer
 * than any operation kept (MAX_CACHED_OPERATION_CHARS).
 */
export const SUBGRAPH_DOCUMENT_CHARS = 128 * 1024;

/** Migrates (or checks) the subgraph's schema and serves it; `close()` drains requests and ends the pool. */
export async function startSubgraph<TStore>(
  definition: SubgraphDefinition<TStore>,
  options: StartSubgraphOptions,
): Promise<RunningSubgraph> {
  const service = subgraphService(definition.name);
  const logger = options.logger.child({ subgraph: definition.name });
  const poolSize = options.poolSize ?? SUBGRAPH_POOL_SIZE;
  const db = connect(options.databaseUrl, { name: `hub-${definition.name}`, max: poolSize });
  // The signature check has its own two connections: it never waits behind the domain's queries, and
  // the domain's statement count stays the domain's.
  const signatures = connect(options.databaseUrl, {
    name: `hub-${definition.name}-signatures`,
    max: SUBGRAPH_SIGNATURE_POOL_SIZE,
  });
  const forgetPool = observePool(db.sql, `hub-${definition.name}`, poolSize);
  let http: RunningHttp | undefined;
  let replay: SharedReplayGuard | undefined;
  try {
    const applied = [
      ...(await prepareSchema(db.sql, service.dbSchema, definition.migrationsDir, options.migrations ?? 'apply')),
      ...(await prepareSchema(
        db.sql,
        service.dbSchema,
        SUBGRAPH_PLATFORM_MIGRATIONS_DIR,
        options.migrations ?? 'apply',
        { prefix: SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX },
      )),
    ];
    if (applied.length) logger.info({ applied }, 'migrations applied');

    const apollo = await startSubgraphApollo(definition, options, logger);

    replay = createSharedReplayGuard(signatures.sql, service.dbSchema, { logger });
    const guard = replay;
    const handler = subgraphHandler(definition, options, { apollo, sql: db.sql, replay: guard, logger });
    http = await listeningAs(
      `the ${definition.name} subgraph`,
      `${envPrefix(definition.name)}_PORT`,
      options.port,
      () =>
        listen(handler, options.host, options.port, {
          onError: (error) => logger.error({ error: describeSafely(error) }, 'request failed: answered 500'),
        }),
    );
    const running = http;
    logger.debug({ url: running.url }, 'subgraph listening');
    return {
      service,
      url: running.url,
      port: running.port,
      db,
      close: once(async () => {
        await running.close();
        guard.stop();
        await apollo.stop();
        await signatures.close();
        forgetPool();
        await db.close();
      }),
    };
  } catch (error) {
    await http?.close(0);
    replay?.stop();
    await signatures.close();
    forgetPool();
    await db.close();
    throw error;
  }
}

/** The subgraph's Apollo Server, started: its schema, the category guard, and no trace, cache hints or stacks. */
async function startSubgraphApollo<TStore>(
  definition: SubgraphDefinition<TStore>,
  options: StartSubgraphOptions,
  logger: Logger,
): Promise<ApolloServer<SubgraphContext<TStore>>> {
  const apollo = new ApolloServer<SubgraphContext<TStore>>({
    schema: buildSchema(definition),
    // The process closes its services on SIGINT/SIGTERM itself (standalone.ts, scripts/start.ts).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.includeStacktrace ?? false,
    formatError: maskErrors(logger),
    csrfPrevention: true,
    // The gateway sends a subgraph few distinct operations (its plans' fetches, with variables).
    documentStore: documentCache(SUBGRAPH_DOCUMENTS, SUBGRAPH_DOCUMENT_CHARS),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints: the gateway answers every request Cache-Control: no-store.
      ApolloServerPluginCacheControlDisabled(),
      categoryGuardPlugin<SubgraphContext<TStore>>({
        fieldCategories: fieldCategories(subgraphTypeDefs(definition as SubgraphDefinition<unknown>)),
        allowedCategories: (context) => context.allowedCategories,
      }),
    ],
  });
  await apollo.start();
  return apollo;
}

/**
 * The subgraph's endpoint: only requests the gateway signed for it (checked over the raw body, each
 * signature once), each with the caller, its jurisdiction and the categories the gateway allowed, as its
 * context; the gateway's relocation route; and its probes.
 */
function subgraphHandler<TStore>(
  definition: SubgraphDefinition<TStore>,
  options: StartSubgraphOptions,
  parts: { apollo: ApolloServer<SubgraphContext<TStore>>; sql: Sql; replay: SharedReplayGuard; logger: Logger },
) {
  const service = subgraphService(definition.name);
  const keys = signatureKeys(options.verifyKeys);
  // A request refused here came around the gateway, or was changed or replayed on the way: each is logged
  // with its reason (SIGNATURE_MISSING, BODY_MISMATCH, REPLAYED, …), never its body.
  const refused = (reason: string) => parts.logger.warn({ reason }, 'request refused: gateway signature');
  const verify = (req: IncomingMessage, body: string) =>
    verifySubgraphRequest({
      subgraph: definition.name,
      keys,
      token: header(req, SIGNATURE_HEADER),
      body,
      replay: parts.replay,
    }).catch((error: unknown) => {
      // The replay guard's database out of reach is an outage, as a resolver's is (maskErrors), not a refusal:
      // nothing ran, and the gateway tells its client SERVICE_UNAVAILABLE for this subgraph.
      if (isUnreachable(error)) {
        parts.logger.warn(
          { error: describeCause(error) },
          "gateway signature not checked: the subgraph's database is unreachable",
        );
        throw ERRORS.SERVICE_UNAVAILABLE.err(ERRORS.SERVICE_UNAVAILABLE.description);
      }
      // A refusal only: the replay guard's database failing otherwise is no request around the gateway.
      const { code, reason } = (error as { extensions?: { code?: unknown; reason?: unknown } }).extensions ?? {};
      if (code === ERRORS.UNAUTHENTICATED.code) refused(typeof reason === 'string' ? reason : 'UNKNOWN');
      throw error;
    });
  // What a test watches (`observe`): every body the subgraph was sent, its relocations' too.
  const authenticate = (req: IncomingMessage, body: string) => {
    options.observe?.(body);
    return verify(req, body);
  };
  return createHttpHandler<SubgraphContext<TStore>, SignedCaller>({
    apollo: parts.apollo,
    authenticate,
    credentialHeader: SIGNATURE_HEADER,
    onUnauthenticated: refused,
    challenge: SIGNATURE_CHALLENGE,
    routes: relocationRoute({ verify: authenticate, sql: parts.sql, relocate: definition.relocate }),
    // The gateway's trace continues here only through its signature: a plain traceparent header is ignored.
    trace: {
      name: `subgraph ${definition.name}`,
      attributes: { 'hub.subgraph': definition.name },
      parent: (_req, signed) => contextFromTraceparent(signed.traceparent),
    },
    context: async (_req, signed) => ({
      store: definition.createStore(parts.sql),
      caller: {
        agencyId: signed.agencyId,
        staffId: signed.staffId,
        jurisdiction: signed.jurisdiction,
        ownDomainIn: signed.domain === service.domain ? signed.jurisdiction : [],
        registeredIn: signed.registeredIn,
        deadline: signed.deadline,
      },
      requestId: signed.requestId,
      allowedCategories: new Set(signed.categories),
    }),
    probes: {
      '/healthz': async () => ({ ok: true }),
      '/readyz': async () => {
        await parts.sql`select 1`;
        return { ok: true };
      },
    },
  });
}

/** A close function that does its work on the first call and returns the same promise after. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}

const SEED_MARK = 'seed:demo';

/**
 * Runs a schema's demo seed once per database, in one transaction, and marks it done in the schema's
 * seed_runs table (`force` re-runs the idempotent seed). Returns whether it ran. (Seeds were marked in
 * schema_migrations, which the runtime roles may no longer write; the migration making seed_runs copied those.)
 */
export async function seedOnce(
  sql: Sql,
  dbSchema: string,
  seed: (tx: TransactionSql) => Promise<void>,
  options: { force?: boolean } = {},
): Promise<boolean> {
  const [done] = await sql`select 1 from ${sql(dbSchema)}.seed_runs where name = ${SEED_MARK}`;
  if (done && !options.force) return false;
  await sql.begin(async (tx) => {
    await seed(tx);
    await tx`insert into ${tx(dbSchema)}.seed_runs (name) values (${SEED_MARK}) on conflict do nothing`;
  });
  return true;
}

export function seedSubgraph<TStore>(
  definition: SubgraphDefinition<TStore>,
  sql: Sql,
  options: { force?: boolean } = {},
): Promise<boolean> {
  return seedOnce(sql, subgraphService(definition.name).dbSchema, definition.seed, options);
}

/**
 * The municipality a record made now for `personId` counts in: where the hub's register has the person,
 * as the gateway signed it; null for a person the register does not know (counted in no dashboard).
 */
export function registeredMunicipality(caller: Caller, personId: string): string | null {
  return caller.registeredIn[personId.toLowerCase()] ?? null;
}

/** The caller of a mutation; a request the gateway did not attribute to an agency is refused. */
export function requireCaller(context: SubgraphContext<unknown>): Caller {
  if (!context.caller) throw ERRORS.UNAUTHENTICATED.err('This operation needs a calling agency');
  return context.caller;
}
