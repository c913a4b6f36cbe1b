import { GraphQLError, Kind, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateScalar, DateTimeScalar } from './scalars.js';

/** The scalar's refusal of a value, as a variable and as a literal: BAD_USER_INPUT, the value never repeated. */
function refusals(scalar: typeof DateScalar | typeof DateTimeScalar, value: string): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const parse of [() => scalar.parseValue(value), () => scalar.parseLiteral(parseValue(JSON.stringify(value)))]) {
    try {
      parse();
    } catch (error) {
      if (error instanceof GraphQLError) errors.push(error);
    }
  }
  return errors;
}

describe('Date is exactly YYYY-MM-DD of a real calendar day', () => {
  it.each(['1980-01-01', '1980-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])('%s is a date', (value) => {
    expect(DateScalar.parseValue(value)).toBe(value);
    expect(DateScalar.parseLiteral({ kind: Kind.STRING, value })).toBe(value);
  });

  it.each([
    'abc',
    '',
    '19800101',
    '1980-1-1',
    '1980-13-45',
    '1980-00-10',
    '1980-01-00',
    '1980-02-30',
    '1981-02-29',
    '1900-02-29',
    '1980-04-31',
    '1980-01-01T00:00:00Z',
    ' 1980-01-01',
    '+01980-01-01',
  ])('%s is refused as BAD_USER_INPUT, the value not repeated', (value) => {
    const errors = refusals(DateScalar, value);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error.extensions['code']).toBe('BAD_USER_INPUT');
      if (value) expect(error.message).not.toContain(value);
    }
  });

  it('a literal that is not a string is refused', () => {
    expect(() => DateScalar.parseLiteral({ kind: Kind.INT, value: '19800101' })).toThrow(GraphQLError);
  });

  it('a number or a Date object given as a variable is refused', () => {
    expect(() => DateScalar.parseValue(19800101)).toThrow(GraphQLError);
    expect(() => DateScalar.parseValue(new Date('1980-01-01'))).toThrow(GraphQLError);
  });
});

describe('DateTime is an ISO 8601 date-time with an offset, of a real calendar date and time', () => {
  it.each([
    ['2026-04-01T09:00:00Z', '2026-04-01T09:00:00.000Z'],
    ['2026-04-01T09:00Z', '2026-04-01T09:00:00.000Z'],
    ['2026-04-01T09:00:00.250Z', '2026-04-01T09:00:00.250Z'],
    ['2026-04-01T09:00:00.123456Z', '2026-04-01T09:00:00.123Z'],
    ['2026-04-01T09:00:00+09:00', '2026-04-01T00:00:00.000Z'],
    ['2026-04-01T00:30:00-02:30', '2026-04-01T03:00:00.000Z'],
    ['2028-02-29T23:59:59Z', '2028-02-29T23:59:59.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('%s is the instant %s', (value, instant) => {
    expect(DateTimeScalar.parseValue(value).toISOString()).toBe(instant);
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value }).toISOString()).toBe(instant);
  });

  it.each([
    'abc',
    '2026-05-10',
    '2026-05-10T09:00:00',
    '2026-05-10 09:00:00Z',
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-05-10T24:00:00Z',
    '2026-05-10T09:60:00Z',
    '2026-05-10T09:00:60Z',
    '2026-05-10T09:00:00+25:00',
    '2026-05-10T09:00:00+09:60',
    '2026-05-10T09:00:00+0900',
    '2026-05-10T09:00:00.Z',
    '1775034000000',
    // The year 0001 in Japan, but still the year 0000 in UTC, which the database has no instant of.
    '0001-01-01T00:00:00+09:00',
    // The year 9999 where it was written, the year 10000 in UTC.
    '9999-12-31T20:00:00-05:00',
  ])('%s is refused as BAD_USER_INPUT, the value not repeated', (value) => {
    const errors = refusals(DateTimeScalar, value);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error.extensions['code']).toBe('BAD_USER_INPUT');
      expect(error.message).not.toContain(value);
    }
  });

  it('serializes the Date objects the database returns as UTC ISO strings', () => {
    expect(DateTimeScalar.serialize(new Date('2026-04-01T09:00:00+09:00'))).toBe('2026-04-01T00:00:00.000Z');
  });
});
