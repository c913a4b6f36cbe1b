// What every kind of enforced fetch shares: its types (the request, the options, the policy port) and its
// parsed operation. Deciding its persons is decisions.ts; sending a rewritten operation is send.ts.

import {
  Kind,
  parse,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  valueFromASTUntyped,
} from 'graphql';
import type { DataCategory, Domain, Logger } from '@hub/platform';
import type { Decision, DecisionCaller, LegalBasis } from '../policy/decide.js';
import type { PersonDecisions } from '../policy/decided.js';
import type { AgeLimitedRecord, AgeLimits } from './age-rules.js';
import type { HeldRecord, RegisteredAgency } from './mutation-rules.js';
import type { Requested } from './requested.js';
import type { SchemaIndex } from './schema-index.js';
import { inlineFragments, type NestedPerson, type Scan } from './selection.js';

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
  /** The ages a record about no person is for (its agency system asked by the hub); null when there is none. */
  ageLimits(record: AgeLimitedRecord, id: string): Promise<AgeLimits | null>;
  /** The birth date the register holds of the person (YYYY-MM-DD), or null: registered without one, or unknown. */
  birthDate(personId: string): Promise<string | null>;
  /** Where the register has each of these persons now, by person id; persons it does not know are absent. */
  residences(personIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
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
