// One page per domain's dashboard: the published table as a chart (its column totals) and as a table, filtered by
// month and municipality without computing any count the hub did not publish, and its CSV, the same view.

import { html, nothing, render, type TemplateResult } from 'lit-html';
import { disposeChart, drawChart, resizeCharts } from '../chart.js';
import { graphql, type GraphQLResult } from '../graphql.js';
import { dimensionName, keyLabel, label } from '../labels.js';
import { currentSession } from '../session.js';
import {
  cornerLabel,
  isSuppressed,
  shown,
  SUPPRESSED_MARK,
  SUPPRESSED_TITLE,
  tableView,
  toCsv,
  type DashboardTable,
  type TableView,
} from '../table-view.js';
import { announce, bilingual, errorBox, loading, type Page } from '../ui.js';

interface Dashboard {
  field: string;
  ja: string;
  en: string;
  domain: string;
}

export const DASHBOARDS: readonly Dashboard[] = [
  { field: 'caseDashboard', ja: '多機関協働の事例', en: 'Multi-agency cases', domain: 'WELFARE' },
  { field: 'urgentReportsDashboard', ja: '緊急通告', en: 'Urgent reports', domain: 'CHILD_DV' },
  {
    field: 'diversePlacementsDashboard',
    ja: '多様な就労の紹介',
    en: 'Diverse placements',
    domain: 'EMPLOYMENT',
  },
  {
    field: 'silverPlacementsDashboard',
    ja: 'シルバー人材センターの就業',
    en: 'Silver centre work',
    domain: 'SENIORS_WORK',
  },
  {
    field: 'ecoEnrollmentsDashboard',
    ja: '環境プロジェクトへの参加',
    en: 'Eco-project enrolments',
    domain: 'ENVIRONMENT',
  },
  {
    field: 'referralFlowDashboard',
    ja: 'つなぎの流れ',
    en: 'Referrals between domains',
    domain: 'HUB',
  },
  { field: 'meetingsHeldDashboard', ja: '会議の開催', en: 'Meetings held', domain: 'HUB' },
];

const TABLE_FIELDS = `rowDimension columnDimension
  cells { row column count suppressed }
  rowTotals { key count suppressed }
  columnTotals { key count suppressed }
  total { count suppressed }`;

interface Answer {
  agency: { name: string; jurisdiction: string[] } | null;
  municipalities: { code: string; name: string }[];
  table: DashboardTable | null;
}

interface Filter {
  from: string;
  to: string;
  municipality: string;
}

const TOTAL = '合計';

