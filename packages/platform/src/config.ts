// The hub's configuration: read from the environment once, at start, validated into a typed object.
// Nothing else in the code base reads process.env.

import { resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import type { PrivateSigningJwk } from './keys.js';
import { ConfigError, problemOf, readParts, refuse } from './config-errors.js';
import { developmentClaim, signingConfig, tokenSigningKey, tokenVerification } from './config-keys.js';
import {
  GATEWAY_DEFAULT_PORT,
  SERVICE_NAMES,
  SUBGRAPHS,
  envPrefix,
  type ServiceName,
  type SubgraphName,
} from './services.js';

export { ConfigError } from './config-errors.js';
export { DEFAULT_DEV_SECRET } from './config-keys.js';

/**
 * Which process reads the configuration: the all-in-one hub (gateway and subgraphs together), the
 * gateway alone, or one subgraph alone. A subgraph must never hold a private key.
 */
export type ServiceRole = 'hub' | 'gateway' | 'subgraph';

/** How the gateway verifies caller tokens: a JWKS in production, an HS256 secret in development only. */
export type TokenVerification =
  | { kind: 'jwks-url'; url: string }
  | { kind: 'jwks'; keys: JSONWebKeySet }
  | { kind: 'secret'; secret: string }
  /** A subgraph alone verifies no caller tokens: it believes only the gateway's signature. */
  | { kind: 'none' };

/** The keys of the gateway's signatures on subgraph requests. */
export interface SigningConfig {
  /** The gateway's private key (GATEWAY_SIGNING_KEY, or generated at this start in development); never a subgraph's. */
  readonly gatewayKey: PrivateSigningJwk | undefined;
  /** The public keys a subgraph accepts signatures under (GATEWAY_VERIFY_KEYS, or the gateway key's public half). */
  readonly verifyKeys: JSONWebKeySet;
  /** Whether the key pair was generated at this start because none was configured (development). */
  readonly generated: boolean;
}

/** Where the data lives: an embedded PGlite folder, or a real PostgreSQL. */
export type DatabaseConfig = { kind: 'embedded'; dir: string } | { kind: 'url'; url: string };

export interface SubgraphEndpoint {
  readonly port: number;
  readonly url: string;
}

export interface HubConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly logLevel: string;
  readonly database: DatabaseConfig;
  /**
   * Each service's own database URL (`WELFARE_DATABASE_URL`, …, `GATEWAY_DATABASE_URL`), naming that
   * service's role; a service without one connects through `database`, as the one role that migrates.
   */
  readonly serviceDatabaseUrls: Readonly<Partial<Record<ServiceName, string>>>;
  /** Folder of the embedded databases (the all-in-one hub's, and each standalone subgraph's). */
  readonly dataDir: string;
  /** Load the demo municipality into an empty database at start. */
  readonly seedOnStart: boolean;
  readonly gateway: { readonly port: number };
  readonly subgraphs: Readonly<Record<SubgraphName, SubgraphEndpoint>>;
  /** How the gateway fetches from a subgraph: a time limit per attempt, and retries of reads only. */
  readonly subgraphFetch: {
    readonly timeoutMs: number;
    readonly retries: number;
    /** The largest answer taken from a subgraph, in bytes (unset: the fetcher's own default). */
    readonly maxResponseBytes?: number;
  };
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    readonly verify: TokenVerification;
    /** Development only (TOKEN_SIGNING_KEY): the private key `npm run token` signs with instead of the secret. */
    readonly tokenSigningKey: PrivateSigningJwk | undefined;
  };
  readonly signing: SigningConfig;
  readonly policy: {
    /** How long a declared emergency access lasts. */
    readonly emergencyTtlMinutes: number;
  };
  /** What the gateway refuses before it plans or executes anything. */
  readonly limits: LimitsConfig;
  /** The access log's signed checkpoints, kept outside the database. */
  readonly audit: AuditConfig;
  /** What an operator sees of the running hub: traces, metrics, the form of the logs. */
  readonly telemetry: TelemetryConfig;
}

