// @ts-check
// The embedded database's query queue, run whole queries at a time (plain JavaScript: it runs on the
// database's thread, embedded-worker.js).
//
// PGlite is one database session shared by every socket connection. pglite-socket's own queue runs each
// wire-protocol message as it comes, so the Parse/Bind/Execute/Sync of two connections interleave and
// clobber each other's unnamed statement and portal ("portal \"\" does not exist") under concurrency.
// This queue buffers a connection's messages up to a synchronisation point (Sync, a simple Query,
// Flush…) and runs them as one unit; while a connection is inside a transaction, or between a Flush
// and its Sync, only that connection's units run.

/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */
/** @typedef {(data: Uint8Array) => void} OnData */

/**
 * @typedef {object} Unit
 * @property {number} handlerId
 * @property {Uint8Array} bytes
 * @property {number} endsWith
 * @property {OnData} onData
 * @property {(bytes: number) => void} resolve
 * @property {(error: unknown) => void} reject
 */

// Parse, Bind, Describe, Execute, Close: parts of an extended-protocol query that Sync or Flush completes.
const MID_QUERY = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));
const FLUSH = 'H'.charCodeAt(0);

/** @param {readonly Uint8Array[]} parts */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export class WholeQueryQueue {
  /** @type {Map<number, Uint8Array[]>} */
  #buffered = new Map();
  /** @type {Unit[]} */
  #queue = [];
  #processing = false;
  /**
   * The connection that alone may run next: inside a transaction, or between Flush and Sync.
   * @type {number | null}
   */
  #owner = null;
  /** @type {PGlite} */
  #db;

  /** @param {PGlite} db */
  constructor(db) {
    this.#db = db;
  }

  /**
   * @param {number} handlerId
   * @param {Uint8Array} message
   * @param {OnData} onData
   * @returns {Promise<number>}
   */
  enqueue(handlerId, message, onData) {
    // A startup message has no type byte: its first byte is the high byte of its length, 0.
    const type = message[0] ?? 0;
    const parts = this.#buffered.get(handlerId) ?? [];
    parts.push(message);
    if (type !== 0 && MID_QUERY.has(type)) {
      this.#buffered.set(handlerId, parts);
      return Promise.resolve(0);
    }
    this.#buffered.delete(handlerId);
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId, bytes: concat(parts), endsWith: type, onData, resolve, reject });
      void this.#process();
    });
  }

  async #process() {
    if (this.#processing) return;
    this.#processing = true;
    try {
      while (this.#queue.length) {
        const owner = this.#owner;
        const index = owner === null ? 0 : this.#queue.findIndex((u) => u.handlerId === owner);
        if (index === -1) break;
        const unit = /** @type {Unit} */ (this.#queue.splice(index, 1)[0]);
        let sent = 0;
        try {
          await this.#db.runExclusive(() =>
            this.#db.execProtocolRawStream(unit.bytes, {
              onRawData: (data) => {
                sent += data.length;
                unit.onData(data);
              },
            }),
          );
        } catch (error) {
          this.#owner = null;
          unit.reject(error);
          continue;
        }
        this.#owner = this.#db.isInTransaction() || unit.endsWith === FLUSH ? unit.handlerId : null;
        unit.resolve(sent);
      }
    } finally {
      this.#processing = false;
    }
  }

  getQueueLength() {
    return this.#queue.length;
  }

  /** @param {number} handlerId */
  clearQueueForHandler(handlerId) {
    this.#buffered.delete(handlerId);
    this.#queue = this.#queue.filter((unit) => {
      if (unit.handlerId !== handlerId) return true;
      unit.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** @param {number} handlerId */
  async clearTransactionIfNeeded(handlerId) {
    if (this.#owner !== handlerId) return;
    if (this.#db.isInTransaction()) await this.#db.exec('ROLLBACK');
    this.#owner = null;
    await this.#process();
  }
}
