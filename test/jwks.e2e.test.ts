// Production verification: tokens signed by the identity provider (ES256), checked against its JWKS.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AGENCIES } from '@hub/platform';
import { createTestDatabase, startTestHub, type TestDatabase, type TestHub } from './support/hub.js';

let database: TestDatabase;
let hub: TestHub;
let jwks: Server;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  database = await createTestDatabase();
  hub = await startTestHub(database, { auth: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` } });
});

afterAll(async () => {
  await hub?.close();
  await database?.drop();
  await new Promise((resolve) => jwks?.close(resolve));
});

function idpToken(claims: { agency: string }, ttl = '5m') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setSubject('staff-42')
    .setIssuer(hub.config.auth.issuer)
    .setAudience(hub.config.auth.audience)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(privateKey);
}

it('accepts a token of the identity provider, verified against its JWKS', async () => {
  const token = await idpToken({ agency: AGENCIES.minaminoWelfare.id });
  const result = await hub.query<{ agencies: unknown[] }>({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
  expect(result.status).toBe(200);
  expect(result.data!.agencies.length).toBeGreaterThan(0);
});

it('refuses a development HS256 token once a JWKS is configured', async () => {
  const token = await hub.token(AGENCIES.minaminoWelfare.id);
  const result = await hub.query({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
  expect(result.status).toBe(401);
  expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
});

it('refuses a token signed by another key under the same key id', async () => {
  const other = await generateKeyPair('ES256');
  const token = await new SignJWT({ agency: AGENCIES.minaminoWelfare.id })
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setSubject('staff-42')
    .setIssuer(hub.config.auth.issuer)
    .setAudience(hub.config.auth.audience)
    .setExpirationTime('5m')
    .sign(other.privateKey);
  const result = await hub.query({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
  expect(result.status).toBe(401);
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
});
