// One party of a benchmark, alone in its own process so its CPU and memory are its own. Started by
// bench/parties.ts as `node --import tsx bench/serve.ts <kind> [supergraph file]` (the hub through
// scripts/run-bundled.js, as npm start runs it); prints one line
// `READY <json>` once it listens, and serves GET /stats on a side port when it has counts to tell.

import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DatabaseConfig } from '@hub/platform';

const host = '127.0.0.1';
const [kind, supergraphFile] = process.argv.slice(2);

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function ready(detail: Record<string, unknown>): void {
  // The bench stops a party with SIGINT. One without a stop of its own then exits of itself: a signal's
  // default action would end it before `node --cpu-prof` (BENCH_PROFILE) writes the party's profile.
  if (process.listenerCount('SIGINT') === 0) process.once('SIGINT', () => process.exit(0));
  process.stdout.write(`READY ${JSON.stringify(detail)}\n`);
  const profiles = process.env['BENCH_PROFILE_DIR'];
  if (profiles) profileOnSignal(profiles);
}

/**
 * With BENCH_PROFILE_DIR: SIGUSR2 starts a CPU profile of this party (BENCH_PROFILE_KIND=allocations: a
 * sampling allocation profile, collected objects included) and the next SIGUSR2 writes it there
 * (`PROFILED <file>` on stdout), so a profile holds the load it was taken under, not the start and seeding.
 */
function profileOnSignal(dir: string): void {
  const allocations = process.env['BENCH_PROFILE_KIND'] === 'allocations';
  let session: Session | null = null;
  let taken = 0;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!session) {
        session = new Session();
        session.connect();
        if (allocations) {
          // Every sampled allocation, the garbage included: where the collector's work comes from.
          await session.post('HeapProfiler.startSampling', {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          });
        } else {
          await session.post('Profiler.enable');
          await session.post('Profiler.start');
        }
        return;
      }
      const { profile } = allocations
        ? await session.post('HeapProfiler.stopSampling')
        : await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      const file = join(dir, `${kind}-${process.pid}-${++taken}.${allocations ? 'heapprofile' : 'cpuprofile'}`);
      writeFileSync(file, JSON.stringify(profile));
      process.stdout.write(`PROFILED ${file}\n`);
    })();
  });
}

const supergraph = () => readFileSync(supergraphFile!, 'utf8');

switch (kind) {
  case 'bare': {
    // The floor: what node:http alone costs per request, answering a fixed body.
    const body = JSON.stringify({ data: { ok: true } });
    const url = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    ready({ url: `${url}/graphql` });
    break;
  }
  case 'guild-subgraphs': {
    const { startGuildSubgraphs } = await import('./guild/subgraphs.js');
    const subgraphs = await startGuildSubgraphs({ host });
    const stats = await serve((_req, res) => json(res, subgraphs.counts));
    ready({ urls: subgraphs.urls, stats });
    break;
  }
  case 'apollo': {
    // Stock: what a team starting from Apollo's documentation runs, with the default subgraph client.
    const { ApolloGateway } = await import('@apollo/gateway');
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: supergraph() }) });
    const { url } = await startStandaloneServer(apollo, { listen: { host, port: 0 } });
    ready({ url });
    break;
  }
  case 'hive': {
    const { createGatewayRuntime } = await import('@graphql-hive/gateway');
    const gateway = createGatewayRuntime({ supergraph: supergraph(), logging: false });
    const url = await serve(gateway as unknown as (req: IncomingMessage, res: ServerResponse) => void);
    ready({ url: `${url}/graphql` });
    break;
  }
  case 'hive-router': {
    // Hive Gateway with the Rust query planner (a native addon) planning and running the operation.
    const { createGatewayRuntime } = await import('@graphql-hive/gateway');
    const { unifiedGraphHandler } = await import('@graphql-hive/router-runtime');
    const gateway = createGatewayRuntime({ supergraph: supergraph(), logging: false, unifiedGraphHandler });
    const url = await serve(gateway as unknown as (req: IncomingMessage, res: ServerResponse) => void);
    ready({ url: `${url}/graphql` });
    break;
  }
  case 'engine':
  case 'engine-stock': {
    // The engine, its plans run by its leveled executor or (engine-stock) by @apollo/gateway's own.
    const { startEngine } = await import('@hub/gateway/engine');
    const { createLogger } = await import('@hub/platform');
    const engine = await startEngine({
      supergraphSdl: supergraph(),
      host,
      logger: createLogger('bench', 'silent'),
      executor: kind === 'engine' ? 'leveled' : 'stock',
    });
    ready({ url: engine.url });
    break;
  }
  case 'hub': {
    await serveHub();
    break;
  }
  case 'replica': {
    // A second gateway process on the hub party's PostgreSQL and subgraphs, signing with the same key.
    const { startGateway } = await import('@hub/gateway/server');
    const { createLogger, readConfig } = await import('@hub/platform');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { databaseUrl, subgraphUrls } = JSON.parse(process.env['BENCH_REPLICA_OF']!) as {
      databaseUrl: string;
      subgraphUrls: Record<string, string>;
    };
    const base = readConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', ...sharedKeys() });
    const dir = await mkdtemp(join(tmpdir(), 'hub-bench-replica-'));
    const config = { ...base, audit: { ...base.audit, checkpointFile: join(dir, 'checkpoints.jsonl') } };
    const gateway = await startGateway({
      config,
      databaseUrl,
      logger: createLogger('bench', 'silent'),
      subgraphUrls,
      port: 0,
    });
    const stats = await serve((_req, res) => json(res, { enforced: gateway.stats }));
    process.on('SIGINT', () => void gateway.close().then(() => process.exit(0)));
    ready({ url: gateway.url, stats });
    break;
  }
  default:
    console.error(`unknown party: ${kind}`);
    process.exit(2);
}

