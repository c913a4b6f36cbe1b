// What the hub lets each agency see of the department's employment data, with the department's own
// stand-in in place of the hub's employment subgraph: its owner reads it, another agency is refused
// until a consent confirmed by Hello Work names it, every access is logged, and the stand-in is never
// asked for what was refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCIES,
  checkSubgraph,
  expectAllowed,
  expectForbidden,
  expectLogged,
  givenConsent,
  residentId,
  startTestHub,
  testSigningKeys,
  type StandInSubgraph,
  type TestHub,
} from '@hub/testkit';
import { startEmploymentStandIn } from '../src/employment-stand-in.js';

const helloWork = AGENCIES.helloWorkMinamino.id;
const environment = AGENCIES.minaminoEnvironment.id;
const welfare = AGENCIES.minaminoWelfare.id;
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

let standIn: StandInSubgraph;
let hub: TestHub;

beforeAll(async () => {
  // The stand-in verifies the gateway's signatures, so the key pair is made before either starts.
  const signing = testSigningKeys();
  standIn = await startEmploymentStandIn(signing.verifyKeys);
  hub = await startTestHub({ signing, subgraphs: { employment: standIn.url } });
});

afterAll(async () => {
  await hub?.stop();
  await standIn?.close();
});

describe('the employment data of the department’s stand-in, through the hub', () => {
  it('conforms: the check every subgraph has to pass', async () => {
    const report = await checkSubgraph({
      url: standIn.url,
      domain: 'EMPLOYMENT',
      signingKey: hub.config.signing.gatewayKey!,
      personIds: [takahashi],
    });
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
  });

  it('Hello Work reads its own registration, signed for EMPLOYMENT only, and it is logged with the purpose', async () => {
    const result = await hub
      .as(helloWork, { sub: 'hw-staff-7', purpose: '職業相談' })
      .query(JOB_SEEKER, { id: takahashi });
    expect(expectAllowed(result, 'person.jobSeeker')).toEqual({
      desiredWork: '施設の清掃（短時間）',
      status: 'ACTIVE',
    });
    const call = standIn.callers.at(-1)!;
    expect(call).toMatchObject({ agencyId: helloWork, staffId: 'hw-staff-7', categories: ['EMPLOYMENT'] });
    await expectLogged(hub, {
      personId: takahashi,
      agencyId: helloWork,
      category: 'EMPLOYMENT',
      allowed: true,
      basis: 'OWN_DOMAIN',
      purpose: '職業相談',
    });
  });

  it('another agency is refused without a basis, and the stand-in is never asked', async () => {
    const asked = standIn.callers.length;
    const since = new Date();
    const result = await hub.as(environment).query(JOB_SEEKER, { id: takahashi });
    expectForbidden(result, { path: 'person.jobSeeker', category: 'EMPLOYMENT', reason: 'NO_LEGAL_BASIS' });
    expect(standIn.callers.slice(asked).filter((c) => c.agencyId === environment)).toEqual([]);
    // This read's entry, not one an earlier test left: only entries from `since` on count.
    await expectLogged(hub, {
      personId: takahashi,
      agencyId: environment,
      category: 'EMPLOYMENT',
      allowed: false,
      since,
    });
    // And none from after it matches.
    const later = new Date(Date.now() + 60_000);
    await expect(
      expectLogged(hub, { personId: takahashi, agencyId: environment, allowed: false, since: later }),
    ).rejects.toThrow(/no access-log entry of minamino-kankyo matches/);
  });

  it('a consent naming it, confirmed by Hello Work, opens the registration to it', async () => {
    await givenConsent(hub, welfare, {
      personId: takahashi,
      recipientAgencyIds: [environment],
      categories: ['EMPLOYMENT'],
    });
    const result = await hub.as(environment).query(JOB_SEEKER, { id: takahashi });
    expect(expectAllowed(result, 'person.jobSeeker')).toMatchObject({ status: 'ACTIVE' });
    expect(standIn.callers.at(-1)).toMatchObject({ agencyId: environment, categories: ['EMPLOYMENT'] });
    await expectLogged(hub, { personId: takahashi, agencyId: environment, allowed: true, basis: 'CONSENT' });
  });
});
