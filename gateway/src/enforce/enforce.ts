// Enforcement before the fetch: for one subgraph fetch of a query plan, decide every (person, category)
// it would read, send the owning subgraph only what is allowed, and put the answer back together with
// null and one FORBIDDEN error per denied (person, category). Denied data is never requested.

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
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
  valueFromASTUntyped,
} from 'graphql';
import { owningDomain, type DataCategory, type Domain } from '@hub/platform';
import type { Decision, DecisionCaller, LegalBasis } from '../policy/decide.js';
import { deduplicateRepresentations, expandEntities } from './dedup.js';
import {
  acceptedBases,
  maySend,
  mutationRule,
  namedAgencyRefusal,
  preconditionRefusal,
  type BasisHolder,
  type RegisteredAgency,
} from './mutation-rules.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';
import {
  asksForData,
  inlineFragments,
  scanSelection,
  variablesUsed,
  type NestedPerson,
  type Scan,
} from './selection.js';

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
  decide(
    personIds: readonly string[],
    categories: ReadonlySet<DataCategory>,
  ): Promise<Map<string, Map<DataCategory, Decision>>>;
  /** Records the decisions of a fetch before anything is sent; a failure fails the fetch (fail closed). */
  record(decisions: readonly PersonDecisions[]): Promise<void>;
  /** The calling agency, as a mutation's precondition asks about it. */
  readonly caller: DecisionCaller;
  /**
   * Decisions for any agency (a mutation's precondition may ask about the agency its input names), read
   * fresh from the bases, on the bases `only` lists if given; recorded by the caller with `record`.
   */
  decideFor(
    agency: DecisionCaller,
    personIds: readonly string[],
    categories: ReadonlySet<DataCategory>,
    only?: ReadonlySet<LegalBasis>,
  ): Promise<Map<string, Map<DataCategory, Decision>>>;
  /** The register's entries for these agency ids; unknown ids are absent. */
  agencies(ids: readonly string[]): Promise<ReadonlyMap<string, RegisteredAgency>>;
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
  readonly send: (request: FetchRequest, categories: ReadonlySet<DataCategory>) => Promise<FetchResponse>;
}

const ID_LIST: TypeNode = {
  kind: Kind.NON_NULL_TYPE,
  type: {
    kind: Kind.LIST_TYPE,
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  },
};

const ENTITIES_OPERATION = parse(
  'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }',
).definitions[0] as OperationDefinitionNode;

const documents = new Map<string, DocumentNode>();
const DOCUMENT_CACHE_SIZE = 2_000;

function parsed(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) {
    document = inlineFragments(parse(query));
    if (documents.size >= DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value!);
    documents.set(query, document);
  }
  return document;
}

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1) throw new Error('a subgraph fetch has exactly one operation');
  return operations[0]!;
}

function forbidden(message: string, path: Path, extensions: Record<string, unknown>): GraphQLFormattedError {
  return { message, path: [...path], extensions: { code: 'FORBIDDEN', ...extensions } };
}

function denialErrors(
  personId: string,
  scan: Scan,
  decisions: ReadonlyMap<DataCategory, Decision>,
  base: Path,
): GraphQLFormattedError[] {
  const errors: GraphQLFormattedError[] = [];
  const reported = new Set<DataCategory>();
  for (const use of scan.uses) {
    const decision = decisions.get(use.category);
    if (!decision || decision.allowed || reported.has(use.category)) continue;
    reported.add(use.category);
    errors.push(
      forbidden(`No legal basis to read ${use.category} of this person`, [...base, ...use.path], {
        reason: decision.reason,
        category: use.category,
        personId,
      }),
    );
  }
  return errors;
}

function deniedCategories(decisions: ReadonlyMap<DataCategory, Decision>): Set<DataCategory> {
  return new Set([...decisions].filter(([, d]) => !d.allowed).map(([c]) => c));
}

/**
 * The persons an `id`/`ids` argument names, as the subgraph will read them (a single value where a list
 * is expected is a list of one; UUIDs compare in lower case), or null when they cannot be told (fail closed).
 */
const personKey = (id: unknown) => String(id).toLowerCase();

function personIdsOf(value: unknown): string[] | null {
  const values = Array.isArray(value) ? value.flat(Infinity) : [value];
  if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) return null;
  return values.map((v) => String(v).toLowerCase());
}

