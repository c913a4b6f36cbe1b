// The names a department's test gives the kit's assertions and clients are the schema's and the hub's own:
// a misspelt category, a log entry's reason or basis, or a role fails the department's type check, not only a
// run against the hub (a denial's reason may also be a mutation's own refusal, so any string passes there). The
// lines marked @ts-expect-error are what `npm run typecheck` proves refused.

import { describe, expect, it } from 'vitest';
import { expectForbidden, expectLogged, type ExpectedDenial, type ExpectedLogEntry } from './assertions.js';
import type { ClientOptions, GraphQLResponse, TestHub } from './hub.js';
import { requireRoles } from './subgraph-names.js';

/** Never called: its lines are checked by the compiler only. */
export function namesTheTypeCheckRefuses(hub: TestHub, result: GraphQLResponse<unknown>): void {
  // @ts-expect-error a misspelt DataCategory
  expectForbidden(result, { path: 'person.jobSeeker', category: 'EMPLOYMNET' });
  // @ts-expect-error a misspelt LegalBasis
  void expectLogged(hub, { personId: 'p', agencyId: 'a', basis: 'CONSENTT' });
  // @ts-expect-error a misspelt DenialReason in the log
  void expectLogged(hub, { personId: 'p', agencyId: 'a', reason: 'NO_LEGAL_BASE' });
  // @ts-expect-error a role the hub does not know
  hub.as('minamino-welfare', { roles: ['auditer'] });
  // @ts-expect-error a role the hub does not know, for a token
  void hub.token('minamino-welfare', { roles: ['hub-admn'] });

  // A denial's reason is the contract's, or a mutation's refusal's own.
  const denial: ExpectedDenial = { path: 'person.jobSeeker', reason: 'CONSENT_REVOKED' };
  const refusal: ExpectedDenial = { path: 'registerJobSeeker', reason: 'OUTSIDE_JURISDICTION' };
  const entry: ExpectedLogEntry = { personId: 'p', agencyId: 'a', basis: 'SUPPORT_MEETING', reason: 'NOT_A_MEMBER' };
  const client: ClientOptions = { roles: ['auditor', 'dashboard', 'hub-admin'] };
  void [denial, refusal, entry, client];
}

describe('a role given past the type check', () => {
  it('is still refused at run time, naming the roles the hub knows', () => {
    expect(() => requireRoles(['auditer' as never], 'as({ roles })')).toThrow(
      'as({ roles }): "auditer" is not a role the hub knows: auditor, dashboard, hub-admin',
    );
  });
});
