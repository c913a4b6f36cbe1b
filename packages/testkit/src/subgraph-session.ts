// How the conformance check talks to a subgraph: requests signed as the gateway signs them (with the gateway's
// private key, or a forger's under the same kid, for another subgraph, or issued earlier), or not signed at all,
// and answers read as GraphQL. A server that cannot be reached or is not GraphQL stops the check here
// (SubgraphUnreachableError); what the answers mean is the checks' business (check-subgraph.ts).

import { randomUUID } from 'node:crypto';
import { importJWK, type CryptoKey } from 'jose';
// The platform's modules one by one, not its index: the command starts without loading a database or a server.
import { DATA_CATEGORIES, owningDomain, type DataCategory } from '@hub/platform/categories';
import { generateSigningKey, type PrivateSigningJwk } from '@hub/platform/keys';
import { DOMAINS, SUBGRAPH_NAMES, subgraphService, type Domain, type SubgraphName } from '@hub/platform/services';
import { SIGNATURE_HEADER, signSubgraphRequest } from '@hub/platform/signing';

/** The subgraph could not be talked to at all: nothing else is checked. */
export class SubgraphUnreachableError extends Error {
  override name = 'SubgraphUnreachableError';
}

export interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message?: unknown; extensions?: Record<string, unknown> }[];
  };
  text: string;
}

export interface SignOverrides {
  readonly categories?: readonly DataCategory[];
  readonly issuedAt?: Date;
  readonly forged?: boolean;
  readonly subgraph?: SubgraphName;
}

/** The subgraph as the checks talk to it. */
export interface SubgraphSession {
  readonly url: string;
  /** The subgraph a signature names as its audience. */
  readonly audience: SubgraphName;
  /** Signs a body as the gateway would, or with another key or for another subgraph, or issued earlier. */
  sign(body: string, overrides?: SignOverrides): Promise<string>;
  post(body: string, signature: string | undefined): Promise<Answer>;
  signedPost(query: string, variables?: Record<string, unknown>, categories?: readonly DataCategory[]): Promise<Answer>;
}

export interface SessionOptions {
  readonly url: string;
  readonly domain: Domain;
  readonly signingKey: PrivateSigningJwk;
  readonly subgraph?: SubgraphName | undefined;
  readonly timeoutMs?: number | undefined;
}

/** The `extensions.reason` of an answer's first error, if it gives one. */
export function reasonOf(answer: Answer): string | undefined {
  const reason = answer.body.errors?.[0]?.extensions?.['reason'];
  return typeof reason === 'string' ? reason : undefined;
}

function subgraphOf(domain: Domain): SubgraphName {
  const name = SUBGRAPH_NAMES.find((n) => subgraphService(n).domain === domain);
  if (!name) throw new TypeError(`no subgraph holds the domain "${domain}"; the domains are ${DOMAINS.join(', ')}`);
  return name;
}

function describeFailure(url: string, error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `${url} gave no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : (error as Error).message;
  return `${url} could not be reached (${code ?? message})`;
}

/** Reads a response as a GraphQL answer, or says why it is none. */
async function readAnswer(url: string, response: Response, text: string): Promise<Answer> {
  const notGraphQL = () => {
    const type = response.headers.get('content-type') ?? 'no content type';
    return new SubgraphUnreachableError(
      `${url} did not answer as a GraphQL server (HTTP ${response.status}, ${type.split(';')[0]})`,
    );
  };
  // A GraphQL endpoint answers a POST, whatever is wrong with it; 404 and 405 say there is none at this URL.
  if (response.status === 404 || response.status === 405) throw notGraphQL();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    throw notGraphQL();
  }
  if (typeof parsed !== 'object' || parsed === null || !('data' in parsed || 'errors' in parsed)) {
    throw new SubgraphUnreachableError(`${url} did not answer as a GraphQL server (JSON without data or errors)`);
  }
  return { status: response.status, body: parsed, text };
}

export async function openSession(options: SessionOptions): Promise<SubgraphSession> {
  const { url } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const audience = options.subgraph ?? subgraphOf(options.domain);
  const ownCategories = (Object.keys(DATA_CATEGORIES) as DataCategory[]).filter(
    (c) => owningDomain(c) === options.domain,
  );
  if (options.signingKey.alg === 'RS256') throw new Error('the gateway signs with Ed25519 or P-256, not RSA');
  const alg: 'ES256' | 'EdDSA' = options.signingKey.alg === 'ES256' ? 'ES256' : 'EdDSA';
  const key = { privateKey: (await importJWK(options.signingKey, alg)) as CryptoKey, kid: options.signingKey.kid, alg };
  // A key of the same kind under the same kid: what a forger without the gateway's key could sign with.
  const forger = generateSigningKey(alg).privateJwk;
  const forgedKey = { privateKey: (await importJWK(forger, alg)) as CryptoKey, kid: options.signingKey.kid, alg };

  const sign = (body: string, overrides: SignOverrides = {}) =>
    signSubgraphRequest({
      subgraph: overrides.subgraph ?? audience,
      key: overrides.forged ? forgedKey : key,
      body,
      agencyId: 'conformance-check',
      staffId: 'conformance-check',
      requestId: randomUUID(),
      categories: overrides.categories ?? ownCategories,
      ...(overrides.issuedAt ? { issuedAt: overrides.issuedAt } : {}),
    });

  const post = async (body: string, signature: string | undefined): Promise<Answer> => {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADER]: signature } : {}) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new SubgraphUnreachableError(describeFailure(url, error, timeoutMs));
    }
    return readAnswer(url, response, text);
  };

  return {
    url,
    audience,
    sign,
    post,
    async signedPost(query, variables, categories) {
      const body = JSON.stringify({ query, variables });
      return post(body, await sign(body, categories ? { categories } : {}));
    },
  };
}