const groupKey = (denied: ReadonlySet<DataCategory>) => [...denied].sort().join(',');

function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const filled = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (filled[name] === undefined && definition.defaultValue)
      filled[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return filled;
}

function valueOf(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.STRING:
    case Kind.ENUM:
    case Kind.INT:
      return node.value;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

function argument(field: FieldNode, name: string): ArgumentNode | undefined {
  return field.arguments?.find((a) => a.name.value === name);
}

/** Where a nested person sits in a response: the object and its full path. */
interface Placed {
  readonly object: Record<string, unknown>;
  readonly path: Path;
}

function place(value: unknown, keys: readonly string[], path: Path, out: Placed[]): void {
  if (value == null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => place(item, keys, [...path, i], out));
    return;
  }
  if (typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  if (!keys.length) {
    out.push({ object, path });
    return;
  }
  place(object[keys[0]!], keys.slice(1), [...path, keys[0]!], out);
}

interface PendingNested {
  readonly base: Path;
  readonly nested: NestedPerson;
}

/** Everything one enforced fetch produced: data to hand the gateway, errors, nested persons left to decide. */
interface Assembled {
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
  pending: PendingNested[];
}

export async function enforceFetch(original: FetchRequest, options: EnforceOptions): Promise<FetchResponse> {
  const document = parsed(original.query);
  const operation = operationOf(document);
  // Decide on the values the subgraph would use: a variable's default counts as if it were sent.
  const request = { ...original, variables: withDefaults(operation, original.variables) };
  if (operation.operation === 'mutation') {
    const assembled = await enforceMutation(request, document, operation, options);
    await resolveNested(assembled, request, operation, options);
    return { data: assembled.data, ...(assembled.errors.length ? { errors: assembled.errors } : {}) };
  }

  // The same entity reached at many positions is decided, logged and fetched once, then answered at each.
  const representations = request.variables['representations'];
  const dedup =
    entitiesField(operation) && Array.isArray(representations) ? deduplicateRepresentations(representations) : null;
  const asked = dedup ? { ...request, variables: { ...request.variables, representations: dedup.unique } } : request;
  const assembled = await enforceQuery(asked, document, operation, options);
  await resolveNested(assembled, asked, operation, options);
  const response: FetchResponse = {
    data: assembled.data,
    ...(assembled.errors.length ? { errors: assembled.errors } : {}),
  };
  return dedup ? expandEntities(response, dedup, (representations as unknown[]).length) : response;
}

function entitiesField(operation: OperationDefinitionNode): FieldNode | undefined {
  return operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities',
  );
}

/**
 * A mutation fetch, held to MUTATION_RULES (mutation-rules.ts): an agency records in its own domain's
 * system, or another's where a rule lets its domain; every named agency and every precondition is checked
 * before anything is sent. A caller of another domain gets back a receipt (categorized fields taken out)
 * or the person data decided like any read; a person reached from the answer is decided on their own.
 */
