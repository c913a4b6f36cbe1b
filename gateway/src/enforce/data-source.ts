// The seam where enforcement happens: every fetch the gateway's query plan sends to an agency subgraph
// passes through PolicyDataSource.process, which decides and rewrites it before anything is sent.

import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { describeSafely, ERRORS, isUnreachable, redactUrl, type Domain, type Logger, type Sql } from '@hub/platform';
import type { GraphQLFormattedError } from 'graphql';
import { isIncomingOperation, type IncomingOperationOptions } from '../apollo.js';
import type { AuditWriter } from '../audit/log.js';
import type { GatewayContext } from '../context.js';
import { enforceFetch, type FetchResponse, type SendRewritten } from './enforce.js';
import { SUBGRAPH_UNAVAILABLE } from './send.js';
import { ResponseTooLargeError } from './http-fetcher.js';
import type { BasesCache } from '../policy/bases-cache.js';
import type { Relocations } from '../hub/relocations.js';
import { inMutationOrder } from './mutation-order.js';
import { createPolicyPort, type EnforcementStats } from './policy-port.js';
import type { SchemaIndex } from './schema-index.js';
import { requestedOf } from './requested.js';
import { IDENTITY_HEADERS, setIdentityHeaders } from './signing-fetcher.js';

export interface PolicyDataSourceOptions {
  readonly url: string;
  readonly domain: Domain;
  readonly index: SchemaIndex;
  /** The hub database, where the bases and the access log are. */
  readonly sql: Sql;
  /** The gateway's one cache of the bases, shared by its data sources (policy/bases-cache.ts). */
  readonly basesCache: BasesCache;
  /** The gateway's one access-log writer, shared by its data sources so their writes commit together. */
  readonly audit: AuditWriter;
  readonly stats: EnforcementStats;
  /** Tells every subgraph of a DV transfer's move (hub/relocations.ts). */
  readonly relocations: Relocations;
  readonly fetcher?: RemoteGraphQLDataSource['fetcher'];
  /** Where an unreachable subgraph is logged, with the cause the client does not see. */
  readonly logger?: Logger;
  /**
   * Whether the client is told that a subgraph refused the gateway's signature or could not be reached at all
   * (outside production: the engineer wiring a subgraph, a department's test against the kit's hub, is the
   * one to mend it).
   */
  readonly tellsWiringFaults?: boolean;
}

/** A response's status and body, as RemoteGraphQLDataSource.errorFromResponse keeps them. */
interface FailedResponse {
  readonly status?: unknown;
  readonly body?: unknown;
}

/**
 * The subgraph response an error of RemoteGraphQLDataSource carries, if any. Read by shape, not by class:
 * the gateway package's GraphQLError may be another copy of graphql's than this module's (CJS and ESM).
 */
function failedResponse(error: unknown): FailedResponse {
  const extensions = error instanceof Error ? (error as { extensions?: { response?: unknown } }).extensions : undefined;
  const response = extensions?.response;
  return response && typeof response === 'object' ? response : {};
}

/**
 * A subgraph that refuses the request itself answers 400 with GraphQL errors, e.g. BAD_USER_INPUT for a
 * variable or literal its scalars reject (a Date that is no calendar date): those errors are its answer,
 * codes and all, as a 200's would be, not a failure of the subgraph to be masked as an internal error.
 */
function refusedRequest(error: unknown): FetchResponse | undefined {
  const { status, body } = failedResponse(error);
  if (status !== 400 || !isGraphQLResponse(body) || !body.errors) return undefined;
  return { data: null, errors: body.errors };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a body is a GraphQL response: `data` an object (or null beside errors), and `errors`, if any, a
 * list of errors each with a message. A web page, a health endpoint's `{"status":"ok"}`, `{}` or
 * `{"data":null}` alone is none: taken as one, its part would be answered null without a word.
 */
export function isGraphQLResponse(
  body: unknown,
): body is { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] } {
  if (!isObject(body)) return false;
  const { data, errors } = body;
  const errorsValid =
    errors === undefined ||
    (Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((e) => isObject(e) && typeof e['message'] === 'string'));
  if (!errorsValid) return false;
  return isObject(data) || ((data === null || data === undefined) && errors !== undefined);
}

