// The kit's assertions against answers a real test hub gives: a department's subgraph down or not trusting
// the gateway's key, and requests the hub refuses whole. A test that asserts an allowed read must fail on
// them, and say what went wrong rather than only that nothing was delivered.

import { AssertionError } from 'node:assert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAllowed,
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

/** The assertion's failure message; fails the test if it passed. */
function failure(assert: () => unknown): string {
  try {
    assert();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as AssertionError).message;
  }
  throw new Error('the assertion passed');
}

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
    const message = failure(() => expectAllowed(result, 'person.jobSeeker'));
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
    const message = failure(() => expectAllowed(result, 'person.enrollments'));
    expect(message).toContain('SUBGRAPH_UNREACHABLE');
  });
});
