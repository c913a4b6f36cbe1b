// Asymmetric keys as configuration holds them: a private JWK (or PEM) with a key id, and a JWKS of
// public keys only. Parsing is synchronous (node:crypto) so the configuration is read in one step.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';

/** A private signing key with what a signature header names: its key id and algorithm. */
export interface PrivateSigningJwk extends JWK {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly d: string;
}

/** The asymmetric algorithms the hub signs and verifies with. */
export type SigningAlgorithm = 'EdDSA' | 'ES256' | 'RS256';

/** Why a key value was refused; the configuration names the variable. */
export class KeyError extends Error {
  override name = 'KeyError';
}

/** RFC 7638 members of a public key, in their required (lexicographic) order. */
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  OKP: ['crv', 'kty', 'x'],
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
};

/** The RFC 7638 SHA-256 thumbprint of a public key: the key id when none is given. */
export function jwkThumbprint(jwk: JWK): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new KeyError(`key type ${jwk.kty ?? '(none)'} is not an asymmetric signing key`);
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, (jwk as Record<string, unknown>)[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

function algorithmOf(jwk: JWK): SigningAlgorithm {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'RSA') return 'RS256';
  throw new KeyError(
    `a ${named(jwk.kty) ?? '(no kty)'} ${named(jwk.crv) ?? ''} key is not one the hub signs with (Ed25519, P-256, RSA)`,
  );
}

/** A JWK member's value as a refusal may name it: a short name (OKP, P-384), never whatever else it holds. */
const named = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[A-Za-z0-9-]{1,16}$/.test(value)
    ? value
    : value === undefined
      ? undefined
      : '(unnamed)';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/** Whether a JWK carries private (or symmetric) material. */
function isPrivateJwk(jwk: JWK): boolean {
  return PRIVATE_MEMBERS.some((member) => member in jwk) || jwk.kty === 'oct';
}

/** The public half of a private JWK, with its kid, alg and `use: sig`. */
export function publicJwkOf(jwk: PrivateSigningJwk): JWK {
  const { kid, alg } = jwk;
  const exported = createPublicKey({ key: jwk as JWK & { kty: string }, format: 'jwk' }).export({ format: 'jwk' });
  return { ...(exported as JWK), kid, alg, use: 'sig' };
}

function completePrivate(jwk: JWK, kid?: string): PrivateSigningJwk {
  if (typeof jwk.d !== 'string') throw new KeyError('is not a private key (no "d")');
  const alg = algorithmOf(jwk);
  if (jwk.alg && jwk.alg !== alg) throw new KeyError(`says alg ${jwk.alg} but is a key for ${alg}`);
  return { ...jwk, d: jwk.d, alg, kid: kid ?? jwk.kid ?? jwkThumbprint(jwk) };
}

// What the error may repeat of a value that is neither a key nor a readable file: the name of a key's file.
// Anything else may be the key itself in a form not read here (base64 DER, a JWK in quotes from an env file).
const KEY_FILE_NAME = /^[\w./~-]{1,255}\.(json|jwk|jwks|pem|key)$/i;

/**
 * A key as given: the key itself (JSON or PEM), or the path of a file that holds it, relative to `base`
 * (where the command was typed). Throws a KeyError when it is neither, naming the path only when it reads as
 * a key file's name: a secret is never printed.
 */
export function keyTextOf(value: string, base: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('-----BEGIN')) return trimmed;
  try {
    return readFileSync(resolve(base, trimmed), 'utf8');
  } catch {
    const given = KEY_FILE_NAME.test(trimmed)
      ? trimmed
      : `the value given (${trimmed.length} characters, not shown: it may be the key itself; a JWK begins with "{", a PEM with "-----BEGIN", and a path names a file this process could not read)`;
    throw new KeyError(`is neither a key (JSON or PEM) nor a readable file: ${given}`);
  }
}

/** Parses a private key given as JWK JSON or PEM (PKCS#8); a key without a kid gets its thumbprint. */
export function parsePrivateKey(text: string): PrivateSigningJwk {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPrivateKey(trimmed);
    } catch {
      throw new KeyError('is not a readable PEM private key');
    }
    return completePrivate(key.export({ format: 'jwk' }) as JWK);
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(trimmed);
  } catch {
    throw new KeyError('is neither a JWK (JSON) nor a PEM private key');
  }
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new KeyError('is not a JWK object');
  return completePrivate(jwk as JWK);
}

/**
 * Parses a JWKS that must hold public keys only: every key asymmetric, with a kid of its own, and none
 * with private material (a verifier that holds a private key could sign).
 */
export function parsePublicKeySet(text: string): JSONWebKeySet {
  let set: unknown;
  try {
    set = JSON.parse(text);
  } catch {
    throw new KeyError('is not JSON (a JWKS: {"keys": [...]})');
  }
  const keys = (set as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new KeyError('is not a JWKS with at least one key');
  const kids = new Set<string>();
  for (const key of keys as JWK[]) {
    if (!key || typeof key !== 'object' || Array.isArray(key)) throw new KeyError('holds an entry that is not a key');
    if (isPrivateJwk(key)) {
      throw new KeyError(`holds a private or symmetric key (kid ${key.kid ?? '(none)'}); give public keys only`);
    }
    if (typeof key.kid !== 'string' || !key.kid) throw new KeyError('holds a key without a kid');
    // A verifier picks the key by kid: two under one kid would refuse every signature made under it.
    if (kids.has(key.kid)) throw new KeyError(`holds two keys under kid ${key.kid}; give each key a kid of its own`);
    kids.add(key.kid);
    algorithmOf(key);
  }
  return { keys: keys as JWK[] };
}

/** A new Ed25519 (default) or P-256 key pair: the private JWK and a JWKS of its public half. */
export function generateSigningKey(
  algorithm: 'EdDSA' | 'ES256' = 'EdDSA',
  kidPrefix = 'dev',
): { privateJwk: PrivateSigningJwk; publicJwks: JSONWebKeySet } {
  const { privateKey } =
    algorithm === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const privateJwk = completePrivate(jwk, `${kidPrefix}-${jwkThumbprint(jwk).slice(0, 16)}`);
  return { privateJwk, publicJwks: { keys: [publicJwkOf(privateJwk)] } };
}
