import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DEV_SECRET, readConfig, readDatabaseUrls } from './config.js';

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
});
