// Request signing between the gateway and the agency subgraphs: the gateway signs each fetch (who is
// calling, which categories it may read, the exact body) with a private key only it holds.

import { createHash, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  errors as joseErrors,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { isDataCategory, type DataCategory } from './categories.js';
import type { SigningConfig } from './config.js';
import { ERRORS } from './errors.js';
import type { SigningAlgorithm } from './keys.js';
import { DOMAINS, type Domain, type SubgraphName } from './services.js';

/** The header that carries the gateway's signature on a subgraph request. */
export const SIGNATURE_HEADER = 'x-hub-signature';

/**
 * What a subgraph's 401 asks for (`WWW-Authenticate`): the gateway's signature, a JWT in SIGNATURE_HEADER, not
 * a caller's bearer token.
 */
export const SIGNATURE_CHALLENGE = `HubSignature realm="subgraph", header="${SIGNATURE_HEADER}"`;

const ISSUER = 'hub-gateway';
const TOKEN_TYPE = 'hub-subgraph+jwt';
const LIFETIME_SECONDS = 30;
// Gateway and subgraphs may run on different hosts (docker/compose.yaml); allow a little clock skew.
const CLOCK_TOLERANCE_SECONDS = 5;

/** Why a subgraph refused a request, as `extensions.reason` of its UNAUTHENTICATED error. */
export type SignatureFailure =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'KEY_UNKNOWN'
  | 'SIGNATURE_EXPIRED'
  | 'WRONG_AUDIENCE'
  | 'BODY_MISMATCH'
  | 'REPLAYED';

/** Who the gateway says is calling, as proven by a verified signature. */
export interface SignedCaller {
  readonly agencyId: string;
  readonly staffId: string;
  readonly requestId: string;
  /** The data categories the gateway allowed this fetch to read. */
  readonly categories: readonly DataCategory[];
  /** The calling agency's domain; null for the hub's own requests, which act for no agency. */
  readonly domain: Domain | null;
  /** The municipalities the calling agency serves (its jurisdiction): what its dashboards count. */
  readonly jurisdiction: readonly string[];
  /**
   * Where each person a recording names is registered in the hub's register now, by person id: the
   * municipality a record made for them counts in. Empty for reads.
   */
  readonly registeredIn: Readonly<Record<string, string>>;
  /** The W3C trace context the fetch belongs to, when the gateway traces: signed, so it is the gateway's. */
  readonly traceparent: string | null;
  /**
   * Until when the gateway waits for the answer, and how long it gave: a write whose answer would come
   * later is not committed (`requireTimeToCommit`), since the gateway has told its client it failed. Null
   * when the signature names none (a conformance check's, or an older gateway's).
   */
  readonly deadline: { readonly at: number; readonly budgetMs: number } | null;
}

/** The gateway's private signing key, imported once, with the key id and algorithm its signatures name. */
export interface GatewayKeys {
  readonly privateKey: CryptoKey;
  readonly kid: string;
  readonly alg: Exclude<SigningAlgorithm, 'RS256'>;
  /** The public keys the gateway's signatures verify under (its own and, during a rotation, the other). */
  readonly publicJwks: JSONWebKeySet;
}

/**
 * The gateway's signing key and public JWKS from the configuration (GATEWAY_SIGNING_KEY,
 * GATEWAY_VERIFY_KEYS). Throws in a process that holds no private key, such as a subgraph.
 */
export async function gatewayKeys(signing: SigningConfig): Promise<GatewayKeys> {
  const jwk = signing.gatewayKey;
  if (!jwk) throw new Error('this process holds no gateway signing key (GATEWAY_SIGNING_KEY)');
  if (jwk.alg === 'RS256') throw new Error('the gateway signs with Ed25519 or P-256, not RSA');
  const privateKey = (await importJWK(jwk, jwk.alg)) as CryptoKey;
  return { privateKey, kid: jwk.kid, alg: jwk.alg, publicJwks: signing.verifyKeys };
}

/** base64url(sha256(body)): binds a signature to the exact request body the gateway sent. */
export function bodyHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('base64url');
}

export interface SignRequestInput {
  subgraph: SubgraphName;
  key: Pick<GatewayKeys, 'privateKey' | 'kid' | 'alg'>;
  /** The request body exactly as it goes on the wire. */
  body: string;
  agencyId: string;
  staffId: string;
  requestId: string;
  categories: readonly DataCategory[];
  domain?: Domain | undefined;
  jurisdiction?: readonly string[];
  registeredIn?: Readonly<Record<string, string>>;
  /** The W3C `traceparent` of the fetch, when it is traced: signed with the rest, so no one can splice a trace in. */
  traceparent?: string | undefined;
  /** When the signature says it was made (a conformance check signs one that has expired). @default now */
  issuedAt?: Date;
  /** How long the gateway waits for the answer (its SUBGRAPH_TIMEOUT_MS), from now: signed as a deadline. */
  waitsMs?: number;
}

