// The embedded database's own thread: PGlite and the socket server every service connects to, started by
// startDatabase (database.ts). On a thread of its own the database opens while the hub's code loads, and
// its queries run beside the gateway's and the subgraphs' JavaScript instead of between it.
//
// `init` only creates a new data directory (initdb) and ends: the thread's memory, initdb's included, goes
// back to the system with it. `serve` opens the directory and serves it until the parent says `close`.

import { getHeapStatistics } from 'node:v8';
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
export type EmbeddedWorkerMessage = { kind: 'ready'; url: string } | { kind: 'closed' } | EmbeddedMemoryMessage;

/** The thread's own memory, asked for with the message `memory`: its V8 heap and PGlite's WebAssembly heap. */
export interface EmbeddedMemoryMessage {
  readonly kind: 'memory';
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  /** The WebAssembly memory's size; it grows with the database's needs and never shrinks. */
  readonly wasmBytes: number;
}

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
    if (message === 'memory') port.postMessage(memoryOf(db));
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

function memoryOf(db: PGlite): EmbeddedMemoryMessage {
  const heap = getHeapStatistics();
  // PGlite keeps its Emscripten module protected; its memory is the one figure it does not tell.
  const mod = (db as unknown as { mod?: { wasmMemory?: WebAssembly.Memory } }).mod;
  return {
    kind: 'memory',
    heapUsed: heap.used_heap_size,
    heapTotal: heap.total_heap_size,
    external: heap.external_memory,
    wasmBytes: mod?.wasmMemory?.buffer.byteLength ?? 0,
  };
}
