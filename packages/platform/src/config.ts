// The hub's configuration: read from the environment once, at start, validated into a typed object.
// Nothing else in the code base reads process.env.

import { resolve } from 'node:path';
import { z } from 'zod';
import {
  GATEWAY_DEFAULT_PORT,
  SERVICE_NAMES,
  SUBGRAPHS,
  envPrefix,
  type ServiceName,
  type SubgraphName,
} from './services.js';

export const DEFAULT_DEV_SECRET = 'hub-development-secret-do-not-use-in-production';
export const DEFAULT_DEV_SIGNING_SECRET = 'hub-development-subgraph-signing-secret-not-for-production';

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
  readonly subgraphFetch: { readonly timeoutMs: number; readonly retries: number };
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    readonly secret: string;
    readonly jwksUrl: string | undefined;
  };
  /** The secret from which the gateway derives each subgraph's request-signing key (HKDF, per audience). */
  readonly signing: { readonly secret: string };
  readonly policy: {
    /** How long a declared emergency access lasts. */
    readonly emergencyTtlMinutes: number;
  };
  /** What the gateway refuses before it plans or executes anything. */
  readonly limits: LimitsConfig;
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
}

const port = z.coerce.number().int().min(0).max(65535);
const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const databaseUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  SEED_ON_START: flag.optional(),
  GATEWAY_PORT: port.default(GATEWAY_DEFAULT_PORT),
  JWT_ISSUER: z.string().min(1).default('hub-dev'),
  JWT_AUDIENCE: z.string().min(1).default('hub'),
  JWT_SECRET: z.string().optional(),
  JWKS_URL: z.string().url().optional(),
  SUBGRAPH_SIGNING_SECRET: z.string().optional(),
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
  MAX_COST: limit(10_000),
  MAX_BODY_BYTES: limit(1024 * 1024),
  ALLOW_BATCHED_REQUESTS: flag.default(false),
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(1).max(300_000).default(10_000),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
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
  const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return new ConfigError(`invalid configuration\n  ${problems.join('\n  ')}`);
}

/** Reads and validates DATABASE_URL and each service's own URL; throws ConfigError naming every bad one. */
export function readDatabaseUrls(env: NodeJS.ProcessEnv = process.env): DatabaseUrls {
  const parsed = ServiceDatabaseSchema.safeParse(env);
  if (!parsed.success) throw configError(parsed.error.issues);
  return databaseUrls(parsed.data);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = EnvSchema.safeParse(env);
  const parsedUrls = ServiceDatabaseSchema.safeParse(env);
  if (!parsed.success || !parsedUrls.success) {
    throw configError([...(parsed.error?.issues ?? []), ...(parsedUrls.error?.issues ?? [])]);
  }
  const urls = databaseUrls(parsedUrls.data);
  const e = parsed.data;
  const host = e.HOST;
  // npm runs workspace scripts in the workspace's folder; INIT_CWD is where the command was typed.
  const base = env.INIT_CWD ?? process.cwd();

  const subgraphs = Object.fromEntries(
    SUBGRAPHS.map((s) => {
      const prefix = envPrefix(s.name);
      const p = port.default(s.defaultPort).parse(env[`${prefix}_PORT`]);
      const url = z.string().url().default(`http://${host}:${p}/graphql`).parse(env[`${prefix}_URL`]);
      return [s.name, { port: p, url }];
    }),
  ) as Record<SubgraphName, SubgraphEndpoint>;

  const secret = e.JWT_SECRET ?? DEFAULT_DEV_SECRET;
  if (e.NODE_ENV === 'production' && !e.JWKS_URL && (secret === DEFAULT_DEV_SECRET || secret.length < 32)) {
    throw new ConfigError(
      'invalid configuration\n  JWT_SECRET: production needs JWKS_URL or a JWT_SECRET of at least 32 characters other than the development default',
    );
  }

  const signingSecret = e.SUBGRAPH_SIGNING_SECRET ?? DEFAULT_DEV_SIGNING_SECRET;
  if (e.NODE_ENV === 'production' && (signingSecret === DEFAULT_DEV_SIGNING_SECRET || signingSecret.length < 32)) {
    throw new ConfigError(
      'invalid configuration\n  SUBGRAPH_SIGNING_SECRET: production needs a secret of at least 32 characters other than the development default',
    );
  }

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
    subgraphFetch: { timeoutMs: e.SUBGRAPH_TIMEOUT_MS, retries: e.SUBGRAPH_RETRIES },
    auth: { issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE, secret, jwksUrl: e.JWKS_URL },
    signing: { secret: signingSecret },
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
    },
  };
}
