// Request signing between the gateway and the agency subgraphs: the gateway signs each fetch (who is
// calling, which categories it may read, the exact body) with a key only it and that subgraph hold.

import { createHash, hkdfSync, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { isDataCategory, type DataCategory } from './categories.js';
import { ERRORS } from './errors.js';
import type { SubgraphName } from './services.js';

/** The header that carries the gateway's signature on a subgraph request. */
export const SIGNATURE_HEADER = 'x-hub-signature';

const ISSUER = 'hub-gateway';
const TOKEN_TYPE = 'hub-subgraph+jwt';
const LIFETIME_SECONDS = 30;
// Gateway and subgraphs may run on different hosts (docker/compose.yaml); allow a little clock skew.
const CLOCK_TOLERANCE_SECONDS = 5;

/** Why a subgraph refused a request, as `extensions.reason` of its UNAUTHENTICATED error. */
export type SignatureFailure =
  'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'SIGNATURE_EXPIRED' | 'WRONG_AUDIENCE' | 'BODY_MISMATCH' | 'REPLAYED';

/** Who the gateway says is calling, as proven by a verified signature. */
export interface SignedCaller {
  readonly agencyId: string;
  readonly staffId: string;
  readonly requestId: string;
  /** The data categories the gateway allowed this fetch to read. */
  readonly categories: readonly DataCategory[];
}

/**
 * One subgraph's signing key, derived from the shared secret with HKDF-SHA256 and the subgraph's name,
 * so a key leaked from (or held by) one subgraph cannot sign requests for another.
 */
export function deriveSubgraphKey(secret: string, subgraph: SubgraphName): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), `hub-subgraph-signing:${subgraph}`, 32));
}

/** base64url(sha256(body)): binds a signature to the exact request body the gateway sent. */
export function bodyHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('base64url');
}

export interface SignRequestInput {
  subgraph: SubgraphName;
  key: Uint8Array;
  /** The request body exactly as it goes on the wire. */
  body: string;
  agencyId: string;
  staffId: string;
  requestId: string;
  categories: readonly DataCategory[];
}

/** A compact HS256 JWS for one subgraph request, valid for 30 seconds and once. */
export function signSubgraphRequest(input: SignRequestInput): Promise<string> {
  return new SignJWT({
    bh: bodyHash(input.body),
    agency: input.agencyId,
    rid: input.requestId,
    cat: [...input.categories],
  })
    .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
    .setIssuer(ISSUER)
    .setAudience(input.subgraph)
    .setSubject(input.staffId)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .setJti(randomUUID())
    .sign(input.key);
}

export interface ReplayCacheOptions {
  /**
   * Most signatures remembered at once; when full of unexpired ones, new requests are refused rather
   * than an entry forgotten early (which would let it be replayed).
   * @default 100000
   */
  maxEntries?: number;
  /** @default Date.now */
  now?: () => number;
}

/** The signature ids a subgraph has accepted and that are still within their lifetime. */
export interface ReplayCache {
  /** Records `jti` until `expiresAt` (ms); false if it was already recorded. Throws when full. */
  remember(jti: string, expiresAt: number): boolean;
  readonly size: number;
}

export function createReplayCache(options: ReplayCacheOptions = {}): ReplayCache {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  // Insertion order is (nearly) expiry order, since every token lives as long; eviction stops at the first live one.
  const seen = new Map<string, number>();
  const evictExpired = (at: number) => {
    for (const [jti, expiresAt] of seen) {
      if (expiresAt > at) break;
      seen.delete(jti);
    }
  };
  return {
    remember(jti, expiresAt) {
      const at = now();
      evictExpired(at);
      const known = seen.get(jti);
      if (known !== undefined && known > at) return false;
      if (seen.size >= maxEntries) {
        throw ERRORS.SERVICE_UNAVAILABLE.err('Too many signed requests in flight', { reason: 'REPLAY_CACHE_FULL' });
      }
      seen.set(jti, expiresAt);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}

export interface VerifyRequestInput {
  subgraph: SubgraphName;
  key: Uint8Array;
  /** The x-hub-signature header, if any. */
  token: string | undefined;
  /** The raw request body as received. */
  body: string;
  replay: ReplayCache;
}

function refuse(reason: SignatureFailure, message: string): never {
  throw ERRORS.UNAUTHENTICATED.err(message, { reason });
}

function joseFailure(error: unknown): never {
  if (error instanceof joseErrors.JWTExpired) refuse('SIGNATURE_EXPIRED', 'The gateway signature has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
    refuse('WRONG_AUDIENCE', 'The gateway signature is for another subgraph');
  }
  if (error instanceof joseErrors.JOSEError) refuse('SIGNATURE_INVALID', 'The gateway signature is not valid');
  throw error;
}

function stringClaim(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string' || !value) refuse('SIGNATURE_INVALID', `The gateway signature lacks "${name}"`);
  return value;
}

function categoriesClaim(payload: Record<string, unknown>): DataCategory[] {
  const value = payload['cat'];
  if (!Array.isArray(value) || !value.every((c): c is DataCategory => typeof c === 'string' && isDataCategory(c))) {
    refuse('SIGNATURE_INVALID', 'The gateway signature names unknown categories');
  }
  return value;
}

/**
 * Checks that a subgraph request was signed by the gateway for this subgraph, for this exact body, recently
 * and not before; returns the caller it names. Throws UNAUTHENTICATED (401) with a `reason` otherwise.
 */
export async function verifySubgraphRequest(input: VerifyRequestInput): Promise<SignedCaller> {
  if (!input.token) refuse('SIGNATURE_MISSING', 'Subgraphs answer only requests signed by the gateway');
  const { payload } = await jwtVerify(input.token, input.key, {
    algorithms: ['HS256'],
    typ: TOKEN_TYPE,
    issuer: ISSUER,
    audience: input.subgraph,
    maxTokenAge: LIFETIME_SECONDS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp', 'jti'],
  }).catch(joseFailure);

  if (payload['bh'] !== bodyHash(input.body)) refuse('BODY_MISMATCH', 'The request body is not the one signed');
  const caller: SignedCaller = {
    agencyId: stringClaim(payload, 'agency'),
    staffId: stringClaim(payload, 'sub'),
    requestId: stringClaim(payload, 'rid'),
    categories: categoriesClaim(payload),
  };
  const jti = stringClaim(payload, 'jti');
  // Remember it for as long as jwtVerify would still accept it: until iat + lifetime + tolerance.
  const acceptedUntil = ((payload.iat ?? 0) + LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000;
  if (!input.replay.remember(jti, acceptedUntil)) refuse('REPLAYED', 'This signed request was already answered');
  return caller;
}
