// Dashboards read side by side: two agencies of one town, one with records of its own among the counts, are
// each published no count a reader of the town without records is not, so that one developer holding both
// agencies' dashboard tokens learns no more than that reader (docs/dashboards.md, rule 0). A hub of its own:
// the town's counts are this file's alone.

import { describe, expect, it } from 'vitest';
import { AGENCIES, MUNICIPALITIES } from '@hub/platform';
import { registerAgency, useTestHub } from './support/hub.js';
import { mutate, registerResident } from './support/welfare.js';

const hub = useTestHub();

interface Count {
  count: number | null;
  suppressed: boolean;
}
interface Table {
  cells: ({ row: string; column: string } & Count)[];
  rowTotals: ({ key: string } & Count)[];
  columnTotals: ({ key: string } & Count)[];
  total: Count;
}

/** What an agency's dashboard token is published of the urgent reports' table: `place = count`, each. */
async function published(agency: string): Promise<string[]> {
  const authorization = `Bearer ${await hub.token(agency, { roles: ['dashboard'] })}`;
  const result = await hub.query<{ urgentReportsDashboard: Table }>(
    { authorization },
    `{ urgentReportsDashboard { cells { row column count suppressed } rowTotals { key count suppressed } columnTotals { key count suppressed } total { count suppressed } } }`,
  );
  expect(result.errors).toBeUndefined();
  const table = result.data!.urgentReportsDashboard;
  return [
    ...table.cells.map((c) => [`${c.row} ${c.column}`, c] as const),
    ...table.rowTotals.map((c) => [`${c.key} total`, c] as const),
    ...table.columnTotals.map((c) => [`total ${c.key}`, c] as const),
    ['total', table.total] as const,
  ].flatMap(([place, c]) => (c.suppressed ? [] : [`${place} = ${c.count}`]));
}

describe('two agencies of one town', () => {
  it('are published no count a reader of the town without records of its own is not: set side by side, their tables tell no more than that one', async () => {
    // Fourteen reports of ひがし山町 this month, filed by a counselling office of another town: five PHYSICAL
    // (two received by the town's DV centre), three NEGLECT and six PSYCHOLOGICAL (received by the prefecture's
    // child guidance centre).
    const kinds = [
      ...Array.from({ length: 5 }, (_, i) => [
        'PHYSICAL',
        i < 2 ? AGENCIES.higashiyamaDv.id : AGENCIES.midoriChildGuidance.id,
      ]),
      ...Array.from({ length: 3 }, () => ['NEGLECT', AGENCIES.midoriChildGuidance.id]),
      ...Array.from({ length: 6 }, () => ['PSYCHOLOGICAL', AGENCIES.midoriChildGuidance.id]),
    ];
    for (const [kind, receivingAgencyId] of kinds) {
      const personId = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, MUNICIPALITIES.higashiyama.code);
      await mutate(
        hub,
        AGENCIES.minaminoKokoro.id,
        `mutation ($input: RecordAbuseReportInput!) { recordAbuseReport(input: $input) { receiptNumber } }`,
        { input: { personId, kind, urgency: 'ROUTINE', receivingAgencyId } },
      );
    }
    // An office of the town that filed and received none of them.
    await registerAgency(hub, {
      id: 'higashiyama-no-reports',
      name: 'ひがし山町 環境政策課',
      domain: 'ENVIRONMENT',
      kind: '環境部局',
      municipalityCode: MUNICIPALITIES.higashiyama.code,
    });
    const outsider = await published('higashiyama-no-reports');
    expect(outsider.length).toBeGreaterThan(0);
    // The DV centre received two of the reports. Had the centre been published a count the others are not (this month's total, 14), its table beside the
    // welfare office's (this month's PHYSICAL 5 and PSYCHOLOGICAL 6) would give the other kinds as 3.
    for (const agency of [AGENCIES.higashiyamaDv.id, AGENCIES.higashiyamaWelfare.id]) {
      expect({ agency, more: (await published(agency)).filter((value) => !outsider.includes(value)) }).toEqual({
        agency,
        more: [],
      });
    }
  });
});
