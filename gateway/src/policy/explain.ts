// explainAccess: how the decision stands for an agency, told to whoever asks no more than the asker may
// know (contract v2, "a denial tells nothing the caller may not know"). Pure: no database, no clock.

import type { DataCategory } from '@hub/platform';
import {
  CONSENT_ONLY,
  decide,
  type Bases,
  type Decision,
  type DecisionCaller,
  type DecisionInput,
  type LegalBasis,
} from './decide.js';

/** Whether a consent names the agency: as one of its recipients, or as the agency that recorded it. */
export const consentNames = (
  consent: { readonly recipientAgencyIds: readonly string[]; readonly obtainedBy?: string | undefined },
  agencyId: string,
): boolean => consent.recipientAgencyIds.includes(agencyId) || consent.obtainedBy === agencyId;

/**
 * The bases an agency knows of: the consents that name it (as a recipient or as the agency that recorded
 * them), the meetings it is or was a member of, and the emergency accesses it declared.
 */
export function basesKnownTo(bases: Bases, agencyId: string): Bases {
  // Where she lives and whether a DV transfer moved her there are the register's, known to all alike: a
  // consent recorded before her move opens nothing to the town she left, whoever is told of it.
  return {
    municipalityCode: bases.municipalityCode,
    ...(bases.locationProtected === undefined ? {} : { locationProtected: bases.locationProtected }),
    ...(bases.movedAt === undefined ? {} : { movedAt: bases.movedAt }),
    consents: bases.consents.filter((c) => consentNames(c, agencyId)),
    meetings: bases.meetings.filter((m) => m.members.some((member) => member.agencyId === agencyId)),
    emergencies: bases.emergencies.filter((e) => e.agencyId === agencyId),
  };
}

/** Who asks: an agency, and whether it sees every basis (a hub auditor). */
export interface Asker {
  readonly agency: DecisionCaller;
  readonly seesAll: boolean;
}

/** An access allowed on a record the asker may not know of: allowed, on a basis it is not told. */
const ALLOWED_UNTOLD = { allowed: true, basis: null } as const;

/** A decision as an asker is told it. */
export type Explanation = Decision | typeof ALLOWED_UNTOLD;

/**
 * The decision for `input.caller`, as `asker` may be told it, or null when it may not be told at all.
 * - The agency itself and an auditor are told the decision as it is.
 * - Anyone else is told the reason, and the consent or meeting, of the records it knows of only: a meeting's
 *   reason only if it is or was a member, a consent's only if the consent names it or it recorded it, and
 *   otherwise NO_LEGAL_BASIS. An access allowed on a record it does not know of is told as allowed without
 *   its basis (ALLOWED_UNTOLD): "SUPPORT_MEETING", "CHILD_COUNCIL" or "EMERGENCY" would tell that a meeting,
 *   a council or a declaration about the person exists. OWN_DOMAIN follows from the register: it is told.
 *   Of CHILD_WELFARE or DV, by a CHILD_DV agency, or on a child council, even "allowed" would tell of
 *   child-protection or DV involvement: that is told as the records the asker knows of decide it.
 * - Whether another agency may read where a DV victim lives (DV_LOCATION) says where she went: only an agency
 *   that may read it itself is told (else null).
 */
export function explainTo(asker: Asker, input: DecisionInput): Explanation | null {
  const decision = decide(input);
  if (asker.seesAll || asker.agency.agencyId === input.caller.agencyId) return decision;
  if (CONSENT_ONLY.has(input.category) && !decide({ ...input, caller: asker.agency }).allowed) return null;
  const known = decisionKnownTo(asker.agency.agencyId, input);
  if (!decision.allowed || known.allowed) return known;
  // That another agency may read a child's welfare or a DV case on a record the asker is not party to says
  // that a child council, a meeting or a declaration about her exists: what the disclosure view withholds.
  // So does a CHILD_DV agency's access of any category on such a record: a DV centre or a child guidance
  // centre declaring an emergency about her, or sitting in a meeting on her, is its involvement.
  if (TELLS_OF_INVOLVEMENT.has(input.category) || input.caller.domain === 'CHILD_DV') return known;
  // Allowed on a child council and on no other basis: whether "allowed" is told must not change when a
  // council is convened beside another basis (an emergency, a meeting) that allows it already.
  if (decision.basis === 'CHILD_COUNCIL' && !decide(input, BESIDE_A_COUNCIL).allowed) return known;
  return ALLOWED_UNTOLD;
}

const BESIDE_A_COUNCIL: ReadonlySet<LegalBasis> = new Set(['OWN_DOMAIN', 'CONSENT', 'SUPPORT_MEETING', 'EMERGENCY']);

/**
 * Categories whose access by another agency tells of child-protection or DV involvement (DV_LOCATION is
 * told only to an agency that may read it itself): as the disclosure view treats them.
 */
export const TELLS_OF_INVOLVEMENT: ReadonlySet<DataCategory> = new Set(['CHILD_WELFARE', 'DV']);

/**
 * Another agency's decision as `askerId` may be told it when it asks on that agency's behalf (a mutation's
 * precondition about the agency its input names): decided on the records the asker knows of only, so a
 * denial speaks of a consent or meeting only to an agency that consent names or that meeting has or had.
 */
export function decisionKnownTo(askerId: string, input: DecisionInput, only?: ReadonlySet<LegalBasis>): Decision {
  return decide({ ...input, bases: basesKnownTo(input.bases, askerId) }, only);
}
