// Property-based tests of `decide` (CONTRACT.md "The decision"): random callers, people, categories and bases,
// checked against an independent oracle of each rule. Pools are small so that coincidences (the caller named
// in a consent, a meeting covering the person, a timestamp equal to `now`) happen often.

import { CATEGORY_NAMES, DOMAINS, owningDomain, type DataCategory } from '@hub/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  type Bases,
  type Consent,
  type Decision,
  type DecisionCaller,
  type DecisionInput,
  type EmergencyAccess,
  type LegalBasis,
  type Meeting,
  type MeetingKind,
} from './decide.js';

const RUNS = { numRuns: 1000 };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const AGENCIES = ['hellowork', 'collaborator', 'jisou', 'silver', 'higashiyama-welfare'] as const;
const PEOPLE = ['p-1', 'p-2', 'p-3'] as const;
const REASONS = ['', ' ', '\u3000', '\n\t', '自殺の危険が切迫している', 'x'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

const agencyArb = fc.constantFrom(...AGENCIES);
const personArb = fc.constantFrom(...PEOPLE);
const categoryArb = fc.constantFrom(...CATEGORY_NAMES);
const MUNICIPALITY_CODES = ['990001', '990002'] as const;
const callerArb: fc.Arbitrary<DecisionCaller> = fc.record({
  agencyId: agencyArb,
  domain: fc.constantFrom(...DOMAINS),
  jurisdiction: fc.subarray([...MUNICIPALITY_CODES], { minLength: 1 }),
});

const nowArb = fc.date({
  min: new Date('2025-01-01T00:00:00Z'),
  max: new Date('2028-12-31T23:59:59Z'),
  noInvalidDate: true,
});

/** A moment around `now`: often exactly `now` or a millisecond off, so that the boundaries get exercised. */
function around(now: Date): fc.Arbitrary<Date> {
  const offset = fc.oneof(
    fc.constantFrom(0, -1, 1, -MINUTE, MINUTE, -DAY, DAY),
    fc.integer({ min: -30 * DAY, max: 30 * DAY }),
  );
  return offset.map((ms) => new Date(now.getTime() + ms));
}

/** A moment around `now`, three times in four at or before it: for starts and acknowledgements. */
function mostlyBefore(now: Date): fc.Arbitrary<Date> {
  return fc.oneof(
    { arbitrary: around(now).map((d) => (d > now ? new Date(2 * now.getTime() - d.getTime()) : d)), weight: 3 },
    { arbitrary: around(now), weight: 1 },
  );
}

/** `null` in `nullPercent`% of cases, else a value: tuned so that each basis both holds and fails often. */
const orNull = <T>(arb: fc.Arbitrary<T>, nullPercent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: nullPercent }, { arbitrary: arb, weight: 100 - nullPercent });
const subsetOf = <T>(values: readonly T[]) => fc.subarray([...values]);

/** What a decision is about; bases lean towards it, so that they concern the caller and the person often. */
interface Scene {
  readonly now: Date;
  readonly caller: DecisionCaller;
  readonly personId: string;
  readonly category: DataCategory;
}

const sceneArb: fc.Arbitrary<Scene> = fc.record({
  now: nowArb,
  caller: callerArb,
  personId: personArb,
  category: categoryArb,
});

/** Half the time the agency (person) of the scene, otherwise any from the pool (the scene's one included). */
const agencyNear = (scene: Scene) => fc.oneof(fc.constant(scene.caller.agencyId), agencyArb);
const personNear = (scene: Scene) => fc.oneof(fc.constant(scene.personId), personArb);

function consentArb(scene: Scene): fc.Arbitrary<Omit<Consent, 'id'>> {
  return fc.record({
    personId: personNear(scene),
    recipientAgencyIds: subsetOf(AGENCIES),
    categories: subsetOf(CATEGORY_NAMES),
    confirmedCategories: subsetOf(CATEGORY_NAMES),
    validFrom: mostlyBefore(scene.now),
    validUntil: orNull(around(scene.now), 40),
    revokedAt: orNull(around(scene.now), 60),
  });
}

