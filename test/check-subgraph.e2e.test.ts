// The subgraph conformance check (npm run check-subgraph, checkSubgraph of @hub/testkit): it passes on
// every subgraph of the project, fails naming the check on a stand-in broken on purpose for each check,
// and says clearly, with a non-zero exit and no stack trace, when there is no subgraph to check.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ERRORS,
  residentId,
  SIGNATURE_HEADER,
  SUBGRAPH_NAMES,
  subgraphService,
  type PrivateSigningJwk,
  type ResidentKey,
  type SignedCaller,
  type SubgraphName,
} from '@hub/platform';
import {
  checkSubgraph,
  hubSubgraphSdl,
  SigningKeyNotTrustedError,
  startStandInSubgraph,
  SubgraphUnreachableError,
  testSigningKeys,
  type CheckName,
  type StandInContext,
  type StandInOptions,
  type StandInSubgraph,
} from '@hub/testkit';
import { useTestHub } from './support/hub.js';

const hub = useTestHub();
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A person each subgraph of the demo municipality holds data of. */
const KNOWN: Record<SubgraphName, ResidentKey> = {
  welfare: 'yamada-son',
  'suicide-prevention': 'watanabe',
  'child-dv': 'suzuki-mother',
  employment: 'takahashi',
  'seniors-work': 'takahashi',
  environment: 'ito',
};

const signingKey = () => hub.config.signing.gatewayKey as PrivateSigningJwk;

describe('the project’s six subgraphs', () => {
  it.each(SUBGRAPH_NAMES)('%s passes every check', async (name) => {
    const report = await checkSubgraph({
      url: hub.subgraphs[name].url,
      domain: subgraphService(name).domain,
      signingKey: signingKey(),
      personIds: [residentId(KNOWN[name])],
    });
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.results).toHaveLength(12);
  });
});

// The hub's employment schema, served by a stand-in: one known person with a job-seeker registration.
const STAND_IN_SDL = hubSubgraphSdl('employment');
const knownPerson = randomUUID();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const resolvers: StandInOptions['resolvers'] = {
  Query: { jobOpenings: () => [] },
  Person: {
    __resolveReference: ({ id }: { id: unknown }) => ({ id }),
    jobSeeker: ({ id }: { id: unknown }) => {
      // What a careless store would throw for an id that is not a uuid.
      if (typeof id !== 'string' || !UUID.test(id)) {
        throw new Error(
          `invalid input syntax for type uuid: select * from employment.job_seekers where person_id = '${String(id)}'`,
        );
      }
      return id === knownPerson ? { id: 'js-1', desiredWork: '清掃' } : null;
    },
  },
};

const standIns: StandInSubgraph[] = [];
async function standIn(overrides: Partial<StandInOptions> = {}): Promise<string> {
  const started = await startStandInSubgraph({
    name: 'employment',
    typeDefs: STAND_IN_SDL,
    resolvers,
    verifyKeys: hub.config.signing.verifyKeys,
    ...overrides,
  });
  standIns.push(started);
  return started.url;
}
afterAll(async () => {
  for (const s of standIns) await s.close();
});

/** The checks that failed on the stand-in at `url`, with what each found. */
async function failures(url: string): Promise<{ name: CheckName; detail: string }[]> {
  const report = await checkSubgraph({ url, domain: 'EMPLOYMENT', signingKey: signingKey(), personIds: [knownPerson] });
  return report.results.filter((r) => !r.ok).map(({ name, detail }) => ({ name, detail }));
}

async function failedChecks(url: string): Promise<CheckName[]> {
  return (await failures(url)).map((f) => f.name);
}

/** A verification that lets through what fails for the one reason given. */
function acceptingDespite(reason: string): StandInOptions['authenticate'] {
  return async (req, body, verify) => {
    try {
      return await verify(req, body);
    } catch (error) {
      if ((error as { extensions?: { reason?: unknown } }).extensions?.reason !== reason) throw error;
      const header = req.headers[SIGNATURE_HEADER];
      const claims = typeof header === 'string' ? decodeJwt(header) : {};
      return {
        agencyId: String(claims['agency'] ?? 'anyone'),
        staffId: String(claims.sub ?? 'anyone'),
        requestId: String(claims['rid'] ?? 'none'),
        categories: (claims['cat'] as SignedCaller['categories'] | undefined) ?? ['EMPLOYMENT'],
        domain: null,
        jurisdiction: [],
        registeredIn: {},
        traceparent: null,
        deadline: null,
      };
    }
  };
}

