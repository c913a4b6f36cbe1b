import { describe, expect, it } from 'vitest';
import type { DataCategory } from '@hub/platform';
import type { Bases, Consent, DecisionCaller } from './decide.js';
import { callerKey, categoriesKey, decisionsOn, stableUntil } from './decision-memo.js';

const hour = 3_600_000;
const t0 = new Date('2026-04-01T09:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * hour);

const helloWork: DecisionCaller = { agencyId: 'hellowork-minamino', domain: 'EMPLOYMENT', jurisdiction: ['012345'] };
const silver: DecisionCaller = { agencyId: 'silver-minamino', domain: 'SENIORS_WORK', jurisdiction: ['012345'] };
const person = '07abd73e-fb68-5c5f-956c-731d4f560d20';
const categories: ReadonlySet<DataCategory> = new Set(['WELFARE_CASE', 'CONTACT']);

function consent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: 'c1',
    personId: person,
    recipientAgencyIds: [helloWork.agencyId],
    categories: ['WELFARE_CASE', 'CONTACT'],
    confirmedCategories: ['WELFARE_CASE', 'CONTACT'],
    validFrom: at(-24),
    validUntil: null,
    revokedAt: null,
    ...overrides,
  };
}

const basesWith = (...consents: Consent[]): Bases => ({
  municipalityCode: '012345',
  consents,
  meetings: [],
  emergencies: [],
});

const ask = (caller: DecisionCaller, now: Date) => ({
  caller,
  callerKey: callerKey(caller),
  categories,
  categoriesKey: categoriesKey(categories),
  now,
});

const outcome = (decisions: ReadonlyMap<DataCategory, { allowed: boolean }>) =>
  [...decisions].map(([category, decision]) => [category, decision.allowed]);

describe('decisions kept with their bases', () => {
  it('a consent that starts later opens its categories once the clock passes its start, on the same bases', () => {
    const bases = basesWith(consent({ validFrom: at(1) }));
    expect(outcome(decisionsOn(person, bases, ask(helloWork, t0)))).toEqual([
      ['WELFARE_CASE', false],
      ['CONTACT', false],
    ]);
    expect(outcome(decisionsOn(person, bases, ask(helloWork, at(2))))).toEqual([
      ['WELFARE_CASE', true],
      ['CONTACT', true],
    ]);
  });

  it('a consent that ends closes its categories once the clock passes its end, with the reason', () => {
    const bases = basesWith(consent({ validUntil: at(1) }));
    expect(decisionsOn(person, bases, ask(helloWork, t0)).get('CONTACT')).toMatchObject({ allowed: true });
    expect(decisionsOn(person, bases, ask(helloWork, at(1))).get('CONTACT')).toEqual({
      allowed: false,
      reason: 'CONSENT_EXPIRED',
      consentId: 'c1',
    });
  });

  it('another caller is decided for itself: a consent naming one agency opens nothing to another', () => {
    const bases = basesWith(consent());
    expect(decisionsOn(person, bases, ask(helloWork, t0)).get('CONTACT')).toMatchObject({ allowed: true });
    expect(decisionsOn(person, bases, ask(silver, t0)).get('CONTACT')).toMatchObject({ allowed: false });
    expect(decisionsOn(person, bases, ask(helloWork, t0)).get('CONTACT')).toMatchObject({ allowed: true });
  });

  it('another person on the same bases object is decided for that person', () => {
    const bases = basesWith(consent());
    expect(decisionsOn(person, bases, ask(helloWork, t0)).get('CONTACT')).toMatchObject({ allowed: true });
    expect(decisionsOn('someone-else', bases, ask(helloWork, t0)).get('CONTACT')).toMatchObject({ allowed: false });
  });

  it('a revocation, read as new bases, is decided afresh', () => {
    const before = basesWith(consent());
    const after = basesWith(consent({ revokedAt: at(1) }));
    expect(decisionsOn(person, before, ask(helloWork, at(2))).get('CONTACT')).toMatchObject({ allowed: true });
    expect(decisionsOn(person, after, ask(helloWork, at(2))).get('CONTACT')).toEqual({
      allowed: false,
      reason: 'CONSENT_REVOKED',
      consentId: 'c1',
    });
  });

  it('answers only the categories asked, whatever was asked before', () => {
    const bases = basesWith(consent());
    decisionsOn(person, bases, ask(helloWork, t0));
    const one = new Set<DataCategory>(['EMPLOYMENT']);
    const decided = decisionsOn(person, bases, {
      ...ask(helloWork, t0),
      categories: one,
      categoriesKey: categoriesKey(one),
    });
    expect([...decided.keys()]).toEqual(['EMPLOYMENT']);
  });

  it("finds the bases' next time after now: starts, ends, acknowledgements and expiries, never one passed", () => {
    const bases: Bases = {
      ...basesWith(consent({ validFrom: at(-2), validUntil: at(5) })),
      meetings: [
        {
          id: 'm1',
          kind: 'SUPPORT_MEETING',
          subjectPersonIds: [person],
          sharedCategories: ['CONTACT'],
          startsAt: at(-1),
          endsAt: at(4),
          closedAt: null,
          municipalityCode: '012345',
          members: [
            {
              agencyId: helloWork.agencyId,
              domain: 'EMPLOYMENT',
              jurisdiction: helloWork.jurisdiction,
              deactivatedAt: null,
              acknowledgedAt: at(3),
              removedAt: null,
            },
          ],
        },
      ],
      emergencies: [],
    };
    expect(stableUntil(bases, t0.getTime())).toBe(at(3).getTime());
    expect(stableUntil(basesWith(), t0.getTime())).toBe(Infinity);
  });
});
