// Test helpers of the participation systems' own rules (Hello Work, the silver centre, the eco projects), shared
// by the test files of those rules.

import { beforeAll, expect } from 'vitest';
import { MUNICIPALITIES } from '@hub/platform';
import { readAccessLog } from './bases.js';
import { registerAgency, type TestHub } from './hub.js';

/** An id that names no record. */
export const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** 1 January of the year `years` before this one: the birth date of a person of `years` - 1 or `years`. */
export const bornYearsAgo = (years: number) => `${new Date().getUTCFullYear() - years}-01-01`;

/** A start not yet come, within the year ahead that work is assigned and placements recorded for. */
export const SOON = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

export const REGISTER_SEEKER = /* GraphQL */ `
  mutation ($personId: ID!, $desiredWork: String!) {
    registerJobSeeker(input: { personId: $personId, desiredWork: $desiredWork, preferredWorkStyles: [PART_TIME] }) {
      id
    }
  }
`;

/** An agency of each participation domain in ひがし山町 only: none of them serves a resident of みなみ野市. */
export const HIGASHIYAMA = {
  EMPLOYMENT: 'higashiyama-shokuan',
  SENIORS_WORK: 'higashiyama-silver',
  ENVIRONMENT: 'higashiyama-kankyo',
} as const;

/** Registers HIGASHIYAMA's agencies in the hub before the file's tests. */
export function useHigashiyamaAgencies(hub: TestHub): typeof HIGASHIYAMA {
  beforeAll(async () => {
    const { code } = MUNICIPALITIES.higashiyama;
    for (const [domain, id] of Object.entries(HIGASHIYAMA)) {
      await registerAgency(hub, {
        id,
        name: `ひがし山町 ${id}`,
        domain,
        kind: domain,
        municipalityCode: code,
        jurisdiction: [code],
      });
    }
  });
  return HIGASHIYAMA;
}

/** What an agency holds of a person, and what its reads leave in her access log, in `hub`. */
export function ownRecords(hub: TestHub) {
  return {
    /** What the owning agency holds about the person (OWN_DOMAIN): proof that a refusal changed nothing. */
    async held<T>(agency: string, personId: string, fields: string): Promise<T> {
      const result = await hub.query<{ person: T }>({ agency }, `query ($id: ID!) { person(id: $id) { ${fields} } }`, {
        id: personId,
      });
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!.person;
    },

    /**
     * What `act` answers about the person is her agency's own read in her access log (OWN_DOMAIN, the category
     * it returns): a mutation keyed by a record's id names the record's person too.
     */
    async expectLoggedAsOwn(personId: string, agency: string, category: string, act: () => Promise<unknown>) {
      const before = (await readAccessLog(hub, personId)).length;
      await act();
      const log = await readAccessLog(hub, personId);
      expect(log.length).toBeGreaterThan(before);
      expect(log[0]).toMatchObject({
        agency: { id: agency },
        categories: [category],
        allowed: true,
        basis: 'OWN_DOMAIN',
      });
    },
  };
}
