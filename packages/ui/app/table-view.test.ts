import { describe, expect, it } from 'vitest';
import { shown, tableView, toCsv, type DashboardTable } from './table-view.js';

const v = (count: number | null) => ({ count, suppressed: count === null });

/** Two kinds by three months; March's OUTDOOR cell and its complement are suppressed. */
const table: DashboardTable = {
  rowDimension: 'setting',
  columnDimension: 'month',
  cells: [
    { row: 'OUTDOOR', column: '2026-01', ...v(7) },
    { row: 'OUTDOOR', column: '2026-02', ...v(9) },
    { row: 'OUTDOOR', column: '2026-03', ...v(null) },
    { row: 'INDOOR', column: '2026-01', ...v(6) },
    { row: 'INDOOR', column: '2026-02', ...v(12) },
    { row: 'INDOOR', column: '2026-03', ...v(null) },
  ],
  rowTotals: [
    { key: 'OUTDOOR', ...v(19) },
    { key: 'INDOOR', ...v(21) },
  ],
  columnTotals: [
    { key: '2026-01', ...v(13) },
    { key: '2026-02', ...v(21) },
    { key: '2026-03', ...v(6) },
  ],
  total: v(40),
};

const labels = { key: (_: string, key: string) => key, dimension: (name: string) => name, total: '合計' };

describe('a dashboard as the page shows it', () => {
  it('shows a suppressed value as "X" (秘匿), never 0, blank or "<5" (a hidden margin may be 5 or more), and a published 0 would read 0', () => {
    expect(shown({ count: null, suppressed: true })).toBe('X');
    expect(shown({ count: 12, suppressed: false })).toBe('12');
    expect(shown({ count: 0, suppressed: false })).toBe('0');
  });

  it('keeps every published value and total when no month is left out', () => {
    const view = tableView(table);
    expect(view.narrowed).toBe(false);
    expect(view.columns).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(view.rows.map((r) => [r.key, ...r.cells.map(shown), shown(r.total!)])).toEqual([
      ['OUTDOOR', '7', '9', 'X', '19'],
      ['INDOOR', '6', '12', 'X', '21'],
    ]);
    expect(shown(view.total!)).toBe('40');
  });

  it('narrows to the chosen months without computing a sum the hub did not publish', () => {
    const view = tableView(table, { from: '2026-02', to: '2026-03' });
    expect(view.narrowed).toBe(true);
    expect(view.columns).toEqual(['2026-02', '2026-03']);
    expect(view.rows.every((r) => r.total === null)).toBe(true);
    expect(view.total).toBeNull();
    expect(view.columnTotals.map(shown)).toEqual(['21', '6']);
  });

  it('writes the CSV of exactly that view: same rows, columns and "X"', () => {
    const csv = toCsv(tableView(table, { from: '2026-02', to: '2026-03' }), labels);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'setting ＼ month,2026-02,2026-03',
      'OUTDOOR,9,X',
      'INDOOR,12,X',
      '合計,21,6',
      '',
    ]);
  });

  it('quotes a label holding a comma or a quote', () => {
    const csv = toCsv(tableView(table), { ...labels, key: (_, key) => (key === 'OUTDOOR' ? '屋外, "野外"' : key) });
    expect(csv).toContain('"屋外, ""野外""",7,9,X,19');
  });

  it('ignores a month range given backwards by showing the months between, in order', () => {
    expect(tableView(table, { from: '2026-03', to: '2026-02' }).columns).toEqual(['2026-02', '2026-03']);
  });
});
