// Development tokens: what `npm run token` prints, and what tests sign their requests with.

import { SignJWT } from 'jose';
import type { HubConfig } from '@hub/platform';

export interface TokenClaims {
  agency: string;
  /** @default 'dev-staff' */
  sub?: string;
  roles?: string[];
  /** A jose time span such as '1h', '15m'. @default '1h' */
  ttl?: string;
}

export function mintDevToken(auth: HubConfig['auth'], claims: TokenClaims): Promise<string> {
  return new SignJWT({ agency: claims.agency, ...(claims.roles?.length ? { roles: claims.roles } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'dev-staff')
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(claims.ttl ?? '1h')
    .sign(new TextEncoder().encode(auth.secret));
}
