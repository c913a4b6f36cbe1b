// Trusted documents: with a manifest configured, the gateway runs only the operations registered in it,
// named by their sha256 or sent as their exact text; anything else is refused before it is parsed.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ConfigError } from '@hub/platform';

/** Registered operations by the sha256 (hex) of their text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** The hex sha256 of an operation's text, as Apollo's persisted queries compute it. */
export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface ApolloPersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  operations: { id: string; body: string }[];
}

function isApolloManifest(value: unknown): value is ApolloPersistedQueryManifest {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === 'apollo-persisted-query-manifest' &&
    Array.isArray((value as { operations?: unknown }).operations)
  );
}

/**
 * Reads a manifest: `{ "<sha256>": "<operation text>" }`, or Apollo's persisted query list. Every id
 * must be the sha256 of its text, so a client holding the text and a client holding the id agree.
 */
export async function loadTrustedDocuments(path: string): Promise<TrustedDocuments> {
  // The operator's to mend (the file TRUSTED_DOCUMENTS names): a refused configuration, in one line.
  const refused = (problem: string) => new ConfigError([`TRUSTED_DOCUMENTS: ${path} ${problem}`]);
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw refused(`cannot be read (${(error as { code?: string }).code ?? 'unreadable'})`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refused('is not JSON: a manifest is { "<sha256>": "<operation>" } or an Apollo persisted query list');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw refused('is not a manifest: { "<sha256>": "<operation>" } or an Apollo persisted query list');
  }
  const entries = isApolloManifest(parsed)
    ? parsed.operations.map((o) => [o.id, o.body] as const)
    : Object.entries(parsed as Record<string, unknown>);
  const documents = new Map<string, string>();
  for (const [id, operation] of entries) {
    if (typeof operation !== 'string' || documentHash(operation) !== id) {
      throw refused(
        `has the entry ${JSON.stringify(id)}, which is not the sha256 of its text (npm run trusted-documents writes them)`,
      );
    }
    documents.set(id, operation);
  }
  return documents;
}

function refuse(code: 'PERSISTED_QUERY_NOT_FOUND' | 'BAD_REQUEST', reason: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, reason, http: { status: 400 } } });
}

/**
 * An operation's text as GraphQL reads it, without what it ignores around it: a byte order mark before it, and
 * white space and line ends after it (a file's last newline, which a client may send or not).
 */
export const operationText = (text: string): string => text.replace(/^\uFEFF/, '').trimEnd();

// Per manifest, its texts by the sha256 of the operation each holds (operationText).
const byOperation = new WeakMap<TrustedDocuments, ReadonlyMap<string, string>>();

/** The registered text of the operation a query's text holds, whatever it ends with. */
function asSent(documents: TrustedDocuments, query: string): string | undefined {
  let texts = byOperation.get(documents);
  if (!texts) {
    texts = new Map([...documents.values()].map((text) => [documentHash(operationText(text)), text]));
    byOperation.set(documents, texts);
  }
  return texts.get(documentHash(operationText(query)));
}

/** The registered text a request names, or why it is refused. */
function resolveDocument(
  documents: TrustedDocuments,
  query: string | undefined,
  claimed: unknown,
): { text: string } | { refusal: GraphQLError } {
  const hash = typeof claimed === 'string' ? claimed : query !== undefined ? documentHash(query) : undefined;
  if (query !== undefined && hash !== documentHash(query)) {
    return {
      refusal: refuse('BAD_REQUEST', 'HASH_MISMATCH', 'The persisted query hash is not the sha256 of the query sent'),
    };
  }
  const text =
    hash === undefined
      ? undefined
      : (documents.get(hash) ?? (query !== undefined && claimed === undefined ? asSent(documents, query) : undefined));
  if (text === undefined) {
    return {
      refusal: refuse(
        'PERSISTED_QUERY_NOT_FOUND',
        'DOCUMENT_NOT_TRUSTED',
        'Only the trusted documents registered with the hub run here; send a registered sha256Hash',
      ),
    };
  }
  return { text };
}

// What a refused request is reduced to, so no untrusted text is parsed or validated before the refusal.
const REFUSED_PLACEHOLDER = '{ __typename }';

/**
 * Resolves each request against the manifest as it starts, before Apollo Server reads it: a registered
 * hash or text becomes the registered text (so automatic persisted queries can register nothing).
 * Anything else is reduced to a placeholder and refused at `didResolveOperation`, the first hook whose
 * GraphQLError Apollo Server answers as it is (with its 400) rather than as a 500.
 */
export function trustedDocumentsPlugin<TContext extends BaseContext>(
  documents: TrustedDocuments,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const { persistedQuery, ...extensions } = (request.extensions ?? {}) as { persistedQuery?: unknown };
      const resolved = resolveDocument(
        documents,
        request.query,
        (persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash,
      );
      request.extensions = extensions;
      if ('text' in resolved) {
        request.query = resolved.text;
        return;
      }
      request.query = REFUSED_PLACEHOLDER;
      request.operationName = undefined;
      return {
        async didResolveOperation() {
          throw resolved.refusal;
        },
      };
    },
  };
}
