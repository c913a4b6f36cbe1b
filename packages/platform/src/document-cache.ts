// Apollo Server's cache of parsed and validated operations, bounded by how many it keeps. Apollo's default
// is 30 MiB as it estimates sizes, per server; a parsed operation takes several times its estimate, and
// the all-in-one hub runs eight servers (two gateways in the bench, six subgraphs) in one process.

import type { DocumentNode } from 'graphql';

/** What ApolloServer's `documentStore` option takes (KeyValueCache<DocumentNode>). */
export interface DocumentCache {
  get(key: string): Promise<DocumentNode | undefined>;
  set(key: string, value: DocumentNode): Promise<void>;
  delete(key: string): Promise<void>;
  /** How many operations it holds now. */
  readonly size: number;
}

/** The `max` operations used last; the least recently used goes first. */
export function documentCache(max: number): DocumentCache {
  const entries = new Map<string, DocumentNode>();
  return {
    get: async (key) => {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set: async (key, value) => {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    delete: async (key) => {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
