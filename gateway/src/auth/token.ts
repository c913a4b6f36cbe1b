// Development tokens: what `npm run token` prints, and what tests sign their requests with: signed
// with TOKEN_SIGNING_KEY (EdDSA/ES256, with its kid) when configured, else HS256 with the dev secret.

import { importJWK, SignJWT } from 'jose';
import { isBlank, isPlainLine, type HubConfig } from '@hub/platform';
import { ROLES } from './roles.js';

/** What a development token may carry, from `npm run token --role` or the demo sign-in: the hub's roles. */
export const DEV_ROLES = ROLES;

/** How long a `sub` may be: it is written into every access-log entry, which the person is shown. */
export const MAX_SUB_LENGTH = 255;

/**
 * A staff member's or system's id as the gateway takes a token's `sub`: not blank (nor of characters that show
 * nothing alone), up to MAX_SUB_LENGTH, one plain line.
 */
export const isStaffId = (sub: unknown): sub is string =>
  typeof sub === 'string' && !isBlank(sub) && sub.length <= MAX_SUB_LENGTH && isPlainLine(sub);

export interface TokenClaims {
  agency: string;
  /** The staff member; null for none (the agency's own system calling). @default 'dev-staff' */
  sub?: string | null;
  roles?: string[];
  /** A jose time span such as '1h', '15m'. @default '1h' */
  ttl?: string;
}

/**
 * Whether development tokens can be signed with what the hub holds: TOKEN_SIGNING_KEY, or the dev secret
 * it verifies with. A gateway that verifies against a JWKS alone (JWKS_FILE or JWKS_URL) cannot.
 */
export const mintsDevTokens = (auth: HubConfig['auth']): boolean =>
  auth.tokenSigningKey !== undefined || auth.verify.kind === 'secret';

async function signingKeyOf(auth: HubConfig['auth']) {
  if (auth.tokenSigningKey) {
    const { alg, kid } = auth.tokenSigningKey;
    return { header: { alg, kid, typ: 'JWT' }, key: await importJWK(auth.tokenSigningKey, alg) };
  }
  if (auth.verify.kind === 'secret') {
    return { header: { alg: 'HS256', typ: 'JWT' }, key: new TextEncoder().encode(auth.verify.secret) };
  }
  throw new Error('tokens are verified against a JWKS: set TOKEN_SIGNING_KEY to a private key of it (npm run keys)');
}

export async function mintDevToken(auth: HubConfig['auth'], claims: TokenClaims): Promise<string> {
  const { header, key } = await signingKeyOf(auth);
  const token = new SignJWT({ agency: claims.agency, ...(claims.roles?.length ? { roles: claims.roles } : {}) });
  if (claims.sub !== null) token.setSubject(claims.sub ?? 'dev-staff');
  return token
    .setProtectedHeader(header)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(claims.ttl ?? '1h')
    .sign(key);
}