function meetingArb(scene: Scene, kinds: readonly MeetingKind[]): fc.Arbitrary<Omit<Meeting, 'id'>> {
  const member = fc.record({
    agencyId: agencyNear(scene),
    domain: fc.constantFrom(...DOMAINS),
    acknowledgedAt: orNull(mostlyBefore(scene.now), 30),
    removedAt: orNull(mostlyBefore(scene.now), 80),
    jurisdiction: fc.subarray([...MUNICIPALITY_CODES], { minLength: 1 }),
    deactivatedAt: orNull(mostlyBefore(scene.now), 85),
  });
  return fc.record({
    kind: fc.constantFrom(...kinds),
    subjectPersonIds: subsetOf(PEOPLE),
    sharedCategories: subsetOf(CATEGORY_NAMES),
    startsAt: mostlyBefore(scene.now),
    endsAt: orNull(around(scene.now), 40),
    closedAt: orNull(around(scene.now), 75),
    municipalityCode: orNull(fc.constantFrom(...MUNICIPALITY_CODES), 10),
    members: fc.array(member, { maxLength: 3 }),
  });
}

function emergencyArb(scene: Scene): fc.Arbitrary<Omit<EmergencyAccess, 'id'>> {
  return fc.record({
    agencyId: agencyNear(scene),
    personId: personNear(scene),
    categories: subsetOf(CATEGORY_NAMES),
    reason: fc.constantFrom(...REASONS),
    expiresAt: around(scene.now),
  });
}

/** Gives each item a unique id, so that the id a decision names refers to exactly one basis. */
const withIds = <T>(prefix: string, items: readonly T[]) => items.map((item, i) => ({ ...item, id: `${prefix}-${i}` }));

function basesArb(scene: Scene): fc.Arbitrary<Bases> {
  return fc
    .record({
      municipalityCode: orNull(fc.constantFrom(...MUNICIPALITY_CODES), 10),
      consents: fc.array(consentArb(scene), { maxLength: 4 }),
      meetings: fc.array(meetingArb(scene, ['SUPPORT_MEETING', 'MULTILAYER_MEETING', 'CHILD_COUNCIL']), {
        maxLength: 4,
      }),
      emergencies: fc.array(emergencyArb(scene), { maxLength: 3 }),
    })
    .map(({ municipalityCode, consents, meetings, emergencies }) => ({
      municipalityCode,
      consents: withIds('consent', consents),
      meetings: withIds('meeting', meetings),
      emergencies: withIds('emergency', emergencies),
    }));
}

const inputArb: fc.Arbitrary<DecisionInput> = sceneArb.chain((scene) =>
  basesArb(scene).map((bases) => ({ ...scene, bases })),
);

// ---------------------------------------------------------------------------------------------------------------
// The oracle: each rule of CONTRACT.md, written independently of decide.ts.

function consentHolds(c: Consent, { caller, personId, category, now }: DecisionInput): boolean {
  const started = c.validFrom.getTime() <= now.getTime();
  const notExpired = c.validUntil === null || now.getTime() < c.validUntil.getTime();
  // Any recorded revocation ends the consent, even one stamped later than `now` (the database stamps it with
  // its own clock, which may run ahead of the gateway's): this is stricter than "not revoked at now", so
  // soundness against this oracle implies soundness against that reading. See the property about revocation.
  const notRevoked = c.revokedAt === null;
  return (
    c.personId === personId &&
    c.recipientAgencyIds.includes(caller.agencyId) &&
    c.categories.includes(category) &&
    c.confirmedCategories.includes(category) &&
    started &&
    notExpired &&
    notRevoked
  );
}

