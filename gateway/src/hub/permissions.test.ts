import { describe, expect, it } from 'vitest';
import type { Domain } from '@hub/platform';
import {
  accessLogView,
  categoriesHeldBy,
  categoriesOnlyTheHolderRecords,
  mayConvene,
  mayExplainAccessOf,
  mayMoveReferral,
  mayReviewDeclaration,
  mayReviewEmergencies,
  mayRevokeConsent,
  maySetDisclosureProtection,
  serves,
  type Actor,
} from './permissions.js';

const HERE = '990001';
const THERE = '990002';

const actor = (domain: Domain, roles: string[] = [], agencyId = 'some-agency', jurisdiction = [HERE]): Actor => ({
  agencyId,
  domain,
  roles,
  jurisdiction,
});

describe('jurisdiction', () => {
  it('an agency acts only for persons registered where it serves, and never for an unknown one', () => {
    expect(serves(actor('WELFARE'), HERE)).toBe(true);
    expect(serves(actor('WELFARE'), THERE)).toBe(false);
    expect(serves(actor('EMPLOYMENT', [], 'hw', [HERE, THERE]), THERE)).toBe(true);
    expect(serves(actor('WELFARE'), null)).toBe(false);
  });
});

describe('who convenes a meeting', () => {
  it('a support meeting and a multilayer meeting only by a WELFARE agency', () => {
    expect(mayConvene(actor('WELFARE'), 'SUPPORT_MEETING')).toBe(true);
    expect(mayConvene(actor('WELFARE'), 'MULTILAYER_MEETING')).toBe(true);
    expect(mayConvene(actor('CHILD_DV'), 'SUPPORT_MEETING')).toBe(false);
    expect(mayConvene(actor('SUICIDE_PREVENTION'), 'MULTILAYER_MEETING')).toBe(false);
  });

  it('a child council by a CHILD_DV or WELFARE agency', () => {
    expect(mayConvene(actor('CHILD_DV'), 'CHILD_COUNCIL')).toBe(true);
    expect(mayConvene(actor('WELFARE'), 'CHILD_COUNCIL')).toBe(true);
    expect(mayConvene(actor('EMPLOYMENT'), 'CHILD_COUNCIL')).toBe(false);
  });
});

describe('consents: the holder lets its data flow', () => {
  it('a consent recorded by an agency opens only the categories its own domain holds', () => {
    expect(categoriesHeldBy(actor('WELFARE'), ['IDENTITY', 'MENTAL_HEALTH', 'HIKIKOMORI'])).toEqual([
      'IDENTITY',
      'HIKIKOMORI',
    ]);
    expect(categoriesHeldBy(actor('EMPLOYMENT'), ['IDENTITY'])).toEqual([]);
  });

  it('a consent naming DV_LOCATION is recorded only by the DV side', () => {
    expect(categoriesOnlyTheHolderRecords(actor('WELFARE'), ['IDENTITY', 'DV_LOCATION'])).toEqual(['DV_LOCATION']);
    expect(categoriesOnlyTheHolderRecords(actor('CHILD_DV'), ['DV_LOCATION'])).toEqual([]);
  });

  it('the obtaining agency, a WELFARE agency serving the person or a hub administrator revokes', () => {
    expect(mayRevokeConsent(actor('EMPLOYMENT', [], 'hw'), { obtainedBy: 'hw' }, HERE)).toBe(true);
    expect(mayRevokeConsent(actor('WELFARE'), { obtainedBy: 'hw' }, HERE)).toBe(true);
    expect(mayRevokeConsent(actor('WELFARE'), { obtainedBy: 'hw' }, THERE)).toBe(false);
    expect(mayRevokeConsent(actor('ENVIRONMENT', ['hub-admin']), { obtainedBy: 'hw' }, HERE)).toBe(true);
    expect(mayRevokeConsent(actor('ENVIRONMENT'), { obtainedBy: 'hw' }, HERE)).toBe(false);
    expect(mayRevokeConsent(actor('ENVIRONMENT', ['auditor']), { obtainedBy: 'hw' }, HERE)).toBe(false);
  });
});

