import { describe, expect, it } from 'vitest';
import { canonicalEntry, chainHash, GENESIS_HASH, mergeEntries, type AuditEntry } from './log.js';

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

describe('merging the entries of a group commit', () => {
  it("joins one request's entries of the same decision about the same person, at the earliest time", () => {
    const later = { ...entry, at: new Date('2026-04-01T00:00:01Z'), categories: ['EMPLOYMENT' as const] };
    expect(mergeEntries([later, entry])).toEqual([{ ...entry, categories: ['CONTACT', 'EMPLOYMENT', 'WELFARE_CASE'] }]);
  });

  it('keeps apart other requests, other persons and other outcomes', () => {
    const others = [
      { ...entry, requestId: 'r2' },
      { ...entry, personId: 'someone-else' },
      { ...entry, consentId: 'c2' },
      { ...entry, allowed: false, basis: null, reason: 'NO_LEGAL_BASIS' as const, consentId: null },
    ];
    expect(mergeEntries([entry, ...others])).toHaveLength(5);
  });
});
