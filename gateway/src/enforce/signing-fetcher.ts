// The fetcher of an agency data source: signs each subgraph request for that subgraph alone (who is
// calling, the categories allowed, the exact body) and sends no identity in plain headers.

import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  isDataCategory,
  SIGNATURE_HEADER,
  signSubgraphRequest,
  type DataCategory,
  type SubgraphName,
} from '@hub/platform';

/** The fetcher option of RemoteGraphQLDataSource. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Headers the data source sets for the fetcher to sign; they never leave the gateway. */
export const IDENTITY_HEADERS = {
  agency: 'x-hub-agency',
  staff: 'x-hub-staff',
  /** Comma-separated data categories this fetch may read; absent or empty means none. */
  categories: 'x-hub-categories',
  requestId: 'x-request-id',
} as const;

function parseCategories(value: string | undefined): DataCategory[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) if (!isDataCategory(name)) throw new Error(`not a data category: ${name}`);
  return names as DataCategory[];
}

/**
 * A fetcher that signs every request for `subgraph` with its key (deriveSubgraphKey) and sends it with
 * Node's fetch, whose pool keeps connections alive. A request without a calling agency is not sent.
 */
export function createSigningFetcher(subgraph: SubgraphName, key: Uint8Array): Fetcher {
  return async (url, init = {}) => {
    const incoming = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const agencyId = incoming[IDENTITY_HEADERS.agency];
    const staffId = incoming[IDENTITY_HEADERS.staff];
    const requestId = incoming[IDENTITY_HEADERS.requestId];
    if (!agencyId || !staffId || !requestId) throw new Error(`no calling agency to sign a ${subgraph} request for`);
    const body = typeof init.body === 'string' ? init.body : (init.body?.toString('utf8') ?? '');

    const signature = await signSubgraphRequest({
      subgraph,
      key,
      body,
      agencyId,
      staffId,
      requestId,
      categories: parseCategories(incoming[IDENTITY_HEADERS.categories]),
    });
    // The subgraph believes only the signature: identity in plain headers would be a second, unchecked story.
    const headers = Object.fromEntries(Object.entries(incoming).filter(([name]) => !name.startsWith('x-hub-')));
    headers[SIGNATURE_HEADER] = signature;

    return fetch(url, {
      method: init.method ?? 'POST',
      headers,
      body,
      ...(init.signal ? { signal: init.signal as AbortSignal } : {}),
    });
  };
}
