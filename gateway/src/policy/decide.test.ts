import { describe, expect, it } from 'vitest';
import { CATEGORY_NAMES, owningDomain, type DataCategory, type Domain } from '@hub/platform';
import {
  decide,
  DENIAL_REASONS,
  denialMessage,
  knowsOfPerson,
  protectionLevel,
  type Bases,
  type Consent,
  type DecisionCaller,
  type EmergencyAccess,
  type Meeting,
  type MeetingMember,
} from './decide.js';

const now = new Date('2026-11-23T12:00:00Z');
const before = (days: number) => new Date(now.getTime() - days * 86_400_000);
const after = (days: number) => new Date(now.getTime() + days * 86_400_000);

const person = 'p-1';
const HERE = '990001';
const THERE = '990002';
const helloWork: DecisionCaller = { agencyId: 'hellowork', domain: 'EMPLOYMENT', jurisdiction: [HERE, THERE] };
const collaborator: DecisionCaller = { agencyId: 'collaborator', domain: 'WELFARE', jurisdiction: [HERE] };
const childGuidance: DecisionCaller = { agencyId: 'jisou', domain: 'CHILD_DV', jurisdiction: [HERE, THERE] };
const destination: DecisionCaller = { agencyId: 'higashiyama-welfare', domain: 'WELFARE', jurisdiction: [THERE] };

const none: Bases = { municipalityCode: HERE, consents: [], meetings: [], emergencies: [] };

function consent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: 'consent-1',
    personId: person,
    recipientAgencyIds: [helloWork.agencyId],
    categories: ['WELFARE_CASE'],
    confirmedCategories: overrides.categories ?? ['WELFARE_CASE'],
    validFrom: before(30),
    validUntil: after(30),
    revokedAt: null,
    ...overrides,
  };
}

function member(agencyId: string, domain: Domain, acknowledgedAt: Date | null = before(1)): MeetingMember {
  return { agencyId, domain, acknowledgedAt, removedAt: null, jurisdiction: [HERE], deactivatedAt: null };
}

function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'meeting-1',
    kind: 'SUPPORT_MEETING',
    subjectPersonIds: [person],
    sharedCategories: ['WELFARE_CASE', 'MENTAL_HEALTH', 'EMPLOYMENT'],
    startsAt: before(1),
    endsAt: after(1),
    closedAt: null,
    municipalityCode: HERE,
    members: [
      member(helloWork.agencyId, 'EMPLOYMENT'),
      // The holders of what the meeting shares sit in it: members share what they hold.
      member('minamino-welfare', 'WELFARE'),
      member('kokoro', 'SUICIDE_PREVENTION'),
    ],
    ...overrides,
  };
}

function emergency(overrides: Partial<EmergencyAccess> = {}): EmergencyAccess {
  return {
    id: 'emergency-1',
    agencyId: helloWork.agencyId,
    personId: person,
    categories: ['MENTAL_HEALTH'],
    reason: '自殺の危険が切迫している',
    expiresAt: after(0.1),
    ...overrides,
  };
}

describe('rule 1: own domain', () => {
  it("allows an agency its own domain's categories (OWN_DOMAIN)", () => {
    expect(decide({ caller: helloWork, personId: person, category: 'EMPLOYMENT', bases: none, now })).toEqual({
      allowed: true,
      basis: 'OWN_DOMAIN',
    });
  });

  it('allows the owning domain DV_LOCATION without any consent', () => {
    expect(
      decide({ caller: childGuidance, personId: person, category: 'DV_LOCATION', bases: none, now }),
    ).toMatchObject({
      allowed: true,
      basis: 'OWN_DOMAIN',
    });
  });
});