/** Rewrites every `_entities` answer, as a subgraph that resolves references its own way would. */
function entitiesRewritten(rewrite: (entities: unknown[]) => unknown[]): ApolloServerPlugin<StandInContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const data = response.body.singleResult.data as { _entities?: unknown[] } | null | undefined;
          if (data?._entities) data._entities = rewrite(data._entities);
        },
      };
    },
  };
}

describe('a stand-in that conforms', () => {
  it('passes every check', async () => {
    expect(await failedChecks(await standIn())).toEqual([]);
  });
});

describe('stand-ins broken on purpose: the check that fails is named', () => {
  it('sdl: _service answers no SDL (and what needs the SDL cannot be checked)', async () => {
    const noSdl: ApolloServerPlugin<StandInContext> = {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            const data = response.body.singleResult.data as { _service?: unknown } | null | undefined;
            if (data?._service) data._service = null;
          },
        };
      },
    };
    const failed = await failedChecks(await standIn({ plugins: [noSdl] }));
    expect(failed).toEqual(['sdl', 'categories', 'hub-schema', 'category-not-signed', 'entities']);
  });

  it('hub-schema: a field the hub routes to it left out, which every query asking for it would fail on', async () => {
    const url = await standIn({
      typeDefs: STAND_IN_SDL.replace(
        /\n\s*"[^"\n]*"\n\s*supportNeeds: \[SupportNeed!\]! @category\(name: EMPLOYMENT\)/,
        '',
      ),
    });
    expect(await failures(url)).toEqual([
      { name: 'hub-schema', detail: expect.stringMatching(/^1 of \d+ fields not served: JobSeeker\.supportNeeds$/) },
    ]);
  });

  it('categories: a personal field without a category', async () => {
    const url = await standIn({
      typeDefs: STAND_IN_SDL.replace('desiredWork: String! @category(name: EMPLOYMENT)', 'desiredWork: String!'),
    });
    expect(await failedChecks(url)).toEqual(['categories']);
  });

  it('categories: a query taking a person’s id, which reads about her outside Person', async () => {
    const url = await standIn({
      typeDefs: STAND_IN_SDL.replace('type Query {', 'type Query {\n  seekerNote(personId: ID!): String'),
    });
    expect(await failures(url)).toEqual([
      {
        name: 'categories',
        detail:
          "Query.seekerNote takes a person's id: a person's data is read as a field of Person (with a category), which the gateway decides for each person",
      },
    ]);
  });

  it('categories: a field tagged with another domain’s category', async () => {
    const url = await standIn({
      typeDefs: STAND_IN_SDL.replace(
        'desiredWork: String! @category(name: EMPLOYMENT)',
        'desiredWork: String! @category(name: MENTAL_HEALTH)',
      ),
    });
    expect(await failures(url)).toEqual([
      {
        name: 'categories',
        detail:
          "JobSeeker.desiredWork is tagged MENTAL_HEALTH, which SUICIDE_PREVENTION holds; this subgraph is EMPLOYMENT's and tags only its own (EMPLOYMENT)",
      },
    ]);
  });

  it.each([
    ['unsigned', 'SIGNATURE_MISSING'],
    ['forged', 'SIGNATURE_INVALID'],
    ['expired', 'SIGNATURE_EXPIRED'],
    ['replayed', 'REPLAYED'],
    ['changed-body', 'BODY_MISMATCH'],
    ['wrong-audience', 'WRONG_AUDIENCE'],
  ] as const)('%s: a verification that lets %s through', async (check, reason) => {
    expect(await failedChecks(await standIn({ authenticate: acceptingDespite(reason) }))).toEqual([check]);
  });

  it('replayed: a refusal for another reason than the replay does not pass', async () => {
    // A verification that checks the body against a store of used bodies, not of used signatures.
    const relabelled: StandInOptions['authenticate'] = async (req, body, verify) => {
      try {
        return await verify(req, body);
      } catch (error) {
        const extensions = (error as { extensions?: { reason?: unknown } }).extensions;
        if (extensions?.reason === 'REPLAYED') {
          throw ERRORS.UNAUTHENTICATED.err('The body does not match the signature', { reason: 'BODY_MISMATCH' });
        }
        throw error;
      }
    };
    expect(await failures(await standIn({ authenticate: relabelled }))).toEqual([
      {
        name: 'replayed',
        detail: "401 BODY_MISMATCH: refused for another reason than this check's (REPLAYED), not tested",
      },
    ]);
  });

  it('category-not-signed: no category guard', async () => {
    expect(await failedChecks(await standIn({ categoryGuard: false }))).toEqual(['category-not-signed']);
  });

  it('entities: answers in another order', async () => {
    const url = await standIn({ plugins: [entitiesRewritten((entities) => [...entities].reverse())] });
    expect(await failedChecks(url)).toEqual(['entities']);
  });

  it('entities: an answer missing', async () => {
    const url = await standIn({ plugins: [entitiesRewritten((entities) => entities.slice(1))] });
    expect(await failedChecks(url)).toEqual(['entities']);
  });

  it('entities: data for an id it does not know', async () => {
    const url = await standIn({
      resolvers: {
        ...resolvers,
        Person: {
          ...(resolvers['Person'] as Record<string, unknown>),
          jobSeeker: () => ({ id: 'js-any', desiredWork: '何でも' }),
        } as StandInOptions['resolvers'][string],
      },
    });
    expect(await failedChecks(url)).toEqual(['entities']);
  });

  it('errors-masked: a stack trace and the SQL in the error', async () => {
    expect(await failedChecks(await standIn({ maskErrors: false }))).toEqual(['errors-masked']);
  });
});

