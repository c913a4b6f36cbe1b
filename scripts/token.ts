// npm run token -- --agency <agencyId> [--sub <staffId> | --system] [--ttl 1h] [--role auditor|dashboard|hub-admin]...
// (--system: a token without sub, the agency's own system calling rather than a staff member)
// (roles may also be listed, comma-separated, as --roles auditor,hub-admin: the name of the claim they fill)
// Prints a development token: signed with TOKEN_SIGNING_KEY (EdDSA/ES256, with its kid; npm run keys)
// when set, else with the development secret (HS256).

import { parseArgs } from 'node:util';
import { DEV_ROLES, isStaffId, MAX_SUB_LENGTH, mintDevToken } from '@hub/gateway/token';
import { AGENCIES, AGENCY_ID, ConfigError, readConfig } from '@hub/platform';

const usage =
  `usage: npm run token -- --agency <agencyId> [--sub <staffId> | --system] [--ttl 1h] [--role ${DEV_ROLES.join('|')}]...\n` +
  '       (or --roles auditor,hub-admin: several roles in one list; --system: no sub, the agency system itself)';
let values;
try {
  ({ values } = parseArgs({
    options: {
      agency: { type: 'string' },
      sub: { type: 'string' },
      system: { type: 'boolean', default: false },
      ttl: { type: 'string', default: '1h' },
      role: { type: 'string', multiple: true, default: [] },
      roles: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help || !values.agency) {
  const known = Object.values(AGENCIES)
    .map((a) => `  ${a.id.padEnd(24)} ${a.domain.padEnd(20)} ${a.name}`)
    .join('\n');
  // Asked for, the help is the output (stdout, exit 0); without --agency it explains a usage error (stderr, exit 2).
  (values.help ? console.log : console.error)(`${usage}\n\nDemo agencies:\n${known}`);
  process.exit(values.help ? 0 : 2);
}
// A token that is expired when printed would only be refused (401) on its first use; one that outlives a
// month is no development token but a credential that never leaves.
const MAX_TTL_DAYS = 30;
const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
// A bare number is seconds, as the exp claim counts them.
const ttl = /^(\d+)([smhd]?)$/.exec(values.ttl);
const ttlSeconds = ttl ? Number(ttl[1]) * SECONDS_PER_UNIT[(ttl[2] || 's') as keyof typeof SECONDS_PER_UNIT] : 0;
if (ttlSeconds <= 0 || ttlSeconds > MAX_TTL_DAYS * SECONDS_PER_UNIT.d) {
  console.error(
    `--ttl takes a number above 0, of seconds or with s, m, h or d (e.g. 600, 15m, 1h), at most ${MAX_TTL_DAYS}d; got ${values.ttl}`,
  );
  process.exit(2);
}
// An id the register cannot hold names no agency the hub could ever accept (401 UNKNOWN_AGENCY).
if (!AGENCY_ID.test(values.agency)) {
  console.error(
    `--agency takes an agency id as the register writes it: 2 to 63 lower-case letters, digits and hyphens; got ${JSON.stringify(values.agency)}`,
  );
  process.exit(2);
}
if (values.system && values.sub !== undefined) {
  console.error('--system mints a token without sub (the agency system itself): give it or --sub, not both');
  process.exit(2);
}
const sub = values.system ? null : (values.sub ?? 'dev-staff');
if (sub !== null && !isStaffId(sub)) {
  console.error(
    `--sub takes a staff member's or system's id: not blank, up to ${MAX_SUB_LENGTH} characters, no control or direction characters`,
  );
  process.exit(2);
}
// Each --role or --roles may list several, comma-separated, as the token's `roles` claim holds them.
const roles = [...new Set([...values.role, ...values.roles].flatMap((list) => list.split(',')).map((r) => r.trim()))];
// A misspelt role would otherwise mint an agency's plain token, and the caller would not see why it is refused.
const unknownRoles = roles.filter((role) => !(DEV_ROLES as readonly string[]).includes(role));
if (unknownRoles.length) {
  console.error(`--role ${unknownRoles.join(', ')} is not a role the hub knows: ${DEV_ROLES.join(', ')}`);
  process.exit(2);
}
// The register may hold agencies registered at run time, so an agency outside the demo gets its token.
if (!Object.values(AGENCIES).some((a) => a.id === values.agency)) {
  console.error(
    `warning: ${values.agency} is not a demo agency; the hub accepts the token only if its register holds ` +
      'that agency (otherwise 401 UNKNOWN_AGENCY). npm run token -- --help lists the demo agencies.',
  );
}
if (process.env['NODE_ENV'] === 'production') {
  console.error('npm run token mints development tokens only; production tokens come from the identity provider.');
  process.exit(2);
}
let config;
try {
  // A development token is signed with the token key alone: the gateway's subgraph keys, exported to run a
  // subgraph alone or mid-rotation, are not this command's to check.
  config = readConfig({ ...process.env, GATEWAY_SIGNING_KEY: undefined, GATEWAY_VERIFY_KEYS: undefined });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (config.nodeEnv === 'production') {
  console.error('npm run token mints development tokens only; production tokens come from the identity provider.');
  process.exit(2);
}
try {
  console.log(await mintDevToken(config.auth, { agency: values.agency, sub, ttl: `${ttlSeconds}s`, roles }));
} catch (error) {
  // No key to sign with (a JWKS configured without TOKEN_SIGNING_KEY): one line that says what to set.
  console.error(`npm run token: ${(error as Error).message}`);
  process.exit(2);
}
