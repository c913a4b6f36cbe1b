import { describe, expect, it } from 'vitest';
import { todayInJapan } from './calendar.js';

describe('todayInJapan', () => {
  it('is already the next day from 15:00 UTC, as 00:00 in Tokyo', () => {
    expect(todayInJapan(new Date('2026-11-30T15:56:00Z'))).toBe('2026-12-01');
    expect(todayInJapan(new Date('2026-11-30T15:00:00Z'))).toBe('2026-12-01');
    expect(todayInJapan(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });

  it('is the same day as UTC before 15:00 UTC', () => {
    expect(todayInJapan(new Date('2026-11-30T14:59:59Z'))).toBe('2026-11-30');
    expect(todayInJapan(new Date('2026-11-30T00:00:00Z'))).toBe('2026-11-30');
  });
});
