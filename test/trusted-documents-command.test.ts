// npm run trusted-documents: the manifest of the operation files named, read from where the command was typed;
// a file that cannot be read is one line on stderr and exit 2, and no manifest.

import { execFile } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { documentHash } from '@hub/gateway/limits';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

async function manifest(args: string[], typedIn: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['scripts/run-bundled.js', 'scripts/trusted-documents.ts', ...args],
      { cwd: ROOT, env: { ...process.env, INIT_CWD: typedIn }, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run trusted-documents', () => {
  const typedIn = mkdtempSync(join(tmpdir(), 'hub-trusted-cli-'));
  const operation = '\uFEFFquery CaseList { __typename }\r\n\n';
  writeFileSync(join(typedIn, 'case-list.graphql'), operation);

  it("reads the files named from where the command was typed, each text under its hash without the file's last newlines or byte order mark, as a client sends it", async () => {
    const result = await manifest(['case-list.graphql'], typedIn);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sent = 'query CaseList { __typename }';
    expect(JSON.parse(result.stdout)).toEqual({ [documentHash(sent)]: sent });
  });

  it('a file that cannot be read: one line naming it on stderr, exit 2, nothing on stdout', async () => {
    const result = await manifest(['case-list.graphql', 'missing.graphql'], typedIn);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe('trusted-documents: cannot read missing.graphql');
  });

  it("a file of several operations, of none, not GraphQL, or not valid against the hub's schema: one line naming it and why, exit 2, nothing on stdout", async () => {
    writeFileSync(join(typedIn, 'two.graphql'), 'query A { __typename }\nquery B { __typename }\n');
    writeFileSync(join(typedIn, 'fragment.graphql'), 'fragment F on Query { __typename }\n');
    writeFileSync(join(typedIn, 'broken.graphql'), 'query A { __typename\n');
    writeFileSync(join(typedIn, 'unknown-fragment.graphql'), 'query A { agencies { ...F } }\n');
    writeFileSync(join(typedIn, 'unknown-field.graphql'), 'query A { agencies { nickname } }\n');
    writeFileSync(join(typedIn, 'subscription.graphql'), 'subscription A { agencies { id } }\n');
    const cases = {
      'two.graphql': 'holds 2 operations: put each in a file of its own (one manifest entry per operation)',
      'fragment.graphql': 'holds no operation (fragments belong in the file of the operation that spreads them)',
      'broken.graphql': 'is not GraphQL: Syntax Error: Expected Name, found <EOF>.',
      'subscription.graphql': 'is a subscription, which the hub does not answer',
      'unknown-fragment.graphql': 'does not run against the hub\'s schema: Unknown fragment "F".',
      'unknown-field.graphql':
        'does not run against the hub\'s schema: Cannot query field "nickname" on type "Agency". Did you mean "name"?',
    };
    for (const [file, why] of Object.entries(cases)) {
      const result = await manifest(['case-list.graphql', file], typedIn);
      expect(result.code, file).toBe(2);
      expect(result.stdout, file).toBe('');
      expect(result.stderr.trim(), file).toBe(`trusted-documents: ${file} ${why}`);
    }
    // Six runs of the command, one after another, each starting Node: on a loaded machine (the
    // suite's other files beside it) they take longer than the default 30 s.
  }, 120_000);

  it('--out writes the manifest in place of the file named, and a refused file leaves the manifest there as it was', async () => {
    const out = join(typedIn, 'trusted.json');
    const sent = 'query CaseList { __typename }';
    const written = await manifest(['case-list.graphql', '--out', 'trusted.json'], typedIn);
    expect(written.stderr).toBe('');
    expect([written.code, written.stdout]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ [documentHash(sent)]: sent });

    // A refusal (shell redirection would have emptied the file before the command ran) keeps the manifest.
    const before = readFileSync(out, 'utf8');
    writeFileSync(join(typedIn, 'broken-out.graphql'), 'query A { __typename\n');
    const refused = await manifest(['--out', 'trusted.json', 'case-list.graphql', 'broken-out.graphql'], typedIn);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^trusted-documents: broken-out\.graphql is not GraphQL/);
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(readdirSync(typedIn).filter((name) => name.includes('trusted.json'))).toEqual(['trusted.json']);

    // A manifest reached through a link is replaced where the link points: the link and the file's mode stay.
    const real = join(typedIn, 'manifests');
    mkdirSync(real);
    writeFileSync(join(real, 'trusted.json'), '{}', { mode: 0o640 });
    symlinkSync(join(real, 'trusted.json'), join(typedIn, 'linked.json'));
    const linked = await manifest(['case-list.graphql', '--out', 'linked.json'], typedIn);
    expect([linked.code, linked.stderr]).toEqual([0, '']);
    expect(lstatSync(join(typedIn, 'linked.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(real, 'trusted.json'), 'utf8'))).toEqual({ [documentHash(sent)]: sent });
    expect(statSync(join(real, 'trusted.json')).mode & 0o777).toBe(0o640);
    expect(readdirSync(real)).toEqual(['trusted.json']);

    const usage = await manifest(['case-list.graphql', '--out'], typedIn);
    expect([usage.code, usage.stderr.trim()]).toEqual([2, 'trusted-documents: --out needs a file name']);
  }, 120_000);

  it('an operation with the fragments it spreads is one entry', async () => {
    const text = 'query Cases { ...F }\nfragment F on Query { __typename }';
    writeFileSync(join(typedIn, 'with-fragment.graphql'), `${text}\n`);
    const result = await manifest(['with-fragment.graphql'], typedIn);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ [documentHash(text)]: text });
  });

  it('no file named: the usage on stderr, exit 2', async () => {
    const result = await manifest([], typedIn);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: npm run -s trusted-documents/);
  });
});
