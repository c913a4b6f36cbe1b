// The engine's plan executor: runs a query plan of @apollo/gateway's query planner level by level, one
// request per subgraph per level (levels.ts), each entity fetch asking for each distinct representation
// once, every answer merged into the one result tree where it was asked for, and the response shaped in
// one walk at the end (shape.ts). Plans it does not run (defer, subscriptions, rewrites, typed paths,
// @skip/@include, introspection) go to the stock executor.

import type { GraphQLDataSource } from '@apollo/gateway';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { QueryPlan } from '@apollo/query-planner';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { INCOMING_OPERATION } from '../apollo.js';
import { levelPlan, representationOf, type FetchGroup, type LeveledPlan, type PlannedFetch } from './levels.js';
import type { ShapeError } from './shape.js';
import { graphql } from '../graphql-cjs.js';

const { GraphQLError, isAbstractType, isObjectType } = graphql;
type GraphQLError = import('graphql').GraphQLError;

type Data = Record<string, unknown>;

export interface ExecutionCounts {
  /** Requests sent to subgraphs, and fetches of plans they carried. */
  requests: number;
  fetches: number;
  /** Representations sent, after each fetch asked for each distinct one once. */
  representations: number;
}

export interface DirectRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  /** Whether the request only reads (FetchGroup.readOnly): an identical one in flight may answer it too. */
  readOnly: boolean;
}

/** A data source that needs no per-request hooks offers this; the executor then posts to it directly. */
export interface DirectSend {
  sendDirect(request: DirectRequest): Promise<{ data?: Data | null; errors?: readonly GraphQLFormattedError[] }>;
}

export interface PreparedOperation {
  readonly leveled: LeveledPlan;
  readonly shape: (data: Data) => { data: Data | null; errors: ShapeError[] };
}

/** Levels of a plan, kept with the plan object the planner's cache holds. */
const leveledPlans = new WeakMap<QueryPlan, LeveledPlan>();

export function leveled(plan: QueryPlan): LeveledPlan {
  let result = leveledPlans.get(plan);
  if (!result) leveledPlans.set(plan, (result = levelPlan(plan)));
  return result;
}

/** One fetch of a group as asked: the objects its answer merges into, the distinct representations sent, and where each sits among them. */
interface Asked {
  readonly fetch: PlannedFetch;
  readonly entities: Data[];
  readonly unique: Data[];
  readonly positions: number[][];
}

type SubgraphResponse = { data?: Data | null; errors?: readonly GraphQLFormattedError[] };

/** What a run of one plan shares: its result tree, its errors, the request and how to test a type condition. */
interface PlanRun {
  readonly root: Data;
  readonly errors: GraphQLError[];
  readonly services: ReadonlyMap<string, GraphQLDataSource>;
  readonly requestContext: GatewayGraphQLRequestContext;
  readonly isSubtype: (typename: string, condition: string) => boolean;
  readonly counts: ExecutionCounts;
}

export async function executeLeveled(
  prepared: PreparedOperation,
  services: ReadonlyMap<string, GraphQLDataSource>,
  requestContext: GatewayGraphQLRequestContext,
  supergraphSchema: GraphQLSchema,
  counts: ExecutionCounts,
): Promise<GatewayExecutionResult> {
  const run: PlanRun = {
    root: Object.create(null) as Data,
    errors: [],
    services,
    requestContext,
    isSubtype: (typename, condition) => {
      if (typename === condition) return true;
      const abstract = supergraphSchema.getType(condition);
      const object = supergraphSchema.getType(typename);
      return !!abstract && isAbstractType(abstract) && !!object && isObjectType(object)
        ? supergraphSchema.isSubType(abstract, object)
        : false;
    },
    counts,
  };
  for (const groups of prepared.leveled.levels) {
    await Promise.all(groups.map((group) => runGroup(run, group)));
  }
  const shaped = prepared.shape(run.root);
  const result: GatewayExecutionResult = { data: shaped.data };
  if (run.errors.length) result.errors = run.errors;
  else if (shaped.errors.length) {
    result.extensions = {
      valueCompletion: shaped.errors.map((e) => ({ message: e.message, path: e.path })),
    };
  }
  return result;
}