function download(view: TableView, name: string): void {
  const csv = toCsv(view, { key: keyLabel, dimension: dimensionName, total: TOTAL });
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}.csv`;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

const valueCell = (value: { count: number | null; suppressed: boolean }) =>
  isSuppressed(value)
    ? // Seen as X, heard as 秘匿: a screen reader gives an abbr's title to no one and would read "エックス".
      html`<td class="num suppressed">
        <abbr title=${SUPPRESSED_TITLE} aria-hidden="true">${SUPPRESSED_MARK}</abbr
        ><span class="visually-hidden">秘匿</span>
      </td>`
    : html`<td class="num">${shown(value)}</td>`;

function tableOf(view: TableView, caption: TemplateResult): TemplateResult {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="集計表 Table">
    <table class="dashboard">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${cornerLabel(dimensionName(view.rowDimension), dimensionName(view.columnDimension))}</th>
          ${view.columns.map((c) => html`<th scope="col">${keyLabel(view.columnDimension, c)}</th>`)}
          ${view.narrowed ? nothing : html`<th scope="col">${TOTAL}</th>`}
        </tr>
      </thead>
      <tbody>
        ${view.rows.map(
          (row) =>
            html`<tr>
              <th scope="row">${keyLabel(view.rowDimension, row.key)}</th>
              ${row.cells.map(valueCell)} ${row.total ? valueCell(row.total) : nothing}
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">${TOTAL}</th>
          ${view.columnTotals.map(valueCell)} ${view.total ? valueCell(view.total) : nothing}
        </tr>
      </tfoot>
    </table>
  </div>`;
}

/** The list of dashboards, the one shown marked as the current page. */
function dashboardTabs(shown: (typeof DASHBOARDS)[number] | undefined): TemplateResult {
  return html`<nav aria-label="ダッシュボードの一覧 Dashboards" class="tabs">
    <ul>
      ${DASHBOARDS.map(
        (d) =>
          html`<li>
            <a href="#/dashboards/${d.field}" aria-current=${d === shown ? 'page' : 'false'}
              >${d.ja} <span class="domain">${d.domain === 'HUB' ? 'ハブ' : label('Domain', d.domain)}</span></a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** What the filter form offers: the table's months, the caller's municipalities, and the filter as it stands. */
interface FilterChoices {
  readonly months: readonly string[];
  readonly jurisdiction: readonly string[];
  readonly names: ReadonlyMap<string, string>;
  /** The caller's whole jurisdiction, named. */
  readonly coverage: string;
  readonly filter: Filter;
  /** Whether the filter asks for a table the hub publishes (the whole jurisdiction, not one municipality). */
  readonly answerable: boolean;
}

/** The months and the municipality to show, and the CSV download of what is shown. */
function filterForm(
  { months, jurisdiction, names, coverage, filter, answerable }: FilterChoices,
  on: { refilter: () => void; download: () => void },
): TemplateResult {
  const picked = (e: Event) => (e.target as HTMLSelectElement).value;
  return html`<form class="filters" @submit=${(e: Event) => e.preventDefault()} aria-label="絞り込み Filter">
    ${
      months.length
        ? html`<label for="from">${bilingual('開始月', 'From')}</label>
            <select id="from" @change=${(e: Event) => ((filter.from = picked(e)), on.refilter())}>
              ${months.map((m) => html`<option value=${m} ?selected=${m === filter.from}>${keyLabel('month', m)}</option>`)}
            </select>
            <label for="to">${bilingual('終了月', 'To')}</label>
            <select id="to" @change=${(e: Event) => ((filter.to = picked(e)), on.refilter())}>
              ${months.map((m) => html`<option value=${m} ?selected=${m === filter.to}>${keyLabel('month', m)}</option>`)}
            </select>`
        : nothing
    }
    <label for="municipality">${bilingual('市町村', 'Municipality')}</label>
    <select id="municipality" @change=${(e: Event) => ((filter.municipality = picked(e)), on.refilter())}>
      <option value="" ?selected=${filter.municipality === ''}>${coverage}</option>
      ${
        jurisdiction.length > 1
          ? jurisdiction.map(
              (code) =>
                html`<option value=${code} ?selected=${filter.municipality === code}>
                  ${names.get(code) ?? code}
                </option>`,
            )
          : nothing
      }
    </select>
    <button type="button" ?disabled=${!answerable} @click=${on.download}>
      ${bilingual('CSVで保存', 'Download CSV')}
    </button>
  </form>`;
}

/** The table as filtered: its chart of column totals, the table itself and what "X" means. */
function tableSection(view: TableView, title: string, chartElement: HTMLElement, filter: Filter): TemplateResult {
  return html`${
      filter.from && filter.to && filter.from > filter.to
        ? html`<p class="note" data-testid="range-swapped">
            ${bilingual(
              `開始月が終了月より後のため、${keyLabel('month', filter.to)}から${keyLabel('month', filter.from)}までを表示しています。`,
              'The first month is after the last: the months between them are shown.',
            )}
          </p>`
        : nothing
    }${
      view.narrowed
        ? html`<p class="note">
            ${bilingual(
              '期間を絞っているため、行の合計と総数は表示しません（公開されているのは12か月の合計だけです）。',
              'Row totals are hidden while the months are narrowed: only the 12-month totals are published.',
            )}
          </p>`
        : nothing
    }
    <figure>
      <figcaption>${title}: ${bilingual('列の合計', 'column totals')}</figcaption>
      ${chartElement}
    </figure>
    ${tableOf(view, html`${title}`)}
    <p class="note">
      ${bilingual(
        '「X」は秘匿した値です。5未満（0を含みます）か、差し引きで5未満の数が分かってしまう値（5以上のこともあります）です。',
        '"X" is a suppressed value: fewer than 5 (zero included), or one that would reveal such a count by subtraction (which may itself be 5 or more).',
      )}
    </p>`;
}

/** Why one municipality of a jurisdiction gets no table of its own. */
const PER_MUNICIPALITY_WITHHELD = html`<p class="notice">
  ${bilingual(
    '市町村ごとの集計は公開していません。管轄全体の表から一つの市町村の表を差し引くと、小さな数が分かってしまうためです（秘匿処理）。',
    'No per-municipality table is published: subtracting it from the whole would reveal small counts.',
  )}
</p>`;

/**
 * The live region that says why a municipality's table is withheld: there (empty) from the page's first draw, so
 * a screen reader hears the words put in it; a region created together with its words may go unheard.
 */
const withheldRegion = (withheld: boolean): TemplateResult =>
  html`<div role="status" data-testid="withheld">${withheld ? PER_MUNICIPALITY_WITHHELD : nothing}</div>`;

const filters = new Map<string, Filter>();
window.addEventListener('resize', resizeCharts);

export const dashboardsPage: Page = async (main, path) => {
  const named = path[0] === undefined ? DASHBOARDS[0] : DASHBOARDS.find((d) => d.field === path[0]);
  // An address naming no dashboard (a mistyped link) says so, with the list, rather than showing another one.
  if (!named) {
    render(
      html`<h1>${bilingual('ダッシュボード', 'Dashboards')}</h1>
        ${dashboardTabs(undefined)}
        <p class="notice" role="alert">
          ${bilingual('このアドレスのダッシュボードはありません。一覧から選んでください。', 'No dashboard has this address; pick one from the list.')}
        </p>`,
      main,
    );
    return;
  }
  const dashboard = named;
  const session = currentSession()!;
  render(loading(), main);
  // The field name comes from the fixed list above, never from the address bar.
  const result: GraphQLResult<Answer> = await graphql<Answer>(
    `query Dashboard($agency: ID!) {
      agency(id: $agency) { name jurisdiction }
      municipalities { code name }
      table: ${dashboard.field} { ${TABLE_FIELDS} }
    }`,
    { agency: session.agency },
  );
  const table = result.data?.table ?? null;
  const jurisdiction = result.data?.agency?.jurisdiction ?? [];
  const names = new Map((result.data?.municipalities ?? []).map((m) => [m.code, m.name]));
  const months = table?.columnDimension === 'month' ? table.columnTotals.map((m) => m.key) : [];
  // A filter is kept per sign-in and dashboard, and only while it still fits what this answer offers: another
  // agency signed in in the same tab, or a table of other months, starts from the whole table.
  const key = `${session.token}\u0000${dashboard.field}`;
  const kept = filters.get(key);
  const fits =
    kept &&
    (!kept.municipality || (jurisdiction.length > 1 && jurisdiction.includes(kept.municipality))) &&
    (!months.length || (months.includes(kept.from) && months.includes(kept.to)));
  const filter = fits ? kept : { from: months[0] ?? '', to: months.at(-1) ?? '', municipality: '' };
  // Another sign-in's filters go; this one's of the other dashboards stay for when it comes back to them.
  for (const other of filters.keys()) if (!other.startsWith(`${session.token}\u0000`)) filters.delete(other);
  filters.set(key, filter);

  const chartElement = document.createElement('div');
  chartElement.className = 'chart';
  chartElement.dataset['chart'] = '';

  // A filter redraws the page without loading one: a screen reader is told what it shows now.
  const refilter = () => {
    draw();
    const months = filter.from && filter.to ? `${filter.from}〜${filter.to}` : '';
    announce(`表示を更新しました${months ? `（${months}）` : ''}`);
  };

  const draw = () => {
    const view = table ? tableView(table, filter) : null;
    // Every table counts the caller's jurisdiction, and only it (the hub's and the agency systems' alike).
    const answerable = filter.municipality === '';
    const coverage = jurisdiction.map((code) => names.get(code) ?? code).join('・');
    const title = `${dashboard.ja}（${coverage}）`;
    render(
      html`<h1>${bilingual('ダッシュボード', 'Dashboards')}</h1>
        ${dashboardTabs(dashboard)}
        <h2>${bilingual(dashboard.ja, dashboard.en)}</h2>
        ${errorBox(result.errors)}
        ${
          table && view
            ? html`${filterForm(
                { months, jurisdiction, names, coverage, filter, answerable },
                {
                  refilter,
                  download: () => download(view, dashboard.field),
                },
              )}
              ${answerable ? tableSection(view, title, chartElement, filter) : nothing} ${withheldRegion(!answerable)}`
            : nothing
        }`,
      main,
    );
    if (view && answerable) {
      drawChart(chartElement, {
        title,
        categories: view.columns.map((c) => keyLabel(view.columnDimension, c)),
        values: view.columnTotals,
      });
    } else {
      disposeChart(chartElement);
    }
  };
  draw();
};
