// Each subgraph runs alone, as a separate service would (CONTRACT.md, "Running"): its own process, port and
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
const key = generateSigningKey('EdDSA', 'alone');

/** Each agency system, the variable its port is read from, and a resident it holds records of. */
const SUBGRAPHS = [
  { name: 'welfare', domain: 'WELFARE', portVariable: 'WELFARE_PORT', port: 4860, resident: 'yamada-son' },
  {
    name: 'suicide-prevention',
    domain: 'SUICIDE_PREVENTION',
    portVariable: 'SUICIDE_PREVENTION_PORT',
    port: 4861,
    resident: 'watanabe',
  },
  { name: 'child-dv', domain: 'CHILD_DV', portVariable: 'CHILD_DV_PORT', port: 4862, resident: 'sato-daughter' },
  { name: 'employment', domain: 'EMPLOYMENT', portVariable: 'EMPLOYMENT_PORT', port: 4863, resident: 'takahashi' },
  {
    name: 'seniors-work',
    domain: 'SENIORS_WORK',
    portVariable: 'SENIORS_WORK_PORT',
    port: 4864,
    resident: 'takahashi',
  },
  { name: 'environment', domain: 'ENVIRONMENT', portVariable: 'ENVIRONMENT_PORT', port: 4865, resident: 'ito' },
] as const;

/** Starts `subgraphs/<name>` in a process of its own, on its own embedded database; resolves once it listens. */
async function runAlone(subgraph: (typeof SUBGRAPHS)[number], dir: string): Promise<ChildProcess> {
  const verifyKeys = join(dir, 'gateway-verify-keys.jwks.json');
  writeFileSync(verifyKeys, JSON.stringify(key.publicJwks));
  // Nothing of the suite's database: the subgraph's own embedded one, in a folder of its own.
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', `subgraphs/${subgraph.name}/index.ts`], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: join(dir, 'data'),
      [subgraph.portVariable]: String(subgraph.port),
      GATEWAY_VERIFY_KEYS: verifyKeys,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`subgraph ${subgraph.name} listening`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the subgraph exited (${code}) before it listened`)));
  });
  return child;
}

describe.each(SUBGRAPHS)('the $name subgraph run alone', (subgraph) => {
  const url = `http://127.0.0.1:${subgraph.port}/graphql`;
  const dir = mkdtempSync(join(tmpdir(), `hub-subgraph-alone-${subgraph.name}-`));
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    child = await runAlone(subgraph, dir);
  }, 120_000);

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a request the gateway did not sign (401 UNAUTHENTICATED)', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('passes every conformance check, signed with the key whose public half it was given', async () => {
    const report = await checkSubgraph({
      url,
      domain: subgraph.domain,
      signingKey: key.privateJwk,
      personIds: [residentId(subgraph.resident)],
    });
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.results).toHaveLength(12);
  });
});
