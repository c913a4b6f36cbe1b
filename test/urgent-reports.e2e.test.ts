// Urgent reports (別添3): any agency files a child-abuse or DV danger report to the CHILD_DV agency it names
// and gets a receipt only; the receiving agency works its own queue and triages its own reports.

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { readAccessLog } from './support/bases.js';
import { useTestHub, type GraphQLResponse } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const childGuidance = AGENCIES.midoriChildGuidance.id;
const childSupport = AGENCIES.minaminoChildSupport.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const kokoro = AGENCIES.minaminoKokoro.id;

const child = residentId('tanaka-baby');
const victim = residentId('suzuki-mother');

const FILE = /* GraphQL */ `
  mutation ($input: RecordAbuseReportInput!) {
    recordAbuseReport(input: $input) {
      receiptNumber
      receivedAt
      receivingAgencyId
      status
    }
  }
`;
interface Receipt {
  receiptNumber: string;
  receivedAt: string;
  receivingAgencyId: string;
  status: string;
}

const QUEUE = /* GraphQL */ `
  query ($status: UrgentReportStatus) {
    urgentReports(status: $status) {
      id
      receiptNumber
      kind
      urgency
      status
      reporterAgencyId
      triageNote
      person {
        id
      }
    }
  }
`;
interface QueueItem {
  id: string;
  receiptNumber: string;
  kind: string;
  urgency: string;
  status: string;
  reporterAgencyId: string;
  triageNote: string | null;
  person: { id: string };
}

const TRIAGE = /* GraphQL */ `
  mutation ($input: TriageAbuseReportInput!) {
    triageAbuseReport(input: $input) {
      id
      status
      triageNote
    }
  }
`;

async function file(
  agency: string,
  input: { personId: string; kind: string; urgency: string; receivingAgencyId: string; summary?: string },
): Promise<GraphQLResponse<{ recordAbuseReport: Receipt | null }>> {
  return hub.query<{ recordAbuseReport: Receipt | null }>({ agency }, FILE, { input });
}

async function filed(agency: string, input: Parameters<typeof file>[1]): Promise<Receipt> {
  const result = await file(agency, input);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.recordAbuseReport!;
}

async function queue(agency: string, status?: string): Promise<QueueItem[]> {
  const result = await hub.query<{ urgentReports: QueueItem[] }>({ agency }, QUEUE, status ? { status } : {});
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.urgentReports;
}

const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.map((e) => e.extensions?.['code']);

/** A report about a resident of ひがし山町, filed to みなみ野市's centre, which serves みなみ野市 only. */
async function reportOutsideReceiversJurisdiction(): Promise<{ personId: string; receipt: Receipt }> {
  const personId = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, '990002');
  const receipt = await filed(helloWork, {
    personId,
    kind: 'NEGLECT',
    urgency: 'IMMEDIATE',
    receivingAgencyId: childSupport,
  });
  return { personId, receipt };
}

describe('filing an urgent report', () => {
  it('any agency files one without consent and gets back a receipt, nothing about the case', async () => {
    const result = await file(helloWork, {
      personId: child,
      kind: 'NEGLECT',
      urgency: 'PROMPT',
      receivingAgencyId: childSupport,
      summary: '面談中に子の身なりの不衛生が続いていると聞いた',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordAbuseReport).toEqual({
      receiptNumber: expect.stringMatching(/^R-\d{8}$/),
      receivedAt: expect.any(String),
      receivingAgencyId: childSupport,
      status: 'RECEIVED',
    });
    expect(JSON.stringify(result)).not.toContain(child);
  });

  it('receipt numbers are drawn at random: one after the other, they do not count the reports filed between', async () => {
    const report = { personId: child, kind: 'NEGLECT', urgency: 'PROMPT', receivingAgencyId: childSupport };
    const numbers: number[] = [];
    for (let i = 0; i < 3; i += 1) numbers.push(Number((await filed(helloWork, report)).receiptNumber.slice(2)));
    const steps = numbers.slice(1).map((n, i) => Math.abs(n - numbers[i]!));
    expect(steps.every((step) => step === 1)).toBe(false);
    expect(new Set(numbers).size).toBe(3);
  });

  it('the receipt offers no way to the person: selecting the report through it is not in the schema', async () => {
    const result = await hub.query(
      { agency: helloWork },
      /* GraphQL */ `
        mutation {
          recordAbuseReport(input: { personId: "${child}", kind: NEGLECT, urgency: ROUTINE, receivingAgencyId: "${childSupport}" }) {
            receiptNumber
            person { abuseReports { summary } }
          }
        }
      `,
    );
    expect(codeOf(result)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(hub.received('child-dv')).toHaveLength(0);
  });

  it('a report to an agency that is not CHILD_DV is refused (RECEIVER_NOT_CHILD_DV) and nothing is sent', async () => {
    for (const receivingAgencyId of [kokoro, 'no-such-agency']) {
      const result = await file(silver, { personId: child, kind: 'PHYSICAL', urgency: 'IMMEDIATE', receivingAgencyId });
      expect(result.data?.recordAbuseReport ?? null).toBeNull();
      expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
        ['BAD_USER_INPUT', 'RECEIVER_NOT_CHILD_DV'],
      ]);
    }
    expect(hub.received('child-dv')).toHaveLength(0);
  });
});