/**
 * A subgraph's 200 that is no GraphQL response (a web page at a wrong path, JSON cut short). Its message
 * names no part of the body, which could hold anything: the stock error quotes it whole.
 */
class NotAGraphQLResponseError extends Error {
  constructor() {
    super('the subgraph answered something that is no GraphQL response');
  }
}

/** The reason of a SERVICE_UNAVAILABLE outside production when a subgraph refused the gateway's signature. */
export const SIGNATURE_REFUSED = 'SIGNATURE_REFUSED';

/** The reason, outside production, of a subgraph's part when the subgraph could not be reached or timed out. */
export const SUBGRAPH_UNREACHABLE = 'SUBGRAPH_UNREACHABLE';

/**
 * What kept a subgraph from answering: it refused the gateway's signature, could not be reached in time,
 * answered at its URL but not as a subgraph, or failed on its side (5xx, an answer too large).
 */
type SubgraphFault = 'REFUSED_SIGNATURE' | 'UNREACHED' | 'NOT_A_SUBGRAPH' | 'FAILED';

export class PolicyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly domain: Domain;
  private readonly index: SchemaIndex;
  private readonly sql: Sql;
  private readonly basesCache: BasesCache;
  private readonly audit: AuditWriter;
  private readonly stats: EnforcementStats;
  private readonly relocations: Relocations;
  private readonly logger: Logger | undefined;
  private readonly tellsWiringFaults: boolean;

  constructor(options: PolicyDataSourceOptions) {
    super({ url: options.url, ...(options.fetcher ? { fetcher: options.fetcher } : {}) });
    this.domain = options.domain;
    this.index = options.index;
    this.sql = options.sql;
    this.basesCache = options.basesCache;
    this.audit = options.audit;
    this.stats = options.stats;
    this.relocations = options.relocations;
    this.logger = options.logger;
    this.tellsWiringFaults = options.tellsWiringFaults ?? false;
  }

  /**
   * The stock body parser, but a 200 whose body is no GraphQL response (isGraphQLResponse) fails as NotAGraphQLResponseError
   * (the stock one throws an error quoting the body). Of a failed status the body is read as it can be:
   * the status is what tells the failure.
   */
  override async parseBody(
    ...args: Parameters<RemoteGraphQLDataSource<GatewayContext>['parseBody']>
  ): Promise<object | string> {
    const [response] = args;
    let body: unknown;
    try {
      body = await super.parseBody(...args);
    } catch {
      if (!response.ok) return '';
      throw new NotAGraphQLResponseError();
    }
    if (response.ok && !isGraphQLResponse(body)) throw new NotAGraphQLResponseError();
    return body as object | string;
  }

  /**
   * A subgraph that cannot answer (refused, timed out, 5xx) becomes one SERVICE_UNAVAILABLE error for
   * its part of the answer, so the rest is still served; the cause (address, status) stays in the log.
   * So does one that refuses the gateway's request (401/403: it does not accept the gateway's signature,
   * as when it holds the wrong verification keys): the caller's own token was fine, so it is not told
   * UNAUTHENTICATED, and the log says what to mend. So does a URL that answers, but not as a subgraph
   * (any other 4xx, as a wrong path's 404, or a 200 that is no GraphQL response): a subgraph's own
   * refusal of a request is a 400 with GraphQL errors, which refusedRequest takes as its answer.
   */
  private unavailable(error: unknown): FetchResponse | undefined {
    const answered = failedResponse(error).status;
    const status = typeof answered === 'number' ? answered : null;
    const fault = this.faultOf(error, status);
    if (!fault) return undefined;
    this.logger?.warn(
      {
        domain: this.domain,
        url: redactUrl(this.url),
        error: describeSafely(error),
        ...(status !== null ? { status } : {}),
      },
      fault === 'REFUSED_SIGNATURE'
        ? "subgraph refused the gateway's signature (check GATEWAY_VERIFY_KEYS)"
        : error instanceof ResponseTooLargeError
          ? `subgraph answered more than ${error.limit} bytes (MAX_SUBGRAPH_RESPONSE_BYTES); not read on`
          : 'subgraph unavailable',
    );
    return { data: null, errors: [this.unavailableError(fault, status)] };
  }

  /** Which fault of the subgraph's an error of a fetch is, or null for an error that is none of them. */
  private faultOf(error: unknown, status: number | null): SubgraphFault | null {
    if (status === 401 || status === 403) return 'REFUSED_SIGNATURE';
    if (error instanceof ResponseTooLargeError) return 'FAILED';
    if (
      (error instanceof DOMException && error.name === 'TimeoutError') ||
      (error instanceof TypeError && error.message === 'fetch failed') ||
      isUnreachable(error)
    )
      return 'UNREACHED';
    if (error instanceof NotAGraphQLResponseError || (status !== null && status < 500)) return 'NOT_A_SUBGRAPH';
    if (status !== null) return 'FAILED';
    return null;
  }

  /** The one error for a subgraph's part: outside production, what to mend when the wiring is at fault. */
  private unavailableError(fault: SubgraphFault, status: number | null): GraphQLFormattedError {
    const code = ERRORS.SERVICE_UNAVAILABLE.code;
    if (!this.tellsWiringFaults || fault === 'FAILED') return { message: SUBGRAPH_UNAVAILABLE, extensions: { code } };
    if (fault === 'REFUSED_SIGNATURE')
      return {
        message: `${SUBGRAPH_UNAVAILABLE} The ${this.domain} subgraph refused the gateway's signature: it verifies with keys that are not the gateway's (its GATEWAY_VERIFY_KEYS; with the test kit, the hub's signing.verifyKeys).`,
        extensions: { code, reason: SIGNATURE_REFUSED },
      };
    const setting = "its *_URL setting; with the test kit, startTestHub's subgraphs";
    if (fault === 'UNREACHED')
      return {
        message: `${SUBGRAPH_UNAVAILABLE} The ${this.domain} subgraph could not be reached, or did not answer in time: is it running, at the URL the gateway has for it (${setting})?`,
        extensions: { code, reason: SUBGRAPH_UNREACHABLE },
      };
    const answered = status !== null ? `HTTP ${status}` : 'something that is no GraphQL response';
    return {
      message: `${SUBGRAPH_UNAVAILABLE} The ${this.domain} subgraph answered ${answered} at the URL the gateway has for it: is that its GraphQL endpoint (${setting})?`,
      extensions: { code, reason: SUBGRAPH_UNREACHABLE },
    };
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    if (!context.caller) return;
    setIdentityHeaders(request.http?.headers, context.caller, context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!isIncomingOperation(options)) return super.process(options);
    return inMutationOrder(options, () => this.enforced(options));
  }

  private enforced(options: IncomingOperationOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const send: SendRewritten = async (rewritten, categories, registeredIn) => {
      this.stats.subgraphFetches += 1;
      const headers = new Map<string, string>([[IDENTITY_HEADERS.categories, [...categories].sort().join(',')]]);
      if (registeredIn?.size)
        headers.set(IDENTITY_HEADERS.registeredIn, JSON.stringify(Object.fromEntries(registeredIn)));
      try {
        const response = await super.process({
          ...options,
          document: undefined,
          request: {
            query: rewritten.query,
            variables: rewritten.variables,
            ...(rewritten.operationName ? { operationName: rewritten.operationName } : {}),
            http: { method: 'POST', url: this.url, headers } as never,
          },
        });
        return response as FetchResponse;
      } catch (error) {
        const response = refusedRequest(error) ?? this.unavailable(error);
        if (!response) throw error;
        return response;
      }
    };
    return enforceFetch(
      { query: request.query ?? '', variables: request.variables ?? {}, operationName: request.operationName },
      {
        index: this.index,
        subgraphDomain: this.domain,
        callerDomain: context.caller.domain,
        policy: createPolicyPort(
          { sql: this.sql, cache: this.basesCache },
          this.audit,
          {
            caller: context.caller,
            requestId: context.requestId,
            purpose: context.purpose,
            basesVersion: context.basesVersion,
            operationName: () => options.incomingRequestContext.operationName ?? null,
            request: context,
          },
          this.stats,
          this.relocations,
          context.systemReads,
        ),
        send,
        ...(this.logger ? { logger: this.logger } : {}),
        ...(options.incomingRequestContext.document
          ? {
              requested: requestedOf(
                this.index,
                options.incomingRequestContext.document,
                options.incomingRequestContext.operationName ?? null,
              ),
            }
          : {}),
      },
    ) as Promise<GatewayGraphQLResponse>;
  }
}
