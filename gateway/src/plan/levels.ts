// A query plan as levels: every fetch of the plan placed at the level after the last fetch it waits for,
// then the fetches of one level grouped by subgraph, so that the executor sends one request per subgraph
// per level. Fetches nothing waits for may move to a later level where their subgraph is called anyway.
// Entity fetches of one group become one operation with one aliased `_entities` field each.

import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** One fetch of the plan: its node, where in the result it reads and writes, and what it waits for. */
export interface PlannedFetch {
  readonly node: FetchNode;
  /** The Flatten path, field names and `@` for each list. */
  readonly path: readonly string[];
  readonly waitsFor: readonly PlannedFetch[];
  level: number;
}

/** The fetches one request to one subgraph carries at one level. */
export interface FetchGroup {
  readonly subgraph: string;
  readonly fetches: readonly PlannedFetch[];
  /**
   * With more than one fetch: the merged operation, fetch i's `_entities` aliased `_i` and its
   * representations in the variable `r<i>`; undefined when the group is one fetch, sent as planned.
   */
  readonly merged?: { readonly query: string; readonly operationName: string | undefined };
  /**
   * Whether the request only reads (every fetch it carries is a query's): the transport may then answer
   * it and an identical request in flight with one call. A mutation's fetch is never shared.
   */
  readonly readOnly: boolean;
}

/** Whether a request carrying these fetches only reads: none of them is a mutation's (or a subscription's). */
export const readsOnly = (fetches: readonly Pick<PlannedFetch, 'node'>[]): boolean =>
  fetches.every((fetch) => fetch.node.operationKind === 'query');

export interface LeveledPlan {
  readonly levels: readonly (readonly FetchGroup[])[];
  /** Fetches in the plan, and requests the levels send. */
  readonly fetchCount: number;
  readonly requestCount: number;
}

/** Why a plan is not run by levels (the stock executor runs it), or null when it can be. */
export function unsupported(plan: QueryPlan): string | null {
  const node = plan.node;
  if (!node) return null;
  if (node.kind === 'Subscription') return 'subscription';
  return unsupportedNode(node);
}

function unsupportedNode(node: PlanNode): string | null {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const why = unsupportedNode(child);
        if (why) return why;
      }
      return null;
    case 'Flatten':
      if (node.path.some((element) => typeof element !== 'string' || element.includes('|'))) return 'typed path';
      return unsupportedNode(node.node);
    case 'Fetch':
      if (node.inputRewrites?.length || node.outputRewrites?.length || node.contextRewrites?.length) return 'rewrites';
      if (node.hasDefers) return 'defer';
      return null;
    default:
      return node.kind.toLowerCase();
  }
}

/** Places each fetch of a supported plan at its level and groups each level by subgraph. */
export function levelPlan(plan: QueryPlan): LeveledPlan {
  const fetches: PlannedFetch[] = [];
  if (plan.node && plan.node.kind !== 'Subscription') collect(plan.node, [], [], fetches);
  for (const fetch of fetches) {
    fetch.level = fetch.waitsFor.reduce((level, before) => Math.max(level, before.level + 1), 0);
  }
  const waitedFor = new Set(fetches.flatMap((fetch) => fetch.waitsFor));
  const depth = fetches.reduce((max, fetch) => Math.max(max, fetch.level + 1), 0);
  // The entity fetches of a subgraph at one level that nothing waits for join the last level that calls
  // that subgraph anyway; they still run after everything they wait for. Deepest levels first, so a
  // level is settled before fetches move into it.
  for (let level = depth - 2; level >= 0; level--) {
    const here = fetches.filter((fetch) => fetch.level === level && fetch.node.requires);
    for (const subgraph of new Set(here.map((fetch) => fetch.node.serviceName))) {
      const group = here.filter((fetch) => fetch.node.serviceName === subgraph);
      if (group.some((fetch) => waitedFor.has(fetch))) continue;
      let target = -1;
      for (const fetch of fetches) {
        if (fetch.level > level && fetch.node.serviceName === subgraph) target = Math.max(target, fetch.level);
      }
      if (target > level) for (const fetch of group) fetch.level = target;
    }
  }
  const levels: FetchGroup[][] = Array.from({ length: depth }, () => []);
  for (let level = 0; level < depth; level++) {
    const bySubgraph = new Map<string, PlannedFetch[]>();
    for (const fetch of fetches) {
      if (fetch.level !== level) continue;
      // Entity fetches of a subgraph share one request; a root fetch goes alone, as planned.
      const key = fetch.node.requires
        ? fetch.node.serviceName
        : `${fetch.node.serviceName}\u0000${fetches.indexOf(fetch)}`;
      bySubgraph.set(key, [...(bySubgraph.get(key) ?? []), fetch]);
    }
    for (const group of bySubgraph.values()) {
      const subgraph = group[0]!.node.serviceName;
      const readOnly = readsOnly(group);
      levels[level]!.push(
        group.length === 1
          ? { subgraph, fetches: group, readOnly }
          : { subgraph, fetches: group, merged: mergeEntityFetches(group), readOnly },
      );
    }
  }
  const requestCount = levels.reduce((sum, groups) => sum + groups.length, 0);
  return { levels, fetchCount: fetches.length, requestCount };
}

