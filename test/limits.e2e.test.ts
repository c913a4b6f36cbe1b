// Limits at the gateway: an operation too deep, too wide, too long or too costly, a batch, or
// introspection in production is refused with 400 and a code before anything is planned or executed.

import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AGENCIES, SUBGRAPH_NAMES, residentId } from '@hub/platform';
import { useTestHub, type GraphQLResponse, type TestHub } from './support/hub.js';

const hub = useTestHub();
const production = useTestHub({ nodeEnv: 'production', limits: { maxBodyBytes: 64 * 1024 } });

const welfareAgency = { agency: AGENCIES.minaminoCollaborator.id };

/** POSTs a raw JSON body (an operation, or an array of them) as the welfare collaborator. */
async function post(on: TestHub, body: unknown): Promise<GraphQLResponse & { raw: unknown }> {
  const token = await on.token(welfareAgency.agency);
  const response = await fetch(on.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const raw: unknown = await response.json();
  return { status: response.status, ...(raw as object), raw };
}

/** POSTs `body` as it is, as the welfare collaborator, with `headers` (a Content-Type among them, or none). */
async function postRaw(on: TestHub, headers: Record<string, string>, body: string): Promise<Response> {
  const token = await on.token(welfareAgency.agency);
  return fetch(on.gatewayUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });
}

/** A refusal's HTTP status and its one error's extensions. */
async function refusalOf(response: Response): Promise<{ status: number; extensions: unknown }> {
  const answer = (await response.json()) as GraphQLResponse;
  return { status: response.status, extensions: answer.errors?.[0]?.extensions };
}

/** Runs `refused` and checks that no subgraph was asked and no statement, policy read or log write happened. */
async function expectNothingExecuted<T>(on: TestHub, refused: () => Promise<T>): Promise<T> {
  on.forget();
  const { gateway: gatewayBefore, ...subgraphsBefore } = on.statements();
  const stats = { ...on.gateway.stats };
  const result = await refused();
  for (const name of SUBGRAPH_NAMES) expect(on.received(name), name).toEqual([]);
  expect(on.gateway.stats).toEqual(stats);
  // The gateway reads the calling agency to authenticate; nothing past that.
  const { gateway: gatewayAfter, ...subgraphsAfter } = on.statements();
  expect(subgraphsAfter).toEqual(subgraphsBefore);
  expect(gatewayAfter! - gatewayBefore!).toBeLessThanOrEqual(1);
  return result;
}

function refusal(result: GraphQLResponse) {
  expect(result.status).toBe(400);
  expect(result.data ?? undefined).toBeUndefined();
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}

/** `person(id) { household { members { household { members … name } } } }`, `pairs` times nested. */
function nestedHousehold(pairs: number): string {
  let selection = 'name';
  for (let i = 0; i < pairs; i += 1) selection = `household { members { ${selection} } }`;
  return `{ person(id: "${residentId('yamada-son')}") { ${selection} } }`;
}