describe("the receiving agency's queue", () => {
  it('lists the reports addressed to it, most urgent first, then oldest first', async () => {
    const routine = await filed(helloWork, {
      personId: child,
      kind: 'NEGLECT',
      urgency: 'ROUTINE',
      receivingAgencyId: childGuidance,
    });
    const immediate = await filed(silver, {
      personId: child,
      kind: 'PHYSICAL',
      urgency: 'IMMEDIATE',
      receivingAgencyId: childGuidance,
    });
    const prompt = await filed(kokoro, {
      personId: child,
      kind: 'PSYCHOLOGICAL',
      urgency: 'PROMPT',
      receivingAgencyId: childGuidance,
    });
    const later = await filed(helloWork, {
      personId: child,
      kind: 'SEXUAL',
      urgency: 'IMMEDIATE',
      receivingAgencyId: childGuidance,
    });
    const mine = new Set([routine, immediate, prompt, later].map((r) => r.receiptNumber));
    const listed = (await queue(childGuidance, 'RECEIVED')).filter((r) => mine.has(r.receiptNumber));
    expect(listed.map((r) => r.receiptNumber)).toEqual([
      immediate.receiptNumber,
      later.receiptNumber,
      prompt.receiptNumber,
      routine.receiptNumber,
    ]);
    expect(listed[0]).toMatchObject({ kind: 'PHYSICAL', reporterAgencyId: silver, person: { id: child } });
  });

  it('another CHILD_DV agency does not see reports addressed elsewhere', async () => {
    const receipt = await filed(helloWork, {
      personId: child,
      kind: 'NEGLECT',
      urgency: 'ROUTINE',
      receivingAgencyId: childGuidance,
    });
    expect((await queue(childSupport)).map((r) => r.receiptNumber)).not.toContain(receipt.receiptNumber);
    expect((await queue(childGuidance)).map((r) => r.receiptNumber)).toContain(receipt.receiptNumber);
  });

  it('whether a report is filed does not depend on where the person lives: the agency it names receives it', async () => {
    // A reporter with no basis must learn nothing of where a person lives (a DV victim who fled) from
    // whether its report is taken: the agency it names receives it, and passes it on.
    const { receipt } = await reportOutsideReceiversJurisdiction();
    const unknown = await file(helloWork, {
      personId: '00000000-0000-4000-8000-000000000000',
      kind: 'NEGLECT',
      urgency: 'IMMEDIATE',
      receivingAgencyId: childSupport,
    });
    expect(unknown.errors).toBeUndefined();
    expect((await queue(childSupport)).map((r) => r.receiptNumber)).toContain(receipt.receiptNumber);
  });

  it('a child/DV agency files about a person outside its own jurisdiction like any reporter: the duty binds it too', async () => {
    // ひがし山町's DV centre (serving ひがし山町 only) reports a child of みなみ野市 to the centre there.
    const receipt = await filed(AGENCIES.higashiyamaDv.id, {
      personId: child,
      kind: 'NEGLECT',
      urgency: 'PROMPT',
      receivingAgencyId: childGuidance,
    });
    expect(receipt.receiptNumber).toEqual(expect.any(String));
    expect((await queue(childGuidance)).map((r) => r.receiptNumber)).toContain(receipt.receiptNumber);
  });

  it('an agency of another domain is refused the queue at the field (FORBIDDEN NOT_OWN_DOMAIN, no person named), answered an empty list beside the rest, whatever it selects, and child-dv hears nothing', async () => {
    await filed(helloWork, { personId: child, kind: 'NEGLECT', urgency: 'PROMPT', receivingAgencyId: childGuidance });
    const environment = AGENCIES.minaminoEnvironment.id;
    for (const [agency, query] of [
      [helloWork, QUEUE],
      [environment, '{ urgentReports { kind } }'],
      [silver, '{ urgentReports { kind } }'],
      [silver, '{ urgentReports { id } }'],
      [environment, '{ queue: urgentReports(status: RECEIVED) { id receiptNumber } }'],
    ] as const) {
      hub.forget();
      const result = await hub.query<{ urgentReports: unknown[] | null }>({ agency }, query);
      const key = query.includes('queue:') ? 'queue' : 'urgentReports';
      expect(
        result.errors?.map((e) => ({
          code: e.extensions?.['code'],
          reason: e.extensions?.['reason'],
          personId: e.extensions?.['personId'],
          category: e.extensions?.['category'],
          path: e.path,
        })),
        `${agency}: ${query}`,
      ).toEqual([
        { code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN', personId: undefined, category: undefined, path: [key] },
      ]);
      // A denied list resolves to the items the caller may read, none here, and the rest is delivered.
      expect(result.data).toEqual({ [key]: [] });
      expect(hub.received('child-dv')).toEqual([]);
    }
    // Asked beside what it may read, that is answered.
    hub.forget();
    const beside = await hub.query<{ agencies: unknown[]; urgentReports: unknown[] }>(
      { agency: silver },
      '{ agencies { id } urgentReports { id } }',
    );
    expect(beside.data!.urgentReports).toEqual([]);
    expect(beside.data!.agencies.length).toBeGreaterThan(0);
  });
});

describe('triage', () => {
  const newReport = async () => {
    const receipt = await filed(helloWork, {
      personId: child,
      kind: 'NEGLECT',
      urgency: 'PROMPT',
      receivingAgencyId: childGuidance,
    });
    return (await queue(childGuidance)).find((r) => r.receiptNumber === receipt.receiptNumber)!;
  };

  it('the receiving agency acknowledges, investigates and closes its report; the queue follows', async () => {
    const report = await newReport();
    for (const status of ['ACKNOWLEDGED', 'INVESTIGATING', 'CLOSED']) {
      const result = await hub.query<{ triageAbuseReport: { status: string; triageNote: string } }>(
        { agency: childGuidance },
        TRIAGE,
        { input: { reportId: report.id, status, note: `${status}: 安全確認の記録` } },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.triageAbuseReport).toMatchObject({ status, triageNote: `${status}: 安全確認の記録` });
      expect((await queue(childGuidance, status)).map((r) => r.id)).toContain(report.id);
      expect((await queue(childGuidance, 'RECEIVED')).map((r) => r.id)).not.toContain(report.id);
    }
  });

  it('keeps the first response: triagedAt is the first triage’s time (初期対応, 48時間以内の安全確認), updatedAt the last’s', async () => {
    const report = await newReport();
    const TIMES = /* GraphQL */ `
      mutation ($input: TriageAbuseReportInput!) {
        triageAbuseReport(input: $input) {
          status
          triagedAt
          updatedAt
        }
      }
    `;
    type Times = { status: string; triagedAt: string; updatedAt: string };
    const answers: Times[] = [];
    for (const status of ['ACKNOWLEDGED', 'INVESTIGATING', 'INVESTIGATING', 'CLOSED']) {
      const result = await hub.query<{ triageAbuseReport: Times }>({ agency: childGuidance }, TIMES, {
        input: { reportId: report.id, status, note: `${status}: 安全確認` },
      });
      expect(result.errors).toBeUndefined();
      answers.push(result.data!.triageAbuseReport);
    }
    const first = answers[0]!;
    expect(first.updatedAt).toBe(first.triagedAt);
    expect(answers.map((a) => a.triagedAt)).toEqual(answers.map(() => first.triagedAt));
    const updates = answers.map((a) => Date.parse(a.updatedAt));
    expect(updates).toEqual([...updates].sort((a, b) => a - b));
    expect(updates.at(-1)).toBeGreaterThan(Date.parse(first.triagedAt));

    // A report not yet looked at has neither.
    const fresh = await newReport();
    const read = await hub.query<{
      urgentReports: { id: string; triagedAt: string | null; updatedAt: string | null }[];
    }>({ agency: childGuidance }, '{ urgentReports(status: RECEIVED) { id triagedAt updatedAt } }');
    expect(read.errors).toBeUndefined();
    expect(read.data!.urgentReports.find((r) => r.id === fresh.id)).toEqual({
      id: fresh.id,
      triagedAt: null,
      updatedAt: null,
    });
  });

  it('a report about a person the receiving agency does not serve is its own to triage, as in its queue: answered, not withheld', async () => {
    const { personId, receipt } = await reportOutsideReceiversJurisdiction();
    const report = (await queue(childSupport)).find((r) => r.receiptNumber === receipt.receiptNumber)!;
    const result = await hub.query<{ triageAbuseReport: { id: string; status: string; triageNote: string } | null }>(
      { agency: childSupport },
      TRIAGE,
      { input: { reportId: report.id, status: 'ACKNOWLEDGED', note: '管轄の児童相談所へ移送' } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.triageAbuseReport).toEqual({
      id: report.id,
      status: 'ACKNOWLEDGED',
      triageNote: '管轄の児童相談所へ移送',
    });
    const logged = await readAccessLog(hub, personId);
    expect(logged).toContainEqual(
      expect.objectContaining({ agency: { id: childSupport }, allowed: true, basis: 'OWN_DOMAIN' }),
    );
    expect(logged.filter((e) => e.agency.id === childSupport && !e.allowed)).toEqual([]);
  });

  it('a closed report stays closed (BAD_USER_INPUT REPORT_CLOSED)', async () => {
    const report = await newReport();
    await hub.query({ agency: childGuidance }, TRIAGE, { input: { reportId: report.id, status: 'CLOSED' } });
    const result = await hub.query({ agency: childGuidance }, TRIAGE, {
      input: { reportId: report.id, status: 'ACKNOWLEDGED' },
    });
    expect(result.errors?.map((e) => e.extensions?.['reason'])).toEqual(['REPORT_CLOSED']);
    expect((await queue(childGuidance, 'CLOSED')).map((r) => r.id)).toContain(report.id);
  });

  it('another CHILD_DV agency triaging a report not addressed to it gets NOT_FOUND, and nothing changes', async () => {
    const report = await newReport();
    const result = await hub.query({ agency: childSupport }, TRIAGE, {
      input: { reportId: report.id, status: 'CLOSED', note: '他機関による更新' },
    });
    expect(codeOf(result)).toEqual(['NOT_FOUND']);
    // The same answer as for an id that does not exist: nothing says the report exists.
    const missing = await hub.query({ agency: childSupport }, TRIAGE, {
      input: { reportId: '00000000-0000-4000-8000-000000000000', status: 'CLOSED' },
    });
    expect(missing.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual(
      result.errors?.map((e) => [e.message, e.extensions?.['code']]),
    );
    const after = (await queue(childGuidance)).find((r) => r.id === report.id)!;
    expect(after).toMatchObject({ status: 'RECEIVED', triageNote: null });
  });

  it('an agency of another domain may not triage (FORBIDDEN NOT_OWN_DOMAIN) and nothing is sent', async () => {
    const report = await newReport();
    hub.forget();
    const result = await hub.query({ agency: helloWork }, TRIAGE, {
      input: { reportId: report.id, status: 'CLOSED' },
    });
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['FORBIDDEN', 'NOT_OWN_DOMAIN'],
    ]);
    expect(hub.received('child-dv')).toHaveLength(0);
    expect((await queue(childGuidance)).find((r) => r.id === report.id)!.status).toBe('RECEIVED');
  });
});

describe('DV danger reports', () => {
  it('go to the DV centre’s queue and stay out of the person’s child-welfare records', async () => {
    const receipt = await filed(kokoro, {
      personId: victim,
      kind: 'DV_DANGER',
      urgency: 'IMMEDIATE',
      receivingAgencyId: dvCentre,
      summary: '相談中に配偶者からの暴力で生命の危険があると訴えた',
    });
    const listed = (await queue(dvCentre)).find((r) => r.receiptNumber === receipt.receiptNumber);
    expect(listed).toMatchObject({ kind: 'DV_DANGER', urgency: 'IMMEDIATE', person: { id: victim } });

    const reports = await hub.query<{ person: { abuseReports: { kind: string }[] } }>(
      { agency: dvCentre },
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            abuseReports {
              kind
            }
          }
        }
      `,
      { id: victim },
    );
    expect(reports.errors).toBeUndefined();
    expect(reports.data!.person.abuseReports.map((r) => r.kind)).not.toContain('DV_DANGER');
  });
});

describe('reading the queue is audited', () => {
  it('a queue read is in each reported person’s access log as the receiving agency’s OWN_DOMAIN read, and the answer carries no extra keys', async () => {
    await filed(silver, { personId: child, kind: 'NEGLECT', urgency: 'PROMPT', receivingAgencyId: childGuidance });
    const result = await hub.query<{ urgentReports: Record<string, unknown>[] }>(
      { agency: childGuidance },
      `{ urgentReports { kind urgency } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.urgentReports.length).toBeGreaterThan(0);
    for (const item of result.data!.urgentReports) expect(Object.keys(item).sort()).toEqual(['kind', 'urgency']);

    expect(await readAccessLog(hub, child)).toContainEqual(
      expect.objectContaining({ agency: { id: childGuidance }, basis: 'OWN_DOMAIN', categories: ['CHILD_WELFARE'] }),
    );
  });
});