/** Servers that are not subgraphs: each closed, connections and all, after the file's tests. */
const servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('no subgraph to check: a clear message, no stack trace, within the timeout', () => {
  const attempt = (url: string) =>
    checkSubgraph({ url, domain: 'EMPLOYMENT', signingKey: signingKey(), timeoutMs: 500 }).then(
      () => 'checked',
      (error: unknown) => (error instanceof SubgraphUnreachableError ? error.message : error),
    );

  it('an unreachable URL', async () => {
    // A port that was just free: a server listened on it and is closed again.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const url = `http://127.0.0.1:${port}/graphql`;
    expect(await attempt(url)).toBe(`${url} could not be reached (ECONNREFUSED)`);
  });

  it('a server that is not GraphQL', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>It works!</body></html>');
    });
    expect(await attempt(url)).toBe(`${url} did not answer as a GraphQL server (HTTP 200, text/html)`);
  });

  it('a server answering JSON that is not GraphQL', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    expect(await attempt(url)).toBe(`${url} did not answer as a GraphQL server (JSON without data or errors)`);
  });

  it('a URL answering JSON 404, as a server’s /healthz does to a POST', async () => {
    const url = hub.subgraphs.employment.url.replace(/\/graphql$/, '/healthz');
    expect(await attempt(url)).toBe(`${url} did not answer as a GraphQL server (HTTP 404, application/json)`);
  });

  it('a subgraph that hangs', async () => {
    const url = await serve(() => {
      // accepts the request and never answers
    });
    expect(await attempt(url)).toBe(`${url} gave no answer within 0.5 s`);
  });
});

describe('a subgraph that does not trust the signing key: nothing passes on KEY_UNKNOWN', () => {
  it('stops before any check, saying the subgraph does not trust the key', async () => {
    const url = await standIn({ verifyKeys: testSigningKeys().verifyKeys });
    const outcome = await checkSubgraph({ url, domain: 'EMPLOYMENT', signingKey: signingKey() }).then(
      () => 'checked',
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(SigningKeyNotTrustedError);
    expect((outcome as Error).message).toMatch(/does not trust this signing key .*GATEWAY_VERIFY_KEYS/);
  });

  it('a refusal for an unknown key fails the check that meant to test something else', async () => {
    // Trusts the key for good requests, answers KEY_UNKNOWN to every bad one: none was tested for its fault.
    const keyUnknownForAnyFault: StandInOptions['authenticate'] = async (req, body, verify) => {
      try {
        return await verify(req, body);
      } catch (error) {
        const reason = (error as { extensions?: { reason?: unknown } }).extensions?.reason;
        if (reason === 'SIGNATURE_MISSING') throw error;
        throw ERRORS.UNAUTHENTICATED.err('The gateway signature names no key this subgraph accepts', {
          reason: 'KEY_UNKNOWN',
        });
      }
    };
    const url = await standIn({ authenticate: keyUnknownForAnyFault });
    const report = await checkSubgraph({ url, domain: 'EMPLOYMENT', signingKey: signingKey() });
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.map((r) => r.name)).toEqual(['forged', 'expired', 'replayed', 'changed-body', 'wrong-audience']);
    for (const result of failed) expect(result.detail).toMatch(/KEY_UNKNOWN/);
  });
});

const run = promisify(execFile);