describe('operation limits, at their defaults', () => {
  it('runs an operation within the depth limit', async () => {
    const result = await hub.query(welfareAgency, nestedHousehold(6));
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('refuses an operation deeper than MAX_DEPTH (15) before planning it', async () => {
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, nestedHousehold(7)));
    const error = refusal(result);
    expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'MAX_DEPTH' });
    expect(error.message).toBe('Query depth limit of 15 exceeded, found 16.');
  });

  it('refuses an alias beginning with "__" (RESERVED_ALIAS), which GraphQL and the gateway keep for themselves', async () => {
    const query = `mutation { recordConsultation(input: { personId: "${residentId('ito')}", channel: VISIT, agencyKind: SELF_RELIANCE, summary: "別名" }) { id __hub_audit_person: person { id } } }`;
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, query));
    const error = refusal(result);
    expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'RESERVED_ALIAS' });
  });

  it("refuses an alias taking a person's key field for another field (RESERVED_ALIAS), which the planner would answer with her id", async () => {
    // `id: name` beside a field of another subgraph: the planner asks welfare for the key `id` under that
    // same name, and the caller would read the person's id as her name.
    const query = `{ person(id: "${residentId('ito')}") { id: name jobSeeker { desiredWork } } }`;
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, query));
    const error = refusal(result);
    expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'RESERVED_ALIAS' });
    expect(error.message).toBe(
      'The alias id names the key field Person.id, which the gateway asks for itself: choose another alias for name',
    );
    // The key under its own name, and any other alias, stay the caller's.
    const kept = await hub.query(
      welfareAgency,
      `{ person(id: "${residentId('ito')}") { id: id given: name jobSeeker { desiredWork } } }`,
    );
    expect(kept.errors).toBeUndefined();
    expect(kept.data).toMatchObject({ person: { id: residentId('ito'), given: expect.any(String) } });
    expect((kept.data as { person: { given: string } }).person.given).not.toBe(residentId('ito'));
    // An entity one subgraph alone resolves is never fetched by its key: its `id` alias is the caller's.
    const agencies = await hub.query(welfareAgency, '{ agencies { id: name } }');
    expect(agencies.errors).toBeUndefined();
    const ids = (await hub.query(welfareAgency, '{ agencies { id } }')).data as { agencies: { id: string }[] };
    expect((agencies.data as { agencies: { id: string }[] }).agencies[0]!.id).not.toBe(ids.agencies[0]!.id);
  });

  it('refuses more aliases than MAX_ALIASES (100)', async () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: agencies { id }`).join('\n');
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, `{ ${aliases} }`));
    expect(refusal(result).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'MAX_ALIASES' });
  });

  it('refuses more directives than MAX_DIRECTIVES (50)', async () => {
    const ids = Array.from({ length: 51 }, () => 'id @include(if: true)').join(' ');
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, `{ agencies { ${ids} } }`));
    expect(refusal(result).extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'MAX_DIRECTIVES',
    });
  });

  it('refuses a costlier operation than MAX_COST (50000)', async () => {
    // Each costs 400 × (2 + 1.5 × 4) = 3200: sixteen are 51200.
    const councils = (_: unknown, i: number) =>
      `c${i}: lifelongCouncils(first: 400) { prefecture organisation periodStart periodEnd }`;
    const result = await expectNothingExecuted(hub, () =>
      hub.query(welfareAgency, `{ ${Array.from({ length: 16 }, councils).join(' ')} }`),
    );
    expect(refusal(result).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'MAX_COST' });
  });

  it('answers the largest page of an access log with every field of its entries within MAX_COST', async () => {
    const query = `{
      accessLog(personId: "${residentId('ito')}", first: 200) {
        edges {
          cursor
          node {
            id at agency { id name domain jurisdiction } staffId categories allowed basis reason
            consentId meetingId emergencyId purpose
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const result = await hub.query(welfareAgency, query);
    expect(result.errors).toBeUndefined();
    expect(result.status).toBe(200);
  });

  it('refuses a selection repeating a field past what graphql-js checks for merging, with a reason (TOO_COMPLEX)', async () => {
    const ids = Array.from({ length: 1000 }, () => 'id').join(' ');
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, `{ agencies { ${ids} } }`));
    const error = refusal(result);
    expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'TOO_COMPLEX' });
    expect(error.message).toBe('The operation repeats fields more often than can be checked: ask for each field once');
  });

  it('stops parsing a document longer than MAX_TOKENS (10000)', async () => {
    const ids = Array.from({ length: 10_000 }, () => 'id').join(' ');
    const result = await expectNothingExecuted(hub, () => hub.query(welfareAgency, `{ agencies { ${ids} } }`));
    const error = refusal(result);
    expect(error.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(error.message).toMatch(/10000 tokens/);
  });

  it('echoes no argument value of a refused operation', async () => {
    const secret = '秘密の住所 1-2-3';
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: agencies(municipalityCode: "${secret}") { id }`);
    const result = await hub.query(welfareAgency, `{ ${aliases.join('\n')} }`);
    expect(refusal(result).extensions?.['reason']).toBe('MAX_ALIASES');
    expect(JSON.stringify(result.errors)).not.toContain(secret);
  });

  it.each([
    ['a list where an ID is expected', 'query($p: ID!) { person(id: $p) { id } }', { p: ['漏洩 三郎', 1] }],
    [
      'a name where an Int is expected, in a variable',
      'query($n: Int) { lifelongCouncils(first: $n) { prefecture } }',
      { n: '漏洩五郎' },
    ],
    ['a name where an Int is expected, as a literal', '{ lifelongCouncils(first: "漏洩五郎") { prefecture } }', {}],
    [
      'an input object short of a required field, its strings holding the clause separator',
      'mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }',
      { input: { name: '漏洩 太郎', nameKana: 'ロウエイ', birthDate: '1980-02-03', address: 'みなみ野市; 漏洩町9-9' } },
    ],
  ])('echoes no value graphql-js refuses: %s', async (_shape, query, variables) => {
    const result = await hub.query(welfareAgency, query, variables);
    expect(result.errors?.[0]?.extensions?.['code']).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
    expect(JSON.stringify(result.errors)).not.toContain('漏洩');
  });

  it('echoes nothing the caller wrote in a syntax error, nor the operationName it asked for', async () => {
    const syntax = await post(hub, { query: '{ person(id: "x") "漏洩 太郎 090-0000-0000" }' });
    expect(syntax.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(syntax.errors?.[0]?.message).toBe('Syntax Error: Expected Name, found String.');
    // A number or a name where parsing stopped is the caller's too: a phone number, a romanised name.
    for (const [tail, message] of [
      ['8012345678', 'Syntax Error: Unexpected Int.'],
      ['RoueiTarou19610717', 'Syntax Error: Unexpected Name.'],
    ]) {
      const token = await post(hub, { query: `{ agencies { id } } ${tail}` });
      expect(token.errors?.[0]?.message).toBe(message);
      expect(JSON.stringify(token.raw)).not.toContain(tail);
    }
    const named = await post(hub, { query: '{ agencies { id } }', operationName: '漏洩太郎_090' });
    expect(named.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNKNOWN_OPERATION' });
    expect(JSON.stringify([syntax.raw, named.raw])).not.toContain('漏洩');
  });
});

describe('page sizes', () => {
  it.each([
    ['jobOpenings(first: 0) { id }'],
    ['ecoProjects(first: 201) { id }'],
    ['workOffers(first: -1) { id }'],
    ['counselingWindows(first: 0) { id }'],
  ])('every list takes first from 1 to 200, the hub’s and the subgraphs’ alike: %s', async (field) => {
    const result = await hub.query(welfareAgency, `{ ${field} }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'first',
      reason: 'OUT_OF_RANGE',
    });
    expect(result.errors?.[0]?.message).toBe('first is 1 to 200');
  });

  it('people takes at most 1000 ids: more is refused before anything is decided, logged or asked (OUT_OF_RANGE)', async () => {
    const ids = [residentId('ito'), ...Array.from({ length: 1000 }, () => randomUUID())];
    const result = await expectNothingExecuted(hub, () =>
      hub.query(welfareAgency, 'query ($ids: [ID!]!) { people(ids: $ids) { name } }', { ids }),
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'ids',
      reason: 'OUT_OF_RANGE',
    });
    expect(result.data?.['people'] ?? null).toBeNull();
    const atTheLimit = await hub.query(welfareAgency, 'query ($ids: [ID!]!) { people(ids: $ids) { id } }', {
      ids: ids.slice(0, 1000),
    });
    expect(atTheLimit.errors).toBeUndefined();
  });
});