/** Walks the plan: a Sequence's later children wait for every fetch of its earlier ones. */
function collect(
  node: PlanNode,
  path: readonly string[],
  waitsFor: readonly PlannedFetch[],
  into: PlannedFetch[],
): PlannedFetch[] {
  switch (node.kind) {
    case 'Fetch': {
      const fetch: PlannedFetch = { node, path, waitsFor, level: 0 };
      into.push(fetch);
      return [fetch];
    }
    case 'Flatten':
      return collect(node.node, [...path, ...(node.path as string[])], waitsFor, into);
    case 'Parallel':
      return node.nodes.flatMap((child) => collect(child, path, waitsFor, into));
    case 'Sequence': {
      let before = waitsFor;
      const all: PlannedFetch[] = [];
      for (const child of node.nodes) {
        const added = collect(child, path, before, into);
        all.push(...added);
        before = [...before, ...added];
      }
      return all;
    }
    default:
      throw new Error(`a ${node.kind} node cannot be run by levels`);
  }
}

/** One operation for several entity fetches of one subgraph: `_i: _entities(representations: $ri)`. */
function mergeEntityFetches(group: readonly PlannedFetch[]): { query: string; operationName: string | undefined } {
  const variables = new Map<string, VariableDefinitionNode>();
  const fields: FieldNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  group.forEach((fetch, i) => {
    const document = fetch.node.operationDocumentNode ?? parse(fetch.node.operation);
    const renamed = renameFragments(document, `_${i}_`);
    const operation = renamed.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    for (const definition of operation.variableDefinitions ?? []) {
      if (definition.variable.name.value === 'representations') {
        variables.set(`r${i}`, {
          ...definition,
          variable: { ...definition.variable, name: { kind: Kind.NAME, value: `r${i}` } },
        });
      } else {
        variables.set(definition.variable.name.value, definition);
      }
    }
    const entities = operation.selectionSet.selections[0] as FieldNode;
    fields.push({
      ...entities,
      alias: { kind: Kind.NAME, value: `_${i}` },
      arguments: entities.arguments?.map((argument) =>
        argument.name.value === 'representations'
          ? { ...argument, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: `r${i}` } } }
          : argument,
      ),
    });
    fragments.push(
      ...renamed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION),
    );
  });
  const operationName = group[0]!.node.operationName;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        ...(operationName ? { name: { kind: Kind.NAME, value: operationName } } : {}),
        variableDefinitions: [...variables.values()],
        selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
      },
      ...fragments,
    ],
  };
  return { query: print(document), operationName };
}

function renameFragments(document: DocumentNode, prefix: string): DocumentNode {
  return visit(document, {
    FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
    FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
  });
}

/** The representation of an entity: what the fetch's `requires` selects of it (null when it selects none). */
export function representationOf(
  entity: Record<string, unknown>,
  requires: readonly QueryPlanSelectionNode[],
  isSubtype: (typename: string, condition: string) => boolean,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  pick(entity, requires, out, isSubtype);
  return typeof out['__typename'] === 'string' ? out : null;
}

function pick(
  value: Record<string, unknown>,
  selections: readonly QueryPlanSelectionNode[],
  out: Record<string, unknown>,
  isSubtype: (typename: string, condition: string) => boolean,
): void {
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      const typename = value['__typename'];
      if (!selection.typeCondition || (typeof typename === 'string' && isSubtype(typename, selection.typeCondition))) {
        pick(value, selection.selections, out, isSubtype);
      }
      continue;
    }
    const key = selection.alias ?? selection.name;
    const field = value[key];
    if (field === undefined) continue;
    out[key] = selection.selections && field !== null ? pickValue(field, selection.selections, isSubtype) : field;
  }
}

function pickValue(
  value: unknown,
  selections: readonly QueryPlanSelectionNode[],
  isSubtype: (typename: string, condition: string) => boolean,
): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === null ? null : pickValue(item, selections, isSubtype)));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  pick(value as Record<string, unknown>, selections, out, isSubtype);
  return out;
}
