// A mutation's rules checked before anything is sent (MUTATION_RULES, mutation-rules.ts): the agencies its
// input names, where the person lives when the rule asks, and, before a precondition's basis is decided
// fresh and recorded in the access log, the input's free text and the record the caller must hold. Also how
// a mutation field's input is read, for mutations.ts.

import { GraphQLError, valueFromASTUntyped, type FieldNode, type GraphQLFormattedError } from 'graphql';
import { ERRORS, isUuid, MAX_COMPANIONS, optionalText, todayInJapan, type DataCategory } from '@hub/platform';
import type { Decision, DecisionCaller } from '../policy/decide.js';
import { argument, personKey, responseKey, type EnforceOptions, type PolicyPort } from './fetch.js';
import type { PersonDecisions } from '../policy/decided.js';
import { forbidden } from './decisions.js';
import { SUBGRAPH_UNAVAILABLE } from './send.js';
import {
  acceptedBases,
  checksBeforeSending,
  companionsOf,
  mutationRule,
  NOT_HELD,
  namedAgencyRefusal,
  namedValues,
  preconditionRefusal,
  registeredMunicipality,
  type BasisHolder,
  type BasisPrecondition,
  type InputRefusal,
  type MutationRule,
  type RegisteredAgency,
} from './mutation-rules.js';
import { agesOfRecord, subjectAgeRefusal } from './age-rules.js';

/** A mutation field with a rule that checks anything before it is sent (agencies, basis, holder, jurisdiction). */
interface RuledField {
  readonly key: string;
  readonly rule: MutationRule;
  readonly input: Readonly<Record<string, unknown>>;
  readonly field: FieldNode;
}

