// A small node:http front for Apollo Server: POST /graphql, plain GET probes, a body-size limit and
// a graceful close that drains in-flight requests. Gateway and subgraphs both serve through it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { refusalOf } from './http-refusals.js';
import { inSpan, SpanKind, type Attributes, type Context } from './tracing.js';

export type Probe = () => Promise<{ ok: boolean; detail?: Record<string, unknown> }>;

export interface HttpOptions<TContext extends BaseContext, TAuth = undefined> {
  apollo: ApolloServer<TContext>;
  /**
   * Checks a POST /graphql request against its raw body before anything is parsed or executed (a
   * subgraph verifies the gateway's signature here). A GraphQLError thrown here becomes the whole
   * response with its `http.status`; what it returns is handed to `context`. When set, only POST is
   * served on /graphql, since nothing else carries a body to check.
   */
  authenticate?: (req: IncomingMessage, rawBody: string) => Promise<TAuth>;
  /**
   * The header `authenticate` checks (a subgraph: the gateway's signature). A request without it is refused
   * 401 before its media type or its body is looked at: an unsigned caller hears only that it is unsigned.
   */
  credentialHeader?: string;
  /**
   * Told of each request refused 401 before its body is read (without `credentialHeader`), with the
   * refusal's reason: a subgraph logs it, as it logs the signatures `authenticate` refuses, for a request
   * that reaches it unsigned came around the gateway.
   */
  onUnauthenticated?: (reason: string) => void;
  /**
   * Builds the per-request context; a GraphQLError thrown here becomes the response (e.g. 401).
   * `operations`: how many operations the body holds (a batch's length; 1 otherwise).
   */
  context: (req: IncomingMessage, auth: TAuth, request: { readonly operations: number }) => Promise<TContext>;
  /** GET routes answering JSON `{ ok, ...detail }` with 200 or 503, e.g. `/healthz`, `/readyz`. */
  probes?: Record<string, Probe>;
  /**
   * The request's server span: its name, and the trace it continues (the gateway: a caller's W3C
   * `traceparent`; a subgraph: the one inside the gateway's verified signature, never a plain header).
   */
  trace?: { name: string; attributes?: Attributes; parent: (req: IncomingMessage, auth: TAuth) => Context };
  /**
   * Serves requests for paths other than /graphql and the probes (the gateway's pages under /ui/):
   * resolves true when it answered, false to fall through to the 404.
   */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /**
   * The `WWW-Authenticate` challenge of every 401 (RFC 9110 §11.6.1; the gateway: `Bearer realm="hub"`, RFC
   * 6750; a subgraph: the gateway's signature it asks for, `SIGNATURE_CHALLENGE`).
   */
  challenge?: string;
  /**
   * Largest request body accepted, in bytes.
   * @default 1048576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * Whether a browser's GET /graphql (`Accept: text/html`) is passed on for a page (the explorer, in
   * development). Without one it is refused as any other GET: 405 `POST_ONLY`.
   * @default true
   */
  servesPage?: boolean;
}

export interface RunningHttp {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

export class BodyTooLarge extends Error {}

/** A body whose bytes are not UTF-8: JSON text is (RFC 8259 §8.1), and no byte of it may be guessed at. */
export class BodyNotUtf8 extends Error {}

// Strict: a malformed sequence (an overlong form, an encoded surrogate) throws rather than becoming U+FFFD,
// which would store text the caller never sent. A byte-order mark is kept, and refused as JSON, as before.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * How deep a request's JSON may nest (its variables' lists and objects): far beyond any input a schema
 * declares, and short of what the recursive walks over variables (graphql-js's coercion, the gateway's
 * checks) could not take without running out of stack.
 */
export const MAX_BODY_DEPTH = 64;

/** Whether JSON nests deeper than `limit` arrays and objects, walked without recursion. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [next, depth] = stack.pop()!;
    if (next === null || typeof next !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(next)) stack.push([child, depth + 1]);
  }
  return false;
}

/** What readBody's rejection tells the caller: too large (413), not UTF-8, or not read to its end (400). */
export function refuseUnreadBody(res: ServerResponse, error: unknown, limit: number): void {
  if (error instanceof BodyTooLarge) {
    requestError(res, 413, 'BAD_REQUEST', `Request body larger than ${limit} bytes`, { reason: 'BODY_TOO_LARGE' });
  } else if (error instanceof BodyNotUtf8) {
    requestError(res, 400, 'BAD_REQUEST', 'Request body is not UTF-8, so not JSON', { reason: 'NOT_JSON' });
  } else requestError(res, 400, 'BAD_REQUEST', 'Request body could not be read', { reason: 'BODY_UNREADABLE' });
}

/** The request's body as text; rejects with BodyTooLarge past `limit` bytes, BodyNotUtf8 if not UTF-8. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(UTF8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new BodyNotUtf8());
      }
    });
    req.on('error', reject);
  });
}

/**
 * Every answer of the endpoint may name a person: no cache between the hub and its caller (a proxy, the
 * browser's own) may keep one, whatever its heuristics for a POST's answer.
 */
const NO_STORE = 'no-store';
/** Nor may a browser take an answer for anything but the JSON it says it is. */
const NOSNIFF = 'nosniff';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': NO_STORE,
    'x-content-type-options': NOSNIFF,
  });
  res.end(text);
}