describe('a mutation document of several fields', () => {
  /** How many consultations 伊藤's record holds: what a mutation that stopped must not have added to. */
  const consultations = async () => {
    const result = await hub.query<{ person: { consultations: { id: string }[] } }>(
      welfareAgency,
      'query ($p: ID!) { person(id: $p) { consultations { id } } }',
      { p: residentId('ito') },
    );
    return result.data!.person.consultations.length;
  };

  it('stops at a field that fails non-null, as graphql-js does: the fields after it write nothing', async () => {
    const person = residentId('ito');
    const before = await consultations();
    const result = await hub.query(
      welfareAgency,
      `mutation ($p: ID!) {
        a: revokeConsent(id: "00000000-0000-4000-8000-000000000000", reason: "取消") { id }
        b: recordConsultation(input: { personId: $p, channel: VISIT, agencyKind: SELF_RELIANCE, summary: "後続" }) { id }
      }`,
      { p: person },
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);
    expect(await consultations()).toBe(before);
  });

  it('stops there too when the failing field sits in an inline fragment or a fragment spread', async () => {
    const person = residentId('ito');
    const failing = 'a: revokeConsent(id: "00000000-0000-4000-8000-000000000000", reason: "取消") { id }';
    const after =
      'b: recordConsultation(input: { personId: $p, channel: VISIT, agencyKind: SELF_RELIANCE, summary: "後続" }) { id }';
    const before = await consultations();
    for (const document of [
      `mutation ($p: ID!) { ... on Mutation { ${failing} } ${after} }`,
      `mutation ($p: ID!) { ...Failing ${after} } fragment Failing on Mutation { ${failing} }`,
    ]) {
      const result = await hub.query(welfareAgency, document, { p: person });
      expect(result.data ?? null, document).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);
    }
    expect(await consultations()).toBe(before);
  });
});

