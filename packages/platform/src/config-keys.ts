// The keys and tokens part of the configuration: how callers' tokens are verified, and which keys sign
// and verify the gateway's subgraph requests. A subgraph is given no key that signs.

import {
  generateSigningKey,
  jwkThumbprint,
  KeyError,
  keyTextOf,
  parsePrivateKey,
  parsePublicKeySet,
  publicJwkOf,
  type PrivateSigningJwk,
} from './keys.js';
import type { Env, ServiceRole, SigningConfig, TokenVerification } from './config.js';
import { ConfigError, problemOf, refuse } from './config-errors.js';

export const DEFAULT_DEV_SECRET = 'hub-development-secret-do-not-use-in-production';

/** A key variable holds the key itself (JSON or PEM) or the path of a file that does (keyTextOf). */
function keyText(variable: string, value: string, base: string): string {
  return parsed(variable, () => keyTextOf(value, base));
}

function parsed<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof KeyError) refuse(variable, error.message);
    throw error;
  }
}

const NO_JWKS = 'production verifies tokens against a JWKS: set JWKS_URL (or JWKS_FILE)';

/** This host itself, as the URL parser writes it (127.1 and 0x7f000001 become 127.0.0.1). */
const isLoopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/**
 * The JWKS is fetched over HTTP(S); in production over https only, or plain http to this host itself (an
 * identity provider's sidecar): on any other http path whoever sits on it could serve keys of their own and
 * sign a token for any agency.
 */
function jwksUrl(url: string, production: boolean): string {
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'https:' && protocol !== 'http:') refuse('JWKS_URL', `is fetched over https, not ${protocol}`);
  if (production && protocol === 'http:' && !isLoopback(hostname)) {
    refuse('JWKS_URL', 'production fetches the JWKS over https (plain http only from this host itself)');
  }
  return url;
}

export function tokenVerification(e: Env, role: ServiceRole, base: string): TokenVerification {
  const production = e.NODE_ENV === 'production';
  if (production && e.JWT_SECRET !== undefined) {
    const secret = problemOf(
      'JWT_SECRET',
      role === 'subgraph'
        ? 'a subgraph verifies no caller tokens, only the gateway’s signatures: remove JWT_SECRET'
        : 'production verifies tokens against a JWKS only (JWKS_URL or JWKS_FILE); remove JWT_SECRET',
    );
    // Both at once when the JWKS is missing too, so one start tells all that is to be set.
    const jwksMissing = !e.JWKS_URL && !e.JWKS_FILE && role !== 'subgraph';
    throw new ConfigError(jwksMissing ? [secret, problemOf('JWKS_URL', NO_JWKS)] : [secret]);
  }
  if (e.JWKS_URL && e.JWKS_FILE) refuse('JWKS_FILE', 'set either JWKS_URL or JWKS_FILE, not both');
  // A subgraph fetches no JWKS: production's https rule is not its to apply to one a shared environment file
  // gives it (a URL that is no http(s) one is refused anywhere).
  if (e.JWKS_URL) return { kind: 'jwks-url', url: jwksUrl(e.JWKS_URL, production && role !== 'subgraph') };
  if (e.JWKS_FILE) {
    const text = keyText('JWKS_FILE', e.JWKS_FILE, base);
    return { kind: 'jwks', keys: parsed('JWKS_FILE', () => parsePublicKeySet(text)) };
  }
  if (role === 'subgraph') return { kind: 'none' };
  if (production) refuse('JWKS_URL', NO_JWKS);
  // HS256 takes no zero-length key: every token would be refused at run time instead of the start here.
  if (e.JWT_SECRET === '') refuse('JWT_SECRET', 'is empty; set a secret, or unset it for the development default');
  return { kind: 'secret', secret: e.JWT_SECRET ?? DEFAULT_DEV_SECRET };
}

/**
 * The `iss` or `aud` tokens are checked against when none is configured: the development tokens' own. A
 * gateway in production is given its identity provider's (it would otherwise accept tokens claiming the
 * development issuer); a subgraph checks no token.
 */
export function developmentClaim(
  e: Env,
  role: ServiceRole,
  name: 'JWT_ISSUER' | 'JWT_AUDIENCE',
  value: string,
): string {
  if (e.NODE_ENV === 'production' && role !== 'subgraph') {
    refuse(
      name,
      `production checks tokens' ${name === 'JWT_ISSUER' ? 'iss' : 'aud'} against the identity provider's: set ${name}`,
    );
  }
  return value;
}

export function tokenSigningKey(e: Env, base: string): PrivateSigningJwk | undefined {
  if (!e.TOKEN_SIGNING_KEY) return undefined;
  if (e.NODE_ENV === 'production') {
    refuse('TOKEN_SIGNING_KEY', 'development only; production tokens come from the identity provider');
  }
  const text = keyText('TOKEN_SIGNING_KEY', e.TOKEN_SIGNING_KEY, base);
  return parsed('TOKEN_SIGNING_KEY', () => parsePrivateKey(text));
}

export function signingConfig(e: Env, role: ServiceRole, base: string): SigningConfig {
  const production = e.NODE_ENV === 'production';
  const verifyKeys = e.GATEWAY_VERIFY_KEYS
    ? parsed('GATEWAY_VERIFY_KEYS', () =>
        parsePublicKeySet(keyText('GATEWAY_VERIFY_KEYS', e.GATEWAY_VERIFY_KEYS!, base)),
      )
    : undefined;

  if (role === 'subgraph') {
    // Whoever takes over a subgraph's host must find nothing there that signs.
    if (e.GATEWAY_SIGNING_KEY && production) {
      refuse('GATEWAY_SIGNING_KEY', 'only the gateway holds it; a subgraph takes the public GATEWAY_VERIFY_KEYS');
    }
    if (!verifyKeys) {
      refuse(
        'GATEWAY_VERIFY_KEYS',
        "a subgraph needs the gateway's public keys (npm run keys writes a development set)",
      );
    }
    return { gatewayKey: undefined, verifyKeys, generated: false };
  }

  if (!e.GATEWAY_SIGNING_KEY && production) {
    refuse('GATEWAY_SIGNING_KEY', "production needs the gateway's private signing key (Ed25519 or P-256, JWK or PEM)");
  }
  const configured = e.GATEWAY_SIGNING_KEY
    ? parsed('GATEWAY_SIGNING_KEY', () => parsePrivateKey(keyText('GATEWAY_SIGNING_KEY', e.GATEWAY_SIGNING_KEY!, base)))
    : undefined;
  if (configured?.alg === 'RS256') refuse('GATEWAY_SIGNING_KEY', 'sign with Ed25519 or P-256, not RSA');
  const gatewayKey = configured ?? generateSigningKey('EdDSA', 'dev-gateway').privateJwk;
  const own = jwkThumbprint(gatewayKey);
  if (verifyKeys && !verifyKeys.keys.some((key) => jwkThumbprint(key) === own)) {
    refuse('GATEWAY_VERIFY_KEYS', `does not hold the public key of GATEWAY_SIGNING_KEY (kid ${gatewayKey.kid})`);
  }
  return {
    gatewayKey,
    verifyKeys: verifyKeys ?? { keys: [publicJwkOf(gatewayKey)] },
    generated: configured === undefined,
  };
}
