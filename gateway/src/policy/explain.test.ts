import { describe, expect, it } from 'vitest';
import type { Bases, Consent, DecisionCaller, EmergencyAccess, Meeting } from './decide.js';
import { basesKnownTo, explainTo } from './explain.js';

const now = new Date('2026-11-23T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

const person = 'p-1';
const HERE = '990001';
const THERE = '990002';
const helloWork: DecisionCaller = { agencyId: 'hellowork', domain: 'EMPLOYMENT', jurisdiction: [HERE] };
const silver: DecisionCaller = { agencyId: 'silver', domain: 'SENIORS_WORK', jurisdiction: [HERE] };
const welfare: DecisionCaller = { agencyId: 'minamino-welfare', domain: 'WELFARE', jurisdiction: [HERE] };
const dvCentre: DecisionCaller = { agencyId: 'dv-centre', domain: 'CHILD_DV', jurisdiction: [HERE] };
const destinationDv: DecisionCaller = { agencyId: 'higashiyama-dv', domain: 'CHILD_DV', jurisdiction: [THERE] };

const collaborator: DecisionCaller = { agencyId: 'minamino-collaborator', domain: 'WELFARE', jurisdiction: [HERE] };

/** A member of a meeting that has acknowledged confidentiality. */
const acknowledged = (agency: DecisionCaller) => ({
  agencyId: agency.agencyId,
  domain: agency.domain,
  jurisdiction: agency.jurisdiction,
  deactivatedAt: null,
  acknowledgedAt: days(-1),
  removedAt: null,
});

const asAgency = (agency: DecisionCaller) => ({ agency, seesAll: false });
const asAuditor = (agency: DecisionCaller) => ({ agency, seesAll: true });

function consent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: 'consent-1',
    personId: person,
    recipientAgencyIds: [silver.agencyId],
    obtainedBy: helloWork.agencyId,
    categories: ['EMPLOYMENT'],
    confirmedCategories: ['EMPLOYMENT'],
    validFrom: days(-30),
    validUntil: days(30),
    revokedAt: null,
    ...overrides,
  };
}

function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'meeting-1',
    kind: 'SUPPORT_MEETING',
    subjectPersonIds: [person],
    sharedCategories: ['EMPLOYMENT'],
    startsAt: days(-1),
    endsAt: days(1),
    closedAt: null,
    municipalityCode: HERE,
    members: [
      {
        agencyId: helloWork.agencyId,
        domain: 'EMPLOYMENT',
        jurisdiction: helloWork.jurisdiction,
        deactivatedAt: null,
        acknowledgedAt: days(-1),
        removedAt: null,
      },
      {
        agencyId: silver.agencyId,
        domain: 'SENIORS_WORK',
        jurisdiction: silver.jurisdiction,
        deactivatedAt: null,
        acknowledgedAt: null,
        removedAt: null,
      },
    ],
    ...overrides,
  };
}

const bases = (parts: Partial<Bases>): Bases => ({
  municipalityCode: HERE,
  consents: [],
  meetings: [],
  emergencies: [],
  ...parts,
});

const explained = (
  asker: ReturnType<typeof asAgency>,
  subject: DecisionCaller,
  category: Parameters<typeof explainTo>[1]['category'],
  of: Bases,
) => explainTo(asker, { caller: subject, personId: person, category, bases: of, now });

