import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DEV_SECRET, readConfig } from './config.js';

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

  it('takes a subgraph URL from its own variable', () => {
    const config = readConfig({ CHILD_DV_URL: 'http://child-dv:4003/graphql' });
    expect(config.subgraphs['child-dv'].url).toBe('http://child-dv:4003/graphql');
  });

  it('names every bad variable in one error', () => {
    expect(() => readConfig({ GATEWAY_PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      /GATEWAY_PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*GATEWAY_PORT/,
    );
  });

  it('refuses to start production with the default or a missing secret', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => readConfig({ NODE_ENV: 'production', JWT_SECRET: DEFAULT_DEV_SECRET })).toThrow(ConfigError);
    expect(() => readConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(ConfigError);
    const secrets = { JWT_SECRET: 'x'.repeat(40), SUBGRAPH_SIGNING_SECRET: 'y'.repeat(40) };
    expect(readConfig({ NODE_ENV: 'production', ...secrets }).seedOnStart).toBe(false);
  });

  it('refuses to start production with the default subgraph signing secret', () => {
    expect(() => readConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/SUBGRAPH_SIGNING_SECRET/);
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
});
