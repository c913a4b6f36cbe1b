// A fetch of root Query fields: `person(id)` and `people(ids)` are decided per person (a list split by
// what its persons are denied); a field without a person reads only its caller's own domain.

import {
  Kind,
  type FieldNode,
  type GraphQLFormattedError,
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ERRORS, owningDomain, PEOPLE_IDS_LIMIT, type DataCategory } from '@hub/platform';
import {
  argument,
  responseKey,
  type Assembled,
  type EnforceOptions,
  type FetchResponse,
  type PendingNested,
  type PersonScope,
  type SubgraphFetch,
} from './fetch.js';
import {
  decideScopes,
  deniedCategories,
  denialErrors,
  forbidden,
  groupKey,
  readsOf,
  type DecisionsOf,
} from './decisions.js';
import { reindexed, sendRewritten, withVariables } from './send.js';
import { recordOwnReads, withAuditPersons, type OwnRead } from './own-reads.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';
import { scanSelection, type Scan } from './selection.js';

const ROOT_TYPE = 'Query';

/** The variable a split request names its group's persons by. */
const IDS_VARIABLE = '__hub_ids';

const ID_LIST: TypeNode = {
  kind: Kind.NON_NULL_TYPE,
  type: {
    kind: Kind.LIST_TYPE,
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  },
};

const IDS_DEFINITION: VariableDefinitionNode = {
  kind: Kind.VARIABLE_DEFINITION,
  variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: IDS_VARIABLE } },
  type: ID_LIST,
};

/** A root field, the persons it names (null when it names none that can be told) and what it reads. */
interface RootPlan {
  readonly field: FieldNode;
  readonly key: string;
  readonly personIds: readonly string[] | null;
  readonly list: boolean;
  readonly scan: Scan | null;
  /** An argument naming persons refused as input (not an id at all, too many): before anything is decided or sent. */
  readonly refused?: {
    readonly argument: string;
    readonly reason: 'INVALID_ID' | 'OUT_OF_RANGE';
    readonly message: string;
  };
}

// A person id is a UUID: anything else is refused as input, alike for every caller.
const PERSON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Persons of a list denied the same categories, by their positions in the list. */
interface DeniedGroup {
  readonly denied: ReadonlySet<DataCategory>;
  readonly positions: number[];
}

/** What the root fields of a fetch add up to while each is rewritten for what is denied. */
interface RootWork {
  data: Record<string, unknown> | null;
  readonly errors: GraphQLFormattedError[];
  readonly pending: PendingNested[];
  /** The fields sent together in one request, and the categories they read. */
  readonly selections: FieldNode[];
  readonly categories: Set<DataCategory>;
  /** Requests of their own: one per group of a list whose persons differ in what is denied. */
  readonly splits: (() => Promise<void>)[];
  readonly audited: OwnRead[];
}

/** A fetch of root fields: `person(id)` and `people(ids)` are decided per person; others hold no person. */
export async function enforceRootFields(fetch: SubgraphFetch): Promise<Assembled> {
  const { options, operation, request } = fetch;
  const fields = operation.selectionSet.selections as readonly FieldNode[];
  const plans = fields.map((field) => planRootField(field, request.variables, options.index));
  const decisionsOf = await decideScopes(personScopes(plans), options);
  await recordAskedOfStrangers(plans, decisionsOf.strangers, options);
  const work: RootWork = {
    data: {},
    errors: [],
    pending: [],
    selections: [],
    categories: new Set(),
    splits: [],
    audited: [],
  };
  for (const plan of plans) {
    if (plan.refused) refuseInput(plan, plan.refused, work);
    else if (plan.scan) addPersonField(fetch, plan, plan.scan, decisionsOf, work);
    else addFieldWithoutPerson(fetch, plan, work);
  }
  await Promise.all([sendTogether(fetch, work), ...work.splits.map((send) => send())]);
  if (work.audited.length && work.data) await recordOwnReads(work.data, work.audited, options);
  return { data: work.data, errors: work.errors, pending: work.pending };
}

