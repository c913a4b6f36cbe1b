// The pages' only way to the hub: POST /graphql on the same origin, with the signed-in token, exactly as an
// agency system asks. Every decision is the gateway's; a refusal comes back as an error with its code.

import { currentSession, expireSession, sessionExpired } from './session.js';

export interface GraphQLError {
  message: string;
  /**
   * `status`: the HTTP status of an answer that was not the hub's JSON (a proxy's 502, a 503 text page).
   * `retryAfterSeconds`: when to try again, as the hub's RATE_LIMITED says it, or else the answer's Retry-After.
   */
  extensions?: { code?: string; reason?: string; category?: string; status?: number; retryAfterSeconds?: number };
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

/** An answer's Retry-After (delta-seconds, or an HTTP date) in whole seconds from now, if it has one. */
function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header) ? Number(header) : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  return Number.isFinite(seconds) ? Math.max(seconds, 1) : undefined;
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
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    return { status: 0, errors: [{ message: 'The hub did not answer', extensions: { code: 'NETWORK_ERROR' } }] };
  }
  let body: Omit<GraphQLResult<T>, 'status'>;
  try {
    body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
  } catch {
    // Something answered (a proxy in front of the hub, the hub busy), but not the hub's JSON: its status says what.
    const status = response.status;
    const message = `The hub answered HTTP ${status}, not with JSON`;
    const retryAfterSeconds = retryAfter(response);
    return {
      status,
      errors: [
        { message, extensions: { code: 'NETWORK_ERROR', status, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) } },
      ],
    };
  }
  // A refusal to come back later that says when only in its Retry-After header (a proxy's, say) says it in its error.
  const retryAfterSeconds = retryAfter(response);
  if (retryAfterSeconds && body.errors) {
    body.errors = body.errors.map((error) =>
      error.extensions?.code === 'RATE_LIMITED' && typeof error.extensions.retryAfterSeconds !== 'number'
        ? { ...error, extensions: { ...error.extensions, retryAfterSeconds } }
        : error,
    );
  }
  // The hub's clock has it expired before this browser's did.
  if (!options.token && body.errors?.some((e) => e.extensions?.reason === 'TOKEN_EXPIRED')) {
    expireSession();
    return signInAgain();
  }
  return { status: response.status, ...body };
}

/**
 * Whether an answer is the sign-in's end (signInAgain): the sign-in page has taken over and says why, so the
 * page that asked announces nothing of its own.
 */
export const signedOut = (errors: readonly GraphQLError[] | undefined): boolean =>
  errors?.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED' && e.extensions['reason'] === 'TOKEN_EXPIRED') ??
  false;

/** Routes the address shown again: with no session, that is the sign-in page, which comes back here. */
function signInAgain<T>(): GraphQLResult<T> {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  return {
    status: 401,
    errors: [{ message: 'Your sign-in expired', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' } }],
  };
}
