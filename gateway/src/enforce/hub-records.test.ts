import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { hubResolverMap, hubTypeDefs } from '../hub/index.js';
import type { Decision } from '../policy/decide.js';
import { guardedFields, raisedOutcome, unguardedCategorizedFields, type RecordPolicy } from './hub-records.js';

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

describe("every categorized field of the hub's own records is guarded", () => {
  it("the hub's schema answers each field it tags with a category through a guarded resolver", () => {
    expect(unguardedCategorizedFields(hubTypeDefs(), hubResolverMap())).toEqual([]);
  });

  it('names a categorized field answered by the default resolver or a plain one, so the hub does not start', () => {
    const typeDefs = parse(`
      type Note { id: ID!, author: String @category(name: WELFARE_CASE), text: String @category(name: WELFARE_CASE), body: String @category(name: WELFARE_CASE) }
      extend type Note { summary: String @category(name: WELFARE_CASE) }
    `);
    const policy: RecordPolicy<{ id: string }> = {
      key: (note) => note.id,
      personIds: () => [],
      category: () => 'WELFARE_CASE',
      standing: () => ({ party: false }),
    };
    const resolvers = { Note: { ...guardedFields(policy, ['text']), body: () => 'plain', id: () => 'n1' } };
    expect(unguardedCategorizedFields(typeDefs, resolvers)).toEqual(['Note.author', 'Note.body', 'Note.summary']);
  });
});
