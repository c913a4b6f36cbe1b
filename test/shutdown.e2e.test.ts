// Stopping `npm start` (SIGTERM from a service manager, SIGINT from Ctrl-C) closes the hub in order: the
// last checkpoint of the access log is written after the last request was answered, and the process exits 0.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mintDevToken } from '@hub/gateway/token';
import { AGENCIES, generateSigningKey, pathBeside, readConfig, residentId } from '@hub/platform';

const ROOT = pathBeside(import.meta.url, '..');
const dir = mkdtempSync(join(tmpdir(), 'hub-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Ports of their own: the other test files' hubs listen on ephemeral ports.
const PORTS = {
  GATEWAY_PORT: '4870',
  WELFARE_PORT: '4871',
  SUICIDE_PREVENTION_PORT: '4872',
  CHILD_DV_PORT: '4873',
  EMPLOYMENT_PORT: '4874',
  SENIORS_WORK_PORT: '4875',
  ENVIRONMENT_PORT: '4876',
};

interface Checkpoint {
  readonly lastId: string | null;
  readonly entries: number;
}

const checkpoints = (file: string): Checkpoint[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Checkpoint);

// Twice: a wrapper such as tsx relays to the hub the signal its process group already sent it.
for (const [signal, times] of [
  ['SIGTERM', 1],
  ['SIGINT', 1],
  ['SIGTERM', 2],
] as const) {
  const sent = times === 1 ? signal : `${signal} sent twice`;
  it(`${sent} writes the access log's last checkpoint after the last answer, and exits 0`, async () => {
    const checkpointFile = join(dir, `${signal}-${times}.jsonl`);
    // The embedded database in a directory of its own, whatever database the suite runs on.
    const { DATABASE_URL: _shared, ...inherited } = process.env;
    const env = {
      ...inherited,
      ...PORTS,
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      DATA_DIR: join(dir, `data-${signal}-${times}`),
      AUDIT_CHECKPOINT_FILE: checkpointFile,
    };
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-bundled.js'), 'scripts/start.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('The hub is running')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready`)));
      });
      // The banner names the endpoint and how to get a token for it.
      expect(out).toContain(`POST http://127.0.0.1:${PORTS.GATEWAY_PORT}/graphql`);
      expect(out).toContain('TOKEN=$(npm run -s token -- --agency minamino-welfare)');
      const token = await mintDevToken(readConfig(env).auth, { agency: AGENCIES.minaminoWelfare.id, ttl: '5m' });
      const answer = await fetch(`http://127.0.0.1:${PORTS.GATEWAY_PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ person(id: "${residentId('ito')}") { name } }` }),
      });
      expect(answer.status).toBe(200);
      for (let i = 0; i < times; i += 1) child.kill(signal);
      expect(await exited).toBe(0);
      const last = checkpoints(checkpointFile).at(-1)!;
      expect(last.lastId).not.toBeNull();
      expect(last.entries).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
}

it('the start banner tells how to get a token as this hub verifies them: a JWKS file takes its private key; unseeded, where agencies come from', async () => {
  const key = generateSigningKey('EdDSA', 'banner');
  const privatePath = join(dir, 'token-signing-key.jwk.json');
  const jwksPath = join(dir, 'token-verify-keys.jwks.json');
  writeFileSync(privatePath, JSON.stringify(key.privateJwk));
  writeFileSync(jwksPath, JSON.stringify(key.publicJwks));
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-bundled.js'), 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      ...PORTS,
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      DATA_DIR: join(dir, 'data-banner'),
      SEED_ON_START: 'false',
      JWKS_FILE: jwksPath,
      TOKEN_SIGNING_KEY: privatePath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ctrl-C stops it.')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready`)));
    });
    expect(banner).toContain(`TOKEN=$(TOKEN_SIGNING_KEY=${privatePath} npm run -s token -- --agency minamino-welfare)`);
    expect(banner).toContain('Not seeded (SEED_ON_START=false)');
    expect(banner).toMatch(/ {2}Explorer: http:\/\/127\.0\.0\.1:\d+\/graphql in a browser/);
    expect(banner).not.toContain('"d"');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);

it('SIGTERM sent to `npm start` itself (as a service manager sends it) reaches the hub, which shuts down and frees its ports', async () => {
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...inherited, ...PORTS, NODE_ENV: 'development', DATA_DIR: join(dir, 'data-npm') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => out.includes('The hub is running') && (clearInterval(timer), resolve()), 100);
      child.once(
        'exit',
        (code) => (clearInterval(timer), reject(new Error(`npm start exited (${code}) before it was ready`))),
      );
    });
    child.kill('SIGTERM');
    await exited;
    // npm has gone; the hub it ran must have gone with it, not be left listening without a parent.
    await expect.poll(() => out.includes('"msg":"shutting down"'), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${PORTS.GATEWAY_PORT}/healthz`).then(
            () => 'listening',
            () => 'closed',
          ),
        { timeout: 15_000, interval: 250 },
      )
      .toBe('closed');
  } finally {
    child.kill('SIGKILL');
  }
}, 90_000);

it('SIGTERM sent to `npm start -w` of one subgraph run alone reaches the subgraph, which frees its port', async () => {
  const key = generateSigningKey('EdDSA', 'alone');
  const verifyKeys = join(dir, 'gateway-verify-keys.jwks.json');
  writeFileSync(verifyKeys, JSON.stringify(key.publicJwks));
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  const port = '4877';
  const child = spawn('npm', ['start', '-w', 'subgraphs/employment'], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      EMPLOYMENT_PORT: port,
      DATA_DIR: join(dir, 'data-alone'),
      GATEWAY_VERIFY_KEYS: verifyKeys,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
    // A process group of its own, so that whatever the test leaves is stopped with it.
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = () =>
    fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'listening',
      () => 'closed',
    );
  try {
    await expect.poll(listening, { timeout: 45_000, interval: 250 }).toBe('listening');
    child.kill('SIGTERM');
    await exited;
    // npm has gone; the subgraph it ran must have gone with it, not be left holding the port without a parent.
    await expect.poll(listening, { timeout: 15_000, interval: 250 }).toBe('closed');
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group has gone already.
    }
  }
}, 90_000);
