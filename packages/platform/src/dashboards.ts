// Dashboards: counts about no one. Every dashboard answers with one table (cells, row and column
// totals, the grand total) so its views can never disagree, and every count is suppressed (秘匿処理)
// when it is below MIN_PUBLISHED_COUNT, or when publishing it would let a suppressed count be narrowed,
// by subtraction or by combining the table's relations (and, for a reader of several towns, each town's
// own table). The reader's own records are subtracted first: what it recorded itself (or was addressed)
// it can take away from any published count, so a count is judged by the rest.

import { inJapan } from './calendar.js';
import { oncePerRequest } from './resolver-map.js';
import { auditOf, type AuditedTable, type AuditedValue, type Relation } from './suppression-audit.js';

/** The smallest count a dashboard publishes. */
export const MIN_PUBLISHED_COUNT = 5;

/** Who reads a dashboard: the agency, whose own records it knows, and the municipalities it counts. */
export interface DashboardReader {
  readonly agencyId: string;
  readonly jurisdiction: readonly string[];
}

/** One count as a dashboard shows it: `count` is null when suppressed. */
export interface PublishedCount {
  readonly count: number | null;
  readonly suppressed: boolean;
}

export interface DashboardCell extends PublishedCount {
  readonly row: string;
  readonly column: string;
}

export interface DashboardMargin extends PublishedCount {
  readonly key: string;
}

export interface DashboardTable {
  readonly rowDimension: string;
  readonly columnDimension: string;
  readonly cells: readonly DashboardCell[];
  readonly rowTotals: readonly DashboardMargin[];
  readonly columnTotals: readonly DashboardMargin[];
  readonly total: PublishedCount;
}

