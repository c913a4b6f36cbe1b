// Production verification (CONTRACT.md, "Who is calling"): tokens signed by the identity provider
// (ES256, EdDSA, RS256, with a kid) checked against its JWKS, by URL or from a local file; HS256 is refused.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AGENCIES, generateSigningKey, readConfig } from '@hub/platform';
import { mintDevToken } from '@hub/gateway/token';
import { createTestDatabase, startTestHub, type TestDatabase, type TestHub } from './support/hub.js';

interface IdpKey {
  readonly kid: string;
  readonly alg: 'ES256' | 'EdDSA' | 'RS256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function idpKey(kid: string, alg: IdpKey['alg']): Promise<IdpKey> {
  const pair = await generateKeyPair(alg);
  return {
    kid,
    alg,
    privateKey: pair.privateKey,
    publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' },
  };
}

let database: TestDatabase;
let hub: TestHub;
let jwks: Server;
let current: IdpKey;
let previous: IdpKey;
/** A key of the RS256 kind many identity providers sign with by default. */
let rsa: IdpKey;
/** Whether the identity provider's JWKS endpoint answers (500 otherwise). */
let jwksAnswers = true;

beforeAll(async () => {
  // The identity provider in the middle of a rotation: its JWKS holds the previous key and the current one.
  previous = await idpKey('idp-1', 'ES256');
  current = await idpKey('idp-2', 'EdDSA');
  rsa = await idpKey('idp-rsa', 'RS256');
  jwks = createServer((_req, res) => {
    if (!jwksAnswers) {
      res.writeHead(500);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [previous.publicJwk, current.publicJwk, rsa.publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  database = await createTestDatabase();
  hub = await startTestHub(database, {
    auth: { verify: { kind: 'jwks-url', url: `http://127.0.0.1:${port}/.well-known/jwks.json` } },
  });
});

afterAll(async () => {
  await hub?.close();
  await database?.drop();
  await new Promise((resolve) => jwks?.close(resolve));
});

function idpToken(
  key: Pick<IdpKey, 'alg' | 'privateKey'> & { kid?: string },
  ttl = '5m',
  issuedAt?: number,
  issuer = hub.config.auth.issuer,
) {
  return new SignJWT({ agency: AGENCIES.minaminoWelfare.id })
    .setProtectedHeader({ alg: key.alg, ...(key.kid ? { kid: key.kid } : {}) })
    .setSubject('staff-42')
    .setIssuer(issuer)
    .setAudience(hub.config.auth.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(ttl)
    .sign(key.privateKey);
}

async function agenciesWith(token: string) {
  return hub.query<{ agencies: unknown[] }>({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
}

// First in this file: before any fetch of the key set, so none is cached.
describe('the identity provider’s JWKS unreachable', () => {
  it('answers 503 SERVICE_UNAVAILABLE (KEYS_UNREACHABLE), not 401: the token may well be good', async () => {
    jwksAnswers = false;
    try {
      const result = await agenciesWith(await idpToken(current));
      expect(result.status).toBe(503);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'KEYS_UNREACHABLE' });
    } finally {
      jwksAnswers = true;
    }
    // Once it answers again, the same token is accepted.
    expect((await agenciesWith(await idpToken(current))).status).toBe(200);
  });
});

describe('tokens verified against a JWKS', () => {
  it('accepts tokens under either kid of a JWKS with two keys (ES256 and EdDSA)', async () => {
    for (const key of [previous, current]) {
      const result = await agenciesWith(await idpToken(key));
      expect(result.status).toBe(200);
      expect(result.data!.agencies.length).toBeGreaterThan(0);
    }
  });

  it('accepts an RS256 token under its kid, as many identity providers sign by default', async () => {
    const result = await agenciesWith(await idpToken(rsa));
    expect(result.status).toBe(200);
    expect(result.data!.agencies.length).toBeGreaterThan(0);
  });

  it('refuses a token of another issuer (CLAIM_INVALID), whatever key signed it', async () => {
    const result = await agenciesWith(await idpToken(current, '5m', undefined, 'https://another-idp.example'));
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
  });

  it('refuses a token issued in the future (CLAIM_INVALID): it would outlive a later reactivateAgency', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await agenciesWith(await idpToken(current, '1h', now + 600));
    expect(ahead.status).toBe(401);
    expect(ahead.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
    // A clock a few seconds fast is no reason to refuse.
    expect((await agenciesWith(await idpToken(current, '1h', now + 20))).status).toBe(200);
  });

  it('takes a token not yet valid by a few seconds (nbf) as one issued by a clock a few seconds fast; further ahead, CLAIM_INVALID naming nbf', async () => {
    const now = Math.floor(Date.now() / 1000);
    const notBefore = (seconds: number, expiresIn = 3600) =>
      new SignJWT({ agency: AGENCIES.minaminoWelfare.id })
        .setProtectedHeader({ alg: current.alg, kid: current.kid })
        .setSubject('staff-42')
        .setIssuer(hub.config.auth.issuer)
        .setAudience(hub.config.auth.audience)
        .setIssuedAt(now + seconds)
        .setNotBefore(now + seconds)
        .setExpirationTime(now + expiresIn)
        .sign(current.privateKey);
    expect((await agenciesWith(await notBefore(20))).status).toBe(200);
    // Judged as of its nbf, not later: a short-lived one is not taken for expired.
    expect((await agenciesWith(await notBefore(20, 40))).status).toBe(200);
    // A NumericDate may have a fraction of a second.
    expect((await agenciesWith(await notBefore(10.5))).status).toBe(200);
    const ahead = await agenciesWith(await notBefore(600));
    expect(ahead.status).toBe(401);
    expect(ahead.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
    expect(ahead.errors?.[0]?.message).toMatch(/"nbf"/);
  });

  it('refuses a token that names no kid', async () => {
    const result = await agenciesWith(await idpToken({ alg: current.alg, privateKey: current.privateKey }));
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'KEY_UNKNOWN' });
  });

  it('refuses a token under a kid the JWKS does not hold', async () => {
    const result = await agenciesWith(await idpToken({ ...current, kid: 'idp-retired' }));
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'KEY_UNKNOWN' });
  });

  it('refuses a development HS256 token once a JWKS is configured', async () => {
    const token = await mintDevToken(
      { ...hub.config.auth, verify: { kind: 'secret', secret: 'the-development-secret' } },
      { agency: AGENCIES.minaminoWelfare.id },
    );
    const result = await agenciesWith(token);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed by another key under the same key id', async () => {
    const other = await generateKeyPair('ES256');
    const result = await agenciesWith(await idpToken({ alg: 'ES256', kid: 'idp-1', privateKey: other.privateKey }));
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
  });
});

describe('a JWKS given as a file (closed networks) and npm run token signing with its key', () => {
  let local: TestHub;
  let localDatabase: TestDatabase;
  const tokens = generateSigningKey('ES256', 'tokens');

  beforeAll(async () => {
    // What npm run keys writes and the README tells to set: the JWKS for the gateway, the private key for npm run token.
    const config = readConfig({
      NODE_ENV: 'test',
      JWKS_FILE: JSON.stringify(tokens.publicJwks),
      TOKEN_SIGNING_KEY: JSON.stringify(tokens.privateJwk),
    });
    localDatabase = await createTestDatabase();
    local = await startTestHub(localDatabase, { auth: config.auth });
  });

  afterAll(async () => {
    await local?.close();
    await localDatabase?.drop();
  });

  it('a development token signed with TOKEN_SIGNING_KEY carries its kid and is accepted against JWKS_FILE', async () => {
    const token = await local.token(AGENCIES.minaminoWelfare.id);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(header).toMatchObject({ alg: 'ES256', kid: tokens.privateJwk.kid });
    const result = await local.query({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('the development HS256 token is refused where a JWKS file is configured', async () => {
    const token = await mintDevToken(
      { ...local.config.auth, tokenSigningKey: undefined, verify: { kind: 'secret', secret: 'x'.repeat(40) } },
      { agency: AGENCIES.minaminoWelfare.id },
    );
    const result = await local.query({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
    expect(result.status).toBe(401);
  });
});
