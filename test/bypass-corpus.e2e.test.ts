// The bypass corpus: query shapes that each try to read a data category the caller has no legal basis for.
// Every case is held to the same three proofs (SECURITY.md, "Controls"):
//   1. the response carries none of the denied values (read once, at the start, as the owning agency);
//   2. the response says no: a FORBIDDEN error, or a refusal of the whole request (4xx, UNAUTHENTICATED,
//      a validation or input error);
//   3. the owning subgraph was never sent a request naming the person together with the denied field
//      (`askedFor`), or, for an attack sent straight to a subgraph, nothing executed there.
// A shape that leaks is not fixed here: it is listed with `known` and runs as `it.fails`, so the corpus
// stays green while the leak stands and turns red the day it is closed (then remove `known`).

import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCIES,
  bodyHash,
  gatewayKeys,
  generateSigningKey,
  residentId,
  SIGNATURE_HEADER,
  signSubgraphRequest,
  type DataCategory,
  type GatewayKeys,
  type SubgraphName,
} from '@hub/platform';
import { importJWK, type CryptoKey } from 'jose';
import {
  askedFor,
  convene,
  declareEmergency,
  denials,
  grantConsent,
  readAccessLog,
  revokeConsent,
} from './support/bases.js';
import { devSecret, useConnection, useTestHub } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-bypass-corpus');

const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const kokoro = AGENCIES.minaminoKokoro.id;

/** No basis for Hello Work: MENTAL_HEALTH, IDENTITY and CONTACT are denied (no consent, no meeting). */
const SATO = residentId('sato-mother');
/** A DV victim: Hello Work is given a consent for DV (not DV_LOCATION) in beforeAll. */
const SUZUKI = residentId('suzuki-mother');
/** A child of the child council, of which Hello Work is no member: CHILD_WELFARE is denied. */
const DAUGHTER = residentId('sato-daughter');
/** Allowed starting points: Hello Work is given consents for them in beforeAll. */
const WATANABE = residentId('watanabe');
const GRANDMOTHER = residentId('sato-grandmother');

type SecretGroup = 'SATO_MENTAL_HEALTH' | 'SATO_IDENTITY' | 'SUZUKI_DV_LOCATION' | 'DAUGHTER_CHILD_WELFARE';

/** The denied values, read as the owning agency before any case runs. */
const secrets: Record<SecretGroup, string[]> = {
  SATO_MENTAL_HEALTH: [],
  SATO_IDENTITY: [],
  SUZUKI_DV_LOCATION: [],
  DAUGHTER_CHILD_WELFARE: [],
};

interface Denied {
  readonly subgraph: SubgraphName;
  readonly personId: string;
  /** A field of the person's denied category, as the subgraph would be asked for it. */
  readonly field: string;
  readonly category: DataCategory;
}

