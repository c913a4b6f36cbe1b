// Participation through the owning systems' own mutations (参加支援: the silver centre, the eco projects, and the
// days every participation system records): each refusal of a domain rule is BAD_USER_INPUT with a `reason`,
// and a refused step records nothing. Hello Work's are in hello-work-rules.e2e.test.ts.

import { describe, expect, it } from 'vitest';
import { AGENCIES, demoId, MUNICIPALITIES, todayInJapan } from '@hub/platform';
import { readAccessLog } from './support/bases.js';
import { useConnection, useTestHub } from './support/hub.js';
import {
  bornYearsAgo,
  ownRecords,
  REGISTER_SEEKER,
  SOON,
  UNKNOWN,
  useHigashiyamaAgencies,
} from './support/participation.js';
import { mutate, refusal, registerChild, registerOlderResident, registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-enrolment-rules');
const higashiyama = useHigashiyamaAgencies(hub);
const { held, expectLoggedAsOwn } = ownRecords(hub);

const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const environment = AGENCIES.minaminoEnvironment.id;

describe('days recorded within reach (a slip such as 0001 or 9999 would stand for ever)', () => {
  it('a start years ahead, or a date joined a century ago, is refused and records nothing', async () => {
    const personId = await registerOlderResident(hub);
    const joinedLongAgo = await hub.query(
      { agency: silver },
      `mutation ($personId: ID!) {
        registerSilverMembership(input: { personId: $personId, centreName: "センター", joinedOn: "0001-01-01" }) { id }
      }`,
      { personId },
    );
    expect(refusal(joinedLongAgo)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_FAR_IN_THE_PAST',
      argument: 'joinedOn',
    });
    expect(await held(silver, personId, 'silverMembership { id }')).toEqual({ silverMembership: null });

    await mutate(
      hub,
      silver,
      'mutation ($personId: ID!) { registerSilverMembership(input: { personId: $personId, centreName: "センター" }) { id } }',
      { personId },
    );
    const assignedYearsOn = await hub.query(
      { agency: silver },
      `mutation ($personId: ID!, $offerId: ID!) {
        assignWork(input: { personId: $personId, offerId: $offerId, startedOn: "9999-12-31", hoursPerWeek: 1 }) { id }
      }`,
      { personId, offerId: demoId('work-offer:grass-cutting') },
    );
    expect(refusal(assignedYearsOn)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_FAR_IN_THE_FUTURE',
      argument: 'startedOn',
    });
    expect(await held(silver, personId, 'assignments { id }')).toEqual({ assignments: [] });

    await mutate(hub, helloWork, REGISTER_SEEKER, { personId, desiredWork: '清掃' });
    const placedYearsOn = await hub.query(
      { agency: helloWork },
      `mutation ($personId: ID!, $openingId: ID!) {
        recordPlacement(input: { personId: $personId, openingId: $openingId, startedOn: "2999-01-01" }) { id }
      }`,
      { personId, openingId: demoId('job-opening:park-cleaning') },
    );
    expect(refusal(placedYearsOn)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_FAR_IN_THE_FUTURE',
      argument: 'startedOn',
    });
    expect(await held(helloWork, personId, 'jobSeeker { status }')).toEqual({ jobSeeker: { status: 'ACTIVE' } });
  });
});

