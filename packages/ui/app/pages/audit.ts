// The auditor's desk: the emergency accesses still to review (and the review itself), the access log's chain
// verification with its last signed checkpoint, and the access log searched by agency and date. Everything here
// is the hub's auditor-only fields; any other agency sees the gateway's FORBIDDEN.

import { html, nothing, render, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { graphql, signedOut, type GraphQLError } from '../graphql.js';
import { periodFields, periodOfDays } from '../days.js';
import { formatDateTime, label } from '../labels.js';
import { logCells, logTable, type LogColumn, type LoggedDecision } from '../log-table.js';
import { announce, bilingual, busy, errorBox, loading, type Page } from '../ui.js';

interface Emergency {
  id: string;
  agency: { name: string };
  staffId: string;
  personId: string;
  categories: string[];
  reason: string;
  declaredAt: string;
  expiresAt: string;
  active: boolean;
}

interface Verification {
  intact: boolean;
  entries: number;
  problems: { problem: string; entryId: string | null }[];
  brokenEntries: number;
  checkpoint: { at: string | null; entries: number | null; verified: boolean } | null;
  checkpointLostAt: string | null;
  checkpointOrigin: { at: string; entries: number; overExistingLog: boolean } | null;
}

interface LogEntry extends LoggedDecision {
  id: string;
  personId: string;
}

/** The search's results: who read whose data, when, and on what basis. */
const SEARCH_COLUMNS: readonly LogColumn<LogEntry>[] = [
  [bilingual('日時', 'When'), logCells.at],
  [bilingual('機関', 'Agency'), logCells.agency],
  [bilingual('本人のID', 'Person id'), (entry) => html`<code>${entry.personId}</code>`],
  [bilingual('区分', 'Categories'), logCells.categories],
  [bilingual('結果', 'Outcome'), logCells.outcome],
  [bilingual('根拠・理由', 'Basis or reason'), logCells.why],
  [bilingual('利用目的', 'Purpose'), (entry) => entry.purpose ?? ''],
];

interface Search {
  agencyId: string;
  from: string;
  to: string;
}

const VERIFICATION =
  'verifyAccessLog { intact entries problems { problem entryId } brokenEntries checkpoint { at entries verified } checkpointLostAt checkpointOrigin { at entries overExistingLog } }';

const DESK = `query AuditorsDesk {
  emergencyAccesses(review: PENDING) { id agency { name } staffId personId categories reason declaredAt expiresAt active }
  ${VERIFICATION}
  agencies { id name }
}`;

/** Verifying the chain again reads no one's records: the queue is not read again with it. */
const VERIFY = `query VerifyAccessLog { ${VERIFICATION} }`;

/**
 * The purpose the desk states (X-Hub-Purpose) when it reads the queue: reading an emergency access is reading
 * a record about its person, logged as such, and the person is shown why.
 */
const PURPOSE = '緊急時アクセスの事後検証（監査）';

const SEARCH = `query AccessLogSearch($agencyId: ID, $from: DateTime, $to: DateTime, $after: String) {
  accessLogSearch(agencyId: $agencyId, from: $from, to: $to, first: 50, after: $after) {
    edges { node { id at personId agency { id name } categories allowed basis reason purpose } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** A reason longer than this is shown collapsed: its first words, opened into the whole by a press. */
const REASON_SHOWN = 100;
const REASON_EXCERPT = 60;

/**
 * An emergency's reason (up to 2,000 characters): whole when short; else its first words, which open into the
 * whole reason (a <details>), so that a long one does not make its row the height of many screens.
 */
const reasonCell = (reason: string): TemplateResult =>
  reason.length <= REASON_SHOWN
    ? html`<td class="reason">${reason}</td>`
    : html`<td class="reason">
        <details>
          <summary>
            <span class="excerpt">${reason.slice(0, REASON_EXCERPT)}…</span>
            <span class="more">${bilingual(`全文（${reason.length}字）`, 'Show all')}</span>
          </summary>
          <p>${reason}</p>
        </details>
      </td>`;

/** The pending emergency accesses, each with its review form. */
function emergencySection(
  emergencies: readonly Emergency[],
  reviewErrors: GraphQLError[] | undefined,
  reviewing: boolean,
  review: (event: SubmitEvent, emergency: Emergency) => void,
): TemplateResult {
  // A form is named as its row reads to the auditor (which agency declared it, when), never by the emergency's id;
  // its place in the queue tells apart two declared by one agency in one minute.
  const row = (e: Emergency, index: number): TemplateResult =>
    html`<tr>
      <td>${formatDateTime(e.declaredAt)}</td>
      <td>${e.agency.name}<br /><small>${e.staffId}</small></td>
      <td><code>${e.personId}</code></td>
      <td>${e.categories.map((c) => label('DataCategory', c)).join('、')}</td>
      ${reasonCell(e.reason)}
      <td>
        <form
          class="review"
          data-emergency=${e.id}
          @submit=${(event: SubmitEvent) => review(event, e)}
          aria-label="${index + 1}件目の検証（${e.agency.name}、${formatDateTime(e.declaredAt)}の宣言）"
        >
          <fieldset>
            <legend>${bilingual('検証結果', 'Outcome')}</legend>
            <label><input type="radio" name="outcome" value="JUSTIFIED" required /> 正当</label>
            <label><input type="radio" name="outcome" value="UNJUSTIFIED" /> 不当</label>
          </fieldset>
          <label for="note-${e.id}">${bilingual('所見', 'Note')}</label>
          <textarea id="note-${e.id}" name="note" rows="2"></textarea>
          <button type="submit">${bilingual('検証を記録', 'Record review')}</button>
        </form>
      </td>
    </tr>`;
  return html`<section aria-labelledby="emergency-heading" aria-busy=${busy(reviewing)}>
    <h2 id="emergency-heading" tabindex="-1">
      ${bilingual('緊急時アクセスの事後検証', 'Emergency accesses to review')}
    </h2>
    ${errorBox(reviewErrors)}
    ${
      emergencies.length === 0
        ? html`<p>${bilingual('検証待ちはありません。', 'Nothing to review.')}</p>`
        : html`<div class="table-scroll" tabindex="0" role="region" aria-label="検証待ち Pending">
            <table class="emergencies">
              <caption>
                ${bilingual('検証待ち', 'Pending')}（${emergencies.length}件）
              </caption>
              <thead>
                <tr>
                  <th scope="col">${bilingual('宣言日時', 'Declared')}</th>
                  <th scope="col">${bilingual('機関・職員', 'Agency, staff')}</th>
                  <th scope="col">${bilingual('本人のID', 'Person id')}</th>
                  <th scope="col">${bilingual('区分', 'Categories')}</th>
                  <th scope="col">${bilingual('理由', 'Reason')}</th>
                  <th scope="col">${bilingual('検証', 'Review')}</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(emergencies, (e) => e.id, row)}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

/** One problem verification found, and the entry it was found at. */
const problemText = ({ problem, entryId }: Verification['problems'][number]): string =>
  `${label('AccessLogProblem', problem)}${entryId ? `（記録 ${entryId}）` : ''}`;

/** The hub names the first 100 entries the chain shows broken; how many there are in all, when more. */
const moreBroken = ({ brokenEntries }: Verification): string =>
  brokenEntries > 100 ? `（鎖の不一致は全 ${brokenEntries} 件、初めの 100 件を表示）` : '';

/**
 * Where the checkpoint file's chain of checkpoints began: over an empty log, or over entries it took on trust
 * (a new file, a restore, the database reached by another spelling of its URL), which no cut before shows against.
 */
function originRow(origin: NonNullable<Verification['checkpointOrigin']>): TemplateResult {
  return html`<dt>${bilingual('チェックポイントの起点', 'Checkpoints since')}</dt>
    <dd class=${origin.overExistingLog ? 'bad' : ''} data-testid="checkpoint-origin">
      ${formatDateTime(origin.at)}
      ${
        origin.overExistingLog
          ? `（既にあった ${origin.entries} 件の記録の上で始まりました。それ以前の記録の切り取りは、このチェックポイントのファイルでは検出できません）`
          : '（空の記録から）'
      }
    </dd>`;
}

/**
 * The access log's chain as last verified, against its last signed checkpoint, and a button to verify again. A
 * verification asked again that the hub refused or failed withdraws the one before: its error is shown instead,
 * never the earlier result as if it were this one's.
 */
function chainSection(
  v: Verification | null,
  errors: GraphQLError[] | undefined,
  verifying: boolean,
  verifyAgain: () => Promise<void>,
): TemplateResult {
  return html`<section aria-labelledby="chain-heading" aria-busy=${busy(verifying)}>
    <h2 id="chain-heading">${bilingual('アクセス記録の検証', 'Access log verification')}</h2>
    ${errorBox(errors)}
    ${
      v
        ? chainStatus(v)
        : html`<p data-testid="chain-unverified">
            ${bilingual(
              '検証し直せませんでした。前回の検証結果は取り下げました。',
              'Not verified again; the earlier result is withdrawn.',
            )}
          </p>`
    }
    <button type="button" @click=${verifyAgain}>${bilingual('検証し直す', 'Verify again')}</button>
  </section>`;
}

/** What a verification found: the chain's state, its entries, its checkpoints. */
function chainStatus(v: Verification): TemplateResult {
  return html`<dl class="status">
    <dt>${bilingual('鎖の状態', 'Chain')}</dt>
    <dd class=${v.intact ? 'ok' : 'bad'} data-testid="chain-status">
      ${v.intact ? '改ざんなし（intact）' : `異常: ${v.problems.map(problemText).join('、')}${moreBroken(v)}`}
    </dd>
    <dt>${bilingual('記録の件数', 'Entries')}</dt>
    <dd>${v.entries}</dd>
    <dt>${bilingual('最後のチェックポイント', 'Last checkpoint')}</dt>
    <dd data-testid="checkpoint-at">
      ${
        v.checkpoint?.at
          ? html`${formatDateTime(v.checkpoint.at)}（${v.checkpoint.entries ?? '—'}件、署名${v.checkpoint.verified ? '確認済み' : '未確認'}）`
          : 'まだありません'
      }
    </dd>
    ${v.checkpointOrigin ? originRow(v.checkpointOrigin) : nothing}
    ${
      v.checkpointLostAt
        ? html`<dt>${bilingual('チェックポイントの消失', 'Checkpoint lost')}</dt>
            <dd class="bad" data-testid="checkpoint-lost">
              ${formatDateTime(v.checkpointLostAt)}
              に、最後のチェックポイントがファイルから消えていることを検出しました（照合はゲートウェイが覚えているチェックポイントで行っています）
            </dd>`
        : nothing
    }
  </dl>`;
}

/** What the search has found so far: its entries, the cursor of the next page, or why it could not search. */
interface Found {
  entries: LogEntry[];
  next: string | null;
  errors?: GraphQLError[];
}

/** The access log searched by agency and dates, its results and a button for the next page. */
function searchSection(
  agencies: readonly { id: string; name: string }[],
  search: Search,
  picked: { from: string; to: string },
  found: Found | null,
  searching: boolean,
  on: { search: (form: FormData) => void; more: () => void; pick: (field: 'from' | 'to', day: string) => void },
): TemplateResult {
  return html`<section aria-labelledby="search-heading">
    <h2 id="search-heading">${bilingual('アクセス記録の検索', 'Search the access log')}</h2>
    <form
      class="filters"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        on.search(new FormData(event.target as HTMLFormElement));
      }}
    >
      <label for="search-agency">${bilingual('機関', 'Agency')}</label>
      <select id="search-agency" name="agencyId">
        <option value="">すべて</option>
        ${agencies.map((a) => html`<option value=${a.id} ?selected=${a.id === search.agencyId}>${a.name}</option>`)}
      </select>
      ${periodFields('search', { from: bilingual('開始日', 'From'), to: bilingual('終了日', 'To') }, picked, on.pick)}
      <button type="submit">${bilingual('検索', 'Search')}</button>
    </form>
    <div aria-busy=${busy(searching)} data-testid="search-results">
      ${found ? errorBox(found.errors) : nothing}
      ${
        found && !found.errors
          ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="検索結果 Results">
                ${logTable(
                  html`${bilingual('検索結果', 'Results')}（${found.entries.length}件${found.next ? '〜' : ''}）`,
                  found.entries,
                  SEARCH_COLUMNS,
                )}
              </div>
              ${
                found.next
                  ? html`<button type="button" @click=${on.more}>${bilingual('さらに読み込む', 'Load more')}</button>`
                  : nothing
              }`
          : nothing
      }
    </div>
  </section>`;
}

