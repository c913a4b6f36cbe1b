import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { expectForbidden } from './assertions.js';
import type { GraphQLResponse } from './hub.js';

const PERSON = '85810d4a-0000-4000-8000-000000000000';

/** A person's jobSeeker refused as it is after her consent was revoked. */
const revoked: GraphQLResponse<unknown> = {
  status: 200,
  data: { person: { jobSeeker: null } },
  errors: [
    {
      message: 'Access to EMPLOYMENT denied: CONSENT_REVOKED',
      path: ['person', 'jobSeeker'],
      extensions: { code: 'FORBIDDEN', reason: 'CONSENT_REVOKED', category: 'EMPLOYMENT', personId: PERSON },
    },
  ],
};

describe('expectForbidden', () => {
  it('passes on the denial asked for, and returns its error', () => {
    const error = expectForbidden(revoked, {
      path: 'person.jobSeeker',
      category: 'EMPLOYMENT',
      reason: 'CONSENT_REVOKED',
    });
    expect(error.extensions?.['personId']).toBe(PERSON);
  });

  it('shows in its diff only what the test asked about: a personId it did not name is no second mismatch', () => {
    let thrown: unknown;
    try {
      expectForbidden(revoked, { path: 'person.jobSeeker', category: 'EMPLOYMENT', reason: 'NO_LEGAL_BASIS' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AssertionError);
    const { message, actual, expected } = thrown as AssertionError;
    expect(message).toBe('the denial at person.jobSeeker has reason CONSENT_REVOKED, expected NO_LEGAL_BASIS');
    expect(actual).toEqual({ category: 'EMPLOYMENT', reason: 'CONSENT_REVOKED' });
    expect(expected).toEqual({ category: 'EMPLOYMENT', reason: 'NO_LEGAL_BASIS' });
  });
});