export function requestError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extensions } }] });
}

/** A registry error (ERRORS.X.err) as a response of its own status, without its `http` extension. */
export function sendGraphQLError(res: ServerResponse, error: GraphQLError): void {
  const { code, http, ...extensions } = error.extensions as { code?: unknown; http?: { status?: unknown } };
  const status = typeof http?.status === 'number' ? http.status : 500;
  requestError(res, status, typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', error.message, extensions);
}

/** An operation's body as read: its JSON and what `authenticate` made of it. */
interface ReadOperation<TAuth> {
  readonly body: unknown;
  readonly auth: TAuth;
}

/**
 * Reads a POST's body, checks it with `authenticate` (over the raw text) and parses it as JSON no deeper than
 * MAX_BODY_DEPTH; answers the request itself and resolves null when any of that fails.
 */
async function readOperation<TContext extends BaseContext, TAuth>(
  req: IncomingMessage,
  res: ServerResponse,
  options: HttpOptions<TContext, TAuth>,
  limit: number,
): Promise<ReadOperation<TAuth> | null> {
  let text: string;
  try {
    text = await readBody(req, limit);
  } catch (error) {
    refuseUnreadBody(res, error, limit);
    return null;
  }
  let auth = undefined as TAuth;
  if (options.authenticate) {
    try {
      auth = await options.authenticate(req, text);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      // Only a refusal asks for credentials: a check that could not be made (503) judged none.
      if (options.challenge && error.extensions['code'] === 'UNAUTHENTICATED')
        res.setHeader('www-authenticate', options.challenge);
      sendGraphQLError(res, error);
      return null;
    }
  }
  let body: unknown;
  try {
    body = text.length ? JSON.parse(text) : undefined;
  } catch {
    requestError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON', { reason: 'NOT_JSON' });
    return null;
  }
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) {
    requestError(res, 400, 'BAD_REQUEST', `Request body nested deeper than ${MAX_BODY_DEPTH} levels`, {
      reason: 'TOO_DEEP',
    });
    return null;
  }
  return { body, auth };
}

/** Apollo Server's answer to the operation, within the request's server span when tracing is configured. */
async function executeOperation<TContext extends BaseContext, TAuth>(
  req: IncomingMessage,
  url: URL,
  options: HttpOptions<TContext, TAuth>,
  { body, auth }: ReadOperation<TAuth>,
): Promise<HTTPGraphQLResponse> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const execute = () =>
    options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => options.context(req, auth, { operations: Array.isArray(body) ? Math.max(1, body.length) : 1 }),
    });
  const traced = options.trace;
  if (!traced) return execute();
  return inSpan(
    traced.name,
    { 'http.request.method': req.method ?? 'GET', ...traced.attributes },
    async (span) => {
      const answer = await execute();
      span.setAttribute('http.response.status_code', answer.status ?? 200);
      return answer;
    },
    { kind: SpanKind.SERVER, parent: traced.parent(req, auth) },
  );
}

/** Writes Apollo Server's answer: its headers, no-store and nosniff, its status (a 401 with the challenge) and its body. */
async function sendResponse(res: ServerResponse, response: HTTPGraphQLResponse, challenge?: string): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.setHeader('cache-control', NO_STORE);
  res.setHeader('x-content-type-options', NOSNIFF);
  res.statusCode = response.status ?? 200;
  if (res.statusCode === 401 && challenge) res.setHeader('www-authenticate', challenge);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The endpoint: the probes, the other routes, then POST /graphql: refused before its body is read
 * (refusalOf), its body read and checked (readOperation), executed by Apollo Server and answered.
 */