/** Counts by row and column, with their totals. */
export interface TableCounts {
  /** Counts by row and column; a missing pair counts 0. */
  readonly counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * Totals when they are not the sum of the cells (a case with two issues counts once in its status's
   * total and once in each issue's cell). Omitted totals are the sums.
   */
  readonly rowTotals?: ReadonlyMap<string, number>;
  readonly columnTotals?: ReadonlyMap<string, number>;
  readonly total?: number;
}

/** A table's counts, and what of them the reader knows on its own. */
export interface KnownTableCounts extends TableCounts {
  /**
   * What the reader knows of these counts on its own: the records among them it made or was addressed
   * (its own reports, referrals, meetings), by row and column, with their totals as above. A reader that
   * added three records of its own to a cell of two would otherwise see it published at five and subtract.
   * Omitted: none.
   */
  readonly known?: TableCounts;
}

/** What a dashboard query counted, before suppression: every row and column is listed, even empty ones. */
export interface CountedTable extends KnownTableCounts {
  readonly rowDimension: string;
  readonly columnDimension: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /**
   * For a reader of several municipalities: the counts of each, which add up to the table's. Each town's
   * own table (what a reader of that town alone is published) could be set against this one; with them,
   * the table is audited so that neither can be subtracted from the other. Omitted: one municipality.
   */
  readonly parts?: ReadonlyMap<string, KnownTableCounts>;
}

/**
 * A counted value, what of it the reader knows on its own (`own`: its own records) and does not (`others`:
 * the value less its own records, which every rule reads), and whether it is withheld.
 */
interface Slot extends AuditedValue {
  readonly others: number;
  suppressed: boolean;
}

/**
 * Suppresses a table for publication.
 *
 * Every rule reads a count less what the reader knows of it on its own (`table.known`: its own records),
 * so that a reader who pads a cell with records of its own learns nothing it could not read without them.
 * Primary suppression withholds every count below MIN_PUBLISHED_COUNT, zero included (a zero says
 * "nobody here", which is also about people). Secondary suppression then looks at every relation a
 * reader could subtract along: each row with its total, each column with its total, and the grand
 * total with the row totals and with the column totals. Whenever exactly one value of a relation is
 * withheld, the smallest published value of it is withheld too, until no relation has a single hole.
 * And where a relation's total is published, the reader learns what its withheld values add up to: that
 * sum must not be a small count itself (two withheld zeros beside a published total are two zeros), so
 * while it is below MIN_PUBLISHED_COUNT the total is withheld; the counts themselves stay. The whole
 * table (every cell with the grand total) is such a relation too.
 *
 * Relations are not read alone, though: a published cell is a lower bound on its withheld row total, and
 * with the published grand total it can pin the other rows. Nor is a table of several towns read alone:
 * less one town's own table, it gives the other's. So the table is then audited as a whole, with its
 * towns' own tables (`table.parts`) where it has several (suppression-audit.ts): while the published
 * counts, combined by linear programming, narrow a withheld count below MIN_PUBLISHED_COUNT (of this
 * table or of a town's) to fewer than MIN_PUBLISHED_COUNT + 1 values, the smallest published value related
 * to it is withheld too, and the relation rules run again. A reader therefore learns of every small count
 * no more than an interval of MIN_PUBLISHED_COUNT (docs/dashboards.md, "Suppression").
 */
export function suppressTable(table: CountedTable): DashboardTable {
  const { rows, columns } = table;
  // What a reader with no records of its own is published is the most any reader of these towns is: a reader's
  // own records only withhold more. So readers' tables set side by side (two agencies of one town, each with
  // records of its own) tell one who knows none of the records no more than that one, which the audit holds
  // against every combination. An agency taking its own records away from another's table is not covered.
  const towns = townsAlone(table);
  const outsider = withheldSlots(withoutKnown(table), towns);
  const knowsSome = [table, ...(table.parts?.values() ?? [])].some((counts) => knowsAnyOf(counts.known));
  const slots = knowsSome ? withheldSlots(table, towns, outsider) : outsider;

  const published = (slot: Slot): PublishedCount => ({
    count: slot.suppressed ? null : slot.value,
    suppressed: slot.suppressed,
  });
  return {
    rowDimension: table.rowDimension,
    columnDimension: table.columnDimension,
    cells: rows.flatMap((r, i) => columns.map((c, j) => ({ row: r, column: c, ...published(slots.cells[i]![j]!) }))),
    rowTotals: rows.map((key, i) => ({ key, ...published(slots.rowTotals[i]!) })),
    columnTotals: columns.map((key, j) => ({ key, ...published(slots.columnTotals[j]!) })),
    total: published(slots.total),
  };
}

type Slots = ReturnType<typeof slotsOf>;

/** Whether a reader knows any record among the counts on its own (its counts are not all zero). */
const knowsAnyOf = (known: TableCounts | undefined): boolean =>
  known !== undefined &&
  ([...known.counts.values()].some((row) => [...row.values()].some((n) => n > 0)) ||
    [...(known.rowTotals?.values() ?? []), ...(known.columnTotals?.values() ?? [])].some((n) => n > 0) ||
    (known.total ?? 0) > 0);

/** The table as a reader with no records of its own counts it, in each of its towns too. */
const withoutKnown = (table: CountedTable): CountedTable => ({
  ...table,
  known: undefined,
  ...(table.parts
    ? { parts: new Map([...table.parts].map(([code, part]) => [code, { ...part, known: undefined }])) }
    : {}),
});

/**
 * For a table of several towns, what a reader of each town alone with no records of its own is published of it
 * (the most any reader of that town is), in the order of `table.parts`; undefined for one town.
 */
function townsAlone(table: CountedTable): Slots[] | undefined {
  if (!table.parts || table.parts.size <= 1) return undefined;
  return [...table.parts.values()].map((part) => suppressSlots(table, slotsOf(table, { ...part, known: undefined })));
}

/**
 * The table's slots withheld for publication, at least where `floor` (the same table's slots for another reader)
 * withholds, audited with its towns' own tables (`towns`, townsAlone) when it has several.
 */
function withheldSlots(table: CountedTable, towns: Slots[] | undefined, floor?: Slots): Slots {
  const slots = slotsOf(table, table);
  if (floor) floor.all.forEach((slot, s) => (slots.all[s]!.suppressed = slot.suppressed));
  // Each town's table as published, read with what this reader knows of the town on its own.
  const parts = towns?.map((alone, t) => {
    const own = slotsOf(table, [...table.parts!.values()][t]!);
    return alone.all.map((v, s) => ({ value: v.value, own: own.all[s]!.own, suppressed: v.suppressed }));
  });
  return suppressSlots(table, slots, parts);
}

/** A table's values as slots, none withheld yet: `all` lists them cells first (row by row), then the totals. */
function slotsOf(axes: Pick<CountedTable, 'rows' | 'columns'>, counts: KnownTableCounts) {
  const counted = margins(axes, counts);
  const known = counts.known ? margins(axes, counts.known) : undefined;
  const slot = (value: number, own = 0): Slot => ({ value, own, others: value - own, suppressed: false });
  const cells = axes.rows.map((r) => axes.columns.map((c) => slot(counted.cell(r, c), known?.cell(r, c))));
  const rowTotals = axes.rows.map((r) => slot(counted.rowTotal(r), known?.rowTotal(r)));
  const columnTotals = axes.columns.map((c) => slot(counted.columnTotal(c), known?.columnTotal(c)));
  const total = slot(counted.total, known?.total);
  return { cells, rowTotals, columnTotals, total, all: [...cells.flat(), ...rowTotals, ...columnTotals, total] };
}

/** The relations a reader subtracts along, as positions in `slotsOf(...).all`. */
function relationsOf(rows: number, columns: number): Relation[] {
  const cell = (i: number, j: number) => i * columns + j;
  const rowTotal = (i: number) => rows * columns + i;
  const columnTotal = (j: number) => rows * columns + rows + j;
  const total = rows * columns + rows + columns;
  const range = (n: number) => Array.from({ length: n }, (_, k) => k);
  return [
    ...range(rows).map((i) => ({ members: range(columns).map((j) => cell(i, j)), total: rowTotal(i) })),
    ...range(columns).map((j) => ({ members: range(rows).map((i) => cell(i, j)), total: columnTotal(j) })),
    { members: range(rows).map(rowTotal), total },
    { members: range(columns).map(columnTotal), total },
    { members: range(rows * columns), total },
  ];
}

/** Withholds `slots` for publication (see suppressTable), audited with its towns' tables when given. */
function suppressSlots(axes: Pick<CountedTable, 'rows' | 'columns'>, slots: Slots, parts?: AuditedTable[]): Slots {
  const { all } = slots;
  for (const slot of all) slot.suppressed ||= slot.others < MIN_PUBLISHED_COUNT;

  const relations = relationsOf(axes.rows.length, axes.columns.length);
  const smallestPublished = (positions: Iterable<number>) =>
    [...positions]
      .map((s) => all[s]!)
      .filter((s) => !s.suppressed)
      .sort((a, b) => a.others - b.others)[0];
  const withholdAlongRelations = () => {
    for (let changed = true; changed;) {
      changed = false;
      for (const { members, total } of relations) {
        const withheld = members.filter((s) => all[s]!.suppressed);
        const holes = withheld.length + (all[total]!.suppressed ? 1 : 0);
        const smallSum =
          !all[total]!.suppressed &&
          withheld.length > 0 &&
          withheld.reduce((n, s) => n + all[s]!.others, 0) < MIN_PUBLISHED_COUNT;
        const next = holes === 1 ? smallestPublished([...members, total]) : smallSum ? all[total] : undefined;
        if (next) {
          next.suppressed = true;
          changed = true;
        }
      }
    }
  };
  const narrowed = parts
    ? auditOf(parts, relations, MIN_PUBLISHED_COUNT, all)
    : auditOf([all], relations, MIN_PUBLISHED_COUNT);

  withholdAlongRelations();
  for (let found = narrowed(); found; found = narrowed()) {
    // The value itself where it is a town's count this table publishes, else the smallest related one.
    const { position } = found;
    const related = relations.filter((r) => r.total === position || r.members.includes(position));
    const next =
      ('part' in found && !all[position]!.suppressed ? all[position] : undefined) ??
      smallestPublished(related.flatMap((r) => [...r.members, r.total])) ??
      smallestPublished(all.keys());
    if (!next) break;
    next.suppressed = true;
    withholdAlongRelations();
  }
  return slots;
}

/** A table's cells with their totals: the given ones, or the sums. */
function margins(axes: Pick<CountedTable, 'rows' | 'columns'>, counts: TableCounts) {
  const cell = (r: string, c: string) => counts.counts.get(r)?.get(c) ?? 0;
  const rowTotal = (r: string) => counts.rowTotals?.get(r) ?? axes.columns.reduce((sum, c) => sum + cell(r, c), 0);
  return {
    cell,
    rowTotal,
    columnTotal: (c: string) => counts.columnTotals?.get(c) ?? axes.rows.reduce((sum, r) => sum + cell(r, c), 0),
    total: counts.total ?? axes.rows.reduce((sum, r) => sum + rowTotal(r), 0),
  };
}

/** Groups counted rows (as a GROUP BY returns them) into a table's counts (`known`: what the reader knows of each). */
export function countsOf(
  groups: CountedGroups,
  value: (group: CountedGroups[number]) => number | bigint | string = (group) => group.count,
): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const group of groups) {
    const byColumn = counts.get(group.row) ?? new Map<string, number>();
    byColumn.set(group.column, (byColumn.get(group.column) ?? 0) + Number(value(group)));
    counts.set(group.row, byColumn);
  }
  return counts;
}

