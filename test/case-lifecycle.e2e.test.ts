// 多機関協働: a case moves along the support flow (受付 → アセスメント → プラン作成 → 支援実施 → モニタリング →
// 終結, with 再プラン and 中断), its plan is re-drafted in versions, and reviews and closure record who took part.

import { describe, expect, it } from 'vitest';
import { AGENCIES, todayInJapan } from '@hub/platform';
import { queryAs, registerAgency, useTestHub } from './support/hub.js';
import { readAccessLog } from './support/bases.js';
import {
  ADD_ISSUES,
  ADVANCE,
  advance,
  caseAt,
  CLOSE,
  COLLABORATOR,
  DRAFT,
  draftPlan,
  mutate,
  refusal,
  registerResident,
  REVIEW,
  reviewOn,
  ROLES,
} from './support/welfare.js';

const hub = useTestHub();

const KOKORO = AGENCIES.minaminoKokoro.id;
const HOUKATSU = AGENCIES.minaminoHoukatsu.id;
const HELLO_WORK = AGENCIES.helloWorkMinamino.id;
const HIGASHIYAMA = AGENCIES.higashiyamaWelfare.id;

const STATUSES = ['INTAKE', 'ASSESSMENT', 'PLANNING', 'ACTIVE', 'MONITORING', 'CLOSED', 'REPLAN', 'SUSPENDED'];

/** What advanceCase allows from each status, written out from the support flow (closure has its own mutations). */
const LEGAL: Record<string, readonly string[]> = {
  INTAKE: ['ASSESSMENT', 'SUSPENDED'],
  ASSESSMENT: ['PLANNING', 'SUSPENDED'],
  PLANNING: ['ACTIVE', 'SUSPENDED'],
  ACTIVE: ['MONITORING', 'SUSPENDED'],
  MONITORING: ['REPLAN', 'SUSPENDED'],
  REPLAN: ['PLANNING', 'ACTIVE', 'SUSPENDED'],
  SUSPENDED: ['INTAKE'], // a case suspended from INTAKE resumes at INTAKE only
  CLOSED: [],
};

interface CaseView {
  id: string;
  status: string;
  suspendedFrom: string | null;
  closedAt: string | null;
  plan: { version: number; goals: string[]; agencyId: string; roles: { agencyId: string; issues: string[] }[] } | null;
  planHistory: { version: number; goals: string[] }[];
  reviews: { planVersion: number; outcome: string; participantAgencyIds: string[]; agencyId: string }[];
  closure: { reason: string; participantAgencyIds: string[]; agencyId: string } | null;
  issues: string[];
  events: { from: string | null; to: string; agencyId: string; note: string | null; addedIssues: string[] }[];
}

const CASES = /* GraphQL */ `
  query Cases($id: ID!) {
    person(id: $id) {
      cases {
        id
        status
        issues
        suspendedFrom
        closedAt
        plan {
          version
          goals
          agencyId
          roles {
            agencyId
            issues
          }
        }
        planHistory {
          version
          goals
        }
        reviews {
          planVersion
          outcome
          participantAgencyIds
          agencyId
        }
        closure {
          reason
          participantAgencyIds
          agencyId
        }
        events {
          from
          to
          agencyId
          note
          addedIssues
        }
      }
    }
  }
`;

async function read(personId: string): Promise<CaseView> {
  const result = await hub.query<{ person: { cases: CaseView[] } }>({ agency: COLLABORATOR }, CASES, { id: personId });
  expect(result.errors).toBeUndefined();
  return result.data!.person.cases[0]!;
}

const path = (view: CaseView) => view.events.map((e) => e.to);

