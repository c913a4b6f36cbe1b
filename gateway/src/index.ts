// Runs the gateway alone, as its own service in front of separately deployed subgraphs.

import {
  closeOnSignals,
  ConfigError,
  createLogger,
  readConfig,
  serviceDatabase,
  startOrRefuse,
  startTracing,
  surviveArrayTypeReadFailures,
} from '@hub/platform';
import { seedGateway, startGateway } from './server.js';

let config;
try {
  config = readConfig(process.env, 'gateway');
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
if (config.database.kind !== 'url' && !config.serviceDatabaseUrls.gateway) {
  console.error(
    'The gateway alone needs GATEWAY_DATABASE_URL or DATABASE_URL (the hub schema lives there); npm start runs everything embedded.',
  );
  process.exit(2);
}

const logger = createLogger('gateway', config.logLevel, config.telemetry.logFormat);
surviveArrayTypeReadFailures(logger);
const tracing = startTracing(config.telemetry);
const { url, migrations } = serviceDatabase(
  config,
  'gateway',
  config.database.kind === 'url' ? config.database.url : undefined,
);
const gateway = await startOrRefuse('gateway', () => startGateway({ config, databaseUrl: url, migrations, logger }));
if (config.seedOnStart && (await seedGateway(gateway.db))) logger.info('demo agency register loaded');

closeOnSignals(logger, async () => {
  await gateway.close();
  await tracing?.shutdown();
});
// Said once the signals are listened for: a manager that stops it on reading this finds it closing in order.
logger.info({ url: gateway.url, metrics: gateway.metricsUrl, tracing: tracing !== null }, 'gateway listening');
