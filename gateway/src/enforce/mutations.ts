// A mutation fetch, held to MUTATION_RULES (mutation-rules.ts): who may record where, the agencies its
// input names and its preconditions are all checked before anything is sent, then the answer is decided.

import {
  Kind,
  type FieldNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { CATEGORY_NAMES, ERRORS, isAccessLogUnavailable, isUuid, owningDomain, type DataCategory } from '@hub/platform';
import { responseKey, type Assembled, type EnforceOptions, type SubgraphFetch } from './fetch.js';
import { decideScopes, deniedCategories, denialErrors, forbidden } from './decisions.js';
import { sendRewritten, withVariables } from './send.js';
import { strayedError } from './answer.js';
import { maySend, mutationRule } from './mutation-rules.js';
import { inputPersonId, unmetRules } from './mutation-checks.js';
import { collectAuditPersons, decideAnswers, withAuditPersons, type AnswerPersons } from './own-reads.js';
import { applyMoves, plannedEffects, residencesNamed, settledIfLost, type PlannedEffect } from './register-effects.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';
import { scanSelection, type NestedPerson } from './selection.js';

/** The answer of a mutation sent for a caller of another domain, as its fields are rewritten. */
type AnswerWork = Pick<Assembled, 'errors' | 'pending'> & {
  readonly categories: Set<DataCategory>;
  readonly selections: FieldNode[];
};

/**
 * A mutation fetch: an agency records in its own domain's system, or another's where a rule lets its
 * domain; every named agency and every precondition is checked before anything is sent. A caller of
 * another domain gets back a receipt (categorized fields taken out) or the person data decided like any
 * read; a person reached from the answer is decided on their own.
 */
export async function enforceMutation(fetch: SubgraphFetch): Promise<Assembled> {
  const fields = rootFields(fetch.operation.selectionSet);
  try {
    return await checkedAndSent(fetch, fields);
  } catch (error) {
    // The access log refused what a check decided: nothing was sent, so nothing was written.
    if (!isAccessLogUnavailable(error)) throw error;
    return { data: null, errors: fields.map((field) => unrecordedAt(error, responseKey(field))), pending: [] };
  }
}

async function checkedAndSent(fetch: SubgraphFetch, fields: readonly FieldNode[]): Promise<Assembled> {
  const { options, request } = fetch;
  const refused = notPermittedDomain(fields, options);
  if (refused.length) return { data: null, errors: refused, pending: [] };
  const ownDomain = options.callerDomain === options.subgraphDomain;
  // Whether the caller may act for the person at all comes first: a precondition about another agency
  // (a DV transfer's destination) is neither decided nor logged for a caller outside her municipality,
  // whose refusal must not depend on it.
  if (ownDomain) {
    // A duty of every agency (an urgent report) binds the owner's agencies beyond their jurisdiction too.
    const bound = fields.filter((field) => mutationRule(field.name.value)?.from !== 'ANY');
    const refusals = await outsideJurisdiction(bound, request.variables, options);
    if (refusals.length) return { data: null, errors: refusals, pending: [] };
  }
  const unmet = await unmetRules(fields, request.variables, options);
  if (unmet.length) return { data: null, errors: unmet, pending: [] };
  return ownDomain ? sendOwnDomain(fetch, fields) : sendForAnotherDomain(fetch, fields);
}

/**
 * The mutation cut into the steps it is sent in: a field whose answer reaches a person ends a step. GraphQL
 * completes a mutation field's answer before the next field runs; the persons read inside an answer are
 * fetched after it (each decided on its own), so they must be, before the fields after it are sent. A field
 * the register learns from (a registration, a DV transfer) ends a step too: a later field that fails nulls the
 * whole answer of the request it is sent in, which would hide that this one was done, and the register would
 * not learn it. One step (the operation as it came) where no field but the last does either.
 */
export function mutationSteps(operation: OperationDefinitionNode, index: SchemaIndex): OperationDefinitionNode[] {
  const fields = rootFields(operation.selectionSet);
  const steps: FieldNode[][] = [[]];
  for (const field of fields) {
    steps.at(-1)!.push(field);
    const endsStep = reachesPerson(index, field) || mutationRule(field.name.value)?.registers !== undefined;
    if (field !== fields.at(-1) && endsStep) steps.push([]);
  }
  if (steps.length === 1) return [operation];
  return steps.map((selections) => withVariables(operation, { kind: Kind.SELECTION_SET, selections }));
}

function reachesPerson(index: SchemaIndex, field: FieldNode): boolean {
  if (!field.selectionSet) return false;
  const type = index.field('Mutation', field.name.value)?.type ?? '';
  return scanSelection(index, field.selectionSet, type).nested.length > 0;
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

function notPermittedDomain(fields: readonly FieldNode[], options: EnforceOptions): GraphQLFormattedError[] {
  return fields
    .filter((f) => !maySend(mutationRule(f.name.value), options.callerDomain, options.subgraphDomain))
    .map((f) =>
      forbidden(`Only an agency of the ${options.subgraphDomain} domain records this`, [responseKey(f)], {
        reason: 'NOT_OWN_DOMAIN',
      }),
    );
}

/**
 * An agency recording in its own domain's system, for persons it serves (enforceMutation refused any other,
 * an id that names no one alike, before anything was sent): sent as asked, then every person
 * the answer returns is decided and recorded in the access log before it leaves the gateway (a record
 * keyed by its own id may be about a person the caller does not serve: that answer is withheld), and what
 * the hub's register learns from it (a registration, a move) is written.
 */
async function sendOwnDomain(fetch: SubgraphFetch, fields: readonly FieldNode[]): Promise<Assembled> {
  const { request, options } = fetch;
  const effects = await plannedEffects(fields, request.variables, options);
  if (!Array.isArray(effects)) return { data: null, errors: [effects], pending: [] };
  const own = (c: DataCategory) => owningDomain(c) === options.subgraphDomain;
  const audited = fields.map((field) => auditedField(options.index, field, own));
  // A person reached inside the answer (a record's person, a household's members) is sent as a bare key and
  // decided on its own, as in a query's answer: the caller's own domain opens its own records, not them.
  const pending = audited.flatMap(({ key, nested }) => nested.map((person) => ({ base: [key], nested: person })));
  const selections = audited.map((a) => a.field);
  const rewritten = withVariables(fetch.operation, { ...fetch.operation.selectionSet, selections });
  const categories = new Set([...options.index.categories.values()].filter(own));
  const registeredIn = await residencesNamed(fields, request.variables, options);
  const response = await settledIfLost(effects, options, () =>
    sendRewritten(fetch, rewritten, request.variables, categories, { registeredIn }),
  );
  const data = (response.data ?? null) as Record<string, unknown> | null;
  const errors = [...(response.errors ?? [])];
  if (data) {
    // What the subgraph did is done whatever its answer's fate: the register learns it all the same.
    const done = new Set(audited.filter(({ key }) => data[key] != null).map(({ key }) => key));
    const returned = returnedPersons(data, audited, request.variables, effects);
    errors.push(...(await withheldIfStrayed(data, returned, audited, effects, done, fetch)));
    try {
      errors.push(...(await decideAnswers(data, returned.answers, options, returned.own)));
    } catch (error) {
      // The change is written but its answer's decisions could not be recorded: the answer is withheld.
      if (!isAccessLogUnavailable(error)) throw error;
      for (const { key, categories, personIds } of returned.answers) {
        if (!categories.size || !personIds.size) continue;
        data[key] = null;
        errors.push(unrecordedAt(error, key));
      }
    }
    await applyMoves(effects, done, options);
  }
  return { data, errors, pending };
}

/** The access log's refusal as the error of a mutation's field. */
function unrecordedAt(error: unknown, key: string): GraphQLFormattedError {
  const { message, extensions } = error as GraphQLFormattedError;
  return { message, path: [key], ...(extensions ? { extensions } : {}) };
}

/** The alias under which a mutation returning a Person asks for its id, to name the person in the log. */
const AUDIT_ID = '__hub_audit_id';

const AUDIT_ID_FIELD: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: AUDIT_ID },
  name: { kind: Kind.NAME, value: 'id' },
};

