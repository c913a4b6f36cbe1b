// What every kind of enforced fetch shares: the fetch's types, its parsed operation, the FORBIDDEN errors
// for denied categories, one decision-and-record step per fetch, and sending a rewritten operation.

import {
  Kind,
  parse,
  print,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  valueFromASTUntyped,
} from 'graphql';
import type { DataCategory, Domain, Logger } from '@hub/platform';
import { denialMessage, knowsOfPerson, type Decision, type DecisionCaller, type LegalBasis } from '../policy/decide.js';
import { Decided } from '../policy/decided.js';
import { answerShape, keepAsked, strayedError, strayedFrom, type AnswerShape } from './answer.js';
import type { HeldRecord, RegisteredAgency } from './mutation-rules.js';
import type { Requested } from './requested.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';
import { inlineFragments, variablesUsed, type NestedPerson, type Scan } from './selection.js';

export type Path = readonly (string | number)[];

export interface FetchRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly operationName?: string | undefined;
}

export interface FetchResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/** Decisions for one fetch: one read of the bases for all its persons, then the pure decision. */
export interface PolicyPort {
  /** The decisions per person; a person's map may be shared with other fetches: read it, never change it. */
  decide(
    personIds: readonly string[],
    categories: ReadonlySet<DataCategory>,
  ): Promise<Map<string, ReadonlyMap<DataCategory, Decision>>>;
  /**
   * Records the decisions of a fetch: a query's are kept for the one append before its answer leaves
   * (log-before-answer.ts), a mutation's are committed before anything is sent; a failure fails the
   * fetch (fail closed).
   * `recipient`: the agency the decisions are about, when not the caller (a DV transfer's destination,
   * to which the transfer gives her whereabouts on her consent). Each person is named at most once.
   */
  record(decisions: readonly PersonDecisions[], recipient?: string): Promise<void>;
  /** The persons about whom the caller holds no basis for any category (decided, not recorded). */
  strangers(personIds: readonly string[]): Promise<Set<string>>;
  /** The calling agency, as a mutation's precondition asks about it. */
  readonly caller: DecisionCaller;
  /**
   * Decisions for any agency about one person (a mutation's precondition may ask about the agency its input
   * names), read fresh from the bases, on the bases `only` lists if given, in one read: `made`, as decided
   * (recorded by the caller with `record`), and `told`, as the calling agency may be told them, decided on
   * the records it knows of only (a consent naming it, a meeting it is or was in); the same for itself.
   */
  decideFor(
    agency: DecisionCaller,
    personId: string,
    categories: ReadonlySet<DataCategory>,
    only?: ReadonlySet<LegalBasis>,
  ): Promise<{ made: Map<DataCategory, Decision>; told: Map<DataCategory, Decision> }>;
  /**
   * Writes what the hub's register of residents learnt from a registration its subgraph has done; false when
   * the register already had that id (a new person is new to it).
   */
  registerResident(personId: string, municipalityCode: string, birthDate: string | null): Promise<boolean>;
  /**
   * A DV transfer's move: from now on where she is registered is DV_LOCATION, and every agency subgraph
   * counts her records there (hub/relocations.ts).
   */
  moveResident(personId: string, municipalityCode: string): Promise<void>;
  /** The register's entries for these agency ids; unknown ids are absent. */
  agencies(ids: readonly string[]): Promise<ReadonlyMap<string, RegisteredAgency>>;
  /**
   * Whether the calling agency (or `agencyId`) holds this record of the person (its subgraph asked by the hub
   * itself).
   */
  holds(record: HeldRecord, personId: string, agencyId?: string): Promise<boolean>;
  /** Which of these persons have a case open in child-dv (a DV or a child-welfare case), whoever holds it. */
  withOpenCase(personIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Where the register has each of these persons now, by person id; persons it does not know are absent. */
  residences(personIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface PersonDecisions {
  readonly personId: string;
  readonly decisions: ReadonlyMap<DataCategory, Decision>;
}

export interface EnforceOptions {
  readonly index: SchemaIndex;
  readonly subgraphDomain: Domain;
  readonly callerDomain: Domain;
  readonly policy: PolicyPort;
  /** Sends a (rewritten) operation to the subgraph, naming the categories it reads. */
  readonly send: SendRewritten;
  /** What the caller's whole operation reads of the person each root field names, in every subgraph. */
  readonly requested?: Requested;
  /** Where a subgraph's answer that strayed from what it was asked is logged (its paths, never its data). */
  readonly logger?: Logger;
}

/**
 * Sends a (rewritten) operation to the subgraph, signed with the categories it may read and, for a
 * recording, where each person it names is registered (the municipality the record counts in).
 */
export type SendRewritten = (
  request: FetchRequest,
  categories: ReadonlySet<DataCategory>,
  registeredIn?: ReadonlyMap<string, string>,
) => Promise<FetchResponse>;

/** One subgraph fetch being enforced: the request as the subgraph would read it, parsed, and the options. */
export interface SubgraphFetch {
  readonly request: FetchRequest;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly options: EnforceOptions;
}

/** A person reached inside the data at `base`, fetched as a bare key and decided after the fetch. */
export interface PendingNested {
  readonly base: Path;
  readonly nested: NestedPerson;
}

/** Everything one enforced fetch produced: data to hand the gateway, errors, nested persons left to decide. */
export interface Assembled {
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
  pending: PendingNested[];
}

/** One person a fetch reads, and what it reads of them. */
export interface PersonScope {
  /** Where the person's object is in the subgraph response. */
  readonly base: Path;
  readonly personId: string;
  readonly scan: Scan;
}

/** What a stranger, or a person the fetch does not read, is decided: nothing. */
const NOTHING_DECIDED: ReadonlyMap<DataCategory, Decision> = new Map();

/**
 * The decisions of a fetch's persons. `strangers` are the persons about whom the caller holds no basis for
 * any category at all, and whom no record names it in (a consent, a meeting, which it would be told of):
 * they are answered exactly as ids that name no one (null, no error; their denials are in the access log)
 * and never sent to a subgraph, so no agency can test whether an id is a resident.
 */
export type DecisionsOf = ((personId: string) => ReadonlyMap<DataCategory, Decision>) & {
  readonly strangers: ReadonlySet<string>;
};

const documents = new Map<string, DocumentNode>();
const DOCUMENT_CACHE_SIZE = 2_000;

/**
 * A fetch's query parsed with its fragments inlined, cached by its text (the planner repeats them).
 * Without locations: enforcement only reads and prints the tree, and a location keeps the token list of
 * the whole text (a one-off batch of a hundred mutations, tens of KB, held about 1 MB that way).
 */
export function parsed(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) {
    document = inlineFragments(parse(query, { noLocation: true }));
    if (documents.size >= DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value!);
    documents.set(query, document);
  }
  return document;
}

export function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1) throw new Error('a subgraph fetch has exactly one operation');
  return operations[0]!;
}