describe('the support flow of a case', () => {
  it('a new case starts in INTAKE, its opening the first entry of its history', async () => {
    const { personId } = await caseAt(hub, 'INTAKE');
    const view = await read(personId);
    expect(view.status).toBe('INTAKE');
    expect(view.events).toEqual([{ from: null, to: 'INTAKE', agencyId: COLLABORATOR, note: null, addedIssues: [] }]);
  });

  it('follows intake → assessment → planning → active → monitoring, each step in the history with its note', async () => {
    const { personId, caseId } = await caseAt(hub, 'INTAKE');
    await advance(hub, caseId, 'ASSESSMENT', '課題の整理を開始');
    await advance(hub, caseId, 'PLANNING');
    await draftPlan(hub, caseId);
    await advance(hub, caseId, 'ACTIVE');
    await advance(hub, caseId, 'MONITORING');
    const view = await read(personId);
    expect(view.status).toBe('MONITORING');
    expect(view.events.map((e) => [e.from, e.to])).toEqual([
      [null, 'INTAKE'],
      ['INTAKE', 'ASSESSMENT'],
      ['ASSESSMENT', 'PLANNING'],
      ['PLANNING', 'ACTIVE'],
      ['ACTIVE', 'MONITORING'],
    ]);
    expect(view.events[1]!.note).toBe('課題の整理を開始');
  });

  it('a re-plan goes monitoring → replan → planning → active and adds a plan version, keeping the earlier one', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    await advance(hub, caseId, 'REPLAN');
    await draftPlan(hub, caseId, ['住まいを確保する']);
    await advance(hub, caseId, 'PLANNING');
    await advance(hub, caseId, 'ACTIVE');
    const view = await read(personId);
    expect(view.status).toBe('ACTIVE');
    expect(view.plan).toMatchObject({ version: 2, goals: ['住まいを確保する'], agencyId: COLLABORATOR });
    expect(view.planHistory).toEqual([
      { version: 1, goals: ['生活を立て直す'] },
      { version: 2, goals: ['住まいを確保する'] },
    ]);
    expect(path(view).slice(-4)).toEqual(['MONITORING', 'REPLAN', 'PLANNING', 'ACTIVE']);
  });

  it('a re-plan may return straight to active support (replan → active)', async () => {
    const { personId, caseId } = await caseAt(hub, 'REPLAN');
    await draftPlan(hub, caseId, ['就労に向けた準備を始める']);
    await advance(hub, caseId, 'ACTIVE');
    const view = await read(personId);
    expect(view.status).toBe('ACTIVE');
    expect(view.planHistory.map((p) => p.version)).toEqual([1, 2]);
  });

  it('a re-plan returns to active support only with the plan drafted again (NO_SUPPORT_PLAN), through planning or not', async () => {
    const { personId, caseId } = await caseAt(hub, 'REPLAN');
    const resume = () => hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to: 'ACTIVE' } });
    expect(refusal(await resume())).toEqual({ code: 'BAD_USER_INPUT', reason: 'NO_SUPPORT_PLAN', argument: 'to' });
    await advance(hub, caseId, 'PLANNING');
    expect(refusal(await resume())).toEqual({ code: 'BAD_USER_INPUT', reason: 'NO_SUPPORT_PLAN', argument: 'to' });
    expect((await read(personId)).status).toBe('PLANNING');
    await draftPlan(hub, caseId, ['生活リズムを整える']);
    expect((await resume()).errors).toBeUndefined();
  });

  it('a re-plan suspended after its plan was drafted again resumes and returns to active support on that plan', async () => {
    const { personId, caseId } = await caseAt(hub, 'REPLAN');
    await draftPlan(hub, caseId, ['通院を続けながら生活を整える']);
    await advance(hub, caseId, 'SUSPENDED', '本人の入院のため中断');
    await advance(hub, caseId, 'REPLAN');
    await advance(hub, caseId, 'ACTIVE');
    const view = await read(personId);
    expect(view.status).toBe('ACTIVE');
    expect(view.planHistory.map((p) => p.version)).toEqual([1, 2]);
  });

  it('every open status may be suspended, and a suspended case resumes only at the status it left', async () => {
    for (const status of ['INTAKE', 'ASSESSMENT', 'PLANNING', 'ACTIVE', 'MONITORING', 'REPLAN']) {
      const { personId, caseId } = await caseAt(hub, status);
      await advance(hub, caseId, 'SUSPENDED', '本人の入院のため中断');
      expect(await read(personId)).toMatchObject({ status: 'SUSPENDED', suspendedFrom: status });

      const elsewhere = status === 'INTAKE' ? 'ASSESSMENT' : 'INTAKE';
      const wrong = await hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to: elsewhere } });
      expect(refusal(wrong)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ILLEGAL_TRANSITION' });

      await advance(hub, caseId, status);
      const resumed = await read(personId);
      expect(resumed).toMatchObject({ status, suspendedFrom: null });
      expect(path(resumed).slice(-2)).toEqual(['SUSPENDED', status]);
    }
  });

  it('refuses every transition outside the flow with ILLEGAL_TRANSITION naming from and to, changing nothing', async () => {
    for (const from of STATUSES) {
      const { personId, caseId } = await caseAt(hub, from);
      const before = await read(personId);
      for (const to of STATUSES) {
        if (LEGAL[from]!.includes(to) || (from === 'MONITORING' && to === 'CLOSED')) continue;
        const result = await hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to } });
        expect(refusal(result), `${from} → ${to}`).toMatchObject({
          code: 'BAD_USER_INPUT',
          reason: 'ILLEGAL_TRANSITION',
        });
        expect(result.errors![0]!.message).toContain(`from ${from} to ${to}`);
      }
      expect(await read(personId)).toEqual(before);
    }
  });

  it('a closed case is final: no status follows CLOSED', async () => {
    const { personId, caseId } = await caseAt(hub, 'CLOSED');
    for (const to of STATUSES) {
      const result = await hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to } });
      expect(refusal(result).reason).toBe('ILLEGAL_TRANSITION');
    }
    const again = await hub.query({ agency: COLLABORATOR }, CLOSE, {
      input: { caseId, participantAgencyIds: [COLLABORATOR], reason: '再度の終結' },
    });
    expect(refusal(again).reason).toBe('ILLEGAL_TRANSITION');
    expect((await read(personId)).closure!.reason).toBe('支援が軌道に乗った');
  });

  it('advanceCase does not close a case: closure records who took part (CLOSURE_NEEDS_PARTICIPANTS)', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    const before = await read(personId);
    const result = await hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to: 'CLOSED' } });
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CLOSURE_NEEDS_PARTICIPANTS' });
    expect(await read(personId)).toEqual(before);
  });

  it('support does not start without a support plan (NO_SUPPORT_PLAN)', async () => {
    const { personId, caseId } = await caseAt(hub, 'PLANNING');
    const result = await hub.query({ agency: COLLABORATOR }, ADVANCE, { input: { caseId, to: 'ACTIVE' } });
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_SUPPORT_PLAN' });
    expect((await read(personId)).status).toBe('PLANNING');
  });

  it('an unknown case is NOT_FOUND', async () => {
    const result = await hub.query({ agency: COLLABORATOR }, ADVANCE, {
      input: { caseId: '00000000-0000-4000-8000-000000000000', to: 'ASSESSMENT' },
    });
    expect(refusal(result)).toMatchObject({ code: 'NOT_FOUND', argument: 'caseId' });
  });

  it('an issue named twice is one issue: one person cannot fill a dashboard cell alone', async () => {
    const personId = await registerResident(hub, COLLABORATOR);
    const opened = await mutate<{ issues: string[] }>(
      hub,
      COLLABORATOR,
      'mutation ($personId: ID!) { openCase(input: { personId: $personId, issues: [DEBT, DEBT, DEBT, DEBT, DEBT] }) { issues } }',
      { personId },
    );
    expect(opened.issues).toEqual(['DEBT']);
  });

  it('a case of no issue is refused as empty (EMPTY), and nothing is opened', async () => {
    const personId = await registerResident(hub, COLLABORATOR);
    const result = await hub.query(
      { agency: COLLABORATOR },
      'mutation ($personId: ID!) { openCase(input: { personId: $personId, issues: [] }) { id } }',
      { personId },
    );
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'issues', reason: 'EMPTY' });
    const cases = await hub.query<{ person: { cases: unknown[] } }>(
      { agency: COLLABORATOR },
      'query ($personId: ID!) { person(id: $personId) { cases { id } } }',
      { personId },
    );
    expect(cases.data!.person.cases).toEqual([]);
  });

  it('a personId that is no id is refused as input (BAD_USER_INPUT), and the welfare system hears nothing', async () => {
    hub.forget();
    const result = await hub.query(
      { agency: COLLABORATOR },
      `mutation { openCase(input: { personId: "xyz", issues: [LIVING] }) { id } }`,
    );
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'personId', reason: 'INVALID_ID' });
    expect(hub.received('welfare')).toHaveLength(0);
  });
});

