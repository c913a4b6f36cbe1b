// npm run keys -- [--out data/keys/dev] [--token-alg EdDSA|ES256] [--also-trust <older key folder>] [--force]
// Writes a development key set: the gateway's signing key pair and a token-signing key pair, each as
// a private JWK and a public JWKS, and prints which variable takes which file.

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { generateSigningKey } from '@hub/platform';

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
const tokenAlg = values['token-alg'];
if (tokenAlg !== 'EdDSA' && tokenAlg !== 'ES256') {
  console.error(`--token-alg takes EdDSA or ES256; got ${tokenAlg}`);
  process.exit(2);
}

// npm runs scripts in the package folder; INIT_CWD is where the command was typed.
const cwd = process.env['INIT_CWD'] ?? process.cwd();
const out = resolve(cwd, values.out);
/** A path as the user would type it: relative to where they stand, unless it lies elsewhere. */
const shown = (path: string) => (relative(cwd, path).startsWith('..') ? path : relative(cwd, path));

if (existsSync(join(out, FILES.gatewayKey)) && !values.force) {
  console.error(`${shown(out)} already holds a key set; choose another --out (a rotation) or add --force.`);
  process.exit(2);
}

function readJwks(folder: string, file: string): JSONWebKeySet {
  try {
    return JSON.parse(readFileSync(join(folder, file), 'utf8')) as JSONWebKeySet;
  } catch {
    console.error(`--also-trust: cannot read ${join(folder, file)}`);
    process.exit(2);
  }
}

const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const gateway = generateSigningKey('EdDSA', `gateway-${date}`);
const tokens = generateSigningKey(tokenAlg, `tokens-${date}`);

mkdirSync(out, { recursive: true, mode: 0o700 });
const write = (file: string, value: unknown, secret = false) => {
  const path = join(out, file);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: secret ? 0o600 : 0o644 });
  if (secret) chmodSync(path, 0o600);
  return shown(path);
};

const written = {
  gatewayKey: write(FILES.gatewayKey, gateway.privateJwk, true),
  gatewayJwks: write(FILES.gatewayJwks, gateway.publicJwks),
  tokenKey: write(FILES.tokenKey, tokens.privateJwk, true),
  tokenJwks: write(FILES.tokenJwks, tokens.publicJwks),
};

const lines = [
  `Wrote a development key set to ${shown(out)} (gateway kid ${gateway.privateJwk.kid}, token kid ${tokens.privateJwk.kid}):`,
  '',
  `  GATEWAY_SIGNING_KEY=${written.gatewayKey}   the gateway only (private)`,
  `  GATEWAY_VERIFY_KEYS=${written.gatewayJwks}  every subgraph (public keys)`,
  `  JWKS_FILE=${written.tokenJwks}              the gateway: verifies caller tokens`,
  `  TOKEN_SIGNING_KEY=${written.tokenKey}       npm run token only (private; development)`,
];

const older = values['also-trust'] ? resolve(cwd, values['also-trust']) : undefined;
if (older) {
  const gatewayBoth = { keys: [...gateway.publicJwks.keys, ...readJwks(older, FILES.gatewayJwks).keys] };
  const tokensBoth = { keys: [...tokens.publicJwks.keys, ...readJwks(older, FILES.tokenJwks).keys] };
  lines.push(
    '',
    `  During the rotation (the new and the older keys of ${shown(older)}, side by side):`,
    `  GATEWAY_VERIFY_KEYS=${write(FILES.gatewayRotation, gatewayBoth)}`,
    `  JWKS_FILE=${write(FILES.tokenRotation, tokensBoth)}`,
  );
}
lines.push('', 'Each variable takes the file path or the JSON itself. docs/operations.md: "Keys and their rotation".');
console.log(lines.join('\n'));
