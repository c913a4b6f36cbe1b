// The pages' only way to the hub: POST /graphql on the same origin, with the signed-in token, exactly as an
// agency system asks. Every decision is the gateway's; a refusal comes back as an error with its code.

import { currentSession, expireSession, sessionExpired } from './session.js';

export interface GraphQLError {
  message: string;
  extensions?: { code?: string; reason?: string; category?: string };
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

export async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { purpose?: string; token?: string } = {},
): Promise<GraphQLResult<T>> {
  const token = options.token ?? currentSession()?.token;
  // A sign-in that expired while the page was open: back to the sign-in page, which says why, rather than
  // asking without a token.
  if (!token && sessionExpired()) return signInAgain();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  // X-Hub-Purpose is percent-encoded: a header carries latin1 only, and the gateway decodes it.
  if (options.purpose) headers['x-hub-purpose'] = encodeURIComponent(options.purpose);
  try {
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
    // The hub's clock has it expired before this browser's did.
    if (!options.token && body.errors?.some((e) => e.extensions?.reason === 'TOKEN_EXPIRED')) {
      expireSession();
      return signInAgain();
    }
    return { status: response.status, ...body };
  } catch {
    return { status: 0, errors: [{ message: 'The hub did not answer', extensions: { code: 'NETWORK_ERROR' } }] };
  }
}

/** Routes the address shown again: with no session, that is the sign-in page, which comes back here. */
function signInAgain<T>(): GraphQLResult<T> {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  return {
    status: 401,
    errors: [{ message: 'Your sign-in expired', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' } }],
  };
}
