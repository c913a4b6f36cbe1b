// 参加支援: participationMatches ranks open opportunities of three systems against the person's wishes and
// constraints, using only what the caller may see (issue "cross-agency work", item 7).

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { askedFor, grantConsent, readAccessLog, revokeConsent } from './support/bases.js';
import { useConnection, useTestHub } from './support/hub.js';
import { mutate, registerResident } from './support/welfare.js';

const hub = useTestHub({ telemetry: { metricsPort: 0 } });
const db = useConnection(hub, 'participation-matching');

const collaborator = AGENCIES.minaminoCollaborator.id;
const silver = AGENCIES.minaminoSilver.id;
const environment = AGENCIES.minaminoEnvironment.id;
const son = residentId('yamada-son');

const MATCHES = /* GraphQL */ `
  query ($id: ID!, $first: Int) {
    participationMatches(personId: $id, first: $first) {
      personId
      notConsidered
      incompleteSources
      profileRecorded
      matches {
        source
        opportunityId
        title
        hoursPerWeek
        outdoor
        score
        explanation
        enrolVia
      }
    }
  }
`;

interface Matches {
  participationMatches: {
    personId: string;
    notConsidered: string[];
    incompleteSources: string[];
    profileRecorded: boolean | null;
    matches: {
      source: string;
      opportunityId: string;
      title: string;
      hoursPerWeek: number;
      outdoor: boolean;
      score: number;
      explanation: string[];
      enrolVia: string;
    }[];
  };
}

