// The embedded database's own thread: PGlite and the socket server every service connects to, started by
// startDatabase (database.ts). On a thread of its own the database opens while the hub's code loads, and
// its queries run beside the gateway's and the subgraphs' JavaScript instead of between it.
//
// `init` only creates a new data directory (initdb) and ends: the thread's memory, initdb's included, goes
// back to the system with it. `serve` opens the directory and serves it until the parent says `close`.

import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { WholeQueryQueue } from './embedded-queue.js';

export interface EmbeddedWorkerData {
  readonly mode: 'init' | 'serve';
  readonly dir: string;
  readonly maxConnections: number;
  /** PostgreSQL settings given at start (`-c name=value`), beside PGlite's own start parameters. */
  readonly settings: Readonly<Record<string, string>>;
}

/** What the thread tells its parent. */
export type EmbeddedWorkerMessage = { kind: 'ready'; url: string } | { kind: 'closed' };

const data = workerData as EmbeddedWorkerData;
const port = parentPort!;

const settings = Object.entries(data.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
const db = await PGlite.create(data.dir, { startParams: [...PGlite.defaultStartParams, ...settings] });
if (data.mode === 'init') {
  await db.close();
  port.postMessage({ kind: 'closed' } satisfies EmbeddedWorkerMessage);
  port.close();
} else {
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: data.maxConnections });
  // Whole queries at a time across connections (see embedded-queue.ts); set before any connection.
  (server as unknown as { queryQueue: WholeQueryQueue }).queryQueue = new WholeQueryQueue(db);
  await server.start();
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void (async () => {
      await server.stop();
      await db.close();
      port.postMessage({ kind: 'closed' } satisfies EmbeddedWorkerMessage);
      port.close();
    })();
  });
  port.postMessage({
    kind: 'ready',
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
  } satisfies EmbeddedWorkerMessage);
}
