import { describe, expect, it } from 'vitest';
import {
  canonicalEntry,
  canonicalRecord,
  chainHash,
  entryOf,
  GENESIS_HASH,
  mergeRecords,
  recordHash,
  recordsOf,
  type AuditEntry,
} from './log.js';

const entry: AuditEntry = {
  at: new Date('2026-04-01T00:00:00.123Z'),
  agencyId: 'hellowork-minamino',
  staffId: 'staff-1',
  personId: '07abd73e-fb68-5c5f-956c-731d4f560d20',
  categories: ['WELFARE_CASE', 'CONTACT'],
  allowed: true,
  basis: 'CONSENT',
  reason: null,
  consentId: 'c1',
  meetingId: null,
  emergencyId: null,
  operationName: 'Person',
  requestId: 'r1',
  purpose: '就労支援',
};

describe('the hash chain', () => {
  it('hashes a canonical form: the same entry whatever its key order or extra fields', () => {
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as AuditEntry;
    const stored = { ...entry, id: '42', prevHash: GENESIS_HASH, hash: 'x' };
    expect(canonicalEntry(reordered)).toBe(canonicalEntry(entry));
    expect(canonicalEntry(stored)).toBe(canonicalEntry(entry));
    expect(canonicalEntry(entry)).toContain('"at":"2026-04-01T00:00:00.123Z"');
  });

  it('changes with any field and with the previous hash', () => {
    const hash = chainHash(GENESIS_HASH, entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...entry, allowed: false })).not.toBe(hash);
    expect(chainHash(GENESIS_HASH, { ...entry, purpose: null })).not.toBe(hash);
    expect(chainHash(GENESIS_HASH, { ...entry, categories: ['WELFARE_CASE'] })).not.toBe(hash);
    expect(chainHash(hash, entry)).not.toBe(hash);
  });
});

describe('merging the rows of a group commit', () => {
  const [row] = recordsOf([entry, { ...entry, personId: 'someone-else', consentId: 'c2' }]);

  it("joins one request's rows of the same decisions about the same persons, at the earliest time", () => {
    const later = { ...row!, at: new Date('2026-04-01T00:00:01Z'), categories: ['EMPLOYMENT' as const] };
    expect(mergeRecords([later, row!])).toEqual([{ ...row!, categories: ['CONTACT', 'EMPLOYMENT', 'WELFARE_CASE'] }]);
  });

  it('keeps apart other requests, other persons, other consents and other outcomes', () => {
    const others = [
      { ...row!, requestId: 'r2' },
      { ...row!, personIds: [entry.personId], basisIds: ['c1'] },
      { ...row!, basisIds: ['c1', 'c3'] },
      { ...row!, allowed: false, basis: null, reason: 'NO_LEGAL_BASIS' as const, basisIds: ['', ''] },
    ];
    expect(mergeRecords([row!, ...others])).toHaveLength(5);
  });
});

describe('the rows of an append', () => {
  const person = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const decisions = Array.from({ length: 1000 }, (_, i) => ({ ...entry, personId: person(i), consentId: `c${i}` }));

  it('records decisions alike but for their persons in one row, each person with their own consent', () => {
    const records = recordsOf(decisions);
    expect(records).toHaveLength(1);
    expect(records[0]!.personIds).toEqual(decisions.map((d) => d.personId));
    expect(records[0]!.basisIds).toEqual(decisions.map((d) => d.consentId));
    expect(records[0]!.personIds.map((_, i) => entryOf(records[0]!, i))).toEqual(decisions);
  });

  it('keeps apart what differs besides the person: outcome, categories, time, request, purpose', () => {
    const denied = { ...entry, allowed: false, basis: null, reason: 'NO_LEGAL_BASIS' as const, consentId: null };
    const others = [
      denied,
      { ...entry, categories: ['EMPLOYMENT' as const] },
      { ...entry, at: new Date('2026-04-01T00:00:01Z') },
      { ...entry, requestId: 'r2' },
      { ...entry, purpose: null },
      { ...entry, basis: 'SUPPORT_MEETING' as const, consentId: null, meetingId: 'm1' },
    ];
    const records = recordsOf([entry, ...others]);
    expect(records).toHaveLength(7);
    expect(records.map((r) => entryOf(r, 0))).toEqual([entry, ...others]);
  });

  it('names a person at most once in a row', () => {
    const records = recordsOf([entry, { ...entry, consentId: 'c2' }]);
    expect(records.map((r) => r.personIds)).toEqual([[entry.personId], [entry.personId]]);
  });

  it('hashes a row in a format of its own: no row hashes like a single entry', () => {
    const [record] = recordsOf([entry]);
    expect(canonicalRecord(record!)).toContain('"format":2');
    expect(recordHash(GENESIS_HASH, record!)).not.toBe(chainHash(GENESIS_HASH, entry));
    expect(recordHash(GENESIS_HASH, { ...record!, basisIds: ['c2'] })).not.toBe(recordHash(GENESIS_HASH, record!));
    expect(recordHash(GENESIS_HASH, { ...record!, personIds: ['someone-else'] })).not.toBe(
      recordHash(GENESIS_HASH, record!),
    );
  });
});