describe('one case a person (事例は一人に一つ)', () => {
  const OPEN = 'mutation ($personId: ID!) { openCase(input: { personId: $personId, issues: [LIVING] }) { id } }';
  const casesOf = async (personId: string) => {
    const read = await hub.query<{ person: { cases: { id: string; status: string }[] } }>(
      { agency: COLLABORATOR },
      'query ($personId: ID!) { person(id: $personId) { cases { id status } } }',
      { personId },
    );
    expect(read.errors).toBeUndefined();
    return read.data!.person.cases;
  };

  it('a second case while hers is not closed (suspended too) is CASE_ALREADY_OPEN on personId, naming no one, and nothing is opened', async () => {
    const { personId, caseId } = await caseAt(hub, 'SUSPENDED');
    for (const agency of [COLLABORATOR, AGENCIES.minaminoWelfare.id]) {
      const result = await hub.query({ agency }, OPEN, { personId });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', argument: 'personId', reason: 'CASE_ALREADY_OPEN' });
      expect(JSON.stringify(result.errors)).not.toContain(personId);
      expect(JSON.stringify(result.errors)).not.toContain(caseId);
    }
    expect(await casesOf(personId)).toEqual([{ id: caseId, status: 'SUSPENDED' }]);
  });

  it('once her case is closed, a new one opens', async () => {
    const { personId, caseId } = await caseAt(hub, 'CLOSED');
    const opened = await mutate<{ id: string }>(hub, COLLABORATOR, OPEN, { personId });
    expect(await casesOf(personId)).toEqual([
      { id: caseId, status: 'CLOSED' },
      { id: opened.id, status: 'INTAKE' },
    ]);
  });

  it('agencies opening her case at the same instant open one; the others are CASE_ALREADY_OPEN', async () => {
    for (let round = 0; round < 5; round += 1) {
      const personId = await registerResident(hub);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          hub.query({ agency: i % 2 ? AGENCIES.minaminoWelfare.id : COLLABORATOR }, OPEN, { personId }),
        ),
      );
      expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
      expect(answers.flatMap((answer) => answer.errors ?? []).map((error) => error.extensions?.['reason'])).toEqual(
        Array.from({ length: 7 }, () => 'CASE_ALREADY_OPEN'),
      );
      expect(await casesOf(personId)).toHaveLength(1);
    }
  });
});

