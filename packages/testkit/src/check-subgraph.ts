// The subgraph conformance check: whether a department's subgraph is fit to join the hub. It talks to the
// subgraph as the gateway does (requests signed with the gateway's private key, GATEWAY_SIGNING_KEY) and
// as an attacker would (unsigned, forged, expired, replayed, with a changed body, for another subgraph), and
// reports one line
// per check. `npm run check-subgraph` is its command line (scripts/check-subgraph.ts).

import { randomUUID } from 'node:crypto';
import { parse, type DocumentNode } from 'graphql';
import type { PrivateSigningJwk } from '@hub/platform/keys';
import { SUBGRAPH_NAMES, type Domain, type SubgraphName } from '@hub/platform/services';
import { categoryProblems, personFieldSelection, unservedFields } from './subgraph-sdl.js';
import {
  openSession,
  reasonOf,
  SubgraphUnreachableError,
  type Answer,
  type SubgraphSession,
} from './subgraph-session.js';

export { personalFields } from './subgraph-sdl.js';
export { SubgraphUnreachableError } from './subgraph-session.js';

export type CheckName =
  | 'sdl'
  | 'categories'
  | 'hub-schema'
  | 'unsigned'
  | 'forged'
  | 'expired'
  | 'replayed'
  | 'changed-body'
  | 'wrong-audience'
  | 'category-not-signed'
  | 'entities'
  | 'errors-masked';

export const CHECKS: readonly { readonly name: CheckName; readonly title: string }[] = [
  { name: 'sdl', title: 'SDL reachable through _service (signed request)' },
  { name: 'categories', title: "every personal field has exactly one category, of the subgraph's domain" },
  { name: 'hub-schema', title: "serves every field the hub's supergraph routes to it" },
  { name: 'unsigned', title: 'unsigned request refused with 401' },
  { name: 'forged', title: 'forged signature refused with 401' },
  { name: 'expired', title: 'expired signature refused with 401' },
  { name: 'replayed', title: 'replayed signature refused with 401' },
  { name: 'changed-body', title: 'signature over another body refused with 401' },
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
  /**
   * The supergraph the gateway routes by, whose fields of this subgraph it must serve.
   * @default the hub's checked-in schema/supergraph.graphql (the one a packed @hub/gateway carries)
   */
  supergraphSdl?: string;
}

/**
 * The subgraph does not trust the signing key (a correctly signed request got 401 KEY_UNKNOWN): every
 * check would be refused for that one reason and prove nothing of what it names, so none is run.
 */
export class SigningKeyNotTrustedError extends Error {
  override name = 'SigningKeyNotTrustedError';
}

/**
 * The subgraph is another one than the check signs for (a correctly signed request got 401 WRONG_AUDIENCE), or
 * no subgraph at all but the hub's gateway (401 TOKEN_MISSING): every check would be refused for that one
 * reason, so none is run.
 */
export class WrongSubgraphError extends Error {
  override name = 'WrongSubgraphError';
}

const SDL_QUERY = 'query ConformanceSdl { _service { sdl } }';

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

/** A run of the checks: the session they talk to the subgraph through, and their results so far. */
interface Session extends SubgraphSession {
  record(name: CheckName, ok: boolean, detail: string): void;
  /** A check that runs to completion: an answer that is not GraphQL fails it rather than the whole run. */
  guarded(name: CheckName, run: () => Promise<void>): Promise<void>;
  readonly results: CheckResult[];
}

function startRun(session: SubgraphSession): Session {
  const results: CheckResult[] = [];
  const record = (name: CheckName, ok: boolean, detail: string) => {
    results.push({ name, title: CHECKS.find((c) => c.name === name)!.title, ok, detail });
  };
  return {
    ...session,
    record,
    async guarded(name, run) {
      try {
        await run();
      } catch (error) {
        if (!(error instanceof SubgraphUnreachableError)) throw error;
        record(name, false, error.message);
      }
    },
    results,
  };
}

/**
 * 1. The SDL: the first request, so an unreachable or non-GraphQL server stops everything here, and so does a
 * subgraph that does not trust the key. Returns the parsed SDL, if there is one.
 */
