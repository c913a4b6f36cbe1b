import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from './database.js';

describe('parseTimestamptz', () => {
  it('reads a year below 100 as that year, not as 19xx or 20xx', () => {
    expect(parseTimestamptz('0001-01-01 00:00:00+00').toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseTimestamptz('0050-06-01 12:30:00.25+05:30').toISOString()).toBe('0050-06-01T07:00:00.250Z');
    // Asia/Tokyo before 1888 is local mean time, an offset with seconds.
    expect(parseTimestamptz('0050-06-01 21:18:59+09:18:59').toISOString()).toBe('0050-06-01T12:00:00.000Z');
    expect(parseTimestamptz('0099-12-31 20:00:00-04').toISOString()).toBe('0100-01-01T00:00:00.000Z');
  });

  it('reads every other timestamptz as PostgreSQL writes it, microseconds to milliseconds', () => {
    expect(parseTimestamptz('2026-12-02 07:30:00.123456+00').toISOString()).toBe('2026-12-02T07:30:00.123Z');
    expect(parseTimestamptz('1999-12-31 23:59:59-03').toISOString()).toBe('2000-01-01T02:59:59.000Z');
  });
});