describe('the support plan', () => {
  it('assigns parts to agencies: the collaborator LIVING and ECONOMIC, the counselling window MENTAL_HEALTH (別添2 6(1))', async () => {
    const { personId, caseId } = await caseAt(hub, 'PLANNING');
    const plan = await mutate<{ version: number; roles: unknown[] }>(hub, COLLABORATOR, DRAFT, {
      input: { caseId, goals: ['生活を立て直す'], roles: ROLES, reviewOn: reviewOn() },
    });
    expect(plan.version).toBe(1);
    expect((await read(personId)).plan!.roles).toEqual([
      { agencyId: COLLABORATOR, issues: ['LIVING', 'ECONOMIC'] },
      { agencyId: KOKORO, issues: ['MENTAL_HEALTH'] },
    ]);
  });

  it('is drafted only in PLANNING or REPLAN (NOT_IN_PLANNING), and a refusal drafts nothing', async () => {
    for (const status of ['INTAKE', 'ASSESSMENT', 'ACTIVE', 'MONITORING', 'SUSPENDED', 'CLOSED']) {
      const { personId, caseId } = await caseAt(hub, status);
      const before = await read(personId);
      const result = await hub.query({ agency: COLLABORATOR }, DRAFT, {
        input: { caseId, goals: ['目標'], roles: ROLES },
      });
      expect(refusal(result), status).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_IN_PLANNING' });
      expect(await read(personId)).toEqual(before);
    }
  });

  it('is reviewed from the day it is drafted to a year on: a day before is INVALID_PERIOD, a day beyond TOO_FAR_IN_THE_FUTURE, and nothing is drafted', async () => {
    const today = todayInJapan();
    const [year, month, date] = today.split('-').map(Number) as [number, number, number];
    const dayOf = (y: number, d: number) => new Date(Date.UTC(y, month - 1, d)).toISOString().slice(0, 10);
    const refused: [string, string][] = [
      ['0001-01-01', 'INVALID_PERIOD'],
      ['1900-01-01', 'INVALID_PERIOD'],
      [dayOf(year, date - 1), 'INVALID_PERIOD'],
      [dayOf(year + 1, date + 1), 'TOO_FAR_IN_THE_FUTURE'],
      ['9999-12-31', 'TOO_FAR_IN_THE_FUTURE'],
    ];
    const { personId, caseId } = await caseAt(hub, 'PLANNING');
    const draft = (day: string) =>
      hub.query<{ draftSupportPlan: { reviewOn: string } }>(
        { agency: COLLABORATOR },
        'mutation ($input: DraftSupportPlanInput!) { draftSupportPlan(input: $input) { reviewOn } }',
        { input: { caseId, goals: ['目標'], roles: ROLES, reviewOn: day } },
      );
    for (const [day, reason] of refused) {
      expect(refusal(await draft(day)), day).toEqual({
        code: 'BAD_USER_INPUT',
        reason,
        argument: 'reviewOn',
      });
    }
    expect((await read(personId)).planHistory).toEqual([]);
    // Today, and the same day a year on (none after a 29 February): the bounds are held, not passed.
    const yearOn = today.endsWith('-02-29') ? [] : [`${year + 1}${today.slice(4)}`];
    for (const day of [today, ...yearOn]) {
      const drafted = await draft(day);
      expect(drafted.errors, day).toBeUndefined();
      expect(drafted.data!.draftSupportPlan.reviewOn).toBe(day);
    }
  });

  it('names agencies of the register: an unknown agency is refused (UNKNOWN_AGENCY) and nothing is drafted', async () => {
    const { personId, caseId } = await caseAt(hub, 'PLANNING');
    const result = await hub.query({ agency: COLLABORATOR }, DRAFT, {
      input: { caseId, goals: ['目標'], roles: [...ROLES, { agencyId: 'no-such-agency', role: '見守り', issues: [] }] },
    });
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_AGENCY', argument: 'roles' });
    expect((await read(personId)).planHistory).toEqual([]);
  });

  it("the register is the hub's: an agency registered later takes a part, a switched-off one is refused (AGENCY_DEACTIVATED)", async () => {
    const newcomer = 'minamino-newcenter';
    await registerAgency(hub, {
      id: newcomer,
      name: 'みなみ野市 新しい相談センター',
      domain: 'WELFARE',
      kind: '相談支援',
      municipalityCode: '990001',
    });
    const { caseId } = await caseAt(hub, 'PLANNING');
    const withNewcomer = [...ROLES, { agencyId: newcomer, role: '居場所づくり', issues: [] }];
    const drafted = await hub.query({ agency: COLLABORATOR }, DRAFT, {
      input: { caseId, goals: ['目標'], roles: withNewcomer },
    });
    expect(drafted.errors).toBeUndefined();

    const off = await queryAs(
      hub,
      COLLABORATOR,
      'mutation ($id: ID!) { deactivateAgency(id: $id) { id } }',
      { id: newcomer },
      ['hub-admin'],
    );
    expect(off.errors).toBeUndefined();
    const monitoring = await caseAt(hub, 'MONITORING');
    const review = await hub.query({ agency: COLLABORATOR }, REVIEW, {
      input: { caseId: monitoring.caseId, participantAgencyIds: [COLLABORATOR, newcomer], outcome: 'CONTINUE' },
    });
    expect(refusal(review)).toMatchObject({ reason: 'AGENCY_DEACTIVATED', argument: 'participantAgencyIds' });
  });
});