describe('deeply nested variables', () => {
  it('refuses a body nested deeper than 64 levels with 400 BAD_REQUEST (TOO_DEEP), not a crash', async () => {
    // Written as text: nested this deep, a value is more than JSON.stringify itself can take.
    const send = async (depth: number) => {
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await hub.token(welfareAgency.agency)}`,
        },
        body: `{"query":"{ __typename }","variables":{"x":${'['.repeat(depth)}1${']'.repeat(depth)}}}`,
      });
      return { ...((await response.json()) as GraphQLResponse), status: response.status };
    };
    const deep = await send(5000);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'TOO_DEEP' });
    const shallow = await send(30);
    expect(shallow.status).toBe(200);
    expect(shallow.errors).toBeUndefined();
  });
});

describe('batched requests', () => {
  it('refuses a JSON array of operations with 400 BAD_REQUEST, running none of them', async () => {
    const result = await expectNothingExecuted(hub, () =>
      post(hub, [
        { query: `{ person(id: "${residentId('yamada-son')}") { name } }` },
        { query: '{ agencies { id } }' },
      ]),
    );
    expect(Array.isArray(result.raw)).toBe(false);
    expect(refusal(result).extensions).toEqual({ code: 'BAD_REQUEST', reason: 'BATCHING_DISABLED' });
    expect(result.errors![0]!.message).toMatch(/batching disabled/i);
  });
});

describe('a body that is not an operation', () => {
  it('empty, a JSON string, number, null or true, or an object without `query`: 400 BAD_REQUEST (NOT_AN_OPERATION), nothing executed', async () => {
    for (const body of ['', '"{ agencies { id } }"', '42', 'null', 'true', '{}', '{"query": 5}']) {
      const response = await expectNothingExecuted(hub, () =>
        postRaw(hub, { 'content-type': 'application/json' }, body),
      );
      const refused = await refusalOf(response);
      expect(refused, body).toEqual({ status: 400, extensions: { code: 'BAD_REQUEST', reason: 'NOT_AN_OPERATION' } });
    }
    const empty = await (await postRaw(hub, { 'content-type': 'application/json' }, '')).json();
    expect(JSON.stringify(empty)).not.toMatch(/Content-Type/);
  });

  it('`variables`, `extensions` or `operationName` of the wrong type: 400 BAD_REQUEST naming which, nothing executed', async () => {
    for (const [extra, reason] of [
      [{ variables: ['x'] }, 'INVALID_VARIABLES'],
      [{ variables: '{}' }, 'INVALID_VARIABLES'],
      [{ extensions: 5 }, 'INVALID_EXTENSIONS'],
      [{ operationName: 5 }, 'INVALID_OPERATION_NAME'],
    ] as const) {
      const result = await expectNothingExecuted(hub, () => post(hub, { query: '{ agencies { id } }', ...extra }));
      expect(refusal(result).extensions, reason).toEqual({ code: 'BAD_REQUEST', reason });
    }
  });
});

describe('the body’s media type', () => {
  it('refuses a body that is not sent as JSON with 415 (UNSUPPORTED_MEDIA_TYPE), running nothing', async () => {
    const token = await hub.token(welfareAgency.agency);
    const body = JSON.stringify({ query: `{ person(id: "${residentId('yamada-son')}") { name } }` });
    for (const type of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded', 'application/graphql']) {
      const response = await expectNothingExecuted(hub, () =>
        fetch(hub.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': type, authorization: `Bearer ${token}` },
          body,
        }),
      );
      expect(response.status, type).toBe(415);
      const answer = (await response.json()) as GraphQLResponse;
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const json = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body,
    });
    expect(json.status).toBe(200);
  });

  it('refuses a body without a Content-Type with 415 (UNSUPPORTED_MEDIA_TYPE), with or without a preflight header', async () => {
    const token = await hub.token(welfareAgency.agency);
    // Bytes, so that fetch adds no Content-Type of its own.
    const body = new TextEncoder().encode(
      JSON.stringify({ query: `{ person(id: "${residentId('yamada-son')}") { name } }` }),
    );
    for (const extra of [{}, { 'apollo-require-preflight': 'true' }] as Record<string, string>[]) {
      const response = await expectNothingExecuted(hub, () =>
        fetch(hub.gatewayUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...extra }, body }),
      );
      expect(response.status).toBe(415);
      const answer = (await response.json()) as GraphQLResponse;
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it('refuses a body in another charset than UTF-8 with 415 (UNSUPPORTED_CHARSET), running nothing', async () => {
    const body = JSON.stringify({ query: `{ person(id: "${residentId('yamada-son')}") { name } }` });
    for (const type of [
      'application/json; charset=utf-16',
      'application/json;charset="iso-8859-1"',
      'application/json; charset="utf-8;x"',
      'application/json; charset=utf-8"',
      'application/json; charset=utf-8; charset=utf-16',
    ]) {
      const response = await expectNothingExecuted(hub, () => postRaw(hub, { 'content-type': type }, body));
      expect(await refusalOf(response), type).toMatchObject({
        status: 415,
        extensions: { code: 'BAD_REQUEST', reason: 'UNSUPPORTED_CHARSET' },
      });
    }
    for (const type of [
      'application/json; charset=UTF-8',
      'application/json; charset=utf8',
      'application/json; charset="utf-8"',
    ]) {
      expect((await postRaw(hub, { 'content-type': type }, body)).status, type).toBe(200);
    }
  });

  it('refuses an Accept that takes no JSON answer with 406 (NOT_ACCEPTABLE) before running anything: no mutation is written', async () => {
    const body = JSON.stringify({
      query:
        'mutation { registerPerson(input: { name: "受理 試験", nameKana: "ジュリ", birthDate: "1980-01-01", municipalityCode: "990001" }) { id } }',
    });
    for (const accept of ['text/html', 'text/event-stream', 'multipart/mixed;deferSpec=20220824', 'image/png']) {
      const response = await expectNothingExecuted(hub, () =>
        postRaw(hub, { 'content-type': 'application/json', accept }, body),
      );
      expect(await refusalOf(response), accept).toMatchObject({
        status: 406,
        extensions: { code: 'BAD_REQUEST', reason: 'NOT_ACCEPTABLE' },
      });
    }
    const query = JSON.stringify({ query: '{ municipalities { code } }' });
    for (const accept of [
      'application/graphql-response+json',
      'application/json',
      '*/*',
      'application/graphql-response+json, application/json;q=0.9',
      'text/html, */*;q=0.1',
    ]) {
      expect((await postRaw(hub, { 'content-type': 'application/json', accept }, query)).status, accept).toBe(200);
    }
  });

  it('refuses a compressed body with 415 (UNSUPPORTED_ENCODING), running nothing', async () => {
    const token = await hub.token(welfareAgency.agency);
    const body = gzipSync(JSON.stringify({ query: `{ person(id: "${residentId('yamada-son')}") { name } }` }));
    const response = await expectNothingExecuted(hub, () =>
      fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
        body,
      }),
    );
    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    const answer = (await response.json()) as GraphQLResponse;
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNSUPPORTED_ENCODING' });
  });
});

describe('caching of answers', () => {
  it('answers Cache-Control: no-store and nosniff, a person’s data, a refusal and a 401 alike', async () => {
    const token = await hub.token(welfareAgency.agency);
    const body = JSON.stringify({ query: `{ person(id: "${residentId('yamada-son')}") { name } }` });
    const answers = {
      data: await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      }),
      malformed: await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ person(id: ' }),
      }),
      unauthenticated: await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
      wrongMethod: await fetch(hub.gatewayUrl, { method: 'PUT', headers: { authorization: `Bearer ${token}` } }),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, r]) => [name, r.status]))).toEqual({
      data: 200,
      malformed: 400,
      unauthenticated: 401,
      wrongMethod: 405,
    });
    expect(
      ((await answers.data.json()) as GraphQLResponse<{ person: { name: string } }>).data?.person.name,
    ).toBeTruthy();
    for (const [name, response] of Object.entries(answers)) {
      expect(response.headers.get('cache-control'), name).toBe('no-store');
      expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
    }
  });
});

describe('automatic persisted queries', () => {
  // Their cache would be one for every caller: an agency could learn whether another had sent a document.
  it('are off: a document sent by hash alone, or with a hash, is refused (PERSISTED_QUERY_NOT_SUPPORTED) and runs nothing', async () => {
    const query = `{ person(id: "${residentId('yamada-son')}") { id } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const refusedWith = (result: GraphQLResponse) => {
      expect(result.data ?? undefined).toBeUndefined();
      expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
      expect(result.errors?.[0]?.message).toMatch(/send the operation as text in query/);
    };
    const persistedQuery = { version: 1, sha256Hash };
    refusedWith(await expectNothingExecuted(hub, () => post(hub, { query, extensions: { persistedQuery } })));
    refusedWith(await expectNothingExecuted(hub, () => post(hub, { extensions: { persistedQuery } })));
    const wrong = { version: 1, sha256Hash: '0'.repeat(64) };
    refusedWith(await expectNothingExecuted(hub, () => post(hub, { query, extensions: { persistedQuery: wrong } })));
  });
});

describe('the operation to run', () => {
  it('refuses an operationName the document does not hold with 400 BAD_REQUEST (UNKNOWN_OPERATION), nothing executed', async () => {
    const result = await expectNothingExecuted(hub, () =>
      post(hub, {
        query: `query Risk { person(id: "${residentId('yamada-son')}") { name } }`,
        operationName: 'Openings',
      }),
    );
    expect(refusal(result).extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNKNOWN_OPERATION' });
    expect(result.errors![0]!.message).toContain('"Openings"');
  });

  it('takes an empty operationName as none: the one operation runs', async () => {
    const result = await post(hub, { query: '{ municipalities { code } }', operationName: '' });
    expect(result.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect((result.data as { municipalities: unknown[] }).municipalities.length).toBeGreaterThan(0);
  });

  it('refuses a @skip or @include whose variable is sent as null with 400 BAD_USER_INPUT, nothing executed', async () => {
    for (const query of [
      `query ($s: Boolean = true) { person(id: "${residentId('yamada-son')}") { id phone @skip(if: $s) } }`,
      `query ($s: Boolean = true) { person(id: "${residentId('yamada-son')}") @include(if: $s) { id } }`,
      `query ($s: Boolean = false) { ... @include(if: $s) { agencies { id } } }`,
    ]) {
      const result = await expectNothingExecuted(hub, () => post(hub, { query, variables: { s: null } }));
      expect(refusal(result).extensions, query).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
      expect(result.errors![0]!.message).toContain('$s');
    }
    // Only the conditions of the operation run count: another operation of the document may read $s so.
    const other = await post(hub, {
      query:
        'query A($s: String) { lifelongCouncils(prefecture: $s) { id } } query B($s: Boolean = true) { agencies { id @skip(if: $s) } }',
      operationName: 'A',
      variables: { s: null },
    });
    expect(other.errors).toBeUndefined();
  });

  it('refuses a document of several operations without operationName with 400 BAD_REQUEST', async () => {
    const result = await expectNothingExecuted(hub, () =>
      post(hub, { query: 'query A { agencies { id } } query B { municipalities { code } }' }),
    );
    expect(refusal(result).extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNKNOWN_OPERATION' });
  });
});

describe('operations in a URL', () => {
  it('a query sent as GET is refused with 405 (POST_ONLY), whatever headers it carries, and nothing is read', async () => {
    const token = await hub.token(AGENCIES.minaminoWelfare.id);
    const query = `{ person(id: "${residentId('yamada-son')}") { name } }`;
    const variants: Record<string, string>[] = [
      {},
      { 'apollo-require-preflight': 'true' },
      { 'content-type': 'application/json' },
    ];
    for (const headers of variants) {
      const response = await expectNothingExecuted(hub, () =>
        fetch(`${hub.gatewayUrl}?query=${encodeURIComponent(query)}`, {
          headers: { authorization: `Bearer ${token}`, ...headers },
        }),
      );
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      const body = (await response.json()) as { data?: unknown; errors: { extensions: Record<string, unknown> }[] };
      expect(body.data).toBeUndefined();
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'POST_ONLY' });
    }
  });
});

describe('other methods', () => {
  it('PUT, PATCH, DELETE, OPTIONS and a GET without an operation get 405 (POST_ONLY) with Allow: POST', async () => {
    const token = await hub.token(AGENCIES.minaminoWelfare.id);
    const requests: RequestInit[] = [
      { method: 'PUT', body: JSON.stringify({ query: '{ agencies { id } }' }) },
      { method: 'PATCH', body: JSON.stringify({ query: '{ agencies { id } }' }) },
      { method: 'DELETE' },
      { method: 'OPTIONS' },
      { method: 'GET' },
      { method: 'GET', headers: { accept: 'application/json' } },
    ];
    for (const init of requests) {
      const response = await expectNothingExecuted(hub, () =>
        fetch(hub.gatewayUrl, {
          ...init,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
        }),
      );
      expect(response.status, init.method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'POST_ONLY' });
    }
  });
});

describe('subscriptions', () => {
  it('refuses a subscription with 400 BAD_REQUEST (SUBSCRIPTIONS_UNSUPPORTED), nothing executed', async () => {
    for (const query of ['subscription S { agencies { id } }', 'subscription { x }']) {
      const result = await expectNothingExecuted(hub, () => post(hub, { query }));
      expect(result.status).toBe(400);
      expect(refusal(result).extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'SUBSCRIPTIONS_UNSUPPORTED' });
    }
  });
});

