// A subgraph runs alone, as a separate service would (CONTRACT.md, "Running"): its own process, port and
// embedded database, the gateway's public keys its only secret. The conformance check, signing as the
// gateway would, then finds it what the gateway expects; a request without the gateway's signature is refused.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, pathBeside, residentId } from '@hub/platform';
import { checkSubgraph } from '@hub/testkit';

const ROOT = pathBeside(import.meta.url, '..');
const PORT = 4895;
const URL_ALONE = `http://127.0.0.1:${PORT}/graphql`;
const dir = mkdtempSync(join(tmpdir(), 'hub-subgraph-alone-'));
const key = generateSigningKey('EdDSA', 'alone');
let child: ChildProcess;

beforeAll(async () => {
  const verifyKeys = join(dir, 'gateway-verify-keys.jwks.json');
  writeFileSync(verifyKeys, JSON.stringify(key.publicJwks));
  // Nothing of the suite's database: the subgraph's own embedded one, in a folder of its own.
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/employment/index.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: join(dir, 'data'),
      EMPLOYMENT_PORT: String(PORT),
      GATEWAY_VERIFY_KEYS: verifyKeys,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('subgraph employment listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the subgraph exited (${code}) before it listened`)));
  });
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the employment subgraph run alone', () => {
  it('refuses a request the gateway did not sign (401 UNAUTHENTICATED)', async () => {
    const response = await fetch(URL_ALONE, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('passes every conformance check, signed with the key whose public half it was given', async () => {
    const report = await checkSubgraph({
      url: URL_ALONE,
      domain: 'EMPLOYMENT',
      signingKey: key.privateJwk,
      personIds: [residentId('takahashi')],
    });
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.results).toHaveLength(10);
  });
});
