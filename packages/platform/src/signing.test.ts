import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphQLError } from 'graphql';
import {
  createReplayCache,
  deriveSubgraphKey,
  signSubgraphRequest,
  verifySubgraphRequest,
  type SignRequestInput,
} from './signing.js';
import type { SubgraphName } from './services.js';

const SECRET = 'a-test-signing-secret-of-at-least-32-characters';
const welfareKey = deriveSubgraphKey(SECRET, 'welfare');
const employmentKey = deriveSubgraphKey(SECRET, 'employment');
const body = JSON.stringify({ query: '{ person(id: "p1") { name } }', variables: {} });

function sign(overrides: Partial<SignRequestInput> = {}): Promise<string> {
  return signSubgraphRequest({
    subgraph: 'welfare',
    key: welfareKey,
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
  options: { body?: string; subgraph?: SubgraphName; replay?: ReturnType<typeof createReplayCache> } = {},
) {
  return verifySubgraphRequest({
    subgraph: options.subgraph ?? 'welfare',
    key: deriveSubgraphKey(SECRET, options.subgraph ?? 'welfare'),
    token,
    body: options.body ?? body,
    replay: options.replay ?? createReplayCache(),
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
    });
  });

  it('each subgraph has its own key', () => {
    expect(Buffer.from(welfareKey).equals(Buffer.from(employmentKey))).toBe(false);
    expect(Buffer.from(deriveSubgraphKey(SECRET, 'welfare')).equals(Buffer.from(welfareKey))).toBe(true);
  });

  it('a request without a signature is refused', async () => {
    expect(await refusal(verify(undefined))).toBe('SIGNATURE_MISSING');
  });

  it('a signature made with another key is refused', async () => {
    expect(await refusal(verify(await sign({ key: deriveSubgraphKey('another-secret', 'welfare') })))).toBe(
      'SIGNATURE_INVALID',
    );
  });

  it("a key of one subgraph cannot sign for another: employment's key does not sign for welfare", async () => {
    expect(await refusal(verify(await sign({ key: employmentKey })))).toBe('SIGNATURE_INVALID');
  });

  it('a token for employment sent to welfare is refused', async () => {
    const forEmployment = await sign({ subgraph: 'employment', key: employmentKey });
    expect(await refusal(verify(forEmployment, { subgraph: 'employment' }))).toBe('ACCEPTED');
    expect(await refusal(verify(forEmployment))).toBe('SIGNATURE_INVALID');
    // Even signed with welfare's key, the audience is checked.
    expect(await refusal(verify(await sign({ subgraph: 'employment' })))).toBe('WRONG_AUDIENCE');
  });

  it('an expired signature is refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await sign();
    vi.setSystemTime(Date.now() + 60_000);
    expect(await refusal(verify(token))).toBe('SIGNATURE_EXPIRED');
  });

  it('a signature over another body is refused', async () => {
    const tampered = body.replace('p1', 'p2');
    expect(await refusal(verify(await sign(), { body: tampered }))).toBe('BODY_MISMATCH');
  });

  it('a signature is accepted once: the same jti again is refused', async () => {
    const replay = createReplayCache();
    const token = await sign();
    expect(await refusal(verify(token, { replay }))).toBe('ACCEPTED');
    expect(await refusal(verify(token, { replay }))).toBe('REPLAYED');
  });

  it('a rejected attempt does not use up the signature', async () => {
    const replay = createReplayCache();
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

describe('the replay cache', () => {
  it('forgets a signature once it has expired', () => {
    let now = 1_000;
    const cache = createReplayCache({ now: () => now });
    expect(cache.remember('a', 2_000)).toBe(true);
    expect(cache.remember('a', 2_000)).toBe(false);
    now = 2_000;
    expect(cache.remember('b', 3_000)).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('refuses rather than forgets a live signature when full', () => {
    const cache = createReplayCache({ maxEntries: 2, now: () => 0 });
    cache.remember('a', 10);
    cache.remember('b', 10);
    expect(() => cache.remember('c', 10)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) }),
    );
    expect(cache.remember('a', 10)).toBe(false);
  });
});