/** A W3C traceparent: version, trace id, parent span id, flags. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A compact JWS (EdDSA or ES256, with the key's kid) for one subgraph request, valid for 30 seconds and once. */
export function signSubgraphRequest(input: SignRequestInput): Promise<string> {
  const iat = Math.floor((input.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({
    bh: bodyHash(input.body),
    agency: input.agencyId,
    rid: input.requestId,
    cat: [...input.categories],
    ...(input.domain ? { dom: input.domain } : {}),
    jur: [...(input.jurisdiction ?? [])],
    ...(input.registeredIn && Object.keys(input.registeredIn).length ? { reg: { ...input.registeredIn } } : {}),
    ...(input.traceparent ? { tp: input.traceparent } : {}),
    ...(input.waitsMs ? { dl: Date.now() + input.waitsMs, dlb: input.waitsMs } : {}),
  })
    .setProtectedHeader({ alg: input.key.alg, kid: input.key.kid, typ: TOKEN_TYPE })
    .setIssuer(ISSUER)
    .setAudience(input.subgraph)
    .setSubject(input.staffId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(input.key.privateKey);
}

/**
 * The signature ids a subgraph has accepted and that are still within their lifetime, shared by every
 * replica of the subgraph (replay.ts keeps them in the subgraph's own schema).
 */
export interface ReplayGuard {
  /** Records `jti` until `expiresAt` (ms since the epoch); false if it was already recorded. */
  remember(jti: string, expiresAt: number): Promise<boolean>;
}

/** The keys a subgraph verifies the gateway's signatures with: any key of the JWKS, chosen by kid. */
export type SignatureKeys = JWTVerifyGetKey;

/** Verification keys from a JWKS of public keys; a signature without a kid matches none. */
export function signatureKeys(jwks: JSONWebKeySet): SignatureKeys {
  const byKid = createLocalJWKSet(jwks);
  return (header, token) => {
    if (!header.kid) throw new joseErrors.JWKSNoMatchingKey();
    return byKid(header, token);
  };
}

export interface VerifyRequestInput {
  subgraph: SubgraphName;
  keys: SignatureKeys;
  /** The x-hub-signature header, if any. */
  token: string | undefined;
  /** The raw request body as received. */
  body: string;
  replay: ReplayGuard;
}

function refuse(reason: SignatureFailure, message: string): never {
  throw ERRORS.UNAUTHENTICATED.err(message, { reason });
}

function joseFailure(error: unknown): never {
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    refuse('KEY_UNKNOWN', 'The gateway signature names no key this subgraph accepts');
  }
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

function domainClaim(payload: Record<string, unknown>): Domain | null {
  const value = payload['dom'] ?? null;
  if (value !== null && !DOMAINS.includes(value as Domain)) {
    refuse('SIGNATURE_INVALID', 'The gateway signature names an unknown domain');
  }
  return value as Domain | null;
}

function jurisdictionClaim(payload: Record<string, unknown>): string[] {
  const value = payload['jur'] ?? [];
  if (!Array.isArray(value) || !value.every((code): code is string => typeof code === 'string')) {
    refuse('SIGNATURE_INVALID', 'The gateway signature names no valid jurisdiction');
  }
  return value;
}

function deadlineClaim(payload: Record<string, unknown>): SignedCaller['deadline'] {
  const [at, budgetMs] = [payload['dl'], payload['dlb']];
  if (at === undefined && budgetMs === undefined) return null;
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(budgetMs) || (budgetMs as number) <= 0) {
    refuse('SIGNATURE_INVALID', 'The gateway signature names no valid deadline');
  }
  return { at: at as number, budgetMs: budgetMs as number };
}

/**
 * Refuses to commit a write the gateway no longer waits for: past its signed deadline, less a margin for the
 * answer's way back (a quarter of the time it gave, at most half a second), the gateway has answered its
 * client SERVICE_UNAVAILABLE, and a write committed now would be one the client was told failed, which the
 * hub's register (a registration, a DV transfer's move) would never learn. Called inside the write's
 * transaction, last, so that throwing rolls it back.
 */
export function requireTimeToCommit(caller: Pick<SignedCaller, 'deadline'>, now = Date.now()): void {
  if (!caller.deadline) return;
  const margin = Math.min(500, caller.deadline.budgetMs / 4);
  if (now < caller.deadline.at - margin) return;
  throw ERRORS.SERVICE_UNAVAILABLE.err('The gateway stopped waiting for this write: nothing was written', {
    reason: 'DEADLINE_PASSED',
  });
}

function registeredInClaim(payload: Record<string, unknown>): Record<string, string> {
  const value = payload['reg'] ?? {};
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((code) => typeof code === 'string')
  ) {
    refuse('SIGNATURE_INVALID', 'The gateway signature names no valid registrations');
  }
  return value as Record<string, string>;
}

/**
 * Checks that a subgraph request was signed by the gateway for this subgraph, for this exact body, recently
 * and not before; returns the caller it names. Throws UNAUTHENTICATED (401) with a `reason` otherwise.
 */
export async function verifySubgraphRequest(input: VerifyRequestInput): Promise<SignedCaller> {
  if (!input.token) refuse('SIGNATURE_MISSING', 'Subgraphs answer only requests signed by the gateway');
  const { payload } = await jwtVerify(input.token, input.keys, {
    algorithms: ['EdDSA', 'ES256'],
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
    domain: domainClaim(payload),
    jurisdiction: jurisdictionClaim(payload),
    registeredIn: registeredInClaim(payload),
    traceparent: typeof payload['tp'] === 'string' && TRACEPARENT.test(payload['tp']) ? payload['tp'] : null,
    deadline: deadlineClaim(payload),
  };
  const jti = stringClaim(payload, 'jti');
  // Remember it for as long as jwtVerify would still accept it: until iat + lifetime + tolerance.
  const acceptedUntil = ((payload.iat ?? 0) + LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000;
  if (!(await input.replay.remember(jti, acceptedUntil)))
    refuse('REPLAYED', 'This signed request was already answered');
  return caller;
}
