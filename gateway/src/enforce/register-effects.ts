// What the hub's register of residents learns from a mutation its agency system has done: a registration
// (where she is registered, checked before anything is sent) and a DV transfer's move (her, and each who
// moved with her, to the destination's municipality), settled by asking child-dv when its answer is lost.

import type { FieldNode, GraphQLFormattedError } from 'graphql';
import { describeSafely, ERRORS } from '@hub/platform';
import { personKey, responseKey, type EnforceOptions, type FetchResponse } from './fetch.js';
import { forbidden } from './decisions.js';
import { servesWhereSheLives } from '../policy/decide.js';
import { companionsOf, mutationRule, registeredMunicipality, type RegisterEffect } from './mutation-rules.js';
import { inputOf, inputPersonId, unregistrable } from './mutation-checks.js';

/** What a field will teach the register once done: the person (or where to find them) and the municipality. */
export interface PlannedEffect {
  readonly key: string;
  readonly effect: RegisterEffect;
  readonly municipalityCode: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * The register effects of the fields, checked before anything is sent: a person is registered only in a
 * municipality the caller serves, and a move names a municipality its destination serves.
 */
export async function plannedEffects(
  fields: readonly FieldNode[],
  variables: Record<string, unknown>,
  options: EnforceOptions,
): Promise<PlannedEffect[] | GraphQLFormattedError> {
  const planned: PlannedEffect[] = [];
  for (const field of fields) {
    const effect = mutationRule(field.name.value)?.registers;
    if (!effect) continue;
    const input = inputOf(field, variables);
    const register =
      effect.kind === 'move' ? await options.policy.agencies([String(input[effect.toAgencyInput])]) : new Map();
    const where = registeredMunicipality(effect, input, register);
    if ('reason' in where) return unregistrable(responseKey(field), where);
    if (effect.kind === 'register' && !servesWhereSheLives(options.policy.caller, where.municipalityCode)) {
      return forbidden('An agency registers residents of the municipalities it serves only', [responseKey(field)], {
        reason: 'OUTSIDE_JURISDICTION',
      });
    }
    planned.push({ key: responseKey(field), effect, municipalityCode: where.municipalityCode, input });
  }
  return planned;
}

/** Moves each person a DV transfer the subgraph did (`done`: answered, not null) moved, as its input names her. */
export async function applyMoves(
  planned: readonly PlannedEffect[],
  done: ReadonlySet<string>,
  options: EnforceOptions,
): Promise<void> {
  for (const { key, effect, municipalityCode, input } of planned) {
    if (!done.has(key) || effect.kind !== 'move') continue;
    const personId = input['personId'];
    if (typeof personId === 'string')
      await moveWithCompanions(effect, personKey(personId), input, municipalityCode, options);
  }
}

/**
 * Sends the fetch. When its answer is lost (the gateway stopped waiting, the connection broke) the subgraph
 * may have done a DV transfer all the same, past the deadline it checks before committing (the answer held
 * up on its way back): the register asks child-dv who holds her case now, and learns the move if the
 * destination does, so that the town she left is not left serving her while her case is elsewhere. The
 * fetch's failure stands; a read that fails too leaves the register as it was.
 */
export async function settledIfLost(
  effects: readonly PlannedEffect[],
  options: EnforceOptions,
  send: () => Promise<FetchResponse>,
): Promise<FetchResponse> {
  const moves = effects.filter(({ effect }) => effect.kind === 'move');
  const settle = () =>
    moves.length
      ? settleMoves(moves, options).catch((error: unknown) =>
          options.logger?.warn(
            { domain: options.subgraphDomain, error: describeSafely(error) },
            'a DV transfer whose answer was lost could not be settled; the register keeps her where it had her',
          ),
        )
      : undefined;
  let response: FetchResponse;
  try {
    response = await send();
  } catch (error) {
    await settle();
    throw error;
  }
  // The data source answers a subgraph it could not hear from (timed out, unreachable, 5xx) as unavailable.
  const lost =
    response.data == null && response.errors?.some((e) => e.extensions?.['code'] === ERRORS.SERVICE_UNAVAILABLE.code);
  if (lost) await settle();
  return response;
}

async function settleMoves(moves: readonly PlannedEffect[], options: EnforceOptions): Promise<void> {
  for (const { effect, municipalityCode, input } of moves) {
    if (effect.kind !== 'move') continue;
    const [personId, toAgencyId] = [input['personId'], input[effect.toAgencyInput]];
    if (typeof personId !== 'string' || typeof toAgencyId !== 'string') continue;
    if (await options.policy.holds('OPEN_DV_CASE', personKey(personId), toAgencyId)) {
      await moveWithCompanions(effect, personKey(personId), input, municipalityCode, options);
    }
  }
}

/** Registers her, and each who moved with her (checked before the move was sent), in the destination's municipality. */
async function moveWithCompanions(
  effect: RegisterEffect,
  personId: string,
  input: Readonly<Record<string, unknown>>,
  municipalityCode: string,
  options: EnforceOptions,
): Promise<void> {
  for (const moved of [personId, ...companionsOf(effect, input)]) {
    await options.policy.moveResident(moved, municipalityCode);
  }
}

/**
 * Where the register has each person the fields' inputs name: signed with the mutation, so that what the
 * subgraph records for them counts in that municipality's dashboards (and only there).
 */
export async function residencesNamed(
  fields: readonly FieldNode[],
  variables: Record<string, unknown>,
  options: EnforceOptions,
): Promise<ReadonlyMap<string, string>> {
  const personIds = fields.flatMap((field) => inputPersonId(field, variables) ?? []);
  return personIds.length ? options.policy.residences(personIds) : new Map();
}
