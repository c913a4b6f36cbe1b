// npm run keys -- [--out data/keys/dev] [--token-alg EdDSA|ES256] [--also-trust <older key folder>] [--force]
// Writes a development key set: the gateway's signing key pair and a token-signing key pair, each as
// a private JWK and a public JWKS, and prints which variable takes which file.

import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { generateSigningKey, KeyError, parsePublicKeySet } from '@hub/platform';

const usage =
  'usage: npm run keys -- [--out data/keys/dev] [--token-alg EdDSA|ES256] [--also-trust <older key folder>] [--force]';

const FILES = {
  gatewayKey: 'gateway-signing-key.jwk.json',
  gatewayJwks: 'gateway-verify-keys.jwks.json',
  gatewayRotation: 'gateway-verify-keys.rotation.jwks.json',
  tokenKey: 'token-signing-key.jwk.json',
  tokenJwks: 'token-verify-keys.jwks.json',
  tokenRotation: 'token-verify-keys.rotation.jwks.json',
} as const;

let values;
try {
  ({ values } = parseArgs({
    options: {
      out: { type: 'string', default: join('data', 'keys', 'dev') },
      'token-alg': { type: 'string', default: 'EdDSA' },
      'also-trust': { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
/** An argument error, or an --out that cannot be written: one line and exit 2, as a usage error. */
function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

const tokenAlg = values['token-alg'];
if (tokenAlg !== 'EdDSA' && tokenAlg !== 'ES256') refuse(`--token-alg takes EdDSA or ES256; got ${tokenAlg}`);
if (!values.out.trim()) refuse(`--out takes the folder to write the key set to\n${usage}`);
if (values['also-trust'] !== undefined && !values['also-trust'].trim()) {
  refuse(`--also-trust takes the folder of the older key set\n${usage}`);
}

// npm runs scripts in the package folder; INIT_CWD is where the command was typed.
const cwd = process.env['INIT_CWD'] ?? process.cwd();
const out = resolve(cwd, values.out);
const older = values['also-trust'] === undefined ? undefined : resolve(cwd, values['also-trust']);
/** A path as the user would type it: relative to where they stand, unless it lies elsewhere. */
const shown = (path: string) => (relative(cwd, path).startsWith('..') ? path : relative(cwd, path));
/** The path itself, links followed where it exists: two names of one folder are one folder. */
const real = (path: string) => (existsSync(path) ? realpathSync(path) : path);

if (existsSync(out) && !statSync(out).isDirectory()) refuse(`--out ${shown(out)} is a file, not a folder`);
if (existsSync(join(out, FILES.gatewayKey)) && !values.force) {
  refuse(`${shown(out)} already holds a key set; choose another --out (a rotation) or add --force.`);
}
// The older keys would be overwritten before they are read, and the rotation set hold the new key twice.
if (older && real(older) === real(out)) {
  refuse(`--also-trust names the --out folder ${shown(out)}; write the new set to another folder and trust this one`);
}

/** The older folder's public keys, read and checked before anything is written. */
function readJwks(folder: string, file: string): JSONWebKeySet {
  const path = join(folder, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return refuse(`--also-trust: cannot read ${shown(path)}`);
  }
  try {
    return parsePublicKeySet(text);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    return refuse(`--also-trust: ${shown(path)} ${error.message}`);
  }
}
const olderKeys = older && { gateway: readJwks(older, FILES.gatewayJwks), tokens: readJwks(older, FILES.tokenJwks) };

const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const gateway = generateSigningKey('EdDSA', `gateway-${date}`);
const tokens = generateSigningKey(tokenAlg, `tokens-${date}`);

const write = (file: string, value: unknown, secret = false) => {
  const path = join(out, file);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: secret ? 0o600 : 0o644 });
  if (secret) chmodSync(path, 0o600);
  return shown(path);
};

let written;
try {
  mkdirSync(out, { recursive: true, mode: 0o700 });
  written = {
    gatewayKey: write(FILES.gatewayKey, gateway.privateJwk, true),
    gatewayJwks: write(FILES.gatewayJwks, gateway.publicJwks),
    tokenKey: write(FILES.tokenKey, tokens.privateJwk, true),
    tokenJwks: write(FILES.tokenJwks, tokens.publicJwks),
    ...(olderKeys && {
      gatewayRotation: write(FILES.gatewayRotation, { keys: [...gateway.publicJwks.keys, ...olderKeys.gateway.keys] }),
      tokenRotation: write(FILES.tokenRotation, { keys: [...tokens.publicJwks.keys, ...olderKeys.tokens.keys] }),
    }),
  };
} catch (error) {
  // A path under a file, or a folder not ours to write: the reason in one line, not a stack trace.
  refuse(`--out: cannot write the key set to ${shown(out)} (${(error as NodeJS.ErrnoException).code ?? error})`);
}

const lines = [
  `Wrote a development key set to ${shown(out)} (gateway kid ${gateway.privateJwk.kid}, token kid ${tokens.privateJwk.kid}):`,
  '',
  `  GATEWAY_SIGNING_KEY=${written.gatewayKey}   the gateway only (private)`,
  `  GATEWAY_VERIFY_KEYS=${written.gatewayJwks}  every subgraph (public keys)`,
  `  JWKS_FILE=${written.tokenJwks}              the gateway: verifies caller tokens`,
  `  TOKEN_SIGNING_KEY=${written.tokenKey}       npm run token only (private; development)`,
];
if (older && olderKeys) {
  lines.push(
    '',
    `  During the rotation (the new and the older keys of ${shown(older)}, side by side):`,
    `  GATEWAY_VERIFY_KEYS=${written.gatewayRotation}`,
    `  JWKS_FILE=${written.tokenRotation}`,
  );
}
lines.push('', 'Each variable takes the file path or the JSON itself. docs/operations.md: "Keys and their rotation".');
console.log(lines.join('\n'));
