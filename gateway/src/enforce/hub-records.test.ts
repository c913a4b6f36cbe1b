import { describe, expect, it } from 'vitest';
import type { DataCategory } from '@hub/platform';
import type { Decision } from '../policy/decide.js';
import { raisedOutcome } from './hub-records.js';

const allowed = (basis: 'OWN_DOMAIN' | 'CONSENT' | 'SUPPORT_MEETING'): Decision => ({ allowed: true, basis });
const denied: Decision = { allowed: false, reason: 'PROTECTED_LOCATION' };
const decisions = (entries: [DataCategory, Decision][]) => new Map(entries);

describe("a moved DV victim's municipality (DV_LOCATION raised from CONTACT)", () => {
  it('a caller of no CONTACT basis is told the CONTACT denial anyone gets', () => {
    const contact: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };
    expect(
      raisedOutcome(
        'DV_LOCATION',
        'CONTACT',
        'DV',
        decisions([
          ['DV_LOCATION', denied],
          ['CONTACT', contact],
          ['DV', contact],
        ]),
      ),
    ).toEqual({ made: ['DV_LOCATION', denied], told: ['CONTACT', 'NO_LEGAL_BASIS'] });
  });

  it('a caller that reads her CONTACT on a consent but not her DV data is told CONTACT NO_LEGAL_BASIS, not of a DV case', () => {
    const dv: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };
    expect(
      raisedOutcome(
        'DV_LOCATION',
        'CONTACT',
        'DV',
        decisions([
          ['DV_LOCATION', denied],
          ['CONTACT', allowed('CONSENT')],
          ['DV', dv],
        ]),
      ),
    ).toEqual({ made: ['DV_LOCATION', denied], told: ['CONTACT', 'NO_LEGAL_BASIS'] });
  });

  it('a caller that may read her DV data is told PROTECTED_LOCATION', () => {
    expect(
      raisedOutcome(
        'DV_LOCATION',
        'CONTACT',
        'DV',
        decisions([
          ['DV_LOCATION', denied],
          ['CONTACT', allowed('SUPPORT_MEETING')],
          ['DV', allowed('SUPPORT_MEETING')],
        ]),
      ),
    ).toEqual({ made: ['DV_LOCATION', denied], told: ['DV_LOCATION', 'PROTECTED_LOCATION'] });
  });

  it('a caller that reads her CONTACT on its own domain (she is registered where it serves) reads it, logged as such', () => {
    const dv: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };
    expect(
      raisedOutcome(
        'DV_LOCATION',
        'CONTACT',
        'DV',
        decisions([
          ['DV_LOCATION', denied],
          ['CONTACT', allowed('OWN_DOMAIN')],
          ['DV', dv],
        ]),
      ),
    ).toEqual({ made: ['CONTACT', allowed('OWN_DOMAIN')], told: null });
  });
});
