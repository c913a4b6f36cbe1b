// The hub's gateway engine for any supergraph, with authorization off: kept-alive subgraph connections,
// deduplicated `_entities` representations, identical reads in flight sent once, the supergraph's names
// kept one-byte (plan/one-byte-names.ts) and a sized query-plan cache. The benchmark serves foreign
// supergraphs with it to compare the engine with other gateways; the hub itself runs server.ts.

import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GatewayConfig,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { Pool } from 'undici';
import { Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { createHttpHandler, listen, once, type Logger } from '@hub/platform';
import { deduplicateRepresentations, expandEntities } from './enforce/dedup.js';
import { createHttpFetcher, type Fetcher } from './enforce/http-fetcher.js';
import {
  executeLeveled,
  leveled,
  type DirectRequest,
  type DirectSend,
  type ExecutionCounts,
  type PreparedOperation,
} from './plan/execute.js';
import { unsupported } from './plan/levels.js';

/** Whether a planned fetch only reads (the engine shares such fetches in flight). */
export { readsOnly, type PlannedFetch } from './plan/levels.js';
import { holdNamesOneByte } from './plan/one-byte-names.js';
import { rootFragmentsWrittenOut } from './plan/root-fragments.js';
import { createShaper, unshapeable } from './plan/shape.js';

/** A subgraph's answer: its status and its whole body. */
export interface DirectAnswer {
  status: number;
  text: string;
}

/**
 * Posts a body to a URL and reads the whole answer. With `share`, for a request that only reads, an
 * identical one (same URL, same body) already in flight answers it too.
 */
export type DirectPost = (url: string, body: string, options?: { share?: boolean }) => Promise<DirectAnswer>;

/**
 * The direct path's transport: undici's connection pools (Node's own HTTP/1.1 client, as a library),
 * one per subgraph, which cost less CPU per call than node:http's ClientRequest. Reads that are in flight
 * are shared: concurrent identical queries (the same operation asked by many clients at once, or the same
 * entities asked for at the same level) cost the subgraph one call, not one each. Only what is in flight
 * is shared; nothing is kept once answered, and each caller parses the answer's text into its own objects.
 */
export function createDirectPost(connections = 64): { post: DirectPost; close(): Promise<void> } {
  const pools = new Map<string, { pool: Pool; path: string }>();
  const inFlight = new Map<string, Promise<DirectAnswer>>();
  const send = async (url: string, body: string): Promise<DirectAnswer> => {
    let target = pools.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { pool: new Pool(parsed.origin, { connections }), path: `${parsed.pathname}${parsed.search}` };
      pools.set(url, target);
    }
    const response = await target.pool.request({
      path: target.path,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.statusCode, text: await response.body.text() };
  };
  return {
    post: (url, body, options) => {
      if (!options?.share) return send(url, body);
      const key = `${url}\n${body}`;
      let answer = inFlight.get(key);
      if (!answer) {
        answer = send(url, body).finally(() => inFlight.delete(key));
        inFlight.set(key, answer);
      }
      return answer;
    },
    close: async () => {
      await Promise.all([...pools.values()].map(({ pool }) => pool.close()));
      pools.clear();
    },
  };
}

/**
 * Query plans kept, in MiB of the gateway's plan cache (as Apollo estimates them); plans are reused across
 * requests. 16 holds hundreds of plans; 64 let a bench's large one-off mutations hold a gateway's memory.
 */
export const QUERY_PLAN_STORE_MIB = 16;

/** The context a data source is given: any object (RemoteGraphQLDataSource's own constraint). */
type DataSourceContext = Parameters<RemoteGraphQLDataSource['process']>[0]['context'];

/** A subgraph data source that sends each distinct `_entities` representation once. */
export class DeduplicatingDataSource<TContext extends DataSourceContext = DataSourceContext>
  extends RemoteGraphQLDataSource<TContext>
  implements DirectSend
{
  /**
   * The leveled executor's path (it deduplicates itself): the operation posted as it is, with none of
   * the data source's per-request hooks, which this data source does not use.
   */
  async sendDirect(request: DirectRequest): Promise<GatewayGraphQLResponse> {
    const { readOnly, ...operation } = request;
    const body = JSON.stringify(operation);
    if (this.post) {
      const { status, text } = await this.post(this.url!, body, { share: readOnly });
      if (status < 200 || status >= 300) throw new Error(`the subgraph answered ${status}`);
      return JSON.parse(text) as GatewayGraphQLResponse;
    }
    const response = await this.fetcher(this.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (!response.ok) throw new Error(`${response.status}: ${response.statusText}`);
    return (await response.json()) as GatewayGraphQLResponse;
  }

  /** The direct path's transport; without one it goes through the data source's fetcher. */
  post: DirectPost | undefined;

  override async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const representations = options.request.variables?.['representations'];
    const dedup = Array.isArray(representations) ? deduplicateRepresentations(representations) : null;
    if (!dedup) return super.process(options);
    const response = await super.process({
      ...options,
      request: { ...options.request, variables: { ...options.request.variables, representations: dedup.unique } },
    });
    return expandEntities(response, dedup, (representations as unknown[]).length);
  }
}

/** Operations whose plan and shaper are kept, before the cache starts over. */
const PREPARED_OPERATIONS = 1_000;

/** What the leveled executor needs of the current supergraph. */
interface Planning {
  readonly supergraph: Supergraph;
  readonly planner: QueryPlanner;
  readonly apiSchema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  /** By operation text and name; null for an operation the stock executor runs. */
  readonly prepared: Map<string, PreparedOperation | null>;
}

/**
 * @apollo/gateway with the engine's plan executor: the same supergraph handling, query planner (Apollo's,
 * fed the same supergraph) and Apollo Server integration, but each plan run level by level with one
 * request per subgraph per level (plan/). `executor: 'stock'` keeps @apollo/gateway's own executor.
 */
class EngineGateway extends ApolloGateway {
  /** Subgraph requests, plan fetches and representations the leveled executor sent, since start. */
  readonly counts: ExecutionCounts = { requests: 0, fetches: 0, representations: 0 };
  private readonly services: ReadonlyMap<string, GraphQLDataSource>;
  private planning: Planning | null = null;

  constructor(config: GatewayConfig & { executor?: 'leveled' | 'stock' }) {
    const { executor = 'leveled', ...gatewayConfig } = config;
    const services = new Map<string, GraphQLDataSource>();
    const buildService = gatewayConfig.buildService;
    super({
      ...gatewayConfig,
      ...(buildService
        ? {
            buildService: (definition) => {
              const service = buildService(definition);
              services.set(definition.name, service);
              return service;
            },
          }
        : {}),
    } as GatewayConfig);
    this.services = services;
    if (executor === 'stock') return;
    this.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      const supergraph = Supergraph.build(coreSupergraphSdl);
      this.planning = {
        supergraph,
        planner: new QueryPlanner(supergraph),
        apiSchema,
        supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
        prepared: new Map(),
      };
    });
    const stock = this.executor;
    this.executor = async (requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> => {
      const planning = this.planning;
      const prepared = planning ? this.prepare(planning, requestContext) : null;
      if (!planning || !prepared) return stock(requestContext);
      return executeLeveled(prepared, this.services, requestContext, planning.supergraphSchema, this.counts);
    };
  }

  private readonly stopHooks: (() => Promise<void>)[] = [];

  /** Runs when the gateway stops (Apollo Server's stop), after @apollo/gateway's own stop. */
  onStop(hook: () => Promise<void>): void {
    this.stopHooks.push(hook);
  }

  override async stop(): Promise<void> {
    await super.stop();
    for (const hook of this.stopHooks) await hook();
  }

  private prepare(planning: Planning, requestContext: GatewayGraphQLRequestContext): PreparedOperation | null {
    const name = requestContext.request.operationName ?? null;
    const key = `${name ?? ''}\u0000${requestContext.queryHash}`;
    const known = planning.prepared.get(key);
    if (known !== undefined) return known;
    const document = requestContext.document;
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = name ? operations.find((o) => o.name?.value === name) : operations[0];
    const fragments = document.definitions.filter(
      (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
    );
    let prepared: PreparedOperation | null = null;
    if (operation && operation.operation !== 'subscription' && !unshapeable(operation, fragments)) {
      const plan = planning.planner.buildQueryPlan(
        operationFromDocument(
          planning.supergraph.apiSchema(),
          rootFragmentsWrittenOut(document, operation).document,
          name ? { operationName: name } : {},
        ),
      );
      if (!unsupported(plan)) {
        prepared = { leveled: leveled(plan), shape: createShaper(planning.apiSchema, operation, fragments) };
      }
    }
    if (planning.prepared.size >= PREPARED_OPERATIONS) planning.prepared.clear();
    planning.prepared.set(key, prepared);
    return prepared;
  }
}

export interface EngineOptions {
  supergraphSdl: string;
  /** `stock` runs plans with @apollo/gateway's own executor, for comparison. @default 'leveled' */
  executor?: 'leveled' | 'stock';
  /** Where each subgraph of the supergraph listens, by its name there. @default the supergraph's URLs */
  subgraphUrls?: Record<string, string>;
  logger?: Logger;
  /** @default 127.0.0.1 */
  host?: string;
  /** @default 0 (an ephemeral port) */
  port?: number;
}

export interface RunningEngine {
  readonly url: string;
  /** What the leveled executor sent to subgraphs, since start. */
  readonly counts: Readonly<ExecutionCounts>;
  close(): Promise<void>;
}

/** Builds the engine's ApolloGateway: one kept-alive transport shared by every subgraph. */
function createEngineGateway(
  options: Pick<EngineOptions, 'supergraphSdl' | 'subgraphUrls' | 'logger' | 'executor'>,
): EngineGateway {
  holdNamesOneByte(options.supergraphSdl);
  const fetcher: Fetcher = createHttpFetcher();
  const direct = createDirectPost();
  const gateway = new EngineGateway({
    ...(options.executor ? { executor: options.executor } : {}),
    supergraphSdl: options.supergraphSdl,
    ...(options.logger ? { logger: options.logger } : {}),
    experimental_approximateQueryPlanStoreMiB: QUERY_PLAN_STORE_MIB,
    buildService: ({ name, url }) => {
      const service = new DeduplicatingDataSource({ url: options.subgraphUrls?.[name] ?? url ?? '', fetcher });
      service.post = direct.post;
      return service;
    },
  });
  gateway.onStop(direct.close);
  return gateway;
}

/** Serves a supergraph through the engine on POST /graphql, with no authentication and no authorization. */
export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const gateway = createEngineGateway(options);
  const apollo = new ApolloServer<BaseContext>({
    gateway,
    stopOnTerminationSignals: false,
    introspection: false,
    csrfPrevention: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  const http = await listen(
    createHttpHandler<BaseContext>({ apollo, context: async () => ({}) }),
    options.host ?? '127.0.0.1',
    options.port ?? 0,
  );
  return {
    url: http.url,
    counts: gateway.counts,
    close: once(async () => {
      await http.close();
      await apollo.stop();
    }),
  };
}