function planRootField(field: FieldNode, variables: Record<string, unknown>, index: SchemaIndex): RootPlan {
  const info = field.kind === Kind.FIELD ? index.field(ROOT_TYPE, field.name.value) : undefined;
  const key = responseKey(field);
  const none: RootPlan = { field, key, personIds: null, list: false, scan: null };
  if (!info || info.type !== PERSON_TYPE || !field.selectionSet) return none;
  const single = argument(field, 'id');
  const many = argument(field, 'ids');
  const personIds = personIdsOf(valueOf((single ?? many)?.value, variables));
  if (!personIds) return none;
  if (personIds.some((id) => !PERSON_ID.test(id))) {
    const name = single ? 'id' : 'ids';
    return {
      ...none,
      refused: { argument: name, reason: 'INVALID_ID', message: `${name} is not a person id (a UUID)` },
    };
  }
  // Each id is decided and logged: a list past the limit would grow the access log by thousands a request.
  if (many && personIds.length > PEOPLE_IDS_LIMIT) {
    const message = `${field.name.value} takes at most ${PEOPLE_IDS_LIMIT} ids`;
    return { ...none, refused: { argument: 'ids', reason: 'OUT_OF_RANGE', message } };
  }
  return { field, key, personIds, list: Boolean(many), scan: scanSelection(index, field.selectionSet, PERSON_TYPE) };
}

/**
 * A stranger is answered as an id that names no one, so no other subgraph the operation reads of them is
 * ever asked, and what it would have read there is decided nowhere else: it is decided and logged here,
 * with the root's own categories already logged by decideScopes, so the person's access log holds every
 * denial about them (contract v2: every access is decided and logged).
 */
async function recordAskedOfStrangers(
  plans: readonly RootPlan[],
  strangers: ReadonlySet<string>,
  options: EnforceOptions,
): Promise<void> {
  if (!strangers.size || !options.requested) return;
  const asked = new Map<string, Set<DataCategory>>();
  for (const plan of plans) {
    if (!plan.scan) continue;
    const here = new Set(plan.scan.uses.map((use) => use.category));
    const elsewhere = [...options.requested(plan.key)].filter((category) => !here.has(category));
    if (!elsewhere.length) continue;
    for (const personId of plan.personIds ?? []) {
      if (!strangers.has(personId)) continue;
      const categories = asked.get(personId) ?? new Set();
      elsewhere.forEach((category) => categories.add(category));
      asked.set(personId, categories);
    }
  }
  if (!asked.size) return;
  const all = new Set([...asked.values()].flatMap((categories) => [...categories]));
  const decided = await options.policy.decide([...asked.keys()], all);
  await options.policy.record(
    [...asked].map(([personId, categories]) => ({
      personId,
      decisions: new Map([...(decided.get(personId) ?? [])].filter(([category]) => categories.has(category))),
    })),
  );
}

function refuseInput(plan: RootPlan, refused: NonNullable<RootPlan['refused']>, work: RootWork): void {
  if (work.data) work.data[plan.key] = null;
  work.errors.push({
    message: refused.message,
    path: [plan.key],
    extensions: { code: ERRORS.BAD_USER_INPUT.code, argument: refused.argument, reason: refused.reason },
  });
}

function personScopes(plans: readonly RootPlan[]): PersonScope[] {
  return plans.flatMap((p) =>
    p.scan ? (p.personIds ?? []).map((personId) => ({ base: [p.key], personId, scan: p.scan! })) : [],
  );
}

/**
 * The persons an `id`/`ids` argument names, as the subgraph will read them (a single value where a list
 * is expected is a list of one; UUIDs compare in lower case), or null when they cannot be told (fail closed).
 */
function personIdsOf(value: unknown): string[] | null {
  const values = Array.isArray(value) ? value.flat(Infinity) : [value];
  if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) return null;
  return values.map((v) => String(v).toLowerCase());
}

