// Batching: the SQL statements a request sends do not grow with the number of persons it reads.

import { beforeAll, expect, it } from 'vitest';
import { AGENCIES } from '@hub/platform';
import { confirmEach } from './support/bases.js';
import { useTestHub } from './support/hub.js';

const hub = useTestHub();
let personIds: string[] = [];

const asWelfare = { agency: AGENCIES.minaminoCollaborator.id };

/** Registers `count` residents in one request of aliased mutations, each with a case and a job-seeker record. */
async function registerResidents(count: number): Promise<string[]> {
  const people = Array.from(
    { length: count },
    (_, i) =>
      `p${i}: registerPerson(input: { name: "一括 ${i}", nameKana: "イッカツ", birthDate: "1970-01-01", municipalityCode: "990001" }) { id }`,
  );
  const registered = await hub.query<Record<string, { id: string }>>(asWelfare, `mutation { ${people.join('\n')} }`);
  expect(registered.errors).toBeUndefined();
  const ids = Object.values(registered.data!).map((p) => p.id);

  const cases = ids.map((id, i) => `c${i}: openCase(input: { personId: "${id}", issues: [EMPLOYMENT] }) { id }`);
  expect((await hub.query(asWelfare, `mutation { ${cases.join('\n')} }`)).errors).toBeUndefined();
  const seekers = ids.map(
    (id, i) =>
      `s${i}: registerJobSeeker(input: { personId: "${id}", desiredWork: "事務", preferredWorkStyles: [PART_TIME] }) { id }`,
  );
  expect(
    (await hub.query({ agency: AGENCIES.helloWorkMinamino.id }, `mutation { ${seekers.join('\n')} }`)).errors,
  ).toBeUndefined();
  // Each resident consented to the collaborator seeing their Hello Work and eco-project records.
  const consents = ids.map(
    (id, i) =>
      `g${i}: grantConsent(input: { personId: "${id}", recipientAgencyIds: ["${AGENCIES.minaminoCollaborator.id}"], categories: [EMPLOYMENT, ENVIRONMENT_PARTICIPATION], purpose: "支援プラン作成", validFrom: "2020-01-01T00:00:00Z", validUntil: "2100-01-01T00:00:00Z", method: WRITTEN, evidenceRef: "同意書-${i}" }) { id }`,
  );
  const granted = await hub.query<Record<string, { id: string }>>(asWelfare, `mutation { ${consents.join('\n')} }`);
  expect(granted.errors).toBeUndefined();
  // The holders of the data (Hello Work, the eco project) confirm what the consent opens.
  await confirmEach(
    hub,
    Object.values(granted.data!).map((c) => c.id),
    ['EMPLOYMENT', 'ENVIRONMENT_PARTICIPATION'],
  );
  return ids;
}

const PEOPLE_QUERY = /* GraphQL */ `
  query People($ids: [ID!]!) {
    people(ids: $ids) {
      id
      name
      household {
        flags
        members {
          name
        }
      }
      cases {
        status
        plan {
          goals
          roles {
            agencyId
          }
        }
      }
      jobSeeker {
        status
        preferredWorkStyles
      }
      placements {
        opening {
          title
        }
      }
      enrollments {
        status
        opportunity {
          title
          project {
            name
          }
        }
      }
    }
  }
`;

async function statementsFor(ids: string[]): Promise<Record<string, number>> {
  const before: Record<string, number> = { ...hub.statements(), ...hub.gateway.stats };
  const result = await hub.query<{ people: unknown[] }>(asWelfare, PEOPLE_QUERY, { ids });
  expect(result.errors).toBeUndefined();
  expect(result.data!.people).toHaveLength(ids.length);
  const after: Record<string, number> = { ...hub.statements(), ...hub.gateway.stats };
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name]! - before[name]!]));
}

beforeAll(async () => {
  personIds = await registerResidents(100);
});

it('sends the same number of SQL statements and policy round trips for 100 persons as for 10, across three subgraphs', async () => {
  await statementsFor(personIds.slice(0, 1)); // warm the pools
  // Persons whose bases the gateway has not kept yet: 9 of the first 10, then the 90 others.
  const ten = await statementsFor(personIds.slice(0, 10));
  const hundred = await statementsFor(personIds);
  expect(hundred).toEqual(ten);
  expect(hundred['welfare']).toBeGreaterThan(0);
  expect(hundred['employment']).toBeGreaterThan(0);
  expect(hundred['environment']).toBeGreaterThan(0);
  // The gateway's own statements: the caller's agency (with the bases' version), one read of the bases
  // it does not keep, and one audit commit (one insert chained after the tip the writer last wrote).
  expect(hundred['gateway']).toBe(3);
  // One read of the legal bases per request: the fetch steps that read another domain's data
  // (employment, environment) run side by side and share it.
  expect(hundred['policyReads']).toBe(1);
  // Every fetch step decides before it is sent; a query's decisions are committed together, in one
  // statement, before its answer leaves.
  expect(hundred['auditWrites']).toBe(3);
  expect(hundred['auditCommits']).toBe(1);
  expect(hundred['subgraphFetches']).toBe(3);
  // Asked again, with no change to any bases since: the version read with the caller's agency says the
  // kept bases are current, so the gateway reads no bases and sends no statement for them.
  const again = await statementsFor(personIds);
  expect(again).toEqual({ ...hundred, policyReads: 0, gateway: 2 });
  console.log(
    `SQL statements for a 100-person query: ${JSON.stringify(hundred)}, asked again: ${JSON.stringify(again)}`,
  );
});

it('resolves every person of the list, in the order asked', async () => {
  const ids = [...personIds.slice(0, 5)].reverse();
  const result = await hub.query<{ people: { id: string; jobSeeker: { status: string } }[] }>(asWelfare, PEOPLE_QUERY, {
    ids,
  });
  expect(result.data!.people.map((p) => p.id)).toEqual(ids);
  expect(result.data!.people.every((p) => p.jobSeeker.status === 'ACTIVE')).toBe(true);
});
