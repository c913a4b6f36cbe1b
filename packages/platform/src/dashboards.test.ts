import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solve, type Constraint } from 'yalps';
import {
  countsOf,
  lastMonths,
  MIN_PUBLISHED_COUNT,
  suppressTable,
  type CountedTable,
  type DashboardTable,
} from './dashboards.js';

function table(grid: number[][]): CountedTable {
  const rows = grid.map((_, i) => `r${i}`);
  const columns = (grid[0] ?? []).map((_, j) => `c${j}`);
  return {
    rowDimension: 'row',
    columnDimension: 'column',
    rows,
    columns,
    counts: countsOf(grid.flatMap((row, i) => row.map((count, j) => ({ row: `r${i}`, column: `c${j}`, count })))),
  };
}

/** Every relation a reader can subtract along, as published values (null = suppressed). */
function relations(grid: number[][]) {
  const published = suppressTable(table(grid));
  const cell = (i: number, j: number) => published.cells.find((c) => c.row === `r${i}` && c.column === `c${j}`)!;
  const rows = grid.map((row, i) => [...row.map((_, j) => cell(i, j)), published.rowTotals[i]!]);
  const columns = (grid[0] ?? []).map((_, j) => [...grid.map((_, i) => cell(i, j)), published.columnTotals[j]!]);
  return {
    published,
    all: [
      ...rows,
      ...columns,
      [...published.rowTotals, published.total],
      [...published.columnTotals, published.total],
      [...published.cells, published.total],
    ],
  };
}

/** A table of several towns: the sum of their grids, with each town's counts as its parts. */
function townsTable(grids: number[][][]): CountedTable {
  const sum = grids[0]!.map((row, i) => row.map((_, j) => grids.reduce((n, grid) => n + grid[i]![j]!, 0)));
  return { ...table(sum), parts: new Map(grids.map((grid, t) => [`town${t}`, table(grid)])) };
}

/**
 * What a reader can work out of each withheld count, by linear programming over everything published:
 * each town's own table (as a reader of that town alone is published it) and, for several towns, their
 * table together. Every cell, row total, column total and grand total of every town is a count (≥ 0);
 * each town's cells add up to its row's and column's totals, its totals to its grand total; a value of
 * the towns' table is the sum of theirs. Answers the narrowest interval [lo, hi] the reader can prove for
 * each withheld value of every table, named by its table and place (`town0 cell:i:j`, `all row:i`…).
 * Written apart from the suppression, as an attacker would.
 */
function attackerBounds(grids: number[][][]) {
  const rows = grids[0]!.length;
  const columns = grids[0]![0]!.length;
  const places = [
    ...Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => `cell:${i}:${j}`)).flat(),
    ...Array.from({ length: rows }, (_, i) => `row:${i}`),
    ...Array.from({ length: columns }, (_, j) => `column:${j}`),
    'total',
  ];
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const truthOf = (grid: number[][], place: string) => {
    const [kind, a, b] = place.split(':');
    if (kind === 'cell') return grid[Number(a)]![Number(b)]!;
    if (kind === 'row') return sum(grid[Number(a)]!);
    if (kind === 'column') return sum(grid.map((row) => row[Number(a)]!));
    return sum(grid.flat());
  };
  const publishedOf = (published: DashboardTable) =>
    new Map<string, number | null>([
      ...published.cells.map((c) => [`cell:${c.row.slice(1)}:${c.column.slice(1)}`, c.count] as const),
      ...published.rowTotals.map((c, i) => [`row:${i}`, c.count] as const),
      ...published.columnTotals.map((c, j) => [`column:${j}`, c.count] as const),
      ['total', published.total.count] as const,
    ]);
  // Each view: the towns it counts, and what it publishes.
  const views = grids.map((grid, t) => ({
    name: `town${t}`,
    towns: [t],
    published: publishedOf(suppressTable(table(grid))),
  }));
  if (grids.length > 1) {
    views.push({
      name: 'all',
      towns: grids.map((_, t) => t),
      published: publishedOf(suppressTable(townsTable(grids))),
    });
  }

  const variables = new Map(
    grids.flatMap((_, t) => places.map((place) => [`${t} ${place}`, new Map<string, number>()])),
  );
  const constraints = new Map<string, Constraint>();
  const equation = (name: string, terms: [string, number][], equal: number) => {
    for (const [variable, sign] of terms) variables.get(variable)!.set(name, sign);
    constraints.set(name, { equal });
  };
  grids.forEach((_, t) => {
    for (let i = 0; i < rows; i += 1) {
      const cells = Array.from({ length: columns }, (_, j) => [`${t} cell:${i}:${j}`, 1] as [string, number]);
      equation(`${t} row ${i}`, [...cells, [`${t} row:${i}`, -1]], 0);
    }
    for (let j = 0; j < columns; j += 1) {
      const cells = Array.from({ length: rows }, (_, i) => [`${t} cell:${i}:${j}`, 1] as [string, number]);
      equation(`${t} column ${j}`, [...cells, [`${t} column:${j}`, -1]], 0);
    }
    const rowTotals = Array.from({ length: rows }, (_, i) => [`${t} row:${i}`, 1] as [string, number]);
    equation(`${t} rows`, [...rowTotals, [`${t} total`, -1]], 0);
    const columnTotals = Array.from({ length: columns }, (_, j) => [`${t} column:${j}`, 1] as [string, number]);
    equation(`${t} columns`, [...columnTotals, [`${t} total`, -1]], 0);
  });
  for (const view of views) {
    for (const place of places) {
      const value = view.published.get(place)!;
      // Its objective, and what it publishes.
      for (const t of view.towns) variables.get(`${t} ${place}`)!.set(`${view.name} ${place}`, 1);
      if (value !== null) constraints.set(`${view.name} ${place}`, { equal: value });
    }
  }
  const bound = (objective: string, direction: 'maximize' | 'minimize') => {
    const solution = solve({ direction, objective, constraints, variables });
    expect(['optimal', 'unbounded']).toContain(solution.status);
    return solution.status === 'unbounded' ? Infinity : solution.result;
  };
  return views.flatMap((view) =>
    places.flatMap((place) => {
      if (view.published.get(place) !== null) return [];
      const name = `${view.name} ${place}`;
      const truth = sum(view.towns.map((t) => truthOf(grids[t]!, place)));
      return [{ name, truth, lo: bound(name, 'minimize'), hi: bound(name, 'maximize') }];
    }),
  );
}