async function checkSdl(session: Session, kid: string): Promise<DocumentNode | undefined> {
  const { url, record } = session;
  const answer = await session.signedPost(SDL_QUERY);
  if (answer.status === 401 && reasonOf(answer) === 'KEY_UNKNOWN') {
    throw new SigningKeyNotTrustedError(
      `${url} does not trust this signing key (kid ${kid}): a correctly signed request was ` +
        "refused with 401 KEY_UNKNOWN. Start the subgraph with GATEWAY_VERIFY_KEYS naming the key's public JWK " +
        "(a stand-in of the kit: startStandInSubgraph({ verifyKeys }) with the signing keys' verifyKeys).",
    );
  }
  if (answer.status === 401 && reasonOf(answer) === 'WRONG_AUDIENCE') {
    throw new WrongSubgraphError(
      `${url} refused a request signed for the ${session.audience} subgraph with 401 WRONG_AUDIENCE: ` +
        'it is another subgraph. Check --domain (and --subgraph).',
    );
  }
  // Only the gateway asks a correctly signed request for a caller's token: nothing of a subgraph to check.
  if (answer.status === 401 && reasonOf(answer) === 'TOKEN_MISSING') {
    throw new WrongSubgraphError(
      `${url} asked for a caller's token (401 TOKEN_MISSING): it is the hub's gateway, not a subgraph. ` +
        "Give --url a subgraph's own address (its port, e.g. EMPLOYMENT_PORT).",
    );
  }
  const sdl = (answer.body.data?.['_service'] as { sdl?: unknown } | undefined)?.sdl;
  if (answer.status !== 200 || typeof sdl !== 'string') {
    const why = answer.body.errors?.[0]?.message;
    record('sdl', false, `HTTP ${answer.status}${why ? `: ${String(why).slice(0, 120)}` : ', no _service.sdl'}`);
    return undefined;
  }
  try {
    const document = parse(sdl);
    record('sdl', true, `${sdl.length} characters`);
    return document;
  } catch {
    record('sdl', false, '_service.sdl does not parse as GraphQL SDL');
    return undefined;
  }
}

