// The subgraph conformance check: whether a department's subgraph is fit to join the hub. It talks to the
// subgraph as the gateway does (requests signed with the gateway's private key, GATEWAY_SIGNING_KEY) and
// as an attacker would (unsigned, forged, expired, replayed, for another subgraph), and reports one line
// per check. `npm run check-subgraph` is its command line (scripts/check-subgraph.ts).

import { randomUUID } from 'node:crypto';
import { importJWK, type CryptoKey } from 'jose';
import { Kind, parse, type DocumentNode, type FieldDefinitionNode, type TypeNode } from 'graphql';
// The platform's modules one by one, not its index: the command starts without loading a database or a server.
import { DATA_CATEGORIES, owningDomain, type DataCategory } from '@hub/platform/categories';
import { generateSigningKey, type PrivateSigningJwk } from '@hub/platform/keys';
import { SUBGRAPH_NAMES, subgraphService, type Domain, type SubgraphName } from '@hub/platform/services';
import { SIGNATURE_HEADER, signSubgraphRequest } from '@hub/platform/signing';

export type CheckName =
  | 'sdl'
  | 'categories'
  | 'unsigned'
  | 'forged'
  | 'expired'
  | 'replayed'
  | 'wrong-audience'
  | 'category-not-signed'
  | 'entities'
  | 'errors-masked';

export const CHECKS: readonly { readonly name: CheckName; readonly title: string }[] = [
  { name: 'sdl', title: 'SDL reachable through _service (signed request)' },
  { name: 'categories', title: "every personal field has exactly one category, of the subgraph's domain" },
  { name: 'unsigned', title: 'unsigned request refused with 401' },
  { name: 'forged', title: 'forged signature refused with 401' },
  { name: 'expired', title: 'expired signature refused with 401' },
  { name: 'replayed', title: 'replayed signature refused with 401' },
  { name: 'wrong-audience', title: 'signature for another subgraph refused with 401' },
  { name: 'category-not-signed', title: 'a category the signature does not list is refused' },
  { name: 'entities', title: '_entities: 200 representations answered in order, null for unknown ids' },
  { name: 'errors-masked', title: 'errors masked: no stack trace, no SQL' },
];

export interface CheckResult {
  readonly name: CheckName;
  readonly title: string;
  readonly ok: boolean;
  /** What was found: why it failed, or what passed. */
  readonly detail: string;
}

export interface CheckReport {
  readonly url: string;
  readonly domain: Domain;
  readonly results: readonly CheckResult[];
  readonly ok: boolean;
}

export interface CheckSubgraphOptions {
  /** The subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4104/graphql. */
  url: string;
  /** The domain whose data it holds (EMPLOYMENT, WELFARE, …): every category it tags must be this domain's. */
  domain: Domain;
  /** The gateway's private signing key (GATEWAY_SIGNING_KEY), as the gateway signs with it. */
  signingKey: PrivateSigningJwk;
  /** The audience the subgraph expects in a signature. @default the hub's subgraph of that domain */
  subgraph?: SubgraphName;
  /** Ids of persons the subgraph holds data of: `_entities` must answer them in their places. @default none */
  personIds?: readonly string[];
  /** Time limit of each request, in milliseconds. @default 5000 */
  timeoutMs?: number;
}

/** The subgraph could not be talked to at all: nothing else is checked. */
export class SubgraphUnreachableError extends Error {
  override name = 'SubgraphUnreachableError';
}

/**
 * The subgraph does not trust the signing key (a correctly signed request got 401 KEY_UNKNOWN): every
 * check would be refused for that one reason and prove nothing of what it names, so none is run.
 */
export class SigningKeyNotTrustedError extends Error {
  override name = 'SigningKeyNotTrustedError';
}

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message?: unknown; extensions?: Record<string, unknown> }[];
  };
  text: string;
}

const SDL_QUERY = 'query ConformanceSdl { _service { sdl } }';

function subgraphOf(domain: Domain): SubgraphName {
  const name = SUBGRAPH_NAMES.find((n) => subgraphService(n).domain === domain);
  if (!name) throw new Error(`no subgraph of domain ${domain}`);
  return name;
}