async function enforceMutation(
  request: FetchRequest,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: EnforceOptions,
): Promise<Assembled> {
  const { index } = options;
  const fields = rootFields(operation.selectionSet);
  const keyOf = (field: FieldNode) => field.alias?.value ?? field.name.value;
  const refused = fields.filter(
    (f) => !maySend(mutationRule(f.name.value), options.callerDomain, options.subgraphDomain),
  );
  if (refused.length) {
    return {
      data: null,
      errors: refused.map((f) =>
        forbidden(`Only an agency of the ${options.subgraphDomain} domain records this`, [keyOf(f)], {
          reason: 'NOT_OWN_DOMAIN',
        }),
      ),
      pending: [],
    };
  }
  const unmet = await unmetRules(fields, request.variables, options);
  if (unmet.length) return { data: null, errors: unmet, pending: [] };

  if (options.callerDomain === options.subgraphDomain) {
    const categories = new Set(
      [...index.categories.values()].filter((c) => owningDomain(c) === options.subgraphDomain),
    );
    const response = await options.send({ ...request, query: print(document) }, categories);
    return {
      data: (response.data ?? null) as Record<string, unknown> | null,
      errors: [...(response.errors ?? [])],
      pending: [],
    };
  }

  const everything = new Set(index.categories.values());
  const errors: GraphQLFormattedError[] = [];
  const pending: PendingNested[] = [];
  const categories = new Set<DataCategory>();
  const selections: FieldNode[] = [];
  for (const field of fields) {
    const key = keyOf(field);
    const type = index.field('Mutation', field.name.value)?.type ?? '';
    if (!field.selectionSet) {
      selections.push(field);
      continue;
    }
    const full = scanSelection(index, field.selectionSet, type);
    const personId =
      mutationRule(field.name.value)?.answer === 'decided' ? inputPersonId(field, request.variables) : null;
    if (personId) {
      // 'decided': the answer about input.personId is decided for the caller like any read of that person.
      const decisionsOf = await decideScopes([{ base: [key], personId, scan: full }], options);
      const denied = deniedCategories(decisionsOf(personId));
      errors.push(...denialErrors(personId, full, decisionsOf(personId), [key]));
      const scan = scanSelection(index, field.selectionSet, type, denied);
      scan.uses.forEach((u) => categories.add(u.category));
      for (const nested of scan.nested) pending.push({ base: [key], nested });
      selections.push({ ...field, selectionSet: scan.selectionSet });
      continue;
    }
    // 'receipt' (or no person to decide for): nothing categorized goes back to the sender.
    for (const use of full.uses) {
      errors.push(
        forbidden(`The sender sees its receipt, not ${use.category}`, [key, ...use.path], {
          reason: 'NO_LEGAL_BASIS',
          category: use.category,
        }),
      );
    }
    const scan = scanSelection(index, field.selectionSet, type, everything);
    for (const nested of scan.nested) pending.push({ base: [key], nested });
    selections.push({ ...field, selectionSet: scan.selectionSet });
  }
  const rewritten = withVariables(operation, { ...operation.selectionSet, selections });
  const response = await sendRewritten(rewritten, request.variables, categories, document, request, options);
  errors.push(...(response.errors ?? []));
  return { data: (response.data ?? null) as Record<string, unknown> | null, errors, pending };
}

/**
 * A mutation's root fields with inline fragments flattened: the query planner sends them flat today, but
 * a field inside `... on Mutation` must never escape its rule.
 */
function rootFields(selectionSet: SelectionSetNode): FieldNode[] {
  return selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s] : s.kind === Kind.INLINE_FRAGMENT ? rootFields(s.selectionSet) : [],
  );
}