/** A mutation field's `input` argument as the subgraph will read it (empty when there is none). */
export function inputOf(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const node = argument(field, 'input');
  const value: unknown = node ? valueFromASTUntyped(node.value, variables) : undefined;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function inputPersonId(field: FieldNode, variables: Record<string, unknown>): string | null {
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
 * The rules' checks, before anything is sent: the caller serves the person where the rule asks
 * (OUTSIDE_JURISDICTION), each agency the input names is registered, of the rule's domain and, when it is to
 * act for the person, serving her municipality (else BAD_USER_INPUT with the rule's reason), the caller holds the record the rule acts on (NOT_FOUND), and
 * each precondition's basis holds now, read fresh and recorded in the access log (else FORBIDDEN with the
 * decision's reason).
 */
export async function unmetRules(
  fields: readonly FieldNode[],
  variables: Record<string, unknown>,
  options: EnforceOptions,
): Promise<GraphQLFormattedError[]> {
  const ruled = fields.flatMap((field): RuledField[] => {
    const rule = mutationRule(field.name.value);
    return rule && checksBeforeSending(rule)
      ? [{ key: responseKey(field), rule, input: inputOf(field, variables), field }]
      : [];
  });
  if (!ruled.length) return [];
  const { policy } = options;
  const named = ruled.flatMap(({ rule, input }) =>
    (rule.namedAgencies ?? []).flatMap((n) => namedValues(input, n.input)),
  );
  const register = await policy.agencies([
    policy.caller.agencyId,
    ...named.filter((id): id is string => typeof id === 'string'),
  ]);
  const errors: GraphQLFormattedError[] = [];
  for (const ruledField of ruled) {
    const error = await unmetRule(ruledField, variables, policy, register);
    if (error) errors.push(error);
  }
  return errors;
}

/**
 * Where the person lives, read only for a rule that needs it (a move, an agency named to act for her, or
 * recording for persons served), and known only when the caller serves that municipality: no refusal may tell
 * anyone else where she lives.
 */
async function servedResidence(
  rule: MutationRule,
  personId: string | null,
  policy: PolicyPort,
): Promise<string | undefined> {
  const located = rule.namedAgencies?.some((named) => named.otherMunicipality || named.servesPerson) ?? false;
  if (!(located || rule.servedOnly) || !personId || !isUuid(personId)) return undefined;
  const residence = (await policy.residences([personId])).get(personId);
  return residence !== undefined && policy.caller.jurisdiction.includes(residence) ? residence : undefined;
}

/** What each refusal says of the input it names, when more than that it names no such municipality. */
const UNREGISTRABLE: Readonly<Record<string, string>> = {
  MUNICIPALITY_REQUIRED: 'is required: the municipality the person is registered in',
  DESTINATION_MUNICIPALITY_REQUIRED:
    'is required: the destination serves several municipalities, so name the one she moves to',
  INVALID_MUNICIPALITY_CODE: 'is not a municipality code (6 digits, 全国地方公共団体コード)',
  DESTINATION_DOES_NOT_SERVE: 'is not a municipality the destination serves',
  DESTINATION_NOT_DV_SUPPORT: 'does not name a DV support or welfare agency of the register',
};

/** A registration or a move whose input names no municipality the person can be registered in. */
export function unregistrable(key: string, where: InputRefusal): GraphQLFormattedError {
  const message = UNREGISTRABLE[where.reason] ?? 'does not name a municipality this can be registered in';
  return {
    message: `${where.input} ${message}`,
    path: [key],
    extensions: { code: ERRORS.BAD_USER_INPUT.code, reason: where.reason, argument: where.input },
  };
}

/** The first free text of the input its subgraph would refuse (too long, control characters), as it would. */
function unacceptedText(
  rule: MutationRule,
  input: Readonly<Record<string, unknown>>,
  key: string,
): GraphQLFormattedError | undefined {
  for (const name of rule.freeText ?? []) {
    const value = input[name];
    if (value !== undefined && value !== null && typeof value !== 'string') continue;
    try {
      optionalText(value, name);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { message: error.message, path: [key], extensions: error.extensions };
    }
  }
  return undefined;
}

/**
 * The person is not of the age the record is for (the rule's SubjectAges, then the ages the record its input
 * names is for): refused as input to mend, nothing sent. A record the input names that its system holds not is
 * the system's to refuse; one whose system cannot say is unavailable.
 */
async function unfitAge(
  rule: MutationRule,
  input: Readonly<Record<string, unknown>>,
  personId: string,
  policy: PolicyPort,
  key: string,
): Promise<GraphQLFormattedError | undefined> {
  if (!rule.subjectAges && !rule.withinAgesOf) return undefined;
  const birthDate = await policy.birthDate(personId);
  if (birthDate === null) return undefined;
  const ages = [...(rule.subjectAges ?? [])];
  const within = rule.withinAgesOf;
  const recordId = within ? input[within.input] : undefined;
  if (within && typeof recordId === 'string' && isUuid(recordId)) {
    const limits = await policy.ageLimits(within.record, recordId.toLowerCase()).catch(() => undefined);
    if (limits === undefined) return unavailable(key);
    const recordAges = limits && agesOfRecord(within, limits);
    if (recordAges) ages.push(recordAges);
  }
  const refusal = subjectAgeRefusal(ages, input, birthDate, todayInJapan());
  if (!refusal) return undefined;
  return {
    message: refusal.message ?? 'The person is not of the age this record is for',
    path: [key],
    extensions: { code: ERRORS.BAD_USER_INPUT.code, argument: refusal.input, reason: refusal.reason },
  };
}

/** The hub's own read of a subgraph could not be made: nothing is decided or sent. */
const unavailable = (key: string): GraphQLFormattedError => ({
  message: SUBGRAPH_UNAVAILABLE,
  path: [key],
  extensions: { code: ERRORS.SERVICE_UNAVAILABLE.code },
});

/**
 * The record the rule acts on, when the caller does not hold it: refused as the subgraph refuses it (NOT_FOUND,
 * whether the person has no such record, another agency holds it, or the id names no one). A subgraph that
 * cannot say is unavailable, and nothing is decided.
 */
async function unheldRecord(
  rule: MutationRule,
  personId: string,
  policy: PolicyPort,
  key: string,
): Promise<GraphQLFormattedError | undefined> {
  const record = rule.callerHolds;
  if (!record) return undefined;
  const held = await policy.holds(record, personId).catch(() => null);
  if (held === null) return unavailable(key);
  if (held) return undefined;
  return { message: NOT_HELD[record], path: [key], extensions: { code: ERRORS.NOT_FOUND.code, argument: 'personId' } };
}

async function unmetRule(
  { key, rule, input, field }: RuledField,
  variables: Record<string, unknown>,
  policy: PolicyPort,
  register: ReadonlyMap<string, RegisteredAgency>,
): Promise<GraphQLFormattedError | undefined> {
  const personId = inputPersonId(field, variables);
  // A personId that is no id at all is the caller's input to mend, whatever the rule would decide of it.
  if (personId !== null && !isUuid(personId)) {
    return {
      message: 'personId is not a person id (a UUID)',
      path: [key],
      extensions: { code: ERRORS.BAD_USER_INPUT.code, argument: 'personId', reason: 'INVALID_ID' },
    };
  }
  const served = await servedResidence(rule, personId, policy);
  if (rule.servedOnly && personId && isUuid(personId) && served === undefined) {
    return forbidden('The calling agency does not serve the municipality this person is registered in', [key], {
      reason: 'OUTSIDE_JURISDICTION',
      personId,
    });
  }
  const wrongAgency = namedAgencyRefusal(rule, input, register, served, policy.caller.agencyId);
  if (wrongAgency) {
    return {
      message: wrongAgency.message ?? `${wrongAgency.input} does not name an agency this can be sent to`,
      path: [key],
      extensions: {
        code: ERRORS.BAD_USER_INPUT.code,
        reason: wrongAgency.reason,
        argument: wrongAgency.argument ?? wrongAgency.input,
      },
    };
  }
  // Where a move puts her is input too: refused before the destination's basis is decided, and so logged.
  const where = rule.registers?.kind === 'move' ? registeredMunicipality(rule.registers, input, register) : null;
  if (where && 'reason' in where) return unregistrable(key, where);
  const text = unacceptedText(rule, input, key);
  if (text) return text;
  const age = personId ? await unfitAge(rule, input, personId, policy, key) : undefined;
  if (age) return age;
  const notHeld = personId ? await unheldRecord(rule, personId, policy, key) : undefined;
  if (notHeld) return notHeld;
  // Who moves with her is asked of the holder of her case only, which knows where she lives.
  const effect = rule.registers;
  const moving = effect?.kind === 'move' ? companionsOf(effect, input) : [];
  const unmovable =
    effect?.kind === 'move' && effect.companionsInput && moving.length
      ? await unmovableCompanion(effect.companionsInput, moving, personId, served, policy, key)
      : null;
  if (unmovable) return unmovable;
  const precondition = rule.requires;
  if (!precondition) return undefined;
  const holder = holderOf(precondition.holder, input, policy.caller, register);
  return unmetPrecondition(precondition, personId ? [personId, ...moving] : [null], holder, policy, key);
}

/**
 * A precondition's basis about each person (her, then each who moves with her), decided fresh for the agency
 * it is decided for (the caller, or the agency the mutation hands her data to); FORBIDDEN for the first it
 * does not hold for, telling the caller of another agency's basis as much as it may know. Recorded in the
 * access log as that agency's access when the mutation is sent; when it is refused, the refusal only: no
 * entry says the destination was given her whereabouts by a transfer that was never sent.
 */
async function unmetPrecondition(
  precondition: BasisPrecondition,
  personIds: readonly (string | null)[],
  holder: DecisionCaller | undefined,
  policy: PolicyPort,
  key: string,
  /** What a refusal names besides: the argument that named the persons, when not `personId`. */
  named: { argument?: string } = {},
): Promise<GraphQLFormattedError | undefined> {
  const categories = new Set(precondition.categories);
  const held: PersonDecisions[] = [];
  for (const personId of personIds) {
    const { made, told } =
      personId && holder
        ? await policy.decideFor(holder, personId, categories, acceptedBases(precondition))
        : { made: new Map<DataCategory, Decision>(), told: new Map<DataCategory, Decision>() };
    const unmet = preconditionRefusal(precondition, made);
    if (!unmet) {
      if (personId && made.size) held.push({ personId, decisions: made });
      continue;
    }
    if (personId && made.size) await policy.record([{ personId, decisions: made }], holder?.agencyId);
    // The log keeps the decision as made; the caller is told of another agency's as much as it may know, and
    // never more than that there is no basis.
    const refusal = preconditionRefusal(precondition, told) ?? { category: unmet.category, reason: 'NO_LEGAL_BASIS' };
    return forbidden(`No basis for ${refusal.category} of this person: nothing was sent`, [key], {
      reason: refusal.reason,
      category: refusal.category,
      ...named,
      ...(personId ? { personId } : {}),
    });
  }
  // Every basis holds: each is recorded, and the mutation is sent.
  if (held.length) await policy.record(held, holder?.agencyId);
  return undefined;
}

/** What a companion's open case tells of: read by the caller, on any basis, before it is told whether there is one. */
const CASE_READ: BasisPrecondition = { categories: ['CHILD_WELFARE', 'DV'], holder: { kind: 'caller' } };

/**
 * The first person a move would take with her who cannot go, or null when all can: each is a person id
 * (INVALID_ID), not hers (COMPANION_IS_THE_PERSON), at most MAX_COMPANIONS of them (OUT_OF_RANGE), registered
 * where she is (COMPANION_REGISTERED_ELSEWHERE: they live with her; a person registered elsewhere, one the
 * caller does not serve and an id that names no one alike, so that an agency serving two towns learns nothing
 * of where anyone else lives), and with no case open in child-dv (COMPANION_HAS_OPEN_CASE: its holder closes
 * it, or moves a DV case on her own transfer, first; in the town they leave it would serve them no more),
 * which is asked for a caller that may read their CHILD_WELFARE and DV only (FORBIDDEN otherwise).
 */
async function unmovableCompanion(
  argument: string,
  companions: readonly string[],
  personId: string | null,
  served: string | undefined,
  policy: PolicyPort,
  key: string,
): Promise<GraphQLFormattedError | null> {
  const badInput = (message: string, reason: string, extra: Record<string, unknown> = {}) => ({
    message,
    path: [key],
    extensions: { code: ERRORS.BAD_USER_INPUT.code, argument, reason, ...extra },
  });
  if (companions.length > MAX_COMPANIONS) {
    return badInput(`${argument} names at most ${MAX_COMPANIONS} persons`, 'OUT_OF_RANGE');
  }
  if (!companions.every(isUuid)) {
    return badInput(`${argument} holds an id that is not a person id (a UUID)`, 'INVALID_ID');
  }
  if (personId !== null && companions.includes(personId)) {
    return badInput(
      `${argument} names the person herself: it lists those who move with her`,
      'COMPANION_IS_THE_PERSON',
    );
  }
  const residences = await policy.residences(companions);
  const elsewhere = companions.find((companion) => served === undefined || residences.get(companion) !== served);
  if (elsewhere) {
    return badInput(
      `${argument} names a person not registered where she is, or an id that names no one`,
      'COMPANION_REGISTERED_ELSEWHERE',
      { personId: elsewhere },
    );
  }
  // Whether they have a case open tells of child protection or DV: asked only for a caller that may read both
  // of each (its own domain where it serves them, a consent, a meeting), and logged as its read. A caller that
  // may not is refused alike whatever the child-DV system holds of them.
  const unread = await unmetPrecondition(CASE_READ, companions, policy.caller, policy, key, { argument });
  if (unread) return unread;
  const withOpenCase = await policy.withOpenCase(companions).catch(() => null);
  if (withOpenCase === null) return unavailable(key);
  const open = companions.find((companion) => withOpenCase.has(companion));
  if (open) {
    return badInput(
      `${argument} names a person with a case open in the child-DV system: its holder closes it (or transfers a DV case) first`,
      'COMPANION_HAS_OPEN_CASE',
      { personId: open },
    );
  }
  return null;
}
