// Who is calling: verifies the bearer JWT (jose) and resolves its agency from the hub's register.
// A JWKS (RS256/ES256/EdDSA, by kid) in production; HS256 with a development secret otherwise.

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AGENCY_ID, ERRORS, type HubConfig } from '@hub/platform';
import type { Caller } from '../context.js';
import type { AgencyRow } from '../hub/store.js';
import { isStaffId } from './token.js';

export interface Authenticator {
  /** The caller of a request with this Authorization header; throws UNAUTHENTICATED (401) otherwise. */
  authenticate(
    authorization: string | undefined,
    lookupAgency: (id: string) => Promise<AgencyRow | null>,
  ): Promise<Caller>;
}

// The scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are Bearer.
const BEARER = /^Bearer(?:\s+(\S.*))?$/i;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'TOKEN_EXPIRED';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return 'CLAIM_INVALID';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'ALGORITHM_NOT_ALLOWED';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'KEY_UNKNOWN';
  return 'TOKEN_INVALID';
}

/** The asymmetric algorithms a JWKS-signed token may use; HS256 never, where a JWKS is configured. */
const TOKEN_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

/** How far ahead of the gateway's clock a token's iat may be: the identity provider's clock may run a little fast. */
const IAT_DRIFT_SECONDS = 60;

/** Keys chosen by the token's kid: a token without one matches none (rotation relies on it). */
function byKid(jwks: JWTVerifyGetKey): JWTVerifyGetKey {
  return (header, token) => {
    if (!header.kid) throw new joseErrors.JWKSNoMatchingKey('the token names no key (kid)');
    return jwks(header, token);
  };
}

/** The identity provider's key set could not be fetched: the token may well be good (503, not 401). */
class KeysUnreachable extends Error {}

/**
 * The identity provider's keys, fetched from its JWKS URL: a fetch that fails (no answer, not 200 OK, not
 * a key set, too slow) is the provider's outage, not the caller's bad token. jose fetches the set again
 * once its copy is ten minutes old, and fails the token if that fetch fails; during such an outage a token
 * under a key of the set last fetched is verified with that set, so an outage of the key set's endpoint
 * refuses (503) only tokens under keys the gateway never saw. A key the provider withdraws stops being
 * accepted at the first fetch that succeeds.
 */
function remoteKeys(url: URL): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(url);
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (!fetchFailed(error)) throw error;
      const lastFetched = keys.jwks();
      if (lastFetched) {
        try {
          return await createLocalJWKSet(lastFetched)(header, token);
        } catch {
          // Not among the keys last fetched: only the provider can say whether the token is good.
        }
      }
      throw new KeysUnreachable('the identity provider’s JWKS could not be fetched', { cause: error });
    }
  };
}

/**
 * A failure of the key set's fetch: no answer (not a JOSE error), too slow, not 200 OK (jose's generic
 * error), or a body that is no key set. A key set that holds no key for the token is the token's fault.
 */
const fetchFailed = (error: unknown): boolean =>
  !(error instanceof joseErrors.JOSEError) ||
  error instanceof joseErrors.JWKSTimeout ||
  error instanceof joseErrors.JWKSInvalid ||
  error.code === joseErrors.JOSEError.code;

/** Verifies a token's signature and claims, as of now or of `currentDate`. */
type TokenVerifier = (token: string, currentDate?: Date) => Promise<{ payload: JWTPayload }>;

function tokenVerifier(auth: HubConfig['auth']): TokenVerifier {
  // `exp` is required (CONTRACT.md "Who is calling"); a token without `sub` is the agency's own system calling.
  const claims = { issuer: auth.issuer, audience: auth.audience, requiredClaims: ['exp'] };
  const verify = auth.verify;
  switch (verify.kind) {
    case 'jwks-url': {
      const keys = byKid(remoteKeys(new URL(verify.url)));
      return (token, currentDate) => jwtVerify(token, keys, { ...claims, currentDate, algorithms: TOKEN_ALGORITHMS });
    }
    case 'jwks': {
      const keys = byKid(createLocalJWKSet(verify.keys));
      return (token, currentDate) => jwtVerify(token, keys, { ...claims, currentDate, algorithms: TOKEN_ALGORITHMS });
    }
    case 'secret': {
      const key = new TextEncoder().encode(verify.secret);
      return (token, currentDate) => jwtVerify(token, key, { ...claims, currentDate, algorithms: ['HS256'] });
    }
    case 'none':
      throw new Error('the gateway needs a way to verify tokens: JWKS_URL or JWKS_FILE (JWT_SECRET in development)');
  }
}

/**
 * A token whose `nbf` is ahead of the gateway's clock by no more than an `iat` may be (a fast identity provider
 * stamps both alike) is verified as of its `nbf`: every claim holds then, its `exp` included, and nothing else
 * is looser than for any token.
 */