/** A mutation field's `input` argument as the subgraph will read it (empty when there is none). */
function inputOf(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const node = argument(field, 'input');
  const value: unknown = node ? valueFromASTUntyped(node.value, variables) : undefined;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function inputPersonId(field: FieldNode, variables: Record<string, unknown>): string | null {
  const id = inputOf(field, variables)['personId'];
  return typeof id === 'string' || typeof id === 'number' ? personKey(id) : null;
}

/** The agency whose basis a precondition asks for; undefined when the input names none of the register. */
function holderOf(
  holder: BasisHolder,
  input: Readonly<Record<string, unknown>>,
  caller: DecisionCaller,
  register: ReadonlyMap<string, RegisteredAgency>,
): DecisionCaller | undefined {
  if (holder.kind === 'caller') return caller;
  const id = input[holder.input];
  const agency = typeof id === 'string' ? register.get(id) : undefined;
  return agency ? { agencyId: agency.id, domain: agency.domain, jurisdiction: agency.jurisdiction } : undefined;
}

/**
 * The rules' checks, before anything is sent: each agency the input names is registered and of the
 * rule's domain (else BAD_USER_INPUT with the rule's reason), and each precondition's basis holds now,
 * read fresh and recorded in the access log (else FORBIDDEN with the decision's reason).
 */
async function unmetRules(
  fields: readonly FieldNode[],
  variables: Record<string, unknown>,
  options: EnforceOptions,
): Promise<GraphQLFormattedError[]> {
  const ruled = fields.flatMap((field) => {
    const rule = mutationRule(field.name.value);
    return rule && (rule.namedAgencies?.length || rule.requires)
      ? [{ key: field.alias?.value ?? field.name.value, rule, input: inputOf(field, variables), field }]
      : [];
  });
  if (!ruled.length) return [];
  const { policy } = options;
  const named = ruled.flatMap(({ rule, input }) => (rule.namedAgencies ?? []).map((n) => input[n.input]));
  const register = await policy.agencies([
    policy.caller.agencyId,
    ...named.filter((id): id is string => typeof id === 'string'),
  ]);
  const errors: GraphQLFormattedError[] = [];
  for (const { key, rule, input, field } of ruled) {
    const wrongAgency = namedAgencyRefusal(rule, input, register.get(policy.caller.agencyId), register);
    if (wrongAgency) {
      errors.push({
        message: `${wrongAgency.input} does not name an agency this can be sent to`,
        path: [key],
        extensions: { code: 'BAD_USER_INPUT', reason: wrongAgency.reason, argument: `input.${wrongAgency.input}` },
      });
      continue;
    }
    const precondition = rule.requires;
    if (!precondition) continue;
    const personId = inputPersonId(field, variables);
    const holder = holderOf(precondition.holder, input, policy.caller, register);
    const decisions =
      personId && holder
        ? ((
            await policy.decideFor(holder, [personId], new Set(precondition.categories), acceptedBases(precondition))
          ).get(personId) ?? new Map<DataCategory, Decision>())
        : new Map<DataCategory, Decision>();
    if (personId && decisions.size) await policy.record([{ personId, decisions }]);
    const refusal = preconditionRefusal(precondition, decisions);
    if (refusal) {
      errors.push(
        forbidden(`No basis for ${refusal.category} of this person: nothing was sent`, [key], {
          reason: refusal.reason,
          category: refusal.category,
          ...(personId ? { personId } : {}),
        }),
      );
    }
  }
  return errors;
}

interface PersonScope {
  /** Where the person's object is in the subgraph response. */
  readonly base: Path;
  readonly personId: string;
  readonly scan: Scan;
}

async function decideScopes(scopes: readonly PersonScope[], options: EnforceOptions) {
  const personIds = [...new Set(scopes.map((s) => s.personId))];
  const categories = new Set(scopes.flatMap((s) => s.scan.uses.map((u) => u.category)));
  const decisions = categories.size ? await options.policy.decide(personIds, categories) : new Map();
  const recorded = personIds
    .map((personId) => ({ personId, decisions: decisions.get(personId) ?? new Map<DataCategory, Decision>() }))
    .filter((p) => p.decisions.size);
  if (recorded.length) await options.policy.record(recorded);
  return (personId: string): ReadonlyMap<DataCategory, Decision> => decisions.get(personId) ?? new Map();
}

/** Only the variables an operation declares: a subgraph never sees ids the rewritten query dropped. */
function declaredVariables(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const declared = new Set((operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  return Object.fromEntries(Object.entries(variables).filter(([name]) => declared.has(name)));
}

function withVariables(
  operation: OperationDefinitionNode,
  selectionSet: SelectionSetNode,
  extra: VariableDefinitionNode[] = [],
) {
  const used = variablesUsed(selectionSet);
  const definitions = [...(operation.variableDefinitions ?? []), ...extra].filter((d) =>
    used.has(d.variable.name.value),
  );
  return { ...operation, variableDefinitions: definitions, selectionSet };
}

/** Sends a rewritten operation of the fetch's document, with only the variables it declares. */
function sendRewritten(
  rewritten: OperationDefinitionNode,
  variables: Record<string, unknown>,
  categories: ReadonlySet<DataCategory>,
  document: DocumentNode,
  request: FetchRequest,
  options: EnforceOptions,
): Promise<FetchResponse> {
  return options.send(
    {
      query: print({ ...document, definitions: [rewritten] }),
      variables: declaredVariables(rewritten, variables),
      operationName: request.operationName,
    },
    categories,
  );
}

function categoriesIn(index: SchemaIndex, selectionSet: SelectionSetNode, parentType: string): Set<DataCategory> {
  return new Set(scanSelection(index, selectionSet, parentType).uses.map((u) => u.category));
}

async function enforceQuery(
  request: FetchRequest,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: EnforceOptions,
): Promise<Assembled> {
  const entities = entitiesField(operation);
  if (entities) return enforceEntities(request, document, operation, entities, options);
  return enforceRootFields(request, document, operation, options);
}

/** An `_entities` fetch: persons are the representations; group them by what is denied to them. */
async function enforceEntities(
  request: FetchRequest,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  entities: FieldNode,
  options: EnforceOptions,
): Promise<Assembled> {
  const { index } = options;
  const representations = (request.variables['representations'] ?? []) as { __typename: string; id?: unknown }[];
  const personFragment = (set: SelectionSetNode) =>
    set.selections.find((s) => s.kind === Kind.INLINE_FRAGMENT && s.typeCondition?.name.value === PERSON_TYPE);
  const entitySelection = entities.selectionSet!;
  const personSelection = personFragment(entitySelection);
  const personSet: SelectionSetNode | undefined =
    personSelection?.kind === Kind.INLINE_FRAGMENT ? personSelection.selectionSet : undefined;

  const fullScan = personSet ? scanSelection(index, personSet, PERSON_TYPE) : undefined;
  const scopes: PersonScope[] = [];
  representations.forEach((r, i) => {
    if (r.__typename === PERSON_TYPE && fullScan)
      scopes.push({ base: ['_entities', i], personId: personKey(r.id), scan: fullScan });
  });
  const decisionsOf = await decideScopes(scopes, options);

  // Representations that share what is denied to them share one request.
  const groups = new Map<string, { denied: Set<DataCategory>; indices: number[] }>();
  const others: number[] = [];
  representations.forEach((r, i) => {
    if (r.__typename !== PERSON_TYPE || !fullScan) {
      others.push(i);
      return;
    }
    const denied = deniedCategories(decisionsOf(personKey(r.id)));
    const key = groupKey(denied);
    const group = groups.get(key) ?? { denied, indices: [] };
    group.indices.push(i);
    groups.set(key, group);
  });
  const groupList = [...groups.values()];
  if (others.length) {
    if (groupList.length) groupList[0]!.indices.push(...others);
    else groupList.push({ denied: new Set(), indices: others });
  }

  const result: unknown[] = new Array(representations.length).fill(null);
  const errors: GraphQLFormattedError[] = [];
  const pending: PendingNested[] = [];

  await Promise.all(
    groupList.map(async ({ denied, indices }) => {
      const scan = personSet ? scanSelection(index, personSet, PERSON_TYPE, denied) : undefined;
      const hasOthers = indices.some((i) => representations[i]!.__typename !== PERSON_TYPE);
      for (const i of indices) {
        const r = representations[i]!;
        if (r.__typename !== PERSON_TYPE || !scan) continue;
        errors.push(...denialErrors(personKey(r.id), fullScan!, decisionsOf(personKey(r.id)), ['_entities', i]));
        for (const nested of scan.nested) pending.push({ base: ['_entities', i], nested });
      }
      if (scan && !hasOthers && !asksForData(scan.selectionSet)) {
        // Nothing left to ask: the subgraph never hears of these persons.
        for (const i of indices) result[i] = { __typename: PERSON_TYPE, id: representations[i]!.id };
        return;
      }
      const selectionSet: SelectionSetNode = {
        ...entitySelection,
        selections: entitySelection.selections.map((s) =>
          s === personSelection && scan && s.kind === Kind.INLINE_FRAGMENT
            ? { ...s, selectionSet: scan.selectionSet }
            : s,
        ),
      };
      const rewritten: OperationDefinitionNode = {
        ...operation,
        selectionSet: { ...operation.selectionSet, selections: [{ ...entities, selectionSet }] },
      };
      const categories = new Set([
        ...categoriesIn(index, selectionSet, 'Query'),
        ...(scan ? [...new Set(scan.uses.map((u) => u.category))].filter((c) => !denied.has(c)) : []),
      ]);
      const response = await sendRewritten(
        rewritten,
        {
          ...request.variables,
          representations: indices.map((i) => representations[i]),
        },
        categories,
        document,
        request,
        options,
      );
      const received = (response.data?.['_entities'] ?? []) as unknown[];
      indices.forEach((i, j) => {
        result[i] = received[j] ?? null;
      });
      for (const error of response.errors ?? []) {
        const path = error.path;
        errors.push(
          path && path[0] === '_entities' && typeof path[1] === 'number'
            ? { ...error, path: ['_entities', indices[path[1]] ?? path[1], ...path.slice(2)] }
            : error,
        );
      }
    }),
  );
  return { data: { _entities: result }, errors, pending };
}

/** A fetch of root fields: `person(id)` and `people(ids)` are decided per person; others hold no person. */
async function enforceRootFields(
  request: FetchRequest,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: EnforceOptions,
): Promise<Assembled> {
  const { index } = options;
  const rootType = 'Query';
  const fields = operation.selectionSet.selections as readonly FieldNode[];

  // First pass: every person a root field names, and what it reads.
  interface RootPlan {
    field: FieldNode;
    key: string;
    personIds: unknown[] | null;
    list: boolean;
    scan: Scan | null;
  }
  const plans: RootPlan[] = fields.map((field) => {
    const info = field.kind === Kind.FIELD ? index.field(rootType, field.name.value) : undefined;
    const key = field.alias?.value ?? field.name.value;
    if (!info || info.type !== PERSON_TYPE || !field.selectionSet)
      return { field, key, personIds: null, list: false, scan: null };
    const single = argument(field, 'id');
    const many = argument(field, 'ids');
    const personIds = personIdsOf(valueOf((single ?? many)?.value, request.variables));
    if (!personIds) return { field, key, personIds: null, list: false, scan: null };
    return { field, key, personIds, list: Boolean(many), scan: scanSelection(index, field.selectionSet, PERSON_TYPE) };
  });
  const scopes: PersonScope[] = plans.flatMap((p) =>
    p.scan ? (p.personIds ?? []).map((id) => ({ base: [p.key], personId: String(id), scan: p.scan! })) : [],
  );
  const decisionsOf = await decideScopes(scopes, options);

  // Second pass: rewrite each root field for what is denied. A list whose persons differ in what is
  // denied to them is split into one request per group, so no request names a person beside a field
  // that person is denied.
  const errors: GraphQLFormattedError[] = [];
  const pending: PendingNested[] = [];
  const selections: FieldNode[] = [];
  const categories = new Set<DataCategory>();
  const splits: (() => Promise<void>)[] = [];
  const audited: { key: string; categories: ReadonlySet<DataCategory> }[] = [];
  let data: Record<string, unknown> | null = {};

  const sendField = async (
    field: FieldNode,
    variables: Record<string, unknown>,
    extra: VariableDefinitionNode[],
    reads: ReadonlySet<DataCategory>,
  ) => {
    const rewritten = withVariables(operation, { ...operation.selectionSet, selections: [field] }, extra);
    return sendRewritten(rewritten, variables, reads, document, request, options);
  };

  for (const plan of plans) {
    const type = index.field(rootType, plan.field.name.value)?.type ?? '';
    if (!plan.scan) {
      // No person to decide for, or none that can be told: a categorized field has no basis (fail closed).
      if (!plan.field.selectionSet) {
        selections.push(plan.field);
        continue;
      }
      const found = scanSelection(index, plan.field.selectionSet, type);
      // Rule 1 needs no person: an agency reads its own system's records (e.g. its urgent-report queue).
      const own = (c: DataCategory) =>
        options.callerDomain === options.subgraphDomain && owningDomain(c) === options.callerDomain;
      const denied = new Set(found.uses.map((u) => u.category).filter((c) => !own(c)));
      for (const use of found.uses) {
        if (own(use.category)) {
          categories.add(use.category);
          continue;
        }
        errors.push(
          forbidden(`No person to decide ${use.category} for`, [plan.key, ...use.path], {
            reason: 'NO_LEGAL_BASIS',
            category: use.category,
          }),
        );
      }
      const rewritten = scanSelection(index, plan.field.selectionSet, type, denied);
      for (const nested of rewritten.nested) pending.push({ base: [plan.key], nested });
      const ownRead = new Set(found.uses.map((u) => u.category).filter(own));
      if (ownRead.size) {
        // The records read are about persons: each is named in the access log before anything is released.
        audited.push({ key: plan.key, categories: ownRead });
        const added = new Set<DataCategory>();
        const selectionSet = withAuditPersons(index, rewritten.selectionSet, type, own, added);
        added.forEach((c) => categories.add(c));
        selections.push({ ...plan.field, selectionSet });
      } else {
        selections.push({ ...plan.field, selectionSet: rewritten.selectionSet });
      }
      continue;
    }
    const ids = (plan.personIds ?? []).map(String);
    const byGroup = new Map<string, { denied: Set<DataCategory>; positions: number[] }>();
    ids.forEach((id, position) => {
      const denied = deniedCategories(decisionsOf(id));
      const key = groupKey(denied);
      const group = byGroup.get(key) ?? { denied, positions: [] };
      group.positions.push(position);
      byGroup.set(key, group);
      errors.push(...denialErrors(id, plan.scan!, decisionsOf(id), plan.list ? [plan.key, position] : [plan.key]));
    });
    const groups = [...byGroup.values()];
    const scanFor = (denied: ReadonlySet<DataCategory>, positions: readonly number[]) => {
      const scan = scanSelection(index, plan.field.selectionSet!, PERSON_TYPE, denied);
      for (const position of positions) {
        for (const nested of scan.nested) pending.push({ base: plan.list ? [plan.key, position] : [plan.key], nested });
      }
      return scan;
    };
    const reads = (scan: Scan, denied: ReadonlySet<DataCategory>) =>
      new Set(scan.uses.map((u) => u.category).filter((c) => !denied.has(c)));

    if (groups.length <= 1) {
      const denied = groups[0]?.denied ?? new Set<DataCategory>();
      const scan = scanFor(denied, groups[0]?.positions ?? []);
      reads(scan, denied).forEach((c) => categories.add(c));
      selections.push({ ...plan.field, selectionSet: scan.selectionSet });
      continue;
    }
    const variable = '__hub_ids';
    const variableDefinition: VariableDefinitionNode = {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: variable } },
      type: ID_LIST,
    };
    for (const group of groups) {
      const scan = scanFor(group.denied, group.positions);
      const field: FieldNode = {
        ...plan.field,
        alias: { kind: Kind.NAME, value: plan.key },
        arguments: (plan.field.arguments ?? []).map((a) =>
          a.name.value === 'ids'
            ? { ...a, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: variable } } }
            : a,
        ),
        selectionSet: scan.selectionSet,
      };
      splits.push(async () => {
        const response = await sendField(
          field,
          { ...request.variables, [variable]: group.positions.map((p) => ids[p]) },
          [variableDefinition],
          reads(scan, group.denied),
        );
        const received = (response.data?.[plan.key] ?? []) as unknown[];
        if (data) {
          const list = (data[plan.key] ??= new Array(ids.length).fill(null)) as unknown[];
          group.positions.forEach((position, j) => (list[position] = received[j] ?? null));
        }
        for (const error of response.errors ?? []) {
          const path = error.path;
          errors.push(
            path && path[0] === plan.key && typeof path[1] === 'number'
              ? { ...error, path: [plan.key, group.positions[path[1]] ?? path[1], ...path.slice(2)] }
              : error,
          );
        }
      });
    }
  }

  const main = selections.length
    ? (async () => {
        const rewritten = withVariables(operation, { ...operation.selectionSet, selections });
        const response = await sendRewritten(rewritten, request.variables, categories, document, request, options);
        if (response.data == null) data = null;
        else if (data) Object.assign(data, response.data);
        errors.push(...(response.errors ?? []));
      })()
    : Promise.resolve();
  await Promise.all([main, ...splits.map((send) => send())]);
  if (audited.length && data) await recordOwnReads(data, audited, options);
  return { data, errors, pending };
}

