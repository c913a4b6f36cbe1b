import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_DEV_SECRET, readConfig, readDatabaseUrls } from './config.js';
import { generateSigningKey } from './keys.js';
import { standaloneEnv } from './standalone.js';

const gateway = generateSigningKey('EdDSA', 'gw');
const idp = generateSigningKey('ES256', 'idp');
/** What a production gateway is given: its private key and the identity provider's JWKS. */
const gatewayEnv = {
  NODE_ENV: 'production',
  GATEWAY_SIGNING_KEY: JSON.stringify(gateway.privateJwk),
  JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  JWT_ISSUER: 'https://idp.example',
  JWT_AUDIENCE: 'hub',
};
/** What a production subgraph is given: the gateway's public keys, nothing that signs. */
const subgraphEnv = { NODE_ENV: 'production', GATEWAY_VERIFY_KEYS: JSON.stringify(gateway.publicJwks) };

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return 'ACCEPTED';
}

describe('readConfig', () => {
  it('defaults to the embedded database under ./data and the development ports', () => {
    const config = readConfig({ INIT_CWD: '/srv/hub' });
    expect(config.database).toEqual({ kind: 'embedded', dir: '/srv/hub/data/hub' });
    expect(config.gateway.port).toBe(4000);
    expect(config.subgraphs['suicide-prevention']).toEqual({ port: 4002, url: 'http://127.0.0.1:4002/graphql' });
    expect(config.seedOnStart).toBe(true);
  });

  it('uses a real PostgreSQL when DATABASE_URL is set', () => {
    expect(readConfig({ DATABASE_URL: 'postgres://u@db:5432/hub' }).database).toEqual({
      kind: 'url',
      url: 'postgres://u@db:5432/hub',
    });
  });

  it("takes each service's own database URL from its own variable, and no other", () => {
    const config = readConfig({
      DATABASE_URL: 'postgres://postgres@db:5432/hub',
      CHILD_DV_DATABASE_URL: 'postgres://hub_child_dv:pw@db:5432/hub',
      GATEWAY_DATABASE_URL: 'postgres://hub_gateway:pw@db:5432/hub',
    });
    expect(config.serviceDatabaseUrls).toEqual({
      'child-dv': 'postgres://hub_child_dv:pw@db:5432/hub',
      gateway: 'postgres://hub_gateway:pw@db:5432/hub',
    });
    expect(readConfig({}).serviceDatabaseUrls).toEqual({});
    expect(() => readConfig({ WELFARE_DATABASE_URL: 'mysql://x' })).toThrow(/WELFARE_DATABASE_URL/);
    // One problem a variable: a URL of another scheme is not also told that it does not parse.
    const problems = (() => {
      try {
        readConfig({ DATABASE_URL: 'notaurl' });
      } catch (error) {
        return (error as Error).message.split('\n').filter((line) => line.includes('DATABASE_URL'));
      }
      return [];
    })();
    expect(problems.map((line) => line.trim())).toEqual(['DATABASE_URL: must be a postgres:// URL']);
    // One that does not parse is refused by name, without repeating it (its password would be in the message).
    const unparsed = 'postgres://hub_welfare:S3cretPw@127.0.0.1:54x2/hub';
    for (const variable of ['DATABASE_URL', 'WELFARE_DATABASE_URL', 'GATEWAY_DATABASE_URL']) {
      expect(() => readConfig({ [variable]: unparsed }), variable).toThrow(new RegExp(variable));
      expect(() => readConfig({ [variable]: unparsed })).not.toThrow(/S3cretPw/);
    }
  });

  it("reads the database URLs alone without asking for the services' secrets", () => {
    const urls = readDatabaseUrls({ NODE_ENV: 'production', EMPLOYMENT_DATABASE_URL: 'postgres://e@db/hub' });
    expect(urls).toEqual({ databaseUrl: undefined, serviceDatabaseUrls: { employment: 'postgres://e@db/hub' } });
  });

  it('takes a subgraph URL from its own variable', () => {
    const config = readConfig({ CHILD_DV_URL: 'http://child-dv:4003/graphql' });
    expect(config.subgraphs['child-dv'].url).toBe('http://child-dv:4003/graphql');
  });

  it('names every bad variable in one error', () => {
    expect(() => readConfig({ GATEWAY_PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      /GATEWAY_PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*GATEWAY_PORT/,
    );
  });

  it('starts production with a signing key and a JWKS, and never seeds unasked', () => {
    const config = readConfig(gatewayEnv, 'gateway');
    expect(config.seedOnStart).toBe(false);
    expect(config.signing.gatewayKey?.kid).toBe(gateway.privateJwk.kid);
    expect(config.auth.verify).toEqual({ kind: 'jwks-url', url: gatewayEnv.JWKS_URL });
  });

  it('a production gateway or hub refuses to start without GATEWAY_SIGNING_KEY', () => {
    const { GATEWAY_SIGNING_KEY: _, ...withoutKey } = gatewayEnv;
    expect(refusal(() => readConfig(withoutKey, 'gateway'))).toMatch(/GATEWAY_SIGNING_KEY/);
    expect(refusal(() => readConfig(withoutKey, 'hub'))).toMatch(/GATEWAY_SIGNING_KEY/);
  });

  it('production refuses an HS256 secret: JWT_SECRET set is a start-up error, even next to a JWKS', () => {
    for (const secret of [DEFAULT_DEV_SECRET, 'x'.repeat(64)]) {
      expect(refusal(() => readConfig({ ...gatewayEnv, JWT_SECRET: secret }, 'gateway'))).toMatch(/JWT_SECRET/);
      expect(refusal(() => readConfig({ ...subgraphEnv, JWT_SECRET: secret }, 'subgraph'))).toMatch(
        /JWT_SECRET: a subgraph verifies no caller tokens, only the gateway’s signatures: remove JWT_SECRET/,
      );
    }
  });

  it('a production gateway refuses to start without a JWKS to verify tokens with', () => {
    const { JWKS_URL: _, ...withoutJwks } = gatewayEnv;
    expect(refusal(() => readConfig(withoutJwks, 'gateway'))).toMatch(/JWKS_URL/);
  });

  it('a production subgraph given the private GATEWAY_SIGNING_KEY refuses to start', () => {
    expect(refusal(() => readConfig(subgraphEnv, 'subgraph'))).toBe('ACCEPTED');
    const given = { ...subgraphEnv, GATEWAY_SIGNING_KEY: JSON.stringify(gateway.privateJwk) };
    expect(refusal(() => readConfig(given, 'subgraph'))).toMatch(/GATEWAY_SIGNING_KEY/);
  });

  it('a subgraph refuses a private key hidden inside GATEWAY_VERIFY_KEYS', () => {
    const smuggled = JSON.stringify({ keys: [...gateway.publicJwks.keys, gateway.privateJwk] });
    expect(refusal(() => readConfig({ ...subgraphEnv, GATEWAY_VERIFY_KEYS: smuggled }, 'subgraph'))).toMatch(
      /GATEWAY_VERIFY_KEYS: holds a private/,
    );
    const symmetric = JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hs' }] });
    expect(refusal(() => readConfig({ ...subgraphEnv, GATEWAY_VERIFY_KEYS: symmetric }, 'subgraph'))).toMatch(
      /GATEWAY_VERIFY_KEYS/,
    );
  });

  it('a key set with two keys under one kid refuses to start, naming the variable: no signature under it would verify', () => {
    const twin = generateSigningKey('EdDSA', 'twin').publicJwks.keys[0]!;
    const doubled = JSON.stringify({ keys: [...gateway.publicJwks.keys, { ...twin, kid: gateway.privateJwk.kid }] });
    expect(refusal(() => readConfig({ ...subgraphEnv, GATEWAY_VERIFY_KEYS: doubled }, 'subgraph'))).toMatch(
      `GATEWAY_VERIFY_KEYS: holds two keys under kid ${gateway.privateJwk.kid}`,
    );
    const idpTwin = generateSigningKey('ES256', 'twin').publicJwks.keys[0]!;
    for (const keys of [
      [...idp.publicJwks.keys, { ...idpTwin, kid: idp.privateJwk.kid }],
      [...idp.publicJwks.keys, ...idp.publicJwks.keys],
    ]) {
      const env = { ...gatewayEnv, JWKS_URL: undefined, JWKS_FILE: JSON.stringify({ keys }) };
      expect(refusal(() => readConfig(env, 'gateway'))).toMatch(
        `JWKS_FILE: holds two keys under kid ${idp.privateJwk.kid}`,
      );
    }
  });

  it('a subgraph without GATEWAY_VERIFY_KEYS refuses to start, and holds no private key when started', () => {
    expect(refusal(() => readConfig({ NODE_ENV: 'production' }, 'subgraph'))).toMatch(/GATEWAY_VERIFY_KEYS/);
    expect(readConfig(subgraphEnv, 'subgraph').signing.gatewayKey).toBeUndefined();
  });

  it('a production gateway started with nothing set names every variable it needs at once', () => {
    const problems = refusal(() => readConfig({ NODE_ENV: 'production' }, 'gateway'));
    for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWKS_URL', 'GATEWAY_SIGNING_KEY']) {
      expect(problems).toMatch(new RegExp(`^  ${name}: `, 'm'));
    }
  });

  it('a production gateway given JWT_SECRET and no JWKS names both at once', () => {
    const { JWKS_URL: _, ...withoutJwks } = gatewayEnv;
    const problems = refusal(() => readConfig({ ...withoutJwks, JWT_SECRET: 'x'.repeat(64) }, 'gateway'));
    expect(problems).toMatch(/^ {2}JWT_SECRET: /m);
    expect(problems).toMatch(/^ {2}JWKS_URL: /m);
  });

  it("a subgraph's port or URL that is no port or URL is refused by name, as every other variable is", () => {
    const problems = refusal(() =>
      readConfig({ WELFARE_PORT: 'abc', CHILD_DV_URL: 'child-dv:4003', GATEWAY_PORT: '-1' }),
    );
    expect(problems).toMatch(/^ {2}WELFARE_PORT: /m);
    expect(problems).toMatch(/^ {2}CHILD_DV_URL: /m);
    expect(problems).toMatch(/^ {2}GATEWAY_PORT: /m);
    const config = readConfig({ WELFARE_PORT: '4201', EMPLOYMENT_URL: 'http://employment:4004/graphql' });
    expect(config.subgraphs.welfare).toEqual({ port: 4201, url: 'http://127.0.0.1:4201/graphql' });
    expect(config.subgraphs.employment).toEqual({ port: 4004, url: 'http://employment:4004/graphql' });
  });

  it("an empty variable is refused with what to do, not the validator's words", () => {
    for (const name of ['GATEWAY_SIGNING_KEY', 'GATEWAY_VERIFY_KEYS', 'JWKS_FILE', 'AUDIT_CHECKPOINT_FILE']) {
      const problem = refusal(() => readConfig({ [name]: '' }));
      expect(problem).toMatch(new RegExp(`^  ${name}: is empty; give it a value or leave it unset$`, 'm'));
    }
  });

  it("a production gateway is given its identity provider's iss and aud: the development ones are not assumed", () => {
    for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
      expect(refusal(() => readConfig({ ...gatewayEnv, [name]: undefined }, 'gateway'))).toMatch(name);
      expect(refusal(() => readConfig({ ...gatewayEnv, [name]: undefined }, 'hub'))).toMatch(name);
    }
    expect(readConfig(gatewayEnv, 'gateway').auth).toMatchObject({ issuer: 'https://idp.example', audience: 'hub' });
    expect(readConfig(subgraphEnv, 'subgraph').auth.issuer).toBe('hub-dev');
    expect(readConfig({}).auth).toMatchObject({ issuer: 'hub-dev', audience: 'hub' });
  });

  it('reads keys from files or inline, as JWK or PEM, and a token JWKS from JWKS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-keys-'));
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileSync(join(dir, 'gateway.pem'), pem);
    writeFileSync(join(dir, 'tokens.jwks.json'), JSON.stringify(idp.publicJwks));
    const config = readConfig(
      {
        ...gatewayEnv,
        JWKS_URL: undefined,
        INIT_CWD: dir,
        GATEWAY_SIGNING_KEY: 'gateway.pem',
        JWKS_FILE: 'tokens.jwks.json',
      },
      'gateway',
    );
    expect(config.signing.gatewayKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(config.signing.gatewayKey?.kid).toEqual(expect.any(String));
    expect(config.auth.verify).toEqual({ kind: 'jwks', keys: idp.publicJwks });
    expect(refusal(() => readConfig({ ...gatewayEnv, GATEWAY_SIGNING_KEY: 'no/such/file.json' }, 'gateway'))).toMatch(
      /GATEWAY_SIGNING_KEY/,
    );
  });

  it('the hub refuses GATEWAY_VERIFY_KEYS that do not hold its own signing key', () => {
    const other = generateSigningKey('EdDSA', 'other');
    const env = { ...gatewayEnv, GATEWAY_VERIFY_KEYS: JSON.stringify(other.publicJwks) };
    expect(refusal(() => readConfig(env, 'hub'))).toMatch(/GATEWAY_VERIFY_KEYS/);
  });

  it('development refuses an empty JWT_SECRET at start: HS256 takes no zero-length key', () => {
    expect(refusal(() => readConfig({ JWT_SECRET: '' }))).toMatch(/^ {2}JWT_SECRET: is empty/m);
    expect(refusal(() => readConfig({ JWT_SECRET: '' }, 'gateway'))).toMatch(/JWT_SECRET/);
    expect(readConfig({ JWT_SECRET: 'a-development-secret' }).auth.verify).toEqual({
      kind: 'secret',
      secret: 'a-development-secret',
    });
  });

  it('development without keys generates a gateway key pair per start', () => {
    const first = readConfig({});
    const second = readConfig({});
    expect(first.signing.generated).toBe(true);
    expect(first.signing.gatewayKey?.kid).not.toBe(second.signing.gatewayKey?.kid);
    expect(first.signing.verifyKeys.keys).toHaveLength(1);
    expect(first.signing.verifyKeys.keys[0]).not.toHaveProperty('d');
    expect(first.auth.verify).toEqual({ kind: 'secret', secret: DEFAULT_DEV_SECRET });
  });

  it('limits each agency to 6000 requests a minute and checkpoints the access log every minute into DATA_DIR', () => {
    const config = readConfig({ INIT_CWD: '/srv/hub' });
    expect(config.limits.rateLimitPerMinute).toBe(6000);
    expect(config.audit).toEqual({
      checkpointFile: '/srv/hub/data/audit-checkpoints.jsonl',
      checkpointIntervalSeconds: 60,
    });
    expect(readConfig({ INIT_CWD: '/srv/hub', AUDIT_CHECKPOINT_FILE: 'anchor/log.jsonl' }).audit.checkpointFile).toBe(
      '/srv/hub/anchor/log.jsonl',
    );
  });

  it('refuses a checkpoint interval over a minute and a rate limit below one', () => {
    expect(() => readConfig({ AUDIT_CHECKPOINT_INTERVAL_SECONDS: '61' })).toThrow(/AUDIT_CHECKPOINT_INTERVAL_SECONDS/);
    expect(() => readConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('serves no metrics and sends no traces unless asked, and logs JSON except on a terminal in development', () => {
    const quiet = readConfig({}, 'hub', false).telemetry;
    expect(quiet).toEqual({
      metricsPort: undefined,
      tracing: { enabled: false, serviceName: 'hub' },
      logFormat: 'json',
    });
    expect(readConfig({}, 'hub', true).telemetry.logFormat).toBe('pretty');
    expect(readConfig({ NODE_ENV: 'test' }, 'hub', true).telemetry.logFormat).toBe('json');
    expect(readConfig({ LOG_FORMAT: 'json' }, 'hub', true).telemetry.logFormat).toBe('json');
    expect(readConfig({ METRICS_PORT: '9464' }).telemetry.metricsPort).toBe(9464);
  });

  it('production fetches the JWKS over https, or plain http from this host itself; a file URL is refused anywhere', () => {
    const jwks = (env: NodeJS.ProcessEnv) => () => readConfig({ ...gatewayEnv, ...env }, 'gateway').auth.verify;
    expect(refusal(jwks({ JWKS_URL: 'http://idp.example/jwks.json' }))).toMatch(
      /JWKS_URL: production fetches the JWKS over https/,
    );
    for (const url of ['http://127.0.0.1:8080/jwks.json', 'http://127.0.0.2/jwks.json', 'http://localhost/jwks.json']) {
      expect(jwks({ JWKS_URL: url })()).toEqual({ kind: 'jwks-url', url });
    }
    expect(refusal(jwks({ JWKS_URL: 'http://localhost.example/jwks.json' }))).toMatch(/JWKS_URL/);
    // A subgraph fetches no JWKS: one in a shared environment is not refused there.
    expect(() => readConfig({ ...subgraphEnv, JWKS_URL: 'http://idp.example/jwks.json' }, 'subgraph')).not.toThrow();
    expect(refusal(jwks({ JWKS_URL: 'file:///etc/jwks.json' }))).toMatch(/JWKS_URL: is fetched over https, not file:/);
    expect(readConfig({ JWKS_URL: 'http://idp:8080/jwks.json' }, 'gateway').auth.verify).toEqual({
      kind: 'jwks-url',
      url: 'http://idp:8080/jwks.json',
    });
  });

  it("a key that is neither JSON, PEM nor a readable file is not printed in the refusal, a key file's name is", () => {
    const pkcs8 = 'MC4CAQAwBQYDK2VwBCIEIMgHD8R3secretsecretsecretsecretsecret';
    const message = refusal(() => readConfig({ ...gatewayEnv, GATEWAY_SIGNING_KEY: pkcs8 }, 'gateway'));
    expect(message).toMatch(/GATEWAY_SIGNING_KEY: .*not shown/);
    expect(message).not.toContain('MC4CAQ');
    const quoted = `'${JSON.stringify(gateway.privateJwk)}'`;
    const quotedMessage = refusal(() => readConfig({ ...gatewayEnv, GATEWAY_SIGNING_KEY: quoted }, 'gateway'));
    expect(quotedMessage).not.toContain(gateway.privateJwk.d);
    // A key pasted into a JWK member the refusal names is not printed either.
    const misplaced = JSON.stringify({ kty: pkcs8, d: 'x' });
    const misplacedMessage = refusal(() => readConfig({ ...gatewayEnv, GATEWAY_SIGNING_KEY: misplaced }, 'gateway'));
    expect(misplacedMessage).toMatch(/GATEWAY_SIGNING_KEY: .*not one the hub signs with/);
    expect(misplacedMessage).not.toContain('MC4CAQ');
    expect(refusal(() => readConfig({ ...gatewayEnv, GATEWAY_SIGNING_KEY: 'keys/missing.jwk' }, 'gateway'))).toMatch(
      /nor a readable file: keys\/missing\.jwk/,
    );
  });

  it('traces with the standard OTEL_* variables: an OTLP exporter or endpoint turns them on, OTEL_SDK_DISABLED off', () => {
    const tracing = (env: NodeJS.ProcessEnv) => readConfig(env, 'gateway').telemetry.tracing;
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({ enabled: true, serviceName: 'hub-gateway' });
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'gw-1' })).toEqual({
      enabled: true,
      serviceName: 'gw-1',
    });
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(
      false,
    );
    expect(
      tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).enabled,
    ).toBe(false);
    expect(() => readConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
    expect(() => readConfig({ METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT/);
  });

  it('a subgraph run alone names its traces after its agency system, unless OTEL_SERVICE_NAME says otherwise', () => {
    const tracing = (env: NodeJS.ProcessEnv) =>
      readConfig(standaloneEnv('child-dv', { ...subgraphEnv, OTEL_TRACES_EXPORTER: 'otlp', ...env }), 'subgraph')
        .telemetry.tracing;
    expect(tracing({}).serviceName).toBe('hub-child-dv');
    expect(tracing({ OTEL_SERVICE_NAME: 'kodomo-dv-1' }).serviceName).toBe('kodomo-dv-1');
  });
});