describe('plan reviews and closure', () => {
  const participants = [COLLABORATOR, KOKORO, HOUKATSU];

  it('a review records who took part; CONTINUE keeps the case in monitoring', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    const review = await mutate(hub, COLLABORATOR, REVIEW, {
      input: { caseId, participantAgencyIds: participants, outcome: 'CONTINUE', note: '支援を継続' },
    });
    expect(review).toEqual({
      planVersion: 1,
      outcome: 'CONTINUE',
      participantAgencyIds: participants,
      agencyId: COLLABORATOR,
      note: '支援を継続',
    });
    const view = await read(personId);
    expect(view.status).toBe('MONITORING');
    expect(view.reviews).toEqual([
      { planVersion: 1, outcome: 'CONTINUE', participantAgencyIds: participants, agencyId: COLLABORATOR },
    ]);
  });

  it('a review with outcome REPLAN moves the case to REPLAN, and the re-plan reviews the new version next', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    await mutate(hub, COLLABORATOR, REVIEW, {
      input: { caseId, participantAgencyIds: participants, outcome: 'REPLAN' },
    });
    expect((await read(personId)).status).toBe('REPLAN');
    await draftPlan(hub, caseId, ['新しい目標']);
    await advance(hub, caseId, 'ACTIVE');
    await advance(hub, caseId, 'MONITORING');
    await mutate(hub, COLLABORATOR, REVIEW, {
      input: { caseId, participantAgencyIds: [COLLABORATOR], outcome: 'CONTINUE' },
    });
    expect((await read(personId)).reviews.map((r) => [r.planVersion, r.outcome])).toEqual([
      [1, 'REPLAN'],
      [2, 'CONTINUE'],
    ]);
  });

  it('a review with outcome SUSPEND suspends the case, to resume at monitoring', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    await mutate(hub, COLLABORATOR, REVIEW, {
      input: { caseId, participantAgencyIds: participants, outcome: 'SUSPEND' },
    });
    expect(await read(personId)).toMatchObject({ status: 'SUSPENDED', suspendedFrom: 'MONITORING' });
  });

  it('a review with outcome CLOSE closes the case with the review’s participants', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    await mutate(hub, COLLABORATOR, REVIEW, {
      input: { caseId, participantAgencyIds: participants, outcome: 'CLOSE', note: '課題が整理され終結' },
    });
    const view = await read(personId);
    expect(view.status).toBe('CLOSED');
    expect(view.closedAt).not.toBeNull();
    expect(view.closure).toEqual({
      reason: '課題が整理され終結',
      participantAgencyIds: participants,
      agencyId: COLLABORATOR,
    });
  });

  it('a review outside monitoring is refused (NOT_IN_MONITORING) and records nothing', async () => {
    const { personId, caseId } = await caseAt(hub, 'ACTIVE');
    const result = await hub.query({ agency: COLLABORATOR }, REVIEW, {
      input: { caseId, participantAgencyIds: participants, outcome: 'CLOSE' },
    });
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_IN_MONITORING' });
    const view = await read(personId);
    expect(view.reviews).toEqual([]);
    expect(view.status).toBe('ACTIVE');
  });

  it('closeCase records the agencies that took part in the closing evaluation', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    const closed = await mutate<{ status: string }>(hub, COLLABORATOR, CLOSE, {
      input: { caseId, participantAgencyIds: [...participants, KOKORO], reason: '生活が安定した' },
    });
    expect(closed.status).toBe('CLOSED');
    const view = await read(personId);
    expect(view.closure).toEqual({
      reason: '生活が安定した',
      participantAgencyIds: participants,
      agencyId: COLLABORATOR,
    });
    expect(view.events.at(-1)).toEqual({
      from: 'MONITORING',
      to: 'CLOSED',
      agencyId: COLLABORATOR,
      note: '生活が安定した',
      addedIssues: [],
    });
  });

  it('closing outside monitoring is an ILLEGAL_TRANSITION naming the case (closeCase has no `to`) and changes nothing', async () => {
    const { personId, caseId } = await caseAt(hub, 'ACTIVE');
    const before = await read(personId);
    const result = await hub.query({ agency: COLLABORATOR }, CLOSE, {
      input: { caseId, participantAgencyIds: participants, reason: '終結' },
    });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ILLEGAL_TRANSITION', argument: 'caseId' });
    expect(await read(personId)).toEqual(before);
  });

  it('participants are agencies of the register (UNKNOWN_AGENCY), and a refusal records nothing', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    const before = await read(personId);
    const review = await hub.query({ agency: COLLABORATOR }, REVIEW, {
      input: { caseId, participantAgencyIds: [COLLABORATOR, 'no-such-agency'], outcome: 'CLOSE' },
    });
    expect(refusal(review)).toMatchObject({ reason: 'UNKNOWN_AGENCY', argument: 'participantAgencyIds' });
    const close = await hub.query({ agency: COLLABORATOR }, CLOSE, {
      input: { caseId, participantAgencyIds: ['no-such-agency'], reason: '終結' },
    });
    expect(refusal(close)).toMatchObject({ reason: 'UNKNOWN_AGENCY', argument: 'participantAgencyIds' });
    const none = await hub.query({ agency: COLLABORATOR }, CLOSE, {
      input: { caseId, participantAgencyIds: [], reason: '終結' },
    });
    expect(refusal(none)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'participantAgencyIds' });
    expect(await read(personId)).toEqual(before);
  });
});

