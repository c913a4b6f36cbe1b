// Runs one subgraph as its own service: its own port and its own database role (<NAME>_DATABASE_URL),
// or, without one, DATABASE_URL or its own embedded folder (data/<name>), as a separately deployed agency system would.

import { join } from 'node:path';
import { ConfigError, readConfig, type HubConfig } from './config.js';
import { surviveArrayTypeReadFailures } from './array-type-read.js';
import { serviceDatabase, startDatabase, type DatabaseServer } from './database.js';
import { createLogger } from './logger.js';
import { closeOnSignals } from './shutdown.js';
import { startOrRefuse } from './startup.js';
import { seedSubgraph, startSubgraph, type SubgraphDefinition } from './subgraph.js';
import { startTracing } from './tracing.js';

/**
 * The environment a subgraph run alone reads: its traces name it (`hub-welfare`, …) unless OTEL_SERVICE_NAME
 * says otherwise, so a trace backend shows six agency systems, not one.
 */
export function standaloneEnv(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { OTEL_SERVICE_NAME: `hub-${name}`, ...env };
}

export async function runStandalone<TStore>(definition: SubgraphDefinition<TStore>): Promise<void> {
  let config: HubConfig;
  try {
    config = readConfig(standaloneEnv(definition.name, process.env), 'subgraph');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const logger = createLogger(`subgraph-${definition.name}`, config.logLevel, config.telemetry.logFormat);
  surviveArrayTypeReadFailures(logger);
  const tracing = startTracing(config.telemetry);
  const own = config.serviceDatabaseUrls[definition.name];
  const { database, subgraph } = await startOrRefuse(`subgraph ${definition.name}`, async () => {
    const database: DatabaseServer | undefined = own
      ? undefined
      : await startDatabase(
          config.database.kind === 'embedded'
            ? { kind: 'embedded', dir: join(config.dataDir, definition.name) }
            : config.database,
        );
    const { url, migrations } = serviceDatabase(config, definition.name, database?.url);
    const subgraph = await startSubgraph(definition, {
      databaseUrl: url,
      migrations,
      host: config.host,
      port: config.subgraphs[definition.name].port,
      logger,
      includeStacktrace: config.nodeEnv === 'development',
      verifyKeys: config.signing.verifyKeys,
    });
    return { database, subgraph };
  });
  if (config.seedOnStart && (await seedSubgraph(definition, subgraph.db.sql))) logger.info('demo data loaded');

  closeOnSignals(logger, async () => {
    await subgraph.close();
    await database?.close();
    await tracing?.shutdown();
  });
  // Said once the signals are listened for: a manager that stops it on reading this finds it closing in order.
  logger.info({ url: subgraph.url }, `subgraph ${definition.name} listening`);
}
