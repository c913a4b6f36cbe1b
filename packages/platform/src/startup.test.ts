import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { SchemaNotReadyError } from './migrate.js';
import { startupRefusal } from './startup.js';

const systemError = (code: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code} happened`), { code, ...fields });

describe('startupRefusal: what an operator is told in one line', () => {
  it('a configuration or a schema not ready: their own message', () => {
    expect(startupRefusal(new ConfigError('invalid configuration\n  GATEWAY_PORT: not a port'))).toBe(
      'invalid configuration\n  GATEWAY_PORT: not a port',
    );
    expect(startupRefusal(new SchemaNotReadyError('schema welfare lacks migrations 009'))).toBe(
      'schema welfare lacks migrations 009',
    );
  });

  it('a port taken: which one', () => {
    expect(startupRefusal(systemError('EADDRINUSE', { port: 4000, address: '127.0.0.1' }))).toBe(
      'port 4000 is in use: stop what holds it, or give this service another port',
    );
  });

  it('a disk full (or over its quota): where, and what to do', () => {
    expect(
      startupRefusal(
        systemError('ENOSPC', { syscall: 'copyfile', path: '/cache/fresh/base/1', dest: '/srv/hub/base/1' }),
      ),
    ).toBe('no space left where /srv/hub/base/1 is written (ENOSPC): make room there and start again');
    expect(startupRefusal(systemError('EDQUOT', { syscall: 'write' }))).toBe(
      'no space left where the hub writes (EDQUOT): make room there and start again',
    );
  });

  it('a HOST this machine does not have: which one, and what to set', () => {
    expect(
      startupRefusal(systemError('EADDRNOTAVAIL', { address: '203.0.113.5', port: 4000, syscall: 'listen' })),
    ).toBe(
      '203.0.113.5 is not an address of this machine to listen on: set HOST to one it has (127.0.0.1, or 0.0.0.0 for all)',
    );
  });

  it('a database out of reach, also when every address was tried (AggregateError)', () => {
    expect(startupRefusal(systemError('ECONNREFUSED', { address: '127.0.0.1', port: 5432 }))).toBe(
      'the database at 127.0.0.1:5432 cannot be reached (ECONNREFUSED)',
    );
    const both = Object.assign(new AggregateError([systemError('ECONNREFUSED', { address: '::1', port: 5432 })]), {
      code: 'ECONNREFUSED',
    });
    expect(startupRefusal(both)).toBe('the database at ::1:5432 cannot be reached (ECONNREFUSED)');
  });

  it("a database that refuses the role or has no such database: PostgreSQL's message", () => {
    expect(
      startupRefusal(
        Object.assign(new Error('password authentication failed for user "hub_welfare"'), { code: '28P01' }),
      ),
    ).toBe('the database refused the connection: password authentication failed for user "hub_welfare"');
  });

  it('anything else is a fault of the hub: no line, so it keeps its stack', () => {
    expect(startupRefusal(new TypeError('x is undefined'))).toBeUndefined();
    expect(startupRefusal(systemError('ENOMEM'))).toBeUndefined();
    expect(startupRefusal(undefined)).toBeUndefined();
  });
});