/** Checks that no withheld value below five can be narrowed to a range narrower than five. */
function expectEveryWithheldValueProtected(grids: number[][][]) {
  for (const { name, truth, lo, hi } of attackerBounds(grids)) {
    expect(truth).toBeGreaterThanOrEqual(lo - 1e-6);
    expect(truth).toBeLessThanOrEqual(hi + 1e-6);
    if (truth < MIN_PUBLISHED_COUNT) {
      expect({ name, width: hi - lo }).toEqual({
        name,
        width: expect.toSatisfy((w: number) => w >= MIN_PUBLISHED_COUNT - 1e-6),
      });
    }
  }
}

/** A published table's values, each named by its place with its count (`cell r0 c1 = 5`, `row r0 = 11`…). */
const publishedValues = (published: DashboardTable): string[] =>
  [
    ...published.cells.map((c) => [`cell ${c.row} ${c.column}`, c] as const),
    ...published.rowTotals.map((c) => [`row ${c.key}`, c] as const),
    ...published.columnTotals.map((c) => [`column ${c.key}`, c] as const),
    ['total', published.total] as const,
  ].flatMap(([place, value]) => (value.suppressed ? [] : [`${place} = ${value.count}`]));

describe('suppressTable', () => {
  it('publishes counts of five and more as they are', () => {
    const { published } = relations([
      [5, 6],
      [7, 8],
    ]);
    expect(published.cells.map((c) => c.count)).toEqual([5, 6, 7, 8]);
    expect(published.rowTotals.map((c) => c.count)).toEqual([11, 15]);
    expect(published.columnTotals.map((c) => c.count)).toEqual([12, 14]);
    expect(published.total).toEqual({ count: 26, suppressed: false });
  });

  it('suppresses a count below five, zero included', () => {
    const { published } = relations([[0, 4, 9, 9]]);
    expect(published.cells.slice(0, 2)).toEqual([
      { row: 'r0', column: 'c0', count: null, suppressed: true },
      { row: 'r0', column: 'c1', count: null, suppressed: true },
    ]);
  });

  it('suppresses the complement: a row with one small cell loses its next smallest cell too', () => {
    const { published } = relations([[3, 10, 20]]);
    // Without it, the row total minus 10 and 20 would give the 3 back.
    expect(published.cells.map((c) => c.count)).toEqual([null, null, 20]);
  });

  it('suppresses the complement across the grand total when one row total is small', () => {
    const { published } = relations([[2], [10], [30]]);
    expect(published.rowTotals.map((c) => c.count)).toEqual([null, null, 30]);
  });

  it('property: no relation is left with exactly one suppressed value, and nothing below five is published', () => {
    const grids = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }))
      .chain(([r, c]) =>
        fc.array(fc.array(fc.nat({ max: 30 }), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
      );
    fc.assert(
      fc.property(grids, (grid) => {
        const { all } = relations(grid);
        for (const relation of all) {
          const holes = relation.filter((v) => v.suppressed).length;
          expect(holes === 0 || holes >= 2).toBe(true);
          for (const value of relation) {
            if (!value.suppressed) expect(value.count).toBeGreaterThanOrEqual(MIN_PUBLISHED_COUNT);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('withholds a total beside withheld counts that add up to less than five (two zeros); the counts stay', () => {
    // Without it, the total 6 minus the published 6 would tell that both withheld cells are 0.
    const { published } = relations([[0, 0, 6]]);
    expect(published.cells.map((c) => c.count)).toEqual([null, null, 6]);
    expect(published.rowTotals[0]).toEqual({ key: 'r0', count: null, suppressed: true });
    expect(published.total).toEqual({ count: null, suppressed: true });
  });

  it('property: where a relation’s total is published, its withheld values add up to five or more', () => {
    const grids = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }))
      .chain(([r, c]) =>
        fc.array(fc.array(fc.nat({ max: 12 }), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
      );
    fc.assert(
      fc.property(grids, (grid) => {
        const { all } = relations(grid);
        const rows = grid.length;
        const columns = grid[0]!.length;
        // The true values of each relation, in the order relations() lists them.
        const truth: number[][] = [
          ...grid.map((row) => [...row, row.reduce((a, b) => a + b, 0)]),
          ...grid[0]!.map((_, j) => {
            const column = grid.map((row) => row[j]!);
            return [...column, column.reduce((a, b) => a + b, 0)];
          }),
        ];
        const rowTotals = grid.map((row) => row.reduce((a, b) => a + b, 0));
        const columnTotals = grid[0]!.map((_, j) => grid.reduce((n, row) => n + row[j]!, 0));
        const grand = rowTotals.reduce((a, b) => a + b, 0);
        truth.push([...rowTotals, grand], [...columnTotals, grand], [...grid.flat(), grand]);
        expect(all).toHaveLength(rows + columns + 3);
        all.forEach((relation, k) => {
          const total = relation.at(-1)!;
          if (total.suppressed) return;
          const withheld = relation.slice(0, -1).flatMap((v, i) => (v.suppressed ? [truth[k]![i]!] : []));
          if (withheld.length) expect(withheld.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(MIN_PUBLISHED_COUNT);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('a published cell is a lower bound on its withheld total: combined with the published totals it pins nothing', () => {
    // Referrals from domain to domain: WELFARE→CHILD_DV 5, CHILD_DV→WELFARE 3, CHILD_DV→CHILD_DV 2. Checked
    // relation by relation the CHILD_DV row total (5) and the grand total (10) could both be published;
    // then the WELFARE row, at least its published 5, leaves 10 − 5 − 5 = 0 for every other row: four row
    // totals and their 24 cells recovered as zeros.
    const grid = Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => 0));
    grid[0]![2] = 5;
    grid[2]![0] = 3;
    grid[2]![2] = 2;
    expectEveryWithheldValueProtected([grid]);
  });

  it('property: a reader who combines every published count by linear programming still cannot narrow a count below five to fewer than six values', () => {
    const grids = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) =>
      fc.array(fc.array(fc.oneof(fc.nat({ max: 4 }), fc.nat({ max: 15 })), { minLength: c, maxLength: c }), {
        minLength: r,
        maxLength: r,
      }),
    );
    fc.assert(
      fc.property(grids, (grid) => expectEveryWithheldValueProtected([grid])),
      { numRuns: 500 },
    );
  });

  it("a table of two towns less one town's own table does not give the other town's count", () => {
    // Town 0: 13 and 9 in one row; town 1: 0 and 2. Together 13 and 11: with each town's own table (13 and 9
    // published for town 0, nothing for town 1), publishing 13 would tell that town 1 has none there.
    const towns = [[[13, 9]], [[0, 2]]];
    const together = suppressTable(townsTable(towns));
    expect(together.cells.find((c) => c.column === 'c0')).toMatchObject({ count: null, suppressed: true });
    expectEveryWithheldValueProtected(towns);
  });

  it("property: a reader of two or three towns' table and of each town's own table cannot narrow a count below five to fewer than six values", () => {
    const towns = fc
      .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }))
      .chain(([n, r, c]) =>
        fc.array(
          fc.array(fc.array(fc.oneof(fc.nat({ max: 4 }), fc.nat({ max: 15 })), { minLength: c, maxLength: c }), {
            minLength: r,
            maxLength: r,
          }),
          { minLength: n, maxLength: n },
        ),
      );
    fc.assert(fc.property(towns, expectEveryWithheldValueProtected), { numRuns: 300 });
  });

  it("a single town's table is suppressed as before: its parts change nothing", () => {
    const grid = [
      [3, 10, 20],
      [7, 0, 12],
    ];
    expect(suppressTable({ ...table(grid), parts: new Map([['town0', table(grid)]]) })).toEqual(
      suppressTable(table(grid)),
    );
  });

  it("judges every count by what the reader does not know: its own records can't tip a count into publication", () => {
    // Two records of others and three of the reader's own in one cell: five in all, published it would
    // tell the reader the others are two.
    const padded = suppressTable({
      ...table([[5, 0]]),
      known: { counts: countsOf([{ row: 'r0', column: 'c0', count: 3 }]) },
    });
    expect(padded.cells.map((c) => c.count)).toEqual([null, null]);
    expect(padded.total).toEqual({ count: null, suppressed: true });
    // Five of others beside them: published as the true count, eight.
    const enough = suppressTable({
      ...table([[8, 9]]),
      known: { counts: countsOf([{ row: 'r0', column: 'c0', count: 3 }]) },
    });
    expect(enough.cells.map((c) => c.count)).toEqual([8, 9]);
    expect(enough.total.count).toBe(17);
  });

  it("publishes to a reader with records of its own nothing it withholds from one without: two agencies' tables of one town set side by side tell no more than one", () => {
    // A town's urgent reports by kind, November and December: a DV centre received two of December's five
    // PHYSICAL reports, the welfare office none. The welfare office is published PHYSICAL and PSYCHOLOGICAL of
    // December, not its total; had the centre been published December's total (14), the two tables together
    // would give NEGLECT + SEXUAL + DV_DANGER of December as 3.
    const grid = [
      [6, 5],
      [0, 3],
      [7, 6],
      [0, 0],
      [0, 0],
    ];
    const welfare = suppressTable(table(grid));
    const centre = suppressTable({
      ...table(grid),
      known: { counts: countsOf([{ row: 'r0', column: 'c1', count: 2 }]) },
    });
    expect(publishedValues(centre).filter((v) => !publishedValues(welfare).includes(v))).toEqual([]);
    expect(centre.columnTotals[1]).toEqual({ key: 'c1', count: null, suppressed: true });
  });

  it('property: whatever a reader with records of its own is published, a reader without them is published too', () => {
    const withKnown = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) =>
      fc.array(
        fc.array(
          fc
            .oneof(fc.nat({ max: 4 }), fc.nat({ max: 15 }))
            .chain((count) => fc.tuple(fc.constant(count), fc.nat({ max: count }))),
          { minLength: c, maxLength: c },
        ),
        { minLength: r, maxLength: r },
      ),
    );
    fc.assert(
      fc.property(withKnown, (grid) => {
        const counts = grid.map((row) => row.map(([count]) => count));
        const known = countsOf(
          grid.flatMap((row, i) => row.map(([, own], j) => ({ row: `r${i}`, column: `c${j}`, count: own }))),
        );
        const outsider = publishedValues(suppressTable(table(counts)));
        const reader = publishedValues(suppressTable({ ...table(counts), known: { counts: known } }));
        expect(reader.filter((v) => !outsider.includes(v))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('property: whatever is published is the true count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 40 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        (grid) => {
          const { published } = relations(grid);
          for (const cell of published.cells) {
            const truth = grid[Number(cell.row.slice(1))]![Number(cell.column.slice(1))]!;
            if (!cell.suppressed) expect(cell.count).toBe(truth);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('lastMonths', () => {
  it('lists the last months oldest first, across a year boundary', () => {
    expect(lastMonths(3, new Date('2026-02-10T00:00:00Z'))).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  it('turns the month at midnight in Japan, not in UTC (what a report received at 06:00 JST on the 1st counts in)', () => {
    expect(lastMonths(2, new Date('2026-11-30T21:00:00Z'))).toEqual(['2026-11', '2026-12']);
    expect(lastMonths(2, new Date('2026-11-30T14:59:59Z'))).toEqual(['2026-10', '2026-11']);
  });
});
