// Deduplication: a query that reaches the same person at many positions sends each representation to a
// subgraph once, decides and logs it once, and still answers (or denies) every position.

import { beforeAll, expect, it } from 'vitest';
import { AGENCIES } from '@hub/platform';
import { confirmEach, denials } from './support/bases.js';
import { useTestHub } from './support/hub.js';

const hub = useTestHub();
const asWelfare = { agency: AGENCIES.minaminoCollaborator.id };
let consented: string[] = [];
let unconsented = '';

/** Three residents with a job-seeker record; the first two consented to the collaborator reading it. */
beforeAll(async () => {
  const people = Array.from(
    { length: 3 },
    (_, i) =>
      `p${i}: registerPerson(input: { name: "重複 ${i}", nameKana: "チョウフク", birthDate: "1970-01-01", municipalityCode: "990001" }) { id }`,
  );
  const registered = await hub.query<Record<string, { id: string }>>(asWelfare, `mutation { ${people.join('\n')} }`);
  expect(registered.errors).toBeUndefined();
  const ids = Object.values(registered.data!).map((p) => p.id);
  const seekers = ids.map(
    (id, i) =>
      `s${i}: registerJobSeeker(input: { personId: "${id}", desiredWork: "事務", preferredWorkStyles: [PART_TIME] }) { id }`,
  );
  expect(
    (await hub.query({ agency: AGENCIES.helloWorkMinamino.id }, `mutation { ${seekers.join('\n')} }`)).errors,
  ).toBeUndefined();
  consented = ids.slice(0, 2);
  unconsented = ids[2]!;
  const consents = consented.map(
    (id, i) =>
      `g${i}: grantConsent(input: { personId: "${id}", recipientAgencyIds: ["${AGENCIES.minaminoCollaborator.id}"], categories: [EMPLOYMENT], purpose: "支援プラン作成", validFrom: "2020-01-01T00:00:00Z", validUntil: "2100-01-01T00:00:00Z", method: WRITTEN, evidenceRef: "同意書-${i}" }) { id }`,
  );
  const granted = await hub.query<Record<string, { id: string }>>(asWelfare, `mutation { ${consents.join('\n')} }`);
  expect(granted.errors).toBeUndefined();
  // The holders of the data (Hello Work, the eco project) confirm what the consent opens.
  await confirmEach(
    hub,
    Object.values(granted.data!).map((c) => c.id),
    ['EMPLOYMENT'],
  );
});

const PEOPLE = /* GraphQL */ `
  query People($ids: [ID!]!) {
    people(ids: $ids) {
      id
      jobSeeker {
        status
        preferredWorkStyles
      }
    }
  }
`;

type People = { people: ({ id: string; jobSeeker: { status: string } | null } | null)[] };

/** The representations the employment subgraph was sent, over every `_entities` request since forget(). */
function employmentRepresentations(): { id: string }[] {
  return hub
    .received('employment')
    .flatMap((r) => (r.variables?.['representations'] ?? []) as { id: string }[])
    .filter(Boolean);
}

it('sends each person to the subgraph once however often the query reaches them, and answers every position', async () => {
  const [a, b] = consented as [string, string];
  const ids = [a, b, a, a, b, a, unconsented, unconsented];
  const before = hub.gateway.stats.policyReads;
  const result = await hub.query<People>(asWelfare, PEOPLE, { ids });

  const sent = employmentRepresentations().map((r) => r.id);
  expect(sent.length).toBe(new Set(sent).size);
  expect(new Set(sent)).toEqual(new Set([a, b]));
  // One read of the bases for the one fetch step that reads another domain's data.
  expect(hub.gateway.stats.policyReads - before).toBe(1);

  expect(result.data!.people.map((p) => p!.id)).toEqual(ids);
  result.data!.people.slice(0, 6).forEach((p) => expect(p!.jobSeeker!.status).toBe('ACTIVE'));
  expect(result.data!.people[6]!.jobSeeker).toBeNull();
  expect(result.data!.people[7]!.jobSeeker).toBeNull();
});

it('gives every denied position its own FORBIDDEN error at its own path', async () => {
  const [a] = consented as [string];
  const ids = [unconsented, a, unconsented, unconsented];
  const result = await hub.query<People>(asWelfare, PEOPLE, { ids });
  expect(denials(result.errors)).toEqual(
    [0, 2, 3].map((position) => ({
      category: 'EMPLOYMENT',
      reason: 'NO_LEGAL_BASIS',
      personId: unconsented,
      path: ['people', position, 'jobSeeker'],
    })),
  );
  expect(result.data!.people[1]!.jobSeeker!.status).toBe('ACTIVE');
  expect(employmentRepresentations().map((r) => r.id)).toEqual([a]);
});

it('records one access-log decision per person, not per position', async () => {
  const [a, b] = consented as [string, string];
  const { decisions } = await countDecisions(() =>
    hub.query<People>(asWelfare, PEOPLE, { ids: [a, a, a, b, b, unconsented, unconsented] }),
  );
  expect(decisions).toBe(3);
});

/** Decisions recorded while `run` ran: one per person each row of the log names. */
async function countDecisions(run: () => Promise<unknown>): Promise<{ decisions: number }> {
  const count = async () =>
    Number(
      (await hub.gateway.db.sql<{ n: string }[]>`select coalesce(sum(decisions), 0)::text as n from hub.audit_log`)[0]!
        .n,
    );
  const before = await count();
  await run();
  return { decisions: (await count()) - before };
}
