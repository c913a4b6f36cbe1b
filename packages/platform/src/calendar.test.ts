import { describe, expect, it } from 'vitest';
import { ageOn, ageOnDay, todayInJapan } from './calendar.js';

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

describe('ageOn', () => {
  it('counts whole years, a day before and on the birthday', () => {
    expect(ageOn('1970-06-15', new Date('2026-06-14T00:00:00Z'))).toBe(55);
    expect(ageOn('1970-06-15', new Date('2026-06-15T00:00:00Z'))).toBe(56);
  });

  it("counts on Japan's calendar: 18 from 00:00 JST on the birthday, which is 15:00 UTC the day before", () => {
    expect(ageOn('2008-12-02', new Date('2026-12-01T14:59:59Z'))).toBe(17);
    expect(ageOn('2008-12-02', new Date('2026-12-01T15:00:00Z'))).toBe(18);
    expect(ageOn('2008-12-02', new Date('2026-12-01T17:05:00Z'))).toBe(18);
  });

  it('judges a day as given: a year older on the birthday, one born on 29 February on 1 March of a common year', () => {
    expect(ageOnDay('1966-12-08', '2026-12-07')).toBe(59);
    expect(ageOnDay('1966-12-08', '2026-12-08')).toBe(60);
    expect(ageOnDay('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOnDay('2008-02-29', '2026-03-01')).toBe(18);
  });
});
