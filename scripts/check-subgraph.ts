// npm run check-subgraph -- --url <subgraph> --domain <DOMAIN> [--signing-key <JWK, PEM or file>]
//   [--subgraph <name>] [--person-id <id>]... [--timeout <ms>]
// Checks a subgraph against what the hub requires of one (docs/integrating.md): one line per check.
// Exit 0: every check passed; 1: a check failed; 2: bad arguments, the subgraph could not be talked to (or is
// not GraphQL), or it does not trust the signing key, so nothing it refuses would prove anything.

import { parseArgs } from 'node:util';
import {
  checkSubgraph,
  formatReport,
  SigningKeyNotTrustedError,
  WrongSubgraphError,
  SubgraphUnreachableError,
} from '@hub/testkit/check-subgraph';
import { isUuid } from '@hub/platform/ids';
import { keyTextOf, parsePrivateKey } from '@hub/platform/keys';
import { DOMAINS, SUBGRAPH_NAMES, type Domain, type SubgraphName } from '@hub/platform/services';

const usage =
  'usage: npm run check-subgraph -- --url <subgraph URL> --domain <DOMAIN> [--signing-key <JWK|PEM|file>] ' +
  '[--subgraph <name>] [--person-id <id>]... [--timeout <ms>]\n' +
  "The gateway's private signing key comes from --signing-key or GATEWAY_SIGNING_KEY.";

function fail(message: string): never {
  console.error(`check-subgraph: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      url: { type: 'string' },
      domain: { type: 'string' },
      'signing-key': { type: 'string' },
      subgraph: { type: 'string' },
      'person-id': { type: 'string', multiple: true, default: [] },
      timeout: { type: 'string', default: '5000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.url || !values.domain) fail(`--url and --domain are required\n${usage}`);
let url: URL;
try {
  url = new URL(values.url);
} catch {
  fail(`--url is not a URL: ${values.url}`);
}
if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`--url must be http(s): ${values.url}`);
const domain = values.domain.toUpperCase();
if (!(DOMAINS as readonly string[]).includes(domain))
  fail(`--domain is one of ${DOMAINS.join(', ')}; got ${values.domain}`);
if (values.subgraph && !(SUBGRAPH_NAMES as readonly string[]).includes(values.subgraph)) {
  fail(`--subgraph is one of ${SUBGRAPH_NAMES.join(', ')}; got ${values.subgraph}`);
}
const malformed = values['person-id'].find((id) => !isUuid(id));
if (malformed !== undefined) fail(`--person-id is a person's id (a UUID); got ${malformed}`);
const timeoutMs = Number(values.timeout);
if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
  fail(`--timeout is a number of milliseconds from 100 to 120000; got ${values.timeout}`);
}
const keyArgument = values['signing-key'] ?? process.env['GATEWAY_SIGNING_KEY'];
if (!keyArgument) fail("needs the gateway's private signing key: --signing-key or GATEWAY_SIGNING_KEY (npm run keys)");
let signingKey;
try {
  // A path is taken from where the command was typed (INIT_CWD; npm runs scripts in the project's folder).
  signingKey = parsePrivateKey(keyTextOf(keyArgument, process.env['INIT_CWD'] ?? process.cwd()));
} catch (error) {
  fail(`the signing key could not be read: ${(error as Error).message}`);
}

try {
  const report = await checkSubgraph({
    url: url.toString(),
    domain: domain as Domain,
    signingKey,
    ...(values.subgraph ? { subgraph: values.subgraph as SubgraphName } : {}),
    personIds: values['person-id'],
    timeoutMs,
  });
  console.log(formatReport(report));
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  if (
    error instanceof SubgraphUnreachableError ||
    error instanceof SigningKeyNotTrustedError ||
    error instanceof WrongSubgraphError
  )
    fail(error.message);
  fail(`the check could not run: ${(error as Error).message}`);
}