describe('the eco projects (enroll, withdrawEnrollment, completeEnrollment)', () => {
  const ENROLL = /* GraphQL */ `
    mutation ($input: EnrollInput!) {
      enroll(input: $input) {
        id
      }
    }
  `;
  const WITHDRAW = /* GraphQL */ `
    mutation ($id: ID!) {
      withdrawEnrollment(id: $id) {
        status
      }
    }
  `;
  const enrolments = (personId: string) =>
    held<{ enrollments: { id: string; status: string }[] }>(environment, personId, 'enrollments { id status }');
  const opportunity = (key: string) => demoId(`opportunity:${key}`);

  it("an enrolment is of a person of the opportunity's minimum age (OUTSIDE_AGE_LIMITS), recording nothing", async () => {
    const child = await registerChild(hub);
    const refused = await hub.query({ agency: environment }, ENROLL, {
      input: { personId: child, opportunityId: opportunity('firewood-splitting') },
    });
    expect(refusal(refused)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'OUTSIDE_AGE_LIMITS',
      argument: 'opportunityId',
    });
    expect(await enrolments(child)).toEqual({ enrollments: [] });
    await mutate(hub, environment, ENROLL, {
      input: { personId: child, opportunityId: opportunity('vegetable-harvest') },
    });
  });

  it('enrolling a person already enrolled in the opportunity is refused (ALREADY_ENROLLED), one enrolment stays', async () => {
    const personId = await registerResident(hub);
    const input = { personId, opportunityId: opportunity('vegetable-harvest') };
    await mutate(hub, environment, ENROLL, { input });
    const before = await enrolments(personId);
    const result = await hub.query({ agency: environment }, ENROLL, { input });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_ENROLLED', argument: 'personId' });
    expect(await enrolments(personId)).toEqual(before);
  });

  it('intermediate work beyond the opportunity’s 中間的就労 slots is refused (NO_INTERMEDIATE_WORK_SLOT)', async () => {
    const personId = await registerResident(hub);
    // 店頭受け取りの手伝い has no intermediate-work slot at all.
    const result = await hub.query({ agency: environment }, ENROLL, {
      input: { personId, opportunityId: opportunity('kitchen-pickup'), asIntermediateWork: true },
    });
    expect(refusal(result)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'NO_INTERMEDIATE_WORK_SLOT',
      argument: 'asIntermediateWork',
    });
    expect((await enrolments(personId)).enrollments).toEqual([]);
  });

  it('a full opportunity is refused (OPPORTUNITY_FULL) and enrols no one', async () => {
    const opportunityId = opportunity('biomass-boiler');
    let refused: Awaited<ReturnType<typeof hub.query>> | undefined;
    let personId = '';
    // Places are taken one by one until the next is refused: the seed may already hold some of them.
    for (let attempt = 0; attempt < 10 && !refused; attempt += 1) {
      personId = await registerResident(hub);
      const result = await hub.query({ agency: environment }, ENROLL, { input: { personId, opportunityId } });
      if (result.errors) refused = result;
    }
    expect(refusal(refused!)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'OPPORTUNITY_FULL',
      argument: 'opportunityId',
    });
    expect((await enrolments(personId)).enrollments).toEqual([]);
  });

  it("withdrawing names the enrolment's person in her access log: an answer keyed by a record is logged too", async () => {
    const personId = await registerResident(hub);
    const enrolled = await mutate<{ id: string }>(hub, environment, ENROLL, {
      input: { personId, opportunityId: opportunity('vegetable-harvest') },
    });
    await expectLoggedAsOwn(personId, environment, 'ENVIRONMENT_PARTICIPATION', () =>
      mutate(hub, environment, WITHDRAW, { id: enrolled.id }),
    );
  });

  it('withdrawing an enrolment that is no longer active is refused (ENROLLMENT_NOT_ACTIVE)', async () => {
    const personId = await registerResident(hub);
    const enrolled = await mutate<{ id: string }>(hub, environment, ENROLL, {
      input: { personId, opportunityId: opportunity('vegetable-harvest') },
    });
    await mutate(hub, environment, WITHDRAW, { id: enrolled.id });
    const result = await hub.query({ agency: environment }, WITHDRAW, { id: enrolled.id });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ENROLLMENT_NOT_ACTIVE', argument: 'id' });
    expect((await enrolments(personId)).enrollments).toEqual([{ id: enrolled.id, status: 'WITHDRAWN' }]);
  });

  const COMPLETE = /* GraphQL */ `
    mutation ($id: ID!) {
      completeEnrollment(id: $id) {
        id
        status
      }
    }
  `;

  it('an active enrolment is completed (修了) once: completing or withdrawing it again is refused (ENROLLMENT_NOT_ACTIVE)', async () => {
    const personId = await registerResident(hub);
    const enrolled = await mutate<{ id: string }>(hub, environment, ENROLL, {
      input: { personId, opportunityId: opportunity('vegetable-harvest') },
    });
    expect(await mutate(hub, environment, COMPLETE, { id: enrolled.id })).toEqual({
      id: enrolled.id,
      status: 'COMPLETED',
    });
    for (const again of [COMPLETE, WITHDRAW]) {
      const result = await hub.query({ agency: environment }, again, { id: enrolled.id });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ENROLLMENT_NOT_ACTIVE', argument: 'id' });
    }
    expect((await enrolments(personId)).enrollments).toEqual([{ id: enrolled.id, status: 'COMPLETED' }]);
    // Its place is free again: the same person may enrol anew.
    await mutate(hub, environment, ENROLL, { input: { personId, opportunityId: opportunity('vegetable-harvest') } });
  });

  it('only an environment agency serving the person completes her enrolment: another domain NOT_OWN_DOMAIN, another town NOT_FOUND as for an unknown id', async () => {
    const personId = await registerResident(hub);
    const enrolled = await mutate<{ id: string }>(hub, environment, ENROLL, {
      input: { personId, opportunityId: opportunity('vegetable-harvest') },
    });
    const otherDomain = await hub.query({ agency: silver }, COMPLETE, { id: enrolled.id });
    expect(refusal(otherDomain)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN', argument: undefined });
    const otherTown = await hub.query({ agency: higashiyama.ENVIRONMENT }, COMPLETE, { id: enrolled.id });
    const unknown = await hub.query({ agency: higashiyama.ENVIRONMENT }, COMPLETE, { id: UNKNOWN });
    expect(otherTown).toEqual(unknown);
    expect(refusal(otherTown)).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'id' });
    expect((await enrolments(personId)).enrollments).toEqual([{ id: enrolled.id, status: 'ACTIVE' }]);
  });
});

