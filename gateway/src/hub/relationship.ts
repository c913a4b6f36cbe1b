// Who may record a consent (CONTRACT.md "Managing the bases"): "any agency that has a relationship with
// the person". A WELFARE agency is the person's consultation point and always has one. Any other agency
// has one when its own system holds a record of the person (asked through the gateway as the caller, so
// the probe is an audited OWN_DOMAIN read), or when a referral or a meeting connects it to them now: a
// member not removed, a referral not withdrawn (nor declined, for the agency that declined it).
// Without one, an agency could name itself as recipient and grant itself a basis.

import { ERRORS, type Domain } from '@hub/platform';
import type { GatewayContext } from '../context.js';

/** The caller's own-domain fields that show its system holds a record of the person. */
const OWN_RECORDS: Readonly<Record<Exclude<Domain, 'WELFARE'>, string>> = {
  SUICIDE_PREVENTION: 'riskAssessments { id } counselingContacts { id } psychiatricReferrals { id }',
  CHILD_DV: 'childWelfareCases { id } abuseReports { id } dvCase { id }',
  EMPLOYMENT: 'jobSeeker { id } placements { id }',
  SENIORS_WORK: 'silverMembership { id } assignments { id }',
  ENVIRONMENT: 'enrollments { id }',
};

/** One probe operation per domain, each always a trusted document. */
export const RELATIONSHIP_PROBES: Readonly<Record<Exclude<Domain, 'WELFARE'>, string>> = Object.fromEntries(
  Object.entries(OWN_RECORDS).map(([domain, fields]) => [
    domain,
    `query OwnRecordOfPerson($personId: ID!) { person(id: $personId) { id ${fields} } }`,
  ]),
) as Record<Exclude<Domain, 'WELFARE'>, string>;

const holdsSomething = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 : value != null);

export async function hasRelationship(context: GatewayContext, personId: string): Promise<boolean> {
  const { caller, hub, execute } = context;
  if (caller.domain === 'WELFARE') return true;
  const bases = (await hub.bases([personId])).get(personId);
  // A member removed from the meeting has left it: the tie ends with the membership (its next request), and
  // with the meeting, closed or past its end. One not started yet ties its members already: consent for a
  // meeting that runs on it (重層的支援会議) is obtained before it sits.
  const now = new Date();
  const inMeeting = bases?.meetings.some(
    (m) =>
      m.closedAt === null &&
      (m.endsAt === null || now < m.endsAt) &&
      m.members.some((member) => member.agencyId === caller.agencyId && member.removedAt === null),
  );
  if (inMeeting || (await hub.referrals.connects(caller.agencyId, personId))) return true;
  const result = await execute<{ person: Record<string, unknown> | null }>(RELATIONSHIP_PROBES[caller.domain], {
    personId,
  });
  const person = result.data?.person;
  if (person && Object.entries(person).some(([key, value]) => key !== 'id' && holdsSomething(value))) return true;
  // A probe that could not read all it asked (its subgraph, the access log) cannot tell that the agency holds
  // nothing: the caller is told the fault, which a retry may clear, never that it has no relationship. Only
  // a denial of a category (the agency's own, outside its jurisdiction) is an answer.
  const fault = result.errors?.find(
    (error) => error.extensions?.['code'] !== ERRORS.FORBIDDEN.code || typeof error.extensions['category'] !== 'string',
  );
  if (fault) {
    const reason = fault.extensions?.['reason'];
    const kind =
      fault.extensions?.['code'] === ERRORS.INTERNAL_SERVER_ERROR.code
        ? 'INTERNAL_SERVER_ERROR'
        : 'SERVICE_UNAVAILABLE';
    throw ERRORS[kind].err(
      "The agency's own records of the person could not be read; try again shortly.",
      typeof reason === 'string' ? { reason } : {},
    );
  }
  return false;
}