describe('seeing the decisions', () => {
  it('auditors read the whole access log, the WELFARE agency of the person’s municipality the disclosure view', () => {
    expect(accessLogView(actor('CHILD_DV', ['auditor']), THERE)).toBe('AUDIT');
    expect(accessLogView(actor('WELFARE', ['auditor']), HERE)).toBe('AUDIT');
    expect(accessLogView(actor('WELFARE'), HERE)).toBe('DISCLOSURE');
    expect(accessLogView(actor('WELFARE'), THERE)).toBeNull();
    expect(accessLogView(actor('CHILD_DV'), HERE)).toBeNull();
  });

  it('emergency declarations are reviewed by auditors only', () => {
    expect(mayReviewEmergencies(actor('SENIORS_WORK', ['auditor']))).toBe(true);
    expect(mayReviewEmergencies(actor('WELFARE'))).toBe(false);
    expect(mayReviewEmergencies(actor('SUICIDE_PREVENTION'))).toBe(false);
  });

  it('an agency explains its own access; another agency’s only for auditors and WELFARE serving the person, not hub administrators', () => {
    expect(mayExplainAccessOf(actor('EMPLOYMENT', [], 'hw'), 'hw', HERE)).toBe(true);
    expect(mayExplainAccessOf(actor('EMPLOYMENT', [], 'hw'), 'other', HERE)).toBe(false);
    expect(mayExplainAccessOf(actor('WELFARE', [], 'w'), 'other', HERE)).toBe(true);
    expect(mayExplainAccessOf(actor('WELFARE', [], 'w'), 'other', THERE)).toBe(false);
    expect(mayExplainAccessOf(actor('ENVIRONMENT', ['auditor']), 'other', THERE)).toBe(true);
    expect(mayExplainAccessOf(actor('ENVIRONMENT', ['hub-admin']), 'other', HERE)).toBe(false);
    expect(mayExplainAccessOf(actor('ENVIRONMENT', ['hub-admin'], 'env'), 'env', HERE)).toBe(true);
  });

  it('mayReviewDeclaration: the staff member who declared an emergency access does not review it (OWN_DECLARATION)', () => {
    const declaration = { agencyId: 'w', staffId: 'staff-1' };
    expect(mayReviewDeclaration({ agencyId: 'w', staffId: 'staff-1' }, declaration)).toBe(false);
    // The same staff member however her id is written (sameStaff).
    expect(mayReviewDeclaration({ agencyId: 'w', staffId: ' ＳＴＡＦＦ－１ ' }, declaration)).toBe(false);
    expect(mayReviewDeclaration({ agencyId: 'w', staffId: 'staff-2' }, declaration)).toBe(true);
    expect(mayReviewDeclaration({ agencyId: 'audit', staffId: 'staff-1' }, declaration)).toBe(true);
  });

  it('only CHILD_DV agencies set a disclosure protection', () => {
    expect(maySetDisclosureProtection(actor('CHILD_DV'))).toBe(true);
    expect(maySetDisclosureProtection(actor('WELFARE'))).toBe(false);
  });
});

describe('referrals', () => {
  const referral = { fromAgencyId: 'sender', toAgencyId: 'receiver' };

  it('mayMoveReferral: the receiver answers a referral (NOT_THE_RECEIVER), the sender withdraws it (NOT_THE_SENDER)', () => {
    expect(mayMoveReferral('receiver', referral, 'to')).toBe(true);
    expect(mayMoveReferral('sender', referral, 'to')).toBe(false);
    expect(mayMoveReferral('sender', referral, 'from')).toBe(true);
    expect(mayMoveReferral('receiver', referral, 'from')).toBe(false);
    expect(mayMoveReferral('someone-else', referral, 'to')).toBe(false);
  });
});