function meetingHolds(
  m: Meeting,
  kind: MeetingKind,
  { caller, personId, category, now, bases }: DecisionInput,
): boolean {
  const t = now.getTime();
  const active = m.closedAt === null && m.startsAt.getTime() <= t && (m.endsAt === null || t < m.endsAt.getTime());
  const acknowledged = (member: Meeting['members'][number]) =>
    member.removedAt === null && member.acknowledgedAt !== null && member.acknowledgedAt.getTime() <= t;
  const acknowledgedMember = m.members.some((member) => member.agencyId === caller.agencyId && acknowledged(member));
  // C's holder: an agency of C's domain, switched on, serving where P lives now.
  const servesPerson = (member: Meeting['members'][number]) =>
    bases.municipalityCode !== null && member.jurisdiction.includes(bases.municipalityCode);
  const holderSits = m.members.some(
    (member) =>
      member.domain === owningDomain(category) &&
      member.deactivatedAt === null &&
      servesPerson(member) &&
      acknowledged(member),
  );
  // A meeting belongs to one municipality: it covers P only while P lives there.
  const ofPersonsMunicipality = m.municipalityCode === null || m.municipalityCode === bases.municipalityCode;
  return (
    m.kind === kind &&
    active &&
    m.subjectPersonIds.includes(personId) &&
    ofPersonsMunicipality &&
    m.sharedCategories.includes(category) &&
    acknowledgedMember &&
    holderSits
  );
}

function emergencyHolds(e: EmergencyAccess, { caller, personId, category, now, bases }: DecisionInput): boolean {
  return (
    // Rule 5 reaches a person of the register (no scene here is of a victim a DV transfer moved).
    bases.municipalityCode !== null &&
    e.agencyId === caller.agencyId &&
    e.personId === personId &&
    e.categories.includes(category) &&
    now.getTime() < e.expiresAt.getTime() &&
    e.reason.trim().length > 0
  );
}

function ownDomainHolds({ caller, category, bases }: DecisionInput): boolean {
  return (
    owningDomain(category) === caller.domain &&
    bases.municipalityCode !== null &&
    caller.jurisdiction.includes(bases.municipalityCode)
  );
}

/** Does the rule of `basis` hold, on the basis the decision names (if it names one)? */
function basisHolds(decision: Decision & { allowed: true }, input: DecisionInput): boolean {
  const { bases } = input;
  switch (decision.basis) {
    case 'OWN_DOMAIN':
      return ownDomainHolds(input);
    case 'CONSENT': {
      const c = bases.consents.find((x) => x.id === decision.consentId);
      return c !== undefined && consentHolds(c, input);
    }
    case 'SUPPORT_MEETING':
    case 'CHILD_COUNCIL': {
      const m = bases.meetings.find((x) => x.id === decision.meetingId);
      return m !== undefined && meetingHolds(m, decision.basis, input);
    }
    case 'EMERGENCY': {
      const e = bases.emergencies.find((x) => x.id === decision.emergencyId);
      return e !== undefined && emergencyHolds(e, input);
    }
    case 'AUDIT':
      // An auditor's review is recorded, never decided: no decision rests on it.
      return false;
  }
}

/** Which rules hold for the input, in the contract's order (regardless of DV_LOCATION). */
function holdingRules(input: DecisionInput): LegalBasis[] {
  const { bases } = input;
  const holding: LegalBasis[] = [];
  if (ownDomainHolds(input)) holding.push('OWN_DOMAIN');
  if (bases.consents.some((c) => consentHolds(c, input))) holding.push('CONSENT');
  if (bases.meetings.some((m) => meetingHolds(m, 'SUPPORT_MEETING', input))) holding.push('SUPPORT_MEETING');
  if (bases.meetings.some((m) => meetingHolds(m, 'CHILD_COUNCIL', input))) holding.push('CHILD_COUNCIL');
  if (bases.emergencies.some((e) => emergencyHolds(e, input))) holding.push('EMERGENCY');
  return holding;
}

/** allowed/basis/reason: the decision without the id it names. */
function outcome(decision: Decision) {
  return decision.allowed ? { allowed: true, basis: decision.basis } : { allowed: false, reason: decision.reason };
}

// ---------------------------------------------------------------------------------------------------------------