export function withDefaults(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  // Without a prototype: a default for `$__proto__` is a variable like any, not the object's prototype.
  const filled: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, variables);
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    // An own property only: `$toString` not sent is not Object's method (were it given one).
    if ((!Object.hasOwn(filled, name) || filled[name] === undefined) && definition.defaultValue)
      filled[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return filled;
}

export function entitiesField(operation: OperationDefinitionNode): FieldNode | undefined {
  return operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities',
  );
}

export function argument(field: FieldNode, name: string): ArgumentNode | undefined {
  return field.arguments?.find((a) => a.name.value === name);
}

export const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** A person id as the subgraph will read it: UUIDs compare in lower case. */
export const personKey = (id: unknown) => String(id).toLowerCase();

export function forbidden(message: string, path: Path, extensions: Record<string, unknown>): GraphQLFormattedError {
  return { message, path: [...path], extensions: { code: 'FORBIDDEN', ...extensions } };
}

const NO_ERRORS: readonly GraphQLFormattedError[] = Object.freeze([]);

/** One FORBIDDEN error per denied category the scan reads of this person, at its first place. */
export function denialErrors(
  personId: string,
  scan: Scan,
  decisions: ReadonlyMap<DataCategory, Decision>,
  base: Path,
): readonly GraphQLFormattedError[] {
  if (!deniedCategories(decisions).size) return NO_ERRORS;
  const errors: GraphQLFormattedError[] = [];
  const reported = new Set<DataCategory>();
  for (const use of scan.uses) {
    const decision = decisions.get(use.category);
    if (!decision || decision.allowed || reported.has(use.category)) continue;
    reported.add(use.category);
    errors.push(
      forbidden(denialMessage(use.category, decision.reason), [...base, ...use.path], {
        reason: decision.reason,
        category: use.category,
        personId,
      }),
    );
  }
  return errors;
}