describe("the access log's checkpoint file by default", () => {
  it('is the embedded database’s own, or one of each DATABASE_URL database, so no two logs share one', () => {
    const at = (env: NodeJS.ProcessEnv) => readConfig({ DATA_DIR: '/srv/hub', ...env }).audit.checkpointFile;
    expect(at({})).toBe('/srv/hub/audit-checkpoints.jsonl');
    expect(at({ DATABASE_URL: 'postgres://hub@db.internal:5433/hub_prod' })).toBe(
      '/srv/hub/audit-checkpoints-db.internal-5433-hub_prod.jsonl',
    );
    expect(at({ DATABASE_URL: 'postgres://postgres@127.0.0.1/test' })).toBe(
      '/srv/hub/audit-checkpoints-127.0.0.1-5432-test.jsonl',
    );
    expect(at({ DATABASE_URL: 'postgres://x@db/hub', AUDIT_CHECKPOINT_FILE: '/var/lib/hub-audit/c.jsonl' })).toBe(
      '/var/lib/hub-audit/c.jsonl',
    );
  });

  it('is named after the database the gateway appends to, when it connects as its own role', () => {
    const at = (env: NodeJS.ProcessEnv) => readConfig({ DATA_DIR: '/srv/hub', ...env }).audit.checkpointFile;
    const roles = {
      GATEWAY_DATABASE_URL: 'postgres://hub_gateway:pw@db.internal:5433/hub_prod',
      WELFARE_DATABASE_URL: 'postgres://hub_welfare:pw@db.internal:5433/hub_prod',
    };
    expect(at(roles)).toBe('/srv/hub/audit-checkpoints-db.internal-5433-hub_prod.jsonl');
    expect(at({ ...roles, DATABASE_URL: 'postgres://hub@db.internal:5433/hub_prod' })).toBe(
      '/srv/hub/audit-checkpoints-db.internal-5433-hub_prod.jsonl',
    );
  });
});