function valueOf(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return Object.hasOwn(variables, node.name.value) ? variables[node.name.value] : undefined;
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

/**
 * A root field with no person to decide for, or none that can be told: a categorized field has no basis
 * (fail closed), except that an agency reads its own system's records (rule 1, e.g. its urgent-report
 * queue), each record's person then named in the access log. An agency of another domain is refused a
 * field whose records are categorized whole, whichever of their fields it asks (NOT_OWN_DOMAIN), and the
 * subgraph never hears of it.
 */
function addFieldWithoutPerson({ options }: SubgraphFetch, plan: RootPlan, work: RootWork): void {
  const { index } = options;
  if (!plan.field.selectionSet) {
    work.selections.push(plan.field);
    return;
  }
  const root = index.field(ROOT_TYPE, plan.field.name.value);
  const type = root?.type ?? '';
  const found = scanSelection(index, plan.field.selectionSet, type);
  if (options.callerDomain !== options.subgraphDomain && (found.uses.length || index.tagged.has(type))) {
    refuseOtherDomain(plan, options, work, root?.list === true);
    return;
  }
  const own = (c: DataCategory) =>
    options.callerDomain === options.subgraphDomain && owningDomain(c) === options.callerDomain;
  // One error per denied category, at its first place, as a person's denials are (denialErrors): with no
  // person to name, the category is what is refused.
  const reported = new Set<DataCategory>();
  for (const use of found.uses) {
    if (own(use.category)) {
      work.categories.add(use.category);
      continue;
    }
    if (reported.has(use.category)) continue;
    reported.add(use.category);
    work.errors.push(
      forbidden(`No person to decide ${use.category} for`, [plan.key, ...use.path], {
        reason: 'NO_LEGAL_BASIS',
        category: use.category,
      }),
    );
  }
  const denied = new Set(found.uses.map((u) => u.category).filter((c) => !own(c)));
  const rewritten = scanSelection(index, plan.field.selectionSet, type, denied);
  for (const nested of rewritten.nested) work.pending.push({ base: [plan.key], nested });
  const ownRead = new Set(found.uses.map((u) => u.category).filter(own));
  if (!ownRead.size) {
    work.selections.push({ ...plan.field, selectionSet: rewritten.selectionSet });
    return;
  }
  work.audited.push({ key: plan.key, categories: ownRead });
  const added = new Set<DataCategory>();
  const selectionSet = withAuditPersons(index, rewritten.selectionSet, type, own, added);
  added.forEach((c) => work.categories.add(c));
  work.selections.push({ ...plan.field, selectionSet });
}

/**
 * Another domain's records, with no person to decide for: only an agency of the subgraph's own domain reads
 * them (rule 1), so the field is refused as a mutation of another domain is, at the field, naming no person.
 * A list is answered with the items it may read, none (CONTRACT.md: a denied list resolves to the allowed
 * items only, and the rest of the response is delivered); any other field is null.
 */
function refuseOtherDomain(plan: RootPlan, options: EnforceOptions, work: RootWork, list: boolean): void {
  if (work.data) work.data[plan.key] = list ? [] : null;
  work.errors.push(
    forbidden(`Only an agency of the ${options.subgraphDomain} domain reads this`, [plan.key], {
      reason: 'NOT_OWN_DOMAIN',
    }),
  );
}

/**
 * A root field naming persons, rewritten for what is denied. A list whose persons differ in what is
 * denied to them is split into one request per group, so no request names a person beside a field
 * that person is denied.
 */
function addPersonField(
  fetch: SubgraphFetch,
  plan: RootPlan,
  scan: Scan,
  decisionsOf: DecisionsOf,
  work: RootWork,
): void {
  const ids = plan.personIds ?? [];
  ids.forEach((id, position) =>
    work.errors.push(...denialErrors(id, scan, decisionsOf(id), plan.list ? [plan.key, position] : [plan.key])),
  );
  const groups = groupByDenied(ids, decisionsOf);
  const strangers = ids.some((id) => decisionsOf.strangers.has(id));
  if (!groups.length) {
    // Only strangers: answered as ids that name no one, and the subgraph never hears of them.
    if (work.data) work.data[plan.key] = plan.list ? ids.map(() => null) : null;
    return;
  }
  if (groups.length > 1 || strangers) {
    for (const group of groups) work.splits.push(splitRequest(fetch, plan, ids, group, work));
    return;
  }
  const denied = groups[0]?.denied ?? new Set<DataCategory>();
  const rewritten = scanFor(fetch, plan, denied, groups[0]?.positions ?? [], work.pending);
  readsOf(rewritten, denied).forEach((c) => work.categories.add(c));
  work.selections.push({ ...plan.field, selectionSet: rewritten.selectionSet });
}

function groupByDenied(ids: readonly string[], decisionsOf: DecisionsOf): DeniedGroup[] {
  const byGroup = new Map<string, DeniedGroup>();
  ids.forEach((id, position) => {
    if (decisionsOf.strangers.has(id)) return;
    const decisions = decisionsOf(id);
    const denied = deniedCategories(decisions);
    const key = groupKey(decisions);
    const group = byGroup.get(key) ?? { denied, positions: [] };
    group.positions.push(position);
    byGroup.set(key, group);
  });
  return [...byGroup.values()];
}

/** The person field's selection without what is denied; its nested persons wait at each position. */
function scanFor(
  { options }: SubgraphFetch,
  plan: RootPlan,
  denied: ReadonlySet<DataCategory>,
  positions: readonly number[],
  pending: PendingNested[],
): Scan {
  const scan = scanSelection(options.index, plan.field.selectionSet!, PERSON_TYPE, denied);
  for (const position of positions) {
    for (const nested of scan.nested) pending.push({ base: plan.list ? [plan.key, position] : [plan.key], nested });
  }
  return scan;
}

/** One group of a split list, asked for by `ids: $__hub_ids` and put back at its positions. */
function splitRequest(
  fetch: SubgraphFetch,
  plan: RootPlan,
  ids: readonly string[],
  group: DeniedGroup,
  work: RootWork,
): () => Promise<void> {
  const scan = scanFor(fetch, plan, group.denied, group.positions, work.pending);
  const field: FieldNode = {
    ...plan.field,
    alias: { kind: Kind.NAME, value: plan.key },
    arguments: (plan.field.arguments ?? []).map((a) =>
      a.name.value === 'ids'
        ? { ...a, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: IDS_VARIABLE } } }
        : a,
    ),
    selectionSet: scan.selectionSet,
  };
  return async () => {
    const { operation, request } = fetch;
    const rewritten = withVariables(operation, { ...operation.selectionSet, selections: [field] }, [IDS_DEFINITION]);
    const variables = { ...request.variables, [IDS_VARIABLE]: group.positions.map((p) => ids[p]) };
    const response = await sendRewritten(fetch, rewritten, variables, readsOf(scan, group.denied), {
      sameAs: [fetch.document, plan.field, scan.selectionSet],
    });
    mergeSplit(work, plan.key, ids.length, group.positions, response);
  };
}

