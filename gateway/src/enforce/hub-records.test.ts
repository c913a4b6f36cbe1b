import { describe, expect, it } from 'vitest';
import type { Decision } from '../policy/decide.js';
import { raisedOutcome } from './hub-records.js';

const allowed = (basis: 'OWN_DOMAIN' | 'CONSENT' | 'SUPPORT_MEETING'): Decision => ({ allowed: true, basis });
const noBasis: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };
const locked: Decision = { allowed: false, reason: 'PROTECTED_LOCATION' };

/** The outcome of reading a moved DV victim's municipality (DV_LOCATION, tagged CONTACT, raised for DV). */
const municipality = (contact: Decision, dv: Decision) =>
  raisedOutcome(
    'DV_LOCATION',
    'CONTACT',
    'DV',
    new Map([
      ['DV_LOCATION', locked],
      ['CONTACT', contact],
      ['DV', dv],
    ]),
  );

describe("a moved DV victim's municipality (DV_LOCATION raised from CONTACT)", () => {
  it('a caller of no CONTACT basis is told the CONTACT denial anyone gets', () => {
    expect(municipality(noBasis, noBasis)).toEqual({
      made: ['DV_LOCATION', locked],
      told: ['CONTACT', 'NO_LEGAL_BASIS'],
    });
  });

  it('a caller that reads her CONTACT on a consent but not her DV data is told CONTACT NO_LEGAL_BASIS, not of a DV case', () => {
    expect(municipality(allowed('CONSENT'), noBasis)).toEqual({
      made: ['DV_LOCATION', locked],
      told: ['CONTACT', 'NO_LEGAL_BASIS'],
    });
  });

  it('a caller that may read her DV data is told PROTECTED_LOCATION', () => {
    expect(municipality(allowed('SUPPORT_MEETING'), allowed('SUPPORT_MEETING'))).toEqual({
      made: ['DV_LOCATION', locked],
      told: ['DV_LOCATION', 'PROTECTED_LOCATION'],
    });
  });

  it('a caller that reads her CONTACT on its own domain (she is registered where it serves) reads it, logged as such', () => {
    expect(municipality(allowed('OWN_DOMAIN'), noBasis)).toEqual({
      made: ['CONTACT', allowed('OWN_DOMAIN')],
      told: null,
    });
  });
});