describe('participation matching', () => {
  it('with the whole profile visible, ranks within the person’s hours and age, wishes first, each explained', async () => {
    const result = await hub.query<Matches>({ agency: collaborator }, MATCHES, { id: son, first: 20 });
    expect(result.errors).toBeUndefined();
    const { notConsidered, profileRecorded, matches } = result.data!.participationMatches;
    expect(notConsidered).toEqual([]);
    expect(profileRecorded).toBe(true);
    expect(matches.length).toBeGreaterThan(0);
    // The seeded profile allows 6 hours a week; the son is 53, too young for a silver centre.
    for (const m of matches) expect(m.hoursPerWeek).toBeLessThanOrEqual(6);
    expect(matches.some((m) => m.source === 'SILVER_WORK_OFFER')).toBe(false);
    expect(matches.map((m) => m.score)).toEqual([...matches.map((m) => m.score)].sort((a, b) => b - a));
    expect(matches[0]!.explanation.join(' ')).toMatch(/希望/);
    expect(matches.every((m) => ['assignWork', 'enroll', 'recordPlacement'].includes(m.enrolVia))).toBe(true);
  });

  it('without a basis, the ranking uses nothing personal: notConsidered names the categories, and welfare is never asked', async () => {
    hub.forget();
    const result = await hub.query<Matches>({ agency: silver }, MATCHES, { id: son, first: 50 });
    expect(result.errors).toBeUndefined();
    const { notConsidered, profileRecorded, matches } = result.data!.participationMatches;
    expect(notConsidered).toEqual(['IDENTITY', 'WELFARE_CASE']);
    expect(profileRecorded).toBeNull();
    expect(matches.every((m) => m.score === 0 && m.explanation.length === 0)).toBe(true);
    // Age is unknown to this caller, so the silver centre's age limit is not applied either way.
    expect(matches.some((m) => m.source === 'SILVER_WORK_OFFER')).toBe(true);
    expect(askedFor(hub, 'welfare', son, 'participationProfile')).toBe(false);
    expect(askedFor(hub, 'welfare', son, 'birthDate')).toBe(false);
  });

  it('with a consent for WELFARE_CASE only, the profile counts and age still does not', async () => {
    const consentId = await grantConsent(hub, collaborator, {
      personId: son,
      recipientAgencyIds: [silver],
      categories: ['WELFARE_CASE'],
    });
    const result = await hub.query<Matches>({ agency: silver }, MATCHES, { id: son, first: 50 });
    const { notConsidered, profileRecorded, matches } = result.data!.participationMatches;
    expect(notConsidered).toEqual(['IDENTITY']);
    expect(profileRecorded).toBe(true);
    for (const m of matches) expect(m.hoursPerWeek).toBeLessThanOrEqual(6);
    await revokeConsent(hub, collaborator, consentId);
  });

  it('every read the ranking made is in the access log under the caller', async () => {
    const denied = (await readAccessLog(hub, son)).filter((e) => e.agency.id === silver && !e.allowed);
    expect(denied.flatMap((e) => e.categories)).toEqual(expect.arrayContaining(['IDENTITY', 'WELFARE_CASE']));
  });

  it('enrolling in a match is the owning system’s own mutation', async () => {
    const result = await hub.query<Matches>({ agency: collaborator }, MATCHES, { id: son, first: 20 });
    const eco = result.data!.participationMatches.matches.find((m) => m.enrolVia === 'enroll')!;
    const enrolled = await hub.query<{ enroll: { id: string } }>(
      { agency: environment },
      `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`,
      { input: { personId: son, opportunityId: eco.opportunityId } },
    );
    expect(enrolled.errors).toBeUndefined();
    const elsewhere = await hub.query(
      { agency: collaborator },
      `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`,
      {
        input: { personId: son, opportunityId: eco.opportunityId },
      },
    );
    expect(elsewhere.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN' });
  });

  it('a wish for 就労体験 is answered by intermediate work and community projects, not by other jobs', async () => {
    const personId = await registerResident(hub);
    await mutate(
      hub,
      collaborator,
      `mutation ($input: RecordParticipationProfileInput!) { recordParticipationProfile(input: $input) { wishes } }`,
      { input: { personId, wishes: ['WORK_EXPERIENCE'], maxHoursPerWeek: 40 } },
    );
    const result = await hub.query<Matches>({ agency: collaborator }, MATCHES, { id: personId, first: 50 });
    expect(result.errors).toBeUndefined();
    const { matches } = result.data!.participationMatches;
    const answering = (m: Matches['participationMatches']['matches'][number]) =>
      m.explanation.some((line) => line.includes('WORK_EXPERIENCE'));
    const jobs = matches.filter((m) => m.source === 'JOB_OPENING');
    expect(jobs.filter(answering).map((m) => m.title)).toEqual(['公園清掃・軽作業（中間的就労）']);
    expect(jobs.some((m) => !answering(m))).toBe(true);
    const eco = matches.filter((m) => m.source === 'ECO_OPPORTUNITY');
    expect(eco.length).toBeGreaterThan(0);
    expect(eco.every(answering)).toBe(true);
  });

  it('every page of a register is ranked, not only its first 200', async () => {
    // 250 diverse openings newer than any other, each of more hours than the son can manage, and one of 3 hours
    // outdoors in 北山 posted long ago: the register lists it after the 250, on its second page.
    const marker = `paging-${Date.now()}`;
    const [far] = await db.sql<{ id: string }[]>`
      insert into employment.job_opening
        (title, employer, work_style, hours_per_week, diverse_work, location, outdoor, openings, posted_on)
      values (${`${marker} 北山の草刈り`}, 'テスト造園', 'SHORT_HOURS', 3, true, '北山', true, 1, '2000-01-01')
      returning id`;
    try {
      await db.sql`
        insert into employment.job_opening
          (title, employer, work_style, hours_per_week, diverse_work, location, outdoor, openings, posted_on)
        select ${marker} || ' ' || n, 'テスト商事', 'SHORT_HOURS', 40, true, '南野', false, 1, current_date + 1
        from generate_series(1, 250) as n`;
      const result = await hub.query<Matches>({ agency: collaborator }, MATCHES, { id: son, first: 50 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.participationMatches.matches.map((m) => m.opportunityId)).toContain(far!.id);
      expect(result.data!.participationMatches.incompleteSources).toEqual([]);
    } finally {
      await db.sql`delete from employment.job_opening where title like ${`${marker}%`}`;
    }
  });

  it('aliases of participationMatches in one request read each register once', async () => {
    const employmentFetches = async () => {
      const text = await (await fetch(hub.gateway.metricsUrl!)).text();
      const count = /^hub_subgraph_fetch_duration_seconds_count\{subgraph="employment",outcome="ok"\} (\d+)/m.exec(
        text,
      );
      return Number(count?.[1] ?? 0);
    };
    const before = await employmentFetches();
    const result = await hub.query<Record<string, unknown>>(
      { agency: collaborator },
      /* GraphQL */ `
        query ($id: ID!) {
          a: participationMatches(personId: $id) {
            personId
          }
          b: participationMatches(personId: $id) {
            personId
          }
          c: participationMatches(personId: $id, first: 3) {
            personId
          }
        }
      `,
      { id: son },
    );
    expect(result.errors).toBeUndefined();
    expect(Object.keys(result.data!)).toEqual(['a', 'b', 'c']);
    // Hello Work's openings fit one page: one fetch for the three.
    expect((await employmentFetches()) - before).toBe(1);
  });

  it('aliases of participationMatches for one person in one request read her once: her access log holds it once', async () => {
    const once = await registerResident(hub);
    const fiveTimes = await registerResident(hub);
    const alias = (key: string) => `${key}: participationMatches(personId: $id, first: 1) { notConsidered }`;
    const single = await hub.query({ agency: silver }, `query ($id: ID!) { ${alias('a')} }`, { id: once });
    const aliased = await hub.query(
      { agency: silver },
      `query ($id: ID!) { ${['a', 'b', 'c', 'd', 'e'].map(alias).join(' ')} }`,
      { id: fiveTimes },
    );
    expect(single.errors).toBeUndefined();
    expect(aliased.errors).toBeUndefined();
    const entries = async (personId: string) =>
      (await readAccessLog(hub, personId))
        .filter((entry) => entry.agency.id === silver)
        .map(({ allowed, categories }) => ({ allowed, categories }));
    expect(await entries(fiveTimes)).toEqual(await entries(once));
  });

  it('an unknown person is NOT_FOUND, and a malformed page size a clear error', async () => {
    const unknown = await hub.query({ agency: collaborator }, MATCHES, { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const tooMany = await hub.query({ agency: collaborator }, MATCHES, { id: son, first: 51 });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});
