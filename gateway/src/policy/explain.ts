// explainAccess: how the decision stands for an agency, told to whoever asks no more than the asker may
// know (contract v2, "a denial tells nothing the caller may not know"). Pure: no database, no clock.

import { CONSENT_ONLY, decide, type Bases, type Decision, type DecisionCaller, type DecisionInput } from './decide.js';

/**
 * The bases an agency knows of: the consents that name it (as a recipient or as the agency that recorded
 * them), the meetings it is or was a member of, and the emergency accesses it declared.
 */
export function basesKnownTo(bases: Bases, agencyId: string): Bases {
  return {
    municipalityCode: bases.municipalityCode,
    consents: bases.consents.filter((c) => c.recipientAgencyIds.includes(agencyId) || c.obtainedBy === agencyId),
    meetings: bases.meetings.filter((m) => m.members.some((member) => member.agencyId === agencyId)),
    emergencies: bases.emergencies.filter((e) => e.agencyId === agencyId),
  };
}

/** Who asks: an agency, and whether it sees every basis (a hub auditor). */
export interface Asker {
  readonly agency: DecisionCaller;
  readonly seesAll: boolean;
}

/**
 * The decision for `input.caller`, as `asker` may be told it, or null when it may not be told at all.
 * - The agency itself and an auditor are told the decision as it is.
 * - Anyone else is told the reason, and the consent or meeting, of the records it knows of only: a meeting's
 *   reason only if it is or was a member, a consent's only if the consent names it or it recorded it, and
 *   otherwise NO_LEGAL_BASIS; an access allowed on a record it does not know is told as allowed, on that
 *   basis, without the record's id.
 * - Whether another agency may read where a DV victim lives (DV_LOCATION) says where she went: only an agency
 *   that may read it itself is told (else null).
 */
export function explainTo(asker: Asker, input: DecisionInput): Decision | null {
  const decision = decide(input);
  if (asker.seesAll || asker.agency.agencyId === input.caller.agencyId) return decision;
  if (CONSENT_ONLY.has(input.category) && !decide({ ...input, caller: asker.agency }).allowed) return null;
  const known = decide({ ...input, bases: basesKnownTo(input.bases, asker.agency.agencyId) });
  if (!decision.allowed || known.allowed) return known;
  return { allowed: true, basis: decision.basis };
}
