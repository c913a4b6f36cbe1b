// The pages' only way to the hub: POST /graphql on the same origin, with the signed-in token, exactly as an
// agency system asks. Every decision is the gateway's; a refusal comes back as an error with its code.

import { currentSession } from './session.js';

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
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  // X-Hub-Purpose is percent-encoded: a header carries latin1 only, and the gateway decodes it.
  if (options.purpose) headers['x-hub-purpose'] = encodeURIComponent(options.purpose);
  try {
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
    return { status: response.status, ...body };
  } catch {
    return { status: 0, errors: [{ message: 'The hub did not answer', extensions: { code: 'NETWORK_ERROR' } }] };
  }
}