/** The alias under which an own-domain read asks for each record's person, to name them in the access log. */
const AUDIT_PERSON = '__hub_audit_person';

/**
 * Adds `__hub_audit_person: person { id }` to every object in the selection that belongs to a person,
 * where the caller may read that field by its own domain; `added` collects the categories it reads.
 */
function withAuditPersons(
  index: SchemaIndex,
  selectionSet: SelectionSetNode,
  type: string,
  own: (category: DataCategory) => boolean,
  added: Set<DataCategory>,
): SelectionSetNode {
  const selections = selectionSet.selections.map((s) => {
    if (s.kind === Kind.FIELD && s.selectionSet) {
      const child = index.field(type, s.name.value)?.type;
      return child && child !== PERSON_TYPE
        ? { ...s, selectionSet: withAuditPersons(index, s.selectionSet, child, own, added) }
        : s;
    }
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const on = s.typeCondition?.name.value ?? type;
      return { ...s, selectionSet: withAuditPersons(index, s.selectionSet, on, own, added) };
    }
    return s;
  });
  const person = index.field(type, 'person');
  if (person?.type === PERSON_TYPE && (!person.category || own(person.category))) {
    if (person.category) added.add(person.category);
    selections.push({
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: AUDIT_PERSON },
      name: { kind: Kind.NAME, value: 'person' },
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }],
      },
    });
  }
  return { ...selectionSet, selections };
}

