// The disclosure report (開示請求への回答) for one person: who accessed what, when, on which basis and for what
// purpose, grouped by agency and month, as the hub's accessLog gives it to the calling welfare office. What the hub
// withholds is not in the answer, so it is not on the page; a print layout makes it an A4 document.

import { html, nothing, render, type TemplateResult } from 'lit-html';
import { graphql, signedOut, type GraphQLError, type GraphQLResult } from '../graphql.js';
import { periodFields, periodOfDays, type PickedDays } from '../days.js';
import { formatDate, monthOf } from '../labels.js';
import { currentSession } from '../session.js';
import { logCells, logTable, type LogColumn, type LoggedDecision } from '../log-table.js';
import { announce, bilingual, busy, errorBox, loading, type Page } from '../ui.js';

interface Entry extends LoggedDecision {
  id: string;
  staffId: string;
}

/** A month of the report: what an agency read of the person, on what basis, for what purpose. */
const REPORT_COLUMNS: readonly LogColumn<Entry>[] = [
  [bilingual('日時', 'When'), logCells.at],
  [bilingual('情報の区分', 'Categories'), logCells.categories],
  [bilingual('結果', 'Outcome'), logCells.outcome],
  [bilingual('根拠・理由', 'Basis or reason'), logCells.why],
  [bilingual('利用目的', 'Purpose'), (entry) => entry.purpose ?? '（記載なし）'],
];