describe('how many a plan, a review and a closure name', () => {
  const many = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);
  const outOfRange = (argument: string) => ({ code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', argument });

  it('a plan has 1 to 20 goals and 1 to 30 roles (OUT_OF_RANGE), and nothing is drafted', async () => {
    const { personId, caseId } = await caseAt(hub, 'PLANNING');
    const draft = (goals: string[], roles: typeof ROLES) =>
      hub.query({ agency: COLLABORATOR }, DRAFT, { input: { caseId, goals, roles, reviewOn: reviewOn() } });
    expect(refusal(await draft(many(21, '目標'), ROLES))).toEqual(outOfRange('goals'));
    expect(refusal(await draft([], ROLES))).toEqual(outOfRange('goals'));
    expect(refusal(await draft(['目標'], many(31, ROLES[0]!)))).toEqual(outOfRange('roles'));
    expect(refusal(await draft(['目標'], []))).toEqual(outOfRange('roles'));
    expect((await read(personId)).planHistory).toEqual([]);
  });

  it('a review and a closure name 1 to 30 participating agencies (OUT_OF_RANGE), and record nothing', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    const before = await read(personId);
    const review = await hub.query({ agency: COLLABORATOR }, REVIEW, {
      input: { caseId, participantAgencyIds: many(31, COLLABORATOR), outcome: 'CONTINUE' },
    });
    expect(refusal(review)).toEqual(outOfRange('participantAgencyIds'));
    for (const participantAgencyIds of [many(31, COLLABORATOR), []]) {
      const close = await hub.query({ agency: COLLABORATOR }, CLOSE, {
        input: { caseId, participantAgencyIds, reason: '終結' },
      });
      expect(refusal(close), `${participantAgencyIds.length}`).toEqual(outOfRange('participantAgencyIds'));
    }
    expect(await read(personId)).toEqual(before);
  });
});

