import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseTimestamptz, type Database } from './database.js';
import { isUnreachable } from './errors.js';

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

describe('a statement that gets no connection', () => {
  // A server that closes every connection as soon as it is made, cleanly: postgres.js 3.4.9 retries the login
  // in a loop and never settles the statement waiting for it.
  let server: Server;
  let db: Database;
  let logins = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      logins += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    db = connect(`postgres://nobody@127.0.0.1:${port}/nothing`, { name: 'test', max: 1, startWithinMs: 300 });
  });
  afterAll(async () => {
    await Promise.race([db.close(), new Promise((resolve) => setTimeout(resolve, 500))]);
    server.close();
  });

  it('fails as CONNECT_TIMEOUT, unreachable, once its bound has passed', async () => {
    const started = performance.now();
    const error: unknown = await db.sql`select 1`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CONNECT_TIMEOUT' });
    expect(isUnreachable(error)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(logins).toBeGreaterThan(1);
  });

  it('a transaction alike, its callback never run', async () => {
    let ran = false;
    const error: unknown = await db.sql
      .begin(async (tx) => {
        ran = true;
        await tx`select 1`;
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: 'CONNECT_TIMEOUT' });
    expect(ran).toBe(false);
  });
});
