import { describe, expect, it } from 'vitest';
import { basesFromRow, loadBases, NO_BASES, type BasesRow } from './bases.js';
import { decide } from './decide.js';
import type { Sql } from '@hub/platform';

const person = '07abd73e-fb68-5c5f-956c-731d4f560d20';

const row: BasesRow = {
  id: person,
  municipalityCode: '990001',
  locationProtected: false,
  movedAt: null,
  consents: [
    {
      id: 'c1',
      personId: person,
      recipientAgencyIds: ['hellowork-minamino'],
      obtainedBy: 'minamino-welfare',
      categories: ['WELFARE_CASE'],
      confirmedCategories: ['WELFARE_CASE'],
      validFrom: '2026-04-01T00:00:00.123456+00:00',
      validUntil: '2027-03-31T15:00:00+00:00',
      revokedAt: null,
      recordedAt: '2026-03-31T10:00:00+00:00',
    },
  ],
  meetings: [
    {
      id: 'm1',
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH'],
      startsAt: '2026-04-01T09:00:00+09:00',
      endsAt: null,
      closedAt: null,
      municipalityCode: '990001',
      members: [
        {
          agencyId: 'minamino-welfare',
          domain: 'WELFARE',
          jurisdiction: ['990001'],
          deactivatedAt: null,
          acknowledgedAt: '2026-04-01T10:00:00+09:00',
          removedAt: null,
        },
        {
          agencyId: 'minamino-kokoro',
          domain: 'SUICIDE_PREVENTION',
          jurisdiction: ['990001'],
          deactivatedAt: null,
          acknowledgedAt: '2026-04-01T10:00:00+09:00',
          removedAt: null,
        },
      ],
    },
  ],
  emergencies: [
    {
      id: 'e1',
      agencyId: 'minamino-kokoro',
      personId: person,
      categories: ['CONTACT'],
      reason: '危険',
      expiresAt: '2026-04-01T01:30:00Z',
    },
  ],
};

describe('basesFromRow', () => {
  it("turns PostgreSQL's JSON timestamps (any offset, microseconds) into Dates", () => {
    const bases = basesFromRow(row);
    expect(bases.consents[0]!.validFrom).toEqual(new Date('2026-04-01T00:00:00.123Z'));
    expect(bases.consents[0]!.validUntil).toEqual(new Date('2027-03-31T15:00:00Z'));
    expect(bases.consents[0]!.revokedAt).toBeNull();
    expect(bases.meetings[0]!.startsAt).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(bases.meetings[0]!.endsAt).toBeNull();
    expect(bases.meetings[0]!.members[0]!.acknowledgedAt).toEqual(new Date('2026-04-01T01:00:00Z'));
    expect(bases.emergencies[0]!.expiresAt).toEqual(new Date('2026-04-01T01:30:00Z'));
  });

  it('gives the decision what it needs', () => {
    const bases = basesFromRow(row);
    const now = new Date('2026-04-01T01:00:00Z');
    expect(
      decide({
        caller: { agencyId: 'hellowork-minamino', domain: 'EMPLOYMENT', jurisdiction: ['990001'] },
        personId: person,
        category: 'WELFARE_CASE',
        bases,
        now,
      }),
    ).toEqual({ allowed: true, basis: 'CONSENT', consentId: 'c1' });
    expect(
      decide({
        caller: { agencyId: 'minamino-welfare', domain: 'WELFARE', jurisdiction: ['990001'] },
        personId: person,
        category: 'MENTAL_HEALTH',
        bases,
        now,
      }),
    ).toEqual({ allowed: true, basis: 'SUPPORT_MEETING', meetingId: 'm1' });
    expect(
      decide({
        caller: { agencyId: 'minamino-kokoro', domain: 'SUICIDE_PREVENTION', jurisdiction: ['990001'] },
        personId: person,
        category: 'CONTACT',
        bases,
        now,
      }),
    ).toEqual({ allowed: true, basis: 'EMERGENCY', emergencyId: 'e1' });
  });
});

describe('loadBases', () => {
  it('answers every requested id, empty bases for a person without any, in one statement', async () => {
    const statements: unknown[] = [];
    const sql = ((strings: TemplateStringsArray, ...values: unknown[]) => {
      statements.push(values);
      return Promise.resolve([{ ...row, version: '7' }]);
    }) as unknown as Sql;
    const other = '00000000-0000-4000-8000-000000000000';
    const bases = await loadBases(sql, [person, other, person]);
    expect(statements).toEqual([[[person, other]]]);
    expect([...bases.keys()]).toEqual([person, other]);
    expect(bases.get(other)).toBe(NO_BASES);
    expect(bases.get(person)!.consents).toHaveLength(1);
  });

  it('sends nothing for no persons', async () => {
    const sql = (() => {
      throw new Error('no statement expected');
    }) as unknown as Sql;
    expect((await loadBases(sql, [])).size).toBe(0);
  });
});