export interface TelemetryConfig {
  /** Port of the Prometheus text endpoint GET /metrics (METRICS_PORT); unset, no metrics are served. */
  readonly metricsPort: number | undefined;
  /**
   * OpenTelemetry traces over OTLP/HTTP: on when OTEL_TRACES_EXPORTER is `otlp` or an OTLP endpoint is set,
   * off by default and with OTEL_SDK_DISABLED=true. The SDK reads its other OTEL_* variables itself.
   */
  readonly tracing: { readonly enabled: boolean; readonly serviceName: string };
  /** `pretty` (coloured, one event a line) on a terminal in development; `json` otherwise (LOG_FORMAT). */
  readonly logFormat: 'pretty' | 'json';
}

export interface AuditConfig {
  /** Absolute path of the file the gateway appends each signed checkpoint to (one JSON line each). */
  readonly checkpointFile: string;
  /** Seconds between two checkpoints; at most 60, so the chain's head is anchored at least every minute. */
  readonly checkpointIntervalSeconds: number;
}

export interface LimitsConfig {
  /** Deepest selection nesting of an operation. */
  readonly maxDepth: number;
  /** Most aliased fields in an operation. */
  readonly maxAliases: number;
  /** Most directives in an operation. */
  readonly maxDirectives: number;
  /** Most lexical tokens in a document; the parser stops at the first one over. */
  readonly maxTokens: number;
  /** Highest estimated cost of an operation (GraphQL Armor's cost model). */
  readonly maxCost: number;
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Accept a JSON array of operations in one HTTP request. */
  readonly allowBatchedRequests: boolean;
  /** Absolute path of the trusted-documents manifest; when set, only its operations run. */
  readonly trustedDocuments: string | undefined;
  /** Requests an agency may make per minute (token bucket, per gateway replica) unless its own limit is set. */
  readonly rateLimitPerMinute: number;
}

const NOT_A_PORT = 'is not a port number (0 to 65535)';
const port = z.coerce.number({ error: NOT_A_PORT }).int(NOT_A_PORT).min(0, NOT_A_PORT).max(65535, NOT_A_PORT);
const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
// A URL that does not parse (a port that is no number, say) is refused here, by name: the driver would throw
// with the whole URL, its password included, in the message.
const databaseUrl = z
  .string()
  // One problem a variable: a URL of another scheme is not also told that it does not parse.
  .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL', abort: true })
  .refine((url) => URL.canParse(url), 'must be a postgres:// URL that parses (host, a numeric port, database)');

/** What is wrong with a database URL, as a service's start would say it, or undefined when it is one. */
export const databaseUrlProblem = (url: string): string | undefined =>
  databaseUrl.safeParse(url).error?.issues[0]?.message;
/** A variable that, when set, must say something: an empty one is a mistake, not the default. */
const given = z.string().min(1, 'is empty; give it a value or leave it unset');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: given.default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: given.default('./data'),
  SEED_ON_START: flag.optional(),
  GATEWAY_PORT: port.default(GATEWAY_DEFAULT_PORT),
  JWT_ISSUER: given.optional(),
  JWT_AUDIENCE: given.optional(),
  JWT_SECRET: z.string().optional(),
  JWKS_URL: z.string().url().optional(),
  JWKS_FILE: given.optional(),
  TOKEN_SIGNING_KEY: given.optional(),
  GATEWAY_SIGNING_KEY: given.optional(),
  GATEWAY_VERIFY_KEYS: given.optional(),
  EMERGENCY_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  MAX_DEPTH: limit(15),
  MAX_ALIASES: limit(100),
  MAX_DIRECTIVES: limit(50),
  MAX_TOKENS: limit(10_000),
  MAX_COST: limit(50_000),
  MAX_BODY_BYTES: limit(1024 * 1024),
  ALLOW_BATCHED_REQUESTS: flag.default(false),
  TRUSTED_DOCUMENTS: given.optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(1).max(300_000).default(10_000),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  MAX_SUBGRAPH_RESPONSE_BYTES: limit(32 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: limit(6_000),
  AUDIT_CHECKPOINT_FILE: given.optional(),
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(60).default(60),
  METRICS_PORT: port.optional(),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  OTEL_SDK_DISABLED: flag.optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.string().optional(),
  OTEL_SERVICE_NAME: given.optional(),
});

