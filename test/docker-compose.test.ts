// docker/compose.yaml as a real deployment, checked through docker-compose's own reading of it (`config`
// needs no Docker engine): only the gateway is published, each service holds only its own secrets, the
// roles job runs first, and no shared token or signing secret appears anywhere.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const composeFile = 'docker/compose.yaml';
const hasDockerCompose = !spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).error;

interface ComposeService {
  ports?: unknown[];
  environment?: Record<string, string>;
  secrets?: { source: string }[];
  depends_on?: Record<string, { condition: string }>;
}

function dockerCompose(...args: string[]) {
  return spawnSync('docker-compose', ['-f', composeFile, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'],
      JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example',
      JWT_AUDIENCE: 'hub',
    },
  });
}

const SUBGRAPH_SERVICES = {
  welfare: 'WELFARE',
  'suicide-prevention': 'SUICIDE_PREVENTION',
  'child-dv': 'CHILD_DV',
  employment: 'EMPLOYMENT',
  'seniors-work': 'SENIORS_WORK',
  environment: 'ENVIRONMENT',
} as const;

describe.skipIf(!hasDockerCompose)('docker/compose.yaml (docker-compose config)', () => {
  const resolved = hasDockerCompose ? dockerCompose('config') : undefined;
  const services =
    (resolved ? (parse(resolved.stdout) as { services: Record<string, ComposeService> }).services : {}) ?? {};

  it('is a valid compose file', () => {
    const check = dockerCompose('config', '-q');
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('publishes only the gateway port', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
  });

  it("serves the gateway's metrics on the compose network, not on a published port", () => {
    const gateway = services['gateway'];
    expect(gateway?.environment?.['METRICS_PORT']).toBe('9464');
    expect(JSON.stringify(gateway?.ports)).not.toMatch(/9464/);
  });

  it('gives each service only its own secrets', () => {
    const secretsOf = (name: string) => (services[name]?.secrets ?? []).map((s) => s.source).sort();
    for (const [name, prefix] of Object.entries(SUBGRAPH_SERVICES)) {
      expect(secretsOf(name), name).toEqual([`${prefix}_DATABASE_URL`, 'GATEWAY_VERIFY_KEYS'].sort());
    }
    expect(secretsOf('gateway')).toEqual(['GATEWAY_DATABASE_URL', 'GATEWAY_SIGNING_KEY', 'GATEWAY_VERIFY_KEYS']);
    expect(secretsOf('postgres')).toEqual(['POSTGRES_PASSWORD']);
    expect(secretsOf('db-roles')).toEqual(
      [
        'DATABASE_URL',
        'GATEWAY_DATABASE_URL',
        ...Object.values(SUBGRAPH_SERVICES).map((p) => `${p}_DATABASE_URL`),
      ].sort(),
    );
  });

  it('puts no database URL, key or shared secret in any environment, and no JWT_SECRET or SUBGRAPH_SIGNING_SECRET anywhere', () => {
    for (const [name, service] of Object.entries(services)) {
      const keys = Object.keys(service.environment ?? {});
      expect(
        keys.filter((k) => /DATABASE_URL|SIGNING_KEY|VERIFY_KEYS|SECRET|PASSWORD$/.test(k)),
        name,
      ).toEqual([]);
    }
    expect(resolved!.stdout).not.toMatch(/JWT_SECRET|SUBGRAPH_SIGNING_SECRET/);
  });

  it('starts every subgraph and the gateway only after the roles job has migrated and granted', () => {
    for (const name of [...Object.keys(SUBGRAPH_SERVICES), 'gateway']) {
      expect(services[name]?.depends_on?.['db-roles'], name).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(services['db-roles']?.depends_on?.['postgres']).toEqual({ condition: 'service_healthy' });
  });
});

describe('docker/Dockerfile', () => {
  it('builds every service image from the stage that runs as the unprivileged node user', () => {
    const dockerfile = readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map(([, from, name]) => ({ from, name }));
    const runtime = dockerfile.split(/^FROM /m).find((stage) => / AS runtime$/m.test(stage.split('\n')[0] ?? ''));
    expect(runtime).toMatch(/^USER node$/m);
    expect(stages.filter((s) => !['build', 'runtime'].includes(s.name ?? '')).map((s) => s.from)).toEqual([
      'runtime',
      'runtime',
      'runtime',
    ]);
    expect(dockerfile).not.toMatch(/^USER (?!node$)/m);
  });

  it('runs each service as node itself: no npx or tsx command between the stop signal and the service', () => {
    // tsx's command SIGKILLs its child when the child has not reported a relayed signal within 30 ms, so a
    // busy gateway stopped through it lost its last checkpoint and the answers in flight.
    const dockerfile = readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8');
    const commands = [...dockerfile.matchAll(/^CMD (.+)$/gm)].map(([, command]) => command!);
    expect(commands).toHaveLength(3);
    for (const command of commands) {
      expect(command).toMatch(/^\["node", "--import", "tsx", |^\["sh", "-c", "exec node --import tsx /);
      expect(command).not.toMatch(/npx/);
    }
  });

  it("copies every workspace's manifest before npm ci, so the dependency layer installs them all", () => {
    const dockerfile = readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8');
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
    const patterns = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] })
      .workspaces;
    const workspaces = patterns.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(root, pattern.slice(0, -2)))
            .map((name) => `${pattern.slice(0, -2)}/${name}`)
            .filter((dir) => existsSync(join(root, dir, 'package.json')))
        : [pattern],
    );
    expect(workspaces.length).toBeGreaterThan(10);
    const missing = workspaces.filter((dir) => !beforeInstall.includes(`COPY ${dir}/package.json ${dir}/`));
    expect(missing).toEqual([]);
  });
});
