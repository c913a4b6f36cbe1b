// The kit's assertions against answers a real test hub gives: a department's subgraph down or not trusting
// the gateway's key, and requests the hub refuses whole. A test that asserts an allowed read must fail on
// them, and say what went wrong rather than only that nothing was delivered.

import { AssertionError } from 'node:assert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAllowed,
  expectForbidden,
  expectLogged,
  hubSubgraphSdl,
  residentId,
  startStandInSubgraph,
  startTestHub,
  testSigningKeys,
  type StandInSubgraph,
  type TestHub,
} from '@hub/testkit';

const takahashi = residentId('takahashi');
const JOB_SEEKER = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      jobSeeker {
        desiredWork
        status
      }
    }
  }
`;

/** The assertion's failure message, whether it throws at once or rejects; fails the test if it passed. */
async function failureOf(assert: () => unknown): Promise<string> {
  try {
    await assert();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as AssertionError).message;
  }
  throw new Error('the assertion passed');
}

const PER_MINUTE = 5;

let untrusting: StandInSubgraph;
let hub: TestHub;

beforeAll(async () => {
  // The employment stand-in trusts another key pair than the hub's; nothing listens where environment's is.
  untrusting = await startStandInSubgraph({
    name: 'employment',
    typeDefs: hubSubgraphSdl('employment'),
    resolvers: {},
    verifyKeys: testSigningKeys().verifyKeys,
  });
  hub = await startTestHub({
    // Small, so that one agency (minamino-silver, asked nothing else here) reaches it.
    limits: { rateLimitPerMinute: PER_MINUTE },
    subgraphs: { employment: untrusting.url, environment: 'http://127.0.0.1:9/graphql' },
  });
});

afterAll(async () => {
  await hub?.stop();
  await untrusting?.close();
});

describe('expectAllowed on an answer with an error that names no path', () => {
  it("fails when the department's subgraph refuses the gateway's signature, naming code and reason", async () => {
    const result = await hub.as('hellowork-minamino').query(JOB_SEEKER, { id: takahashi });
    const message = await failureOf(() => expectAllowed(result, 'person.jobSeeker'));
    expect(message).toContain('SERVICE_UNAVAILABLE');
    expect(message).toContain('SIGNATURE_REFUSED');
  });

  it("fails when nothing listens at the department's subgraph URL", async () => {
    const result = await hub.as('minamino-kankyo').query(
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            enrollments {
              id
            }
          }
        }
      `,
      { id: takahashi },
    );
    const message = await failureOf(() => expectAllowed(result, 'person.enrollments'));
    expect(message).toContain('SUBGRAPH_UNREACHABLE');
  });
});

describe('expectAllowed and expectForbidden on a request the hub refused whole', () => {
  /** Both assertions' messages about `path` in `result`. */
  function messages(result: Awaited<ReturnType<ReturnType<TestHub['as']>['query']>>, path = 'person.jobSeeker') {
    return Promise.all([
      failureOf(() => expectAllowed(result, path)),
      failureOf(() => expectForbidden(result, { path, category: 'EMPLOYMENT' })),
    ]);
  }

  it('a misspelt agency (401 UNKNOWN_AGENCY): both name the status, the code, the reason and the message', async () => {
    const result = await hub.as('hellowork-minamno').query(JOB_SEEKER, { id: takahashi });
    const [error] = result.errors ?? [];
    for (const message of await messages(result)) {
      expect(message).toContain('HTTP 401');
      expect(message).toContain(String(error?.extensions?.['code']));
      expect(message).toContain('UNKNOWN_AGENCY');
      expect(message).toContain(error?.message);
    }
  });

  it('a misspelt field (GRAPHQL_VALIDATION_FAILED): both name the status, the code and the message', async () => {
    const result = await hub
      .as('hellowork-minamino')
      .query(`query ($id: ID!) { person(id: $id) { jobseeker { status } } }`, { id: takahashi });
    const [error] = result.errors ?? [];
    for (const message of await messages(result, 'person.jobseeker')) {
      expect(message).toContain(`HTTP ${result.status}`);
      expect(message).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(message).toContain(error?.message);
    }
  });

  it('a purpose over 500 characters (400 PURPOSE_TOO_LONG): both name the status, the code and the reason', async () => {
    const result = await hub
      .as('hellowork-minamino', { purpose: 'x'.repeat(501) })
      .query(JOB_SEEKER, { id: takahashi });
    for (const message of await messages(result)) {
      expect(message).toContain('HTTP 400');
      expect(message).toContain('BAD_REQUEST');
      expect(message).toContain('PURPOSE_TOO_LONG');
    }
  });

  it('an agency over its requests per minute (429 RATE_LIMITED): both name the status and the code', async () => {
    const silver = hub.as('minamino-silver');
    for (let i = 0; i < PER_MINUTE; i++) await silver.query(JOB_SEEKER, { id: takahashi });
    const result = await silver.query(JOB_SEEKER, { id: takahashi });
    for (const message of await messages(result)) {
      expect(message).toContain('HTTP 429');
      expect(message).toContain('RATE_LIMITED');
    }
  });
});

describe('expectLogged naming an agency the register does not hold', () => {
  it('says the agency id names no registered agency', async () => {
    const message = await failureOf(() =>
      expectLogged(hub, { personId: takahashi, agencyId: 'hellowork-minamno', allowed: true }),
    );
    expect(message).toContain('"hellowork-minamno" names no agency registered with this hub');
  });

  it('of a registered agency with no matching entry, says only that none matches', async () => {
    const message = await failureOf(() =>
      expectLogged(hub, { personId: takahashi, agencyId: 'higashiyama-dv', allowed: true }),
    );
    expect(message).toMatch(/^no access-log entry of higashiyama-dv matches; the person's log has \d+ entries$/);
  });
});
