// npm run schema:check on proposed changes: each composed from the subgraphs' SDL as edited here, and
// compared with the composition of the SDL as it is; the command itself on the tree and on a baseline.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { composeHub } from '@hub/all-in-one';
import type { SubgraphName } from '@hub/platform';
import { checkSchema, checkSchemaChange, formatSchemaReport } from './schema-check.js';

const current = composeHub();

/** The schema check of a change to one subgraph's SDL: `from` replaced by `to`. */
function proposal(subgraph: SubgraphName, from: string, to: string): string {
  return composeHub((name, sdl) => {
    if (name !== subgraph) return sdl;
    if (!sdl.includes(from)) throw new Error(`the ${subgraph} SDL has no ${from}`);
    return sdl.replace(from, to);
  });
}

function change(subgraph: SubgraphName, from: string, to: string, options: { allowBreaking?: boolean } = {}) {
  return checkSchemaChange(current, proposal(subgraph, from, to), options);
}

const summary = (report: Awaited<ReturnType<typeof checkSchemaChange>>) =>
  report.findings.map((f) => `${f.level} ${f.by} ${f.path}`);

// Each case composes the seven subgraphs once: a few seconds on a busy machine.
describe('schema:check', { timeout: 60_000 }, () => {
  it('passes with no change', async () => {
    const report = await checkSchemaChange(current, current);
    expect(report).toEqual({ findings: [], ok: true });
  });

  it('a new public field is safe', async () => {
    const report = await change(
      'employment',
      '  "受理日"\n  postedOn: Date!',
      '  "受理日"\n  postedOn: Date!\n  wage: Int',
    );
    expect(summary(report)).toEqual(['safe graphql-inspector JobOpening.wage']);
    expect(report.ok).toBe(true);
  });

  it('a new enum value is dangerous, and passes', async () => {
    const report = await change('employment', '  INTERMEDIATE_WORK\n', '  INTERMEDIATE_WORK\n  REMOTE_WORK\n');
    expect(summary(report)).toEqual(['dangerous graphql-inspector WorkStyle.REMOTE_WORK']);
    expect(report.ok).toBe(true);
  });

  it('a removed field is breaking, and fails unless breaking changes are allowed', async () => {
    const proposed = proposal('employment', '  "屋外作業"\n  outdoor: Boolean!\n', '');
    const report = await checkSchemaChange(current, proposed);
    expect(summary(report)).toEqual(['breaking graphql-inspector JobOpening.outdoor']);
    expect(report.ok).toBe(false);
    expect((await checkSchemaChange(current, proposed, { allowBreaking: true })).ok).toBe(true);
  });

  it('a new personal field without a category is an error, whatever is allowed', async () => {
    const report = await change(
      'employment',
      '  desiredWork: String! @category(name: EMPLOYMENT)',
      '  desiredWork: String! @category(name: EMPLOYMENT)\n  counsellorNote: String',
      { allowBreaking: true },
    );
    expect(summary(report)).toEqual([
      'error hub JobSeeker.counsellorNote',
      'safe graphql-inspector JobSeeker.counsellorNote',
    ]);
    expect(report.ok).toBe(false);
  });

  it('a personal field that loses its category is an error, whatever is allowed: every agency could read it', async () => {
    const report = await change(
      'employment',
      '  desiredWork: String! @category(name: EMPLOYMENT)',
      '  desiredWork: String!',
      { allowBreaking: true },
    );
    expect(summary(report)).toEqual(['error hub JobSeeker.desiredWork']);
    expect(report.findings[0]!.message).toBe(
      'personal field that lost its @category EMPLOYMENT (held by EMPLOYMENT): it hangs from Person, and every agency could read it',
    );
    expect(report.ok).toBe(false);
  });

  it('a subgraph tagging a category another domain holds is an error, new field or old, whatever is allowed', async () => {
    const added = await change(
      'seniors-work',
      '  assignments: [Assignment!] @category(name: SENIOR_WORK)',
      '  assignments: [Assignment!] @category(name: SENIOR_WORK)\n  "所感"\n  silverNote: String @category(name: MENTAL_HEALTH)',
      { allowBreaking: true },
    );
    expect(summary(added).filter((line) => !line.startsWith('safe'))).toEqual(['error hub Person.silverNote']);
    expect(added.findings[0]!.message).toBe(
      'tagged MENTAL_HEALTH (held by SUICIDE_PREVENTION) in the seniors-work subgraph, whose domain is SENIORS_WORK: a subgraph tags only its own domain’s categories',
    );
    expect(added.ok).toBe(false);
    const retagged = await change(
      'seniors-work',
      '  skills: [String!]! @category(name: SENIOR_WORK)',
      '  skills: [String!]! @category(name: EMPLOYMENT)',
      { allowBreaking: true },
    );
    expect(summary(retagged)).toEqual(['error hub SilverMembership.skills', 'dangerous hub SilverMembership.skills']);
    expect(retagged.ok).toBe(false);
  });

  it("an agency's query taking a person's id is an error, whatever it returns: a person's data is read through Person", async () => {
    // One takes her id, the other names persons in its input, a level down.
    const report = await change(
      'employment',
      'type Query {',
      [
        'input SeekerFilter {',
        '  personIds: [ID!]',
        '}',
        '',
        'type Query {',
        '  "相談員のメモ"',
        '  seekerNote(personId: ID!): String',
        '  "求職者"',
        '  seekers(filter: SeekerFilter): [ID!]!',
      ].join('\n'),
      { allowBreaking: true },
    );
    expect(summary(report).filter((line) => line.startsWith('error'))).toEqual([
      'error hub Query.seekerNote',
      'error hub Query.seekers',
    ]);
    expect(report.findings.find((f) => f.path === 'Query.seekerNote')!.message).toBe(
      "takes a person's id: a person's data is read as a field of Person (with a category), which the gateway decides for each person",
    );
    expect(report.ok).toBe(false);
  });

  it('personal data of another entity than Person is an error, whatever is allowed: the gateway would fetch it undecided, and refuses to start', async () => {
    const report = await change(
      'employment',
      'type JobOpening @key(fields: "id") {',
      [
        'type JobOpening @key(fields: "id") {',
        '  "応募者名"',
        '  applicantName: String @category(name: EMPLOYMENT)',
        '  "応募者"',
        '  applicants: [Person!]',
      ].join('\n'),
      { allowBreaking: true },
    );
    expect(summary(report).filter((line) => line.startsWith('error'))).toEqual([
      'error hub JobOpening.applicantName',
      'error hub JobOpening.applicants',
    ]);
    expect(report.ok).toBe(false);
  });

  it("a Person keyed by more than her id, or a field of hers requiring another domain's, is an error: the gateway refuses to start", async () => {
    const person =
      'type Person @key(fields: "id") {\n  "住民ID — the resident\'s id (a UUID), the same in every agency system."\n  id: ID!';
    const keyed = await change(
      'environment',
      person,
      ['type Person @key(fields: "id phone") {', '  id: ID!', '  phone: String @federation__external'].join('\n'),
    );
    const requiring = await change(
      'environment',
      person,
      [
        person,
        '  address: String @federation__external',
        '  "屋外活動の適性"',
        '  outdoorSuitability: String @federation__requires(fields: "address") @category(name: ENVIRONMENT_PARTICIPATION)',
      ].join('\n'),
    );
    expect(summary(keyed).filter((line) => line.startsWith('error'))).toEqual(['error hub Person (ENVIRONMENT)']);
    expect(summary(requiring).filter((line) => line.startsWith('error'))).toEqual([
      'error hub Person.outdoorSuitability',
    ]);
    expect(keyed.ok || requiring.ok).toBe(false);
  });

  it('a field moved from DV_LOCATION to DV is breaking: a meeting or an emergency would open it', async () => {
    const report = await change(
      'child-dv',
      '  address: String! @category(name: DV_LOCATION)',
      '  address: String! @category(name: DV)',
    );
    expect(summary(report)).toEqual(['breaking hub ProtectedWhereabouts.address']);
  });

  it('a move between categories of one protection is dangerous; to a more protected one, safe', async () => {
    const dangerous = await change(
      'child-dv',
      '  summary: String @category(name: DV)',
      '  summary: String @category(name: CHILD_WELFARE)',
    );
    expect(summary(dangerous)).toEqual(['dangerous hub DvCase.summary']);
    expect(dangerous.ok).toBe(true);
    const safe = await change(
      'child-dv',
      '  summary: String @category(name: DV)',
      '  summary: String @category(name: DV_LOCATION)',
    );
    expect(summary(safe)).toEqual(['safe hub DvCase.summary']);
  });

  it('subgraphs that do not compose: the composition’s own errors, and it fails', async () => {
    const report = await checkSchema({
      baseline: current,
      compose: () =>
        composeHub((name, sdl) =>
          name === 'employment'
            ? sdl.replace('type Person @key(fields: "id")', 'type Person @key(fields: "personId")')
            : sdl,
        ),
    });
    expect(report.ok).toBe(false);
    expect(report.compositionError).toMatch(/^composition failed:/);
    expect(formatSchemaReport(report)).toMatch(/^schema:check: the subgraphs do not compose\n/);
  });

  it("a subgraph's SDL that does not parse: named, with the line of its schema.graphql, and it fails", async () => {
    const report = await checkSchema({
      baseline: current,
      compose: () => composeHub((name, sdl) => (name === 'employment' ? `"a"\n"b"\n${sdl}` : sdl)),
    });
    expect(report.ok).toBe(false);
    expect(report.compositionError).toBe(
      'composition failed:\n  [employment] Syntax Error: Unexpected String "b". (schema.graphql 2:1)',
    );
  });
});

