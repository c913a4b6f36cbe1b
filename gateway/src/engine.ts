// The hub's gateway engine for any supergraph, with authorization off: kept-alive subgraph connections,
// deduplicated `_entities` representations and a sized query-plan cache. The benchmark serves foreign
// supergraphs with it to compare the engine with other gateways; the hub itself runs server.ts.

import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { createHttpHandler, listen, once, type Logger } from '@hub/platform';
import { deduplicateRepresentations, expandEntities } from './enforce/dedup.js';
import { createHttpFetcher, type Fetcher } from './enforce/http-fetcher.js';

/** Query plans kept, in MiB of the gateway's plan cache; plans are reused across requests. */
export const QUERY_PLAN_STORE_MIB = 64;

/** The context a data source is given: any object (RemoteGraphQLDataSource's own constraint). */
type DataSourceContext = Parameters<RemoteGraphQLDataSource['process']>[0]['context'];

/** A subgraph data source that sends each distinct `_entities` representation once. */
export class DeduplicatingDataSource<
  TContext extends DataSourceContext = DataSourceContext,
> extends RemoteGraphQLDataSource<TContext> {
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

export interface EngineOptions {
  supergraphSdl: string;
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
  close(): Promise<void>;
}

/** Builds the engine's ApolloGateway: one kept-alive transport shared by every subgraph. */
export function createEngineGateway(options: Pick<EngineOptions, 'supergraphSdl' | 'subgraphUrls' | 'logger'>) {
  const fetcher: Fetcher = createHttpFetcher();
  return new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    ...(options.logger ? { logger: options.logger } : {}),
    experimental_approximateQueryPlanStoreMiB: QUERY_PLAN_STORE_MIB,
    buildService: ({ name, url }) =>
      new DeduplicatingDataSource({ url: options.subgraphUrls?.[name] ?? url ?? '', fetcher }),
  });
}

/** Serves a supergraph through the engine on POST /graphql, with no authentication and no authorization. */
export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const apollo = new ApolloServer<BaseContext>({
    gateway: createEngineGateway(options),
    introspection: false,
    csrfPrevention: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const http = await listen(
    createHttpHandler<BaseContext>({ apollo, context: async () => ({}) }),
    options.host ?? '127.0.0.1',
    options.port ?? 0,
  );
  return {
    url: http.url,
    close: once(async () => {
      await http.close();
      await apollo.stop();
    }),
  };
}