export function createHttpHandler<TContext extends BaseContext, TAuth = undefined>(
  options: HttpOptions<TContext, TAuth>,
) {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const probes = options.probes ?? {};

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const probe = probes[url.pathname];
    if (probe && (req.method === 'GET' || req.method === 'HEAD')) {
      const result = await probe().catch(() => ({ ok: false, detail: undefined }));
      sendJson(res, result.ok ? 200 : 503, { ok: result.ok, ...result.detail });
      return;
    }
    if (url.pathname !== '/graphql' && options.routes && (await options.routes(req, res, url))) return;
    if (url.pathname !== '/graphql') {
      requestError(res, 404, 'NOT_FOUND', 'Not found: the endpoint is POST /graphql');
      return;
    }
    const refusal = refusalOf(
      req,
      url,
      options.authenticate !== undefined,
      options.servesPage ?? true,
      options.credentialHeader,
    );
    if (refusal) {
      if (refusal.header) res.setHeader(...refusal.header);
      if (refusal.status === 401) {
        options.onUnauthenticated?.(reasonOf(refusal.extensions));
        if (options.challenge) res.setHeader('www-authenticate', options.challenge);
      }
      requestError(res, refusal.status, refusal.code, refusal.message, refusal.extensions);
      return;
    }
    // A GET that got here is a browser asking for the explorer's page: it has no body. The page holds a token
    // in its editor: no other site frames it, no browser sniffs it, and no link out carries its address.
    if (req.method === 'GET') {
      for (const [name, value] of EXPLORER_PAGE_HEADERS) res.setHeader(name, value);
    }
    const operation =
      req.method === 'POST'
        ? await readOperation(req, res, options, limit)
        : { body: undefined, auth: undefined as TAuth };
    if (!operation) return;
    await sendResponse(res, await executeOperation(req, url, options, operation), options.challenge);
  };
}

/** A refusal's `extensions.reason`, as logged: one of the hub's codes, never text the caller wrote. */
function reasonOf(extensions: Record<string, unknown> | undefined): string {
  const reason = extensions?.['reason'];
  return typeof reason === 'string' && /^[A-Z_]{1,64}$/.test(reason) ? reason : 'UNKNOWN';
}

const EXPLORER_PAGE_HEADERS: readonly (readonly [string, string])[] = [
  ['content-security-policy', "frame-ancestors 'none'"],
  ['x-frame-options', 'DENY'],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
];

/**
 * The most a request's headers may hold, in bytes: room for a long token and an X-Hub-Purpose of 500
 * characters percent-encoded (4.5 KB), and for one a caller sent far too long, so that the endpoint refuses
 * it in its own words (PURPOSE_TOO_LONG) rather than at the parser.
 */
const MAX_HEADER_BYTES = 64 * 1024;

/** What the HTTP parser refuses before any handler sees the request, by the parser's error code. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string, string, string]>> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'HEADERS_TOO_LARGE',
    'The request headers are too large',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request was not received in time'],
};

/**
 * A request the HTTP parser refused (headers over MAX_HEADER_BYTES, a malformed request line) is answered in
 * the endpoint's error shape, with the status Node would give it, rather than with an empty body.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, statusText, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'MALFORMED_REQUEST',
    'The request is not valid HTTP',
  ];
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST', reason } }] });
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\ncache-control: ${NO_STORE}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * How long a client has to send a whole request, headers and body (Node's own default is five minutes): a
 * request of at most 1 MiB that takes longer is a client holding a connection, answered 408
 * `REQUEST_TIMEOUT`. The headers alone get the same time. It bounds receiving only: an operation that takes
 * long to answer is not cut.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  host: string,
  port: number,
  options: {
    requestTimeoutMs?: number;
    /** Told of a request the handler failed (answered 500): only its class and code belong in a log. */
    onError?: (error: unknown) => void;
  } = {},
): Promise<RunningHttp> {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const serverOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout,
    headersTimeout: requestTimeout,
    // How often Node looks for requests past their time (its default, 30 s, would double the bound).
    connectionsCheckingInterval: Math.min(5_000, Math.max(100, requestTimeout / 4)),
  };
  const server = createServer(serverOptions, (req, res) => {
    // Once closing, a response ends its connection, so the close waits for work, not for idle keep-alives.
    if (closing) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    handler(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) requestError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}/graphql`,
    close: async (graceMs = 5_000) => {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
