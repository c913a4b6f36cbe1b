// npm run token: a role the hub does not know is refused (a misspelt one would mint a plain agency token),
// as are an agency id the register cannot hold and a ttl over a month; an agency outside the demo gets its
// token with a warning, since the register may hold it.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_ROLES } from '@hub/gateway/token';
import { AUDITOR_ROLE, DASHBOARD_ROLE, HUB_ADMIN_ROLE } from '@hub/gateway/roles';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

async function token(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/run-bundled.js', 'scripts/token.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run token', () => {
  it('the roles it offers are the ones the gateway checks', () => {
    expect([...DEV_ROLES].sort()).toEqual([AUDITOR_ROLE, DASHBOARD_ROLE, HUB_ADMIN_ROLE].sort());
  });

  it('--help prints the usage and the demo agencies on stdout and exits 0; without --agency on stderr, exit 2', async () => {
    const help = await token(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^usage: npm run token -- --agency <agencyId>/);
    expect(help.stdout).toContain('hellowork-minamino');
    const missing = await token([]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^usage: npm run token/);
  });

  it('a known role is carried in the token', async () => {
    const result = await token(['--agency', 'hellowork-minamino', '--role', 'dashboard']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(decodeJwt(result.stdout.trim())).toMatchObject({ agency: 'hellowork-minamino', roles: ['dashboard'] });
  });

  it('carries --sub as the staff member and --ttl as the expiry', async () => {
    const result = await token(['--agency', 'hellowork-minamino', '--sub', 'staff-7', '--ttl', '1h']);
    expect(result.code).toBe(0);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims).toMatchObject({ agency: 'hellowork-minamino', sub: 'staff-7' });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('--system mints a token without sub, the agency system itself; with --sub too it is refused', async () => {
    const result = await token(['--agency', 'hellowork-minamino', '--system']);
    expect(result.code).toBe(0);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims).toMatchObject({ agency: 'hellowork-minamino' });
    expect(claims).not.toHaveProperty('sub');
    const both = await token(['--agency', 'hellowork-minamino', '--system', '--sub', 'staff-7']);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
  });

  it('takes several roles as the claim holds them: --roles with a comma-separated list, or --role repeated or listed', async () => {
    for (const args of [
      ['--roles', 'auditor,hub-admin'],
      ['--role', 'auditor', '--role', 'hub-admin'],
      ['--role', 'auditor, hub-admin'],
    ]) {
      const result = await token(['--agency', 'minamino-welfare', ...args]);
      expect(result.code, args.join(' ')).toBe(0);
      expect(decodeJwt(result.stdout.trim()).roles, args.join(' ')).toEqual(['auditor', 'hub-admin']);
    }
  });

  it('an unknown role in a --roles list is refused like one given with --role', async () => {
    const result = await token(['--agency', 'minamino-welfare', '--roles', 'auditor,admin']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/admin is not a role the hub knows: auditor, dashboard, hub-admin/);
  });

  it('an unknown role is refused with exit 2 and no token, naming the roles the hub knows', async () => {
    const result = await token(['--agency', 'hellowork-minamino', '--role', 'dashbord']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/dashbord is not a role the hub knows: auditor, dashboard, hub-admin/);
  });

  it('--ttl of a bare number is seconds, as the exp claim counts them', async () => {
    const result = await token(['--agency', 'hellowork-minamino', '--ttl', '600']);
    expect(result.code).toBe(0);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims.exp! - claims.iat!).toBe(600);
  });

  it('a ttl of nothing is refused with exit 2: the token would be expired when printed', async () => {
    const result = await token(['--agency', 'hellowork-minamino', '--ttl', '0s']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--ttl takes a number above 0/);
  });

  it('a ttl over 30 days is refused with exit 2: a development token is no lasting credential', async () => {
    const ttls = ['721h', '3000000000000d'];
    const [month, ...results] = await Promise.all(
      ['30d', ...ttls].map((ttl) => token(['--agency', 'hellowork-minamino', '--ttl', ttl])),
    );
    for (const [i, result] of results.entries()) {
      expect(result!.code, ttls[i]).toBe(2);
      expect(result!.stdout).toBe('');
      expect(result!.stderr).toMatch(/--ttl takes .* at most 30d/);
    }
    expect(month!.code).toBe(0);
    const { iat, exp } = decodeJwt(month!.stdout.trim());
    expect(exp! - iat!).toBe(30 * 86_400);
  }, 90_000);

  it('an agency id the register cannot hold is refused with exit 2 and no token', async () => {
    const agencies = ['BAD AGENCY!', 'Hellowork-Minamino'];
    const results = await Promise.all(agencies.map((agency) => token([`--agency=${agency}`])));
    for (const [i, result] of results.entries()) {
      expect(result.code, agencies[i]).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^--agency takes an agency id as the register writes it/);
    }
  }, 90_000);

  it('a sub the gateway would refuse (blank, control characters, over 255 characters) is refused with exit 2', async () => {
    for (const sub of ['', '  ', 'staff\u0007', 's'.repeat(256)]) {
      const result = await token(['--agency', 'hellowork-minamino', '--sub', sub]);
      expect(result.code, JSON.stringify(sub)).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/--sub takes a staff member's or system's id/);
    }
  }, 90_000);

  it('a JWKS without TOKEN_SIGNING_KEY: one line naming what to set, exit 2, no stack trace', async () => {
    const jwks = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'k1', use: 'sig' }] });
    const file = join(await mkdtemp(join(tmpdir(), 'hub-token-')), 'token-verify-keys.jwks.json');
    await writeFile(file, jwks);
    const result = await token(['--agency', 'hellowork-minamino'], { JWKS_FILE: file });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/TOKEN_SIGNING_KEY/);
  });

  it("the gateway's subgraph keys in the shell do not stop it: a token is signed with no subgraph key", async () => {
    // A subgraph's public key set (not the one of any signing key given here), exported to run a subgraph alone.
    const jwks = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'sg1', use: 'sig' }] });
    const file = join(await mkdtemp(join(tmpdir(), 'hub-token-')), 'gateway-verify-keys.jwks.json');
    await writeFile(file, jwks);
    const result = await token(['--agency', 'hellowork-minamino'], { GATEWAY_VERIFY_KEYS: file });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(decodeJwt(result.stdout.trim())).toMatchObject({ agency: 'hellowork-minamino' });
  });

  it('an agency outside the demo gets its token, with a warning on stderr', async () => {
    const result = await token(['--agency', 'registered-later']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: registered-later is not a demo agency/);
    expect(decodeJwt(result.stdout.trim())).toMatchObject({ agency: 'registered-later' });
  });
});
