// A service that cannot start tells its operator why in one line on stderr and exits 2: a port taken, a
// database out of reach, two services on one database role. No stack trace, no half-started hub.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathBeside } from '@hub/platform';

const ROOT = pathBeside(import.meta.url, '..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'hub-refusals-'));

// Ports of their own: the other test files' hubs listen on ephemeral ports.
const PORTS = {
  GATEWAY_PORT: '4880',
  WELFARE_PORT: '4881',
  SUICIDE_PREVENTION_PORT: '4882',
  CHILD_DV_PORT: '4883',
  EMPLOYMENT_PORT: '4884',
  SENIORS_WORK_PORT: '4885',
  ENVIRONMENT_PORT: '4886',
};

let holder: Server;
beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(Number(PORTS.GATEWAY_PORT), '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function refused(args: string[], env: Record<string, string | undefined>) {
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  try {
    await run(process.execPath, args, {
      cwd: ROOT,
      env: { ...inherited, LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
  throw new Error('the command started where it should have refused');
}

describe('a service that cannot start', () => {
  it('npm start with the gateway’s port taken: one line naming the port, exit 2', async () => {
    const result = await refused([join(ROOT, 'scripts', 'run-bundled.js'), 'scripts/start.ts'], {
      ...PORTS,
      DATA_DIR: join(dir, 'data'),
      AUDIT_CHECKPOINT_FILE: join(dir, 'checkpoints.jsonl'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `hub: cannot start: the gateway's port ${PORTS.GATEWAY_PORT} (GATEWAY_PORT) is in use: stop what holds it, ` +
        'or set GATEWAY_PORT to another port',
    );
    expect(result.stdout).not.toContain('The hub is running');
  }, 60_000);

  it.each([
    ['a subgraph’s', 'WELFARE_PORT', "the welfare subgraph's"],
    ['the metrics endpoint’s', 'METRICS_PORT', "the metrics endpoint's"],
  ])(
    'npm start with %s port taken: one line naming the service and its variable, exit 2',
    async (_, variable, whose) => {
      const result = await refused([join(ROOT, 'scripts', 'run-bundled.js'), 'scripts/start.ts'], {
        ...PORTS,
        GATEWAY_PORT: '4887',
        // The port the gateway's test holds.
        [variable]: PORTS.GATEWAY_PORT,
        DATA_DIR: join(dir, `data-${variable}`),
        AUDIT_CHECKPOINT_FILE: join(dir, `checkpoints-${variable}.jsonl`),
      });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `hub: cannot start: ${whose} port ${PORTS.GATEWAY_PORT} (${variable}) is in use: stop what holds it, ` +
          `or set ${variable} to another port`,
      );
      expect(result.stdout).not.toContain('The hub is running');
    },
    60_000,
  );

  it('npm start with a checkpoint file that cannot be written: refused naming AUDIT_CHECKPOINT_FILE, no stack trace, exit 2', async () => {
    // A file where its folder should be: no one, root included, can write the checkpoint there.
    const notAFolder = join(dir, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const result = await refused([join(ROOT, 'scripts', 'run-bundled.js'), 'scripts/start.ts'], {
      GATEWAY_PORT: '4890',
      WELFARE_PORT: '4891',
      SUICIDE_PREVENTION_PORT: '4892',
      CHILD_DV_PORT: '4893',
      EMPLOYMENT_PORT: '4894',
      SENIORS_WORK_PORT: '4895',
      ENVIRONMENT_PORT: '4896',
      DATA_DIR: join(dir, 'data-checkpoint'),
      AUDIT_CHECKPOINT_FILE: join(notAFolder, 'checkpoints.jsonl'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^ {2}AUDIT_CHECKPOINT_FILE: .*not-a-folder\/checkpoints\.jsonl cannot be written \((ENOTDIR|EEXIST)\)$/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain('The hub is running');
  }, 60_000);

  it('the gateway alone with its database out of reach: one line, exit 2', async () => {
    const result = await refused(['--import', 'tsx', 'gateway/src/index.ts'], {
      DATABASE_URL: 'postgres://hub@127.0.0.1:1/hub',
      GATEWAY_PORT: '4887',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'gateway: cannot start: the database at 127.0.0.1:1 cannot be reached (ECONNREFUSED)',
    );
  }, 60_000);

  it.each([
    ['no JWKS', {}, /JWKS_URL.*production verifies tokens against a JWKS/],
    ['a token secret', { JWT_SECRET: 'a-secret-long-enough-to-sign-with-hs256' }, /JWT_SECRET.*remove JWT_SECRET/],
  ])(
    'the gateway in production with %s: refused naming the variable, exit 2, nothing started',
    async (_, env, message) => {
      const result = await refused(['--import', 'tsx', 'gateway/src/index.ts'], {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://hub@127.0.0.1:1/hub',
        GATEWAY_PORT: '4890',
        ...env,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/ECONNREFUSED/);
    },
    60_000,
  );

  it('db:roles given a URL whose password is *** (its own redaction mark, sourced back): one line, exit 2, nothing set', async () => {
    const result = await refused(
      ['--import', 'tsx', 'scripts/db-roles.ts', '--database-url', 'postgres://postgres@127.0.0.1:1/hub'],
      { WELFARE_DATABASE_URL: 'postgres://hub_welfare:***@127.0.0.1:1/hub' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^WELFARE_DATABASE_URL holds \*\*\* for a password/);
  }, 60_000);

  it('a database URL that does not parse: refused naming the variable, exit 2, no password printed', async () => {
    const result = await refused(['--import', 'tsx', 'gateway/src/index.ts'], {
      DATABASE_URL: 'postgres://hub:S3cretPw@127.0.0.1:54x2/hub',
      GATEWAY_PORT: '4888',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr + result.stdout).not.toMatch(/S3cretPw/);
  }, 60_000);

  it('the gateway with AUDIT_CHECKPOINT_FILE naming a folder: refused naming the variable, exit 2', async () => {
    const result = await refused(['--import', 'tsx', 'gateway/src/index.ts'], {
      DATABASE_URL: 'postgres://hub@127.0.0.1:1/hub',
      AUDIT_CHECKPOINT_FILE: tmpdir(),
      GATEWAY_PORT: '4889',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AUDIT_CHECKPOINT_FILE: .* is not a file/);
  }, 60_000);

  it('db:roles with two services on one role: one line, exit 2', async () => {
    const result = await refused(
      ['--import', 'tsx', 'scripts/db-roles.ts', '--database-url', 'postgres://postgres@127.0.0.1:1/hub'],
      {
        WELFARE_DATABASE_URL: 'postgres://same:pw@127.0.0.1:1/hub',
        EMPLOYMENT_DATABASE_URL: 'postgres://same:pw@127.0.0.1:1/hub',
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^db:roles: cannot start: (role same is named for welfare and employment: each service needs a role of its own|the database at)/,
    );
  }, 60_000);
});
