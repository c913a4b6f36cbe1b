// npm start: the whole hub in one terminal — embedded database (or DATABASE_URL), six subgraphs,
// the gateway, demo data on first start. Ctrl-C stops everything cleanly.
//
// Only the configuration and the database are imported before the database starts: the embedded one
// opens on its own thread while the rest of the hub's code loads, and the pages under /ui/, when their
// sources changed, build in a process of their own while the hub starts.

import { ConfigError, readConfig, type HubConfig } from '@hub/platform/config';
import { startHubDatabase } from '@hub/platform/database';

let config: HubConfig;
try {
  config = readConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const database = startHubDatabase(config);
// Handled where startHub awaits it; this only keeps an early failure from counting as unhandled meanwhile.
database.catch(() => {});

const [
  { startHub },
  { closeOnSignals, createLogger, startOrRefuse, startTracing, surviveArrayTypeReadFailures },
  { ensureUiBuilt },
] = await Promise.all([import('@hub/all-in-one/stack'), import('@hub/platform'), import('@hub/ui')]);
type RunningHub = Awaited<ReturnType<typeof startHub>>;

const logger = createLogger('hub', config.logLevel, config.telemetry.logFormat);
surviveArrayTypeReadFailures(logger);
const tracing = startTracing(config.telemetry);
// The pages under /ui/ are built on the first start and after their sources change (a few seconds).
const ui = ensureUiBuilt({ quiet: true });
ui.catch(() => {});
const hub = await startOrRefuse('hub', () => startHub({ config, logger, database }));
if (await ui) logger.info('pages under /ui/ built');

// Listening before the banner: a signal sent as soon as it is read finds the hub closing in order.
closeOnSignals(logger, async () => {
  await hub.close();
  await tracing?.shutdown();
});

function databaseLine(config: HubConfig, hub: RunningHub): string {
  const ownRoles = Object.keys(config.serviceDatabaseUrls).length;
  if (ownRoles) return `PostgreSQL, ${ownRoles} of 7 services on their own role`;
  if (hub.database.kind === 'url') return 'PostgreSQL (DATABASE_URL), one role';
  return `embedded PGlite in ${config.database.kind === 'embedded' ? config.database.dir : ''}, one role`;
}
/** The development token command for how this hub verifies tokens: a JWKS file takes the matching private key. */
function tokenCommand(config: HubConfig): string {
  const command = 'npm run -s token -- --agency minamino-welfare';
  if (config.auth.verify.kind !== 'jwks') return command;
  // A path is shown as given; a key given inline never is.
  const given = process.env['TOKEN_SIGNING_KEY']?.trim();
  const path = given && !given.startsWith('{') && !given.startsWith('-----') ? given : undefined;
  return `TOKEN_SIGNING_KEY=${path ?? '<the private key of a JWKS_FILE key>'} ${command}`;
}
const lines = [
  '',
  `  The hub is running: POST ${hub.gatewayUrl}`,
  `  Database: ${databaseLine(config, hub)}${hub.seeded ? ', demo municipality loaded' : ''}`,
  ...(hub.gateway.metricsUrl ? [`  Metrics: ${hub.gateway.metricsUrl}`] : []),
  ...(tracing ? ['  Traces: sent over OTLP/HTTP (OTEL_* variables)'] : []),
  '',
  `  Pages: ${hub.gatewayUrl.replace(/\/graphql$/, '/ui/')}  (sign in ${
    config.nodeEnv === 'production' ? 'with a token from your identity provider' : 'as a demo agency'
  }, then Dashboards,`,
  '    開示請求への回答 for a disclosure report, or 監査 with the auditor role)',
  ...(config.nodeEnv === 'production'
    ? []
    : [`  Explorer: ${hub.gatewayUrl} in a browser (paste a token; development only)`]),
  '',
  ...(config.nodeEnv === 'production'
    ? ['  Tokens come from your identity provider, verified against its JWKS (docs/operations.md).']
    : [
        '  Get a development token and ask something:',
        `    TOKEN=$(${tokenCommand(config)})`,
        `    curl -s ${hub.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
        `      -d '{"query":"{ agencies { id name domain } }"}'`,
        ...(config.seedOnStart
          ? []
          : [
              '  Not seeded (SEED_ON_START=false): on an empty register the token names no agency yet (401',
              '    UNKNOWN_AGENCY); register the first one as docker/README.md, step 5, shows.',
            ]),
      ]),
  '',
  '  Ctrl-C stops it.',
  '',
];
console.log(lines.join('\n'));