describe('request body', () => {
  it('refuses a body that is not JSON with 400 NOT_JSON', async () => {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(welfareAgency.agency)}` },
      body: '{"query": "{ agencies { id } }"',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'NOT_JSON' });
  });

  it('refuses a body that is not UTF-8 with 400 NOT_JSON, nothing executed: no byte is guessed at', async () => {
    const authorization = `Bearer ${await hub.token(welfareAgency.agency)}`;
    const text = (summary: string) => JSON.stringify({ query: `{ agencies { id } } # ${summary}` });
    // An overlong '/', a surrogate encoded as UTF-8, a lone continuation byte: each was read as U+FFFD.
    for (const bad of [Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80])]) {
      const [before, after] = text('@').split('@') as [string, string];
      const body = Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]);
      const result = await expectNothingExecuted(hub, async () => {
        const response = await fetch(hub.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body,
        });
        return { ...((await response.json()) as GraphQLResponse), status: response.status };
      });
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'NOT_JSON' });
    }
    // Japanese text, well-formed, is read as sent.
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: Buffer.from(text('支援プラン作成')),
    });
    expect(response.status).toBe(200);
  });

  it('refuses a body over MAX_BODY_BYTES with 413, nothing executed', async () => {
    const query = `{ agencies { id } } # ${'x'.repeat(100 * 1024)}`;
    const result = await expectNothingExecuted(production, () => post(production, { query }));
    expect(result.status).toBe(413);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'BODY_TOO_LARGE' });
  });
});