interface AuditedField {
  readonly key: string;
  readonly source: FieldNode;
  readonly field: FieldNode;
  /** The categories the answer returns of the persons it is about (not of the persons nested in it). */
  readonly categories: ReadonlySet<DataCategory>;
  /** Persons reached inside the answer, sent as bare keys and decided after it, each on their own. */
  readonly nested: readonly NestedPerson[];
}

/**
 * The field as sent: each record's person (or a returned person's id) asked for alongside, for the log,
 * and every person nested in it cut to its key.
 */
function auditedField(index: SchemaIndex, field: FieldNode, own: (category: DataCategory) => boolean): AuditedField {
  const key = responseKey(field);
  if (!field.selectionSet) return { key, source: field, field, categories: new Set(), nested: [] };
  const type = index.field('Mutation', field.name.value)?.type ?? '';
  const scan = scanSelection(index, field.selectionSet, type);
  const categories = new Set(scan.uses.map((u) => u.category));
  const withPersons = withAuditPersons(index, scan.selectionSet, type, own, new Set());
  const selectionSet =
    type === PERSON_TYPE ? { ...withPersons, selections: [...withPersons.selections, AUDIT_ID_FIELD] } : withPersons;
  return { key, source: field, field: { ...field, selectionSet }, categories, nested: scan.nested };
}

