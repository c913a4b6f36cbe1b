// Logs are structured JSON, one line per request under a request id the caller also gets, and carry
// ids and codes: never a name, a variable or a query.

import { expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { whileAccessLogRefuses } from './support/bases.js';
import { useTestHub } from './support/hub.js';
import { captureLogs } from './support/logs.js';

const { logger, lines } = captureLogs();
const hub = useTestHub({ logger });

it('logs one line per request, with its id, agency, operation and error codes, and no personal data', async () => {
  const son = residentId('yamada-son');
  const token = await hub.token(AGENCIES.helloWorkMinamino.id);
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-hub-purpose': encodeURIComponent('就労支援'),
    },
    body: JSON.stringify({
      query: 'query Visit($id: ID!) { person(id: $id) { name jobSeeker { status } } }',
      variables: { id: son },
      operationName: 'Visit',
    }),
  });
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  await response.json();

  const line = lines.find((l) => l['requestId'] === requestId);
  expect(line).toMatchObject({
    msg: 'request',
    agency: AGENCIES.helloWorkMinamino.id,
    operationName: 'Visit',
    errors: ['FORBIDDEN'],
  });
  const everything = JSON.stringify(lines);
  expect(everything).not.toContain('山田');
  expect(everything).not.toContain(son);
  expect(everything).not.toContain('query Visit');
});

it('logs a refused token by its reason only', async () => {
  await hub.query({ authorization: 'Bearer not.a.token' }, '{ agencies { id } }');
  expect(lines).toContainEqual(
    expect.objectContaining({ msg: 'request refused: unauthenticated', reason: 'TOKEN_INVALID' }),
  );
  expect(JSON.stringify(lines)).not.toContain('not.a.token');
});

it('takes a purpose header that is not URL-encoded as it is', async () => {
  const token = await hub.token(AGENCIES.minaminoWelfare.id);
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-hub-purpose': '100% review' },
    body: JSON.stringify({ query: '{ agencies { id } }' }),
  });
  expect(response.status).toBe(200);
});

it("logs the migrations a start applied, the hub's own schema's as each subgraph's", () => {
  const applied = lines.filter((l) => l['msg'] === 'migrations applied').map((l) => l['applied'] as string[]);
  expect(applied.some((names) => names.includes('001_hub.sql'))).toBe(true);
  expect(applied.some((names) => names.includes('platform/001_signature_uses.sql'))).toBe(true);
});

// Last in this file: it makes the access log refuse writes for a moment.
it('logs an answer withheld because its decisions could not be recorded as the error it left as', async () => {
  await whileAccessLogRefuses(hub, async () => {
    // Hello Work is denied the son's name: the answer that leaves carries the withholding error only.
    const token = await hub.token(AGENCIES.helloWorkMinamino.id);
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ person(id: "${residentId('yamada-son')}") { name jobSeeker { status } } }` }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      data: null,
      errors: [
        {
          message: expect.stringMatching(/access log/),
          extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'ACCESS_LOG_UNAVAILABLE' },
        },
      ],
    });
    const line = lines.find((l) => l['requestId'] === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ msg: 'request', status: 500, errors: ['INTERNAL_SERVER_ERROR'] });
    expect(JSON.stringify(lines)).not.toContain('山田');
  });
});
