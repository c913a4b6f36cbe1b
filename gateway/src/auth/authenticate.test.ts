// Tokens verified against an identity provider's JWKS URL while its key set cannot be fetched: a token
// under a key the gateway fetched before is still verified; one under a key it never saw is a 503.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createAuthenticator } from './authenticate.js';
import type { AgencyRow } from '../hub/store.js';

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'hub';
/** jose fetches a key set again once its copy is older than this (its default cacheMaxAge). */
const CACHE_MAX_AGE_MS = 10 * 60_000;

const agency: AgencyRow = {
  id: 'minamino-welfare',
  name: 'みなみ野市 福祉課',
  domain: 'WELFARE',
  kind: 'municipality',
  municipalityCode: '990001',
  rateLimitPerMinute: null,
  deactivatedAt: null,
  tokensIssuedAfter: null,
  jurisdiction: ['990001'],
};
const lookup = async (id: string) => (id === agency.id ? agency : null);

let server: Server;
let url = '';
let answering = true;
const keys: { kid: string; privateKey: CryptoKey; jwk: Record<string, unknown> }[] = [];
/** The kids the key set serves. */
let served: string[] = [];

async function key(kid: string) {
  const pair = await generateKeyPair('EdDSA');
  keys.push({ kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA' } });
}

const tokenUnder = (kid: string) =>
  new SignJWT({ agency: agency.id })
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .setSubject('staff-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(keys.find((k) => k.kid === kid)!.privateKey);

/** The extensions of the refusal, or 'accepted'. */
const outcome = (authenticate: (authorization: string) => Promise<unknown>, token: string) =>
  authenticate(`Bearer ${token}`).then(
    () => 'accepted',
    (error: { extensions?: Record<string, unknown> }) => error.extensions,
  );

beforeAll(async () => {
  await key('idp-a');
  await key('idp-b');
  server = createServer((_request, response) => {
    if (!answering) {
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys.filter((k) => served.includes(k.kid)).map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  vi.restoreAllMocks();
  answering = true;
});

function authenticator() {
  const { authenticate } = createAuthenticator({
    issuer: ISSUER,
    audience: AUDIENCE,
    verify: { kind: 'jwks-url', url },
    tokenSigningKey: undefined,
  });
  return (authorization: string) => authenticate(authorization, lookup);
}

/** Moves the clock past jose's cache age: its next verification fetches the key set again first. */
function laterByCacheAge() {
  const now = Date.now();
  vi.spyOn(Date, 'now').mockImplementation(() => now + CACHE_MAX_AGE_MS + 60_000);
}

describe('the identity provider’s key set unreachable after it was fetched', () => {
  it('still verifies a token under a key fetched before, once the copy is older than the cache age', async () => {
    served = ['idp-a'];
    const authenticate = authenticator();
    const token = await tokenUnder('idp-a');
    expect(await outcome(authenticate, token)).toBe('accepted');

    answering = false;
    laterByCacheAge();
    expect(await outcome(authenticate, token)).toBe('accepted');
  });

  it('answers a token under a key it never fetched 503 KEYS_UNREACHABLE: only the provider can tell', async () => {
    served = ['idp-a'];
    const authenticate = authenticator();
    expect(await outcome(authenticate, await tokenUnder('idp-a'))).toBe('accepted');

    answering = false;
    laterByCacheAge();
    expect(await outcome(authenticate, await tokenUnder('idp-b'))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'KEYS_UNREACHABLE',
    });
  });

  it('refuses a key the provider withdrew from its key set at the first fetch that succeeds', async () => {
    served = ['idp-a', 'idp-b'];
    const authenticate = authenticator();
    const token = await tokenUnder('idp-b');
    expect(await outcome(authenticate, token)).toBe('accepted');

    served = ['idp-a'];
    laterByCacheAge();
    expect(await outcome(authenticate, token)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'KEY_UNKNOWN' });
  });
});