export const auditPage: Page = async (main) => {
  render(loading(), main);
  type Desk = {
    emergencyAccesses: Emergency[];
    verifyAccessLog: Verification | null;
    agencies: { id: string; name: string }[];
  };
  const readDesk = () => graphql<Desk>(DESK, {}, { purpose: PURPOSE });
  let desk = await readDesk();
  let reviewErrors: GraphQLError[] | undefined;
  /** Why the chain could not be verified again (the result before it is then withdrawn). */
  let chainErrors: GraphQLError[] | undefined;
  const search: Search = { agencyId: '', from: '', to: '' };
  /** The days in the date fields as they stand, searched or not: each bounds the other. */
  const picked = { from: '', to: '' };
  let found: Found | null = null;
  /** What is being read again: the section it is drawn in is busy (aria-busy) until the answer is drawn. */
  let searching = false;
  let verifying = false;
  let reviewing = false;

  const review = async (event: SubmitEvent, emergency: Emergency) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    reviewing = true;
    draw();
    const result = await graphql<{ reviewEmergency: { id: string } }>(
      `
        mutation ReviewEmergency($id: ID!, $outcome: EmergencyReviewOutcome!, $note: String) {
          reviewEmergency(id: $id, outcome: $outcome, note: $note) {
            id
            review {
              outcome
              reviewedAt
            }
          }
        }
      `,
      { id: emergency.id, outcome: form.get('outcome'), note: String(form.get('note') ?? '') || null },
      { purpose: PURPOSE },
    );
    reviewErrors = result.errors;
    // Read again either way: an access another auditor reviewed meanwhile leaves the queue too.
    desk = await readDesk();
    reviewing = false;
    if (!result.errors?.length) {
      announce(`緊急時アクセスの検証を記録しました（${label('EmergencyReviewOutcome', String(form.get('outcome')))}）`);
    }
    draw();
    // The row reviewed has left the queue with its form: focus goes to the queue's heading, not to the page's top.
    main.querySelector<HTMLElement>('#emergency-heading')?.focus();
  };

  const runSearch = async (after: string | null) => {
    searching = true;
    draw();
    const result = await graphql<{
      accessLogSearch: { edges: { node: LogEntry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }>(SEARCH, {
      agencyId: search.agencyId || null,
      ...periodOfDays(search),
      after,
    });
    const page = result.data?.accessLogSearch;
    found = {
      entries: [...(after && found ? found.entries : []), ...(page?.edges.map((e) => e.node) ?? [])],
      next: page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      ...(result.errors?.length ? { errors: result.errors } : {}),
    };
    searching = false;
    draw();
    if (signedOut(found.errors)) return;
    announce(found.errors ? '検索できませんでした' : `${found.entries.length}件の記録`);
  };

  const verifyAgain = async () => {
    verifying = true;
    draw();
    const again = await graphql<Pick<Desk, 'verifyAccessLog'>>(VERIFY);
    verifying = false;
    // The sign-in page has taken over and says why.
    if (signedOut(again.errors)) return;
    const verified = again.errors?.length ? null : (again.data?.verifyAccessLog ?? null);
    chainErrors = verified
      ? undefined
      : again.errors?.length
        ? again.errors
        : [{ message: 'The hub answered no verification', extensions: { code: 'ERROR' } }];
    if (desk.data) desk = { ...desk, data: { ...desk.data, verifyAccessLog: verified } };
    draw();
    announce(verified ? '検証し直しました' : '検証できませんでした');
  };

  const draw = () => {
    const d = desk.data;
    render(
      html`<h1>${bilingual('監査', "Auditor's desk")}</h1>
        ${errorBox(desk.errors)}
        ${d?.emergencyAccesses ? emergencySection(d.emergencyAccesses, reviewErrors, reviewing, review) : nothing}
        ${
          d?.verifyAccessLog || (d && chainErrors)
            ? chainSection(d.verifyAccessLog, chainErrors, verifying, verifyAgain)
            : nothing
        }
        ${
          d?.agencies
            ? searchSection(d.agencies, search, picked, found, searching, {
                pick: (field, day) => {
                  picked[field] = day;
                  draw();
                },
                search: (form) => {
                  search.agencyId = String(form.get('agencyId') ?? '');
                  search.from = String(form.get('from') ?? '');
                  search.to = String(form.get('to') ?? '');
                  void runSearch(null);
                },
                more: () => void runSearch(found?.next ?? null),
              })
            : nothing
        }`,
      main,
    );
  };
  draw();
};