/** The first own-domain category: deciding it tells whether rule 1 holds, i.e. whether the caller serves the person. */
function ownCategory(options: EnforceOptions): DataCategory {
  return CATEGORY_NAMES.find((c) => owningDomain(c) === options.subgraphDomain)!;
}

async function outsideJurisdiction(
  fields: readonly FieldNode[],
  variables: Record<string, unknown>,
  options: EnforceOptions,
): Promise<GraphQLFormattedError[]> {
  const named = fields.flatMap((field) => {
    const personId = inputPersonId(field, variables);
    return personId ? [{ field, personId }] : [];
  });
  if (!named.length) return [];
  // A personId that is no id at all is the caller's input to mend, not a person outside its jurisdiction.
  const malformed = named.filter(({ personId }) => !isUuid(personId));
  if (malformed.length) {
    return malformed.map(({ field }) => ({
      message: 'personId is not a person id (a UUID)',
      path: [responseKey(field)],
      extensions: { code: ERRORS.BAD_USER_INPUT.code, argument: 'personId', reason: 'INVALID_ID' },
    }));
  }
  const category = ownCategory(options);
  const decisions = await options.policy.decide(
    named.map((n) => n.personId),
    new Set([category]),
  );
  return (
    named
      // Only rule 1 is jurisdiction: a consent, a meeting or an emergency opens data to read, never the
      // standing to record for a person another municipality's agencies serve.
      .filter(({ personId }) => {
        const decision = decisions.get(personId)?.get(category);
        return !(decision?.allowed && decision.basis === 'OWN_DOMAIN');
      })
      .map(({ field, personId }) =>
        forbidden(
          'The calling agency does not serve the municipality this person is registered in',
          [responseKey(field)],
          {
            reason: 'OUTSIDE_JURISDICTION',
            personId,
          },
        ),
      )
  );
}

interface ReturnedPersons {
  answers: AnswerPersons[];
  readonly own: Set<string>;
  readonly ids: Map<string, string>;
}

/**
 * The persons each field's answer returns, for the categories it returns of them, to be decided as any
 * read is (decideAnswers: a field about a person the caller may not read is withheld), with the added keys
 * taken out of the answer. A person the field itself registers is the caller's own by construction
 * (registered where it serves), which the register learns only afterwards; so is the person of a record
 * addressed to the caller (`addressedToCaller`, a report in its queue): `own`. `ids`: each field's returned
 * person id, for the register.
 */
function returnedPersons(
  data: Record<string, unknown>,
  audited: readonly AuditedField[],
  variables: Record<string, unknown>,
  effects: readonly PlannedEffect[],
): ReturnedPersons {
  const returned = new Map<string, string>();
  const answers: AnswerPersons[] = [];
  const own = new Set<string>();
  for (const { key, source, categories } of audited) {
    const answer = data[key] as Record<string, unknown> | null | undefined;
    const id = answer?.[AUDIT_ID];
    if (answer && AUDIT_ID in answer) delete answer[AUDIT_ID];
    if (typeof id === 'string') returned.set(key, id.toLowerCase());
    if (!answer) continue;
    // The added keys leave the answer whatever it returned; only categorized data is decided.
    const personIds = new Set<string>();
    collectAuditPersons(answer, personIds);
    const personId = inputPersonId(source, variables) ?? returned.get(key);
    if (personId) personIds.add(personId);
    answers.push({ key, categories, personIds });
    if (mutationRule(source.name.value)?.addressedToCaller) personIds.forEach((id) => own.add(id));
  }
  for (const { key, effect } of effects)
    if (effect.kind === 'register' && returned.has(key)) own.add(returned.get(key)!);
  return { answers, own, ids: returned };
}

/**
 * A field answered about another person than the one it was about is withheld (answer.ts): a list where a
 * record was asked (no mutation answers one: each item would be taken for it), a field whose input names the
 * person answered with another's id, and a registration answered with an id the register already had. A
 * registration is written to the register here, as soon as its agency system answered it, so that the check
 * and the write are one statement. The persons a withheld answer named are neither decided nor logged: the
 * caller never asked about them; a DV transfer withheld so is still moved, from its input (applyMoves).
 */
