// Test helpers that make a dependency fail on purpose: an HTTP proxy in front of a subgraph that can
// drop, fail or delay requests, a TCP proxy in front of the database that can be cut, and a row lock held
// from a connection of the test's own while the hub's statement waits on it.

import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createConnection, createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from '@hub/platform';

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

/** A subgraph's GraphQL answer as JSON. */
export interface Answer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

export interface SubgraphProxy {
  /** The proxy's /graphql endpoint, to give the gateway in place of the subgraph's. */
  readonly url: string;
  /** The POST /graphql requests that reached the proxy (whether forwarded or not). */
  readonly posts: ProxiedRequest[];
  /** The next `count` POSTs get their connection destroyed before any answer. */
  dropNext(count: number): void;
  /** How long each POST waits before it is forwarded. */
  delayMs: number;
  /** How long the answer to each POST waits before it goes back (the subgraph has done its part by then). */
  answerDelayMs: number;
  /** Which POSTs wait `delayMs` and `answerDelayMs` (by their body): every one unless set. */
  delayWhen: (body: string) => boolean;
  /**
   * Rewrites the subgraph's JSON answer to each POST before it goes back, as a subgraph whose system was
   * taken over could answer: given the answer and the request it answers. Unset: answers go back as they came.
   */
  rewrite?: (answer: Answer, request: { query: string; variables?: Record<string, unknown> }) => Answer;
  /** Resolves when the proxy has received its next POST. */
  nextPost(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** An HTTP proxy to the subgraph at `targetUrl`, forwarding every path to the same origin. */
export async function startSubgraphProxy(targetUrl: string): Promise<SubgraphProxy> {
  const origin = new URL(targetUrl).origin;
  const posts: ProxiedRequest[] = [];
  const waiting: (() => void)[] = [];
  let drops = 0;
  const server = createHttpServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const post = req.method === 'POST' && req.url === '/graphql';
      if (post) {
        posts.push({ method: req.method!, path: req.url!, body, headers: req.headers });
        waiting.splice(0).forEach((resolve) => resolve());
        if (drops > 0) {
          drops -= 1;
          req.socket.destroy();
          return;
        }
        if (proxy.delayMs > 0 && proxy.delayWhen(body)) await sleep(proxy.delayMs);
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === 'string' && !['host', 'connection', 'content-length'].includes(entry[0]),
        ),
      );
      const response = await fetch(`${origin}${req.url}`, {
        method: req.method!,
        headers,
        ...(post ? { body } : {}),
      });
      const received = await response.text();
      const text =
        post && proxy.rewrite
          ? JSON.stringify(proxy.rewrite(JSON.parse(received) as Answer, JSON.parse(body) as { query: string }))
          : received;
      if (post && proxy.answerDelayMs > 0 && proxy.delayWhen(body)) await sleep(proxy.answerDelayMs);
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' });
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: SubgraphProxy = {
    url: `http://127.0.0.1:${port}/graphql`,
    posts,
    delayMs: 0,
    answerDelayMs: 0,
    delayWhen: () => true,
    dropNext: (count) => {
      drops = count;
    },
    nextPost: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}

export interface DatabaseProxy {
  /** The database URL with the proxy's address in place of the server's. */
  readonly url: string;
  /** Stops accepting and ends every open connection: the database is gone for whoever used the proxy. */
  cut(): Promise<void>;
  /**
   * Ends every open connection and, from then on, closes each new one cleanly as soon as it is made, as a
   * database refusing logins can: the pool retries its login in a loop that never fails the statement.
   */
  closeLogins(): void;
}

/** A TCP proxy to the PostgreSQL (or embedded) server of `databaseUrl`. */
export async function startDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let closingLogins = false;
  const server = createTcpServer((client) => {
    if (closingLogins) {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => client.destroy());
      client.end();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    closeLogins: () => {
      closingLogins = true;
      for (const socket of sockets) socket.destroy();
    },
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A lock held by `holdLock`: let it go, then `done` gives the database's clock when it was let go. */
export interface HeldLock {
  release(): void;
  readonly done: Promise<Date>;
}

/**
 * Takes `lock` (a `select … for update`) in a transaction of its own on `sql`, a connection of the test's own
 * (PostgreSQL only: the embedded database serves one connection at a time), and holds it until `release()`.
 * Resolves once it is held, so what the test sends next waits on it.
 */
export async function holdLock(sql: Sql, lock: (tx: Sql) => Promise<unknown>): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const done = sql.begin(async (tx) => {
    await lock(tx as unknown as Sql);
    locked();
    await released;
    const [row] = await tx<{ at: Date }[]>`select clock_timestamp() as at`;
    return row!.at;
  });
  await Promise.race([holding, done]);
  return { release, done };
}