async function verifyWithinDrift(verify: TokenVerifier, token: string): ReturnType<TokenVerifier> {
  try {
    return await verify(token);
  } catch (error) {
    if (!(error instanceof joseErrors.JWTClaimValidationFailed) || error.claim !== 'nbf') throw error;
    // The claim's value from the token, whose signature jose checked before any claim.
    const { nbf } = decodeJwt(token);
    if (typeof nbf !== 'number' || nbf > Date.now() / 1000 + IAT_DRIFT_SECONDS) throw error;
    // In whole seconds, as jose reads its clock: a NumericDate may have a fraction.
    return verify(token, new Date(Math.ceil(nbf) * 1000));
  }
}

export function createAuthenticator(auth: HubConfig['auth']): Authenticator {
  const verify = tokenVerifier(auth);

  return {
    async authenticate(authorization, lookupAgency) {
      const token = authorization ? BEARER.exec(authorization.trim())?.[1] : undefined;
      if (!token) throw ERRORS.UNAUTHENTICATED.err('Send Authorization: Bearer <JWT>', { reason: 'TOKEN_MISSING' });
      // A token was sent, just not a JWT: the caller needs to hear that its token is wrong, not that it sent none.
      if (!JWT.test(token)) {
        throw ERRORS.UNAUTHENTICATED.err('The bearer token is not a JWT', { reason: 'TOKEN_INVALID' });
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await verifyWithinDrift(verify, token));
      } catch (error) {
        if (error instanceof KeysUnreachable) {
          throw ERRORS.SERVICE_UNAVAILABLE.err(
            "The identity provider's signing keys could not be fetched to verify the token; try again shortly.",
            { reason: 'KEYS_UNREACHABLE' },
          );
        }
        if (error instanceof joseErrors.JWTClaimValidationFailed && !(error instanceof joseErrors.JWTExpired)) {
          // Which claim to mend (its name only, never its value): an integrator could not tell `iss` from `aud`.
          const { claim } = error;
          throw ERRORS.UNAUTHENTICATED.err(
            error.reason === 'missing'
              ? `The token is not valid: it has no "${claim}" claim`
              : `The token is not valid: its "${claim}" claim is not one the hub accepts`,
            { reason: 'CLAIM_INVALID' },
          );
        }
        throw ERRORS.UNAUTHENTICATED.err('The token is not valid', { reason: reasonOf(error) });
      }
      // Issued ahead of now (beyond a minute's drift of clocks), it would outlive a later reactivateAgency.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + IAT_DRIFT_SECONDS) {
        throw ERRORS.UNAUTHENTICATED.err('The token is issued in the future', { reason: 'CLAIM_INVALID' });
      }
      const agencyId = payload['agency'];
      if (typeof agencyId !== 'string' || !agencyId) {
        throw ERRORS.UNAUTHENTICATED.err('The token names no agency', { reason: 'CLAIM_INVALID' });
      }
      if (payload.sub !== undefined && !isStaffId(payload.sub)) {
        throw ERRORS.UNAUTHENTICATED.err("The token's sub is not a staff member's or system's id", {
          reason: 'CLAIM_INVALID',
        });
      }
      // An id the register could not hold (AGENCY_ID) names none of its agencies: refused as unknown without
      // asking the database, which would refuse some such ids itself (a NUL character).
      const agency = AGENCY_ID.test(agencyId) ? await lookupAgency(agencyId) : null;
      if (!agency) throw ERRORS.UNAUTHENTICATED.err('The token names an unknown agency', { reason: 'UNKNOWN_AGENCY' });
      // Read per request from the register, so a deactivation holds from the next request on every replica.
      if (agency.deactivatedAt) {
        throw ERRORS.UNAUTHENTICATED.err("The token's agency is deactivated", { reason: 'AGENCY_DEACTIVATED' });
      }
      // Switched off and on again: what it held before is not revived (iat is in whole seconds).
      const issuedAfter = agency.tokensIssuedAfter ? Math.floor(agency.tokensIssuedAfter.getTime() / 1000) : null;
      if (issuedAfter !== null && !(typeof payload.iat === 'number' && payload.iat >= issuedAfter)) {
        throw ERRORS.UNAUTHENTICATED.err('The token was issued before its agency was switched back on: use a new one', {
          reason: 'TOKEN_REVOKED',
        });
      }
      const roles = rolesOf(payload['roles']);
      return {
        agencyId: agency.id,
        domain: agency.domain,
        jurisdiction: agency.jurisdiction,
        // Without `sub`, the agency's own system calls: its entries in the access log name the agency.
        staffId: payload.sub ?? agency.id,
        roles,
      };
    },
  };
}

/**
 * The roles a token's `roles` claim names: an array of names, or one name as a string (as some identity providers
 * send a single role); none when absent or null. A string is never split: "former auditor" names no role the hub
 * knows, not `auditor`. Any other shape, a string holding a space among them, is refused (CLAIM_INVALID) rather
 * than read as no role: a misconfigured provider is told at once, not by a refusal of what its auditors ask.
 */
function rolesOf(claim: unknown): string[] {
  if (claim === undefined || claim === null) return [];
  if (typeof claim === 'string' && !/\s/.test(claim)) return [claim];
  if (Array.isArray(claim) && claim.every((role) => typeof role === 'string')) return claim;
  throw ERRORS.UNAUTHENTICATED.err('The token is not valid: its "roles" claim is not a list of role names', {
    reason: 'CLAIM_INVALID',
  });
}
