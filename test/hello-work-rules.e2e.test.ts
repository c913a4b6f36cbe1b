// Hello Work's own rules (参加支援: job seekers and placements): each refusal of a domain rule is BAD_USER_INPUT
// with a `reason`, and a refused step records nothing. The silver centre's and the eco projects' are in
// enrolment-rules.e2e.test.ts.

import { describe, expect, it } from 'vitest';
import { AGENCIES, demoId, todayInJapan } from '@hub/platform';
import { useConnection, useTestHub } from './support/hub.js';
import {
  bornYearsAgo,
  ownRecords,
  REGISTER_SEEKER,
  SOON,
  UNKNOWN,
  useHigashiyamaAgencies,
} from './support/participation.js';
import { mutate, refusal, registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-hello-work-rules');
const higashiyama = useHigashiyamaAgencies(hub);
const { held, expectLoggedAsOwn } = ownRecords(hub);

const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;

describe('Hello Work (registerJobSeeker)', () => {
  const REGISTER = REGISTER_SEEKER;

  it('a second registration while one is active is refused (ALREADY_REGISTERED) and the first stays as it was', async () => {
    const personId = await registerResident(hub);
    await mutate(hub, helloWork, REGISTER, { personId, desiredWork: '事務' });
    const before = await held(helloWork, personId, 'jobSeeker { id registeredAt desiredWork status }');
    const result = await hub.query({ agency: helloWork }, REGISTER, { personId, desiredWork: '清掃' });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_REGISTERED', argument: 'personId' });
    expect(await held(helloWork, personId, 'jobSeeker { id registeredAt desiredWork status }')).toEqual(before);
  });
});

describe('Hello Work (recordPlacement)', () => {
  const PLACE = /* GraphQL */ `
    mutation ($input: RecordPlacementInput!) {
      recordPlacement(input: $input) {
        id
      }
    }
  `;

  it('the same placement sent twice is refused (ALREADY_PLACED): a retry takes no second place', async () => {
    const personId = await registerResident(hub);
    await mutate(hub, helloWork, REGISTER_SEEKER, { personId, desiredWork: '清掃' });
    const input = { personId, openingId: demoId('job-opening:park-cleaning'), startedOn: '2026-11-02' };
    await mutate(hub, helloWork, PLACE, { input });
    const before = await held(helloWork, personId, 'placements { id }');
    const again = await hub.query({ agency: helloWork }, PLACE, { input });
    expect(refusal(again)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_PLACED', argument: 'openingId' });
    expect(await held(helloWork, personId, 'placements { id }')).toEqual(before);
  });

  it("a placement is of a person of the opening's ages (OUTSIDE_AGE_LIMITS), judged today whatever day the work starts", async () => {
    // 60 and over (care-assistant); 35 and under (machine-operator).
    const older = await registerResident(hub, undefined, undefined, bornYearsAgo(70));
    const young = await registerResident(hub, undefined, undefined, bornYearsAgo(30));
    for (const personId of [older, young]) {
      await mutate(hub, helloWork, REGISTER_SEEKER, { personId, desiredWork: '介護・製造' });
    }
    const place = (personId: string, opening: string, startedOn: string) =>
      hub.query({ agency: helloWork }, PLACE, {
        input: { personId, openingId: demoId(`job-opening:${opening}`), startedOn },
      });
    // A start long past (before the younger one was born), a recent one and one ahead: the answer is the same.
    for (const startedOn of [bornYearsAgo(40), '2026-11-02', SOON]) {
      for (const [personId, opening] of [
        [older, 'machine-operator'],
        [young, 'care-assistant'],
      ] as const) {
        expect(refusal(await place(personId, opening, startedOn))).toEqual({
          code: 'BAD_USER_INPUT',
          reason: 'OUTSIDE_AGE_LIMITS',
          argument: 'openingId',
        });
      }
    }
    expect(await held(helloWork, older, 'placements { id }')).toEqual({ placements: [] });
    expect((await place(older, 'care-assistant', SOON)).errors).toBeUndefined();
    expect((await place(young, 'machine-operator', SOON)).errors).toBeUndefined();
  });
});

describe('Hello Work (endJobSeekerRegistration, endPlacement)', () => {
  const END_REGISTRATION = /* GraphQL */ `
    mutation ($personId: ID!) {
      endJobSeekerRegistration(input: { personId: $personId }) {
        status
      }
    }
  `;
  const PLACE = /* GraphQL */ `
    mutation ($personId: ID!) {
      recordPlacement(
        input: { personId: $personId, openingId: "${demoId('job-opening:year-end-sorting')}", startedOn: "2026-11-02" }
      ) {
        id
      }
    }
  `;
  const END_PLACEMENT = /* GraphQL */ `
    mutation ($id: ID!, $status: PlacementEnd!, $endedOn: Date) {
      endPlacement(id: $id, status: $status, endedOn: $endedOn) {
        id
        status
        startedOn
        endedOn
      }
    }
  `;
  const seeker = async () => {
    const personId = await registerResident(hub);
    await mutate(hub, helloWork, REGISTER_SEEKER, { personId, desiredWork: '仕分け' });
    return personId;
  };
  const placements = (personId: string) =>
    held<{
      jobSeeker: { status: string } | null;
      placements: { id: string; status: string; endedOn: string | null }[];
    }>(helloWork, personId, 'jobSeeker { status } placements { id status endedOn }');

  it('an active registration ends once (INACTIVE): again it is refused (JOB_SEEKER_NOT_ACTIVE), and no placement is recorded on it until renewed', async () => {
    const personId = await seeker();
    expect(await mutate(hub, helloWork, END_REGISTRATION, { personId })).toEqual({ status: 'INACTIVE' });
    const again = await hub.query({ agency: helloWork }, END_REGISTRATION, { personId });
    expect(refusal(again)).toEqual({ code: 'BAD_USER_INPUT', reason: 'JOB_SEEKER_NOT_ACTIVE', argument: 'personId' });
    const placed = await hub.query({ agency: helloWork }, PLACE, { personId });
    expect(refusal(placed)).toEqual({ code: 'BAD_USER_INPUT', reason: 'JOB_SEEKER_INACTIVE', argument: 'personId' });
    expect(await placements(personId)).toEqual({ jobSeeker: { status: 'INACTIVE' }, placements: [] });
    await mutate(hub, helloWork, REGISTER_SEEKER, { personId, desiredWork: '仕分け' });
    expect(await placements(personId)).toEqual({ jobSeeker: { status: 'ACTIVE' }, placements: [] });
  });

  it('a placement ends once, on a day from its start to today (離職): again it is refused (PLACEMENT_ENDED)', async () => {
    const personId = await seeker();
    const placement = await mutate<{ id: string }>(hub, helloWork, PLACE, { personId });
    const before = await placements(personId);
    for (const [endedOn, reason] of [
      ['2099-12-31', 'IN_THE_FUTURE'],
      ['2026-11-01', 'INVALID_PERIOD'],
    ] as const) {
      const result = await hub.query({ agency: helloWork }, END_PLACEMENT, {
        id: placement.id,
        status: 'LEFT',
        endedOn,
      });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason, argument: 'endedOn' });
    }
    expect(await placements(personId)).toEqual(before);
    const ended = await mutate(hub, helloWork, END_PLACEMENT, {
      id: placement.id,
      status: 'LEFT',
      endedOn: '2026-11-30',
    });
    expect(ended).toEqual({ id: placement.id, status: 'LEFT', startedOn: '2026-11-02', endedOn: '2026-11-30' });
    const after = await placements(personId);
    const again = await hub.query({ agency: helloWork }, END_PLACEMENT, { id: placement.id, status: 'COMPLETED' });
    expect(refusal(again)).toEqual({ code: 'BAD_USER_INPUT', reason: 'PLACEMENT_ENDED', argument: 'id' });
    expect(await placements(personId)).toEqual(after);
  });

  const PLACE_ON = /* GraphQL */ `
    mutation ($personId: ID!, $openingId: ID!, $startedOn: Date!) {
      recordPlacement(input: { personId: $personId, openingId: $openingId, startedOn: $startedOn }) {
        id
      }
    }
  `;
  const placeOn = (personId: string, opening: string, startedOn: string) =>
    mutate<{ id: string }>(hub, helloWork, PLACE_ON, {
      personId,
      openingId: demoId(`job-opening:${opening}`),
      startedOn,
    });
  /** Tomorrow in Japan: a start not yet come, whatever the hour. */
  const tomorrow = () => todayInJapan(new Date(Date.now() + 86_400_000));

  it('a placement called off before it starts is CANCELLED, ended on its start day, and her registration is ACTIVE again; LEFT or COMPLETED of it is refused (PLACEMENT_NOT_STARTED)', async () => {
    const personId = await seeker();
    const startedOn = tomorrow();
    const placement = await placeOn(personId, 'data-entry-home', startedOn);
    const before = await placements(personId);
    expect(before.jobSeeker).toEqual({ status: 'PLACED' });
    for (const status of ['LEFT', 'COMPLETED']) {
      const result = await hub.query({ agency: helloWork }, END_PLACEMENT, { id: placement.id, status });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'PLACEMENT_NOT_STARTED', argument: 'status' });
    }
    // Called off, it ends on its start day: endedOn may name that day, and no other.
    const otherDay = await hub.query({ agency: helloWork }, END_PLACEMENT, {
      id: placement.id,
      status: 'CANCELLED',
      endedOn: '2026-01-05',
    });
    expect(refusal(otherDay)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PERIOD', argument: 'endedOn' });
    expect(await placements(personId)).toEqual(before);
    const cancelled = await mutate(hub, helloWork, END_PLACEMENT, {
      id: placement.id,
      status: 'CANCELLED',
      endedOn: startedOn,
    });
    expect(cancelled).toEqual({ id: placement.id, status: 'CANCELLED', startedOn, endedOn: startedOn });
    expect(await placements(personId)).toEqual({
      jobSeeker: { status: 'ACTIVE' },
      placements: [{ id: placement.id, status: 'CANCELLED', endedOn: startedOn }],
    });
    const again = await hub.query({ agency: helloWork }, END_PLACEMENT, { id: placement.id, status: 'CANCELLED' });
    expect(refusal(again)).toEqual({ code: 'BAD_USER_INPUT', reason: 'PLACEMENT_ENDED', argument: 'id' });
  });

  it('a cancelled placement leaves her PLACED while another placement of hers is under way', async () => {
    const personId = await seeker();
    const first = await placeOn(personId, 'warehouse-sorting', tomorrow());
    const second = await placeOn(personId, 'data-entry-home', tomorrow());
    await mutate(hub, helloWork, END_PLACEMENT, { id: first.id, status: 'CANCELLED' });
    expect((await placements(personId)).jobSeeker).toEqual({ status: 'PLACED' });
    await mutate(hub, helloWork, END_PLACEMENT, { id: second.id, status: 'CANCELLED' });
    expect((await placements(personId)).jobSeeker).toEqual({ status: 'ACTIVE' });
  });

  it('a placement that has started, today or before, is not CANCELLED (PLACEMENT_STARTED) and stays as it was', async () => {
    const personId = await seeker();
    const today = await placeOn(personId, 'early-shelving', todayInJapan());
    const earlier = await mutate<{ id: string }>(hub, helloWork, PLACE, { personId });
    const before = await placements(personId);
    for (const placement of [today, earlier]) {
      const result = await hub.query({ agency: helloWork }, END_PLACEMENT, { id: placement.id, status: 'CANCELLED' });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'PLACEMENT_STARTED', argument: 'status' });
    }
    expect(await placements(personId)).toEqual(before);
  });

  // A lock held by another session needs a second backend: the embedded database runs one.
  it.skipIf(!process.env['DATABASE_URL'])(
    'a placement moved to a town the caller does not serve while its end waits is not ended (NOT_FOUND), and her registration is left as it was',
    async () => {
      const personId = await seeker();
      const placement = await placeOn(personId, 'harvest-help', tomorrow());
      let ending: ReturnType<typeof hub.query> | undefined;
      await db.sql.begin(async (tx) => {
        // Her registration held, as a placement being recorded for her holds it: the end waits behind it.
        await tx`select 1 from employment.job_seeker where person_id = ${personId}::uuid for update`;
        ending = hub.query({ agency: helloWork }, END_PLACEMENT, { id: placement.id, status: 'CANCELLED' });
        const waiting = async () =>
          (
            await db.sql<{ waiting: number }[]>`
              select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`
          )[0]!.waiting;
        while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        // Meanwhile a DV transfer moves her records to a town Hello Work みなみ野 does not serve.
        await db.sql`update employment.placement set municipality_code = '990999' where id = ${placement.id}::uuid`;
      });
      expect(refusal(await ending!)).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'id' });
      const [after] = await db.sql<{ status: string }[]>`
        select status from employment.placement where id = ${placement.id}::uuid`;
      expect(after).toEqual({ status: 'EMPLOYED' });
      expect((await placements(personId)).jobSeeker).toEqual({ status: 'PLACED' });
      // Back where it was, and called off: the opening's place is free for the tests after this one.
      await db.sql`update employment.placement set municipality_code = '990001' where id = ${placement.id}::uuid`;
      await mutate(hub, helloWork, END_PLACEMENT, { id: placement.id, status: 'CANCELLED' });
    },
  );

  it('a cancelled placement is counted in no dashboard: it was no placement', async () => {
    // Six placements into a diverse opening (SHORT_TERM) starting tomorrow, one of them called off.
    const startedOn = tomorrow();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await placeOn(await seeker(), 'harvest-help', startedOn)).id);
    await mutate(hub, helloWork, END_PLACEMENT, { id: ids[0], status: 'CANCELLED' });
    // A day on, their start has come, in a month the dashboard counts (tomorrow may be next month's first).
    await db.sql`
      update employment.placement set started_on = started_on - 1, ended_on = ended_on - 1
      where id = any(${ids}::uuid[])`;
    // Read by the silver centre, which recorded none of them.
    const result = await hub.query<{
      diversePlacementsDashboard: { cells: { row: string; column: string; count: number | null }[] };
    }>({ agency: silver }, '{ diversePlacementsDashboard { cells { row column count } } }');
    expect(result.errors).toBeUndefined();
    const month = todayInJapan().slice(0, 7);
    expect(result.data!.diversePlacementsDashboard.cells).toContainEqual({
      row: 'SHORT_TERM',
      column: month,
      count: 5,
    });
  });

  it('ending a placement names its person in her access log: an answer keyed by a record is logged too', async () => {
    const personId = await seeker();
    const placement = await mutate<{ id: string }>(hub, helloWork, PLACE, { personId });
    await expectLoggedAsOwn(personId, helloWork, 'EMPLOYMENT', () =>
      mutate(hub, helloWork, END_PLACEMENT, { id: placement.id, status: 'COMPLETED', endedOn: '2026-11-30' }),
    );
  });

  it('only an employment agency serving the person ends her registration or placement: another domain NOT_OWN_DOMAIN, another town OUTSIDE_JURISDICTION or NOT_FOUND', async () => {
    const personId = await seeker();
    const placement = await mutate<{ id: string }>(hub, helloWork, PLACE, { personId });
    await mutate(hub, helloWork, REGISTER_SEEKER, { personId, desiredWork: '事務' }); // renewed: ACTIVE again
    const before = await placements(personId);
    const notOwnDomain = { code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN', argument: undefined };
    expect(refusal(await hub.query({ agency: silver }, END_REGISTRATION, { personId }))).toEqual(notOwnDomain);
    expect(refusal(await hub.query({ agency: silver }, END_PLACEMENT, { id: placement.id, status: 'LEFT' }))).toEqual(
      notOwnDomain,
    );
    const otherTown = higashiyama.EMPLOYMENT;
    expect(refusal(await hub.query({ agency: otherTown }, END_REGISTRATION, { personId }))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OUTSIDE_JURISDICTION',
    });
    const ended = await hub.query({ agency: otherTown }, END_PLACEMENT, { id: placement.id, status: 'LEFT' });
    const unknown = await hub.query({ agency: otherTown }, END_PLACEMENT, { id: UNKNOWN, status: 'LEFT' });
    expect(ended).toEqual(unknown);
    expect(refusal(ended)).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'id' });
    expect(await placements(personId)).toEqual(before);
  });
});
