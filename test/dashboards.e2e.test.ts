// Dashboards: aggregates for dashboard developers, never a person, with small-cell suppression that a
// second query cannot undo by subtraction (issue "cross-agency work", item 8; docs/dashboards.md).

import { describe, expect, it } from 'vitest';
import { AGENCIES, demoId, MUNICIPALITIES, residentId, SUBGRAPH_NAMES } from '@hub/platform';
import { convene, declareEmergency, grantConsent } from './support/bases.js';
import { registerAgency, useTestHub } from './support/hub.js';
import { mutate, openCase, registerResident } from './support/welfare.js';
import type { Role } from '@hub/gateway/roles';

const hub = useTestHub();

const selfReliance = AGENCIES.minaminoSelfReliance.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const takahashi = residentId('takahashi');

interface Count {
  count: number | null;
  suppressed: boolean;
}
interface Table {
  rowDimension: string;
  columnDimension: string;
  cells: ({ row: string; column: string } & Count)[];
  rowTotals: ({ key: string } & Count)[];
  columnTotals: ({ key: string } & Count)[];
  total: Count;
}

const TABLE = `rowDimension columnDimension cells { row column count suppressed } rowTotals { key count suppressed } columnTotals { key count suppressed } total { count suppressed }`;

const DASHBOARDS = [
  'caseDashboard',
  'referralFlowDashboard',
  'meetingsHeldDashboard',
  'silverPlacementsDashboard',
  'diversePlacementsDashboard',
  'ecoEnrollmentsDashboard',
  'urgentReportsDashboard',
] as const;

/** The dashboards of the agency subgraphs (the hub's own two count by its register). */
const AGENCY_DASHBOARDS = DASHBOARDS.filter((d) => d !== 'referralFlowDashboard' && d !== 'meetingsHeldDashboard');

/** One dashboard's table as an agency's dashboard token reads it. */
async function dashboardOf(agency: string, dashboard: string): Promise<Table> {
  const authorization = `Bearer ${await hub.token(agency, { roles: ['dashboard'] })}`;
  const result = await hub.query<Record<string, Table>>({ authorization }, `{ ${dashboard} { ${TABLE} } }`);
  expect(result.errors).toBeUndefined();
  return result.data![dashboard]!;
}

/** A table's counts by place (`ROW COLUMN`, `ROW total`, `total COLUMN`, `total`): null where suppressed. */
const countsByPlace = (table: Table): Map<string, number | null> =>
  new Map([
    ...table.cells.map((c) => [`${c.row} ${c.column}`, c.count] as const),
    ...table.rowTotals.map((c) => [`${c.key} total`, c.count] as const),
    ...table.columnTotals.map((c) => [`total ${c.key}`, c.count] as const),
    ['total', table.total.count] as const,
  ]);

async function asDashboard<T>(query: string, roles: Role[] = []) {
  const authorization = `Bearer ${await hub.token(AGENCIES.minaminoWelfare.id, { roles: ['dashboard', ...roles] })}`;
  return hub.query<T>({ authorization }, query);
}

/** What a table publishes of everything it counts: the largest published count (null when nothing is). */
function largestPublished(table: Table): number | null {
  const counts = [...table.cells, ...table.rowTotals, ...table.columnTotals, table.total].flatMap((v) =>
    v.count === null ? [] : [v.count],
  );
  return counts.length ? Math.max(...counts) : null;
}

/**
 * Every relation a reader could subtract along: each row and column with its total, the totals with the
 * grand total, and every cell with the grand total.
 */
function relations(table: Table): Count[][] {
  const rows = table.rowTotals.map((r) => [...table.cells.filter((c) => c.row === r.key), r]);
  const columns = table.columnTotals.map((c) => [...table.cells.filter((cell) => cell.column === c.key), c]);
  return [
    ...rows,
    ...columns,
    [...table.rowTotals, table.total],
    [...table.columnTotals, table.total],
    [...table.cells, table.total],
  ];
}