describe('decide: properties', () => {
  it('an allowed decision names a basis whose rule really holds', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (decision.allowed) expect(basisHolds(decision, input)).toBe(true);
      }),
      RUNS,
    );
  });

  it('rule 6: nothing is allowed when no rule holds', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(holdingRules(input).length === 0);
        expect(decide(input).allowed).toBe(false);
      }),
      { ...RUNS, maxSkipsPerRun: 1000 },
    );
  });

  it('a rule that holds allows, on the first basis in the contract order (for DV_LOCATION: OWN_DOMAIN or CONSENT)', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const unlocking = holdingRules(input).filter(
          (basis) => input.category !== 'DV_LOCATION' || basis === 'OWN_DOMAIN' || basis === 'CONSENT',
        );
        const decision = decide(input);
        if (unlocking.length === 0) expect(decision.allowed).toBe(false);
        else expect(decision).toMatchObject({ allowed: true, basis: unlocking[0] });
      }),
      RUNS,
    );
  });

  it('a revoked consent never allows', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), (input, pick) => {
        const notOwned = CATEGORY_NAMES.filter((c) => owningDomain(c) !== input.caller.domain);
        const category = notOwned[pick % notOwned.length]!;
        // Revoked before, at or (clock skew) after `now`: any recorded revocation.
        const revoked = input.bases.consents.filter((c) => c.revokedAt !== null);
        const bases: Bases = { municipalityCode: null, consents: revoked, meetings: [], emergencies: [] };
        expect(decide({ ...input, category, bases }).allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('a MULTILAYER_MEETING never allows: adding multilayer meetings never changes the decision', () => {
    const arb = inputArb.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.array(fc.tuple(meetingArb(input, ['MULTILAYER_MEETING']), fc.nat()), { minLength: 1, maxLength: 4 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([input, extras]) => {
        const meetings: Meeting[] = [...input.bases.meetings];
        extras.forEach(([extra, position], i) =>
          meetings.splice(position % (meetings.length + 1), 0, { ...extra, id: `multilayer-${i}` }),
        );
        const withMultilayer = { ...input, bases: { ...input.bases, meetings } };
        expect(decide(withMultilayer)).toEqual(decide(input));
      }),
      RUNS,
    );
  });

  it('DV_LOCATION is never allowed by a meeting, a council or an emergency: only OWN_DOMAIN or CONSENT', () => {
    const dvLocation: DataCategory = 'DV_LOCATION';
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decide({ ...input, category: dvLocation });
        if (decision.allowed) expect(['OWN_DOMAIN', 'CONSENT']).toContain(decision.basis);
      }),
      RUNS,
    );
  });

  it('the decision does not depend on the order of consents, meetings or emergencies (but for the id it names)', () => {
    const arb = inputArb.chain((input) => {
      const shuffled = <T>(items: readonly T[]) =>
        fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
      return fc.tuple(
        fc.constant(input),
        fc.record({
          consents: shuffled(input.bases.consents),
          meetings: shuffled(input.bases.meetings),
          emergencies: shuffled(input.bases.emergencies),
        }),
      );
    });
    fc.assert(
      fc.property(arb, ([input, bases]) => {
        expect(outcome(decide({ ...input, bases: { ...input.bases, ...bases } }))).toEqual(outcome(decide(input)));
      }),
      RUNS,
    );
  });

  it('a reason that speaks of a meeting goes only to an agency that is or was its member', () => {
    const MEETING_REASONS = [
      'NOT_A_MEMBER',
      'MEETING_NOT_ACTIVE',
      'CATEGORY_NOT_SHARED',
      'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
    ];
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (decision.allowed || !MEETING_REASONS.includes(decision.reason)) return;
        const member = input.bases.meetings.some(
          (m) =>
            m.subjectPersonIds.includes(input.personId) &&
            m.members.some((member) => member.agencyId === input.caller.agencyId),
        );
        expect(member).toBe(true);
      }),
      RUNS,
    );
  });

  it('a reason that speaks of a consent goes only to an agency it names', () => {
    const CONSENT_REASONS = ['CONSENT_REVOKED', 'CONSENT_EXPIRED', 'CONSENT_NOT_CONFIRMED'];
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (decision.allowed || !CONSENT_REASONS.includes(decision.reason)) return;
        const named = input.bases.consents.some(
          (c) => c.personId === input.personId && c.recipientAgencyIds.includes(input.caller.agencyId),
        );
        expect(named).toBe(true);
      }),
      RUNS,
    );
  });

  it('determinism: the same input gives the same output', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const first = decide(input);
        expect(decide(input)).toEqual(first);
        expect(decide(structuredClone(input))).toEqual(first);
      }),
      RUNS,
    );
  });
});
