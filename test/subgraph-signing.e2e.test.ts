// Subgraphs answer only what the gateway signed for them (CONTRACT.md, "Who is calling"): nobody reaches
// an agency's data around the gateway, and a captured request cannot be sent again.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '@hub/gateway/server';
import {
  AGENCIES,
  createLogger,
  deriveSubgraphKey,
  SIGNATURE_HEADER,
  signSubgraphRequest,
  type DataCategory,
  type SubgraphName,
} from '@hub/platform';
import {
  createTestDatabase,
  startTestHub,
  type GraphQLResponse,
  type TestDatabase,
  type TestHub,
} from './support/hub.js';

let database: TestDatabase;
let hub: TestHub;

beforeAll(async () => {
  database = await createTestDatabase();
  hub = await startTestHub(database);
});

afterAll(async () => {
  await hub?.close();
  await database?.drop();
});

const helloWork = AGENCIES.helloWorkMinamino.id;

/** POSTs a raw body straight to a subgraph, around the gateway. */
async function postToSubgraph(
  subgraph: SubgraphName,
  body: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(hub.subgraphs[subgraph].url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, ...((await response.json()) as object) };
}

function signFor(
  subgraph: SubgraphName,
  body: string,
  categories: DataCategory[],
  key = deriveSubgraphKey(hub.config.signing.secret, subgraph),
): Promise<string> {
  return signSubgraphRequest({
    subgraph,
    key,
    body,
    agencyId: helloWork,
    staffId: 'test-staff',
    requestId: 'test-request',
    categories,
  });
}

function refusal(response: GraphQLResponse) {
  return { status: response.status, ...response.errors?.[0]?.extensions, data: response.data };
}

async function registerPerson(): Promise<string> {
  const registered = await hub.query<{ registerPerson: { id: string } }>(
    { agency: AGENCIES.minaminoCollaborator.id },
    /* GraphQL */ `
      mutation {
        registerPerson(
          input: { name: "署名 試験", nameKana: "ショメイ シケン", birthDate: "1985-05-05", municipalityCode: "990001" }
        ) {
          id
        }
      }
    `,
  );
  expect(registered.errors).toBeUndefined();
  return registered.data!.registerPerson.id;
}

async function jobSeekerOf(personId: string): Promise<unknown> {
  const read = await hub.query<{ person: { jobSeeker: unknown } }>(
    { agency: helloWork },
    /* GraphQL */ `
      query ($id: ID!) {
        person(id: $id) {
          jobSeeker {
            id
          }
        }
      }
    `,
    { id: personId },
  );
  expect(read.errors).toBeUndefined();
  return read.data!.person.jobSeeker;
}

const registerJobSeeker = (personId: string) =>
  JSON.stringify({
    query: /* GraphQL */ `
      mutation ($id: ID!) {
        registerJobSeeker(input: { personId: $id, desiredWork: "清掃", preferredWorkStyles: [SHORT_HOURS] }) {
          id
          desiredWork
        }
      }
    `,
    variables: { id: personId },
  });

const jobOpenings = JSON.stringify({ query: '{ jobOpenings(first: 1) { id } }' });

