// What a dashboard page shows of a published table: the columns of the chosen months, each value as published
// (a suppressed one as "X", never 0 or blank), and no sum the hub did not publish. The CSV is this same view.

export interface Published {
  count: number | null;
  suppressed: boolean;
}

export interface DashboardTable {
  rowDimension: string;
  columnDimension: string;
  cells: { row: string; column: string; count: number | null; suppressed: boolean }[];
  rowTotals: { key: string; count: number | null; suppressed: boolean }[];
  columnTotals: { key: string; count: number | null; suppressed: boolean }[];
  total: Published;
}

export interface TableView {
  rowDimension: string;
  columnDimension: string;
  columns: string[];
  rows: { key: string; cells: Published[]; total: Published | null }[];
  columnTotals: Published[];
  /** The grand total, shown only when every column is: a sum over fewer months is not published. */
  total: Published | null;
  /** True when the month range left columns out, so the rows' totals are not shown. */
  narrowed: boolean;
}

export interface MonthRange {
  from?: string | null;
  to?: string | null;
}

const MISSING: Published = { count: null, suppressed: true };

/**
 * The mark of a suppressed value: "X", as official statistics mark 秘匿. Not "<5": a value hidden so that
 * another cannot be worked out by subtraction (a margin, the reader's own records) may be 5 or more.
 */
export const SUPPRESSED_MARK = 'X';

/** What the mark means, for its tooltip and the note under the table. */
export const SUPPRESSED_TITLE =
  '秘匿：5未満、または差し引きで5未満の数が分かってしまう値 / suppressed: fewer than 5, or a value that would reveal one by subtraction';

/** The table's corner: its rows' dimension, then its columns', as the page and its CSV both label it. */
export const cornerLabel = (rows: string, columns: string): string => `${rows} ＼ ${columns}`;

/** Whether a value is withheld: suppressed, or with no count published. */
export const isSuppressed = (value: Published): boolean => value.suppressed || value.count === null;

/** The value as shown: the count, or the mark of a suppressed one. */
export function shown(value: Published): string {
  return isSuppressed(value) ? SUPPRESSED_MARK : String(value.count);
}

/** Whether a month is in the range; a range given backwards (from after to) is read the right way round. */
function inRange(column: string, range: MonthRange): boolean {
  const [from, to] = range.from && range.to && range.from > range.to ? [range.to, range.from] : [range.from, range.to];
  return (!from || column >= from) && (!to || column <= to);
}

export function tableView(table: DashboardTable, range: MonthRange = {}): TableView {
  const rows = [...new Set(table.rowTotals.map((m) => m.key))];
  const allColumns = [...new Set(table.columnTotals.map((m) => m.key))];
  const columns = table.columnDimension === 'month' ? allColumns.filter((c) => inRange(c, range)) : allColumns;
  const narrowed = columns.length !== allColumns.length;
  const cell = new Map(table.cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const rowTotal = new Map(table.rowTotals.map((m) => [m.key, m]));
  const columnTotal = new Map(table.columnTotals.map((m) => [m.key, m]));
  const published = (value: Published | undefined): Published =>
    value ? { count: value.count, suppressed: value.suppressed } : MISSING;
  return {
    rowDimension: table.rowDimension,
    columnDimension: table.columnDimension,
    columns,
    rows: rows.map((key) => ({
      key,
      cells: columns.map((column) => published(cell.get(`${key}\u0000${column}`))),
      total: narrowed ? null : published(rowTotal.get(key)),
    })),
    columnTotals: columns.map((column) => published(columnTotal.get(column))),
    total: narrowed ? null : published(table.total),
    narrowed,
  };
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The view as CSV (RFC 4180, CRLF, with a byte-order mark so spreadsheet software reads the Japanese), labels as
 * shown on the page: exactly the rows, columns and values the page shows.
 */
export function toCsv(
  view: TableView,
  labels: { key: (dimension: string, key: string) => string; dimension: (name: string) => string; total: string },
): string {
  const header = [
    cornerLabel(labels.dimension(view.rowDimension), labels.dimension(view.columnDimension)),
    ...view.columns.map((c) => labels.key(view.columnDimension, c)),
    ...(view.narrowed ? [] : [labels.total]),
  ];
  const body = view.rows.map((row) => [
    labels.key(view.rowDimension, row.key),
    ...row.cells.map(shown),
    ...(row.total ? [shown(row.total)] : []),
  ]);
  const footer = [labels.total, ...view.columnTotals.map(shown), ...(view.total ? [shown(view.total)] : [])];
  return '\uFEFF' + [header, ...body, footer].map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}
