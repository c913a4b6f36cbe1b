// The federated gateway and Apollo Server over it: @apollo/gateway's query planner over the supergraph, each
// agency subgraph's fetches through the data source server.ts gives it (the enforcement seam) and the hub's
// own records answered in-process, and the plugins every operation passes through.

import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { explorerLandingPage } from '@hub/explorer';
import type { GraphQLSchema } from 'graphql';
import { documentCache, maskErrors, type HubConfig, type Logger, type SubgraphName } from '@hub/platform';
import type { AuditWriter } from './audit/log.js';
import type { GatewayContext } from './context.js';
import { QUERY_PLAN_STORE_MIB } from './engine.js';
import { aggregatesOnlyPlugin } from './enforce/aggregates-only.js';
import { HubRecordsDataSource } from './enforce/hub-records.js';
import { logBeforeAnswerPlugin } from './enforce/log-before-answer.js';
import { oneErrorPerDenialPlugin } from './enforce/one-error-per-denial.js';
import type { SchemaIndex } from './enforce/schema-index.js';
import type { Fetcher } from './enforce/signing-fetcher.js';
import { HUB_SUBGRAPH_NAME, PARTICIPATION_OPERATIONS, RELATIONSHIP_PROBES } from './hub/index.js';
import { gatewayLimits } from './limits/index.js';
import { rootFragmentsWrittenOut } from './plan/root-fragments.js';
import { requestLogPlugin } from './request-log.js';
import { planCacheObserver, telemetryPlugin } from './telemetry.js';

/** Parsed operations the gateway keeps (see @hub/platform's document-cache.ts). */
const GATEWAY_DOCUMENTS = 500;

/**
 * Characters of operation text the gateway keeps parsed: 500 operations of 500 characters. A batch of a
 * hundred aliased mutations (60 KB of text, about 1 MB parsed) is longer than any operation kept
 * (MAX_CACHED_OPERATION_CHARS): it is parsed for its request and let go.
 */
const GATEWAY_DOCUMENT_CHARS = 256 * 1024;

export interface FederatedGatewayOptions {
  readonly supergraphSdl: string;
  readonly logger: Logger;
  /** The hub's own records, answered in the gateway's process. */
  readonly hubSchema: GraphQLSchema;
  readonly urls: Readonly<Record<SubgraphName, string>>;
  /** Where every fetch to an agency subgraph passes: the enforcement seam (or, for the bench only, none). */
  dataSource(name: SubgraphName, url: string, fetcher: Fetcher): GraphQLDataSource;
  /** How the requests to a subgraph are sent: signed for it by the gateway. */
  fetcherOf(name: SubgraphName): Fetcher;
}

/** @apollo/gateway over the supergraph: its query planner, each subgraph's fetches through `dataSource`. */
export function federatedGateway(options: FederatedGatewayOptions): ApolloGateway {
  // @apollo/gateway reports host data (OS, CPUs, memory, the cloud it runs in, probing metadata addresses)
  // to Apollo's servers unless told not to. The hub runs on closed municipal networks and sends nothing
  // anywhere it was not configured to: off unless the operator sets APOLLO_TELEMETRY_DISABLED itself.
  process.env['APOLLO_TELEMETRY_DISABLED'] ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger,
    experimental_approximateQueryPlanStoreMiB: QUERY_PLAN_STORE_MIB,
    experimental_didResolveQueryPlan: planCacheObserver(),
    buildService: ({ name }) => {
      if (name === HUB_SUBGRAPH_NAME) return new HubRecordsDataSource(options.hubSchema, options.logger);
      const url = options.urls[name as SubgraphName];
      if (!url) throw new Error(`no URL for subgraph ${name}`);
      return options.dataSource(name as SubgraphName, url, options.fetcherOf(name as SubgraphName));
    },
  });
  // A mutation is planned with its root fragments written out, so that its fields run in the document's
  // order (plan/root-fragments.ts). Set before Apollo Server loads the gateway, which takes its executor then.
  const planned = gateway.executor;
  gateway.executor = (requestContext) => {
    const { document, operation } = requestContext;
    const written = operation ? rootFragmentsWrittenOut(document, operation) : { document, operation };
    return planned(written.document === document ? requestContext : { ...requestContext, ...written });
  };
  return gateway;
}

export interface ServerParts {
  readonly config: HubConfig;
  readonly logger: Logger;
  /** Every field that holds personal data, with its category (the aggregates-only rule reads them). */
  readonly categories: SchemaIndex['categories'];
  /** The key fields of each entity several subgraphs resolve, which no caller's alias may take (limits/armor.ts). */
  readonly keyFields: SchemaIndex['keyFields'];
  readonly audit: AuditWriter;
}

/**
 * Apollo Server over the gateway, started, with what every operation passes through: the limits, the
 * dashboards' aggregates-only rule, one error per denial, and the access log committed before the answer.
 */
export async function startApolloServer(
  gateway: ApolloGateway,
  parts: ServerParts,
): Promise<ApolloServer<GatewayContext>> {
  const { config, logger, categories, keyFields, audit } = parts;
  const development = config.nodeEnv !== 'production';
  const { plugins: limitPlugins, ...limits } = await gatewayLimits<GatewayContext>(
    config.limits,
    [...Object.values(PARTICIPATION_OPERATIONS), ...Object.values(RELATIONSHIP_PROBES)],
    keyFields,
  );
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // The process's own SIGINT/SIGTERM handlers close the hub (the last checkpoint of the access log, the
    // pools); Apollo's would stop it and re-raise the signal, killing the process before that is done.
    stopOnTerminationSignals: false,
    introspection: development,
    // Validation errors say no more of the schema than introspection would: no "Did you mean" in production.
    hideSchemaDetailsFromClientErrors: !development,
    includeStacktraceInErrorResponses: false,
    formatError: maskErrors(logger, { hideSchemaDetails: !development }),
    csrfPrevention: true,
    documentStore: documentCache(GATEWAY_DOCUMENTS, GATEWAY_DOCUMENT_CHARS),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // Every answer is Cache-Control: no-store (packages/platform/src/http.ts): no field's cache hint is read.
      ApolloServerPluginCacheControlDisabled(),
      telemetryPlugin(),
      // GET /graphql from a browser: the offline explorer in development, nothing at all in production.
      development ? explorerLandingPage<GatewayContext>() : ApolloServerPluginLandingPageDisabled(),
      requestLogPlugin(logger),
      ...limitPlugins,
      aggregatesOnlyPlugin(categories),
      oneErrorPerDenialPlugin(),
      logBeforeAnswerPlugin(audit),
    ],
    ...limits,
  });
  await apollo.start();
  return apollo;
}