/**
 * The hub with its six subgraphs and database, and a second gateway with authorization off over the
 * same subgraphs (none with BENCH_OFF_GATEWAY=0: the all-in-one process as npm start makes it);
 * registers the benchmark's persons and their consents, then tells their ids.
 */
async function serveHub(): Promise<void> {
  const { startHub } = await import('@hub/all-in-one');
  const { startGateway } = await import('@hub/gateway/server');
  const { mintDevToken } = await import('@hub/gateway/token');
  const { AGENCIES, createLogger, createScratchDatabase, readConfig, startTracing } = await import('@hub/platform');
  const persons = Number(process.env['BENCH_PERSONS'] ?? 1000);
  // BENCH_HUB_KEPT names a file: with BENCH_HUB_PHASE=setup the party registers the persons and writes
  // their database and ids there, and leaves the database when it stops; with BENCH_HUB_PHASE=serve it
  // starts on that database as `npm start` does on an existing data directory, without registering
  // anyone, and leaves it too (the bench drops it: bench/kept-database.ts).
  const keptFile = process.env['BENCH_HUB_KEPT'];
  const phase = keptFile ? process.env['BENCH_HUB_PHASE'] : undefined;
  const kept = phase === 'serve' ? (JSON.parse(readFileSync(keptFile!, 'utf8')) as KeptDatabase) : null;
  // A database of the run's own (a new one on DATABASE_URL's server), dropped when the party stops.
  const database = kept ?? (await createScratchDatabase('bench', process.env['DATABASE_URL']));
  const stop = async () => {
    if (!phase && 'drop' in database)
      await database.drop().catch((error: unknown) => console.error('the bench database was not dropped', error));
    process.exit(0);
  };
  // `on`, not `once`: a loader's own signal handler exits the process when it is the last listener left.
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The limiter runs but does not refuse: the bench sends as one agency far over any production rate.
  // Tracing as the OTEL_* variables given to this party say (bench/telemetry-scenario.ts sets them).
  const otel = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('OTEL_')));
  const base = readConfig({ ...otel, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', ...sharedKeys() });
  const config = {
    ...base,
    database: database.config,
    audit: { ...base.audit, checkpointFile: database.checkpointFile },
    telemetry: { ...base.telemetry, metricsPort: process.env['BENCH_METRICS'] === '1' ? 0 : undefined },
  };
  startTracing(config.telemetry);
  const logger = createLogger('bench', 'silent');
  const hub = await startHub({ config, ports: 'ephemeral', seed: true, logger });
  const off =
    process.env['BENCH_OFF_GATEWAY'] === '0'
      ? null
      : await startGateway({
          config,
          databaseUrl: hub.database.url,
          logger,
          subgraphUrls: hub.subgraphUrls,
          port: 0,
          authorization: 'off',
        });
  const collaborator = AGENCIES.minaminoCollaborator.id;
  const token = await mintDevToken(config.auth, { agency: collaborator, ttl: '2h' });
  const post = async (query: string, bearer = token) => {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) throw new Error(`setup request failed: ${response.status}`);
    return JSON.parse(text) as { data: Record<string, { id: string }> };
  };
  const ids: string[] = kept ? kept.ids : [];
  for (let batch = 0; ids.length < persons; batch++) {
    const aliases = Array.from(
      { length: 100 },
      (_, i) =>
        `p${i}: registerPerson(input: { name: "ベンチ ${batch}-${i}", nameKana: "ベンチ", birthDate: "1970-01-01", municipalityCode: "990001" }) { id }`,
    );
    ids.push(...Object.values((await post(`mutation { ${aliases.join('\n')} }`)).data).map((p) => p.id));
  }
  // Each consented to the collaborator seeing their Hello Work and eco-project records.
  for (let start = 0; !kept && start < ids.length; start += 100) {
    const aliases = ids
      .slice(start, start + 100)
      .map(
        (id, i) =>
          `g${i}: grantConsent(input: { personId: "${id}", recipientAgencyIds: ["${collaborator}"], categories: [EMPLOYMENT, ENVIRONMENT_PARTICIPATION], purpose: "支援プラン作成", validFrom: "2020-01-01T00:00:00Z", validUntil: "2100-01-01T00:00:00Z", method: WRITTEN, evidenceRef: "同意書-${start + i}" }) { id }`,
      );
    const consentIds = Object.values((await post(`mutation { ${aliases.join('\n')} }`)).data).map((c) => c.id);
    // The holders of the data (Hello Work, the eco project) confirm what the consents open.
    for (const [holder, category] of [
      [AGENCIES.helloWorkMinamino.id, 'EMPLOYMENT'],
      [AGENCIES.minaminoEnvironment.id, 'ENVIRONMENT_PARTICIPATION'],
    ] as const) {
      const bearer = await mintDevToken(config.auth, { agency: holder, ttl: '2h' });
      const confirmations = consentIds.map(
        (id, i) => `c${i}: confirmConsent(id: "${id}", categories: [${category}]) { id }`,
      );
      await post(`mutation { ${confirmations.join('\n')} }`, bearer);
    }
  }
  const stats = await serve((_req, res) => {
    void hub.database.memory().then((database) =>
      json(res, {
        statements: {
          ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.db.statementCount()])),
          gateway: hub.gateway.db.statementCount(),
        },
        enforced: hub.gateway.stats,
        // The main thread's V8 heap and the embedded database thread's own (null on PostgreSQL).
        memory: { main: process.memoryUsage(), database },
      }),
    );
  });
  const auditorToken = await mintDevToken(config.auth, {
    agency: AGENCIES.minaminoKokoro.id,
    roles: ['auditor'],
    ttl: '2h',
  });
  if (phase === 'setup') {
    const keep: KeptDatabase = { config: database.config, checkpointFile: database.checkpointFile, ids };
    writeFileSync(keptFile!, JSON.stringify(keep));
  }
  ready({
    on: hub.gatewayUrl,
    off: off?.url ?? null,
    token,
    auditorToken,
    ids,
    stats,
    metrics: hub.gateway.metricsUrl,
    database: config.database.kind,
    databaseUrl: hub.database.url,
    subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.url])),
  });
}

/** What a setup party leaves for the party that serves after it (BENCH_HUB_KEPT). */
interface KeptDatabase {
  readonly config: DatabaseConfig;
  readonly checkpointFile: string;
  readonly ids: string[];
}

/** The gateway's signing key, when the bench gives one to every gateway process of a run. */
function sharedKeys(): Record<string, string> {
  const key = process.env['BENCH_GATEWAY_SIGNING_KEY'];
  return key ? { GATEWAY_SIGNING_KEY: key } : {};
}