describe('a subgraph answers only requests the gateway signed for it', () => {
  it('a direct call without a signature gets 401 UNAUTHENTICATED and writes nothing', async () => {
    const personId = await registerPerson();
    const before = hub.statements()['employment'];

    const response = await postToSubgraph('employment', registerJobSeeker(personId), {
      // The headers the gateway used to send: a subgraph no longer believes them.
      'x-hub-agency': helloWork,
      'x-hub-staff': 'someone',
    });

    expect(refusal(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'SIGNATURE_MISSING' });
    expect(response.data).toBeUndefined();
    expect(hub.statements()['employment']).toBe(before);
    expect(await jobSeekerOf(personId)).toBeNull();
  });

  it('a GET to a subgraph gets 401: nothing but a signed POST is answered', async () => {
    const response = await fetch(
      `${hub.subgraphs.employment.url}?query=${encodeURIComponent('{ jobOpenings { id } }')}`,
    );
    expect(response.status).toBe(401);
    const body = (await response.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('a signature made with a wrong key gets 401 SIGNATURE_INVALID', async () => {
    const forged = await signFor('employment', jobOpenings, [], deriveSubgraphKey('guessed-secret', 'employment'));
    const response = await postToSubgraph('employment', jobOpenings, { [SIGNATURE_HEADER]: forged });
    expect(refusal(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'SIGNATURE_INVALID' });
  });

  it('a signature for employment sent to welfare gets 401', async () => {
    const body = JSON.stringify({ query: '{ communityPlaces { name } }' });
    const forEmployment = await signFor('employment', body, []);
    const response = await postToSubgraph('welfare', body, { [SIGNATURE_HEADER]: forEmployment });
    expect(refusal(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('a signed request whose body was changed gets 401 BODY_MISMATCH and writes nothing', async () => {
    const personId = await registerPerson();
    const signature = await signFor('employment', jobOpenings, []);
    const response = await postToSubgraph('employment', registerJobSeeker(personId), { [SIGNATURE_HEADER]: signature });
    expect(refusal(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'BODY_MISMATCH' });
    expect(await jobSeekerOf(personId)).toBeNull();
  });

  it('a signed request is answered once: sent again it gets 401 REPLAYED', async () => {
    const signature = await signFor('employment', jobOpenings, []);
    const first = await postToSubgraph('employment', jobOpenings, { [SIGNATURE_HEADER]: signature });
    expect(first.status).toBe(200);
    expect(first.errors).toBeUndefined();
    const again = await postToSubgraph('employment', jobOpenings, { [SIGNATURE_HEADER]: signature });
    expect(refusal(again)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'REPLAYED' });
  });

  it('a signed request selecting a category the signature does not list is refused whole', async () => {
    const personId = await registerPerson();
    const body = registerJobSeeker(personId);
    const before = hub.statements()['employment'];

    const response = await postToSubgraph('employment', body, {
      [SIGNATURE_HEADER]: await signFor('employment', body, ['IDENTITY']),
    });

    expect(refusal(response)).toMatchObject({ status: 200, code: 'FORBIDDEN', reason: 'CATEGORY_NOT_SIGNED' });
    expect(response.data ?? null).toBeNull();
    expect(hub.statements()['employment']).toBe(before);
    expect(await jobSeekerOf(personId)).toBeNull();

    const allowed = await postToSubgraph('employment', body, {
      [SIGNATURE_HEADER]: await signFor('employment', body, ['EMPLOYMENT']),
    });
    expect(allowed.errors).toBeUndefined();
    expect(await jobSeekerOf(personId)).toEqual({ id: expect.any(String) });
  });

  it('an entity fetch is checked too, whatever its fragments select', async () => {
    const body = JSON.stringify({
      query: /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Person {
              js: jobSeeker {
                id
              }
            }
          }
        }
      `,
      variables: { representations: [{ __typename: 'Person', id: '00000000-0000-0000-0000-000000000000' }] },
    });
    const response = await postToSubgraph('employment', body, {
      [SIGNATURE_HEADER]: await signFor('employment', body, []),
    });
    expect(refusal(response)).toMatchObject({ code: 'FORBIDDEN', reason: 'CATEGORY_NOT_SIGNED' });
  });
});

describe("the gateway's own signatures", () => {
  interface Captured {
    headers: IncomingMessage['headers'];
    body: string;
  }
  const captured: Captured[] = [];
  let proxy: Server;
  let gateway: RunningGateway;

  beforeAll(async () => {
    // A loopback proxy in front of the employment subgraph records what a second gateway sends it.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        captured.push({ headers: req.headers, body });
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
          ),
        );
        fetch(hub.subgraphs.employment.url, { method: 'POST', headers, body }).then(
          async (upstream) => {
            res.writeHead(upstream.status, {
              'content-type': upstream.headers.get('content-type') ?? 'application/json',
            });
            res.end(await upstream.text());
          },
          () => {
            res.writeHead(502);
            res.end();
          },
        );
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
    gateway = await startGateway({
      config: hub.config,
      databaseUrl: hub.database.url,
      logger: createLogger('test', 'silent'),
      subgraphUrls: {
        ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.url])),
        employment: proxyUrl,
      },
      port: 0,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  });

  it('the normal path works, identity travels only in the signature, and a captured request cannot be replayed', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(helloWork)}` },
      body: JSON.stringify({ query: '{ jobOpenings(first: 2) { id title } }' }),
    });
    const result = (await response.json()) as GraphQLResponse<{ jobOpenings: unknown[] }>;
    expect(result.errors).toBeUndefined();
    expect(result.data!.jobOpenings).toHaveLength(2);

    const sent = captured.at(-1)!;
    expect(sent.headers[SIGNATURE_HEADER]).toEqual(expect.any(String));
    expect(Object.keys(sent.headers).filter((name) => name.startsWith('x-hub-'))).toEqual([SIGNATURE_HEADER]);

    const replayed = await postToSubgraph('employment', sent.body, {
      [SIGNATURE_HEADER]: sent.headers[SIGNATURE_HEADER] as string,
    });
    expect(refusal(replayed)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'REPLAYED' });
  });
});