describe('rule 1 stops at the jurisdiction’s edge', () => {
  it('denies own-domain data of a person registered outside the jurisdiction (NO_LEGAL_BASIS)', () => {
    const moved = { ...none, municipalityCode: THERE };
    expect(decide({ caller: collaborator, personId: person, category: 'CONTACT', bases: moved, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    expect(decide({ caller: destination, personId: person, category: 'CONTACT', bases: moved, now })).toEqual({
      allowed: true,
      basis: 'OWN_DOMAIN',
    });
  });

  it('an agency serving several municipalities reads its own domain in each', () => {
    const moved = { ...none, municipalityCode: THERE };
    expect(decide({ caller: helloWork, personId: person, category: 'EMPLOYMENT', bases: moved, now })).toMatchObject({
      allowed: true,
    });
  });

  it('gives no own-domain access to an id the register does not know', () => {
    const unknown = { ...none, municipalityCode: null };
    expect(decide({ caller: collaborator, personId: person, category: 'IDENTITY', bases: unknown, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });
});

describe('rule 2: consent', () => {
  it('opens a category only once its holder recorded or confirmed it (CONSENT_NOT_CONFIRMED)', () => {
    const unconfirmed = consent({ categories: ['MENTAL_HEALTH'], confirmedCategories: [] });
    const bases = { ...none, consents: [unconfirmed] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'CONSENT_NOT_CONFIRMED',
      consentId: 'consent-1',
    });
    const confirmed = { ...none, consents: [{ ...unconfirmed, confirmedCategories: ['MENTAL_HEALTH' as const] }] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases: confirmed, now })).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-1',
    });
  });

  it('tells an agency the consent does not name nothing of it (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, consents: [consent({ revokedAt: before(1) })] };
    expect(decide({ caller: childGuidance, personId: person, category: 'WELFARE_CASE', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('allows what an active consent names for the recipient (CONSENT)', () => {
    const bases = { ...none, consents: [consent()] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-1',
    });
  });

  it('after a DV transfer, a consent recorded before her move opens nothing of her to an agency that does not serve where she lives now, or serves another town too', () => {
    // Her new town's records of her (a consultation its welfare office recorded) name its agencies: a consent
    // the town she left recorded would tell its recipients there where she fled.
    const homeTown: DecisionCaller = { agencyId: 'minamino-silver', domain: 'SENIORS_WORK', jurisdiction: [HERE] };
    const newTown: DecisionCaller = { agencyId: 'higashiyama-silver', domain: 'SENIORS_WORK', jurisdiction: [THERE] };
    const movedAt = before(1);
    const old = consent({ recipientAgencyIds: [homeTown.agencyId, newTown.agencyId], recordedAt: before(10) });
    const moved: Bases = { ...none, municipalityCode: THERE, locationProtected: true, movedAt, consents: [old] };
    expect(decide({ caller: homeTown, personId: person, category: 'WELFARE_CASE', bases: moved, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    // Revoked, it tells the town she left nothing either: the consent's reasons are not its to hear of her now.
    const revoked = { ...moved, consents: [{ ...old, revokedAt: before(0.5) }] };
    expect(decide({ caller: homeTown, personId: person, category: 'WELFARE_CASE', bases: revoked, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    // A recipient serving where she lives now, and nowhere else, reads on it as before.
    expect(decide({ caller: newTown, personId: person, category: 'WELFARE_CASE', bases: moved, now })).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-1',
    });
    // One serving both towns would learn from her new town's records which one she fled to.
    const bothTowns = { ...moved, consents: [{ ...old, recipientAgencyIds: [helloWork.agencyId] }] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases: bothTowns, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    // One recorded since her move, by an agency serving her new town (as grantConsent requires), opens what it names.
    const since = { ...moved, consents: [{ ...old, id: 'consent-2', recordedAt: before(0.5) }] };
    expect(decide({ caller: homeTown, personId: person, category: 'WELFARE_CASE', bases: since, now })).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-2',
    });
    // A person not moved by a transfer: the consent stands wherever its recipient serves.
    const notMoved = { ...none, consents: [old] };
    expect(
      decide({ caller: homeTown, personId: person, category: 'WELFARE_CASE', bases: notMoved, now }),
    ).toMatchObject({
      allowed: true,
    });
  });

  it('denies a category the consent does not name (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, consents: [consent()] };
    expect(decide({ caller: helloWork, personId: person, category: 'HIKIKOMORI', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('denies an agency the consent does not name (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, consents: [consent({ recipientAgencyIds: ['silver'] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it("denies on another person's consent (NO_LEGAL_BASIS)", () => {
    const bases = { ...none, consents: [consent({ personId: 'p-2' })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('denies on a revoked consent (CONSENT_REVOKED)', () => {
    const bases = { ...none, consents: [consent({ revokedAt: before(0.01) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toEqual({
      allowed: false,
      reason: 'CONSENT_REVOKED',
      consentId: 'consent-1',
    });
  });

  it('denies on an expired consent (CONSENT_EXPIRED)', () => {
    const bases = { ...none, consents: [consent({ validUntil: before(1) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toEqual({
      allowed: false,
      reason: 'CONSENT_EXPIRED',
      consentId: 'consent-1',
    });
  });

  it('denies on a consent that has not started (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, consents: [consent({ validFrom: after(1) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('allows on a second, active consent when an earlier one was revoked', () => {
    const bases = { ...none, consents: [consent({ id: 'old', revokedAt: before(2) }), consent({ id: 'new' })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      allowed: true,
      consentId: 'new',
    });
  });
});

describe('rule 2: which reason a consent gives', () => {
  it('a consent both revoked and expired is told CONSENT_REVOKED: revocation always wins', () => {
    const bases = { ...none, consents: [consent({ revokedAt: before(40), validUntil: before(10) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'CONSENT_REVOKED',
      consentId: 'consent-1',
    });
  });

  it('a consent awaiting its holder is named before a revoked one (CONSENT_NOT_CONFIRMED)', () => {
    const revoked = consent({ id: 'revoked', revokedAt: before(1) });
    const awaiting = consent({ id: 'awaiting', confirmedCategories: [] });
    const bases = { ...none, consents: [revoked, awaiting] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'CONSENT_NOT_CONFIRMED',
      consentId: 'awaiting',
    });
  });

  it('a DV_LOCATION consent awaiting its holder is told CONSENT_NOT_CONFIRMED, not PROTECTED_LOCATION', () => {
    const bases = {
      ...none,
      consents: [consent({ categories: ['DV_LOCATION'], confirmedCategories: [] })],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'DV_LOCATION', bases, now })).toMatchObject({
      reason: 'CONSENT_NOT_CONFIRMED',
    });
  });

  it("a consent's reason is named before a meeting's when both came close", () => {
    const bases = {
      ...none,
      consents: [consent({ revokedAt: before(1) })],
      meetings: [meeting({ sharedCategories: ['WELFARE_CASE'], endsAt: before(0.5) })],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'CONSENT_REVOKED',
    });
  });
});

describe('rule 3: support meeting (社会福祉法 106条の6)', () => {
  it('allows an acknowledged member a shared category (SUPPORT_MEETING)', () => {
    const bases = { ...none, meetings: [meeting()] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: true,
      basis: 'SUPPORT_MEETING',
      meetingId: 'meeting-1',
    });
  });

  it('denies a member that has not acknowledged confidentiality (CONFIDENTIALITY_NOT_ACKNOWLEDGED)', () => {
    const bases = {
      ...none,
      meetings: [
        meeting({ members: [member(helloWork.agencyId, 'EMPLOYMENT', null), member('kokoro', 'SUICIDE_PREVENTION')] }),
      ],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'meeting-1',
    });
  });

  it('tells an agency that never was a member nothing of the meeting (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, meetings: [meeting({ members: [member('silver', 'SENIORS_WORK')] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('names the meeting its reason speaks of: one the agency is or was in, never another meeting about her', () => {
    const theirs = meeting({
      id: 'meeting-a',
      members: [member(helloWork.agencyId, 'EMPLOYMENT', null), member('kokoro', 'SUICIDE_PREVENTION')],
    });
    const other = meeting({ id: 'meeting-b', members: [member('minamino-welfare', 'WELFARE')] });
    const removedFrom = meeting({
      id: 'meeting-c',
      members: [{ ...member(helloWork.agencyId, 'EMPLOYMENT'), removedAt: before(0.5) }],
    });
    const ask = (meetings: Meeting[]) =>
      decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases: { ...none, meetings }, now });
    expect(ask([other, theirs])).toEqual({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'meeting-a',
    });
    expect(ask([other, removedFrom])).toEqual({ allowed: false, reason: 'NOT_A_MEMBER', meetingId: 'meeting-c' });
  });

  it('denies a removed member, which was one and may be told so (NOT_A_MEMBER)', () => {
    const removed = { ...member(helloWork.agencyId, 'EMPLOYMENT'), removedAt: before(0.5) };
    const bases = { ...none, meetings: [meeting({ members: [removed, member('kokoro', 'SUICIDE_PREVENTION')] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'NOT_A_MEMBER',
      meetingId: 'meeting-1',
    });
  });

  it('tells a removed member that the meeting never shared a category, not that it is no member (CATEGORY_NOT_SHARED)', () => {
    const removed = { ...member(helloWork.agencyId, 'EMPLOYMENT'), removedAt: before(0.5) };
    const bases = { ...none, meetings: [meeting({ members: [removed, member('minamino-welfare', 'WELFARE')] })] };
    // Membership would not open HIKIKOMORI: the meeting does not share it.
    expect(decide({ caller: helloWork, personId: person, category: 'HIKIKOMORI', bases, now })).toEqual({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: 'meeting-1',
    });
  });

  it("shares no category whose holder is not an acknowledged member (the holder's data flows only with it)", () => {
    const withoutHolder = meeting({ members: [member(helloWork.agencyId, 'EMPLOYMENT')] });
    const unacknowledgedHolder = meeting({
      members: [member(helloWork.agencyId, 'EMPLOYMENT'), member('kokoro', 'SUICIDE_PREVENTION', null)],
    });
    for (const m of [withoutHolder, unacknowledgedHolder]) {
      expect(
        decide({
          caller: helloWork,
          personId: person,
          category: 'MENTAL_HEALTH',
          bases: { ...none, meetings: [m] },
          now,
        }),
      ).toEqual({ allowed: false, reason: 'CATEGORY_NOT_SHARED', meetingId: 'meeting-1' });
    }
  });

  it("shares nothing the holder does not hold: a holder outside the person's municipality (CATEGORY_NOT_SHARED)", () => {
    const elsewhere = { ...member('higashi-kokoro', 'SUICIDE_PREVENTION'), jurisdiction: [THERE] };
    const bases = { ...none, meetings: [meeting({ members: [member(helloWork.agencyId, 'EMPLOYMENT'), elsewhere] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: 'meeting-1',
    });
  });

  it('shares nothing a switched-off holder held (CATEGORY_NOT_SHARED)', () => {
    const switchedOff = { ...member('kokoro', 'SUICIDE_PREVENTION'), deactivatedAt: before(0.1) };
    const bases = {
      ...none,
      meetings: [meeting({ members: [member(helloWork.agencyId, 'EMPLOYMENT'), switchedOff] })],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: 'meeting-1',
    });
  });

  it('a meeting of the town a person left covers her no more, its members no more told of it (NO_LEGAL_BASIS)', () => {
    const everyoneServesBoth = meeting().members.map((m) => ({ ...m, jurisdiction: [HERE, THERE] }));
    const bases = { ...none, municipalityCode: THERE, meetings: [meeting({ members: everyoneServesBoth })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('denies once the meeting has ended (MEETING_NOT_ACTIVE)', () => {
    const bases = { ...none, meetings: [meeting({ endsAt: before(0.5) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'MEETING_NOT_ACTIVE',
      meetingId: 'meeting-1',
    });
  });

  it('a meeting not in session tells nothing of a category it never shared (CATEGORY_NOT_SHARED)', () => {
    const bases = { ...none, meetings: [meeting({ endsAt: before(0.5) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'CHILD_WELFARE', bases, now })).toEqual({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: 'meeting-1',
    });
  });

  it('denies once the meeting is closed (MEETING_NOT_ACTIVE)', () => {
    const bases = { ...none, meetings: [meeting({ closedAt: before(0.1) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      reason: 'MEETING_NOT_ACTIVE',
    });
  });

  it('denies a category the meeting does not share (CATEGORY_NOT_SHARED)', () => {
    const bases = { ...none, meetings: [meeting()] };
    expect(decide({ caller: helloWork, personId: person, category: 'HIKIKOMORI', bases, now })).toEqual({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: 'meeting-1',
    });
  });

  it('denies for a person the meeting does not cover (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, meetings: [meeting({ subjectPersonIds: ['p-2'] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      reason: 'NO_LEGAL_BASIS',
    });
  });
});

describe('rule 3: when a meeting and an acknowledgement count', () => {
  it('a support meeting not yet started allows nothing (MEETING_NOT_ACTIVE)', () => {
    const bases = { ...none, meetings: [meeting({ startsAt: after(1), endsAt: after(2) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'MEETING_NOT_ACTIVE',
    });
  });

  it('an acknowledgement dated ahead does not count yet (CONFIDENTIALITY_NOT_ACKNOWLEDGED)', () => {
    const members = [member(helloWork.agencyId, 'EMPLOYMENT', after(1)), member('minamino-welfare', 'WELFARE')];
    const bases = { ...none, meetings: [meeting({ members })] };
    expect(decide({ caller: helloWork, personId: person, category: 'WELFARE_CASE', bases, now })).toMatchObject({
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
    });
  });
});

describe('a multilayer meeting (重層的支援会議)', () => {
  it('never allows anything by itself (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, meetings: [meeting({ kind: 'MULTILAYER_MEETING' })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('runs on consent: with a consent, the consent allows', () => {
    const bases = {
      ...none,
      consents: [consent({ categories: ['MENTAL_HEALTH'] })],
      meetings: [meeting({ kind: 'MULTILAYER_MEETING' })],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      allowed: true,
      basis: 'CONSENT',
    });
  });
});

describe('rule 4: child council (要保護児童対策地域協議会)', () => {
  const council = (overrides: Partial<Meeting> = {}) =>
    meeting({
      id: 'council-1',
      kind: 'CHILD_COUNCIL',
      sharedCategories: ['CHILD_WELFARE'],
      members: [member(collaborator.agencyId, 'WELFARE', before(3)), member(childGuidance.agencyId, 'CHILD_DV')],
      ...overrides,
    });

  it('allows an acknowledged member child welfare data (CHILD_COUNCIL)', () => {
    const bases = { ...none, meetings: [council()] };
    expect(decide({ caller: collaborator, personId: person, category: 'CHILD_WELFARE', bases, now })).toEqual({
      allowed: true,
      basis: 'CHILD_COUNCIL',
      meetingId: 'council-1',
    });
  });

  it('denies a category the council does not share (CATEGORY_NOT_SHARED)', () => {
    const bases = { ...none, meetings: [council()] };
    expect(decide({ caller: collaborator, personId: person, category: 'DV', bases, now })).toEqual({
      allowed: false,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: 'council-1',
    });
  });

  it('a council allows another category it shares', () => {
    const bases = { ...none, meetings: [council({ sharedCategories: ['CHILD_WELFARE', 'DV'] })] };
    expect(decide({ caller: collaborator, personId: person, category: 'DV', bases, now })).toEqual({
      allowed: true,
      basis: 'CHILD_COUNCIL',
      meetingId: 'council-1',
    });
  });

  it('a closed council denies (MEETING_NOT_ACTIVE)', () => {
    const bases = { ...none, meetings: [council({ closedAt: before(0.1) })] };
    expect(decide({ caller: collaborator, personId: person, category: 'CHILD_WELFARE', bases, now })).toEqual({
      allowed: false,
      reason: 'MEETING_NOT_ACTIVE',
      meetingId: 'council-1',
    });
  });

  it('tells a non-member of the council nothing of it (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, meetings: [council()] };
    expect(decide({ caller: helloWork, personId: person, category: 'CHILD_WELFARE', bases, now })).toMatchObject({
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('a council member that has not acknowledged is denied (CONFIDENTIALITY_NOT_ACKNOWLEDGED)', () => {
    const members = [member(collaborator.agencyId, 'WELFARE', null), member(childGuidance.agencyId, 'CHILD_DV')];
    const bases = { ...none, meetings: [council({ members })] };
    expect(decide({ caller: collaborator, personId: person, category: 'CHILD_WELFARE', bases, now })).toMatchObject({
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'council-1',
    });
  });

  it('a removed council member is told NOT_A_MEMBER', () => {
    const removed = { ...member(collaborator.agencyId, 'WELFARE'), removedAt: before(0.5) };
    const bases = { ...none, meetings: [council({ members: [removed, member(childGuidance.agencyId, 'CHILD_DV')] })] };
    expect(decide({ caller: collaborator, personId: person, category: 'CHILD_WELFARE', bases, now })).toMatchObject({
      reason: 'NOT_A_MEMBER',
    });
  });

  it('a council that does not cover the person tells nothing of it (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, meetings: [council({ subjectPersonIds: ['another-child'] })] };
    expect(decide({ caller: collaborator, personId: person, category: 'CHILD_WELFARE', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('shares no child welfare data without the child-protection side as an acknowledged member', () => {
    const bases = { ...none, meetings: [council({ members: [member(collaborator.agencyId, 'WELFARE')] })] };
    expect(decide({ caller: collaborator, personId: person, category: 'CHILD_WELFARE', bases, now })).toMatchObject({
      reason: 'CATEGORY_NOT_SHARED',
    });
  });
});

describe('rule 5: emergency', () => {
  it('allows the declared categories until it expires (EMERGENCY)', () => {
    const bases = { ...none, emergencies: [emergency()] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: true,
      basis: 'EMERGENCY',
      emergencyId: 'emergency-1',
    });
  });

  it('denies after it expires (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, emergencies: [emergency({ expiresAt: before(0.01) })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('opens nothing of a DV victim a transfer moved to a declaring agency that does not serve where she lives now, or serves another town too (NO_LEGAL_BASIS): her records there tell where she fled', () => {
    const moved = { ...none, emergencies: [emergency()], locationProtected: true };
    expect(
      decide({
        caller: helloWork,
        personId: person,
        category: 'MENTAL_HEALTH',
        bases: { ...moved, municipalityCode: '990009' },
        now,
      }),
    ).toEqual({ allowed: false, reason: 'NO_LEGAL_BASIS' });
    // An agency serving where she lives now and another town too: her new town's records would tell which.
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases: moved, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    // One serving where she lives now alone keeps its emergency, as one not moved does anywhere.
    const hereOnly = { ...helloWork, jurisdiction: [HERE] };
    expect(decide({ caller: hereOnly, personId: person, category: 'MENTAL_HEALTH', bases: moved, now })).toMatchObject({
      allowed: true,
      basis: 'EMERGENCY',
    });
    const elsewhere = { ...none, emergencies: [emergency()], municipalityCode: '990009' };
    expect(
      decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases: elsewhere, now }),
    ).toMatchObject({
      allowed: true,
    });
  });

  it('reaches persons of the register only: an id it does not know is answered as a victim who fled (NO_LEGAL_BASIS)', () => {
    const unknown = { ...none, emergencies: [emergency()], municipalityCode: null };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases: unknown, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('an emergency opens nothing at its expiresAt (NO_LEGAL_BASIS)', () => {
    const bases = { ...none, emergencies: [emergency({ expiresAt: now })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('an emergency with a blank reason opens nothing: it is declared with a reason', () => {
    const bases = { ...none, emergencies: [emergency({ reason: ' \u3000 ' })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now }).allowed).toBe(false);
  });

  it('an emergency for another person opens nothing of this one', () => {
    const bases = { ...none, emergencies: [emergency({ personId: 'p-2' })] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now }).allowed).toBe(false);
  });

  it("denies another agency's emergency and undeclared categories", () => {
    const bases = {
      ...none,
      emergencies: [emergency({ agencyId: 'silver' }), emergency({ id: 'e2', categories: ['DV'] })],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      allowed: false,
    });
  });
});

describe('DV_LOCATION (a DV victim’s protected whereabouts)', () => {
  it('is denied to a support meeting member even when the meeting shares it (PROTECTED_LOCATION)', () => {
    const bases = { ...none, meetings: [meeting({ sharedCategories: ['DV_LOCATION'] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'DV_LOCATION', bases, now })).toEqual({
      allowed: false,
      reason: 'PROTECTED_LOCATION',
    });
  });

  it('is denied to a child council member (PROTECTED_LOCATION)', () => {
    const bases = {
      ...none,
      meetings: [
        meeting({
          kind: 'CHILD_COUNCIL',
          sharedCategories: ['DV_LOCATION'],
          members: [member(collaborator.agencyId, 'WELFARE'), member(childGuidance.agencyId, 'CHILD_DV')],
        }),
      ],
    };
    expect(decide({ caller: collaborator, personId: person, category: 'DV_LOCATION', bases, now })).toMatchObject({
      reason: 'PROTECTED_LOCATION',
    });
  });

  it('is denied to an emergency (PROTECTED_LOCATION)', () => {
    const bases = { ...none, emergencies: [emergency({ categories: ['DV_LOCATION'] })] };
    expect(decide({ caller: helloWork, personId: person, category: 'DV_LOCATION', bases, now })).toEqual({
      allowed: false,
      reason: 'PROTECTED_LOCATION',
    });
  });

  it('is denied without any basis (PROTECTED_LOCATION)', () => {
    expect(decide({ caller: destination, personId: person, category: 'DV_LOCATION', bases: none, now })).toMatchObject({
      reason: 'PROTECTED_LOCATION',
    });
  });

  it('is allowed to the destination municipality a consent names with DV_LOCATION explicitly (CONSENT)', () => {
    const bases = {
      ...none,
      consents: [consent({ recipientAgencyIds: [destination.agencyId], categories: ['DV', 'DV_LOCATION'] })],
    };
    expect(decide({ caller: destination, personId: person, category: 'DV_LOCATION', bases, now })).toMatchObject({
      allowed: true,
      basis: 'CONSENT',
    });
  });

  it('is not unlocked by a consent that names only DV (PROTECTED_LOCATION)', () => {
    const bases = { ...none, consents: [consent({ recipientAgencyIds: [destination.agencyId], categories: ['DV'] })] };
    expect(decide({ caller: destination, personId: person, category: 'DV_LOCATION', bases, now })).toMatchObject({
      reason: 'PROTECTED_LOCATION',
    });
  });
});

describe('precedence', () => {
  it('rule 6: denies with no basis at all (NO_LEGAL_BASIS)', () => {
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases: none, now })).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });

  it('names consent before a meeting when both allow', () => {
    const bases = { ...none, consents: [consent({ categories: ['MENTAL_HEALTH'] })], meetings: [meeting()] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      basis: 'CONSENT',
    });
  });

  it('still allows on a meeting when a consent was revoked', () => {
    const bases = {
      ...none,
      consents: [consent({ categories: ['MENTAL_HEALTH'], revokedAt: before(1) })],
      meetings: [meeting()],
    };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now })).toMatchObject({
      basis: 'SUPPORT_MEETING',
    });
  });
});

describe('a decision on some bases only (a mutation that needs the person’s consent)', () => {
  const only = new Set(['CONSENT'] as const);

  it('does not let the owning domain stand in for a consent', () => {
    expect(
      decide({ caller: childGuidance, personId: person, category: 'DV_LOCATION', bases: none, now }, only),
    ).toEqual({ allowed: false, reason: 'NO_LEGAL_BASIS' });
  });

  it('allows on a consent naming the agency and the category', () => {
    const bases = {
      ...none,
      consents: [consent({ recipientAgencyIds: [childGuidance.agencyId], categories: ['DV_LOCATION'] })],
    };
    expect(decide({ caller: childGuidance, personId: person, category: 'DV_LOCATION', bases, now }, only)).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-1',
    });
  });

  it('names a revoked consent as the reason', () => {
    const bases = {
      ...none,
      consents: [
        consent({ recipientAgencyIds: [destination.agencyId], categories: ['DV_LOCATION'], revokedAt: before(1) }),
      ],
    };
    expect(decide({ caller: destination, personId: person, category: 'DV_LOCATION', bases, now }, only)).toEqual({
      allowed: false,
      reason: 'CONSENT_REVOKED',
      consentId: 'consent-1',
    });
  });

  it('does not let a support meeting stand in for a consent', () => {
    const bases = { ...none, meetings: [meeting()] };
    expect(decide({ caller: helloWork, personId: person, category: 'MENTAL_HEALTH', bases, now }, only)).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
  });
});

describe('a decision on bases that cannot unlock DV_LOCATION', () => {
  it('still names PROTECTED_LOCATION', () => {
    const bases = {
      ...none,
      meetings: [
        meeting({
          sharedCategories: ['DV_LOCATION'],
          members: [
            member(helloWork.agencyId, 'EMPLOYMENT'),
            // The holders of what the meeting shares sit in it: members share what they hold.
            member('minamino-welfare', 'WELFARE'),
            member('kokoro', 'SUICIDE_PREVENTION'),
          ],
        }),
      ],
    };
    expect(
      decide(
        { caller: helloWork, personId: person, category: 'DV_LOCATION', bases, now },
        new Set(['CONSENT', 'SUPPORT_MEETING'] as const),
      ),
    ).toEqual({ allowed: false, reason: 'PROTECTED_LOCATION' });
  });
});

describe('protectionLevel: the rank npm run schema:check compares', () => {
  it('an emergency opens every other domain’s category of level 1 and none of level 2; untagged is level 0', () => {
    for (const category of CATEGORY_NAMES.filter((c) => owningDomain(c) !== helloWork.domain)) {
      const bases = { ...none, emergencies: [emergency({ categories: [category] })] };
      const { allowed } = decide({ caller: helloWork, personId: person, category, bases, now });
      expect({ category, level: protectionLevel(category) }).toEqual({ category, level: allowed ? 1 : 2 });
    }
    expect(protectionLevel(undefined)).toBe(0);
  });
});

describe('knowsOfPerson: who is a stranger to an agency', () => {
  const decided = (bases: Bases, caller: DecisionCaller = helloWork, category: DataCategory = 'WELFARE_CASE') =>
    decide({ caller, personId: person, category, bases, now });

  it('an agency with no basis and named in no record knows nothing of the person (NO_LEGAL_BASIS)', () => {
    expect(knowsOfPerson(decided(none))).toBe(false);
    expect(knowsOfPerson(decided(none, helloWork, 'DV_LOCATION'))).toBe(false);
  });

  it('an agency a consent names knows of the person, confirmed or not, revoked or expired', () => {
    expect(knowsOfPerson(decided({ ...none, consents: [consent()] }))).toBe(true);
    for (const named of [
      consent({ confirmedCategories: [] }),
      consent({ revokedAt: before(1) }),
      consent({ validUntil: before(1) }),
    ]) {
      const decision = decided({ ...none, consents: [named] });
      expect(decision.allowed).toBe(false);
      expect(knowsOfPerson(decision)).toBe(true);
    }
  });

  it('an agency that is or was a member of a meeting about the person knows of them', () => {
    const removed = meeting({
      members: [
        { ...member(helloWork.agencyId, 'EMPLOYMENT'), removedAt: before(0.5) },
        member('minamino-welfare', 'WELFARE'),
      ],
    });
    const decision = decided({ ...none, meetings: [removed] });
    expect(decision).toEqual({ allowed: false, reason: 'NOT_A_MEMBER', meetingId: 'meeting-1' });
    expect(knowsOfPerson(decision)).toBe(true);
  });
});

describe('denialMessage: what a denial says', () => {
  const reasons = DENIAL_REASONS;

  it('names the category, and speaks of no legal basis only for NO_LEGAL_BASIS', () => {
    const messages = reasons.map((reason) => denialMessage('MENTAL_HEALTH', reason));
    expect(new Set(messages).size).toBe(reasons.length);
    for (const [i, message] of messages.entries()) {
      expect(message).toContain('MENTAL_HEALTH');
      expect(message.startsWith('No legal basis')).toBe(reasons[i] === 'NO_LEGAL_BASIS');
    }
  });
});
