import { describe, expect, it } from 'vitest';
import type { DataCategory } from '@hub/platform';
import { entryOf, type AuditEntry } from './log.js';
import type { Decision } from '../policy/decide.js';
import { rowsOf } from './rows.js';
import { Decided } from '../policy/decided.js';

const facts = {
  at: new Date('2026-04-01T00:00:00.123Z'),
  agencyId: 'hellowork-minamino',
  staffId: 'staff-1',
  operationName: 'People',
  requestId: 'r1',
  purpose: '就労支援',
};

const person = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const onConsent = (consentId: string): Decision => ({ allowed: true, basis: 'CONSENT', consentId });
const denied: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };
const decisions = (personId: string, byCategory: [DataCategory, Decision][]) => ({
  personId,
  decisions: new Map(byCategory),
});

/** Every decision the rows record, one entry per person and row, in a stable order. */
const entriesOf = (rows: ReturnType<typeof rowsOf>): AuditEntry[] =>
  rows
    .flatMap((row) => row.personIds.map((_, i) => entryOf(row, i)))
    .sort((a, b) => `${a.personId}${a.categories}`.localeCompare(`${b.personId}${b.categories}`));

describe('the access log rows of a fetch', () => {
  it('records a thousand persons read on their own consents in one row, each with their consent', () => {
    const persons = Array.from({ length: 1000 }, (_, i) => person(i));
    const rows = rowsOf(
      persons.map((id, i) =>
        decisions(id, [
          ['WELFARE_CASE', onConsent(`c${i}`)],
          ['CONTACT', onConsent(`c${i}`)],
        ]),
      ),
      facts,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...facts,
      categories: ['CONTACT', 'WELFARE_CASE'],
      allowed: true,
      basis: 'CONSENT',
    });
    expect(rows[0]!.personIds).toEqual(persons);
    expect(rows[0]!.basisIds).toEqual(persons.map((_, i) => `c${i}`));
  });

  it("splits a person's categories by outcome: allowed on a consent, allowed on another, denied", () => {
    const rows = rowsOf(
      [
        decisions(person(1), [
          ['EMPLOYMENT', onConsent('c1')],
          ['CONTACT', onConsent('c2')],
          ['MENTAL_HEALTH', denied],
          ['WELFARE_CASE', onConsent('c1')],
        ]),
      ],
      facts,
    );
    expect(entriesOf(rows)).toEqual([
      expect.objectContaining({ categories: ['CONTACT'], allowed: true, consentId: 'c2' }),
      expect.objectContaining({ categories: ['EMPLOYMENT', 'WELFARE_CASE'], allowed: true, consentId: 'c1' }),
      expect.objectContaining({ categories: ['MENTAL_HEALTH'], allowed: false, reason: 'NO_LEGAL_BASIS' }),
    ]);
  });

  it('keeps persons with other categories or other outcomes in rows of their own, each person once a row', () => {
    const meeting: Decision = { allowed: true, basis: 'SUPPORT_MEETING', meetingId: 'm1' };
    const rows = rowsOf(
      [
        decisions(person(1), [['EMPLOYMENT', onConsent('c1')]]),
        decisions(person(2), [['EMPLOYMENT', meeting]]),
        decisions(person(3), [
          ['EMPLOYMENT', onConsent('c3')],
          ['CONTACT', onConsent('c3')],
        ]),
        decisions(person(4), [['EMPLOYMENT', onConsent('c4')]]),
      ],
      facts,
    );
    expect(rows.map((row) => [row.basis, row.categories, row.personIds, row.basisIds])).toEqual([
      ['CONSENT', ['EMPLOYMENT'], [person(1), person(4)], ['c1', 'c4']],
      ['SUPPORT_MEETING', ['EMPLOYMENT'], [person(2)], ['m1']],
      ['CONSENT', ['CONTACT', 'EMPLOYMENT'], [person(3)], ['c3']],
    ]);
    expect(entriesOf(rows).find((e) => e.personId === person(2))).toMatchObject({ meetingId: 'm1', consentId: null });
  });

  it('records the meeting or consent a denial speaks of, per person: one reason in two meetings is two outcomes', () => {
    const unacknowledged = (meetingId: string): Decision => ({
      allowed: false,
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      meetingId,
    });
    const revoked: Decision = { allowed: false, reason: 'CONSENT_REVOKED', consentId: 'c9' };
    const rows = rowsOf(
      [
        decisions(person(1), [
          ['MENTAL_HEALTH', unacknowledged('m1')],
          ['EMPLOYMENT', unacknowledged('m2')],
        ]),
        decisions(person(2), [
          ['MENTAL_HEALTH', unacknowledged('m3')],
          ['CONTACT', revoked],
        ]),
      ],
      facts,
    );
    expect(entriesOf(rows).map((e) => [e.personId, e.categories, e.reason, e.meetingId, e.consentId])).toEqual([
      [person(1), ['EMPLOYMENT'], 'CONFIDENTIALITY_NOT_ACKNOWLEDGED', 'm2', null],
      [person(1), ['MENTAL_HEALTH'], 'CONFIDENTIALITY_NOT_ACKNOWLEDGED', 'm1', null],
      [person(2), ['CONTACT'], 'CONSENT_REVOKED', null, 'c9'],
      [person(2), ['MENTAL_HEALTH'], 'CONFIDENTIALITY_NOT_ACKNOWLEDGED', 'm3', null],
    ]);
  });

  it("makes the rows of the same persons' kept decisions (Decided) once: read again, they share its arrays, frozen", () => {
    const kept = (n: number, decision: Decision) => {
      const decided = new Decided();
      decided.set('EMPLOYMENT', decision);
      return { personId: person(n), decisions: decided };
    };
    const list = [kept(1, onConsent('c1')), kept(2, denied), kept(3, onConsent('c3'))];
    const first = rowsOf(list, facts);
    // Another request: the same persons with the same decisions, in objects of its own.
    const again = rowsOf(
      list.map((given) => ({ ...given })),
      { ...facts, requestId: 'r2' },
    );
    expect(again.map((row) => row.requestId)).toEqual(['r2', 'r2']);
    expect(again.map((row) => row.personIds)).toEqual([[person(1), person(3)], [person(2)]]);
    expect(again[0]!.personIds).toBe(first[0]!.personIds);
    expect(Object.isFrozen(again[0]!.personIds) && Object.isFrozen(again[0]!.basisIds)).toBe(true);
    // One person's decisions made anew (her bases changed): the rows are made anew for the list.
    const changed = [list[0]!, kept(2, onConsent('c2')), list[2]!];
    const anew = rowsOf(changed, facts);
    expect(anew.map((row) => [row.personIds, row.basisIds])).toEqual([
      [
        [person(1), person(2), person(3)],
        ['c1', 'c2', 'c3'],
      ],
    ]);
    expect(anew[0]!.personIds).not.toBe(first[0]!.personIds);
  });
});
