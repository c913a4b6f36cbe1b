// A stand-in subgraph: a department's own schema and resolvers served the way the hub's subgraphs are
// (the @category directive and scalars added to its SDL, the gateway's signature verified against the
// hub's public keys, single use of each signature, the category guard, errors masked), without a
// database. A department starts one in its tests in place of its real system, or of a system it
// depends on; options exist to break it on purpose, as the conformance check's own tests do.

import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { JSONWebKeySet } from 'jose';
import { SUBGRAPH_DEFINITIONS } from '@hub/all-in-one';
import {
  categoryGuardPlugin,
  createHttpHandler,
  createLogger,
  DASHBOARD_SDL,
  DateScalar,
  DateTimeScalar,
  fieldCategories,
  listen,
  maskErrors,
  SCALAR_SDL,
  SIGNATURE_HEADER,
  signatureKeys,
  SUBGRAPH_SDL_HEADER,
  verifySubgraphRequest,
  type DataCategory,
  type GraphQLResolverMap,
  type ReplayGuard,
  type SignedCaller,
  type SubgraphName,
} from '@hub/platform';
import { requireSubgraphName } from './subgraph-names.js';

/**
 * The schema the hub defines for a subgraph (its `schema.graphql`): what a department's system serves in that
 * subgraph's place, every field of it, since the gateway plans by the hub's supergraph (the conformance
 * check's `hub-schema`). A stand-in's `typeDefs`, with resolvers for the fields a test reads.
 */
export function hubSubgraphSdl(name: SubgraphName): string {
  return SUBGRAPH_DEFINITIONS[requireSubgraphName(name, 'hubSubgraphSdl(name)')].sdl;
}

/**
 * The whole SDL a system serves in a subgraph's place when it is not a stand-in: `hubSubgraphSdl(name)` with
 * what a stand-in adds to it (the `@link` of the category directive and its `@composeDirective`, `DataCategory`,
 * the `Date` and `DateTime` scalars, the dashboards' types), so that `buildSubgraphSchema` builds it alone.
 */
export function hubSubgraphServedSdl(name: SubgraphName): string {
  return servedSdl(hubSubgraphSdl(name));
}

const servedSdl = (typeDefs: string) => `${SUBGRAPH_SDL_HEADER}\n${SCALAR_SDL}\n${DASHBOARD_SDL}\n${typeDefs}`;

/** What a stand-in's resolvers are given: who the gateway's verified signature says is calling. */
export interface StandInContext {
  readonly caller: SignedCaller;
  readonly allowedCategories: ReadonlySet<DataCategory>;
}

export interface StandInOptions {
  /** The subgraph it stands in for: the audience the gateway's signatures name. */
  name: SubgraphName;
  /** The domain SDL, as a project subgraph's schema.graphql: `@category`, `DataCategory`, `Date`, `DateTime` are added. */
  typeDefs: string;
  resolvers: GraphQLResolverMap<StandInContext>;
  /** The gateway's public keys (`hub.config.signing.verifyKeys`, or `testSigningKeys().verifyKeys`). */
  verifyKeys: JSONWebKeySet;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /**
   * How a request is checked instead of the gateway's signature (a deliberately broken stand-in);
   * `verify` is the proper check.
   */
  authenticate?: (
    req: IncomingMessage,
    body: string,
    verify: (req: IncomingMessage, body: string) => Promise<SignedCaller>,
  ) => Promise<SignedCaller>;
  /** Refuse operations selecting a category the signature does not list. @default true */
  categoryGuard?: boolean;
  /** Mask unexpected errors as the hub's subgraphs do. @default true */
  maskErrors?: boolean;
  plugins?: ApolloServerPlugin<StandInContext>[];
}

export interface StandInSubgraph {
  readonly url: string;
  /** The callers whose signed requests it answered, in order. */
  readonly callers: readonly SignedCaller[];
  close(): Promise<void>;
}

/** Each signature once, remembered in memory for its lifetime. */
function memoryReplayGuard(): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    async remember(jti, expiresAt) {
      const now = Date.now();
      for (const [id, until] of seen) if (until < now) seen.delete(id);
      if (seen.has(jti)) return false;
      seen.set(jti, expiresAt);
      return true;
    },
  };
}

export async function startStandInSubgraph(options: StandInOptions): Promise<StandInSubgraph> {
  requireSubgraphName(options.name, 'startStandInSubgraph({ name })');
  const logger = createLogger(`stand-in-${options.name}`, 'silent');
  const typeDefs = parse(servedSdl(options.typeDefs));
  const masked = options.maskErrors ?? true;
  const apollo = new ApolloServer<StandInContext>({
    schema: buildSubgraphSchema({
      typeDefs,
      resolvers: { DateTime: DateTimeScalar, Date: DateScalar, ...options.resolvers } as GraphQLResolverMap<unknown>,
    }),
    includeStacktraceInErrorResponses: !masked,
    ...(masked ? { formatError: maskErrors(logger) } : {}),
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ...((options.categoryGuard ?? true)
        ? [
            categoryGuardPlugin<StandInContext>({
              fieldCategories: fieldCategories(typeDefs),
              allowedCategories: (context) => context.allowedCategories,
            }),
          ]
        : []),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  const keys = signatureKeys(options.verifyKeys);
  const replay = memoryReplayGuard();
  const verify = (req: IncomingMessage, body: string) => {
    const header = req.headers[SIGNATURE_HEADER];
    return verifySubgraphRequest({
      subgraph: options.name,
      keys,
      token: Array.isArray(header) ? header[0] : header,
      body,
      replay,
    });
  };
  const callers: SignedCaller[] = [];
  const handler = createHttpHandler<StandInContext, SignedCaller>({
    apollo,
    authenticate: async (req, body) => {
      const caller = await (options.authenticate ? options.authenticate(req, body, verify) : verify(req, body));
      callers.push(caller);
      return caller;
    },
    context: async (_req, caller) => ({ caller, allowedCategories: new Set(caller.categories) }),
    probes: { '/healthz': async () => ({ ok: true }), '/readyz': async () => ({ ok: true }) },
  });
  let http;
  try {
    http = await listen(handler, options.host ?? '127.0.0.1', options.port ?? 0);
  } catch (error) {
    await apollo.stop();
    if ((error as { code?: unknown }).code === 'EADDRINUSE')
      throw new Error(
        `startStandInSubgraph({ port: ${options.port} }): the port is in use; pass another, or none (a free one is picked)`,
        { cause: error },
      );
    throw error;
  }
  const running = http;
  return {
    url: running.url,
    callers,
    close: async () => {
      await running.close();
      await apollo.stop();
    },
  };
}