/**
 * Records an agency's reads of its own domain's records (rule 1, OWN_DOMAIN) for every person they are
 * about, and takes the added keys out of the answer. Recording fails closed like any other decision.
 */
async function recordOwnReads(
  data: Record<string, unknown>,
  audited: readonly { key: string; categories: ReadonlySet<DataCategory> }[],
  options: EnforceOptions,
): Promise<void> {
  const byPerson = new Map<string, Map<DataCategory, Decision>>();
  const collect = (value: unknown, categories: ReadonlySet<DataCategory>): void => {
    if (Array.isArray(value)) return value.forEach((item) => collect(item, categories));
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const person = record[AUDIT_PERSON] as { id?: unknown } | null | undefined;
    delete record[AUDIT_PERSON];
    if (person && typeof person.id === 'string') {
      const decisions = byPerson.get(person.id.toLowerCase()) ?? new Map<DataCategory, Decision>();
      for (const category of categories) decisions.set(category, { allowed: true, basis: 'OWN_DOMAIN' });
      byPerson.set(person.id.toLowerCase(), decisions);
    }
    for (const child of Object.values(record)) collect(child, categories);
  };
  for (const { key, categories } of audited) collect(data[key], categories);
  if (byPerson.size) {
    await options.policy.record([...byPerson].map(([personId, decisions]) => ({ personId, decisions })));
  }
}