function mergeSplit(
  work: RootWork,
  key: string,
  length: number,
  positions: readonly number[],
  response: FetchResponse,
): void {
  const received = (response.data?.[key] ?? []) as unknown[];
  if (work.data) {
    const list = (work.data[key] ??= new Array(length).fill(null)) as unknown[];
    positions.forEach((position, j) => (list[position] = received[j] ?? null));
  }
  for (const error of response.errors ?? []) work.errors.push(reindexed(error, key, positions));
}

/** The root fields that need no request of their own, sent together. */
async function sendTogether(fetch: SubgraphFetch, work: RootWork): Promise<void> {
  if (!work.selections.length) return;
  const { operation, request } = fetch;
  const rewritten = withVariables(operation, { ...operation.selectionSet, selections: work.selections });
  // Each selection is a field of the fetch's document, or one with a selection rewritten for it (kept per
  // denied set by scanSelection, or made anew for an own read): together they determine the text.
  const sameAs = [fetch.document, ...work.selections.map((s) => (s.kind === Kind.FIELD && s.selectionSet) || s)];
  const response = await sendRewritten(fetch, rewritten, request.variables, work.categories, { sameAs });
  if (response.data == null) work.data = null;
  else if (work.data) Object.assign(work.data, response.data);
  work.errors.push(...(response.errors ?? []));
}