describe('dashboards', () => {
  it('a dashboard token reads every dashboard in one request, and no count below 5 is published', async () => {
    const result = await asDashboard<Record<string, Table>>(
      `{ ${DASHBOARDS.map((d) => `${d} { ${TABLE} }`).join(' ')} }`,
    );
    expect(result.errors).toBeUndefined();
    for (const name of DASHBOARDS) {
      const table = result.data![name]!;
      expect(table.cells.length).toBe(table.rowTotals.length * table.columnTotals.length);
      for (const value of [...table.cells, ...table.rowTotals, ...table.columnTotals, table.total]) {
        if (value.suppressed) expect(value.count).toBeNull();
        else expect(value.count).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it('the case table counts by every issue the notices list, 家事, 教育・進学, 人間関係 and 近隣トラブル among them', async () => {
    const result = await asDashboard<{ caseDashboard: Table }>(`{ caseDashboard { ${TABLE} } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.caseDashboard.columnTotals.map((c) => c.key)).toEqual(
      expect.arrayContaining(['CARE', 'HOUSEWORK', 'EDUCATION', 'RELATIONSHIPS', 'NEIGHBOUR_TROUBLE']),
    );
  });

  it('suppression leaves no relation with a single hole, nor one whose holes add up to less than 5 beside a published total', async () => {
    const consentId = await grantConsent(hub, selfReliance, {
      personId: takahashi,
      recipientAgencyIds: [helloWork, silver],
      categories: ['WELFARE_CASE'],
    });
    const refer = (to: string) =>
      hub.query(
        { agency: selfReliance },
        `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
        { input: { personId: takahashi, toAgencyId: to, categories: ['WELFARE_CASE'], reason: '就労の相談' } },
      );
    for (let i = 0; i < 6; i += 1) expect((await refer(helloWork)).errors).toBeUndefined();
    for (let i = 0; i < 2; i += 1) expect((await refer(silver)).errors).toBeUndefined();
    expect(consentId).toBeTruthy();

    const result = await asDashboard<{ referralFlowDashboard: Table }>(`{ referralFlowDashboard { ${TABLE} } }`);
    const table = result.data!.referralFlowDashboard;
    const cell = (row: string, column: string) => table.cells.find((c) => c.row === row && c.column === column)!;
    expect(cell('WELFARE', 'EMPLOYMENT').suppressed).toBe(false);
    expect(cell('WELFARE', 'EMPLOYMENT').count).toBeGreaterThanOrEqual(6);
    expect(cell('WELFARE', 'SENIORS_WORK')).toMatchObject({ count: null, suppressed: true });
    for (const relation of relations(table)) {
      const holes = relation.filter((v) => v.suppressed).length;
      expect(holes === 0 || holes >= 2).toBe(true);
      // What a reader subtracts: a published total less the published counts beside it.
      const total = relation.at(-1)!;
      const members = relation.slice(0, -1);
      if (total.count !== null && members.some((m) => m.suppressed)) {
        expect(total.count - members.reduce((n, m) => n + (m.count ?? 0), 0)).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it('a published cell bounds its withheld row total from below: with the published totals it pins no other row', async () => {
    // Five residents of ひがし山町 whose consents name both of the town's agencies and the child guidance
    // centre. Referrals between them: WELFARE→CHILD_DV 5, CHILD_DV→WELFARE 3, CHILD_DV→CHILD_DV 2.
    const higashiyamaWelfare = AGENCIES.higashiyamaWelfare.id;
    const higashiyamaDv = AGENCIES.higashiyamaDv.id;
    const jisou = AGENCIES.midoriChildGuidance.id;
    const residents: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const personId = await registerResident(hub, higashiyamaWelfare, MUNICIPALITIES.higashiyama.code);
      await grantConsent(hub, higashiyamaWelfare, {
        personId,
        recipientAgencyIds: [higashiyamaDv, jisou, higashiyamaWelfare],
        categories: ['WELFARE_CASE'],
        confirmBy: false,
      });
      residents.push(personId);
    }
    const refer = async (from: string, to: string, personId: string) => {
      const referred = await hub.query(
        { agency: from },
        `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
        { input: { personId, toAgencyId: to, categories: ['WELFARE_CASE'], reason: '支援のつなぎ' } },
      );
      expect(referred.errors).toBeUndefined();
    };
    for (const personId of residents) await refer(higashiyamaWelfare, higashiyamaDv, personId);
    for (const personId of residents.slice(0, 3)) await refer(higashiyamaDv, higashiyamaWelfare, personId);
    for (const personId of residents.slice(3)) await refer(higashiyamaDv, jisou, personId);

    // Read by an office of the town that sent and received none of them.
    await registerAgency(hub, {
      id: 'higashiyama-kankyo-reader',
      name: 'ひがし山町 環境課',
      domain: 'ENVIRONMENT',
      kind: '環境部局',
      municipalityCode: MUNICIPALITIES.higashiyama.code,
    });
    const table = await dashboardOf('higashiyama-kankyo-reader', 'referralFlowDashboard');
    // Ten referrals: the table still tells something.
    expect(largestPublished(table)).toBeGreaterThanOrEqual(5);

    // A published cell is a lower bound on its row's and its column's total. Wherever the grand total is
    // published, what it leaves for the withheld totals, less those lower bounds, must not be a small count:
    // 10 − 5 (CHILD_DV's row) − 5 (WELFARE's row, at least its published cell) would pin the rest at 0.
    const lowerBound = (key: string, axis: 'row' | 'column') =>
      Math.max(0, ...table.cells.filter((c) => c[axis] === key).map((c) => c.count ?? 0));
    for (const [margins, axis] of [
      [table.rowTotals, 'row'],
      [table.columnTotals, 'column'],
    ] as const) {
      const withheld = margins.filter((m) => m.suppressed);
      if (table.total.count === null || withheld.length === 0) continue;
      const published = margins.reduce((n, m) => n + (m.count ?? 0), 0);
      const atLeast = withheld.reduce((n, m) => n + lowerBound(m.key, axis), 0);
      expect({ axis, left: table.total.count - published - atLeast }).toEqual({
        axis,
        left: expect.toSatisfy((left: number) => left >= 5),
      });
    }
  });

  it("the hub's dashboards count only the persons and meetings of the caller's jurisdiction", async () => {
    // Five support meetings over residents of みなみ野市: a count its own dashboard may publish.
    for (const key of ['kato', 'yoshida', 'yamaguchi', 'matsumoto', 'inoue'] as const) {
      await convene(hub, AGENCIES.minaminoWelfare.id, {
        kind: 'SUPPORT_MEETING',
        subjectPersonIds: [residentId(key)],
        sharedCategories: ['WELFARE_CASE'],
      });
    }
    const held = async (agency: string) => {
      // The largest count published of support meetings, in a month or as the row's total (0: none).
      const table = await dashboardOf(agency, 'meetingsHeldDashboard');
      const row = [
        ...table.cells.filter((c) => c.row === 'SUPPORT_MEETING'),
        ...table.rowTotals.filter((r) => r.key === 'SUPPORT_MEETING'),
      ];
      return Math.max(0, ...row.flatMap((v) => (v.count === null ? [] : [v.count])));
    };
    // Read by an agency of the town that convened none of them and sits in none (to the convener they are
    // its own, which it could subtract: withheld).
    expect(await held(silver)).toBeGreaterThanOrEqual(5);
    expect(await held(AGENCIES.minaminoWelfare.id)).toBe(0);
    // ひがし山町's office counts its own town's meetings: none, so nothing is published.
    expect(await held(AGENCIES.higashiyamaWelfare.id)).toBe(0);
  });

  it("every agency subgraph's dashboard counts only the records of persons in the caller's jurisdiction", async () => {
    // What each dashboard publishes, as whole tables, and the largest count it publishes (null: none).
    const tables = async (agency: string) => {
      const authorization = `Bearer ${await hub.token(agency, { roles: ['dashboard'] })}`;
      const result = await hub.query<Record<string, Table>>(
        { authorization },
        `{ ${AGENCY_DASHBOARDS.map((d) => `${d} { ${TABLE} }`).join(' ')} }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data!;
    };
    const largest = async (agency: string) =>
      Object.fromEntries(Object.entries(await tables(agency)).map(([name, table]) => [name, largestPublished(table)]));
    const minaminoBefore = await tables(AGENCIES.minaminoWelfare.id);
    // Every demo record is about a resident of みなみ野市: ひがし山町's office has nothing to count.
    for (const published of Object.values(await largest(AGENCIES.higashiyamaWelfare.id))) {
      expect(published).toBeNull();
    }

    // Five residents of ひがし山町: a case opened for each by the town's office (its own domain) and an
    // urgent report filed on each to the child guidance centre, which serves both towns (another domain).
    for (let i = 0; i < 5; i += 1) {
      const personId = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, MUNICIPALITIES.higashiyama.code);
      await openCase(hub, personId, AGENCIES.higashiyamaWelfare.id);
      await mutate(
        hub,
        AGENCIES.higashiyamaWelfare.id,
        `mutation ($input: RecordAbuseReportInput!) { recordAbuseReport(input: $input) { receiptNumber } }`,
        { input: { personId, kind: 'NEGLECT', urgency: 'PROMPT', receivingAgencyId: AGENCIES.midoriChildGuidance.id } },
      );
    }

    // Five each, all of one kind this month: the counts are published, the totals beside the zeros not; to
    // the town's DV window, which made none of these records (to their maker they are its own: withheld).
    const higashiyama = await largest(AGENCIES.higashiyamaDv.id);
    expect(higashiyama['caseDashboard']).toBe(5);
    expect(higashiyama['urgentReportsDashboard']).toBe(5);
    // みなみ野市's figures are untouched by ひがし山町's records.
    expect(await tables(AGENCIES.minaminoWelfare.id)).toEqual(minaminoBefore);
  });

  it("an agency's own records never tip a count into publication: padded with its reports, the others' small count stays withheld", async () => {
    const total = async (agency: string) => {
      const result = await hub.query<{ urgentReportsDashboard: Table }>(
        { agency },
        `{ urgentReportsDashboard { ${TABLE} } }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.urgentReportsDashboard;
    };
    // The demo's reports of みなみ野市, fewer than five: suppressed for everyone.
    expect((await total(silver)).total).toEqual({ count: null, suppressed: true });
    // The silver centre, which holds no child-welfare data of anyone, files three reports of its own.
    for (let i = 0; i < 3; i += 1) {
      await mutate(
        hub,
        silver,
        `mutation ($input: RecordAbuseReportInput!) { recordAbuseReport(input: $input) { receiptNumber } }`,
        {
          input: {
            personId: takahashi,
            kind: 'SEXUAL',
            urgency: 'ROUTINE',
            receivingAgencyId: AGENCIES.minaminoChildSupport.id,
          },
        },
      );
    }
    // Five now, three of them its own: published, it would tell the silver centre the others are two.
    const padded = await total(silver);
    expect(padded.total).toEqual({ count: null, suppressed: true });
    expect(padded.rowTotals.find((t) => t.key === 'SEXUAL')).toMatchObject({ count: null, suppressed: true });
    // An agency that filed and received none of them reads the same five published.
    expect((await total(selfReliance)).total).toEqual({ count: 5, suppressed: false });
  });

  it("an opportunity's enrolments are published from five the reader did not record itself", async () => {
    const environment = AGENCIES.minaminoEnvironment.id;
    const opportunityId = demoId('opportunity:kitchen-cooking');
    const enrolled = async (agency: string) => {
      const result = await hub.query<{ participationOpportunities: { id: string; enrolledCount: number | null }[] }>(
        { agency },
        `{ participationOpportunities(first: 200) { id enrolledCount } }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.participationOpportunities.find((o) => o.id === opportunityId)!.enrolledCount;
    };
    expect(await enrolled(silver)).toBeNull();
    // Five residents enrolled by the town's environment office, beside the demo's one.
    for (let i = 0; i < 5; i += 1) {
      const personId = await registerResident(hub);
      await mutate(hub, environment, `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`, {
        input: { personId, opportunityId },
      });
    }
    expect(await enrolled(silver)).toBe(6);
    // The office recorded every one of them: to it the count would tell nothing but the count of others'.
    expect(await enrolled(environment)).toBeNull();
  });

  it("counts each dashboard once per request, however many aliases ask for it: a subgraph's and the hub's statements are those of one", async () => {
    const statementsOf = async (aliases: number) => {
      const query = `{ ${Array.from(
        { length: aliases },
        (_, i) => `a${i}: caseDashboard { ${TABLE} } b${i}: referralFlowDashboard { ${TABLE} }`,
      ).join(' ')} }`;
      const before = hub.statements();
      const result = await asDashboard<Record<string, Table>>(query);
      expect(result.errors).toBeUndefined();
      expect(new Set(Object.values(result.data!).map((table) => JSON.stringify(table))).size).toBe(2);
      const after = hub.statements();
      return { welfare: after['welfare']! - before['welfare']!, gateway: after['gateway']! - before['gateway']! };
    };
    const once = await statementsOf(1);
    expect(once.welfare).toBeGreaterThan(0);
    expect(await statementsOf(30)).toEqual(once);
  });

  it('a dashboard token is refused any person (AGGREGATES_ONLY) and no subgraph is asked', async () => {
    hub.forget();
    for (const query of [
      `{ person(id: "${takahashi}") { id } }`,
      `{ ...F } fragment F on Query { people(ids: ["${takahashi}"]) { id } }`,
      `{ ... on Query { referralsSent { id } } }`,
      `{ agencies { id } person(id: "${takahashi}") { name } }`,
      `{ participationMatches(personId: "${takahashi}") { notConsidered } }`,
      `{ accessLog(personId: "${takahashi}") { edges { cursor } } }`,
    ]) {
      const result = await asDashboard(query);
      expect(result.data ?? null).toBeNull();
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'AGGREGATES_ONLY' });
      // It says what a dashboard token reads instead.
      expect(result.errors![0]!.message).toMatch(/not \w.*: ask for the \*Dashboard fields .*docs\/dashboards\.md/);
    }
    for (const name of SUBGRAPH_NAMES) expect(hub.received(name)).toEqual([]);
  });

  it('a dashboard token is refused any record that names a person, whatever other roles it carries', async () => {
    await declareEmergency(hub, AGENCIES.minaminoWelfare.id, takahashi, ['IDENTITY']);
    hub.forget();
    for (const [query, roles] of [
      ['{ emergencyAccesses { personId reason } }', []],
      ['{ meetings { id } }', []],
      ['{ accessLogSearch { edges { node { categories } } } }', ['auditor']],
      ['{ emergencyAccesses(review: PENDING) { id } }', ['auditor']],
    ] as const) {
      const result = await asDashboard(query, [...roles]);
      expect(result.data ?? null).toBeNull();
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'AGGREGATES_ONLY' });
      expect(JSON.stringify(result)).not.toContain(takahashi);
    }
    // The dashboards themselves, and the access log's verification, name no one.
    const verified = await asDashboard<{ verifyAccessLog: { intact: boolean } }>('{ verifyAccessLog { intact } }', [
      'auditor',
    ]);
    expect(verified.errors).toBeUndefined();
  });

  it('a dashboard token changes nothing: every mutation is refused', async () => {
    const result = await asDashboard(`mutation { acknowledgeConfidentiality(meetingId: "${takahashi}") { id } }`);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'AGGREGATES_ONLY' });
    expect(result.errors![0]!.message).toMatch(/changes nothing: ask for the \*Dashboard fields/);
  });

  it('a dashboard token still reads data about no one, such as the agency register', async () => {
    const result = await asDashboard<{ agencies: { id: string }[] }>(`{ agencies { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.agencies.length).toBeGreaterThan(5);
  });
});

describe("an opportunity's counts, read by an agency that reads some of its enrolments as its own domain's", () => {
  const minaminoKankyo = AGENCIES.minaminoEnvironment.id;
  const higashiyamaKankyo = 'higashiyama-kankyo';
  const firewood = demoId('opportunity:firewood-splitting');

  type Slot = { id: string; enrolledCount: number | null; hasPlaces: boolean | null };
  const opportunities = async (agency: string, openOnly = false) => {
    const result = await hub.query<{ participationOpportunities: Slot[] }>(
      { agency },
      `query ($openOnly: Boolean) { participationOpportunities(openOnly: $openOnly, first: 200) { id enrolledCount hasPlaces } }`,
      { openOnly },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.participationOpportunities;
  };

  it('the enrolments of persons in its jurisdiction count as known: the rest, below 5, is not published', async () => {
    await registerAgency(hub, {
      id: higashiyamaKankyo,
      name: 'ひがし山町 環境課',
      domain: 'ENVIRONMENT',
      kind: '環境部局',
      municipalityCode: MUNICIPALITIES.higashiyama.code,
      jurisdiction: [MUNICIPALITIES.higashiyama.code],
    });
    // Four residents of ひがし山町 beside the demo's two of みなみ野市: the six places are taken.
    for (let i = 0; i < 4; i += 1) {
      const personId = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, MUNICIPALITIES.higashiyama.code);
      await mutate(hub, higashiyamaKankyo, `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`, {
        input: { personId, opportunityId: firewood },
      });
    }
    // みなみ野市's environment office reads its residents' two enrolments as its own domain's...
    const own = await hub.query<{ people: { enrollments: { opportunity: { id: string } }[] }[] }>(
      { agency: minaminoKankyo },
      `query ($ids: [ID!]!) { people(ids: $ids) { enrollments { opportunity { id } } } }`,
      { ids: [residentId('ito'), residentId('yamada-son')] },
    );
    expect(own.errors).toBeUndefined();
    const firewoodOf = own.data!.people.flatMap((p) => p.enrollments.filter((e) => e.opportunity.id === firewood));
    expect(firewoodOf).toHaveLength(2);
    // ...so a count of six, or "full" of six places, would tell it the other town's four.
    expect((await opportunities(minaminoKankyo)).find((o) => o.id === firewood)).toEqual({
      id: firewood,
      enrolledCount: null,
      hasPlaces: null,
    });
    // Listed with the open ones whether full or not: leaving it out would say the same.
    expect((await opportunities(minaminoKankyo, true)).map((o) => o.id)).toContain(firewood);
    // An agency that reads none of these enrolments reads the six published.
    expect((await opportunities(helloWork)).find((o) => o.id === firewood)).toEqual({
      id: firewood,
      enrolledCount: 6,
      hasPlaces: false,
    });
  });
});

describe('views of different jurisdictions', () => {
  it("a table of two towns less one town's own table does not give the other town's counts", async () => {
    const report = (agency: string, personId: string, receivingAgencyId: string) =>
      mutate(
        hub,
        agency,
        `mutation ($input: RecordAbuseReportInput!) { recordAbuseReport(input: $input) { receiptNumber } }`,
        { input: { personId, kind: 'SEXUAL', urgency: 'ROUTINE', receivingAgencyId } },
      );
    // Eight reports this month in みなみ野市, two in ひがし山町.
    for (let i = 0; i < 8; i += 1) await report(selfReliance, takahashi, AGENCIES.minaminoChildSupport.id);
    for (let i = 0; i < 2; i += 1) {
      const personId = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, MUNICIPALITIES.higashiyama.code);
      await report(AGENCIES.higashiyamaWelfare.id, personId, AGENCIES.higashiyamaDv.id);
    }
    // Read by an office serving both towns and by one serving みなみ野市 alone; neither made or received any.
    await registerAgency(hub, {
      id: 'midori-kankyo-both',
      name: 'みどり県 環境事務所',
      domain: 'ENVIRONMENT',
      kind: '環境部局',
      municipalityCode: MUNICIPALITIES.minamino.code,
      jurisdiction: [MUNICIPALITIES.minamino.code, MUNICIPALITIES.higashiyama.code],
    });
    const read = async (agency: string) => countsByPlace(await dashboardOf(agency, 'urgentReportsDashboard'));
    const both = await read('midori-kankyo-both');
    const minamino = await read(silver);
    expect([...minamino.values()].some((count) => count !== null)).toBe(true);
    // Wherever both publish a count, their difference is ひがし山町's: never a count below 5 (0 included).
    for (const [place, count] of both) {
      const minaminoCount = minamino.get(place);
      if (count === null || minaminoCount == null) continue;
      expect({ place, higashiyama: count - minaminoCount }).toEqual({
        place,
        higashiyama: expect.toSatisfy((n: number) => n >= 5),
      });
    }
  });
});