interface AccessLogAnswer {
  accessLog: { edges: { node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null;
}

const PURPOSE = '開示請求への回答（本人へのアクセス記録の開示）';
const PAGE_SIZE = 200;
/** A report stops at this many entries and says so, rather than reading without end. */
const MOST = 5_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readAll(
  personId: string,
  days: PickedDays,
): Promise<{ entries: Entry[]; errors?: GraphQLError[]; truncated: boolean }> {
  const entries: Entry[] = [];
  let after: string | null = null;
  for (;;) {
    const result: GraphQLResult<AccessLogAnswer> = await graphql<AccessLogAnswer>(
      `
        query DisclosureReport($personId: ID!, $from: DateTime, $to: DateTime, $first: Int!, $after: String) {
          accessLog(personId: $personId, from: $from, to: $to, first: $first, after: $after) {
            edges {
              node {
                id
                at
                agency {
                  id
                  name
                }
                staffId
                categories
                allowed
                basis
                reason
                purpose
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `,
      { personId, ...periodOfDays(days), first: PAGE_SIZE, after },
      { purpose: PURPOSE },
    );
    if (result.errors?.length || !result.data?.accessLog)
      return { entries, errors: result.errors ?? [], truncated: false };
    entries.push(...result.data.accessLog.edges.map((e) => e.node));
    const { hasNextPage, endCursor } = result.data.accessLog.pageInfo;
    if (!hasNextPage || !endCursor) return { entries, truncated: false };
    if (entries.length >= MOST) return { entries, truncated: true };
    after = endCursor;
  }
}

/**
 * By agency (in the order of their first access), then by month, oldest first within each. An agency is its
 * id: two agencies of one name (two towns' 福祉課) are two groups, each under its name.
 */
function grouped(entries: readonly Entry[]): { agency: string; months: { month: string; entries: Entry[] }[] }[] {
  const byAgency = new Map<string, { name: string; months: Map<string, Entry[]> }>();
  for (const entry of [...entries].sort((a, b) => a.at.localeCompare(b.at))) {
    const group = byAgency.get(entry.agency.id) ?? { name: entry.agency.name, months: new Map<string, Entry[]>() };
    byAgency.set(entry.agency.id, group);
    const month = monthOf(entry.at);
    group.months.set(month, [...(group.months.get(month) ?? []), entry]);
  }
  return [...byAgency.values()].map(({ name, months }) => ({
    agency: name,
    months: [...months].map(([month, list]) => ({ month, entries: list })),
  }));
}

/** The agency issuing the report. */
interface Issuer {
  name: string;
  municipality: { name: string };
}

/** The issuing office as the report names it: its municipality, then its name (once, if the name starts with it). */
const issuerLine = ({ name, municipality }: Issuer) =>
  name.startsWith(municipality.name) ? name : `${municipality.name} ${name}`;

const monthHeading = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/** The print's running header (the issuing office, the title, the date) and page numbers, in the page's margin boxes. */
function printMargins(office: string, issued: string, title: string): void {
  const css = (text: string) => `"${text.replace(/["\\\n]/g, ' ')}"`;
  let style = document.getElementById('print-margins');
  if (!style) {
    style = document.createElement('style');
    style.id = 'print-margins';
    document.head.append(style);
  }
  style.textContent = `@page { @top-left { content: ${css(`${office} ${title}`.trim())}; }
    @top-right { content: ${css(`発行日 ${issued}`)}; }
    @bottom-center { content: counter(page) " / " counter(pages); } }`;
}

const TITLE = 'アクセス記録の開示';
/**
 * An auditor's token reads every entry, those the disclosure view withholds included: that report says so on
 * every page, so that it is not handed to the person as her disclosure.
 */
const FULL_TITLE = 'アクセス記録（監査用・全件）';

/** The period a report covers, as its header says it: both days included, either end open. */
const periodLine = ({ from, to }: PickedDays): string =>
  from || to ? `${from.replaceAll('-', '/')}〜${to.replaceAll('-', '/')}` : '全期間';

/** The report as printed: who issued it, for whom and when, and the entries by agency and month. */
function report(
  shown: { personId: string; days: PickedDays; entries: readonly Entry[]; truncated: boolean },
  issuer: Issuer | null | undefined,
  issued: string,
  full: boolean,
): TemplateResult {
  const groups = grouped(shown.entries);
  return html`<article class="report" aria-labelledby="report-title">
    <header class="report-head">
      <p class="issuer">${issuer ? issuerLine(issuer) : ''}</p>
      <h2 id="report-title">${full ? FULL_TITLE : TITLE}</h2>
      ${
        full
          ? html`<p class="notice" data-testid="full-view">
              監査の役割で読んだため、本人への開示で伏せる記録も含みます。本人に渡すものではありません。開示には、監査の役割のないトークンで作成してください。
            </p>`
          : nothing
      }
      <dl>
        <dt>本人のID</dt>
        <dd><code>${shown.personId}</code></dd>
        <dt>対象期間</dt>
        <dd data-testid="period">${periodLine(shown.days)}</dd>
        <dt>発行日</dt>
        <dd>${issued}</dd>
        <dt>件数</dt>
        <dd>${shown.entries.length}件${shown.truncated ? '（以降省略）' : ''}</dd>
      </dl>
    </header>
    ${groups.length === 0 ? html`<p>記録はありません。</p>` : nothing}
    ${groups.map(
      (group) =>
        html`<section class="agency-group">
          <h3>${group.agency}</h3>
          ${group.months.map((month) => {
            const caption = `${group.agency} — ${monthHeading(month.month)}`;
            // A table that scrolls sideways (on a narrow screen) is a region the keyboard reaches, named as its caption.
            return html`<div class="table-scroll" tabindex="0" role="region" aria-label=${caption}>
              ${logTable(caption, month.entries, REPORT_COLUMNS)}
            </div>`;
          })}
        </section>`,
    )}
  </article>`;
}

const ISSUER = `
  query Issuer($agency: ID!) {
    agency(id: $agency) {
      name
      municipality {
        name
      }
    }
  }
`;

export const disclosurePage: Page = async (main) => {
  const session = currentSession()!;
  /**
   * The issuing office, which every report names (on screen and in each printed page's header). A read that
   * failed is shown, and made again by 作成: no report is made without it.
   */
  let issuer: Issuer | null = null;
  let issuerErrors: GraphQLError[] | undefined;
  const readIssuer = async () => {
    const me = await graphql<{ agency: Issuer | null }>(ISSUER, { agency: session.agency });
    issuer = me.errors?.length ? null : (me.data?.agency ?? null);
    issuerErrors = issuer
      ? undefined
      : me.errors?.length
        ? me.errors
        : [{ message: 'The hub answered no issuing office', extensions: { code: 'ERROR' } }];
  };
  await readIssuer();
  const full = session.roles.includes('auditor');
  const issued = formatDate(new Date());
  let state: {
    personId: string;
    /** The period asked for with the report shown (or being made). */
    days?: PickedDays;
    entries?: Entry[];
    errors?: GraphQLError[];
    truncated?: boolean;
    busy?: boolean;
    invalid?: boolean;
  } = {
    personId: '',
  };
  /** The days in the period's fields as they stand, asked for or not: each bounds the other. */
  const picked = { from: '', to: '' };

  // Which 作成 the page shows: an answer to an earlier one that arrives after a later 作成 is dropped, so the
  // report (and what is printed) is always of the id asked last.
  let asked = 0;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    // A UUID in capitals names the same person: the report names her id as the hub holds it.
    const personId = String(form.get('personId') ?? '')
      .trim()
      .toLowerCase();
    const days = { from: String(form.get('from') ?? ''), to: String(form.get('to') ?? '') };
    const mine = ++asked;
    if (!UUID.test(personId)) {
      state = { personId, invalid: true };
      draw();
      return;
    }
    state = { personId, days, busy: true };
    draw();
    if (!issuer) {
      await readIssuer();
      if (mine !== asked) return;
      if (!issuer) {
        state = { personId, days };
        draw();
        if (!signedOut(issuerErrors)) announce('表示できませんでした');
        return;
      }
    }
    const read = await readAll(personId, days);
    if (mine !== asked) return;
    state = { personId, days, ...read };
    draw();
    if (signedOut(read.errors)) return;
    announce(
      read.errors?.length
        ? '表示できませんでした'
        : `${read.entries.length}件の記録を表示しました${read.truncated ? '（以降は省略しています）' : ''}`,
    );
  };

  const draw = () => {
    // Written for this sign-in on every draw, the issuing office left out when it could not be read.
    printMargins(issuer ? issuerLine(issuer) : '', issued, full ? FULL_TITLE : TITLE);
    render(
      html`<div class="screen-only">
          <h1>${bilingual('開示請求への回答', 'Disclosure report')}</h1>
          <p>
            ${bilingual(
              '本人からの開示請求（個人情報の開示）に応えるため、本人の情報に誰が、いつ、どの根拠で、何のためにアクセスしたかを一覧にします。照会の目的（開示請求への回答）はこの一覧の照会とともに送られます。',
              'Who accessed the person’s data, when, on which basis and for what purpose. The request states its purpose (a disclosure request).',
            )}
          </p>
          <form @submit=${submit} class="inline">
            <label for="personId">${bilingual('本人のID', 'Person id')}</label>
            <input
              id="personId"
              name="personId"
              .value=${state.personId}
              required
              autocomplete="off"
              spellcheck="false"
              aria-invalid=${state.invalid ? 'true' : 'false'}
              aria-describedby="personId-hint"
            />
            <span id="personId-hint" class="hint">${bilingual('UUID 形式', 'a UUID')}</span>
            ${periodFields(
              'period',
              {
                from: bilingual('期間の開始日（任意）', 'From (optional)'),
                to: bilingual('期間の終了日（任意）', 'To (optional)'),
              },
              picked,
              (field, day) => {
                picked[field] = day;
                draw();
              },
            )}
            <button type="submit" ?disabled=${state.busy ?? false}>${bilingual('作成', 'Create')}</button>
            ${
              state.entries && !state.errors?.length
                ? html`<button type="button" @click=${() => window.print()}>
                    ${bilingual('印刷・PDF保存', 'Print / PDF')}
                  </button>`
                : nothing
            }
          </form>
          ${state.invalid ? html`<p class="error" role="alert">本人のIDは UUID 形式で入力してください。 <span lang="en">Enter a UUID.</span></p>` : nothing}
          ${
            issuer
              ? nothing
              : html`${errorBox(issuerErrors)}
                  <p data-testid="issuer-unread">
                    ${bilingual(
                      '発行元の機関を読めませんでした。作成のときに読み直します（読めるまで作成しません）。',
                      'The issuing office could not be read; 作成 reads it again, and makes no report without it.',
                    )}
                  </p>`
          }
          ${state.busy ? loading() : nothing} ${errorBox(state.errors)}
        </div>
        <div aria-busy=${busy(state.busy)}>
          ${
            state.entries && !state.errors?.length
              ? report(
                  {
                    personId: state.personId,
                    days: state.days ?? { from: '', to: '' },
                    entries: state.entries,
                    truncated: state.truncated ?? false,
                  },
                  issuer,
                  issued,
                  full,
                )
              : nothing
          }
        </div>`,
      main,
    );
  };
  draw();
};