/** What a client is told of a subgraph it needed that could not be reached (SERVICE_UNAVAILABLE). */
export const SUBGRAPH_UNAVAILABLE = 'A subgraph this answer needs is not available; its part of the answer is missing.';

// Decisions kept across requests with the bases they were made on (Decided) keep their denied set and its
// group's key: worked out once, not once per person and fetch. Others are worked out where asked.
function deniedIn(decisions: ReadonlyMap<DataCategory, Decision>): ReadonlySet<DataCategory> {
  const denied = new Set<DataCategory>();
  for (const [category, decision] of decisions) if (!decision.allowed) denied.add(category);
  return denied;
}

/** The categories these decisions deny (shared: read it, never change it). */
export const deniedCategories = (decisions: ReadonlyMap<DataCategory, Decision>): ReadonlySet<DataCategory> =>
  decisions instanceof Decided ? (decisions.denied ??= deniedIn(decisions)) : deniedIn(decisions);

const keyOfDenied = (denied: ReadonlySet<DataCategory>): string => [...denied].sort().join(',');

/** Persons denied the same categories share one request: this names their group. */
export const groupKey = (decisions: ReadonlyMap<DataCategory, Decision>): string =>
  decisions instanceof Decided
    ? (decisions.deniedKey ??= keyOfDenied(deniedCategories(decisions)))
    : keyOfDenied(deniedCategories(decisions));

/** The categories a scan reads that are not denied. */
export const readsOf = (scan: Scan, denied: ReadonlySet<DataCategory>) =>
  new Set(scan.uses.map((u) => u.category).filter((c) => !denied.has(c)));

function knowsAny(decisions: ReadonlyMap<DataCategory, Decision>): boolean {
  for (const decision of decisions.values()) if (knowsOfPerson(decision)) return true;
  return false;
}

/** Decides every (person, category) of a fetch in one read, before anything is sent, and records the decisions. */
export async function decideScopes(scopes: readonly PersonScope[], options: EnforceOptions): Promise<DecisionsOf> {
  // What each person is asked for: one fetch can read one person's cases and only another's id (two
  // aliases). Usually every person of a fetch is read with one scan: then each is asked everything.
  const oneScan = scopes.every((scope) => scope.scan === scopes[0]!.scan);
  const asked = new Map<string, Set<DataCategory> | null>();
  const categories = new Set<DataCategory>();
  for (const scope of scopes) {
    let theirs = asked.get(scope.personId);
    if (theirs === undefined) asked.set(scope.personId, (theirs = oneScan ? null : new Set()));
    for (const use of scope.scan.uses) {
      categories.add(use.category);
      theirs?.add(use.category);
    }
  }
  const personIds = [...asked.keys()];
  const decisions = categories.size
    ? await options.policy.decide(personIds, categories)
    : new Map<string, ReadonlyMap<DataCategory, Decision>>();
  // A person the caller knows of by a category this fetch reads is no stranger: only the others are decided over all.
  const undecided: string[] = [];
  const recorded: PersonDecisions[] = [];
  for (const personId of personIds) {
    const decided = decisions.get(personId);
    // Logged: what was asked of her, not every category the fetch reads of anyone (usually the same).
    const theirs = asked.get(personId);
    const logged =
      decided && theirs && theirs.size < categories.size
        ? new Map([...decided].filter(([category]) => theirs.has(category)))
        : decided;
    if (logged?.size) recorded.push({ personId, decisions: logged });
    if (!decided || !knowsAny(decided)) undecided.push(personId);
  }
  const strangers = undecided.length ? await options.policy.strangers(undecided) : new Set<string>();
  if (recorded.length) await options.policy.record(recorded);
  // What an id that names no one gets: null and no error, for nothing about it can be denied or allowed.
  const decisionsOf = (personId: string): ReadonlyMap<DataCategory, Decision> =>
    strangers.has(personId) ? NOTHING_DECIDED : (decisions.get(personId) ?? NOTHING_DECIDED);
  return Object.assign(decisionsOf, { strangers });
}