/** npm run check-subgraph, as a person runs it: exit code and both outputs. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['scripts/run-bundled.js', 'scripts/check-subgraph.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        timeout: 30_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run check-subgraph', () => {
  const key = () => ({ GATEWAY_SIGNING_KEY: JSON.stringify(signingKey()) });

  it('prints one line per check and exits 0 on the project’s employment subgraph', async () => {
    const result = await cli(
      ['--url', hub.subgraphs.employment.url, '--domain', 'EMPLOYMENT', '--person-id', residentId('takahashi')],
      key(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('PASS '))).toHaveLength(12);
    expect(lines.at(-1)).toBe('all 12 checks passed');
  });

  it('a subgraph of another domain than --domain says: one line on stderr naming WRONG_AUDIENCE, exit 2, no checks', async () => {
    const result = await cli(['--url', hub.subgraphs.welfare.url, '--domain', 'EMPLOYMENT'], key());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^check-subgraph: .* signed for the employment subgraph with 401 WRONG_AUDIENCE/);
  });

  it("the hub's gateway given as --url: one line on stderr saying it is the gateway, exit 2, no checks", async () => {
    const result = await cli(['--url', hub.gatewayUrl, '--domain', 'EMPLOYMENT'], key());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^check-subgraph: .*\(401 TOKEN_MISSING\): it is the hub's gateway, not a subgraph/);
  });

  it('--signing-key names a file from where the command was typed; a file that is not there is said so, exit 2', async () => {
    const typedIn = mkdtempSync(join(tmpdir(), 'hub-check-'));
    writeFileSync(join(typedIn, 'gateway.jwk'), JSON.stringify(signingKey()));
    const args = ['--url', hub.subgraphs.employment.url, '--domain', 'EMPLOYMENT'];
    const found = await cli([...args, '--signing-key', 'gateway.jwk'], { INIT_CWD: typedIn });
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
    const missing = await cli([...args, '--signing-key', 'other.jwk'], { INIT_CWD: typedIn });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim()).toBe(
      'check-subgraph: the signing key could not be read: is neither a key (JSON or PEM) nor a readable file: other.jwk',
    );
  });

  it('a malformed --person-id is refused before anything is sent: one line on stderr, exit 2', async () => {
    const malformed = await cli(
      ['--url', hub.subgraphs.employment.url, '--domain', 'EMPLOYMENT', '--person-id', 'takahashi'],
      key(),
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stdout).toBe('');
    expect(malformed.stderr.trim()).toBe("check-subgraph: --person-id is a person's id (a UUID); got takahashi");
  });

  it('exits 1 naming the failed check', async () => {
    const url = await standIn({ categoryGuard: false });
    const result = await cli(['--url', url, '--domain', 'EMPLOYMENT'], key());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}category-not-signed /m);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('1 of 12 checks failed: category-not-signed');
  });

  it('a subgraph that never answers: one clear line and exit 2 once the timeout has passed', async () => {
    const url = await serve(() => {
      // accepts the request and never answers
    });
    const result = await cli(['--url', url, '--domain', 'EMPLOYMENT', '--timeout', '500'], key());
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`check-subgraph: ${url} gave no answer within 0.5 s`);
  });

  it('a subgraph that does not trust the key: one line on stderr naming GATEWAY_VERIFY_KEYS, exit 2, no checks', async () => {
    const url = await standIn({ verifyKeys: testSigningKeys().verifyKeys });
    const result = await cli(['--url', url, '--domain', 'EMPLOYMENT'], key());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^check-subgraph: .* does not trust this signing key .*GATEWAY_VERIFY_KEYS/);
  });

  it('a URL that is not a GraphQL server (JSON 404): one line on stderr, exit 2, no checks', async () => {
    const url = hub.subgraphs.employment.url.replace(/\/graphql$/, '/healthz');
    const result = await cli(['--url', url, '--domain', 'EMPLOYMENT'], key());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(
      `check-subgraph: ${url} did not answer as a GraphQL server (HTTP 404, application/json)`,
    );
  });

  it('bad arguments and a missing key: usage, exit 2, nothing sent', async () => {
    const noKey = await cli(['--url', hub.subgraphs.employment.url, '--domain', 'EMPLOYMENT'], {
      GATEWAY_SIGNING_KEY: '',
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^check-subgraph: needs the gateway's private signing key/);
    const badDomain = await cli(['--url', hub.subgraphs.employment.url, '--domain', 'JOBS'], key());
    expect(badDomain.code).toBe(2);
    expect(badDomain.stderr).toMatch(/^check-subgraph: --domain is one of WELFARE, /);
    for (const output of [badDomain.stderr]) expect(output).not.toMatch(/\n\s+at /);
  });
});