describe('issues found after the case was opened (課題の追加)', () => {
  const add = (caseId: string, issues: string[], note?: string) =>
    hub.query<{ addCaseIssues: { id: string; status: string; issues: string[] } }>(
      { agency: COLLABORATOR },
      ADD_ISSUES,
      {
        input: { caseId, issues, note },
      },
    );

  it('adds each new issue once, keeping those the case has, and the history records the addition with its note', async () => {
    const { personId, caseId } = await caseAt(hub, 'ACTIVE');
    const result = await add(caseId, ['HOUSING', 'DEBT', 'HOUSING', 'LIVING'], '家賃の滞納が判明');
    expect(result.errors).toBeUndefined();
    expect(result.data!.addCaseIssues).toEqual({
      id: caseId,
      status: 'ACTIVE',
      issues: ['LIVING', 'ECONOMIC', 'MENTAL_HEALTH', 'HOUSING', 'DEBT'],
    });
    const view = await read(personId);
    expect(view.issues).toEqual(['LIVING', 'ECONOMIC', 'MENTAL_HEALTH', 'HOUSING', 'DEBT']);
    expect(view.status).toBe('ACTIVE');
    expect(view.events.at(-1)).toEqual({
      from: 'ACTIVE',
      to: 'ACTIVE',
      agencyId: COLLABORATOR,
      note: '家賃の滞納が判明',
      addedIssues: ['HOUSING', 'DEBT'],
    });
  });

  it('issues the case has already change nothing and add nothing to its history', async () => {
    const { personId, caseId } = await caseAt(hub, 'SUSPENDED');
    const before = await read(personId);
    const result = await add(caseId, ['ECONOMIC', 'LIVING'], '再確認');
    expect(result.errors).toBeUndefined();
    expect(result.data!.addCaseIssues.issues).toEqual(['LIVING', 'ECONOMIC', 'MENTAL_HEALTH']);
    expect(await read(personId)).toEqual(before);
  });

  it('an addition during a re-plan is no re-plan: support returns to active on the plan drafted again', async () => {
    const { personId, caseId } = await caseAt(hub, 'REPLAN');
    await draftPlan(hub, caseId, ['住まいを確保する']);
    expect((await add(caseId, ['HOUSING'])).errors).toBeUndefined();
    await advance(hub, caseId, 'ACTIVE');
    expect((await read(personId)).status).toBe('ACTIVE');
  });

  it('what it answers about the person is the welfare agency’s own read, in her access log', async () => {
    const { personId, caseId } = await caseAt(hub, 'ASSESSMENT');
    const before = (await readAccessLog(hub, personId)).length;
    expect((await add(caseId, ['ISOLATION'])).errors).toBeUndefined();
    const log = await readAccessLog(hub, personId);
    expect(log.length).toBeGreaterThan(before);
    expect(log[0]).toMatchObject({
      agency: { id: COLLABORATOR },
      categories: ['WELFARE_CASE'],
      allowed: true,
      basis: 'OWN_DOMAIN',
    });
  });

  it('a closed case takes no issue (CASE_CLOSED, naming the case) and changes nothing', async () => {
    const { personId, caseId } = await caseAt(hub, 'CLOSED');
    const before = await read(personId);
    const result = await add(caseId, ['HOUSING'], '新たな課題');
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'CASE_CLOSED', argument: 'caseId' });
    expect(await read(personId)).toEqual(before);
  });

  it('no issue is refused as empty (EMPTY), and nothing changes', async () => {
    const { personId, caseId } = await caseAt(hub, 'INTAKE');
    const before = await read(personId);
    const result = await add(caseId, []);
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'EMPTY', argument: 'issues' });
    expect(await read(personId)).toEqual(before);
  });

  it('a note is at most 2000 characters (INVALID_LENGTH), and nothing changes', async () => {
    const { personId, caseId } = await caseAt(hub, 'INTAKE');
    const before = await read(personId);
    const result = await add(caseId, ['HOUSING'], 'あ'.repeat(2001));
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_LENGTH', argument: 'note' });
    expect(await read(personId)).toEqual(before);
  });
});

