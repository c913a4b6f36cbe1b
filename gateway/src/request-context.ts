// One request's context, made before anything is planned or read: who is calling (the token, checked
// against the register), whether its agency may call now (the rate limit), the purpose it states, and the
// decision and access log every fetch and resolver of the request then shares (GatewayContext).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { describeCause, ERRORS, isUnreachable, type HubConfig, type Logger, type Sql } from '@hub/platform';
import type { CheckpointAnchor } from './audit/checkpoint.js';
import type { AuditWriter } from './audit/log.js';
import type { Authenticator } from './auth/authenticate.js';
import type { GatewayContext } from './context.js';
import { createPolicyPort, type EnforcementStats } from './enforce/policy-port.js';
import { createHubStore } from './hub/index.js';
import type { LogIds } from './hub/log-ids.js';
import type { Relocations } from './hub/relocations.js';
import type { SystemReads } from './hub/system-reads.js';
import type { RateLimiter } from './limits/rate-limit.js';
import type { BasesCache } from './policy/bases-cache.js';
import { requestPurpose } from './purpose.js';

export interface RequestContextOptions {
  readonly sql: Sql;
  readonly config: HubConfig;
  readonly logger: Logger;
  readonly authenticator: Authenticator;
  readonly rateLimiter: RateLimiter;
  /** The gateway's one cache of the bases and one access-log writer, shared by every request. */
  readonly basesCache: BasesCache;
  readonly audit: AuditWriter;
  readonly stats: EnforcementStats;
  readonly relocations: Relocations;
  readonly systemReads: SystemReads;
  /** The access log's checkpoints and the key that seals its ids, for the hub's own records. */
  readonly checkpoints: CheckpointAnchor;
  readonly logIds: LogIds;
  /** The server the request's own follow-up operations run through (GatewayContext.execute). */
  readonly apollo: () => ApolloServer<GatewayContext>;
}

/**
 * A request header as one value: several of one name are joined as HTTP joins them (RFC 9110 §5.3), so two
 * Authorization headers make one value that is no bearer token (401), never the first one taken alone, which
 * a proxy reading the other would not have authenticated.
 */
function header(req: IncomingMessage, name: string): string | undefined {
  return req.headersDistinct[name]?.join(', ');
}

/** Makes each request's context; a refused request (401, 429, 503) throws before anything is read for it. */
export function createRequestContext(options: RequestContextOptions) {
  const { sql, config, logger, authenticator, rateLimiter } = options;
  return async (req: IncomingMessage, _auth: unknown, { operations }: { readonly operations: number }) => {
    const hub = createHubStore(sql, {
      emergencyTtlMinutes: config.policy.emergencyTtlMinutes,
      checkpoints: options.checkpoints,
      logIds: options.logIds,
      logger,
    });
    let basesVersion: bigint | undefined;
    const callerAgency = async (id: string) => {
      const seen = await hub.callerAgency(id);
      basesVersion = seen.basesVersion;
      return seen.agency;
    };
    const caller = await authenticator
      .authenticate(header(req, 'authorization'), callerAgency)
      .catch((error: unknown) => {
        // The first read of a request is the caller's agency: a database down answers 503 here, not 500.
        if (!isUnreachable(error)) {
          const { reason, code } = (error as { extensions?: { reason?: unknown; code?: unknown } }).extensions ?? {};
          if (code === ERRORS.SERVICE_UNAVAILABLE.code) {
            logger.warn({ reason }, "identity provider's signing keys unreachable");
          } else {
            logger.info(
              { reason: typeof reason === 'string' ? reason : 'UNKNOWN' },
              'request refused: unauthenticated',
            );
          }
          throw error;
        }
        logger.warn({ error: describeCause(error) }, 'hub database unreachable');
        throw ERRORS.SERVICE_UNAVAILABLE.err('The hub database is not reachable; try again shortly.');
      });
    // Before anything is planned or read: a refused request reads nothing and logs nothing as read.
    const agency = await hub.agency.load(caller.agencyId);
    // Each operation of a batch counts: a batch of hundreds is not one request's worth of work.
    rateLimiter.enforce(
      caller.agencyId,
      agency?.rateLimitPerMinute ?? null,
      config.limits.allowBatchedRequests ? operations : 1,
    );
    const purpose = requestPurpose(req.headersDistinct['x-hub-purpose']);
    const requestId = randomUUID();
    const context: GatewayContext = {
      caller,
      hub,
      requestId,
      purpose,
      ...(basesVersion === undefined ? {} : { basesVersion }),
      systemReads: options.systemReads,
      // `this`: the request's context as the resolvers have it (Apollo Server hands them a copy), so the
      // hub's records share the request's bases and recorded decisions with the subgraphs' fetches.
      policyFor(operationName) {
        return createPolicyPort(
          { sql, cache: options.basesCache },
          options.audit,
          { caller, requestId, purpose, basesVersion, operationName: () => operationName, request: this },
          options.stats,
          options.relocations,
          options.systemReads,
        );
      },
      execute: async (query, variables) => {
        const response = await options.apollo().executeOperation({ query, variables }, { contextValue: context });
        if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by the hub');
        return response.body.singleResult as never;
      },
    };
    return context;
  };
}
