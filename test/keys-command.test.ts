// npm run keys: a rotation set holds the new and the older keys once each, an argument error is one line
// and exit 2, and nothing is written when the older folder or the --out path cannot be used.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
/** Each case starts a process of its own: room for a busy machine. */
const SLOW = 90_000;

async function keys(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, 'scripts/run-bundled.js'), 'scripts/keys.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, INIT_CWD: cwd },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const readJwks = async (folder: string, file: string) =>
  JSON.parse(await readFile(join(folder, file), 'utf8')) as JSONWebKeySet;
const kids = (set: JSONWebKeySet) => set.keys.map((key) => key.kid);

/** A refusal: exit 2, one line on stderr without a stack trace, nothing on stdout. */
function expectRefused(result: Awaited<ReturnType<typeof keys>>, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('npm run keys', () => {
  it(
    'a rotation writes the new and the older public keys side by side, each once, and leaves the older set as it was',
    async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'hub-keys-'));
      expect((await keys(['--out', 'a'], cwd)).code).toBe(0);
      const before = await readFile(join(cwd, 'a', 'gateway-signing-key.jwk.json'), 'utf8');
      const result = await keys(['--out', 'b', '--also-trust', 'a'], cwd);
      expect(result.code, result.stderr).toBe(0);
      for (const [jwks, rotation] of [
        ['gateway-verify-keys.jwks.json', 'gateway-verify-keys.rotation.jwks.json'],
        ['token-verify-keys.jwks.json', 'token-verify-keys.rotation.jwks.json'],
      ] as const) {
        const both = kids(await readJwks(join(cwd, 'b'), rotation));
        expect(both).toEqual([
          ...kids(await readJwks(join(cwd, 'b'), jwks)),
          ...kids(await readJwks(join(cwd, 'a'), jwks)),
        ]);
        expect(new Set(both).size).toBe(2);
      }
      expect(await readFile(join(cwd, 'a', 'gateway-signing-key.jwk.json'), 'utf8')).toBe(before);
    },
    SLOW,
  );

  it(
    '--also-trust naming the --out folder is refused, and the older keys are not overwritten',
    async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'hub-keys-'));
      expect((await keys(['--out', 'a'], cwd)).code).toBe(0);
      const before = await readFile(join(cwd, 'a', 'gateway-signing-key.jwk.json'), 'utf8');
      const results = await Promise.all([
        keys(['--out', 'a', '--force', '--also-trust', 'a'], cwd),
        keys(['--out', 'a', '--force', '--also-trust', join(cwd, 'a', '.')], cwd),
      ]);
      for (const result of results) expectRefused(result, /^--also-trust names the --out folder a/);
      expect(await readFile(join(cwd, 'a', 'gateway-signing-key.jwk.json'), 'utf8')).toBe(before);
      expect(existsSync(join(cwd, 'a', 'gateway-verify-keys.rotation.jwks.json'))).toBe(false);
    },
    SLOW,
  );

  it(
    'an older folder that is missing or holds no JWKS of public keys is refused before anything is written',
    async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'hub-keys-'));
      const bad = {
        'not-an-array': { keys: 'abc' },
        'not-objects': { keys: [1, 2] },
        'private-key': { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), d: 'A'.repeat(43), kid: 'k' }] },
      };
      for (const [folder, jwks] of Object.entries(bad)) {
        await mkdir(join(cwd, folder));
        for (const file of ['gateway-verify-keys.jwks.json', 'token-verify-keys.jwks.json']) {
          await writeFile(join(cwd, folder, file), JSON.stringify(jwks));
        }
      }
      const [missing, ...invalid] = await Promise.all(
        ['nonexist', ...Object.keys(bad)].map((older) => keys(['--out', `new-${older}`, '--also-trust', older], cwd)),
      );
      expectRefused(missing!, /^--also-trust: cannot read nonexist/);
      for (const result of invalid)
        expectRefused(result, /^--also-trust: .*gateway-verify-keys\.jwks\.json (is not|holds)/);
      expect((await readdir(cwd)).filter((name) => name.startsWith('new-'))).toEqual([]);
    },
    SLOW,
  );

  it(
    'an --out that is a file, lies under a file, or is empty is refused in one line with exit 2',
    async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'hub-keys-'));
      await writeFile(join(cwd, 'file'), 'not a folder');
      const [file, underFile, empty] = await Promise.all([
        keys(['--out', 'file'], cwd),
        keys(['--out', join('file', 'x')], cwd),
        keys(['--out', ''], cwd),
      ]);
      expectRefused(file!, /^--out file is a file, not a folder/);
      expectRefused(underFile!, /^--out: cannot write the key set to file\/x \(ENOTDIR\)/);
      expect(empty!.code).toBe(2);
      expect(empty!.stderr).toMatch(/^--out takes the folder/);
      expect(await readFile(join(cwd, 'file'), 'utf8')).toBe('not a folder');
    },
    SLOW,
  );
});
