// Date and DateTime scalars shared by every subgraph and the hub: strict ISO 8601 strings on the wire,
// and only real calendar dates and times (a 30 February is refused, never rolled over into March).

import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ERRORS } from './errors.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339's profile of ISO 8601: seconds and their fractions optional, the offset required.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

const DATE_RULE = 'Date must be a calendar date as ISO 8601 YYYY-MM-DD, from the year 0001 (e.g. 2026-04-01)';
const DATE_TIME_RULE =
  'DateTime must be an ISO 8601 date-time with a time zone offset or Z (e.g. 2026-04-01T09:00:00Z), of a real calendar date and time of the years 0001 to 9999 (UTC)';

/** The scalar's refusal: it never repeats the value, which may be personal data (a birth date). */
const refusal = (rule: string) => new GraphQLError(rule, { extensions: { code: ERRORS.BAD_USER_INPUT.code } });

/**
 * Whether YYYY-MM-DD names a day of the calendar: Date rolls 1980-02-30 over to 03-01, so it must read back
 * alike. The year 0000 is none: ISO 8601 reads it as 1 BC, which PostgreSQL writes as such and refuses as
 * 0000, so it would reach a database that refuses it (an internal error, not the caller's).
 */
function isCalendarDate(value: string): boolean {
  const day = new Date(`${value}T00:00:00Z`);
  return !value.startsWith('0000') && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const PAST_LAST_INSTANT = Date.parse('+010000-01-01T00:00:00Z');

const within = (digits: string | undefined, max: number) => digits === undefined || Number(digits) <= max;

/** The instant an ISO 8601 date-time names, or null when it is not one of a real calendar date and time. */
function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const parts = DATE_TIME.exec(value);
  if (!parts) return null;
  const [, date, hour, minute, second, offsetHour, offsetMinute] = parts;
  const real =
    isCalendarDate(date!) &&
    within(hour, 23) &&
    within(minute, 59) &&
    within(second, 59) &&
    within(offsetHour, 23) &&
    within(offsetMinute, 59);
  if (!real) return null;
  // Years 0001 to 9999 in UTC too: 0001-01-01T00:00:00+09:00 is an instant of the year 0000 (see
  // isCalendarDate), 9999-12-31T20:00:00-05:00 one of the year 10000, which ISO 8601 writes +010000.
  const instant = new Date(value);
  return instant.getTime() >= FIRST_INSTANT && instant.getTime() < PAST_LAST_INSTANT ? instant : null;
}

/** Whether a value is an ISO 8601 calendar date, YYYY-MM-DD exactly. */
function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && DATE.test(value) && isCalendarDate(value);
}

function toDateTime(value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  const instant = parseDateTime(value);
  if (!instant) throw refusal(DATE_TIME_RULE);
  return instant;
}

function toDate(value: unknown): string {
  if (!isIsoDate(value)) throw refusal(DATE_RULE);
  return value;
}

const literal = (ast: ValueNode) => (ast.kind === Kind.STRING ? ast.value : null);

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, as an ISO 8601 date-time string with offset (e.g. 2026-04-01T09:00:00Z).',
  serialize: (value) => toDateTime(value).toISOString(),
  parseValue: toDateTime,
  parseLiteral: (ast) => toDateTime(literal(ast)),
});

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, as an ISO 8601 string (YYYY-MM-DD).',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : toDate(value)),
  parseValue: toDate,
  parseLiteral: (ast) => toDate(literal(ast)),
});

export const SCALAR_SDL = /* GraphQL */ `
  """
  An instant, as an ISO 8601 date-time string.
  """
  scalar DateTime
  """
  A calendar date, as an ISO 8601 string (YYYY-MM-DD).
  """
  scalar Date
`;