describe('explainAccess tells the asker no more than it may know', () => {
  it('the agency itself is told its own decision as it is', () => {
    const of = bases({ meetings: [meeting()] });
    expect(explained(asAgency(silver), silver, 'EMPLOYMENT', of)).toEqual({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'meeting-1',
    });
  });

  it('an auditor is told every decision as it is', () => {
    const of = bases({ meetings: [meeting()] });
    expect(explained(asAuditor(welfare), silver, 'EMPLOYMENT', of)).toEqual({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'meeting-1',
    });
  });

  it('a meeting’s reason reaches only an agency that is or was its member; anyone else is told NO_LEGAL_BASIS', () => {
    const of = bases({ meetings: [meeting()] });
    expect(explained(asAgency(welfare), silver, 'EMPLOYMENT', of)).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    expect(explained(asAgency(helloWork), silver, 'EMPLOYMENT', of)).toEqual({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'meeting-1',
    });
    const removed = meeting({
      members: [
        ...meeting().members,
        {
          agencyId: welfare.agencyId,
          domain: 'WELFARE',
          jurisdiction: welfare.jurisdiction,
          deactivatedAt: null,
          acknowledgedAt: days(-2),
          removedAt: days(-1),
        },
      ],
    });
    expect(explained(asAgency(welfare), silver, 'EMPLOYMENT', bases({ meetings: [removed] }))).toEqual({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId: 'meeting-1',
    });
  });

  it('a consent’s reason reaches only an agency it names or that recorded it; anyone else is told NO_LEGAL_BASIS', () => {
    const revoked = bases({ consents: [consent({ revokedAt: days(-1) })] });
    expect(explained(asAgency(welfare), silver, 'EMPLOYMENT', revoked)).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    expect(explained(asAgency(helloWork), silver, 'EMPLOYMENT', revoked)).toEqual({
      allowed: false,
      reason: 'CONSENT_REVOKED',
      consentId: 'consent-1',
    });
    const toBoth = bases({
      consents: [consent({ recipientAgencyIds: [silver.agencyId, welfare.agencyId], revokedAt: days(-1) })],
    });
    expect(explained(asAgency(welfare), silver, 'EMPLOYMENT', toBoth)).toEqual({
      allowed: false,
      reason: 'CONSENT_REVOKED',
      consentId: 'consent-1',
    });
  });

  it('an access allowed on a record the asker does not know is told as allowed, without its basis or the record', () => {
    const of = bases({ consents: [consent()] });
    expect(explained(asAgency(welfare), silver, 'EMPLOYMENT', of)).toEqual({ allowed: true, basis: null });
    expect(explained(asAgency(helloWork), silver, 'EMPLOYMENT', of)).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-1',
    });
  });

  it('an access of CHILD_WELFARE or DV, or on a child council, allowed on a record the asker does not know is told as the asker’s records decide it', () => {
    const council = meeting({
      id: 'council-1',
      kind: 'CHILD_COUNCIL',
      sharedCategories: ['CHILD_WELFARE'],
      members: [acknowledged(dvCentre), acknowledged(helloWork)],
    });
    const of = bases({ meetings: [council] });
    // Hello Work may read her CHILD_WELFARE on the council; a welfare office outside it is not told so.
    expect(explained(asAgency(welfare), helloWork, 'CHILD_WELFARE', of)).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    expect(explained(asAgency(dvCentre), helloWork, 'CHILD_WELFARE', of)).toMatchObject({
      allowed: true,
      basis: 'CHILD_COUNCIL',
      meetingId: 'council-1',
    });
    expect(explained(asAuditor(welfare), helloWork, 'CHILD_WELFARE', of)).toMatchObject({ basis: 'CHILD_COUNCIL' });
    // Of another category, allowed on the council alone: the same; allowed on an emergency as well, the
    // answer the asker had before the council (allowed, basis untold) stands.
    // A council with a WELFARE holder among its members, sharing WELFARE_CASE too.
    const sharing: Meeting = {
      ...council,
      sharedCategories: ['CHILD_WELFARE', 'WELFARE_CASE'],
      members: [...council.members, acknowledged(collaborator)],
    };
    expect(explained(asAgency(dvCentre), helloWork, 'WELFARE_CASE', bases({ meetings: [sharing] }))).toMatchObject({
      allowed: true,
      basis: 'CHILD_COUNCIL',
    });
    expect(explained(asAgency(welfare), helloWork, 'WELFARE_CASE', bases({ meetings: [sharing] }))).toEqual({
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
    });
    const emergency: EmergencyAccess = {
      id: 'emergency-1',
      personId: person,
      agencyId: helloWork.agencyId,
      categories: ['WELFARE_CASE'],
      reason: '切迫した危険',
      expiresAt: days(1),
    };
    const withEmergency = bases({ emergencies: [emergency] });
    const alsoCouncil = bases({ meetings: [sharing], emergencies: [emergency] });
    expect(explained(asAgency(welfare), helloWork, 'WELFARE_CASE', withEmergency)).toEqual({
      allowed: true,
      basis: null,
    });
    expect(explained(asAgency(welfare), helloWork, 'WELFARE_CASE', alsoCouncil)).toEqual({
      allowed: true,
      basis: null,
    });
    // DV data on a consent the asker is not named in: the same.
    const dvConsent = bases({
      consents: [consent({ obtainedBy: dvCentre.agencyId, categories: ['DV'], confirmedCategories: ['DV'] })],
    });
    expect(explained(asAgency(welfare), silver, 'DV', dvConsent)).toEqual({ allowed: false, reason: 'NO_LEGAL_BASIS' });
  });

  it('a CHILD_DV agency’s access of any category, allowed on a record the asker does not know, is told as the asker’s records decide it: its emergency about her is its involvement', () => {
    const declared: EmergencyAccess = {
      id: 'emergency-dv',
      personId: person,
      agencyId: dvCentre.agencyId,
      categories: ['CONTACT'],
      reason: '切迫した危険',
      expiresAt: days(1),
    };
    const of = bases({ emergencies: [declared] });
    // The DV centre may read her CONTACT on its declaration; the welfare desk is told what it would be without it.
    expect(explained(asAgency(dvCentre), dvCentre, 'CONTACT', of)).toMatchObject({ allowed: true, basis: 'EMERGENCY' });
    expect(explained(asAgency(welfare), dvCentre, 'CONTACT', of)).toEqual(
      explained(asAgency(welfare), dvCentre, 'CONTACT', bases({})),
    );
    expect(explained(asAuditor(welfare), dvCentre, 'CONTACT', of)).toMatchObject({ basis: 'EMERGENCY' });
    // Another domain's agency on the same kind of record is still told as allowed, its basis untold.
    const byHelloWork = bases({ emergencies: [{ ...declared, agencyId: helloWork.agencyId }] });
    expect(explained(asAgency(welfare), helloWork, 'CONTACT', byHelloWork)).toEqual({ allowed: true, basis: null });
  });

  it('whether another agency may read where a DV victim lives is told only to an agency that may read it', () => {
    const of = bases({
      consents: [
        consent({
          recipientAgencyIds: [destinationDv.agencyId],
          obtainedBy: dvCentre.agencyId,
          categories: ['DV', 'DV_LOCATION'],
          confirmedCategories: ['DV', 'DV_LOCATION'],
        }),
      ],
    });
    expect(explained(asAgency(welfare), destinationDv, 'DV_LOCATION', of)).toBeNull();
    expect(explained(asAgency(dvCentre), destinationDv, 'DV_LOCATION', of)).toEqual({
      allowed: true,
      basis: 'CONSENT',
      consentId: 'consent-1',
    });
    expect(explained(asAuditor(welfare), destinationDv, 'DV_LOCATION', of)).toMatchObject({ allowed: true });
  });
});

describe('basesKnownTo', () => {
  it('keeps the consents that name or were recorded by the agency, its meetings and its emergencies', () => {
    const theirs = consent({ id: 'other', recipientAgencyIds: ['x'], obtainedBy: 'y' });
    const of = bases({
      consents: [consent(), theirs],
      meetings: [meeting(), meeting({ id: 'elsewhere', members: [] })],
      emergencies: [
        {
          id: 'e1',
          agencyId: helloWork.agencyId,
          personId: person,
          categories: ['IDENTITY'],
          reason: '切迫',
          expiresAt: days(1),
        },
        { id: 'e2', agencyId: 'other', personId: person, categories: ['IDENTITY'], reason: '切迫', expiresAt: days(1) },
      ],
    });
    const known = basesKnownTo(of, helloWork.agencyId);
    expect(known.consents.map((c) => c.id)).toEqual(['consent-1']);
    expect(known.meetings.map((m) => m.id)).toEqual(['meeting-1']);
    expect(known.emergencies.map((e) => e.id)).toEqual(['e1']);
    expect(known.municipalityCode).toBe(HERE);
  });
});
