// Who is calling: verifies the bearer JWT (jose) and resolves its agency from the hub's register.
// HS256 with the configured secret in development; a JWKS (RS256/ES256) in production.

import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ERRORS, type HubConfig } from '@hub/platform';
import type { Caller } from '../context.js';
import type { AgencyRow } from '../hub/store.js';

export interface Authenticator {
  /** The caller of a request with this Authorization header; throws UNAUTHENTICATED (401) otherwise. */
  authenticate(
    authorization: string | undefined,
    lookupAgency: (id: string) => Promise<AgencyRow | null>,
  ): Promise<Caller>;
}

const BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'TOKEN_EXPIRED';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return 'CLAIM_INVALID';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'ALGORITHM_NOT_ALLOWED';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE';
  return 'TOKEN_INVALID';
}

export function createAuthenticator(auth: HubConfig['auth']): Authenticator {
  const verify = auth.jwksUrl
    ? (() => {
        const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(auth.jwksUrl));
        return (token: string) =>
          jwtVerify(token, jwks, {
            issuer: auth.issuer,
            audience: auth.audience,
            algorithms: ['RS256', 'ES256'],
            requiredClaims: ['exp', 'sub'],
          });
      })()
    : (() => {
        const key = new TextEncoder().encode(auth.secret);
        return (token: string) =>
          jwtVerify(token, key, {
            issuer: auth.issuer,
            audience: auth.audience,
            algorithms: ['HS256'],
            requiredClaims: ['exp', 'sub'],
          });
      })();

  return {
    async authenticate(authorization, lookupAgency) {
      const match = authorization ? BEARER.exec(authorization.trim()) : null;
      if (!match) throw ERRORS.UNAUTHENTICATED.err('Send Authorization: Bearer <JWT>', { reason: 'TOKEN_MISSING' });
      let payload: JWTPayload;
      try {
        ({ payload } = await verify(match[1]!));
      } catch (error) {
        throw ERRORS.UNAUTHENTICATED.err('The token is not valid', { reason: reasonOf(error) });
      }
      const agencyId = payload['agency'];
      if (typeof agencyId !== 'string' || !payload.sub) {
        throw ERRORS.UNAUTHENTICATED.err('The token names no agency', { reason: 'CLAIM_INVALID' });
      }
      const agency = await lookupAgency(agencyId);
      if (!agency) throw ERRORS.UNAUTHENTICATED.err('The token names an unknown agency', { reason: 'UNKNOWN_AGENCY' });
      // Read per request from the register, so a deactivation holds from the next request on every replica.
      if (agency.deactivatedAt) {
        throw ERRORS.UNAUTHENTICATED.err("The token's agency is deactivated", { reason: 'AGENCY_DEACTIVATED' });
      }
      const roles = Array.isArray(payload['roles'])
        ? payload['roles'].filter((r): r is string => typeof r === 'string')
        : [];
      return { agencyId: agency.id, domain: agency.domain, staffId: payload.sub, roles };
    },
  };
}