describe('introspection', () => {
  const introspection = /* GraphQL */ `
    {
      __schema {
        types {
          name
        }
      }
    }
  `;

  it('is answered in development', async () => {
    const result = await hub.query(welfareAgency, introspection);
    expect(result.errors).toBeUndefined();
  });

  it('is refused in production with GRAPHQL_VALIDATION_FAILED, nothing executed', async () => {
    const result = await expectNothingExecuted(production, () => production.query(welfareAgency, introspection));
    expect(refusal(result).extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'INTROSPECTION_DISABLED',
    });
    // In the hub's words, saying where the schema is: not the library's option to pass.
    expect(refusal(result).message).toBe(
      'Introspection is off in production: the schema is the hub’s schema/supergraph.graphql, described in docs/schema.md',
    );
  });

  it.each([
    ['field', '{ persn(id: "x") { id } }'],
    ['argument', '{ agencies(domian: WELFARE) { id } }'],
    ['enum value', '{ agencies(domain: WELFAR) { id } }'],
    ['input type', 'query ($i: RegisterPersonInpt!) { agencies { id } }'],
  ])(
    'a misspelt %s in production is refused without suggesting the schema’s names ("Did you mean")',
    async (_, query) => {
      const inProduction = await production.query(welfareAgency, query);
      expect(inProduction.status).toBe(400);
      expect(new Set(inProduction.errors?.map((e) => e.extensions?.['code']))).toEqual(
        new Set(['GRAPHQL_VALIDATION_FAILED']),
      );
      expect(JSON.stringify(inProduction.errors)).not.toMatch(/Did you mean/);
      // Development still helps whoever writes the query.
      expect(JSON.stringify((await hub.query(welfareAgency, query)).errors)).toMatch(/Did you mean/);
    },
  );

  it.each([
    [
      'input field',
      'mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }',
      { i: { name: '試験', nameKana: 'シケン', birthDate: '1980-01-01', municipalityCode: '990001', adress: 'x' } },
    ],
    ['enum value', 'query ($d: Domain) { agencies(domain: $d) { id } }', { d: 'WELFAR' }],
  ])(
    'a misspelt %s in a variable in production is refused without suggesting the schema’s names, nothing executed',
    async (_, query, variables) => {
      const inProduction = await expectNothingExecuted(production, () =>
        production.query(welfareAgency, query, variables),
      );
      expect(inProduction.status).toBe(400);
      expect(inProduction.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(inProduction.errors)).not.toMatch(/Did you mean|"address"|WELFARE"/);
      expect(JSON.stringify((await hub.query(welfareAgency, query, variables)).errors)).toMatch(/Did you mean/);
    },
  );
});

describe('the explorer', () => {
  it('is not served in production: a browser at GET /graphql gets no page, and the refusal any GET gets (405 POST_ONLY)', async () => {
    const page = await fetch(production.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(405);
    expect(page.headers.get('allow')).toBe('POST');
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await page.text()).not.toContain('<script');
  });

  it('is served in development, from this hub alone', async () => {
    const page = await fetch(hub.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="explorer"></div>');
    // Inline script and styles only: no src= or href= to load anything from anywhere (its icon is data:,
    // so the browser asks for no /favicon.ico either).
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(?!data:)/i);
    expect(html).toContain('<link rel="icon" href="data:,">');
  });
});