/** Sends one group's fetches to its subgraph in one request and merges the answer where each was asked for. */
async function runGroup(run: PlanRun, group: FetchGroup): Promise<void> {
  const service = run.services.get(group.subgraph);
  if (!service) {
    run.errors.push(new GraphQLError(`Couldn't find service with name "${group.subgraph}"`));
    return;
  }
  const { variables, asked } = askedOf(run, group);
  // An entity fetch with no entity to ask for sends nothing.
  const sending = asked.filter((a) => !a.fetch.node.requires || a.unique.length);
  if (!sending.length) return;
  let query: string;
  let operationName: string | undefined;
  if (group.merged && sending.length === asked.length) {
    ({ query, operationName } = group.merged);
  } else if (sending.length === 1) {
    const only = sending[0]!;
    query = only.fetch.node.operation;
    operationName = only.fetch.node.operationName;
    const index = asked.indexOf(only);
    if (group.merged && only.fetch.node.requires) {
      variables['representations'] = variables[`r${index}`];
      delete variables[`r${index}`];
    }
  } else {
    // Some fetches of a merged group found nothing to ask for: send the others one by one.
    await Promise.all(
      sending.map((one) => runGroup(run, { subgraph: group.subgraph, fetches: [one.fetch], readOnly: group.readOnly })),
    );
    return;
  }
  run.counts.requests += 1;
  run.counts.fetches += sending.length;
  let response: SubgraphResponse;
  try {
    response = await send(run, service, {
      query,
      variables,
      ...(operationName ? { operationName } : {}),
      readOnly: group.readOnly,
    });
  } catch (error) {
    run.errors.push(
      error instanceof GraphQLError ? error : new GraphQLError((error as Error).message ?? String(error)),
    );
    return;
  }
  const merged = !!group.merged && sending.length > 1;
  if (response.data) mergeAnswer(run, asked, response.data, merged);
  for (const error of response.errors ?? []) {
    run.errors.push(downstreamError(error, group, asked, merged, run.root));
  }
}

/**
 * The variables of a group's request and what each of its fetches asks: the operation's own variables the
 * fetches use, and for each entity fetch the distinct representations of the objects at its path (`r<i>`
 * in a merged group, `representations` otherwise).
 */
function askedOf(run: PlanRun, group: FetchGroup): { variables: Data; asked: Asked[] } {
  const variables: Data = Object.create(null) as Data;
  const supplied = run.requestContext.request.variables ?? {};
  const asked = group.fetches.map((fetch, i): Asked => {
    for (const name of fetch.node.variableUsages ?? []) {
      if (Object.hasOwn(supplied, name) && supplied[name] !== undefined) variables[name] = supplied[name];
    }
    if (!fetch.node.requires) return { fetch, entities: [run.root], unique: [], positions: [] };
    const entities = entitiesAt(run.root, fetch.path);
    const indexOf = new Map<string, number>();
    const unique: Data[] = [];
    const positions: number[][] = [];
    entities.forEach((entity, position) => {
      const representation = representationOf(entity, fetch.node.requires!, run.isSubtype);
      if (!representation) return;
      const key = JSON.stringify(representation);
      let at = indexOf.get(key);
      if (at === undefined) {
        indexOf.set(key, (at = unique.length));
        unique.push(representation);
        positions.push([]);
      }
      positions[at]!.push(position);
    });
    if (unique.length) variables[group.merged ? `r${i}` : 'representations'] = unique;
    run.counts.representations += unique.length;
    return { fetch, entities, unique, positions };
  });
  return { variables, asked };
}

/** One request to a subgraph: posted directly where its data source allows (DirectSend), through `process` otherwise. */
function send(run: PlanRun, service: GraphQLDataSource, request: DirectRequest): Promise<SubgraphResponse> {
  const direct = (service as Partial<DirectSend>).sendDirect;
  if (direct) return direct.call(service, request);
  const { readOnly: _readOnly, ...graphql } = request;
  return service.process({
    kind: INCOMING_OPERATION,
    request: graphql,
    incomingRequestContext: run.requestContext,
    context: run.requestContext.context,
  }) as Promise<SubgraphResponse>;
}