/** `WELFARE_DATABASE_URL`, …, `GATEWAY_DATABASE_URL`: each service's own URL, naming its own role. */
export const SERVICE_DATABASE_VARIABLES = Object.fromEntries(
  SERVICE_NAMES.map((name) => [name, `${envPrefix(name)}_DATABASE_URL`]),
) as Readonly<Record<ServiceName, string>>;

const ServiceDatabaseSchema = z.object({
  DATABASE_URL: databaseUrl.optional(),
  ...Object.fromEntries(
    Object.values(SERVICE_DATABASE_VARIABLES).map((variable) => [variable, databaseUrl.optional()]),
  ),
});

/** Where each subgraph listens (`WELFARE_PORT`, …) and where the gateway reaches it (`WELFARE_URL`, …). */
const SubgraphEndpointSchema = z.object(
  Object.fromEntries(
    SUBGRAPHS.flatMap((s) => [
      [`${envPrefix(s.name)}_PORT`, port.optional()],
      [`${envPrefix(s.name)}_URL`, z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' }).optional()],
    ]),
  ),
);

/** The database URLs alone: what `npm run db:roles` needs, without the services' secrets. */
export interface DatabaseUrls {
  readonly databaseUrl: string | undefined;
  readonly serviceDatabaseUrls: HubConfig['serviceDatabaseUrls'];
}

function databaseUrls(data: Record<string, string | undefined>): DatabaseUrls {
  return {
    databaseUrl: data['DATABASE_URL'],
    serviceDatabaseUrls: Object.fromEntries(
      SERVICE_NAMES.flatMap((name) => {
        const url = data[SERVICE_DATABASE_VARIABLES[name]];
        return url ? [[name, url]] : [];
      }),
    ),
  };
}

function configError(issues: readonly z.ZodIssue[]): ConfigError {
  return new ConfigError(issues.map((i) => problemOf(i.path.join('.'), i.message)));
}

/** Reads and validates DATABASE_URL and each service's own URL; throws ConfigError naming every bad one. */
export function readDatabaseUrls(env: NodeJS.ProcessEnv = process.env): DatabaseUrls {
  const parsed = ServiceDatabaseSchema.safeParse(env);
  if (!parsed.success) throw configError(parsed.error.issues);
  return databaseUrls(parsed.data);
}

export type Env = z.infer<typeof EnvSchema>;

function telemetryConfig(e: Env, role: ServiceRole, terminal: boolean): TelemetryConfig {
  const exporters = (e.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim());
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const enabled = !e.OTEL_SDK_DISABLED && !exporters.includes('none') && (exporters.includes('otlp') || !!endpoint);
  const protocol = e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (enabled && protocol && protocol !== 'http/json') {
    refuse('OTEL_EXPORTER_OTLP_PROTOCOL', `traces are sent as OTLP over HTTP (http/json), not ${protocol}`);
  }
  return {
    metricsPort: e.METRICS_PORT,
    tracing: { enabled, serviceName: e.OTEL_SERVICE_NAME ?? (role === 'hub' ? 'hub' : `hub-${role}`) },
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' && terminal ? 'pretty' : 'json'),
  };
}

/**
 * The default checkpoint file's name: the embedded database's, or one of the database the gateway appends
 * to (`GATEWAY_DATABASE_URL`, else `DATABASE_URL`), so two databases on one DATA_DIR never hold their logs
 * against each other's checkpoints. It is named from the configuration, outside the database, as the anchor
 * must be.
 */
function checkpointFileName(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'audit-checkpoints.jsonl';
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || url.username || 'postgres';
  const named = `${url.hostname || 'localhost'}-${url.port || '5432'}-${database}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `audit-checkpoints-${named}.jsonl`;
}

/**
 * Reads and validates the configuration for one kind of process (default: the all-in-one hub);
 * throws ConfigError naming every bad variable.
 */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  role: ServiceRole = 'hub',
  terminal: boolean = process.stdout.isTTY === true,
): HubConfig {
  const result = EnvSchema.safeParse(env);
  const parsedUrls = ServiceDatabaseSchema.safeParse(env);
  const endpoints = SubgraphEndpointSchema.safeParse(env);
  if (!result.success || !parsedUrls.success || !endpoints.success) {
    throw configError([result, parsedUrls, endpoints].flatMap((parsed) => parsed.error?.issues ?? []));
  }
  const urls = databaseUrls(parsedUrls.data);
  const e = result.data;
  const host = e.HOST;
  // npm runs workspace scripts in the workspace's folder; INIT_CWD is where the command was typed.
  const base = env.INIT_CWD ?? process.cwd();

  const subgraphs = Object.fromEntries(
    SUBGRAPHS.map((s) => {
      const prefix = envPrefix(s.name);
      const p = (endpoints.data[`${prefix}_PORT`] as number | undefined) ?? s.defaultPort;
      const url = (endpoints.data[`${prefix}_URL`] as string | undefined) ?? `http://${host}:${p}/graphql`;
      return [s.name, { port: p, url }];
    }),
  ) as Record<SubgraphName, SubgraphEndpoint>;

  const {
    issuer,
    audience,
    verify,
    tokenSigningKey: tokenKey,
    signing,
    telemetry,
  } = readParts({
    issuer: () => e.JWT_ISSUER ?? developmentClaim(e, role, 'JWT_ISSUER', 'hub-dev'),
    audience: () => e.JWT_AUDIENCE ?? developmentClaim(e, role, 'JWT_AUDIENCE', 'hub'),
    verify: () => tokenVerification(e, role, base),
    tokenSigningKey: () => tokenSigningKey(e, base),
    signing: () => signingConfig(e, role, base),
    telemetry: () => telemetryConfig(e, role, terminal),
  });

  return {
    nodeEnv: e.NODE_ENV,
    host,
    logLevel: e.LOG_LEVEL,
    database: urls.databaseUrl
      ? { kind: 'url', url: urls.databaseUrl }
      : { kind: 'embedded', dir: resolve(base, e.DATA_DIR, 'hub') },
    serviceDatabaseUrls: urls.serviceDatabaseUrls,
    dataDir: resolve(base, e.DATA_DIR),
    seedOnStart: e.SEED_ON_START ?? e.NODE_ENV !== 'production',
    gateway: { port: e.GATEWAY_PORT },
    subgraphs,
    subgraphFetch: {
      timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
      retries: e.SUBGRAPH_RETRIES,
      maxResponseBytes: e.MAX_SUBGRAPH_RESPONSE_BYTES,
    },
    auth: { issuer, audience, verify, tokenSigningKey: tokenKey },
    signing,
    policy: { emergencyTtlMinutes: e.EMERGENCY_TTL_MINUTES },
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_COST,
      maxBodyBytes: e.MAX_BODY_BYTES,
      allowBatchedRequests: e.ALLOW_BATCHED_REQUESTS,
      trustedDocuments: e.TRUSTED_DOCUMENTS ? resolve(base, e.TRUSTED_DOCUMENTS) : undefined,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    audit: {
      checkpointFile: resolve(
        base,
        e.AUDIT_CHECKPOINT_FILE ??
          resolve(base, e.DATA_DIR, checkpointFileName(urls.serviceDatabaseUrls.gateway ?? urls.databaseUrl)),
      ),
      checkpointIntervalSeconds: e.AUDIT_CHECKPOINT_INTERVAL_SECONDS,
    },
    telemetry,
  };
}
