// @ts-check
// The embedded database's own thread: PGlite and the socket server every service connects to, started by
// startDatabase (database.ts). On a thread of its own the database opens while the hub's code loads, and
// its queries run beside the gateway's and the subgraphs' JavaScript instead of between it.
//
// Plain JavaScript, checked by tsc through its JSDoc types: a thread does not inherit its parent's loader
// hooks, and registering tsx in every thread again (a thread of hooks, each module resolved across it) cost
// more than the database's own start. `init` only creates a new data directory (initdb) and ends: the
// thread's memory, initdb's included, goes back to the system with it. `serve` opens the directory and
// serves it until the parent says `close`.

import { readlinkSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { WholeQueryQueue } from './embedded-queue.js';

/** @typedef {import('./embedded-protocol.js').EmbeddedWorkerData} EmbeddedWorkerData */
/** @typedef {import('./embedded-protocol.js').EmbeddedWorkerMessage} EmbeddedWorkerMessage */

const data = /** @type {EmbeddedWorkerData} */ (workerData);
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @param {EmbeddedWorkerMessage} message */
function tell(message) {
  port.postMessage(message);
}

/** This thread's id in the operating system (Linux: /proc/thread-self names it), or null where none is told. */
const OS_THREAD_ID = (() => {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || null;
  } catch {
    return null;
  }
})();

const settings = Object.entries(data.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
const db = await PGlite.create(data.dir, { startParams: [...PGlite.defaultStartParams, ...settings] });
if (data.mode === 'init') {
  await db.close();
  tell({ kind: 'closed' });
  port.close();
} else {
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: data.maxConnections });
  // Whole queries at a time across connections (see embedded-queue.js); set before any connection.
  /** @type {{ queryQueue: WholeQueryQueue }} */ (/** @type {unknown} */ (server)).queryQueue = new WholeQueryQueue(db);
  await server.start();
  port.on('message', (message) => {
    if (message === 'memory') tell(memoryOf(db));
    if (message !== 'close') return;
    void (async () => {
      await server.stop();
      await db.close();
      tell({ kind: 'closed' });
      port.close();
    })();
  });
  tell({ kind: 'ready', url: `postgres://postgres@${server.getServerConn()}/postgres` });
}

/**
 * @param {PGlite} db
 * @returns {import('./embedded-protocol.js').EmbeddedMemoryMessage}
 */
function memoryOf(db) {
  const heap = getHeapStatistics();
  // PGlite keeps its Emscripten module protected; its memory is the one figure it does not tell.
  const mod = /** @type {{ mod?: { wasmMemory?: WebAssembly.Memory } }} */ (/** @type {unknown} */ (db)).mod;
  return {
    kind: 'memory',
    heapUsed: heap.used_heap_size,
    heapTotal: heap.total_heap_size,
    external: heap.external_memory,
    wasmBytes: mod?.wasmMemory?.buffer.byteLength ?? 0,
    osThreadId: OS_THREAD_ID,
  };
}
