// Apollo Server's cache of parsed and validated operations, bounded by how many it keeps and by the
// length of their text. Apollo's default is 30 MiB as it estimates sizes, per server; a parsed operation
// takes several times its estimate, and the all-in-one hub runs eight servers (two gateways in the bench,
// six subgraphs) in one process.

import type { DocumentNode } from 'graphql';

/** What ApolloServer's `documentStore` option takes (KeyValueCache<DocumentNode>). */
export interface DocumentCache {
  get(key: string): Promise<DocumentNode | undefined>;
  set(key: string, value: DocumentNode): Promise<void>;
  delete(key: string): Promise<void>;
  /** How many operations it holds now. */
  readonly size: number;
  /** The characters of operation text it holds now. */
  readonly sourceChars: number;
}

/**
 * A parsed operation's length in characters: its location keeps the token list of the whole text, about
 * ten bytes of heap for each character besides the syntax tree (a heap snapshot of the bench's hub held
 * 23 MB of tokens and locations for 2.2 MB of text, most of it batches of a hundred aliased mutations).
 */
function sourceCharsOf(document: DocumentNode): number {
  return document.loc?.source.body.length ?? 0;
}

/**
 * The longest operation text a cache keeps parsed: 16 KiB holds any operation an application sends
 * again and again, and not a one-off batch of aliased mutations (a hundred registrations are 22–63 KB).
 */
export const MAX_CACHED_OPERATION_CHARS = 16 * 1024;

/**
 * The `max` operations used last, holding at most `maxSourceChars` characters of operation text between
 * them; the least recently used goes first, and an operation longer than `maxOperationChars` (or than
 * the whole bound) is parsed for its request and not kept.
 */
export function documentCache(
  max: number,
  maxSourceChars = Number.POSITIVE_INFINITY,
  maxOperationChars = MAX_CACHED_OPERATION_CHARS,
): DocumentCache {
  const entries = new Map<string, DocumentNode>();
  let sourceChars = 0;
  const remove = (key: string) => {
    const value = entries.get(key);
    if (value === undefined) return;
    entries.delete(key);
    sourceChars -= sourceCharsOf(value);
  };
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
      remove(key);
      const chars = sourceCharsOf(value);
      if (chars > maxSourceChars || chars > maxOperationChars) return;
      entries.set(key, value);
      sourceChars += chars;
      while (entries.size > max || sourceChars > maxSourceChars) remove(entries.keys().next().value!);
    },
    delete: async (key) => {
      remove(key);
    },
    get size() {
      return entries.size;
    },
    get sourceChars() {
      return sourceChars;
    },
  };
}
