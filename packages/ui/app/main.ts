// The pages' frame: the header with who is signed in, and a hash router (#/dashboards/…, #/disclosure,
// #/audit) so every page is one static file served under /ui/. Each page moves focus to its heading.

import { html, render } from 'lit-html';
import './style.css';
import { signInPage } from './pages/sign-in.js';
import { graphql } from './graphql.js';
import { currentSession, signOut, type Session } from './session.js';
import { bilingual, errorBox, type Page } from './ui.js';

// Each page is its own chunk, loaded when first opened: the chart library comes only with the dashboards.
const ROUTES: Record<string, { page: () => Promise<Page>; title: string; signedIn: boolean }> = {
  '': { page: async () => signInPage, title: 'サインイン', signedIn: false },
  dashboards: {
    page: () => import('./pages/dashboards.js').then((m) => m.dashboardsPage),
    title: 'ダッシュボード',
    signedIn: true,
  },
  disclosure: {
    page: () => import('./pages/disclosure.js').then((m) => m.disclosurePage),
    title: '開示請求への回答',
    signedIn: true,
  },
  audit: { page: () => import('./pages/audit.js').then((m) => m.auditPage), title: '監査', signedIn: true },
};

/** An address that is no page (a mistyped link): said so, with the way back, whoever is signed in. */
const NOT_FOUND = {
  page: async (): Promise<Page> => async (main) => {
    render(
      html`<h1>${bilingual('ページが見つかりません', 'Page not found')}</h1>
        <p>
          ${bilingual('このアドレスのページはありません。', 'No page has this address.')}
          <a href="#/dashboards">${bilingual('ダッシュボードへ', 'To the dashboards')}</a>
        </p>`,
      main,
    );
  },
  title: 'ページが見つかりません',
  signedIn: false,
};

/** The names of the agencies signed in in this tab, by id: the register is public, read once per agency. */
const agencyNames = new Map<string, string>();
const askedNames = new Set<string>();
/** The page whose header is shown, to draw it again once the agency's name has come. */
let headerActive = '';

/**
 * Reads the signed-in agency's name from the register, and draws the header again with it. A failed read is
 * tried again at the next navigation; the header shows the id meanwhile.
 */
async function readAgencyName(session: Session): Promise<void> {
  if (askedNames.has(session.agency)) return;
  askedNames.add(session.agency);
  const answer = await graphql<{ agency: { name: string } | null }>(
    'query SignedInAgency($id: ID!) { agency(id: $id) { name } }',
    { id: session.agency },
    // Its own token: a refusal here is the header's, and leaves the sign-in to the page shown.
    { token: session.token },
  );
  const name = answer.data?.agency?.name;
  if (!name) return void askedNames.delete(session.agency);
  agencyNames.set(session.agency, name);
  if (currentSession()?.agency === session.agency) renderHeader(headerActive);
}

function renderHeader(active: string): void {
  headerActive = active;
  const session = currentSession();
  const name = session ? agencyNames.get(session.agency) : undefined;
  if (session && name === undefined) void readAgencyName(session);
  const link = (route: string, ja: string, en: string) =>
    html`<li><a href="#/${route}" aria-current=${active === route ? 'page' : 'false'}>${bilingual(ja, en)}</a></li>`;
  render(
    html`<div class="brand">${bilingual('重層的支援 連携ハブ', 'The hub')}</div>
      <nav aria-label="メインメニュー">
        <ul>
          ${link('dashboards', 'ダッシュボード', 'Dashboards')}
          ${link('disclosure', '開示請求への回答', 'Disclosure report')} ${link('audit', '監査', "Auditor's desk")}
        </ul>
      </nav>
      <div class="who">
        ${
          session
            ? html`<span class="agency"
                  >${name ?? session.agency}${session.roles.length ? `（${session.roles.join(', ')}）` : ''}
                  ${name ? html`<small class="agency-id" data-testid="agency-id">${session.agency}</small>` : ''}</span
                >
                <button
                  type="button"
                  @click=${() => {
                    signOut();
                    location.hash = '#/';
                    void route();
                  }}
                >
                  ${bilingual('サインアウト', 'Sign out')}
                </button>`
            : html`<a href="#/">${bilingual('サインイン', 'Sign in')}</a>`
        }
      </div>`,
    document.getElementById('site-header')!,
  );
}

/**
 * A page whose code could not be fetched (each page is its own chunk, served by the hub): its heading and
 * the hub's NETWORK_ERROR, rather than an empty page. The browser keeps a failed module, so it says to
 * load the page again once the hub answers.
 */
const unreachablePage =
  (title: string): Page =>
  async (main) => {
    render(
      html`<h1>${title}</h1>
        ${errorBox([{ message: 'The page could not be loaded from the hub', extensions: { code: 'NETWORK_ERROR' } }])}
        <p>
          ${bilingual(
            'ハブに接続できるようになったら、ページを再読み込みしてください。',
            'Reload the page once the hub answers.',
          )}
        </p>`,
      main,
    );
  };

let navigation = 0;
/** The address of the page shown, to go back to when an in-page link changed it. */
let shownRoute = '#/';

/** Moves focus into the page's content: the skip link's target, without leaving the page for another address. */
function skipToContent(event: Event): void {
  event.preventDefault();
  document.getElementById('main')!.focus();
}

async function route(): Promise<void> {
  // An address that is no route (#main, where the skip link points) moves focus there and keeps the page shown.
  if (location.hash && !location.hash.startsWith('#/')) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    history.replaceState(null, '', shownRoute);
    if (target && navigation > 0) {
      target.focus();
      return;
    }
  }
  shownRoute = location.hash || '#/';
  const path = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  let entry = ROUTES[path[0] ?? ''] ?? NOT_FOUND;
  if (entry.signedIn && !currentSession()) entry = ROUTES['']!;
  renderHeader(path[0] ?? '');
  document.title = `${entry.title} — 重層的支援 連携ハブ`;
  // A page's print header (the disclosure report's) is that page's and that sign-in's: it does not follow.
  document.getElementById('print-margins')?.remove();
  // Each navigation renders into a container of its own: a slower page left behind renders into nothing.
  const mine = ++navigation;
  const container = document.createElement('div');
  const main = document.getElementById('main')!;
  main.replaceChildren(container);
  // Busy while the page loads, drawn or failed; a page left behind leaves it to the navigation that replaced it.
  main.setAttribute('aria-busy', 'true');
  try {
    const page = await entry.page().catch(() => unreachablePage(entry.title));
    await page(container, path.slice(1));
  } finally {
    if (mine === navigation) main.removeAttribute('aria-busy');
  }
  const heading = container.querySelector('h1');
  if (heading && mine === navigation) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

window.addEventListener('hashchange', () => void route());
document.querySelector('a.skip')?.addEventListener('click', skipToContent);
void route();