/** Only the variables an operation declares: a subgraph never sees ids the rewritten query dropped. */
/** The operation with this selection set, declaring only the variables the selection uses. */
export function withVariables(
  operation: OperationDefinitionNode,
  selectionSet: SelectionSetNode,
  extra: VariableDefinitionNode[] = [],
): OperationDefinitionNode {
  const used = variablesUsed(selectionSet);
  const definitions = [...(operation.variableDefinitions ?? []), ...extra].filter((d) =>
    used.has(d.variable.name.value),
  );
  return { ...operation, variableDefinitions: definitions, selectionSet };
}

/** Sends a rewritten operation of the fetch's document, with only the variables it declares. */
export async function sendRewritten(
  fetch: SubgraphFetch,
  rewritten: OperationDefinitionNode,
  variables: Record<string, unknown>,
  categories: ReadonlySet<DataCategory>,
  how: {
    /** For a recording: where the register has each person it names, signed with it (the `reg` claim). */
    readonly registeredIn?: ReadonlyMap<string, string>;
    /**
     * Objects that determine the rewritten operation (the fetch's document and the rewritten selections,
     * which scanSelection keeps per denied set): its printed text is then kept for them.
     */
    readonly sameAs?: readonly object[];
  } = {},
): Promise<FetchResponse> {
  const print = () => printRewritten(fetch, rewritten);
  const printed = how.sameAs ? memoized(how.sameAs, print) : print();
  const sent = Object.fromEntries(Object.entries(variables).filter(([name]) => printed.declared.has(name)));
  const response = await fetch.options.send(
    { query: printed.query, variables: sent, operationName: fetch.request.operationName },
    categories,
    how.registeredIn,
  );
  return asAsked(fetch, rewritten, sent, printed.shape, response);
}

/**
 * The answer cut to what was asked (answer.ts): what the operation sent did not select is dropped, and a
 * part about another entity than the one asked for is withheld with an error, and logged without its data.
 */
function asAsked(
  { options }: SubgraphFetch,
  rewritten: OperationDefinitionNode,
  variables: Record<string, unknown>,
  shape: AnswerShape,
  response: FetchResponse,
): FetchResponse {
  const { data } = response;
  if (!data) return response;
  keepAsked(data, shape);
  const isPersonField = (field: string) => options.index.field('Query', field)?.type === PERSON_TYPE;
  const strayed = rewritten.operation === 'query' ? strayedFrom(data, rewritten, variables, isPersonField) : [];
  if (!strayed.length) return response;
  options.logger?.warn(
    { domain: options.subgraphDomain, paths: strayed.map(({ path }) => path.join('.')) },
    'subgraph answered about another entity than it was asked; withheld',
  );
  return {
    ...response,
    errors: [...(response.errors ?? []), ...strayed.map((s) => strayedError(options.subgraphDomain, s))],
  };
}

interface Printed {
  readonly query: string;
  readonly declared: ReadonlySet<string>;
  /** What the operation asks for: all the answer may hold. */
  readonly shape: AnswerShape;
}

function printRewritten(fetch: SubgraphFetch, rewritten: OperationDefinitionNode): Printed {
  return {
    query: print({ ...fetch.document, definitions: [rewritten] }),
    declared: new Set((rewritten.variableDefinitions ?? []).map((d) => d.variable.name.value)),
    shape: answerShape(rewritten.selectionSet, fetch.document),
  };
}

/** A trie of weak maps, one level per key object; an entry lives as long as all its key objects do. */
export interface MemoTrie<T> {
  readonly next: WeakMap<object, MemoTrie<T>>;
  value?: T;
}

export function memoTrie<T>(): MemoTrie<T> {
  return { next: new WeakMap() };
}

/** The value kept for these key objects, made on first use. */
export function memoizedBy<T>(trie: MemoTrie<T>, keys: readonly object[], make: () => T): T {
  let node = trie;
  for (const key of keys) {
    let next = node.next.get(key);
    if (!next) node.next.set(key, (next = { next: new WeakMap() }));
    node = next;
  }
  return (node.value ??= make());
}

const printedTrie = memoTrie<Printed>();
const memoized = (keys: readonly object[], make: () => Printed) => memoizedBy(printedTrie, keys, make);

/** An error of a request sent for some positions of a list, moved to its place in the whole list. */
export function reindexed(
  error: GraphQLFormattedError,
  key: string,
  positions: readonly number[],
): GraphQLFormattedError {
  const path = error.path;
  return path && path[0] === key && typeof path[1] === 'number'
    ? { ...error, path: [key, positions[path[1]] ?? path[1], ...path.slice(2)] }
    : error;
}
