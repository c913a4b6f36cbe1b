// The agency systems date their records on Japan's calendar (Asia/Tokyo), as the rest of the hub does: from
// 15:00 UTC it is already the next day, whatever the time zone of the server or the database.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { AGENCIES, demoId, todayInJapan } from '@hub/platform';
import { useTestHub } from './support/hub.js';
import { mutate, refusal, registerOlderResident, registerResident } from './support/welfare.js';

const hub = useTestHub();

const silver = AGENCIES.minaminoSilver.id;
const environment = AGENCIES.minaminoEnvironment.id;

const JOIN = /* GraphQL */ `
  mutation ($personId: ID!, $joinedOn: Date) {
    registerSilverMembership(
      input: { personId: $personId, centreName: "みなみ野市シルバー人材センター", joinedOn: $joinedOn }
    ) {
      joinedOn
    }
  }
`;

const MEMBERSHIP = /* GraphQL */ `
  query ($personId: ID!) {
    person(id: $personId) {
      silverMembership {
        id
      }
    }
  }
`;

/** The day after a YYYY-MM-DD day. */
const dayAfter = (day: string) => new Date(Date.parse(day) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/**
 * The hours the tests run at, with Tokyo's day then: 15:56 UTC is already the next day in Tokyo, 09:00 UTC is
 * not; and the real clock, whatever its hour.
 */
describe.each([
  { at: '2026-11-30T15:56:00Z', today: '2026-12-01' },
  { at: '2026-11-30T09:00:00Z', today: '2026-11-30' },
  { at: 'now', today: null },
])('at $at', ({ at, today: expected }) => {
  /** Stops the clock at the hour, after the set-up; Tokyo's day then. */
  const atThatHour = () => {
    if (at !== 'now') vi.setSystemTime(new Date(at));
    const today = todayInJapan();
    if (expected) expect(today).toBe(expected);
    return today;
  };
  afterEach(() => vi.useRealTimers());

  it("a silver membership joined on Tokyo's today is accepted, and one left undated is dated Tokyo's today", async () => {
    const [dated, undated] = [await registerOlderResident(hub), await registerOlderResident(hub)];
    const today = atThatHour();
    expect(await mutate(hub, silver, JOIN, { personId: dated, joinedOn: today })).toEqual({ joinedOn: today });
    expect(await mutate(hub, silver, JOIN, { personId: undated })).toEqual({ joinedOn: today });
  });

  it("a silver membership joined on Tokyo's tomorrow is refused (IN_THE_FUTURE)", async () => {
    const personId = await registerOlderResident(hub);
    const result = await hub.query({ agency: silver }, JOIN, { personId, joinedOn: dayAfter(atThatHour()) });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'IN_THE_FUTURE', argument: 'joinedOn' });
    const held = await hub.query<{ person: unknown }>({ agency: silver }, MEMBERSHIP, { personId });
    expect(held.data?.person).toEqual({ silverMembership: null });
  });

  it("an enrolment is dated Tokyo's today", async () => {
    const personId = await registerResident(hub);
    const today = atThatHour();
    const enrolled = await mutate<{ enrolledOn: string }>(
      hub,
      environment,
      /* GraphQL */ `
        mutation ($personId: ID!, $opportunityId: ID!) {
          enroll(input: { personId: $personId, opportunityId: $opportunityId }) {
            enrolledOn
          }
        }
      `,
      { personId, opportunityId: demoId('opportunity:vegetable-harvest') },
    );
    expect(enrolled.enrolledOn).toBe(today);
  });

  it("a child born on Tokyo's today is registered; one born on Tokyo's tomorrow is not", async () => {
    const today = atThatHour();
    const REGISTER = /* GraphQL */ `
      mutation ($birthDate: Date!) {
        registerPerson(
          input: { name: "今日 生まれ", nameKana: "キョウ ウマレ", birthDate: $birthDate, municipalityCode: "990001" }
        ) {
          birthDate
        }
      }
    `;
    const welfare = AGENCIES.minaminoWelfare.id;
    expect(await mutate(hub, welfare, REGISTER, { birthDate: today })).toEqual({ birthDate: today });
    const ahead = await hub.query({ agency: welfare }, REGISTER, { birthDate: dayAfter(today) });
    expect(refusal(ahead)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'birthDate' });
  });
});