describe('npm run schema:check', () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const run = async (args: string[], typedIn?: string) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['scripts/run-bundled.js', 'scripts/schema-check.ts', ...args],
        // npm runs the script in the project's folder and says where it was typed (INIT_CWD).
        { cwd: root, timeout: 60_000, env: { ...process.env, INIT_CWD: typedIn ?? root } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  it('prints the report and exits 0 on the tree; exits 1 against a baseline it would break', async () => {
    const clean = await run([]);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toMatch(/verdict: 0 error, 0 breaking, 0 dangerous, 0 safe — passes\n$/);

    // A baseline with a field the subgraphs no longer have: the tree removes it.
    const baseline = join(await mkdtemp(join(tmpdir(), 'schema-check-')), 'supergraph.graphql');
    await writeFile(
      baseline,
      composeHub((name, sdl) =>
        name === 'employment' ? sdl.replace('  postedOn: Date!', '  postedOn: Date!\n  wage: Int') : sdl,
      ),
    );
    // Named from the folder the command was typed in, as npm passes it on.
    const broken = await run(['--supergraph', 'supergraph.graphql'], dirname(baseline));
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /^BREAKING +JobOpening\.wage +Field 'wage' was removed from object type 'JobOpening'$/m,
    );
    expect(broken.stdout).toMatch(/— fails\n$/);
  }, 120_000);
});