/** Merges a subgraph's answer into the result tree: a root fetch's at the root, each entity where it was asked for. */
function mergeAnswer(run: PlanRun, asked: readonly Asked[], data: Data, merged: boolean): void {
  for (const [i, { fetch, entities, positions }] of asked.entries()) {
    if (!fetch.node.requires) {
      deepMerge(run.root, data);
      continue;
    }
    const received = data[merged ? `_${i}` : '_entities'];
    if (!Array.isArray(received)) {
      if (positions.length) run.errors.push(new GraphQLError('Expected "data._entities" in response to be an array'));
      continue;
    }
    positions.forEach((at, u) => {
      const answer = received[u] as Data | null | undefined;
      if (!answer) return;
      for (const position of at) {
        const entity = entities[position]!;
        if (answer['__typename'] === undefined) answer['__typename'] = entity['__typename'];
        deepMerge(entity, answer);
      }
    });
  }
}

/** The objects at a Flatten path: `@` steps into every item of a list; nulls and missing values are skipped. */
function entitiesAt(root: Data, path: readonly string[]): Data[] {
  let current: unknown[] = [root];
  for (const step of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || value === undefined) continue;
      if (step === '@') {
        if (Array.isArray(value)) for (const item of value) next.push(item);
      } else if (!Array.isArray(value)) {
        next.push((value as Data)[step]);
      }
    }
    current = next;
  }
  const out: Data[] = [];
  for (const value of current) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') out.push(item as Data);
    } else if (typeof value === 'object') out.push(value as Data);
  }
  return out;
}

/** Merges an answer into the object it answers for; objects met on both sides are merged in place. */
function deepMerge(target: Data, source: Data): void {
  for (const key in source) {
    const value = source[key];
    const existing = target[key];
    if (existing !== null && typeof existing === 'object' && value !== null && typeof value === 'object') {
      if (Array.isArray(existing) && Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i] as unknown;
          const into = existing[i] as unknown;
          if (into !== null && typeof into === 'object' && item !== null && typeof item === 'object') {
            deepMerge(into as Data, item as Data);
          } else {
            existing[i] = item;
          }
        }
      } else if (!Array.isArray(existing) && !Array.isArray(value)) {
        deepMerge(existing as Data, value as Data);
      } else {
        target[key] = value;
      }
    } else {
      target[key] = value;
    }
  }
}

/** A subgraph's error, at the path in the response where the entity it names is. */
function downstreamError(
  error: GraphQLFormattedError,
  group: FetchGroup,
  asked: readonly Asked[],
  merged: boolean,
  root: Data,
): GraphQLError {
  const extensions = {
    ...error.extensions,
    code: error.extensions?.['code'] ?? 'DOWNSTREAM_SERVICE_ERROR',
    serviceName: group.subgraph,
  };
  let path = error.path as (string | number)[] | undefined;
  const head = path?.[0];
  const index =
    typeof head === 'string'
      ? merged
        ? /^_(\d+)$/.exec(head)?.[1]
        : head === '_entities'
          ? '0'
          : undefined
      : undefined;
  const entry = index !== undefined ? asked[Number(index)] : undefined;
  if (path && entry && typeof path[1] === 'number') {
    const entity = entry.entities[entry.positions[path[1]]?.[0] ?? -1];
    const at = entity ? pathTo(root, entry.fetch.path, entity) : undefined;
    path = at ? [...at, ...path.slice(2)] : undefined;
  }
  return new GraphQLError(error.message, { ...(path ? { path } : {}), extensions });
}

/** The response path of an object reached by a Flatten path, with the list indices filled in. */
function pathTo(root: Data, path: readonly string[], target: Data): (string | number)[] | undefined {
  const walk = (value: unknown, step: number, at: (string | number)[]): (string | number)[] | undefined => {
    if (value === null || value === undefined) return undefined;
    if (step === path.length) {
      if (Array.isArray(value)) {
        const i = value.indexOf(target);
        return i >= 0 ? [...at, i] : undefined;
      }
      return value === target ? at : undefined;
    }
    const name = path[step]!;
    if (name === '@') {
      if (!Array.isArray(value)) return undefined;
      for (let i = 0; i < value.length; i++) {
        const found = walk(value[i], step + 1, [...at, i]);
        if (found) return found;
      }
      return undefined;
    }
    return Array.isArray(value) ? undefined : walk((value as Data)[name], step + 1, [...at, name]);
  };
  return walk(root, 0, []);
}