describe('the silver centre (registerSilverMembership, assignWork, withdrawSilverMembership)', () => {
  const JOIN = /* GraphQL */ `
    mutation ($personId: ID!) {
      registerSilverMembership(input: { personId: $personId, centreName: "みなみ野市シルバー人材センター" }) {
        id
      }
    }
  `;
  const ASSIGN = /* GraphQL */ `
    mutation ($personId: ID!, $offerId: ID!) {
      assignWork(input: { personId: $personId, offerId: $offerId, startedOn: "${SOON}" }) {
        id
      }
    }
  `;
  const member = async () => {
    const personId = await registerOlderResident(hub);
    await mutate(hub, silver, JOIN, { personId });
    return personId;
  };
  const assignments = (personId: string) =>
    held<{ assignments: { offer: { id: string } }[] }>(silver, personId, 'assignments { offer { id } }');

  it('a member is an older person (高年齢者, 55 or over), judged today whatever day she joined: a younger one is refused (NOT_AN_OLDER_PERSON) and made no member', async () => {
    const JOIN_ON = /* GraphQL */ `
      mutation ($personId: ID!, $joinedOn: Date) {
        registerSilverMembership(input: { personId: $personId, centreName: "センター", joinedOn: $joinedOn }) {
          joinedOn
        }
      }
    `;
    const younger = await registerResident(hub, undefined, undefined, bornYearsAgo(50));
    // A day before her birth, a day years ahead, and none: the answer is the same.
    for (const joinedOn of [bornYearsAgo(60), bornYearsAgo(-4), null]) {
      const result = await hub.query({ agency: silver }, JOIN_ON, { personId: younger, joinedOn });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'NOT_AN_OLDER_PERSON', argument: 'personId' });
    }
    expect(await held(silver, younger, 'silverMembership { id }')).toEqual({ silverMembership: null });
    const older = await registerResident(hub, undefined, undefined, bornYearsAgo(60));
    expect(await mutate(hub, silver, JOIN_ON, { personId: older, joinedOn: bornYearsAgo(6) })).toEqual({
      joinedOn: bornYearsAgo(6),
    });
  });

  it('a skill is a name of one line: one with a line break or over 50 characters is refused and makes no one a member', async () => {
    const JOIN_WITH = /* GraphQL */ `
      mutation ($personId: ID!, $skills: [String!]) {
        registerSilverMembership(
          input: { personId: $personId, centreName: "みなみ野市シルバー人材センター", skills: $skills }
        ) {
          id
          skills
        }
      }
    `;
    const personId = await registerOlderResident(hub);
    for (const [skills, reason] of [
      [['草刈り\n運転'], 'INVALID_TEXT'],
      [['草'.repeat(51)], 'INVALID_LENGTH'],
    ] as const) {
      const result = await hub.query({ agency: silver }, JOIN_WITH, { personId, skills });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason, argument: 'skills' });
    }
    expect(await held(silver, personId, 'silverMembership { id }')).toEqual({ silverMembership: null });
    const joined = await mutate<{ skills: string[] }>(hub, silver, JOIN_WITH, {
      personId,
      skills: [' 草刈り ', '', '草刈り'],
    });
    expect(joined.skills).toEqual(['草刈り']);
  });

  it('joining while already an active member is refused (ALREADY_MEMBER), the membership unchanged', async () => {
    const personId = await member();
    const before = await held(silver, personId, 'silverMembership { id joinedOn status }');
    const result = await hub.query({ agency: silver }, JOIN, { personId });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_MEMBER', argument: 'personId' });
    expect(await held(silver, personId, 'silverMembership { id joinedOn status }')).toEqual(before);
  });

  it('assigning a member twice to one offer is refused (ALREADY_ASSIGNED)', async () => {
    const personId = await member();
    const offerId = demoId('work-offer:grass-cutting');
    await mutate(hub, silver, ASSIGN, { personId, offerId });
    const result = await hub.query({ agency: silver }, ASSIGN, { personId, offerId });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_ASSIGNED', argument: 'offerId' });
    expect((await assignments(personId)).assignments).toEqual([{ offer: { id: offerId } }]);
    // Hours out of bounds are named as such, whatever the offer's state: the argument that is wrong.
    const negative = await hub.query(
      { agency: silver },
      /* GraphQL */ `
        mutation ($personId: ID!, $offerId: ID!) {
          assignWork(input: { personId: $personId, offerId: $offerId, startedOn: "${SOON}", hoursPerWeek: -5 }) {
            id
          }
        }
      `,
      { personId, offerId },
    );
    expect(refusal(negative)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'hoursPerWeek' });
  });

  it("a member's work is at most 20 hours a week over all that is assigned at once (HOURS_OVER_LIMIT): an offer that would take it over is refused and assigns nothing", async () => {
    const ASSIGN_HOURS = /* GraphQL */ `
      mutation ($personId: ID!, $offerId: ID!, $hours: Int) {
        assignWork(input: { personId: $personId, offerId: $offerId, startedOn: "${SOON}", hoursPerWeek: $hours }) {
          id
        }
      }
    `;
    const personId = await member();
    const pruning = await mutate<{ id: string }>(hub, silver, ASSIGN, {
      personId,
      offerId: demoId('work-offer:tree-pruning'), // 10 hours
    });
    await mutate(hub, silver, ASSIGN, { personId, offerId: demoId('work-offer:grass-cutting') }); // 8 hours
    const watching = demoId('work-offer:watching-over'); // 4 hours: 22 in all
    const over = await hub.query({ agency: silver }, ASSIGN_HOURS, { personId, offerId: watching });
    expect(refusal(over)).toEqual({ code: 'BAD_USER_INPUT', reason: 'HOURS_OVER_LIMIT', argument: 'hoursPerWeek' });
    expect((await assignments(personId)).assignments).toHaveLength(2);
    // The same offer for the hours left is taken.
    await mutate(hub, silver, ASSIGN_HOURS, { personId, offerId: watching, hours: 2 });
    expect((await assignments(personId)).assignments).toHaveLength(3);

    // An assignment that ends counts no more: one not started yet is ended on its start day (取り消し).
    const END = 'mutation ($id: ID!) { endAssignment(id: $id) { id endedOn startedOn cancelled person { id } } }';
    const ended = await mutate<{ endedOn: string; startedOn: string; person: { id: string } }>(hub, silver, END, {
      id: pruning.id,
    });
    expect(ended).toMatchObject({ endedOn: ended.startedOn, cancelled: true, person: { id: personId } });
    const [entry] = await readAccessLog(hub, personId);
    expect(entry).toMatchObject({ agency: { id: silver }, categories: ['SENIOR_WORK'], basis: 'OWN_DOMAIN' });
    await mutate(hub, silver, ASSIGN, { personId, offerId: demoId('work-offer:vacant-house-patrol') }); // 4 hours
    expect(refusal(await hub.query({ agency: silver }, END, { id: pruning.id }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'ASSIGNMENT_ENDED',
      argument: 'id',
    });
    const future = await hub.query(
      { agency: silver },
      'mutation ($id: ID!) { endAssignment(id: $id, endedOn: "2099-12-31") { id } }',
      { id: pruning.id },
    );
    expect(refusal(future)).toEqual({ code: 'BAD_USER_INPUT', reason: 'IN_THE_FUTURE', argument: 'endedOn' });
    const unknown = await hub.query({ agency: silver }, END, { id: '00000000-0000-4000-8000-000000000000' });
    expect(refusal(unknown)).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });

    // One that has started ends on the day given, never before its start: that is refused, not moved.
    const longServing = await registerOlderResident(hub);
    await mutate(
      hub,
      silver,
      /* GraphQL */ `
        mutation ($personId: ID!) {
          registerSilverMembership(
            input: { personId: $personId, centreName: "みなみ野市シルバー人材センター", joinedOn: "2025-01-01" }
          ) {
            id
          }
        }
      `,
      { personId: longServing },
    );
    const started = await mutate<{ id: string }>(
      hub,
      silver,
      /* GraphQL */ `
        mutation ($personId: ID!, $offerId: ID!) {
          assignWork(input: { personId: $personId, offerId: $offerId, startedOn: "2025-06-01", hoursPerWeek: 1 }) {
            id
          }
        }
      `,
      { personId: longServing, offerId: demoId('work-offer:housework') },
    );
    const END_ON = 'mutation ($id: ID!, $on: Date) { endAssignment(id: $id, endedOn: $on) { endedOn cancelled } }';
    const before = await hub.query({ agency: silver }, END_ON, { id: started.id, on: '1900-01-01' });
    expect(refusal(before)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PERIOD', argument: 'endedOn' });
    expect(await mutate(hub, silver, END_ON, { id: started.id, on: '2025-07-01' })).toEqual({
      endedOn: '2025-07-01',
      cancelled: false,
    });
  });

  it('an assignment called off before it started is counted in no dashboard: it was no work', async () => {
    // In ひがし山町, where no other assignment is recorded: six members on an indoor offer and six on an outdoor
    // one, of the test's own, starting tomorrow, one indoor called off. Both rows are counted, so that neither is
    // withheld beside the other (秘匿処理).
    const offer = async (outdoor: boolean) =>
      (
        await db.sql<{ id: string }[]>`
          insert into seniors_work.work_offer (title, centre_name, hours_per_week, location, outdoor, slots, description)
          values ('試験の業務', 'ひがし山町シルバー人材センター', 2, 'ひがし山町役場', ${outdoor}, 10, '試験')
          returning id`
      )[0]!.id;
    const tomorrow = todayInJapan(new Date(Date.now() + 86_400_000));
    const ids: string[] = [];
    for (const offerId of [await offer(false), await offer(true)]) {
      for (let i = 0; i < 6; i += 1) {
        const personId = await registerResident(
          hub,
          AGENCIES.higashiyamaWelfare.id,
          MUNICIPALITIES.higashiyama.code,
          '1950-04-01',
        );
        await mutate(hub, higashiyama.SENIORS_WORK, JOIN, { personId });
        const assigned = await mutate<{ id: string }>(
          hub,
          higashiyama.SENIORS_WORK,
          /* GraphQL */ `
            mutation ($personId: ID!, $offerId: ID!, $startedOn: Date!) {
              assignWork(input: { personId: $personId, offerId: $offerId, startedOn: $startedOn }) {
                id
              }
            }
          `,
          { personId, offerId, startedOn: tomorrow },
        );
        ids.push(assigned.id);
      }
    }
    await mutate(hub, higashiyama.SENIORS_WORK, 'mutation ($id: ID!) { endAssignment(id: $id) { id } }', {
      id: ids[0],
    });
    // A day on, their start has come, in a month the dashboard counts (tomorrow may be next month's first).
    await db.sql`
      update seniors_work.assignment set started_on = started_on - 1, ended_on = ended_on - 1
      where id = any(${ids}::uuid[])`;
    // Read by the town's Hello Work, which recorded none of them.
    const result = await hub.query<{
      silverPlacementsDashboard: { cells: { row: string; column: string; count: number | null }[] };
    }>({ agency: higashiyama.EMPLOYMENT }, '{ silverPlacementsDashboard { cells { row column count } } }');
    expect(result.errors).toBeUndefined();
    const month = todayInJapan().slice(0, 7);
    const cells = result.data!.silverPlacementsDashboard.cells.filter((cell) => cell.column === month);
    expect(cells).toEqual([
      { row: 'OUTDOOR', column: month, count: 6 },
      { row: 'INDOOR', column: month, count: 5 },
    ]);
  });

  const WITHDRAW = /* GraphQL */ `
    mutation ($personId: ID!) {
      withdrawSilverMembership(input: { personId: $personId }) {
        status
      }
    }
  `;
  const membership = (personId: string) => held(silver, personId, 'silverMembership { id joinedOn status }');

  it('a member leaves (退会) once her work has ended, and only once (ASSIGNMENT_NOT_ENDED, MEMBERSHIP_WITHDRAWN)', async () => {
    const personId = await member();
    const assigned = await mutate<{ id: string }>(hub, silver, ASSIGN, {
      personId,
      offerId: demoId('work-offer:grass-cutting'),
    });
    const before = await membership(personId);
    const working = await hub.query({ agency: silver }, WITHDRAW, { personId });
    expect(refusal(working)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ASSIGNMENT_NOT_ENDED', argument: 'personId' });
    expect(await membership(personId)).toEqual(before);

    await mutate(hub, silver, 'mutation ($id: ID!) { endAssignment(id: $id) { id } }', { id: assigned.id });
    expect(await mutate(hub, silver, WITHDRAW, { personId })).toEqual({ status: 'WITHDRAWN' });
    const again = await hub.query({ agency: silver }, WITHDRAW, { personId });
    expect(refusal(again)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MEMBERSHIP_WITHDRAWN', argument: 'personId' });
    const assignLeft = await hub.query({ agency: silver }, ASSIGN, {
      personId,
      offerId: demoId('work-offer:watching-over'),
    });
    expect(refusal(assignLeft)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'MEMBERSHIP_NOT_ACTIVE',
      argument: 'personId',
    });
    // A former member is re-admitted as before.
    await mutate(hub, silver, JOIN, { personId });
    expect(await membership(personId)).toMatchObject({ silverMembership: { status: 'ACTIVE' } });
  });

  it('a member goes on leave (休会) once her work has ended, and comes back (復帰) as she was: no work meanwhile', async () => {
    const CHANGE = (mutation: string) => /* GraphQL */ `
      mutation ($personId: ID!) {
        ${mutation}(input: { personId: $personId }) {
          status
        }
      }
    `;
    const personId = await member();
    const assigned = await mutate<{ id: string }>(hub, silver, ASSIGN, {
      personId,
      offerId: demoId('work-offer:grass-cutting'),
    });
    const joined = await membership(personId);
    const working = await hub.query({ agency: silver }, CHANGE('suspendSilverMembership'), { personId });
    expect(refusal(working)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ASSIGNMENT_NOT_ENDED', argument: 'personId' });
    const notOnLeave = await hub.query({ agency: silver }, CHANGE('resumeSilverMembership'), { personId });
    expect(refusal(notOnLeave)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'MEMBERSHIP_NOT_SUSPENDED',
      argument: 'personId',
    });
    expect(await membership(personId)).toEqual(joined);

    await mutate(hub, silver, 'mutation ($id: ID!) { endAssignment(id: $id) { id } }', { id: assigned.id });
    expect(await mutate(hub, silver, CHANGE('suspendSilverMembership'), { personId })).toEqual({
      status: 'SUSPENDED',
    });
    const again = await hub.query({ agency: silver }, CHANGE('suspendSilverMembership'), { personId });
    expect(refusal(again)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MEMBERSHIP_NOT_ACTIVE', argument: 'personId' });
    const onLeave = await hub.query({ agency: silver }, ASSIGN, {
      personId,
      offerId: demoId('work-offer:watching-over'),
    });
    expect(refusal(onLeave)).toEqual({ code: 'BAD_USER_INPUT', reason: 'MEMBERSHIP_NOT_ACTIVE', argument: 'personId' });
    expect(await mutate(hub, silver, CHANGE('resumeSilverMembership'), { personId })).toEqual({ status: 'ACTIVE' });
    expect(await membership(personId)).toEqual(joined);
    await mutate(hub, silver, ASSIGN, { personId, offerId: demoId('work-offer:watching-over') });
  });

  it('only a silver centre serving the member records her leaving: another domain NOT_OWN_DOMAIN, another town OUTSIDE_JURISDICTION', async () => {
    const personId = await member();
    const before = await membership(personId);
    const otherDomain = await hub.query({ agency: environment }, WITHDRAW, { personId });
    expect(refusal(otherDomain)).toEqual({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN', argument: undefined });
    const otherTown = await hub.query({ agency: higashiyama.SENIORS_WORK }, WITHDRAW, { personId });
    expect(refusal(otherTown)).toMatchObject({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    expect(await membership(personId)).toEqual(before);
  });

  it('an offer with no free slot is refused (OFFER_FULL) and assigns no one', async () => {
    const offerId = demoId('work-offer:shoji-repair');
    let refused: Awaited<ReturnType<typeof hub.query>> | undefined;
    let personId = '';
    for (let attempt = 0; attempt < 10 && !refused; attempt += 1) {
      personId = await member();
      const result = await hub.query({ agency: silver }, ASSIGN, { personId, offerId });
      if (result.errors) refused = result;
    }
    expect(refusal(refused!)).toEqual({ code: 'BAD_USER_INPUT', reason: 'OFFER_FULL', argument: 'offerId' });
    expect((await assignments(personId)).assignments).toEqual([]);
  });
});