/** What the reader knows of each group's count on its own (the groups' `known`; 0 where a query gives none). */
export const knownOf = (groups: CountedGroups): Map<string, Map<string, number>> =>
  countsOf(groups, (group) => group.known ?? 0);

/**
 * The last `n` calendar months up to `now` in Japan, oldest first, as YYYY-MM (a dashboard's fixed time
 * axis). Months are Japan's, as the queries group by them: from 00:00 JST on the 1st, a new month is on it.
 */
export function lastMonths(n: number, now = new Date()): string[] {
  const japan = inJapan(now);
  const months: string[] = [];
  for (let i = n - 1; i >= 0; i -= 1) {
    const d = new Date(Date.UTC(japan.getUTCFullYear(), japan.getUTCMonth() - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

/**
 * A GROUP BY's rows as `countsOf` reads them: `known`, where the query counts it, is how many of the group's
 * records the reader made or was addressed (see CountedTable.known); `municipality`, where the query groups
 * by it, whose records they are (see CountedTable.parts).
 */
export type CountedGroups = readonly {
  row: string;
  column: string;
  count: number | bigint | string;
  known?: number | bigint | string;
  /** The municipality the group's records are of, where the query groups by it. */
  municipality?: string;
}[];

/**
 * A dashboard of counts by one dimension (rows) and calendar month (columns) over the last twelve
 * months, for a reader of `jurisdiction`: `count` runs the query for those months, its groups by
 * municipality, and the table is suppressed for publication with each municipality's part.
 */
export async function monthlyDashboard(
  rowDimension: string,
  rows: readonly string[],
  jurisdiction: readonly string[],
  count: (months: readonly string[]) => Promise<CountedGroups>,
  now = new Date(),
): Promise<DashboardTable> {
  const months = lastMonths(12, now);
  const groups = await count(months);
  return suppressTable({
    rowDimension,
    columnDimension: 'month',
    rows,
    columns: months,
    ...countedGroups(groups),
    parts: partsOf(jurisdiction, groups, countedGroups),
  });
}

/** A table's counts and what the reader knows of them, from groups (`known`: its own records). */
export const countedGroups = (groups: CountedGroups): KnownTableCounts => ({
  counts: countsOf(groups),
  known: { counts: knownOf(groups) },
});

/**
 * Each municipality's part of a table of `jurisdiction`: `counted` reads the groups of one municipality
 * (those whose `municipality` is its code), every municipality of the jurisdiction listed, those with no
 * records too.
 */
export function partsOf<G extends { readonly municipality?: string }>(
  jurisdiction: readonly string[],
  groups: readonly G[],
  counted: (groups: readonly G[]) => KnownTableCounts,
): Map<string, KnownTableCounts> {
  return new Map(
    [...new Set(jurisdiction)].map((code) => [code, counted(groups.filter((group) => group.municipality === code))]),
  );
}

/**
 * A dashboard's resolver: its table is counted and suppressed once per request (`context`), however many
 * aliases of the query ask for it. Each is a full count with its audit (up to a few hundred milliseconds for
 * a reader of several towns), so a query of a hundred aliases would otherwise hold the database and a core
 * for a minute.
 */
export function dashboardField<TContext extends object>(
  table: (context: TContext) => Promise<DashboardTable>,
): (parent: unknown, args: unknown, context: TContext) => Promise<DashboardTable> {
  const counted = oncePerRequest(table);
  return (_, __, context) => counted(context);
}

/** The SDL every subgraph with a dashboard shares: one shape for every aggregate the hub publishes. */
export const DASHBOARD_SDL = /* GraphQL */ `
  """
  集計表 — a dashboard's table of counts about no one. Counts below 5, and the counts that would let
  one be recovered by subtraction, are suppressed (秘匿処理): count null, suppressed true.
  """
  type DashboardTable @shareable {
    "行の軸 — what the rows count by."
    rowDimension: String!
    "列の軸 — what the columns count by."
    columnDimension: String!
    "集計値 — one per row and column, row by row, zero counts included."
    cells: [DashboardCell!]!
    "行の合計"
    rowTotals: [DashboardMargin!]!
    "列の合計"
    columnTotals: [DashboardMargin!]!
    "総数"
    total: DashboardCount!
  }

  "集計値 — one count of a dashboard table."
  type DashboardCell @shareable {
    "行 — the row's key (e.g. an enum value)."
    row: String!
    "列 — the column's key (a month is YYYY-MM, in Japan's calendar)."
    column: String!
    "件数 — null when suppressed."
    count: Int
    "秘匿 — true when the count is withheld (秘匿処理)."
    suppressed: Boolean!
  }

  "合計 — a row's or a column's total."
  type DashboardMargin @shareable {
    "行または列 — the key of the row or column it totals."
    key: String!
    "件数 — null when suppressed."
    count: Int
    "秘匿 — true when the count is withheld (秘匿処理)."
    suppressed: Boolean!
  }

  "総数"
  type DashboardCount @shareable {
    "件数 — null when suppressed."
    count: Int
    "秘匿 — true when the count is withheld (秘匿処理)."
    suppressed: Boolean!
  }
`;
