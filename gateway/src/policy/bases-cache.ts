// A gateway's bases across requests, for one version of them at a time (migration 012): every change
// to what the bases are read from bumps the version in its own transaction, and a read of the bases
// returns the version its statement saw, so a request that finds a newer version than the cache's
// drops the whole cache. Nothing here is ever served for a version older than one a request has seen.

import type { VersionedBases } from './bases.js';
import type { Bases } from './decide.js';

/**
 * How many persons' bases a gateway keeps: about 2.3 KB each on the heap for two consents and a meeting
 * of three members, so about 45 MB when full. Past it, the persons cached longest ago are dropped first.
 */
const BASES_CACHE_PERSONS = 20_000;

export class BasesCache {
  private current: bigint | null = null;
  // Insertion order is age: the first key is the one cached longest ago.
  private readonly entries = new Map<string, Bases>();

  constructor(private readonly capacity: number = BASES_CACHE_PERSONS) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('the bases cache holds at least one person');
  }

  /** The version the cached bases are of (null before any read), and those cached of the persons asked. */
  lookup(personIds: readonly string[]): { version: bigint | null; found: Map<string, Bases> } {
    const found = new Map<string, Bases>();
    for (const id of personIds) {
      const bases = this.entries.get(id);
      if (bases) found.set(id, bases);
    }
    return { version: this.current, found };
  }

  /**
   * Takes in a version a request saw without reading bases (with its caller's agency): a newer one than
   * the cache's drops every entry, so what stays is of that version.
   */
  see(version: bigint): void {
    if (this.current === null || version > this.current) {
      this.entries.clear();
      this.current = version;
    }
  }

  /**
   * Takes in a read: a newer version than the cache's drops every entry first; the read's bases are kept
   * when they are of the cache's version (a read that saw an older version adds nothing).
   */
  store(read: VersionedBases): void {
    this.see(read.version);
    if (read.version !== this.current) return;
    for (const [id, bases] of read.bases) {
      this.entries.delete(id);
      this.entries.set(id, bases);
    }
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(id);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get version(): bigint | null {
    return this.current;
  }
}
