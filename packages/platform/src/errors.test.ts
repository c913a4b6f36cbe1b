import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { accessLogUnavailable, isUnreachable, maskErrors, withoutInputValue, withoutSuggestions } from './errors.js';

const mask = maskErrors(createLogger('test', 'silent'));

/** A postgres.js error for a connection the server closed (its `code`, as postgres.js sets it). */
function connectionClosed(): Error {
  return Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' });
}

describe('maskErrors', () => {
  it('a BAD_USER_INPUT whose rule named no reason carries INVALID_INPUT; one with a reason keeps it', () => {
    const bare = new GraphQLError('hoursPerWeek is 1 to 60', { extensions: { code: 'BAD_USER_INPUT' } });
    expect(mask(bare.toJSON(), bare).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    const named = new GraphQLError('first is 1 to 200', {
      extensions: { code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', argument: 'first' },
    });
    expect(mask(named.toJSON(), named).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'OUT_OF_RANGE',
      argument: 'first',
    });
  });

  it('serviceName names a subgraph that failed only: kept on SERVICE_UNAVAILABLE and DOWNSTREAM_SERVICE_ERROR, dropped elsewhere', () => {
    const told = (code: string) => {
      const error = new GraphQLError('…', { extensions: { code, serviceName: 'welfare' } });
      return mask(error.toJSON(), error).extensions?.['serviceName'];
    };
    expect(told('SERVICE_UNAVAILABLE')).toBe('welfare');
    expect(told('DOWNSTREAM_SERVICE_ERROR')).toBe('welfare');
    for (const code of ['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']) expect(told(code), code).toBeUndefined();
  });

  it('a database connection lost under a resolver is SERVICE_UNAVAILABLE, not an internal error', () => {
    const located = new GraphQLError('write CONNECTION_CLOSED 127.0.0.1:5432', {
      path: ['person', 'cases'],
      originalError: connectionClosed(),
    });
    expect(mask(located.toJSON(), located)).toMatchObject({
      path: ['person', 'cases'],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('the same when the error was located twice (a GraphQLError around a GraphQLError)', () => {
    const inner = new GraphQLError('write CONNECTION_CLOSED 127.0.0.1:5432', { originalError: connectionClosed() });
    const located = new GraphQLError(inner.message, { path: ['person', 'cases'], originalError: inner });
    const masked = mask(located.toJSON(), located);
    expect(masked.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(masked.message).not.toContain('127.0.0.1');
  });

  it('anything else unknown is masked as an internal error, its message withheld', () => {
    const located = new GraphQLError('relation "welfare.secret" does not exist', {
      originalError: new Error('relation "welfare.secret" does not exist'),
    });
    expect(mask(located.toJSON(), located)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('data the access log could not record is told as such: its code by the cause, in the hub’s words, never the cause’s', () => {
    const refused = new Error('audit unavailable: person 山田 太郎');
    const failed = accessLogUnavailable(refused);
    const located = new GraphQLError(failed.message, { path: ['registerPerson'], originalError: failed });
    const masked = mask(located.toJSON(), located);
    expect(masked).toEqual({
      message: expect.stringMatching(/^The access log could not record/),
      path: ['registerPerson'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'ACCESS_LOG_UNAVAILABLE' },
    });
    expect(masked.message).not.toContain('山田');
    const outOfReach = accessLogUnavailable(connectionClosed());
    expect(mask(outOfReach.toJSON(), outOfReach).extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'ACCESS_LOG_UNAVAILABLE',
    });
    // Whoever sends the reason, the message is the hub's own.
    const claimed = new GraphQLError('row 山田 太郎 refused', {
      extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'ACCESS_LOG_UNAVAILABLE' },
    });
    expect(mask(claimed.toJSON(), claimed).message).toBe(masked.message);
  });

  it('a literal a scalar refuses is BAD_USER_INPUT, not a validation failure, and its value is not repeated', () => {
    const refusal = new GraphQLError('Date must be a calendar date', { extensions: { code: 'BAD_USER_INPUT' } });
    const validation = new GraphQLError(
      'Expected value of type "Date!", found "1980-02-30"; Date must be a calendar date',
      {
        originalError: refusal,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    );
    expect(mask(validation.toJSON(), validation)).toEqual({
      message: 'Expected value of type "Date!"; Date must be a calendar date',
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
    });
  });

  it('any other validation failure stays one', () => {
    const validation = new GraphQLError('Cannot query field "secret" on type "Person".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(mask(validation.toJSON(), validation).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('withoutInputValue: a message never repeats the value given', () => {
  it.each([
    [
      'Variable "$birthDate" got invalid value "1980-02-30"; Date must be a calendar date',
      'Variable "$birthDate" got an invalid value; Date must be a calendar date',
    ],
    [
      'Variable "$input" got invalid value "abc" at "input.validFrom"; Expected type "DateTime". DateTime must be…',
      'Variable "$input" got an invalid value at "input.validFrom"; Expected type "DateTime". DateTime must be…',
    ],
    [
      'Variable "$input" got invalid value "x; y at \\"input.a\\"; z" at "input.people[2].birthDate"; Date must be…',
      'Variable "$input" got an invalid value at "input.people[2].birthDate"; Date must be…',
    ],
    [
      'Variable "$input" got invalid value { name: "木村 テスト", address: "みなみ野市; 桜台9-9", phone: "000-9999-0001" }; Field "municipalityCode" of required type "String!" was not provided.',
      'Variable "$input" got an invalid value; Field "municipalityCode" of required type "String!" was not provided.',
    ],
    [
      'Variable "$input" got invalid value { tags: ["a] b", { x: "} ; " }] } at "input.tags"; Expected type "Tag".',
      'Variable "$input" got an invalid value at "input.tags"; Expected type "Tag".',
    ],
    [
      'Expected value of type "PersonInput!", found { name: "山田; 正一", note: """a "; " b""" }; Field "x" is required.',
      'Expected value of type "PersonInput!"; Field "x" is required.',
    ],
    ['Expected value of type "Date!", found "abc"; Date must be…', 'Expected value of type "Date!"; Date must be…'],
    ['Expected value of type "Int!", found 12.5.', 'Expected value of type "Int!".'],
    [
      'Variable "$p" got invalid value ["漏洩 三郎", 1]; ID cannot represent value: ["漏洩 三郎", 1]',
      'Variable "$p" got an invalid value; ID cannot represent value',
    ],
    [
      'Expected value of type "Int", found "漏洩五郎"; Int cannot represent non-integer value: "漏洩五郎"',
      'Expected value of type "Int"; Int cannot represent non-integer value',
    ],
    ['String cannot represent a non string value: { name: "漏洩" }', 'String cannot represent a non string value'],
    [
      'Variable "$m" got invalid value "漏洩"; Value "漏洩" does not exist in "ConsentMethod" enum. Did you mean the enum value "ORAL"?',
      'Variable "$m" got an invalid value; The value does not exist in "ConsentMethod" enum. Did you mean the enum value "ORAL"?',
    ],
    [
      'Enum "ConsentMethod" cannot represent non-enum value: "漏洩. 三郎". Did you mean the enum value "ORAL"?',
      'Enum "ConsentMethod" cannot represent non-enum value. Did you mean the enum value "ORAL"?',
    ],
    [
      'Syntax Error: Expected Name, found String "山田 太郎 090-1234-5678".',
      'Syntax Error: Expected Name, found String.',
    ],
    [
      'Syntax Error: Expected Name, found BlockString """漏洩 "x" 三郎""".',
      'Syntax Error: Expected Name, found BlockString.',
    ],
    ['Syntax Error: Unexpected Name "YamadaTaro19610717".', 'Syntax Error: Unexpected Name.'],
    ['Syntax Error: Unexpected Int "8012345678".', 'Syntax Error: Unexpected Int.'],
    ['Syntax Error: Expected Name, found Float "1961.0717".', 'Syntax Error: Expected Name, found Float.'],
    [
      'Variable "$i" got invalid value { summery: "x" }; Field "summery" is not defined by type "RecordConsultationInput". Did you mean "summary"?',
      'Variable "$i" got an invalid value; Field "summery" is not defined by type "RecordConsultationInput". Did you mean "summary"?',
    ],
    [
      'Variable "$i" got invalid value { 山田花子 東京都千代田区1-1: 1 }; Field "山田花子 東京都千代田区1-1" is not defined by type "RecordConsultationInput".',
      'Variable "$i" got an invalid value; A field whose name is no GraphQL name is not defined by type "RecordConsultationInput".',
    ],
  ])('%s', (message, safe) => {
    expect(withoutInputValue(message)).toBe(safe);
  });

  it('any other message is left as it is', () => {
    expect(withoutInputValue('birthDate is in the future')).toBe('birthDate is in the future');
  });
});

describe('withoutSuggestions: production names none of the schema', () => {
  it.each([
    [
      'Field "adress" is not defined by type "RegisterPersonInput". Did you mean "address"?',
      'Field "adress" is not defined by type "RegisterPersonInput".',
    ],
    [
      'Value "WELFAR" does not exist in "Domain" enum. Did you mean the enum value "WELFARE"?',
      'Value "WELFAR" does not exist in "Domain" enum.',
    ],
    ['Cannot query field "nam". Did you mean "name", "nameKana", or "names"?', 'Cannot query field "nam".'],
    [
      'Field "name" of required type "String!" was not provided.',
      'Field "name" of required type "String!" was not provided.',
    ],
  ])('%s', (message, told) => {
    expect(withoutSuggestions(message)).toBe(told);
  });

  it('is what maskErrors tells with hideSchemaDetails, and only then', () => {
    const error = {
      message: 'Value "WELFAR" does not exist in "Domain" enum. Did you mean the enum value "WELFARE"?',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    const hidden = maskErrors(createLogger('test', 'silent'), { hideSchemaDetails: true });
    expect(hidden(error, new GraphQLError(error.message)).message).not.toMatch(/Did you mean/);
    expect(mask(error, new GraphQLError(error.message)).message).toMatch(/Did you mean/);
  });
});

describe('isUnreachable: what answers 503 rather than 500', () => {
  const failure = (code: string) => Object.assign(new Error('refused'), { code });

  it('a database out of reach, or up and refusing the login (a role switched off, a password rotated, a database gone or closed to connections)', () => {
    for (const code of [
      'ECONNREFUSED',
      'CONNECTION_CLOSED',
      '57P01',
      '08006',
      '53300',
      '28000',
      '28P01',
      '3D000',
      '55000',
    ])
      expect(isUnreachable(failure(code)), code).toBe(true);
  });

  it('not a query the database refused: a constraint, a missing right, a syntax error', () => {
    for (const code of ['23505', '42501', '42601', '22P02']) expect(isUnreachable(failure(code)), code).toBe(false);
  });

  it('the cause of a wrapped error counts', () => {
    expect(isUnreachable(new Error('wrapped', { cause: failure('28P01') }))).toBe(true);
  });

  it('so does the original of a GraphQL error made by another copy of graphql-js (a subgraph resolver dropping its connection)', () => {
    const foreign = Object.assign(new Error('write CONNECTION_CLOSED'), {
      locations: [{ line: 1, column: 3 }],
      path: ['person', 'cases'],
      extensions: {},
      originalError: failure('CONNECTION_CLOSED'),
    });
    expect(foreign instanceof GraphQLError).toBe(false);
    expect(isUnreachable(foreign)).toBe(true);
    const masked = maskErrors(createLogger('test', 'silent'))(
      { message: foreign.message, path: foreign.path },
      foreign,
    );
    expect(masked.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(masked.message).not.toContain('CONNECTION_CLOSED');
  });
});
