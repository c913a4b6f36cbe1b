import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countsOf, lastMonths, MIN_PUBLISHED_COUNT, suppressTable, type CountedTable } from './dashboards.js';

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
