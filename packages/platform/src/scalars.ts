// Date and DateTime scalars shared by every subgraph: ISO 8601 strings on the wire.

import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toDate(value: unknown, what: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`${what} must be an ISO 8601 ${what === 'Date' ? 'date (YYYY-MM-DD)' : 'date-time'}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, as an ISO 8601 date-time string with offset (e.g. 2026-04-01T09:00:00Z).',
  serialize: (value) => toDate(value, 'DateTime').toISOString(),
  parseValue: (value) => toDate(value, 'DateTime'),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return toDate(ast.value, 'DateTime');
  },
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(new Date(value).getTime())) {
    throw new GraphQLError('Date must be an ISO 8601 date (YYYY-MM-DD)', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, as an ISO 8601 string (YYYY-MM-DD).',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
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
