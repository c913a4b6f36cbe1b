// Starts the whole hub in one process: the database (embedded unless DATABASE_URL), the six agency
// subgraphs and the gateway, each as its own role when its own URL is set; `close()` stops them in reverse order.

import {
  createLogger,
  redactUrl,
  seedSubgraph,
  serviceDatabase,
  startHubDatabase,
  startSubgraph,
  SUBGRAPH_NAMES,
  type DatabaseServer,
  type HubConfig,
  type Logger,
  type RunningSubgraph,
  type SubgraphName,
} from '@hub/platform';
import { setFlagsFromString } from 'node:v8';
import { seedGateway, startGateway, type RunningGateway } from '@hub/gateway/server';
import { SUBGRAPH_DEFINITIONS } from './subgraphs.js';

export interface HubOptions {
  config: HubConfig;
  /**
   * `configured`: the ports of the configuration (npm start); `ephemeral`: any free port (tests, benchmarks).
   * @default 'configured'
   */
  ports?: 'configured' | 'ephemeral';
  /**
   * Load the demo municipality: `true` into an empty database only, `'force'` always (idempotent), `false` never.
   * @default config.seedOnStart
   */
  seed?: boolean | 'force';
  logger?: Logger;
  /** @default the checked-in schema/supergraph.graphql */
  supergraphSdl?: string;
  /** Sees every request body a subgraph receives (tests). */
  observeSubgraphs?: (subgraph: SubgraphName, body: string) => void;
  /**
   * Subgraphs served elsewhere (a department's system under test): not started here, the gateway sends
   * their fetches, signed as any other, to this URL; nothing is seeded for them.
   */
  externalSubgraphs?: Partial<Record<SubgraphName, string>>;
  /**
   * The database, started already (npm start starts it first, so the embedded one opens while the rest of
   * the hub's code loads); the hub closes it with the rest. @default started here, as config.database says
   */
  database?: Promise<DatabaseServer>;
}

export interface RunningHub {
  readonly gatewayUrl: string;
  readonly gateway: RunningGateway;
  /** The subgraphs started here: every one but those of `externalSubgraphs`. */
  readonly subgraphs: Readonly<Partial<Record<SubgraphName, RunningSubgraph>>>;
  /** Where the gateway sends each subgraph's fetches. */
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  readonly database: DatabaseServer;
  /** Whether this start loaded the demo data. */
  readonly seeded: boolean;
  close(): Promise<void>;
}

/**
 * How far V8 lets the main thread's heap grow past what the last full collection kept, in percent. Its
 * own choice on a machine with gigabytes free is up to four times that, and garbage of the hub's eight
 * servers (two gateways in the bench) then sat in the heap: 410 MB of heap for 150 MB used after the
 * bench's hub run. Tighter costs CPU: a request of 1000 persons, whose answers go straight to the old
 * generation, took 96 ms of CPU at V8's own growing, 104 at 100 % and 122–129 at 50 %. A process-wide
 * V8 setting, read at every collection, so it applies from here on.
 */
const HEAP_GROWING_PERCENT = 100;

function fitHeapToOneProcess(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { config } = options;
  fitHeapToOneProcess();
  const logger = options.logger ?? createLogger('hub', config.logLevel, config.telemetry.logFormat);
  const ephemeral = options.ports === 'ephemeral';
  const seed = options.seed ?? config.seedOnStart;

  const database = await (options.database ?? startHubDatabase(config));
  // A server's database is not reached yet here (the services connect next): "ready" only of the embedded one.
  if (database.kind === 'url') logger.info({ database: redactUrl(database.url) }, 'database: connecting to a server');
  else logger.info({ database: 'embedded' }, 'database ready');
  const external = options.externalSubgraphs ?? {};
  const local = SUBGRAPH_NAMES.filter((name) => !external[name]);
  const started: RunningSubgraph[] = [];
  try {
    // All at once: one subgraph's migration check waits on the database while another builds its schema.
    const starting = await Promise.allSettled(
      local.map((name) => {
        const { url, migrations } = serviceDatabase(config, name, database.url);
        return startSubgraph(SUBGRAPH_DEFINITIONS[name], {
          databaseUrl: url,
          migrations,
          host: config.host,
          port: ephemeral ? 0 : config.subgraphs[name].port,
          logger,
          includeStacktrace: false,
          verifyKeys: config.signing.verifyKeys,
          ...(options.observeSubgraphs ? { observe: (body: string) => options.observeSubgraphs!(name, body) } : {}),
        });
      }),
    );
    for (const outcome of starting) if (outcome.status === 'fulfilled') started.push(outcome.value);
    const failed = starting.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const subgraphs: Partial<Record<SubgraphName, RunningSubgraph>> = Object.fromEntries(
      started.map((s) => [s.service.name, s]),
    );
    const subgraphUrls = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, external[name] ?? subgraphs[name]!.url]),
    ) as Record<SubgraphName, string>;

    const { url, migrations } = serviceDatabase(config, 'gateway', database.url);
    const gateway = await startGateway({
      config,
      databaseUrl: url,
      migrations,
      logger,
      ...(options.supergraphSdl ? { supergraphSdl: options.supergraphSdl } : {}),
      subgraphUrls,
      port: ephemeral ? 0 : config.gateway.port,
    });

    let seeded = false;
    if (seed) {
      const force = seed === 'force';
      seeded = await seedGateway(gateway.db, { force });
      for (const name of local) {
        seeded = (await seedSubgraph(SUBGRAPH_DEFINITIONS[name], subgraphs[name]!.db.sql, { force })) || seeded;
      }
      if (seeded) logger.info('demo municipality loaded');
    }

    return {
      gatewayUrl: gateway.url,
      gateway,
      subgraphs,
      subgraphUrls,
      database,
      seeded,
      close: async () => {
        await gateway.close();
        for (const subgraph of started.reverse()) await subgraph.close();
        await database.close();
      },
    };
  } catch (error) {
    for (const subgraph of started.reverse()) await subgraph.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