interface Res {
  readonly status: number;
  readonly text: string;
  readonly json: {
    data?: unknown;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

interface Case {
  readonly name: string;
  /** An operation sent to the gateway as `as` (Hello Work unless said). */
  readonly query?: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  readonly as?: string;
  /** Or any other request, built when the case runs. */
  readonly send?: () => Promise<Res>;
  readonly denied: readonly Denied[];
  /** `forbidden`: a FORBIDDEN error; `refusal`: a FORBIDDEN error or a refusal of the whole request; `none`: allowed. */
  readonly expect: 'forbidden' | 'refusal' | 'none';
  /** Sent straight to this subgraph: proven by "nothing executed there" rather than by `askedFor`. */
  readonly direct?: SubgraphName;
  /** Also hold the response to "an unexpected error shows no internals" (message 'Internal server error'). */
  readonly expectMasked?: boolean;
  /** Enum values (e.g. RiskLevel) may legitimately appear (introspection). */
  readonly enumsMayAppear?: boolean;
  /** A known leak of personal data, or a known gap (no personal data), reported and left unfixed: `it.fails`. */
  readonly known?: { readonly kind: 'LEAK' | 'GAP'; readonly what: string };
}

const mh = (personId = SATO): Denied => ({
  subgraph: 'suicide-prevention',
  personId,
  field: 'riskAssessments',
  category: 'MENTAL_HEALTH',
});
const mhLatest = (personId = SATO): Denied => ({
  subgraph: 'suicide-prevention',
  personId,
  field: 'latestRiskLevel',
  category: 'MENTAL_HEALTH',
});
const identity = (personId = SATO): Denied => ({ subgraph: 'welfare', personId, field: 'name', category: 'IDENTITY' });
const dvLocation: Denied = { subgraph: 'child-dv', personId: SUZUKI, field: 'whereabouts', category: 'DV_LOCATION' };
const childWelfare: Denied = {
  subgraph: 'child-dv',
  personId: DAUGHTER,
  field: 'abuseReports',
  category: 'CHILD_WELFARE',
};

// --- requests -------------------------------------------------------------------------------------------

async function postGateway(body: string, authorization: string | null): Promise<Res> {
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
  const text = await response.text();
  let json: Res['json'] = {};
  try {
    json = JSON.parse(text) as Res['json'];
  } catch {
    // kept as text
  }
  return { status: response.status, text, json };
}

async function asAgency(agency: string, body: unknown): Promise<Res> {
  return postGateway(JSON.stringify(body), `Bearer ${await hub.token(agency)}`);
}

async function postSubgraph(subgraph: SubgraphName, body: string, headers: Record<string, string>): Promise<Res> {
  const response = await fetch(hub.subgraphs[subgraph].url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Res['json'] };
}

/** An `_entities` read of sato-mother's mental health, as an attacker would send it to the subgraph. */
const ENTITIES_BODY = JSON.stringify({
  query: /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Person {
          riskAssessments {
            level
            signs
            note
          }
          latestRiskLevel
        }
      }
    }
  `,
  variables: { representations: [{ __typename: 'Person', id: SATO }] },
});

const signatureFor = async (
  subgraph: SubgraphName,
  body: string,
  categories: DataCategory[],
  key?: Pick<GatewayKeys, 'privateKey' | 'kid' | 'alg'>,
) =>
  signSubgraphRequest({
    subgraph,
    key: key ?? (await gatewayKeys(hub.config.signing)),
    body,
    agencyId: helloWork,
    staffId: 'attacker',
    requestId: randomUUID(),
    categories,
  });

/** A JWT whose payload was edited without re-signing: the original signature is kept. */
async function tampered(edit: (claims: Record<string, unknown>) => void): Promise<string> {
  const [header, payload, signature] = (await hub.token(helloWork)).split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  edit(claims);
  return `Bearer ${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

const RISK_OF_SATO = `{ person(id: "${SATO}") { riskAssessments { level signs note } latestRiskLevel } }`;

const NUL = '\u0000';
const SQL_METACHARACTERS = [`' OR 1=1 --`, `${SATO}' OR '1'='1`, `"; drop table welfare.person; --`, `${SATO}${NUL}`];

// --- the corpus -----------------------------------------------------------------------------------------

const CASES: readonly Case[] = [
  {
    name: 'the plain query (baseline)',
    query: RISK_OF_SATO,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'aliases on the root field and on the denied fields',
    query: `{ p: person(id: "${SATO}") { r: riskAssessments { l: level n: note } x: latestRiskLevel } }`,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'several nested aliases of the same person',
    query: /* GraphQL */ `{
      a: person(id: "${SATO}") { x: riskAssessments { y: note z: level } }
      b: person(id: "${SATO}") { c: counselingContacts { s: summary } d: psychiatricReferrals { i: institution } }
      e: person(id: "${SATO}") { n: name k: nameKana b: birthDate a: address p: phone }
    }`,
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: "a denied field aliased under an allowed field's name (jobSeeker: riskAssessments)",
    query: `{ person(id: "${SATO}") { jobSeeker: riskAssessments { note level } placements: latestRiskLevel } }`,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'a denied field aliased as the key (id: latestRiskLevel)',
    query: `{ person(id: "${SATO}") { id: latestRiskLevel } }`,
    denied: [mhLatest()],
    expect: 'refusal',
  },
  {
    name: 'a denied field aliased as __typename',
    query: `{ person(id: "${SATO}") { __typename: latestRiskLevel riskAssessments { __typename: note } } }`,
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: '__typename alongside the denied fields, at every level',
    query: `{ __typename person(id: "${SATO}") { __typename riskAssessments { __typename note } latestRiskLevel } }`,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'a named fragment',
    query: /* GraphQL */ `
      query { person(id: "${SATO}") { ...Risk } }
      fragment Risk on Person { riskAssessments { level signs note } latestRiskLevel }
    `,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'the entity from two fragments, one spreading a third',
    query: /* GraphQL */ `
      query { person(id: "${SATO}") { id ...A ...B } }
      fragment A on Person { riskAssessments { ...C } }
      fragment B on Person { latestRiskLevel name }
      fragment C on RiskAssessment { note signs }
    `,
    denied: [mh(), mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'an inline fragment with a type condition',
    query: `{ person(id: "${SATO}") { ... on Person { riskAssessments { note } latestRiskLevel } } }`,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'inline fragments without a type condition, nested, with a directive',
    query: `{ person(id: "${SATO}") { ... { ... @include(if: true) { riskAssessments { ... { note } } } } } }`,
    denied: [mh()],
    expect: 'forbidden',
  },
  {
    name: 'an inline fragment on Query at the root',
    query: `{ ... on Query { person(id: "${SATO}") { name riskAssessments { note } } } }`,
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'a named fragment on Query at the root',
    query: /* GraphQL */ `
      query { ...Root }
      fragment Root on Query { person(id: "${SATO}") { name latestRiskLevel } }
    `,
    denied: [mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'variables for the id and for @include',
    query: `query ($id: ID!, $yes: Boolean!) { person(id: $id) { riskAssessments @include(if: $yes) { note } name } }`,
    variables: { id: SATO, yes: true },
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: "a variable's default value as the id (no variables sent)",
    query: `query ($id: ID! = "${SATO}") { person(id: $id) { name nameKana latestRiskLevel } }`,
    denied: [identity(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: '@include(if: true) and @skip(if: false) literals',
    query: `{ person(id: "${SATO}") { riskAssessments @include(if: true) { note } latestRiskLevel @skip(if: false) name @skip(if: false) } }`,
    denied: [mh(), mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'deep nesting: an allowed person’s household members',
    query: `{ person(id: "${GRANDMOTHER}") { name household { members { id name riskAssessments { note level } latestRiskLevel } } } }`,
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'deeper nesting: household of a household member, through aliases',
    query: `{ g: person(id: "${GRANDMOTHER}") { h: household { m: members { h2: household { m2: members { r: riskAssessments { note } n: name } } } } } }`,
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'the same entity through two paths: person and people',
    query: `{ person(id: "${SATO}") { latestRiskLevel } people(ids: ["${SATO}"]) { riskAssessments { note } name } }`,
    denied: [mh(), mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'person twice with different aliases, one asking only what is allowed',
    query: `{ ok: person(id: "${SATO}") { jobSeeker { status } } no: person(id: "${SATO}") { jobSeeker { status } riskAssessments { note } } }`,
    denied: [mh()],
    expect: 'forbidden',
  },
  {
    name: 'people(ids:) with the denied id repeated',
    query: `{ people(ids: ["${SATO}", "${SATO}", "${SATO}"]) { riskAssessments { note } latestRiskLevel name } }`,
    denied: [mh(), mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'people(ids:) mixing allowed and denied ids',
    query: `query ($ids: [ID!]!) { people(ids: $ids) { id name riskAssessments { note level } } }`,
    variables: { ids: [WATANABE, SATO, GRANDMOTHER, SATO, WATANABE] },
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'people(ids:) given one string literal instead of a list (list input coercion)',
    query: `{ people(ids: "${SATO}") { name riskAssessments { note } } }`,
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'people(ids: $ids) given one string instead of a list in the variables',
    query: `query ($ids: [ID!]!) { people(ids: $ids) { name riskAssessments { note } } }`,
    variables: { ids: SATO },
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: "people(ids: $ids) with the ids only in the variable's default value",
    query: `query ($ids: [ID!]! = ["${SATO}"]) { people(ids: $ids) { name latestRiskLevel } }`,
    denied: [mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'people(ids: [$id]) with a variable inside a list literal',
    query: `query ($id: ID!) { people(ids: ["${WATANABE}", $id]) { name riskAssessments { note } } }`,
    variables: { id: SATO },
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'a batched request (JSON array body)',
    send: async () =>
      postGateway(
        JSON.stringify([{ query: '{ jobOpenings(first: 1) { id } }' }, { query: RISK_OF_SATO }]),
        `Bearer ${await hub.token(helloWork)}`,
      ),
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: '_entities through the gateway',
    query: `{ _entities(representations: [{ __typename: "Person", id: "${SATO}" }]) { ... on Person { riskAssessments { note } } } }`,
    denied: [mh()],
    expect: 'refusal',
  },
  {
    name: '_entities sent straight to the subgraph, unsigned (x-hub-agency headers of the owner)',
    send: () =>
      postSubgraph('suicide-prevention', ENTITIES_BODY, { 'x-hub-agency': kokoro, 'x-hub-staff': 'attacker' }),
    direct: 'suicide-prevention',
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: '_entities straight to the subgraph with a stolen but expired gateway signature',
    send: async () => {
      const gateway = await gatewayKeys(hub.config.signing);
      const now = Math.floor(Date.now() / 1000);
      const stolen = await new SignJWT({
        bh: bodyHash(ENTITIES_BODY),
        agency: kokoro,
        rid: randomUUID(),
        cat: ['MENTAL_HEALTH'],
      })
        .setProtectedHeader({ alg: gateway.alg, kid: gateway.kid, typ: 'hub-subgraph+jwt' })
        .setIssuer('hub-gateway')
        .setAudience('suicide-prevention')
        .setSubject('staff')
        .setIssuedAt(now - 120)
        .setExpirationTime(now - 90)
        .setJti(randomUUID())
        .sign(gateway.privateKey);
      return postSubgraph('suicide-prevention', ENTITIES_BODY, { [SIGNATURE_HEADER]: stolen });
    },
    direct: 'suicide-prevention',
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: 'a replayed gateway signature (the captured request sent again)',
    send: async () => {
      // The capture: a request the gateway signed for the owning agency, answered once.
      const captured = await signatureFor('suicide-prevention', ENTITIES_BODY, ['MENTAL_HEALTH']);
      const first = await postSubgraph('suicide-prevention', ENTITIES_BODY, { [SIGNATURE_HEADER]: captured });
      expect(first.status).toBe(200);
      hub.forget();
      statementsBefore = hub.statements()['suicide-prevention']!;
      return postSubgraph('suicide-prevention', ENTITIES_BODY, { [SIGNATURE_HEADER]: captured });
    },
    direct: 'suicide-prevention',
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: 'a captured signature of a harmless request put on the denied body',
    send: async () => {
      const harmless = JSON.stringify({ query: '{ counselingWindows(first: 1) { id } }' });
      const captured = await signatureFor('suicide-prevention', harmless, []);
      return postSubgraph('suicide-prevention', ENTITIES_BODY, { [SIGNATURE_HEADER]: captured });
    },
    direct: 'suicide-prevention',
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: "a key made on a compromised subgraph's host, claiming the gateway's kid, signing for suicide-prevention",
    send: async () => {
      const { privateJwk } = generateSigningKey('EdDSA');
      const own = (await importJWK(privateJwk, 'EdDSA')) as CryptoKey;
      const { kid } = await gatewayKeys(hub.config.signing);
      const forged = await signatureFor('suicide-prevention', ENTITIES_BODY, ['MENTAL_HEALTH'], {
        privateKey: own,
        kid,
        alg: 'EdDSA',
      });
      return postSubgraph('suicide-prevention', ENTITIES_BODY, { [SIGNATURE_HEADER]: forged });
    },
    direct: 'suicide-prevention',
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: 'a valid signature that does not list MENTAL_HEALTH (category guard)',
    send: async () => {
      const signature = await signatureFor('suicide-prevention', ENTITIES_BODY, ['EMPLOYMENT']);
      return postSubgraph('suicide-prevention', ENTITIES_BODY, { [SIGNATURE_HEADER]: signature });
    },
    direct: 'suicide-prevention',
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: 'a JWT whose agency was changed to the owner without re-signing',
    send: async () =>
      postGateway(JSON.stringify({ query: RISK_OF_SATO }), await tampered((c) => (c['agency'] = kokoro))),
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: "a JWT given roles: ['auditor'] without re-signing",
    send: async () =>
      postGateway(
        JSON.stringify({ query: `{ accessLog(personId: "${SATO}") { edges { node { categories } } } }` }),
        await tampered((c) => (c['roles'] = ['auditor', 'hub-admin'])),
      ),
    denied: [mh()],
    expect: 'refusal',
  },
  {
    name: "an unsigned JWT (alg: none) naming the owner's agency",
    send: async () => {
      const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        sub: 'x',
        agency: kokoro,
        iss: hub.config.auth.issuer,
        aud: hub.config.auth.audience,
        iat: now,
        exp: now + 600,
      };
      return postGateway(
        JSON.stringify({ query: RISK_OF_SATO }),
        `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`,
      );
    },
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: "a stolen, expired JWT of the owner's agency",
    send: async () => {
      const now = Math.floor(Date.now() / 1000);
      const stolen = await new SignJWT({ agency: kokoro })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(hub.config.auth.issuer)
        .setAudience(hub.config.auth.audience)
        .setSubject('staff')
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(new TextEncoder().encode(devSecret(hub.config)));
      return postGateway(JSON.stringify({ query: RISK_OF_SATO }), `Bearer ${stolen}`);
    },
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: 'SQL metacharacters and NUL bytes in person(id:)',
    send: async () => {
      const results = await Promise.all(
        SQL_METACHARACTERS.map((id) =>
          asAgency(helloWork, {
            query: 'query ($id: ID!) { person(id: $id) { name riskAssessments { note } } }',
            variables: { id },
          }),
        ),
      );
      return combine(results);
    },
    denied: [mh(), identity()],
    expect: 'refusal',
  },
  {
    name: 'SQL metacharacters and NUL bytes mixed with the denied id in people(ids:)',
    query: `query ($ids: [ID!]!) { people(ids: $ids) { name riskAssessments { note } latestRiskLevel } }`,
    variables: { ids: [...SQL_METACHARACTERS, SATO] },
    denied: [mh(), mhLatest(), identity()],
    expect: 'refusal',
  },
  {
    name: 'SQL metacharacters and NUL bytes in the string inputs of a cross-domain mutation',
    query: /* GraphQL */ `
      mutation ($input: RecordRiskAssessmentInput!) {
        recordRiskAssessment(input: $input) {
          id
          note
          person {
            latestRiskLevel
            riskAssessments {
              note
            }
          }
        }
      }
    `,
    variables: {
      input: { personId: `${SATO}' OR 1=1 --`, level: 'LOW', signs: [], note: `"; drop table x; --${NUL}` },
    },
    denied: [mh(), mhLatest()],
    expect: 'refusal',
  },
  {
    name: "SQL metacharacters and NUL bytes in an own-domain mutation's strings, then the denied read",
    send: async () => {
      const write = await asAgency(helloWork, {
        query: /* GraphQL */ `
          mutation ($input: RegisterJobSeekerInput!) {
            registerJobSeeker(input: $input) {
              id
              desiredWork
            }
          }
        `,
        variables: {
          input: {
            personId: SATO,
            desiredWork: `'; drop table suicide_prevention.risk_assessment; -- ${NUL} " OR 1=1`,
            preferredWorkStyles: ['PART_TIME'],
          },
        },
      });
      return combine([write, await asAgency(helloWork, { query: RISK_OF_SATO })]);
    },
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'a NUL byte in a string input: the database error reaching the client is masked',
    query: `query ($ids: [ID!]!) { people(ids: $ids) { name riskAssessments { note } } }`,
    variables: { ids: [`${SATO}${NUL}`, SATO] },
    denied: [mh(), identity()],
    expect: 'refusal',
    expectMasked: true,
  },
  {
    name: 'a 100 KB id, and the denied id behind it',
    query: `query ($id: ID!, $ids: [ID!]!) { person(id: $id) { name latestRiskLevel } people(ids: $ids) { riskAssessments { note } } }`,
    variables: { id: `${SATO}${'a'.repeat(100_000)}`, ids: ['b'.repeat(100_000), SATO] },
    denied: [mh(), mhLatest(), identity()],
    expect: 'refusal',
  },
  {
    name: 'the denied id in upper case',
    query: `{ person(id: "${SATO.toUpperCase()}") { name riskAssessments { note } latestRiskLevel } }`,
    denied: [mh(), mhLatest(), identity(), mh(SATO.toUpperCase()), identity(SATO.toUpperCase())],
    expect: 'refusal',
  },
  {
    name: 'wrong scalar types: an Int for the id list, an object for a string, a list for an id',
    send: async () =>
      combine(
        await Promise.all([
          asAgency(helloWork, { query: '{ people(ids: 12345) { name riskAssessments { note } } }' }),
          asAgency(helloWork, {
            query: 'query ($ids: [ID!]!) { people(ids: $ids) { name riskAssessments { note } } }',
            variables: { ids: [{ id: SATO }] },
          }),
          asAgency(helloWork, {
            query: 'query ($id: ID!) { person(id: $id) { name riskAssessments { note } } }',
            variables: { id: [SATO] },
          }),
          asAgency(helloWork, { query: `{ person(id: { id: "${SATO}" }) { name latestRiskLevel } }` }),
          asAgency(helloWork, {
            query: 'query ($id: ID!) { person(id: $id) { name riskAssessments { note } } }',
            variables: { id: { toString: SATO, valueOf: SATO } },
          }),
        ]),
      ),
    denied: [mh(), identity()],
    expect: 'refusal',
  },
  {
    name: 'an operationName selecting the second operation of the document',
    query: /* GraphQL */ `
      query Harmless { jobOpenings(first: 1) { id } }
      query Risky { person(id: "${SATO}") { riskAssessments { note } name } }
    `,
    operationName: 'Risky',
    denied: [mh(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'an operationName selecting the harmless operation: the other is never run',
    query: /* GraphQL */ `
      query Risky { person(id: "${SATO}") { riskAssessments { note } name } }
      query Harmless { jobOpenings(first: 1) { id } }
    `,
    operationName: 'Harmless',
    denied: [mh(), identity()],
    expect: 'none',
  },
  {
    name: "a mutation to another domain's subgraph, selecting the person's denied fields",
    query: /* GraphQL */ `
      mutation {
        recordRiskAssessment(input: { personId: "${SATO}", level: LOW, signs: [] }) {
          id note person { name latestRiskLevel riskAssessments { note } }
        }
      }
    `,
    denied: [mh(), mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: "recordWhereabouts (another domain's mutation) to read a DV victim's whereabouts",
    query: /* GraphQL */ `
      mutation {
        recordWhereabouts(input: { dvCaseId: "${randomUUID()}", municipalityCode: "990001", address: "x", since: "2026-01-01" }) {
          address shelterName
        }
      }
    `,
    denied: [dvLocation],
    expect: 'forbidden',
  },
  {
    name: 'DV_LOCATION nested in an allowed DV case (consent for DV only)',
    query: `{ person(id: "${SUZUKI}") { dvCase { status summary whereabouts { address shelterName since } } } }`,
    denied: [dvLocation],
    expect: 'forbidden',
  },
  {
    name: 'DV_LOCATION through fragments and aliases inside the allowed DV case',
    query: /* GraphQL */ `
      query { p: person(id: "${SUZUKI}") { d: dvCase { ...W } } }
      fragment W on DvCase { status w: whereabouts { ... on ProtectedWhereabouts { a: address } s: shelterName } }
    `,
    denied: [dvLocation],
    expect: 'forbidden',
  },
  {
    name: 'recordAbuseReport (any agency may file) answers a receipt: selecting the child’s records through it',
    query: /* GraphQL */ `
      mutation {
        recordAbuseReport(input: { personId: "${DAUGHTER}", kind: NEGLECT, urgency: ROUTINE, receivingAgencyId: "${AGENCIES.minaminoChildSupport.id}", summary: "試験" }) {
          receiptNumber
          person { abuseReports { summary reportedAt } childWelfareCases { summary openedAt } }
        }
      }
    `,
    denied: [childWelfare],
    expect: 'refusal',
  },
  {
    name: 'recordAbuseReport’s receipt, filed about a DV victim, with every receipt field: no whereabouts, no case',
    query: /* GraphQL */ `
      mutation {
        recordAbuseReport(input: { personId: "${SUZUKI}", kind: DV_DANGER, urgency: ROUTINE, receivingAgencyId: "${AGENCIES.midoriDvCentre.id}" }) {
          receiptNumber receivedAt receivingAgencyId status __typename
        }
      }
    `,
    denied: [dvLocation],
    expect: 'none',
  },
  {
    name: 'another domain reads the CHILD_DV urgent-report queue, reaching persons and their whereabouts',
    query: /* GraphQL */ `
      {
        urgentReports {
          id
          summary
          kind
          person {
            abuseReports {
              summary
            }
            riskAssessments {
              note
            }
            dvCase {
              whereabouts {
                address
              }
            }
          }
        }
      }
    `,
    denied: [childWelfare, mh(), dvLocation],
    expect: 'forbidden',
  },
  {
    name: 'recordJointScreening from a domain the rule does not name, returning the person’s mental health',
    query: /* GraphQL */ `
      mutation {
        recordJointScreening(input: { personId: "${SATO}", coAssessorAgencyId: "${kokoro}", level: LOW, signs: [] }) {
          id note person { name latestRiskLevel riskAssessments { note } }
        }
      }
    `,
    denied: [mh(), mhLatest(), identity()],
    expect: 'forbidden',
  },
  {
    name: 'recordJointScreening by the collaborator without a basis for the person, returning their mental health',
    as: collaborator,
    query: /* GraphQL */ `
      mutation {
        recordJointScreening(input: { personId: "${SATO}", coAssessorAgencyId: "${kokoro}", level: LOW, signs: [] }) {
          id note person { latestRiskLevel riskAssessments { note } }
        }
      }
    `,
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
  {
    name: 'transferDvCase by another domain, returning the DV victim’s whereabouts',
    query: /* GraphQL */ `
      mutation {
        transferDvCase(input: { personId: "${SUZUKI}", toAgencyId: "${helloWork}" }) {
          agencyId whereabouts { address shelterName since }
        }
      }
    `,
    denied: [dvLocation],
    expect: 'forbidden',
  },
  {
    name: 'transferDvCase by the DV centre without the consent, hidden in an inline fragment on Mutation',
    as: AGENCIES.midoriDvCentre.id,
    query: /* GraphQL */ `
      mutation {
        ... on Mutation {
          transferDvCase(input: { personId: "${SUZUKI}", toAgencyId: "${AGENCIES.higashiyamaWelfare.id}" }) {
            agencyId whereabouts { address }
          }
        }
      }
    `,
    denied: [dvLocation],
    expect: 'forbidden',
  },
  {
    name: 'transferDvCase by the DV centre without the consent, through a named fragment and an alias',
    as: AGENCIES.midoriDvCentre.id,
    query: /* GraphQL */ `
      mutation { ...Move }
      fragment Move on Mutation {
        moved: transferDvCase(input: { personId: "${SUZUKI}", toAgencyId: "${AGENCIES.higashiyamaWelfare.id}" }) {
          agencyId whereabouts { address }
        }
      }
    `,
    denied: [dvLocation],
    expect: 'forbidden',
  },
  {
    name: '__schema and __type introspection (development): no personal data',
    query: /* GraphQL */ `{
      __schema { types { name fields { name description } enumValues { name } } }
      __type(name: "Person") { fields { name description } }
      person(id: "${SATO}") { __typename }
    }`,
    denied: [mh(), identity()],
    expect: 'none',
    enumsMayAppear: true,
  },
  {
    name: 'an agency of another domain records a consent to itself (self-granted basis), then reads',
    as: silver,
    send: async () => {
      const granted = await asAgency(silver, {
        query: /* GraphQL */ `
          mutation ($input: GrantConsentInput!) {
            grantConsent(input: $input) {
              id
            }
          }
        `,
        variables: {
          input: {
            personId: SATO,
            recipientAgencyIds: [silver],
            categories: ['MENTAL_HEALTH'],
            purpose: '就業支援',
            validFrom: new Date(Date.now() - 60_000).toISOString(),
            validUntil: new Date(Date.now() + 86_400_000).toISOString(),
            method: 'ORAL',
          },
        },
      });
      return combine([granted, await asAgency(silver, { query: RISK_OF_SATO })]);
    },
    denied: [mh(), mhLatest()],
    expect: 'forbidden',
  },
];

/** Several responses judged as one: every text, the worst status, every error. */
function combine(results: readonly Res[]): Res {
  return {
    status: Math.max(...results.map((r) => r.status)),
    text: results.map((r) => r.text).join('\n'),
    json: { data: results.map((r) => r.json.data ?? null), errors: results.flatMap((r) => r.json.errors ?? []) },
  };
}

/** Set by a case that must exclude its own set-up from "nothing executed". */
let statementsBefore: number | undefined;

const REFUSALS = new Set([
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

async function run(c: Case): Promise<Res> {
  if (c.send) return c.send();
  return asAgency(c.as ?? helloWork, {
    query: c.query,
    ...(c.variables ? { variables: c.variables } : {}),
    ...(c.operationName ? { operationName: c.operationName } : {}),
  });
}

async function check(c: Case): Promise<void> {
  statementsBefore = undefined;
  const before = c.direct ? hub.statements()[c.direct]! : 0;
  hub.forget();
  const response = await run(c);
  const detail = `${c.name}\n${response.status} ${response.text.slice(0, 2_000)}`;

  // 1. No denied value in the response, in any form.
  const text = JSON.stringify(response.json) + response.text;
  for (const group of Object.keys(secrets) as SecretGroup[]) {
    for (const secret of secrets[group]) {
      if (c.enumsMayAppear && /^[A-Z_]+$/.test(secret)) continue;
      expect(text.includes(JSON.stringify(secret).slice(1, -1)), `${group} value "${secret}" leaked: ${detail}`).toBe(
        false,
      );
    }
  }

  // 2. A FORBIDDEN error, or a refusal of the whole request.
  const errors = response.json.errors ?? [];
  if (c.expect === 'forbidden') {
    expect(denials(errors).length, detail).toBeGreaterThan(0);
  } else if (c.expect === 'refusal') {
    const refused =
      response.status >= 400 ||
      errors.some((e) => REFUSALS.has(String(e.extensions?.['code'] ?? ''))) ||
      // Failing closed on an unexpected error is a refusal too.
      (response.json.data == null && errors.some((e) => e.extensions?.['code'] === 'INTERNAL_SERVER_ERROR'));
    expect(refused, detail).toBe(true);
  }
  // Whatever went wrong, a client sees no internals.
  if (c.expectMasked)
    for (const e of errors.filter((e) => e.extensions?.['code'] === 'INTERNAL_SERVER_ERROR'))
      expect(e.message, detail).toBe('Internal server error');

  // 3. The owner was never asked for the denied field of the person; or, straight to it, nothing ran.
  if (c.direct) {
    expect(response.status, detail).toBeGreaterThanOrEqual(c.name.includes('category guard') ? 200 : 401);
    expect(response.json.data ?? null, detail).toBeNull();
    expect(hub.statements()[c.direct], detail).toBe(statementsBefore ?? before);
  } else {
    for (const d of c.denied) {
      expect(askedFor(hub, d.subgraph, d.personId, d.field), `${d.subgraph} was asked for ${d.field}: ${detail}`).toBe(
        false,
      );
    }
  }
}

/** Every string a response holds, with the ids and codes that are not the person's data left out. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

async function readAsOwner(agency: string, query: string): Promise<string[]> {
  const result = await hub.query(agency === '' ? { agency: kokoro } : { agency }, query);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return [
    ...new Set(
      strings(result.data).filter(
        (s) => s.length >= 4 && !/^[0-9a-f-]{36}$/i.test(s) && !/^[a-z0-9-]+$/.test(s) && s !== 'Person',
      ),
    ),
  ];
}

beforeAll(async () => {
  secrets.SATO_MENTAL_HEALTH = await readAsOwner(
    kokoro,
    `{ person(id: "${SATO}") { riskAssessments { assessedAt level signs note } counselingContacts { contactedAt summary } psychiatricReferrals { referredAt institution } latestRiskLevel } }`,
  );
  secrets.SATO_IDENTITY = await readAsOwner(
    AGENCIES.minaminoWelfare.id,
    `{ person(id: "${SATO}") { name nameKana birthDate address phone } }`,
  );
  secrets.SUZUKI_DV_LOCATION = await readAsOwner(
    AGENCIES.midoriDvCentre.id,
    `{ person(id: "${SUZUKI}") { dvCase { whereabouts { address shelterName since } } } }`,
  );
  secrets.DAUGHTER_CHILD_WELFARE = await readAsOwner(
    AGENCIES.minaminoChildSupport.id,
    `{ person(id: "${DAUGHTER}") { childWelfareCases { summary openedAt } abuseReports { summary reportedAt } } }`,
  );
  for (const group of Object.keys(secrets) as SecretGroup[]) expect(secrets[group].length, group).toBeGreaterThan(1);

  // The allowed starting points, and the DV case Hello Work may read (but not its whereabouts).
  await grantConsent(hub, collaborator, {
    personId: WATANABE,
    recipientAgencyIds: [helloWork],
    categories: ['IDENTITY', 'MENTAL_HEALTH'],
  });
  await grantConsent(hub, collaborator, {
    personId: GRANDMOTHER,
    recipientAgencyIds: [helloWork],
    categories: ['IDENTITY', 'WELFARE_CASE', 'MENTAL_HEALTH'],
  });
  await grantConsent(hub, AGENCIES.midoriDvCentre.id, {
    personId: SUZUKI,
    recipientAgencyIds: [helloWork],
    categories: ['DV'],
  });
});

describe('the bypass corpus', () => {
  it('has at least 30 shapes', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.filter((c) => !c.known))('$name', check, 30_000);

  const leaks = CASES.filter((c) => c.known?.kind === 'LEAK');
  if (leaks.length) it.fails.each(leaks)('KNOWN LEAK (see known.what): $name', check, 30_000);
  const gaps = CASES.filter((c) => c.known?.kind === 'GAP');
  if (gaps.length) it.fails.each(gaps)('KNOWN GAP, no personal data (see known.what): $name', check, 30_000);
});

// ---------------------------------------------------------------------------------------------------------
// Insiders: an agency of the hub trying to make its own basis, in every way the API allows (CONTRACT.md v2).
// Each attempt is refused (or opens nothing), the owning subgraph is never asked, and the refusal of the
// read it was made for is in the person's access log.

describe('the bypass corpus: insiders', () => {
  const welfare = AGENCIES.minaminoWelfare.id;
  const otherTown = AGENCIES.higashiyamaWelfare.id;
  const dvCentre = AGENCIES.midoriDvCentre.id;
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';
  const RISK = /* GraphQL */ `
    query ($id: ID!) {
      person(id: $id) {
        riskAssessments {
          level
        }
      }
    }
  `;

  it('a consent an agency records naming itself opens nothing its domain does not hold (CONSENT_NOT_CONFIRMED), logged', async () => {
    const person = residentId('kimura');
    await grantConsent(hub, welfare, {
      personId: person,
      recipientAgencyIds: [welfare],
      categories: ['MENTAL_HEALTH'],
      confirmBy: false,
    });
    hub.forget();
    const result = await hub.query<{ person: { riskAssessments: unknown } }>({ agency: welfare }, RISK, {
      id: person,
    });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)).toContainEqual(
      expect.objectContaining({ category: 'MENTAL_HEALTH', reason: 'CONSENT_NOT_CONFIRMED' }),
    );
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
    expect(await readAccessLog(hub, person)).toContainEqual(
      expect.objectContaining({ agency: { id: welfare }, allowed: false, reason: 'CONSENT_NOT_CONFIRMED' }),
    );
  });

  it('a consent naming DV_LOCATION is recorded only by the DV side (NOT_THE_HOLDER), and nothing is recorded', async () => {
    const result = await hub.query({ agency: welfare }, GRANT_DV_LOCATION, { personId: SUZUKI, recipient: welfare });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_THE_HOLDER' });
    const listed = await hub.query<{ consents: { categories: string[] }[] }>(
      { agency: welfare },
      `{ consents(personId: "${SUZUKI}") { categories } }`,
    );
    expect(listed.data!.consents.filter((c) => c.categories.includes('DV_LOCATION'))).toEqual([]);
  });

  it('a meeting an agency convenes over anyone shares nothing its members do not hold (CATEGORY_NOT_SHARED), logged', async () => {
    const person = residentId('hayashi');
    await convene(hub, welfare, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH', 'CHILD_WELFARE', 'DV', 'EMPLOYMENT', 'SENIOR_WORK'],
      holdersJoin: false,
    });
    hub.forget();
    const result = await hub.query<{ person: { riskAssessments: unknown } }>({ agency: welfare }, RISK, {
      id: person,
    });
    expect(denials(result.errors)).toContainEqual(
      expect.objectContaining({ category: 'MENTAL_HEALTH', reason: 'CATEGORY_NOT_SHARED' }),
    );
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
    expect(await readAccessLog(hub, person)).toContainEqual(
      expect.objectContaining({ agency: { id: welfare }, allowed: false, reason: 'CATEGORY_NOT_SHARED' }),
    );
  });

  it('a meeting over a resident of another municipality is not convened (OUTSIDE_JURISDICTION)', async () => {
    const result = await hub.query({ agency: otherTown }, CONVENE_OVER, { personId: residentId('hayashi') });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
  });

  it('own domain stops at the jurisdiction’s edge: the other town’s office is answered as for an id that names no one', async () => {
    hub.forget();
    const ask = (id: string) =>
      hub.query({ agency: otherTown }, `{ person(id: "${id}") { id phone household { summary } } }`);
    const resident = await ask(SUZUKI);
    expect(resident).toEqual(await ask(UNKNOWN));
    expect(resident.data).toEqual({ person: null });
    expect(hub.received('welfare')).toHaveLength(0);
    const log = await hub.query({ agency: otherTown }, `{ accessLog(personId: "${SUZUKI}") { edges { cursor } } }`);
    expect(log.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('an agency a consent names is told why it is refused, even outside its jurisdiction; one it does not name, nothing', async () => {
    const person = residentId('kimura');
    const consentId = await grantConsent(hub, welfare, {
      personId: person,
      recipientAgencyIds: [AGENCIES.higashiyamaDv.id],
      categories: ['EMPLOYMENT'],
      confirmBy: false,
    });
    const ask = (agency: string, id = person) =>
      hub.query<{ person: { jobSeeker: unknown } | null }>(
        { agency },
        `{ person(id: "${id}") { jobSeeker { status } } }`,
      );
    hub.forget();
    const awaiting = await ask(AGENCIES.higashiyamaDv.id);
    expect(awaiting.data).toEqual({ person: { jobSeeker: null } });
    expect(denials(awaiting.errors)).toEqual([
      { category: 'EMPLOYMENT', reason: 'CONSENT_NOT_CONFIRMED', personId: person, path: ['person', 'jobSeeker'] },
    ]);
    await revokeConsent(hub, welfare, consentId);
    const revoked = await ask(AGENCIES.higashiyamaDv.id);
    expect(denials(revoked.errors).map((d) => d.reason)).toEqual(['CONSENT_REVOKED']);
    // The other town's welfare office is named in no record about her: she is no one to it.
    const unnamed = await ask(otherTown);
    expect(unnamed).toEqual(await ask(otherTown, UNKNOWN));
    expect(unnamed.data).toEqual({ person: null });
    expect(askedFor(hub, 'employment', person, 'jobSeeker')).toBe(false);
  });

  it('a referral’s reason is its two ends’ own record: the receiver keeps it when the consent goes, not the person’s data', async () => {
    const person = residentId('yamazaki');
    const consentId = await grantConsent(hub, welfare, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const referred = await hub.query<{ createReferral: { id: string } }>({ agency: welfare }, REFER, {
      input: { personId: person, toAgencyId: helloWork, categories: ['WELFARE_CASE'], reason: '就労体験の希望' },
    });
    expect(referred.errors).toBeUndefined();
    const id = referred.data!.createReferral.id;
    type Read = { referral: { reason: string | null; person: { cases: unknown[] | null } } };
    const read = () => hub.query<Read>({ agency: helloWork }, READ_REFERRAL, { id });
    const during = await read();
    expect(during.errors).toBeUndefined();
    expect(during.data!.referral.reason).toBe('就労体験の希望');
    expect(during.data!.referral.person.cases).not.toBeNull();
    await revokeConsent(hub, welfare, consentId);
    hub.forget();
    const after = await read();
    expect(after.data!.referral.reason).toBe('就労体験の希望');
    expect(after.data!.referral.person.cases).toBeNull();
    expect(denials(after.errors)).toEqual([
      {
        category: 'WELFARE_CASE',
        reason: 'CONSENT_REVOKED',
        personId: person,
        path: ['referral', 'person', 'cases'],
      },
    ]);
    expect(askedFor(hub, 'welfare', person, 'cases')).toBe(false);
    // A third agency is told there is no such referral.
    const third = await hub.query<Read>({ agency: AGENCIES.minaminoSilver.id }, READ_REFERRAL, { id });
    expect(third.data!.referral).toBeNull();
  });

  it('a DV transfer’s consent is DV_LOCATION: other agencies are not shown where she went', async () => {
    const granted = await hub.query({ agency: dvCentre }, GRANT_DV_LOCATION, {
      personId: SUZUKI,
      recipient: AGENCIES.higashiyamaDv.id,
    });
    expect(granted.errors).toBeUndefined();
    const listed = await hub.query<{
      consents: { recipients: { id: string }[] | null; recipientAgencyIds: string[] | null }[];
    }>({ agency: welfare }, `{ consents(personId: "${SUZUKI}") { recipients { id } recipientAgencyIds } }`);
    const consents = listed.data!.consents ?? [];
    const named = consents.flatMap((c) => c.recipients ?? []).map((a) => a.id);
    expect(named).not.toContain(AGENCIES.higashiyamaDv.id);
    expect(consents.flatMap((c) => c.recipientAgencyIds ?? [])).not.toContain(AGENCIES.higashiyamaDv.id);
  });

  it('an emergency declaration and its reason are for auditors and the declarer only; an auditor closes its review', async () => {
    const declared = await declareEmergency(hub, kokoro, residentId('ikeda'), ['IDENTITY']);
    const ids = async (as: { agency: string } | { authorization: string }, review = '') =>
      (
        await hub.query<{ emergencyAccesses: { id: string; reason: string }[] }>(
          as,
          `{ emergencyAccesses${review} { id reason } }`,
        )
      ).data!.emergencyAccesses.map((e) => e.id);
    const auditor = { authorization: `Bearer ${await hub.token(welfare, { roles: ['auditor'] })}` };
    expect(await ids({ agency: welfare })).not.toContain(declared);
    expect(await ids({ agency: kokoro })).toContain(declared);
    expect(await ids(auditor, '(review: PENDING)')).toContain(declared);
    const REVIEW = `mutation ($id: ID!) { reviewEmergency(id: $id, outcome: JUSTIFIED, note: "切迫") { id } }`;
    const refused = await hub.query({ agency: welfare }, REVIEW, { id: declared });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await hub.query(auditor, REVIEW, { id: declared })).errors).toBeUndefined();
    expect(await ids(auditor, '(review: PENDING)')).not.toContain(declared);
  });

  it('what a mutation of the caller’s own domain returns about a person is in the access log', async () => {
    const person = residentId('mori');
    const recorded = await hub.query<{ recordConsultation: { person: { name: string } } }>(
      { agency: welfare },
      /* GraphQL */ `
        mutation ($input: RecordConsultationInput!) {
          recordConsultation(input: $input) {
            person {
              name
              address
            }
          }
        }
      `,
      { input: { personId: person, channel: 'VISIT', agencyKind: 'ELDERLY', summary: '相談' } },
    );
    expect(recorded.errors).toBeUndefined();
    const entry = (await readAccessLog(hub, person)).find((e) => e.agency.id === welfare && e.allowed)!;
    expect(entry).toMatchObject({ basis: 'OWN_DOMAIN' });
    expect(entry.categories).toEqual(expect.arrayContaining(['IDENTITY', 'CONTACT']));
  });

  it('X-Hub-Purpose is recorded as the caller meant it, raw or percent-encoded; over 500 characters nothing is read', async () => {
    const person = residentId('abe');
    const send = (purpose: string) =>
      fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-hub-purpose': purpose,
        },
        body: JSON.stringify({ query: `{ person(id: "${person}") { name } }` }),
      });
    const token = await hub.token(welfare);
    // fetch refuses non-latin1 header values: the raw UTF-8 bytes go as they would from any other client.
    const raw = Buffer.from('支援プラン作成', 'utf8').toString('latin1');
    expect((await send(raw)).status).toBe(200);
    expect((await send(encodeURIComponent('就労支援の調整'))).status).toBe(200);
    // A % that begins no valid %XX sequence is text; exactly 500 characters (counted decoded) are accepted.
    expect((await send('100% review')).status).toBe(200);
    const atLimit = '会'.repeat(500);
    expect((await send(encodeURIComponent(atLimit))).status).toBe(200);
    const purposes = (await readAccessLog(hub, person)).map((e) => e.purpose);
    expect(purposes).toContain('支援プラン作成');
    expect(purposes).toContain('就労支援の調整');
    expect(purposes).toContain('100% review');
    expect(purposes).toContain(atLimit);
    const before = (await readAccessLog(hub, person)).length;
    const tooLong = await send('x'.repeat(501));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect((await readAccessLog(hub, person)).length).toBe(before);
  });

  it('an X-Hub-Purpose far over 500 characters is refused as any over 500 (PURPOSE_TOO_LONG); headers over 64 KiB get 431 in the same error shape', async () => {
    const token = await hub.token(welfare);
    const send = (headers: Record<string, string>) =>
      fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
        body: JSON.stringify({ query: '{ agencies { id } }' }),
      });
    const long = await send({ 'x-hub-purpose': encodeURIComponent('支'.repeat(2_000)) });
    expect(long.status).toBe(400);
    expect((await long.json()).errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'PURPOSE_TOO_LONG' });
    const huge = await send({ 'x-hub-purpose': 'x'.repeat(70_000) });
    expect(huge.status).toBe(431);
    expect(huge.headers.get('content-type')).toContain('application/json');
    expect(await huge.json()).toEqual({
      errors: [
        {
          message: 'The request headers are too large',
          extensions: { code: 'BAD_REQUEST', reason: 'HEADERS_TOO_LARGE' },
        },
      ],
    });
  });

  it('X-Hub-Purpose holding a control character (a NUL, a line break) or a bidi override is refused with 400 and nothing is done', async () => {
    const token = await hub.token(welfare);
    const register = (purpose: string) =>
      fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-hub-purpose': purpose },
        body: JSON.stringify({
          query: `mutation { registerPerson(input: { name: "制御 文字", nameKana: "セイギョ", birthDate: "1970-01-01", municipalityCode: "990001" }) { id } }`,
        }),
      });
    const people = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from welfare.person`)[0]!.n;
    const before = await people();
    for (const purpose of ['a%00b', 'line%0Abreak', encodeURIComponent('支援\u202e作成')]) {
      const refused = await register(purpose);
      expect(refused.status, purpose).toBe(400);
      expect((await refused.json()).errors[0].extensions).toMatchObject({
        code: 'BAD_REQUEST',
        reason: 'PURPOSE_INVALID',
      });
    }
    expect(await people()).toBe(before);
  });

  it('X-Hub-Purpose sent twice, or as raw bytes that are not UTF-8, is refused with 400 PURPOSE_INVALID and nothing is done', async () => {
    const token = await hub.token(welfare);
    const body = JSON.stringify({
      query: `mutation { registerPerson(input: { name: "目的 二重", nameKana: "モクテキ", birthDate: "1970-01-01", municipalityCode: "990001" }) { id } }`,
    });
    // The request's bytes as written: two X-Hub-Purpose lines, and a raw byte 0xE9 (Latin-1 é, no UTF-8).
    const send = (purposeLines: Buffer[]) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const url = new URL(hub.gatewayUrl);
        const socket = connect(Number(url.port), url.hostname);
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), text });
        });
        const head = [
          `POST ${url.pathname} HTTP/1.1`,
          `host: ${url.host}`,
          'content-type: application/json',
          `authorization: Bearer ${token}`,
          `content-length: ${Buffer.byteLength(body)}`,
          'connection: close',
        ].join('\r\n');
        // Written, not ended: the server answers, then closes (connection: close).
        socket.write(
          Buffer.concat([
            Buffer.from(`${head}\r\n`),
            ...purposeLines.map((line) => Buffer.concat([Buffer.from('x-hub-purpose: '), line, Buffer.from('\r\n')])),
            Buffer.from(`\r\n${body}`),
          ]),
        );
      });
    const people = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from welfare.person`)[0]!.n;
    const before = await people();
    for (const purpose of [
      ['支援会議', '就労支援'].map((text) => Buffer.from(encodeURIComponent(text))),
      [Buffer.from([0x63, 0x61, 0x66, 0xe9])],
    ]) {
      const refused = await send(purpose);
      expect(refused.status, String(purpose)).toBe(400);
      expect(refused.text).toContain('"reason":"PURPOSE_INVALID"');
    }
    expect(await people()).toBe(before);
  });

  it('text holding a NUL character, in variables or literals, is BAD_USER_INPUT (INVALID_TEXT) and records nothing', async () => {
    const people = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from welfare.person`)[0]!.n;
    const before = await people();
    const REGISTER = `mutation ($name: String!) { registerPerson(input: { name: $name, nameKana: "ヌル", birthDate: "1970-01-01", municipalityCode: "990001" }) { id } }`;
    const variable = await hub.query({ agency: welfare }, REGISTER, { name: 'ヌル\u0000文字' });
    const literal = await hub.query(
      { agency: welfare },
      `mutation { registerPerson(input: { name: "ヌル\\u0000文字", nameKana: "ヌル", birthDate: "1970-01-01", municipalityCode: "990001" }) { id } }`,
    );
    for (const result of [variable, literal]) {
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_TEXT',
        argument: 'name',
      });
      expect(result.data ?? null).toBeNull();
    }
    expect(await people()).toBe(before);
  });

  it('text holding a lone surrogate (no character at all) is BAD_USER_INPUT (INVALID_TEXT) naming its field, and records nothing', async () => {
    const people = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from welfare.person`)[0]!.n;
    const visits = async () =>
      (
        await db.sql<
          { n: number }[]
        >`select coalesce(sum(peer_supporter_visits), 0)::int as n from welfare.hikikomori_support`
      )[0]!.n;
    const before = [await people(), await visits()];
    const register = (input: Record<string, unknown>) =>
      hub.query(
        { agency: welfare },
        'mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }',
        {
          input: {
            name: '代理 文字',
            nameKana: 'ダイリ モジ',
            birthDate: '1970-01-01',
            municipalityCode: '990001',
            ...input,
          },
        },
      );
    const refusals = [
      [await register({ name: '代理\ud800文字' }), 'name'],
      [await register({ address: 'みなみ野市\udc00' }), 'address'],
      [await register({ phone: '\ud83d' }), 'phone'],
      [
        await hub.query(
          { agency: welfare },
          'mutation ($input: RecordPeerSupporterVisitInput!) { recordPeerSupporterVisit(input: $input) { id } }',
          { input: { personId: SATO, supporterName: 'ピア\udfff', note: '訪問' } },
        ),
        'supporterName',
      ],
    ] as const;
    for (const [result, argument] of refusals) {
      expect(result.errors?.[0]?.extensions, argument).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_TEXT',
        argument,
      });
      expect(result.data ?? null).toBeNull();
    }
    // A pair of surrogates is one character (an emoji) and is recorded as sent.
    const emoji = await register({ name: '絵文字 \ud83d\ude00' });
    expect(emoji.errors).toBeUndefined();
    expect([await people(), await visits()]).toEqual([before[0]! + 1, before[1]]);
  });

  it('an id or code given empty is refused as one that is not one, not taken as absent; a phone is one line; nothing is recorded', async () => {
    const count = async (table: 'welfare.person' | 'welfare.hikikomori_support' | 'child_dv.dv_case') =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql.unsafe(table)}`)[0]!.n;
    const counts = async () => [
      await count('welfare.person'),
      await count('welfare.hikikomori_support'),
      await count('child_dv.dv_case'),
    ];
    const resident = await registerResident(hub, welfare);
    const before = await counts();
    const REGISTER = 'mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }';
    const person = { name: '空 文字', nameKana: 'カラ モジ', birthDate: '1970-01-01', municipalityCode: '990001' };
    const refusals = [
      [
        await hub.query({ agency: welfare }, REGISTER, { input: { ...person, householdId: '' } }),
        'householdId',
        'INVALID_ID',
      ],
      [
        await hub.query({ agency: welfare }, REGISTER, { input: { ...person, phone: '090\n1234' } }),
        'phone',
        'INVALID_TEXT',
      ],
      [
        await hub.query(
          { agency: welfare },
          'mutation ($input: StartHikikomoriSupportInput!) { startHikikomoriSupport(input: $input) { id } }',
          { input: { personId: resident, placeId: '' } },
        ),
        'placeId',
        'INVALID_ID',
      ],
      [
        await hub.query(
          { agency: dvCentre },
          'mutation ($input: OpenDvCaseInput!) { openDvCase(input: $input) { id } }',
          { input: { personId: resident, formerMunicipalityCode: '' } },
        ),
        'formerMunicipalityCode',
        undefined,
      ],
    ] as const;
    for (const [result, argument, reason] of refusals) {
      expect(result.errors?.[0]?.extensions, argument).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument,
        ...(reason ? { reason } : {}),
      });
      expect(result.data ?? null).toBeNull();
    }
    expect(await counts()).toEqual(before);
  });

  it('an opportunity’s enrolment count below 5 is not published (秘匿処理)', async () => {
    const result = await hub.query<{ participationOpportunities: { enrolledCount: number | null }[] }>(
      { agency: helloWork },
      `{ participationOpportunities(first: 200) { enrolledCount } }`,
    );
    expect(result.errors).toBeUndefined();
    for (const { enrolledCount } of result.data!.participationOpportunities) {
      if (enrolledCount !== null) expect(enrolledCount).toBeGreaterThanOrEqual(5);
    }
  });

  it('an opportunity of fewer than 5 places does not tell whether it is full (秘匿処理)', async () => {
    type Slot = { id: string; capacity: number; hasPlaces: boolean | null; enrolledCount: number | null };
    const slots = async (openOnly: boolean) =>
      (
        await hub.query<{ participationOpportunities: Slot[] }>(
          { agency: helloWork },
          `query ($openOnly: Boolean) { participationOpportunities(openOnly: $openOnly, first: 200) { id capacity hasPlaces enrolledCount } }`,
          { openOnly },
        )
      ).data!.participationOpportunities;
    const small = (await slots(false)).find((o) => o.capacity < 5)!;
    // Filled to its last place by its own system: the next enrolment is refused.
    let refused = false;
    for (let n = 0; n <= small.capacity && !refused; n += 1) {
      const enrolled = await hub.query(
        { agency: AGENCIES.minaminoEnvironment.id },
        `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`,
        { input: { personId: await registerResident(hub, welfare), opportunityId: small.id } },
      );
      refused = Boolean(enrolled.errors?.length);
    }
    expect(refused).toBe(true);
    const full = (await slots(false)).find((o) => o.id === small.id);
    expect(full).toEqual({ ...small, hasPlaces: null, enrolledCount: null });
    expect((await slots(true)).map((o) => o.id)).toContain(small.id);
    for (const larger of (await slots(false)).filter((o) => o.capacity >= 5)) {
      expect(typeof larger.hasPlaces).toBe('boolean');
    }
  });

  it('one whose places, less the reader’s own enrolments, are fewer than 5 does not tell that reader whether it is full', async () => {
    type Slot = { id: string; capacity: number; hasPlaces: boolean | null };
    const environment = AGENCIES.minaminoEnvironment.id;
    const slots = async (agency: string, openOnly = false) =>
      (
        await hub.query<{ participationOpportunities: Slot[] }>(
          { agency },
          `query ($openOnly: Boolean) { participationOpportunities(openOnly: $openOnly, first: 200) { id capacity hasPlaces } }`,
          { openOnly },
        )
      ).data!.participationOpportunities;
    const five = (await slots(helloWork)).find((o) => o.capacity === 5 && o.hasPlaces === true)!;
    const enrolled = await hub.query(
      { agency: environment },
      `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`,
      { input: { personId: await registerResident(hub, welfare), opportunityId: five.id } },
    );
    expect(enrolled.errors).toBeUndefined();
    // Its own enrolment known, full would tell it how many others are enrolled (4 at most).
    expect((await slots(environment)).find((o) => o.id === five.id)!.hasPlaces).toBeNull();
    expect((await slots(environment, true)).map((o) => o.id)).toContain(five.id);
    expect(typeof (await slots(helloWork)).find((o) => o.id === five.id)!.hasPlaces).toBe('boolean');
  });
});

const GRANT_DV_LOCATION = /* GraphQL */ `
  mutation ($personId: ID!, $recipient: ID!) {
    grantConsent(
      input: {
        personId: $personId
        recipientAgencyIds: [$recipient]
        categories: [DV_LOCATION]
        purpose: "転居先での支援継続"
        validFrom: "2020-01-01T00:00:00Z"
        validUntil: "2100-01-01T00:00:00Z"
        method: WRITTEN
        evidenceRef: "DV-同意書-1"
      }
    ) {
      id
    }
  }
`;

const CONVENE_OVER = /* GraphQL */ `
  mutation ($personId: ID!) {
    conveneMeeting(
      input: {
        kind: SUPPORT_MEETING
        title: "越境の会議"
        subjectPersonIds: [$personId]
        sharedCategories: [MENTAL_HEALTH]
        startsAt: "2020-01-01T00:00:00Z"
      }
    ) {
      id
    }
  }
`;

const REFER = /* GraphQL */ `
  mutation ($input: CreateReferralInput!) {
    createReferral(input: $input) {
      id
    }
  }
`;

const READ_REFERRAL = /* GraphQL */ `
  query ($id: ID!) {
    referral(id: $id) {
      reason
      person {
        cases {
          status
        }
      }
    }
  }
`;
