// Enforcement before the fetch: for one subgraph fetch of a query plan, decide every (person, category)
// it would read, send the owning subgraph only what is allowed, and put the answer back together with
// null and one FORBIDDEN error per denied (person, category). Denied data is never requested.

import { deduplicateRepresentations, expandEntities } from './dedup.js';
import { enforceEntities } from './entities.js';
import {
  entitiesField,
  operationOf,
  parsed,
  withDefaults,
  type Assembled,
  type EnforceOptions,
  type FetchRequest,
  type FetchResponse,
  type SubgraphFetch,
} from './fetch.js';
import { enforceMutation, mutationSteps } from './mutations.js';
import { resolveNested } from './nested.js';
import { enforceRootFields } from './root-fields.js';
import { withConditionsApplied } from './selection.js';

export type { EnforceOptions, FetchRequest, FetchResponse, Path, PolicyPort, SendRewritten } from './fetch.js';
export type { PersonDecisions } from '../policy/decided.js';

export async function enforceFetch(original: FetchRequest, options: EnforceOptions): Promise<FetchResponse> {
  const text = parsed(original.query);
  // Decide on the values the subgraph would use: a variable's default counts as if it were sent.
  const request = { ...original, variables: withDefaults(operationOf(text), original.variables) };
  // And on what it would resolve: a selection @skip or @include leaves out is not read, so not decided.
  const document = withConditionsApplied(text, request.variables);
  const operation = operationOf(document);
  if (operation.operation === 'mutation') return enforceMutationSteps({ request, document, operation, options });

  // The same entity reached at many positions is decided, logged and fetched once, then answered at each.
  const representations = request.variables['representations'];
  const dedup =
    entitiesField(operation) && Array.isArray(representations) ? deduplicateRepresentations(representations) : null;
  const asked = dedup ? { ...request, variables: { ...request.variables, representations: dedup.unique } } : request;
  const fetch: SubgraphFetch = { request: asked, document, operation, options };
  const assembled = await enforceQuery(fetch);
  await resolveNested(assembled, fetch, enforceFetch);
  const response = responseOf(assembled);
  return dedup ? expandEntities(response, dedup, (representations as unknown[]).length) : response;
}

/**
 * A mutation fetch, step by step (`mutationSteps`): each step's answer, the persons inside it included, is
 * complete before the next step is sent, and a step whose field failed ends the mutation there, as
 * GraphQL ends it at a field that fails where its type allows no null (every mutation field's).
 */
async function enforceMutationSteps(fetch: SubgraphFetch): Promise<FetchResponse> {
  const data: Record<string, unknown> = {};
  const errors: Assembled['errors'] = [];
  for (const operation of mutationSteps(fetch.operation, fetch.options.index)) {
    const step = { ...fetch, operation };
    const assembled = await enforceMutation(step);
    await resolveNested(assembled, step, enforceFetch);
    errors.push(...assembled.errors);
    if (!assembled.data) return responseOf({ data: null, errors, pending: [] });
    Object.assign(data, assembled.data);
    if (Object.values(assembled.data).some((value) => value == null)) break;
  }
  return responseOf({ data, errors, pending: [] });
}

function enforceQuery(fetch: SubgraphFetch): Promise<Assembled> {
  const entities = entitiesField(fetch.operation);
  return entities ? enforceEntities(fetch, entities) : enforceRootFields(fetch);
}

function responseOf(assembled: Assembled): FetchResponse {
  return { data: assembled.data, ...(assembled.errors.length ? { errors: assembled.errors } : {}) };
}