/** 2. Categories: every personal field tagged once, with a category of the subgraph's domain. */
function checkCategories(session: Session, document: DocumentNode | undefined, domain: Domain): void {
  if (!document) return session.record('categories', false, 'needs the SDL');
  const { problems, personal } = categoryProblems(document, domain);
  session.record(
    'categories',
    problems.length === 0,
    problems.length
      ? problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (+${problems.length - 3})` : '')
      : `${personal} personal fields`,
  );
}

/**
 * 3. The hub's schema: the gateway plans by the checked-in supergraph, not by the subgraph's SDL, so a field it
 * routes here that the subgraph does not define fails every query that asks for it (GRAPHQL_VALIDATION_FAILED).
 */
async function checkHubSchema(
  session: Session,
  document: DocumentNode | undefined,
  supergraphSdl: string | undefined,
): Promise<void> {
  if (!document) return session.record('hub-schema', false, 'needs the SDL');
  const supergraph = parse(supergraphSdl ?? (await (await import('@hub/gateway/supergraph')).readSupergraph()));
  const { missing, routed } = unservedFields(supergraph, session.audience, document);
  if (routed === 0) return session.record('hub-schema', false, `the supergraph has no subgraph ${session.audience}`);
  session.record(
    'hub-schema',
    missing.length === 0,
    missing.length
      ? `${missing.length} of ${routed} fields not served: ${missing.slice(0, 4).join(', ')}` +
          (missing.length > 4 ? ` (+${missing.length - 4})` : '')
      : `${routed} fields`,
  );
}

/** The reason the hub's own subgraphs give for each refusal (`extensions.reason`), which a subgraph may omit. */
const REFUSAL_REASONS: Partial<Record<CheckName, string>> = {
  unsigned: 'SIGNATURE_MISSING',
  forged: 'SIGNATURE_INVALID',
  expired: 'SIGNATURE_EXPIRED',
  replayed: 'REPLAYED',
  'changed-body': 'BODY_MISMATCH',
  'wrong-audience': 'WRONG_AUDIENCE',
};

/**
 * 4–9. Requests the subgraph must refuse with 401, each for what it sends wrong. A refusal that gives another
 * reason (an unknown key, a changed body where a replay was sent) says nothing of the one tested, so it does
 * not pass; a refusal with no reason does.
 */
async function checkRefusals(session: Session): Promise<void> {
  const { sign, post, record, guarded } = session;
  const probe = JSON.stringify({ query: SDL_QUERY });
  const recordRefusal = (name: CheckName, answer: Answer) => {
    const reason = reasonOf(answer);
    const expected = REFUSAL_REASONS[name];
    if (answer.status !== 401) record(name, false, `answered HTTP ${answer.status}`);
    else if (reason === 'KEY_UNKNOWN') record(name, false, '401 KEY_UNKNOWN: refused for the key, not tested');
    else if (reason && expected && reason !== expected)
      record(name, false, `401 ${reason}: refused for another reason than this check's (${expected}), not tested`);
    else record(name, true, `401${reason ? ` ${reason}` : ''}`);
  };
  const refused = async (name: CheckName, signature: string | undefined, body = probe) =>
    guarded(name, async () => recordRefusal(name, await post(body, signature)));
  await refused('unsigned', undefined);
  await refused('forged', await sign(probe, { forged: true }));
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
  // A valid signature of the probe, sent with another query: what a man in the middle would change.
  await refused(
    'changed-body',
    await sign(probe),
    JSON.stringify({ query: 'query ConformanceChanged { _service { sdl } }' }),
  );
  const other = SUBGRAPH_NAMES.find((n) => n !== session.audience)!;
  await refused('wrong-audience', await sign(probe, { subgraph: other }));
}

/**
 * 10–11. A categorized field of Person, read through _entities: refused when the signature does not list its
 * category, and answered in order (null for unknown ids) when it does. Returns the query, if Person has
 * a tagged field to ask for.
 */
async function checkEntities(
  session: Session,
  document: DocumentNode | undefined,
  personIds: readonly string[] | undefined,
): Promise<string | undefined> {
  const { signedPost, record, guarded } = session;
  const selection = document ? personFieldSelection(document) : undefined;
  if (!selection) {
    record('category-not-signed', false, document ? 'Person has no tagged field to ask for' : 'needs the SDL');
    record('entities', false, document ? 'Person has no tagged field to ask for' : 'needs the SDL');
    return undefined;
  }
  const entitiesQuery = `query ConformanceEntities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id ${selection.text} } } }`;
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
    const known = personIds ?? [];
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
          problems.push(
            `answer ${i} (--person-id ${representation.id}) is null: the subgraph holds no record of that person`,
          );
        } else if (!isKnown && entity !== null) {
          const value = entity[selection.name];
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

  return entitiesQuery;
}

/** 12. Errors masked: a malformed id, a wrong type, a field that does not exist, a broken query. */
async function checkErrorsMasked(session: Session, entitiesQuery: string | undefined): Promise<void> {
  const { signedPost, record } = session;
  await session.guarded('errors-masked', async () => {
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
}

/**
 * Runs every check against the subgraph; throws SubgraphUnreachableError when it cannot be talked to at all
 * (or is not GraphQL), SigningKeyNotTrustedError when it does not trust the signing key.
 */
export async function checkSubgraph(options: CheckSubgraphOptions): Promise<CheckReport> {
  const session = startRun(await openSession(options));
  const document = await checkSdl(session, options.signingKey.kid);
  checkCategories(session, document, options.domain);
  await checkHubSchema(session, document, options.supergraphSdl);
  await checkRefusals(session);
  const entitiesQuery = await checkEntities(session, document, options.personIds);
  await checkErrorsMasked(session, entitiesQuery);
  const { results } = session;
  return { url: options.url, domain: options.domain, results, ok: results.every((r) => r.ok) };
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
