import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { maskErrors } from './errors.js';

const mask = maskErrors(createLogger('test', 'silent'));

/** A postgres.js error for a connection the server closed (its `code`, as postgres.js sets it). */
function connectionClosed(): Error {
  return Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' });
}

describe('maskErrors', () => {
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
});