async function withheldIfStrayed(
  data: Record<string, unknown>,
  returned: ReturnedPersons,
  audited: readonly AuditedField[],
  effects: readonly PlannedEffect[],
  done: ReadonlySet<string>,
  { request, options }: SubgraphFetch,
): Promise<GraphQLFormattedError[]> {
  const strayed = new Set<string>();
  for (const { key, source } of audited) {
    const asked = inputPersonId(source, request.variables);
    const answered = returned.ids.get(key);
    if (Array.isArray(data[key]) || (answered !== undefined && asked !== null && asked !== answered)) strayed.add(key);
  }
  for (const { key, effect, municipalityCode, input } of effects) {
    const personId = returned.ids.get(key);
    if (effect.kind !== 'register' || !done.has(key) || strayed.has(key) || personId === undefined) continue;
    const birthDate = input[effect.birthDateInput];
    const isNew = await options.policy.registerResident(
      personId,
      municipalityCode,
      typeof birthDate === 'string' ? birthDate : null,
    );
    if (!isNew) strayed.add(key);
  }
  if (!strayed.size) return [];
  options.logger?.warn(
    { domain: options.subgraphDomain, fields: [...strayed] },
    'subgraph answered a mutation about another person than it was asked; withheld',
  );
  for (const key of strayed) {
    data[key] = null;
    returned.own.delete(returned.ids.get(key)!);
    returned.ids.delete(key);
    returned.answers = returned.answers.filter((answer) => answer.key !== key);
  }
  return [...strayed].map((key) => strayedError(options.subgraphDomain, { path: [key] }));
}

/**
 * An agency recording in another domain's system where a rule lets its domain: each answer is a receipt or
 * decided before it is sent, and what the register learns from it (a welfare office moving on the DV case
 * it holds) is written as for the owner's agencies.
 */
async function sendForAnotherDomain(fetch: SubgraphFetch, fields: readonly FieldNode[]): Promise<Assembled> {
  const { operation, request } = fetch;
  const effects = await plannedEffects(fields, request.variables, fetch.options);
  if (!Array.isArray(effects)) return { data: null, errors: [effects], pending: [] };
  const work: AnswerWork = { errors: [], pending: [], categories: new Set(), selections: [] };
  for (const field of fields) {
    if (!field.selectionSet) {
      work.selections.push(field);
      continue;
    }
    const personId =
      mutationRule(field.name.value)?.answer === 'decided' ? inputPersonId(field, request.variables) : null;
    if (personId) await addDecidedAnswer(fetch, field, personId, work);
    else addReceipt(fetch, field, work);
  }
  const rewritten = withVariables(operation, { ...operation.selectionSet, selections: work.selections });
  const registeredIn = await residencesNamed(fields, request.variables, fetch.options);
  const response = await settledIfLost(effects, fetch.options, () =>
    sendRewritten(fetch, rewritten, request.variables, work.categories, { registeredIn }),
  );
  work.errors.push(...(response.errors ?? []));
  const data = (response.data ?? null) as Record<string, unknown> | null;
  // No rule lets another domain register a person: a move names hers.
  const done = new Set(fields.map(responseKey).filter((key) => data?.[key] != null));
  await applyMoves(effects, done, fetch.options);
  return { data, errors: work.errors, pending: work.pending };
}

/** 'decided': the answer about input.personId is decided for the caller like any read of that person. */
async function addDecidedAnswer(
  { options }: SubgraphFetch,
  field: FieldNode,
  personId: string,
  work: AnswerWork,
): Promise<void> {
  const { index } = options;
  const key = responseKey(field);
  const type = index.field('Mutation', field.name.value)?.type ?? '';
  const full = scanSelection(index, field.selectionSet!, type);
  const decisionsOf = await decideScopes([{ base: [key], personId, scan: full }], options);
  const denied = deniedCategories(decisionsOf(personId));
  work.errors.push(...denialErrors(personId, full, decisionsOf(personId), [key]));
  const scan = scanSelection(index, field.selectionSet!, type, denied);
  scan.uses.forEach((u) => work.categories.add(u.category));
  for (const nested of scan.nested) work.pending.push({ base: [key], nested });
  work.selections.push({ ...field, selectionSet: scan.selectionSet });
}

/** 'receipt' (or no person to decide for): nothing categorized goes back to the sender. */
function addReceipt({ options }: SubgraphFetch, field: FieldNode, work: AnswerWork): void {
  const { index } = options;
  const key = responseKey(field);
  const type = index.field('Mutation', field.name.value)?.type ?? '';
  const full = scanSelection(index, field.selectionSet!, type);
  // One error per category, as per denied (person, category): the receipt is of one record, of one person.
  const told = new Set<DataCategory>();
  for (const use of full.uses) {
    if (told.has(use.category)) continue;
    told.add(use.category);
    work.errors.push(
      forbidden(`The sender sees its receipt, not ${use.category}`, [key, ...use.path], {
        reason: 'NO_LEGAL_BASIS',
        category: use.category,
      }),
    );
  }
  const scan = scanSelection(index, field.selectionSet!, type, new Set(index.categories.values()));
  for (const nested of scan.nested) work.pending.push({ base: [key], nested });
  work.selections.push({ ...field, selectionSet: scan.selectionSet });
}