describe('the bounds of what an agency records', () => {
  const refusal = (result: GraphQLResponse) => result.errors?.[0]?.extensions;

  it('a registration with an address or phone over its length is refused', async () => {
    const register = (extra: Record<string, string>) =>
      hub.query(welfareAgency, 'mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', {
        input: {
          name: '上限 試験',
          nameKana: 'ジョウゲン シケン',
          birthDate: '1980-01-01',
          municipalityCode: '990001',
          ...extra,
        },
      });
    expect(refusal(await register({ address: 'あ'.repeat(201) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'address',
      reason: 'INVALID_LENGTH',
    });
    expect(refusal(await register({ municipalityCode: '' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_MUNICIPALITY_CODE',
      argument: 'municipalityCode',
    });
    expect(refusal(await register({ phone: '0'.repeat(31) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'phone',
      reason: 'INVALID_LENGTH',
    });
  });

  it('a length is counted in characters as a reader counts them: an address of 200 emoji or rare kanji is taken, one of 201 refused', async () => {
    const register = (address: string) =>
      hub.query(welfareAgency, 'mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', {
        input: {
          name: '長さ 試験',
          nameKana: 'ナガサ シケン',
          birthDate: '1980-01-01',
          municipalityCode: '990001',
          address,
        },
      });
    for (const character of ['🏠', '𠮷']) {
      expect((await register(character.repeat(200))).errors).toBeUndefined();
      expect(refusal(await register(character.repeat(201)))).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'address',
        reason: 'INVALID_LENGTH',
      });
    }
  });

  it('free text is refused with control or direction characters (INVALID_TEXT), a name with a line break or a zero-width character too; a note may have lines', async () => {
    const register = (name: string, address?: string) =>
      hub.query(welfareAgency, 'mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', {
        input: { name, nameKana: 'セイギョ モジ', birthDate: '1980-01-01', municipalityCode: '990001', address },
      });
    for (const name of [
      '制御\u0007文字',
      '向き\u202e文字',
      '改行\n文字',
      '見えない\u200b文字',
      '結合\u2060文字',
      '埋め\u3164文字',
      '点字\u2800文字',
      // A variation selector chooses the form of the character before it, one only: a run of them chooses nothing.
      'みなみ野市\ufe0f\ufe0f',
      '結合\u034f文字',
    ]) {
      expect(refusal(await register(name))).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'name',
        reason: 'INVALID_TEXT',
      });
    }
    expect(refusal(await register('制御 文字', 'みなみ野\u001b[31m市'))).toMatchObject({
      argument: 'address',
      reason: 'INVALID_TEXT',
    });
    expect((await register('制御 文字')).errors).toBeUndefined();
    // A variation selector chooses a kanji's form in a name (葛󠄀城): it shows, and is kept.
    expect((await register('葛\u{E0100}城 花子')).errors).toBeUndefined();

    const personId = (await register('制御 文字二', 'みなみ野市\t桜台1-1')).data as { registerPerson: { id: string } };
    const consult = (summary: string) =>
      hub.query(
        welfareAgency,
        /* GraphQL */ `
          mutation ($input: RecordConsultationInput!) {
            recordConsultation(input: $input) {
              id
            }
          }
        `,
        { input: { personId: personId.registerPerson.id, channel: 'VISIT', agencyKind: 'ELDERLY', summary } },
      );
    expect((await consult('一行目\n二行目')).errors).toBeUndefined();
    expect(refusal(await consult('見え\u2066ない'))).toMatchObject({ argument: 'summary', reason: 'INVALID_TEXT' });
    // A byte-order mark is refused where the text begins and ends too, not trimmed away unseen.
    for (const summary of ['\ufeff相談の記録', '相談の記録\ufeff', '\u000b相談の記録', '相談の記録\u2028']) {
      expect(refusal(await consult(summary)), JSON.stringify(summary)).toMatchObject({
        argument: 'summary',
        reason: 'INVALID_TEXT',
      });
    }
    expect(refusal(await register('\ufeff制御 文字'))).toMatchObject({ argument: 'name', reason: 'INVALID_TEXT' });
    // A name of invisible characters alone is empty, and the refusal names the field; other systems' free text is
    // held to the same rule.
    expect(refusal(await register('\u200b\u2060'))).toMatchObject({ argument: 'name', reason: 'EMPTY' });
    expect(refusal(await register('あ'.repeat(101)))).toMatchObject({ argument: 'name', reason: 'INVALID_LENGTH' });
    const seeker = await hub.query(
      { agency: AGENCIES.helloWorkMinamino.id },
      'mutation ($input: RegisterJobSeekerInput!) { registerJobSeeker(input: $input) { id } }',
      {
        input: {
          personId: personId.registerPerson.id,
          desiredWork: '\u202e清掃\u0007',
          preferredWorkStyles: ['SHORT_HOURS'],
        },
      },
    );
    expect(refusal(seeker)).toMatchObject({ argument: 'desiredWork', reason: 'INVALID_TEXT' });
  });

  it('an emergency declared with a reason of invisible characters alone is refused, as an empty one (INVALID_LENGTH)', async () => {
    const result = await hub.query(
      { agency: AGENCIES.minaminoEnvironment.id },
      /* GraphQL */ `
        mutation ($p: ID!, $reason: String!) {
          declareEmergency(input: { personId: $p, categories: [IDENTITY], reason: $reason }) {
            id
          }
        }
      `,
      { p: residentId('ito'), reason: '\u200b\u2060\u3000' },
    );
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'reason', reason: 'INVALID_LENGTH' });
    // A blank Braille pattern and a combining mark with nothing to sit on show nothing either.
    const braille = await hub.query(
      { agency: AGENCIES.minaminoEnvironment.id },
      'mutation ($p: ID!, $reason: String!) { declareEmergency(input: { personId: $p, categories: [IDENTITY], reason: $reason }) { id } }',
      { p: residentId('ito'), reason: '\u2800\u034f' },
    );
    expect(refusal(braille)).toMatchObject({ argument: 'reason', reason: 'INVALID_LENGTH' });
  });

  it('a consultation summary over 2000 characters is refused', async () => {
    const result = await hub.query(
      welfareAgency,
      'mutation ($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }',
      {
        input: {
          personId: residentId('watanabe'),
          channel: 'PHONE',
          agencyKind: 'ELDERLY',
          summary: 'あ'.repeat(2001),
        },
      },
    );
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'summary', reason: 'INVALID_LENGTH' });
  });

  it.each([
    [
      'recordRiskAssessment',
      'mutation ($p: ID!, $n: String) { recordRiskAssessment(input: { personId: $p, level: LOW, signs: [], note: $n }) { id } }',
    ],
    ['openDvCase', 'mutation ($p: ID!, $n: String) { openDvCase(input: { personId: $p, summary: $n }) { id } }'],
  ])('a text over its length in any subgraph says so: INVALID_LENGTH (%s)', async (_, mutation) => {
    const agency = mutation.includes('openDvCase') ? AGENCIES.midoriDvCentre.id : AGENCIES.minaminoKokoro.id;
    const result = await hub.query({ agency }, mutation, { p: residentId('watanabe'), n: 'あ'.repeat(2001) });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_LENGTH' });
  });

  it('whereabouts dated ahead are refused (IN_THE_FUTURE): they would hide every later address until that day', async () => {
    const dvCentre = { agency: AGENCIES.midoriDvCentre.id };
    const held = await hub.query<{ person: { dvCase: { id: string } } }>(
      dvCentre,
      'query ($id: ID!) { person(id: $id) { dvCase { id } } }',
      { id: residentId('suzuki-mother') },
    );
    const recordSince = (since: string, shelterName?: string) =>
      hub.query(dvCentre, 'mutation ($input: RecordWhereaboutsInput!) { recordWhereabouts(input: $input) { since } }', {
        input: {
          dvCaseId: held.data!.person.dvCase.id,
          municipalityCode: '990001',
          address: 'みなみ野市 試験町 1-1',
          since,
          shelterName,
        },
      });
    const result = await recordSince('2099-01-01');
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IN_THE_FUTURE', argument: 'since' });
    // A slip the other way (0001 for 2001) is refused too: no record goes back a hundred years.
    const ancient = await recordSince('0001-01-01');
    expect(refusal(ancient)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_FAR_IN_THE_PAST',
      argument: 'since',
    });
    // A shelter's name is a name: one line, holding nothing that does not show.
    for (const shelterName of ['シェルター\u200bＡ', 'シェルター\n二行目']) {
      expect(refusal(await recordSince('2026-01-01', shelterName))).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_TEXT',
        argument: 'shelterName',
      });
    }
    // A name's length is a name's (MAX_LINE, as the address beside it), and a code that is no municipality code
    // is told so, as registerPerson and transferDvCase tell it; neither records anything.
    expect(refusal(await recordSince('2026-01-01', 'シ'.repeat(201)))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_LENGTH',
      argument: 'shelterName',
    });
    const badCode = await hub.query(
      dvCentre,
      'mutation ($input: RecordWhereaboutsInput!) { recordWhereabouts(input: $input) { since } }',
      {
        input: {
          dvCaseId: held.data!.person.dvCase.id,
          municipalityCode: '99000',
          address: 'みなみ野市 試験町 1-1',
          since: '2026-01-01',
        },
      },
    );
    expect(refusal(badCode)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_MUNICIPALITY_CODE',
      argument: 'municipalityCode',
    });
    const formerCode = await hub.query(
      { agency: AGENCIES.midoriDvCentre.id },
      'mutation ($input: OpenDvCaseInput!) { openDvCase(input: $input) { id } }',
      { input: { personId: residentId('watanabe'), formerMunicipalityCode: 'abc' } },
    );
    expect(refusal(formerCode)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_MUNICIPALITY_CODE',
      argument: 'formerMunicipalityCode',
    });
    const whereabouts = await hub.query<{ person: { dvCase: { whereabouts: unknown[] } } }>(
      dvCentre,
      'query ($id: ID!) { person(id: $id) { dvCase { whereabouts { since } } } }',
      { id: residentId('suzuki-mother') },
    );
    expect(whereabouts.errors).toBeUndefined();
    expect(JSON.stringify(whereabouts.data)).not.toContain('2026-01-01');
  });
});
