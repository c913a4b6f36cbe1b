// An `_entities` fetch: the persons are its representations, grouped by what is denied to them so each
// group is one request that names no person beside a field that person is denied.

import { Kind, type FieldNode, type InlineFragmentNode, type SelectionSetNode } from 'graphql';
import type { DataCategory } from '@hub/platform';
import { personKey, type Assembled, type FetchResponse, type PersonScope, type SubgraphFetch } from './fetch.js';
import { decideScopes, deniedCategories, denialErrors, groupKey, readsOf, type DecisionsOf } from './decisions.js';
import { memoizedBy, memoTrie, reindexed, sendRewritten } from './send.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';
import { asksForData, keyAnswer, scanSelection, type Scan } from './selection.js';

interface Representation {
  readonly __typename: string;
  readonly id?: unknown;
}

/** An `_entities` fetch as it is decided: its representations and what it reads of the persons among them. */
interface EntitiesPlan {
  readonly fetch: SubgraphFetch;
  readonly entities: FieldNode;
  readonly representations: readonly Representation[];
  /** The `... on Person` fragment of the selection, and what it reads with nothing denied. */
  readonly personFragment: InlineFragmentNode | undefined;
  readonly fullScan: Scan | undefined;
  readonly decisionsOf: DecisionsOf;
}

/** Representations denied the same categories, by their indices. */
interface DeniedGroup {
  readonly denied: ReadonlySet<DataCategory>;
  readonly indices: number[];
}

/** An `_entities` fetch: persons are the representations; group them by what is denied to them. */
export async function enforceEntities(fetch: SubgraphFetch, entities: FieldNode): Promise<Assembled> {
  const { index } = fetch.options;
  const representations = (fetch.request.variables['representations'] ?? []) as Representation[];
  const personFragment = entities.selectionSet!.selections.find(
    (s): s is InlineFragmentNode => s.kind === Kind.INLINE_FRAGMENT && s.typeCondition?.name.value === PERSON_TYPE,
  );
  const fullScan = personFragment ? scanSelection(index, personFragment.selectionSet, PERSON_TYPE) : undefined;
  const decisionsOf = await decideScopes(personScopes(representations, fullScan), fetch.options);
  const plan: EntitiesPlan = { fetch, entities, representations, personFragment, fullScan, decisionsOf };
  const assembled: Assembled = {
    data: { _entities: new Array(representations.length).fill(null) },
    errors: [],
    pending: [],
  };
  await Promise.all(groupByDenied(plan).map((group) => fetchGroup(plan, group, assembled)));
  return assembled;
}

function personScopes(representations: readonly Representation[], fullScan: Scan | undefined): PersonScope[] {
  const scopes: PersonScope[] = [];
  representations.forEach((r, i) => {
    if (r.__typename === PERSON_TYPE && fullScan)
      scopes.push({ base: ['_entities', i], personId: personKey(r.id), scan: fullScan });
  });
  return scopes;
}

/** Representations that share what is denied to them share one request; other types join the first. */
function groupByDenied({ representations, fullScan, decisionsOf }: EntitiesPlan): DeniedGroup[] {
  const groups = new Map<string, DeniedGroup>();
  const others: number[] = [];
  representations.forEach((r, i) => {
    if (r.__typename !== PERSON_TYPE || !fullScan) {
      others.push(i);
      return;
    }
    const personId = personKey(r.id);
    if (decisionsOf.strangers.has(personId)) return;
    const decisions = decisionsOf(personId);
    const denied = deniedCategories(decisions);
    const key = groupKey(decisions);
    const group = groups.get(key) ?? { denied, indices: [] };
    group.indices.push(i);
    groups.set(key, group);
  });
  const groupList = [...groups.values()];
  if (others.length) {
    if (groupList.length) groupList[0]!.indices.push(...others);
    else groupList.push({ denied: new Set(), indices: others });
  }
  return groupList;
}

async function fetchGroup(plan: EntitiesPlan, group: DeniedGroup, assembled: Assembled): Promise<void> {
  const { representations, personFragment } = plan;
  const { index } = plan.fetch.options;
  const scan = personFragment
    ? scanSelection(index, personFragment.selectionSet, PERSON_TYPE, group.denied)
    : undefined;
  const hasOthers = group.indices.some((i) => representations[i]!.__typename !== PERSON_TYPE);
  if (scan) noteDenials(plan, group.indices, scan, assembled);
  const result = assembled.data!['_entities'] as unknown[];
  if (scan && !hasOthers && !asksForData(scan.selectionSet)) {
    // Nothing left to ask: the subgraph never hears of these persons.
    for (const i of group.indices) result[i] = keyAnswer(scan.selectionSet, PERSON_TYPE, representations[i]!.id);
    return;
  }
  const response = await sendGroup(plan, group, scan, index);
  const received = (response.data?.['_entities'] ?? []) as unknown[];
  group.indices.forEach((i, j) => {
    result[i] = received[j] ?? null;
  });
  for (const error of response.errors ?? []) assembled.errors.push(reindexed(error, '_entities', group.indices));
}

/** The denial errors of the group's persons, and their nested persons left to decide. */
function noteDenials(plan: EntitiesPlan, indices: readonly number[], scan: Scan, assembled: Assembled): void {
  for (const i of indices) {
    const r = plan.representations[i]!;
    if (r.__typename !== PERSON_TYPE) continue;
    const personId = personKey(r.id);
    assembled.errors.push(...denialErrors(personId, plan.fullScan!, plan.decisionsOf(personId), ['_entities', i]));
    for (const nested of scan.nested) assembled.pending.push({ base: ['_entities', i], nested });
  }
}

/** Asks for the group's representations, with the person fragment rewritten for what is denied. */
function sendGroup(
  plan: EntitiesPlan,
  group: DeniedGroup,
  scan: Scan | undefined,
  index: SchemaIndex,
): Promise<FetchResponse> {
  const { fetch, entities, personFragment } = plan;
  const entitySelection = entities.selectionSet!;
  const selectionSet: SelectionSetNode = {
    ...entitySelection,
    selections: entitySelection.selections.map((s) =>
      s === personFragment && scan ? { ...s, selectionSet: scan.selectionSet } : s,
    ),
  };
  const rewritten = {
    ...fetch.operation,
    selectionSet: { ...fetch.operation.selectionSet, selections: [{ ...entities, selectionSet }] },
  };
  // The rewritten operation is determined by the fetch's document and the person fragment's rewritten
  // selection (kept by scanSelection per denied set): its categories and text are kept for them.
  const sameAs = [fetch.document, scan?.selectionSet ?? entitySelection];
  const categories = new Set([
    ...memoizedBy(entityCategories, [index, ...sameAs], () => categoriesIn(index, selectionSet, 'Query')),
    ...(scan ? readsOf(scan, group.denied) : []),
  ]);
  const variables = {
    ...fetch.request.variables,
    representations: group.indices.map((i) => plan.representations[i]),
  };
  return sendRewritten(fetch, rewritten, variables, categories, { sameAs });
}

const entityCategories = memoTrie<Set<DataCategory>>();

function categoriesIn(index: SchemaIndex, selectionSet: SelectionSetNode, parentType: string): Set<DataCategory> {
  return new Set(scanSelection(index, selectionSet, parentType).uses.map((u) => u.category));
}
