// A department outside the hub's repository installs the kit as tarballs packed from the workspace
// (docs/integrating.md): the pack command there names every workspace package the kit loads, and the
// packed gateway carries the supergraph it reads at start.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

/** The workspace's packages by name, read from the root package.json's workspaces. */
async function workspacePackages(): Promise<Map<string, Manifest>> {
  const { stdout } = await run('npm', ['query', '.workspace'], { cwd: ROOT });
  const found = JSON.parse(stdout) as Manifest[];
  return new Map(found.map((m) => [m.name, m]));
}

/** The kit and every workspace package it depends on, directly or not. */
function kitClosure(packages: Map<string, Manifest>): string[] {
  const needed = new Set<string>();
  const queue = ['@hub/testkit'];
  while (queue.length) {
    const name = queue.shift()!;
    if (needed.has(name)) continue;
    needed.add(name);
    for (const dependency of Object.keys(packages.get(name)?.dependencies ?? {})) {
      if (packages.has(dependency)) queue.push(dependency);
    }
  }
  return [...needed].sort();
}

describe('the kit packed for a department outside the workspace', () => {
  it('the pack command of docs/integrating.md names every workspace package the kit loads', async () => {
    const doc = await readFile(`${ROOT}/docs/integrating.md`, 'utf8');
    const command = /npm pack --pack-destination (?:[^\n]*\\\n)*[^\n]*/.exec(doc)?.[0] ?? '';
    const named = [...command.matchAll(/-w (@hub\/[a-z-]+)/g)].map((m) => m[1]!).sort();
    expect(named).toEqual(kitClosure(await workspacePackages()));
  });

  it("the install commands of docs/integrating.md install what a department's strict tsc needs", async () => {
    const doc = await readFile(`${ROOT}/docs/integrating.md`, 'utf8');
    const installed = [...doc.matchAll(/^npm install --save-dev (.*)$/gm)].flatMap((m) =>
      m[1]!.split(/\s+/).map((spec) => spec.replace(/(?<=.)@[^@/]*$/, '')),
    );
    expect(installed).toEqual(expect.arrayContaining(['graphql', 'vitest', 'typescript', '@types/node']));
  });

  it('the example lists the kit among its devDependencies, where that install command puts the tarballs', async () => {
    const example = JSON.parse(await readFile(`${ROOT}/examples/department-ci/package.json`, 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    expect(Object.keys(example.dependencies ?? {})).not.toContain('@hub/testkit');
    expect(Object.keys(example.devDependencies ?? {})).toEqual(expect.arrayContaining(['@hub/testkit', 'graphql']));
  });

  it('the packed gateway carries the supergraph it reads at start', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '-w', '@hub/gateway'], { cwd: ROOT });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const files = pack!.files.map((f) => f.path);
    expect(files).toContain('supergraph.graphql');
    expect(files).toContain('src/supergraph.ts');
  });

  it("a department's strict tsc, on Node's types and no DOM library, type-checks the kit's sources", async () => {
    // As docs/integrating.md says a department's project checks them: lib ES2023, types node, strict.
    const dir = await mkdtemp(join(tmpdir(), 'hub-department-tsc-'));
    try {
      const compilerOptions = {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      };
      const files = [join(ROOT, 'packages/testkit/src/index.ts')];
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
      const checked = await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], {
        cwd: dir,
      }).then(
        () => '',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(checked).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
