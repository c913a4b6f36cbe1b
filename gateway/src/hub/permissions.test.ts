import { describe, expect, it } from 'vitest';
import type { Domain } from '@hub/platform';
import {
  accessLogView,
  mayConvene,
  mayExplainAccessOf,
  mayReviewEmergencies,
  mayRevokeConsent,
  maySeeAllConsents,
  maySetDisclosureProtection,
  type Actor,
} from './permissions.js';

const actor = (domain: Domain, roles: string[] = [], agencyId = 'some-agency'): Actor => ({ agencyId, domain, roles });

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

describe('consents', () => {
  it('WELFARE agencies and auditors see all of a person’s consents', () => {
    expect(maySeeAllConsents(actor('WELFARE'))).toBe(true);
    expect(maySeeAllConsents(actor('EMPLOYMENT', ['auditor']))).toBe(true);
    expect(maySeeAllConsents(actor('EMPLOYMENT'))).toBe(false);
  });

  it('the obtaining agency, a WELFARE agency or a hub administrator revokes', () => {
    expect(mayRevokeConsent(actor('EMPLOYMENT', [], 'hw'), { obtainedBy: 'hw' })).toBe(true);
    expect(mayRevokeConsent(actor('WELFARE'), { obtainedBy: 'hw' })).toBe(true);
    expect(mayRevokeConsent(actor('ENVIRONMENT', ['hub-admin']), { obtainedBy: 'hw' })).toBe(true);
    expect(mayRevokeConsent(actor('ENVIRONMENT'), { obtainedBy: 'hw' })).toBe(false);
    expect(mayRevokeConsent(actor('ENVIRONMENT', ['auditor']), { obtainedBy: 'hw' })).toBe(false);
  });
});

describe('seeing the decisions', () => {
  it('auditors read the whole access log, WELFARE agencies the disclosure view, others nothing', () => {
    expect(accessLogView(actor('CHILD_DV', ['auditor']))).toBe('AUDIT');
    expect(accessLogView(actor('WELFARE', ['auditor']))).toBe('AUDIT');
    expect(accessLogView(actor('WELFARE'))).toBe('DISCLOSURE');
    expect(accessLogView(actor('CHILD_DV'))).toBeNull();
  });

  it('emergencies are reviewed by WELFARE agencies and auditors', () => {
    expect(mayReviewEmergencies(actor('WELFARE'))).toBe(true);
    expect(mayReviewEmergencies(actor('SENIORS_WORK', ['auditor']))).toBe(true);
    expect(mayReviewEmergencies(actor('SUICIDE_PREVENTION'))).toBe(false);
  });

  it('an agency explains its own access; another agency’s only for WELFARE, auditors and admins', () => {
    expect(mayExplainAccessOf(actor('EMPLOYMENT', [], 'hw'), 'hw')).toBe(true);
    expect(mayExplainAccessOf(actor('EMPLOYMENT', [], 'hw'), 'other')).toBe(false);
    expect(mayExplainAccessOf(actor('WELFARE', [], 'w'), 'other')).toBe(true);
    expect(mayExplainAccessOf(actor('ENVIRONMENT', ['auditor']), 'other')).toBe(true);
  });

  it('only CHILD_DV agencies set a disclosure protection', () => {
    expect(maySetDisclosureProtection(actor('CHILD_DV'))).toBe(true);
    expect(maySetDisclosureProtection(actor('WELFARE'))).toBe(false);
  });
});
