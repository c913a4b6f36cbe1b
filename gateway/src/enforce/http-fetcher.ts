// The gateway's subgraph transport: node:http over kept-alive connections, one pool per gateway. The
// gateway's default client (make-fetch-happen) and even Node's fetch spend more CPU per call than the
// subgraph call itself costs; this one reads the body as one string and answers with a small response.

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

/** The fetcher option of RemoteGraphQLDataSource. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export interface HttpFetcherOptions {
  /**
   * Connections kept open to each subgraph, idle or busy.
   * @default 64
   */
  maxSockets?: number;
  /**
   * The largest answer read, in bytes: a subgraph answering more (one that was taken over, or a bug) fails
   * the call as a connection that broke, and the gateway holds no more of it.
   * @default 32 MiB
   */
  maxResponseBytes?: number;
}

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * A subgraph answered more than `maxResponseBytes`: the call fails as a connection that broke (a
 * `TypeError('fetch failed')`, which the gateway answers SERVICE_UNAVAILABLE), and is not tried again.
 */
export class ResponseTooLargeError extends TypeError {
  readonly code = 'RESPONSE_TOO_LARGE';
  constructor(readonly limit: number) {
    super('fetch failed', {
      cause: new RangeError(`the answer is larger than ${limit} bytes (MAX_SUBGRAPH_RESPONSE_BYTES)`),
    });
  }
}

/** What the data source reads of a response, over a body already read in full. */
class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  private built: Headers | undefined;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    private readonly rawHeaders: IncomingMessage['headers'],
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  /** Built on first read: most callers read only the body. */
  get headers(): Headers {
    if (!this.built) {
      this.built = new Headers();
      for (const [name, value] of Object.entries(this.rawHeaders)) {
        if (value !== undefined) this.built.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
    }
    return this.built;
  }

  async text() {
    return this.body;
  }

  async json() {
    return JSON.parse(this.body) as unknown;
  }

  async arrayBuffer() {
    const bytes = Buffer.from(this.body, 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return this;
  }
}

/**
 * A fetcher over kept-alive node:http(s) connections. Errors take the shapes of Node's fetch, which the
 * rest of the gateway already tells apart: a connection that fails is `TypeError('fetch failed')` with
 * the socket error as its cause, and an aborted request rejects with the signal's reason
 * (a `TimeoutError` for AbortSignal.timeout).
 */
export function createHttpFetcher(options: HttpFetcherOptions = {}): Fetcher {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  // Each subgraph's URL parsed once, not on every call.
  const targets = new Map<string, RequestOptions>();
  const targetOf = (url: string): RequestOptions => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = {
        protocol: parsed.protocol,
        hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
        ...(parsed.port ? { port: parsed.port } : {}),
        path: `${parsed.pathname}${parsed.search}`,
        ...(parsed.username
          ? { auth: `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` }
          : {}),
      };
      if (targets.size < 1_000) targets.set(url, target);
    }
    return target;
  };
  return (url, init = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const signal = init.signal as AbortSignal | undefined;
      if (signal?.aborted) return reject(signal.reason);
      const secure = url.startsWith('https:');
      const body = init.body ?? '';
      const request = (secure ? httpsRequest : httpRequest)({
        ...targetOf(url),
        method: init.method ?? 'POST',
        agent: secure ? https : http,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      const onAbort = () => {
        request.destroy();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      request.on('error', (error) => {
        settle();
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received <= maxResponseBytes) return void chunks.push(chunk);
          settle();
          chunks.length = 0;
          request.destroy();
          reject(new ResponseTooLargeError(maxResponseBytes));
        });
        response.on('error', (error) => {
          settle();
          reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
        });
        response.on('end', () => {
          settle();
          resolve(
            new BufferedResponse(
              url,
              response.statusCode ?? 0,
              response.statusMessage ?? '',
              response.headers,
              Buffer.concat(chunks).toString('utf8'),
            ),
          );
        });
      });
      request.end(body);
    });
}