describe('who may change a case', () => {
  it('an agency of another domain gets NOT_OWN_DOMAIN for every case mutation, and nothing changes', async () => {
    const { personId, caseId } = await caseAt(hub, 'MONITORING');
    const before = await read(personId);
    const attempts: [string, Record<string, unknown>][] = [
      [ADVANCE, { input: { caseId, to: 'SUSPENDED' } }],
      [DRAFT, { input: { caseId, goals: ['目標'], roles: ROLES } }],
      [REVIEW, { input: { caseId, participantAgencyIds: [KOKORO], outcome: 'CLOSE' } }],
      [CLOSE, { input: { caseId, participantAgencyIds: [KOKORO], reason: '終結' } }],
      [ADD_ISSUES, { input: { caseId, issues: ['HOUSING'] } }],
    ];
    for (const agency of [KOKORO, HELLO_WORK]) {
      for (const [mutation, variables] of attempts) {
        const result = await hub.query({ agency }, mutation, variables);
        expect(refusal(result)).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN' });
      }
    }
    expect(await read(personId)).toEqual(before);
  });

  it('a welfare agency not serving the person’s municipality is answered NOT_FOUND as for an unknown case, and nothing changes', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const planning = await caseAt(hub, 'PLANNING');
    const monitoring = await caseAt(hub, 'MONITORING');
    const attempts: [string, string, (caseId: string) => Record<string, unknown>][] = [
      ['advanceCase', ADVANCE, (caseId) => ({ input: { caseId, to: 'SUSPENDED' } })],
      ['draftSupportPlan', DRAFT, (caseId) => ({ input: { caseId, goals: ['目標'], roles: ROLES } })],
      [
        'reviewSupportPlan',
        REVIEW,
        (caseId) => ({ input: { caseId, participantAgencyIds: [HIGASHIYAMA], outcome: 'CLOSE' } }),
      ],
      ['closeCase', CLOSE, (caseId) => ({ input: { caseId, participantAgencyIds: [HIGASHIYAMA], reason: '終結' } })],
      ['addCaseIssues', ADD_ISSUES, (caseId) => ({ input: { caseId, issues: ['HOUSING'] } })],
    ];
    const before = [await read(planning.personId), await read(monitoring.personId)];
    for (const [name, mutation, variables] of attempts) {
      const { caseId } = ['advanceCase', 'draftSupportPlan', 'addCaseIssues'].includes(name) ? planning : monitoring;
      const result = await hub.query({ agency: HIGASHIYAMA }, mutation, variables(caseId));
      const missing = await hub.query({ agency: HIGASHIYAMA }, mutation, variables(unknown));
      expect(refusal(result), name).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'caseId' });
      expect(result.errors![0]!.message, name).toBe(missing.errors![0]!.message);
      expect(result.data?.[name as keyof typeof result.data] ?? null, name).toBeNull();
    }
    expect([await read(planning.personId), await read(monitoring.personId)]).toEqual(before);
  });

  it('any welfare agency may move a case, and the history names which one did', async () => {
    const { personId, caseId } = await caseAt(hub, 'INTAKE');
    await mutate(hub, HOUKATSU, ADVANCE, { input: { caseId, to: 'ASSESSMENT' } });
    expect((await read(personId)).events.at(-1)).toMatchObject({ to: 'ASSESSMENT', agencyId: HOUKATSU });
  });
});
