import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphQLError } from 'graphql';
import { importJWK, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { generateSigningKey, type PrivateSigningJwk } from './keys.js';
import {
  bodyHash,
  requireTimeToCommit,
  signatureKeys,
  signSubgraphRequest,
  verifySubgraphRequest,
  type ReplayGuard,
  type SignRequestInput,
} from './signing.js';
import type { SubgraphName } from './services.js';

/** A replay guard in memory: the subgraphs' shared one (replay.ts) is exercised through the real stack. */
function memoryReplay(): ReplayGuard {
  const seen = new Set<string>();
  return {
    remember: async (jti) => !seen.has(jti) && Boolean(seen.add(jti)),
  };
}

async function signerOf(jwk: PrivateSigningJwk): Promise<SignRequestInput['key']> {
  return { privateKey: (await importJWK(jwk, jwk.alg)) as CryptoKey, kid: jwk.kid, alg: jwk.alg as 'EdDSA' | 'ES256' };
}

const gateway = generateSigningKey('EdDSA', 'gw-old');
const next = generateSigningKey('ES256', 'gw-new');
const gatewayKey = await signerOf(gateway.privateJwk);
const body = JSON.stringify({ query: '{ person(id: "p1") { name } }', variables: {} });

function sign(overrides: Partial<SignRequestInput> = {}): Promise<string> {
  return signSubgraphRequest({
    subgraph: 'welfare',
    key: gatewayKey,
    body,
    agencyId: 'minamino-welfare',
    staffId: 'staff-1',
    requestId: 'request-1',
    categories: ['IDENTITY', 'CONTACT'],
    ...overrides,
  });
}

function verify(
  token: string | undefined,
  options: { body?: string; subgraph?: SubgraphName; replay?: ReplayGuard; jwks?: JSONWebKeySet } = {},
) {
  return verifySubgraphRequest({
    subgraph: options.subgraph ?? 'welfare',
    keys: signatureKeys(options.jwks ?? gateway.publicJwks),
    token,
    body: options.body ?? body,
    replay: options.replay ?? memoryReplay(),
  });
}

/** The UNAUTHENTICATED reason a verification fails with, or 'ACCEPTED'. */
async function refusal(verification: Promise<unknown>): Promise<unknown> {
  try {
    await verification;
    return 'ACCEPTED';
  } catch (error) {
    expect((error as GraphQLError).extensions['code']).toBe('UNAUTHENTICATED');
    expect((error as GraphQLError).extensions['http']).toEqual({ status: 401 });
    return (error as GraphQLError).extensions['reason'];
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('request signing between the gateway and a subgraph', () => {
  it('a signed request verifies and names the caller, the request and the allowed categories', async () => {
    const caller = await verify(await sign());
    expect(caller).toEqual({
      agencyId: 'minamino-welfare',
      staffId: 'staff-1',
      requestId: 'request-1',
      categories: ['IDENTITY', 'CONTACT'],
      domain: null,
      jurisdiction: [],
      registeredIn: {},
      traceparent: null,
      deadline: null,
    });
  });

  it('carries how long the gateway waits as a signed deadline, which a write commits only well before', async () => {
    const before = Date.now();
    const { deadline } = await verify(await sign({ waitsMs: 10_000 }));
    expect(deadline!.budgetMs).toBe(10_000);
    expect(deadline!.at).toBeGreaterThanOrEqual(before + 10_000);
    expect(deadline!.at).toBeLessThanOrEqual(Date.now() + 10_000);
    const at = deadline!.at;
    // Half a second is left for the answer's way back (a quarter of a shorter wait).
    expect(() => requireTimeToCommit({ deadline }, at - 501)).not.toThrow();
    expect(() => requireTimeToCommit({ deadline }, at - 500)).toThrow(/stopped waiting/);
    expect(() => requireTimeToCommit({ deadline: { at, budgetMs: 400 } }, at - 101)).not.toThrow();
    expect(() => requireTimeToCommit({ deadline: { at, budgetMs: 400 } }, at - 100)).toThrow(/stopped waiting/);
    expect(() => requireTimeToCommit({ deadline: null }, at + 60_000)).not.toThrow();
  });

  it('carries the W3C traceparent inside the signature, and drops one that is not a traceparent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect((await verify(await sign({ traceparent }))).traceparent).toBe(traceparent);
    expect((await verify(await sign({ traceparent: '00-not-a-trace-01' }))).traceparent).toBeNull();
  });

  it("a signature carries the caller's domain, which the subgraph reads its own-domain access by", async () => {
    expect((await verify(await sign({ domain: 'ENVIRONMENT' }))).domain).toBe('ENVIRONMENT');
  });

  it("a signature carries the caller's jurisdiction and where the persons a recording names are registered", async () => {
    const caller = await verify(
      await sign({ jurisdiction: ['990001', '990002'], registeredIn: { 'person-1': '990002' } }),
    );
    expect(caller.jurisdiction).toEqual(['990001', '990002']);
    expect(caller.registeredIn).toEqual({ 'person-1': '990002' });
  });

  it('a signature whose domain, jurisdiction or registrations are malformed is refused', async () => {
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT({ bh: bodyHash(body), agency: 'a', rid: 'r', cat: [], ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: gateway.privateJwk.kid, typ: 'hub-subgraph+jwt' })
        .setIssuer('hub-gateway')
        .setAudience('welfare')
        .setSubject('s')
        .setIssuedAt()
        .setExpirationTime('30s')
        .setJti(crypto.randomUUID())
        .sign(gatewayKey.privateKey);
    expect(await refusal(verify(await signed({ dom: 'PARKS' })))).toBe('SIGNATURE_INVALID');
    expect(await refusal(verify(await signed({ jur: '990001' })))).toBe('SIGNATURE_INVALID');
    expect(await refusal(verify(await signed({ reg: { p: 990001 } })))).toBe('SIGNATURE_INVALID');
    expect(await refusal(verify(await signed({ reg: ['990001'] })))).toBe('SIGNATURE_INVALID');
    expect(await refusal(verify(await signed({ dl: 'soon', dlb: 1000 })))).toBe('SIGNATURE_INVALID');
    expect(await refusal(verify(await signed({ dl: Date.now() })))).toBe('SIGNATURE_INVALID');
    expect(await refusal(verify(await signed({ dl: Date.now(), dlb: 0 })))).toBe('SIGNATURE_INVALID');
  });

  it('a request without a signature is refused', async () => {
    expect(await refusal(verify(undefined))).toBe('SIGNATURE_MISSING');
  });

  it('a signature made with another key under the same kid is refused', async () => {
    const { privateJwk } = generateSigningKey('EdDSA');
    const impostor = await signerOf({ ...privateJwk, kid: gateway.privateJwk.kid });
    expect(await refusal(verify(await sign({ key: impostor })))).toBe('SIGNATURE_INVALID');
  });

  it('a signature under a kid the JWKS does not hold is refused', async () => {
    expect(await refusal(verify(await sign({ key: await signerOf(next.privateJwk) })))).toBe('KEY_UNKNOWN');
  });

  it('during a rotation a signature under either key of the JWKS is accepted', async () => {
    const both = { keys: [...gateway.publicJwks.keys, ...next.publicJwks.keys] };
    expect(await refusal(verify(await sign(), { jwks: both }))).toBe('ACCEPTED');
    expect(await refusal(verify(await sign({ key: await signerOf(next.privateJwk) }), { jwks: both }))).toBe(
      'ACCEPTED',
    );
  });

  it('an HS256 signature is refused, whatever its secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ bh: 'x', agency: 'a', rid: 'r', cat: [] })
      .setProtectedHeader({ alg: 'HS256', kid: gateway.privateJwk.kid, typ: 'hub-subgraph+jwt' })
      .setIssuer('hub-gateway')
      .setAudience('welfare')
      .setSubject('s')
      .setIssuedAt(now)
      .setExpirationTime(now + 30)
      .setJti('j')
      .sign(new TextEncoder().encode(gateway.privateJwk.x));
    expect(await refusal(verify(token))).toBe('SIGNATURE_INVALID');
  });

  it('a signature for employment sent to welfare is refused', async () => {
    expect(await refusal(verify(await sign({ subgraph: 'employment' })))).toBe('WRONG_AUDIENCE');
  });

  it('an expired signature is refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await sign();
    vi.setSystemTime(Date.now() + 60_000);
    expect(await refusal(verify(token))).toBe('SIGNATURE_EXPIRED');
  });

  it('a signature made a minute ago (issuedAt) is refused as expired', async () => {
    expect(await refusal(verify(await sign({ issuedAt: new Date(Date.now() - 60_000) })))).toBe('SIGNATURE_EXPIRED');
    expect(await refusal(verify(await sign({ issuedAt: new Date(Date.now() - 1_000) })))).toBe('ACCEPTED');
  });

  it('a signature over another body is refused', async () => {
    const tampered = body.replace('p1', 'p2');
    expect(await refusal(verify(await sign(), { body: tampered }))).toBe('BODY_MISMATCH');
  });

  it('a signature is accepted once: the same jti again is refused', async () => {
    const replay = memoryReplay();
    const token = await sign();
    expect(await refusal(verify(token, { replay }))).toBe('ACCEPTED');
    expect(await refusal(verify(token, { replay }))).toBe('REPLAYED');
  });

  it('a rejected attempt does not use up the signature', async () => {
    const replay = memoryReplay();
    const token = await sign();
    expect(await refusal(verify(token, { replay, body: '{}' }))).toBe('BODY_MISMATCH');
    expect(await refusal(verify(token, { replay }))).toBe('ACCEPTED');
  });

  it('alg "none" is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: 'none', typ: 'hub-subgraph+jwt' })}.${base64url({
      iss: 'hub-gateway',
      aud: 'welfare',
      iat: now,
      exp: now + 30,
      jti: 'j1',
      bh: 'x',
      agency: 'minamino-welfare',
      sub: 'staff-1',
      rid: 'r1',
      cat: [],
    })}.`;
    expect(await refusal(verify(unsigned))).toBe('SIGNATURE_INVALID');
  });

  it('a signature naming an unknown category is refused', async () => {
    const token = await sign({ categories: ['NOT_A_CATEGORY' as never] });
    expect(await refusal(verify(token))).toBe('SIGNATURE_INVALID');
  });
});
