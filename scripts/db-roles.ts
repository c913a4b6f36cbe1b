// npm run db:roles -- --database-url postgres://postgres@host:5432/hub [--prefix hub] [--password welfare=…]…
//   [--replicas 4]
// Creates the owner role and one role per service, runs every migration as the owner, grants each
// service its own schema only, and prints each service's URL (docs/operations.md, "Database roles").

import { parseArgs } from 'node:util';
import { setUpHubRoles } from '@hub/all-in-one';
import {
  ConfigError,
  connectionLimit,
  DEFAULT_REPLICAS,
  readDatabaseUrls,
  redactUrl,
  REDACTED_PASSWORD as REDACTED,
  SERVICE_DATABASE_VARIABLES,
  SERVICE_NAMES,
  startOrRefuse,
  type ServiceName,
} from '@hub/platform';

const usage = `usage: npm run db:roles -- [--database-url <admin URL>] [--prefix hub] [--password <service>=<password>]... [--replicas ${DEFAULT_REPLICAS}]
  --database-url  a superuser on the hub's database (default: DATABASE_URL)
  --prefix        role names: <prefix>_owner, <prefix>_gateway, <prefix>_welfare, … (default: hub)
  --password      a service's password (${SERVICE_NAMES.join(', ')}); a service whose own URL is set
                  (${SERVICE_DATABASE_VARIABLES.welfare}, …) takes its role and password from it instead.
                  A new role without one gets a generated password; an existing one keeps its own.
  --replicas      replicas of each service its role's connection limit allows for, a rolling upgrade's
                  included (default ${DEFAULT_REPLICAS}): the limit is one replica's connections
                  (gateway ${connectionLimit('gateway', 1)}, each subgraph ${connectionLimit('welfare', 1)}) times this.`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      prefix: { type: 'string', default: 'hub' },
      password: { type: 'string', multiple: true, default: [] },
      replicas: { type: 'string', default: String(DEFAULT_REPLICAS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

let urls;
try {
  urls = readDatabaseUrls();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const adminUrl = values['database-url'] ?? urls.databaseUrl;
if (!adminUrl || !/^postgres(ql)?:\/\//.test(adminUrl) || !URL.canParse(adminUrl))
  fail('--database-url (or DATABASE_URL) must be a postgres:// URL that parses');

// `***` is what this command prints in place of a password it was given: a URL sourced back from that
// output holds the mark, not a password, and would set it as every role's password.
for (const service of SERVICE_NAMES) {
  const given = urls.serviceDatabaseUrls[service];
  if (given && decodeURIComponent(new URL(given).password) === REDACTED)
    fail(
      `${SERVICE_DATABASE_VARIABLES[service]} holds ${REDACTED} for a password, the mark an earlier db:roles printed in its place: give the password itself, or leave the URL out to keep the role's`,
    );
}

const passwords: Partial<Record<ServiceName, string>> = {};
for (const entry of values.password) {
  const [service, ...rest] = entry.split('=');
  if (!SERVICE_NAMES.includes(service as ServiceName) || rest.length === 0)
    fail(`--password ${service}=…: unknown service`);
  passwords[service as ServiceName] = rest.join('=');
  if (passwords[service as ServiceName] === REDACTED) fail(`--password ${service}=${REDACTED}: that is no password`);
}

if (!/^[1-9][0-9]{0,3}$/.test(values.replicas)) fail(`--replicas ${values.replicas}: a whole number from 1 to 9999`);
const replicas = Number(values.replicas);

const roles = await startOrRefuse('db:roles', () =>
  setUpHubRoles({ adminUrl, prefix: values.prefix, serviceUrls: urls.serviceDatabaseUrls, passwords, replicas }),
);

for (const [schema, applied] of Object.entries(roles.applied)) {
  if (applied.length) console.error(`${schema}: applied ${applied.join(', ')} as ${roles.owner}`);
}
console.error(
  `owner role ${roles.owner} (no login) owns every schema; each service's role allows ${replicas} replicas' connections (gateway ${connectionLimit('gateway', replicas)}, each subgraph ${connectionLimit('welfare', replicas)}); each service's URL:`,
);
for (const service of SERVICE_NAMES) {
  const { url, password } = roles.services[service];
  if (password === 'unchanged') console.error(`${service}: existing role, password unchanged (not printed)`);
  // A password the caller gave is not echoed (this output may end up in a log); a generated one must be.
  console.log(`${SERVICE_DATABASE_VARIABLES[service]}=${password === 'given' ? redactUrl(url) : url}`);
}