/**
 * Persons reached inside another person's data were fetched as bare keys; each is now decided on its own
 * and fetched, through this same enforcement, as an `_entities` request, then merged in place.
 */
async function resolveNested(
  assembled: Assembled,
  request: FetchRequest,
  operation: OperationDefinitionNode,
  options: EnforceOptions,
): Promise<void> {
  if (!assembled.data || !assembled.pending.length) return;
  const bySelection = new Map<SelectionSetNode, Placed[]>();
  for (const { base, nested } of assembled.pending) {
    const start = base.reduce<unknown>(
      (value, key) => (value as Record<string | number, unknown> | null)?.[key] ?? null,
      assembled.data,
    );
    const placed: Placed[] = [];
    place(start, nested.path, base, placed);
    const list = bySelection.get(nested.selectionSet) ?? [];
    list.push(...placed.filter((p) => typeof p.object['id'] === 'string'));
    bySelection.set(nested.selectionSet, list);
  }

  await Promise.all(
    [...bySelection].map(async ([selectionSet, placed]) => {
      if (!placed.length) return;
      const ids = [...new Set(placed.map((p) => p.object['id'] as string))];
      const entitiesSelection: SelectionSetNode = {
        kind: Kind.SELECTION_SET,
        selections: [
          {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: PERSON_TYPE } },
            selectionSet,
          },
        ],
      };
      const entitiesField = ENTITIES_OPERATION;
      const field = entitiesField.selectionSet.selections[0] as FieldNode;
      const used = variablesUsed(selectionSet);
      const followUp: OperationDefinitionNode = {
        ...entitiesField,
        variableDefinitions: [
          ...(entitiesField.variableDefinitions ?? []),
          ...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
        ],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [{ ...field, selectionSet: entitiesSelection }] },
      };
      const variables: Record<string, unknown> = {
        representations: ids.map((id) => ({ __typename: PERSON_TYPE, id })),
      };
      for (const name of used) variables[name] = request.variables[name];
      const response = await enforceFetch(
        { query: print({ kind: Kind.DOCUMENT, definitions: [followUp] }), variables },
        options,
      );
      const received = (response.data?.['_entities'] ?? []) as (Record<string, unknown> | null)[];
      const indexOf = new Map(ids.map((id, i) => [id, i]));
      for (const p of placed) Object.assign(p.object, received[indexOf.get(p.object['id'] as string)!] ?? {});
      for (const error of response.errors ?? []) {
        const path = error.path;
        if (!(path && path[0] === '_entities' && typeof path[1] === 'number')) {
          assembled.errors.push(error);
          continue;
        }
        const id = ids[path[1]];
        for (const p of placed.filter((q) => q.object['id'] === id))
          assembled.errors.push({ ...error, path: [...p.path, ...path.slice(2)] });
      }
    }),
  );
}