/** The `extensions.reason` of an answer's first error, if it gives one. */
function reasonOf(answer: Answer): string | undefined {
  const reason = answer.body.errors?.[0]?.extensions?.['reason'];
  return typeof reason === 'string' ? reason : undefined;
}

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

function describeFailure(url: string, error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `${url} gave no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : (error as Error).message;
  return `${url} could not be reached (${code ?? message})`;
}

/**
 * The personal fields of a subgraph's (or the supergraph's) SDL and their category tags: every field of `Person` and of each type
 * reached from it through a tagged field, except `id`. A type with a `@key` of its own other than Person
 * (a job opening, an eco project) is data about no one and is not followed.
 */
export function personalFields(document: DocumentNode): { field: string; categories: string[] }[] {
  const types = new Map<string, { fields: FieldDefinitionNode[]; entity: boolean }>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    const known = types.get(definition.name.value) ?? { fields: [], entity: false };
    known.fields.push(...(definition.fields ?? []));
    // A subgraph marks an entity with @key, the supergraph with @join__type(key: …).
    known.entity ||= (definition.directives ?? []).some(
      (d) =>
        d.name.value === 'key' || (d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key')),
    );
    types.set(definition.name.value, known);
  }
  const found: { field: string; categories: string[] }[] = [];
  const seen = new Set<string>();
  const queue = ['Person'];
  while (queue.length) {
    const type = queue.shift()!;
    if (seen.has(type)) continue;
    seen.add(type);
    for (const field of types.get(type)?.fields ?? []) {
      if (field.name.value === 'id') continue;
      const categories = (field.directives ?? [])
        .filter((d) => d.name.value === 'category')
        .map((d) => {
          const value = d.arguments?.find((a) => a.name.value === 'name')?.value;
          return value?.kind === Kind.ENUM ? value.value : '?';
        });
      found.push({ field: `${type}.${field.name.value}`, categories });
      const target = types.get(namedType(field.type));
      if (categories.length && target && !target.entity) queue.push(namedType(field.type));
    }
  }
  return found;
}

/** Every `@category` tag of the document, as `Type.field → category`. */
function allTags(document: DocumentNode): { field: string; category: string }[] {
  const tags: { field: string; category: string }[] = [];
  for (const definition of document.definitions) {
    if (!('fields' in definition) || !definition.fields || !('name' in definition) || !definition.name) continue;
    for (const field of definition.fields as readonly FieldDefinitionNode[]) {
      for (const d of field.directives ?? []) {
        if (d.name.value !== 'category') continue;
        const value = d.arguments?.find((a) => a.name.value === 'name')?.value;
        tags.push({
          field: `${definition.name.value}.${field.name.value}`,
          category: value?.kind === Kind.ENUM ? value.value : '?',
        });
      }
    }
  }
  return tags;
}

const LEAKS: readonly [RegExp, string][] = [
  [/\n\s+at .+[:(]\d+/, 'a stack trace'],
  [/\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set|where)\b/i, 'SQL'],
  [
    /syntax error at or near|relation "[^"]+"|column "[^"]+"|violates .* constraint|duplicate key value/i,
    'a database message',
  ],
  [/\b(ECONNREFUSED|postgres(ql)?:\/\/)/i, 'a connection detail'],
];

/** What in an error response would tell an attacker about the subgraph's insides. */
function leaks(answer: Answer): string | undefined {
  for (const error of answer.body.errors ?? []) {
    const extensions = error.extensions ?? {};
    if ('stacktrace' in extensions || 'exception' in extensions) return 'a stack trace in extensions';
    const text = `${String(error.message ?? '')}\n${JSON.stringify(extensions)}`;
    for (const [pattern, what] of LEAKS) if (pattern.test(text)) return `${what} in an error message`;
  }
  return undefined;
}

/**
 * Runs every check against the subgraph; throws SubgraphUnreachableError when it cannot be talked to at all
 * (or is not GraphQL), SigningKeyNotTrustedError when it does not trust the signing key.
 */
export async function checkSubgraph(options: CheckSubgraphOptions): Promise<CheckReport> {
  const { url, domain } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const audience = options.subgraph ?? subgraphOf(domain);
  const ownCategories = (Object.keys(DATA_CATEGORIES) as DataCategory[]).filter((c) => owningDomain(c) === domain);
  if (options.signingKey.alg === 'RS256') throw new Error('the gateway signs with Ed25519 or P-256, not RSA');
  const alg: 'ES256' | 'EdDSA' = options.signingKey.alg === 'ES256' ? 'ES256' : 'EdDSA';
  const key = { privateKey: (await importJWK(options.signingKey, alg)) as CryptoKey, kid: options.signingKey.kid, alg };
  const forger = generateSigningKey(alg === 'ES256' ? 'ES256' : 'EdDSA').privateJwk;
  const forgedKey = { privateKey: (await importJWK(forger, alg)) as CryptoKey, kid: options.signingKey.kid, alg };

  const sign = (body: string, overrides: { categories?: readonly DataCategory[]; issuedAt?: Date } = {}) =>
    signSubgraphRequest({
      subgraph: audience,
      key,
      body,
      agencyId: 'conformance-check',
      staffId: 'conformance-check',
      requestId: randomUUID(),
      categories: overrides.categories ?? ownCategories,
      ...(overrides.issuedAt ? { issuedAt: overrides.issuedAt } : {}),
    });

  const post = async (body: string, signature: string | undefined): Promise<Answer> => {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADER]: signature } : {}) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new SubgraphUnreachableError(describeFailure(url, error, timeoutMs));
    }
    const notGraphQL = () => {
      const type = response.headers.get('content-type') ?? 'no content type';
      return new SubgraphUnreachableError(
        `${url} did not answer as a GraphQL server (HTTP ${response.status}, ${type.split(';')[0]})`,
      );
    };
    // A GraphQL endpoint answers a POST, whatever is wrong with it; 404 and 405 say there is none at this URL.
    if (response.status === 404 || response.status === 405) throw notGraphQL();
    let parsed: Answer['body'];
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      throw notGraphQL();
    }
    if (typeof parsed !== 'object' || parsed === null || !('data' in parsed || 'errors' in parsed)) {
      throw new SubgraphUnreachableError(`${url} did not answer as a GraphQL server (JSON without data or errors)`);
    }
    return { status: response.status, body: parsed, text };
  };
  const signedPost = async (
    query: string,
    variables?: Record<string, unknown>,
    categories?: readonly DataCategory[],
  ) => {
    const body = JSON.stringify({ query, variables });
    return post(body, await sign(body, categories ? { categories } : {}));
  };

  const results: CheckResult[] = [];
  const record = (name: CheckName, ok: boolean, detail: string) => {
    results.push({ name, title: CHECKS.find((c) => c.name === name)!.title, ok, detail });
  };
  /** A check that runs to completion: an answer that is not GraphQL fails it rather than the whole run. */
  const guarded = async (name: CheckName, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof SubgraphUnreachableError)) throw error;
      record(name, false, error.message);
    }
  };

  // 1. The SDL: the first request, so an unreachable or non-GraphQL server stops everything here, and so
  // does a subgraph that does not trust the key.
  const sdlAnswer = await signedPost(SDL_QUERY);
  if (sdlAnswer.status === 401 && reasonOf(sdlAnswer) === 'KEY_UNKNOWN') {
    throw new SigningKeyNotTrustedError(
      `${url} does not trust this signing key (kid ${options.signingKey.kid}): a correctly signed request was ` +
        "refused with 401 KEY_UNKNOWN. Start the subgraph with GATEWAY_VERIFY_KEYS naming the key's public JWK.",
    );
  }
  const sdl = (sdlAnswer.body.data?.['_service'] as { sdl?: unknown } | undefined)?.sdl;
  let document: DocumentNode | undefined;
  if (sdlAnswer.status !== 200 || typeof sdl !== 'string') {
    const why = sdlAnswer.body.errors?.[0]?.message;
    record('sdl', false, `HTTP ${sdlAnswer.status}${why ? `: ${String(why).slice(0, 120)}` : ', no _service.sdl'}`);
  } else {
    try {
      document = parse(sdl);
      record('sdl', true, `${sdl.length} characters`);
    } catch {
      record('sdl', false, '_service.sdl does not parse as GraphQL SDL');
    }
  }

  // 2. Categories.
  if (!document) {
    record('categories', false, 'needs the SDL');
  } else {
    const problems: string[] = [];
    const personal = personalFields(document);
    for (const { field, categories } of personal) {
      if (categories.length === 0) problems.push(`${field} has no category`);
      else if (categories.length > 1) problems.push(`${field} has ${categories.length} categories`);
    }
    for (const { field, category } of allTags(document)) {
      const owner = category in DATA_CATEGORIES ? owningDomain(category as DataCategory) : undefined;
      if (owner !== domain)
        problems.push(`${field} is tagged ${category}, ${owner ? `a ${owner} category` : 'unknown'}`);
    }
    if (!personal.some((f) => f.field.startsWith('Person.'))) problems.push('Person has no personal field');
    record(
      'categories',
      problems.length === 0,
      problems.length
        ? problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (+${problems.length - 3})` : '')
        : `${personal.length} personal fields`,
    );
  }

  // 3–7. Requests the subgraph must refuse with 401, for what each sends wrong: a refusal for an unknown
  // key (a subgraph that stopped trusting the key midway) says nothing of that, so it does not pass.
  const probe = JSON.stringify({ query: SDL_QUERY });
  const recordRefusal = (name: CheckName, answer: Answer) => {
    const reason = reasonOf(answer);
    if (answer.status !== 401) record(name, false, `answered HTTP ${answer.status}`);
    else if (reason === 'KEY_UNKNOWN') record(name, false, '401 KEY_UNKNOWN: refused for the key, not tested');
    else record(name, true, `401${reason ? ` ${reason}` : ''}`);
  };
  const refused = async (name: CheckName, signature: string | undefined, body = probe) =>
    guarded(name, async () => recordRefusal(name, await post(body, signature)));
  await refused('unsigned', undefined);
  await refused(
    'forged',
    await signSubgraphRequest({
      subgraph: audience,
      key: forgedKey,
      body: probe,
      agencyId: 'conformance-check',
      staffId: 'conformance-check',
      requestId: randomUUID(),
      categories: ownCategories,
    }),
  );
  await refused('expired', await sign(probe, { issuedAt: new Date(Date.now() - 5 * 60_000) }));
  await guarded('replayed', async () => {
    const signature = await sign(probe);
    const first = await post(probe, signature);
    if (first.status !== 200) {
      record('replayed', false, `the first, valid use was answered HTTP ${first.status}`);
      return;
    }
    recordRefusal('replayed', await post(probe, signature));
  });
  const other = SUBGRAPH_NAMES.find((n) => n !== audience)!;
  await refused(
    'wrong-audience',
    await signSubgraphRequest({
      subgraph: other,
      key,
      body: probe,
      agencyId: 'conformance-check',
      staffId: 'conformance-check',
      requestId: randomUUID(),
      categories: ownCategories,
    }),
  );

  // 8–9. A categorized field of Person, read through _entities.
  const personField = document
    ? personalFields(document).find((f) => f.field.startsWith('Person.') && f.categories.length === 1)
    : undefined;
  const selection = (() => {
    if (!document || !personField) return undefined;
    const name = personField.field.slice('Person.'.length);
    const definition = document.definitions.find(
      (d) =>
        (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
        d.name.value === 'Person' &&
        d.fields?.some((f) => f.name.value === name),
    );
    const field =
      definition && 'fields' in definition ? definition.fields?.find((f) => f.name.value === name) : undefined;
    if (!field) return undefined;
    const target = namedType(field.type);
    const composite = document.definitions.some(
      (d) =>
        (d.kind === Kind.OBJECT_TYPE_DEFINITION ||
          d.kind === Kind.INTERFACE_TYPE_DEFINITION ||
          d.kind === Kind.UNION_TYPE_DEFINITION) &&
        d.name.value === target,
    );
    return { name, text: composite ? `${name} { __typename }` : name };
  })();
  const entitiesQuery = selection
    ? `query ConformanceEntities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id ${selection.text} } } }`
    : undefined;

  if (!entitiesQuery) {
    record('category-not-signed', false, document ? 'Person has no tagged field to ask for' : 'needs the SDL');
    record('entities', false, document ? 'Person has no tagged field to ask for' : 'needs the SDL');
  } else {
    await guarded('category-not-signed', async () => {
      const answer = await signedPost(
        entitiesQuery,
        { representations: [{ __typename: 'Person', id: randomUUID() }] },
        [],
      );
      const error = answer.body.errors?.find((e) => e.extensions?.['code'] === 'FORBIDDEN');
      const entities = answer.body.data?.['_entities'];
      const delivered = Array.isArray(entities) && entities.some((e) => e !== null);
      record(
        'category-not-signed',
        Boolean(error) && !delivered,
        error && !delivered
          ? `FORBIDDEN ${String(error.extensions?.['reason'] ?? '')}`.trim()
          : `answered without refusing (HTTP ${answer.status})`,
      );
    });

    await guarded('entities', async () => {
      const known = options.personIds ?? [];
      const representations = Array.from({ length: 200 }, (_, i) => ({
        __typename: 'Person',
        id:
          i % 40 === 7 && known[Math.floor(i / 40) % Math.max(known.length, 1)] !== undefined
            ? known[Math.floor(i / 40) % known.length]!
            : randomUUID(),
      }));
      const answer = await signedPost(entitiesQuery, { representations });
      const entities = answer.body.data?.['_entities'];
      const problems: string[] = [];
      if (answer.body.errors?.length) problems.push(`errors: ${String(answer.body.errors[0]?.message).slice(0, 80)}`);
      if (!Array.isArray(entities)) problems.push('no _entities list');
      else if (entities.length !== representations.length) {
        problems.push(`${entities.length} answers to ${representations.length} representations`);
      } else {
        representations.forEach((representation, i) => {
          const entity = entities[i] as Record<string, unknown> | null;
          const isKnown = known.includes(representation.id);
          if (entity !== null && entity['id'] !== representation.id) {
            problems.push(`answer ${i} is for another id`);
          } else if (isKnown && entity === null) {
            problems.push(`answer ${i} (a known person) is null`);
          } else if (!isKnown && entity !== null) {
            const value = entity[selection!.name];
            if (value !== null && !(Array.isArray(value) && value.length === 0)) {
              problems.push(`answer ${i} (an unknown id) has data`);
            }
          }
        });
      }
      record(
        'entities',
        problems.length === 0,
        problems.length
          ? problems.slice(0, 2).join('; ') + (problems.length > 2 ? ` (+${problems.length - 2})` : '')
          : `200 in order${known.length ? `, ${known.length} known person(s) in place` : ''}`,
      );
    });
  }

  // 10. Errors masked: a malformed id, a wrong type, a field that does not exist.
  await guarded('errors-masked', async () => {
    const probes = [
      entitiesQuery
        ? signedPost(entitiesQuery, { representations: [{ __typename: 'Person', id: "x' or 1=1 --" }] })
        : undefined,
      entitiesQuery ? signedPost(entitiesQuery, { representations: [{ __typename: 'Person', id: 42 }] }) : undefined,
      signedPost('query ConformanceUnknown { conformanceNoSuchField }'),
      signedPost('query ConformanceBroken { _service { sdl '),
    ];
    const answers = await Promise.all(probes.filter((p): p is Promise<Answer> => p !== undefined));
    const leak = answers.map(leaks).find((l): l is string => l !== undefined);
    record('errors-masked', !leak, leak ?? `${answers.length} malformed requests, nothing leaked`);
  });

  return { url, domain, results, ok: results.every((r) => r.ok) };
}

/** The report as a table: one line per check, then the verdict. */
export function formatReport(report: CheckReport): string {
  const width = Math.max(...report.results.map((r) => r.name.length));
  const lines = report.results.map(
    (r) => `${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.title} — ${r.detail}`,
  );
  const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
  return [
    `check-subgraph ${report.url} (${report.domain})`,
    ...lines,
    failed.length
      ? `${failed.length} of ${report.results.length} checks failed: ${failed.join(', ')}`
      : `all ${report.results.length} checks passed`,
  ].join('\n');
}
