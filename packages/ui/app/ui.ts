// Pieces every page uses: Japanese first with the English after it, the refusal box that names the gateway's
// code, and the announcement a screen reader hears when something changes without a page load.

import { html, nothing, type TemplateResult } from 'lit-html';
import type { GraphQLError } from './graphql.js';

/** A page renders itself into <main>; `path` is what follows its name in the hash (#/dashboards/caseDashboard). */
export type Page = (main: HTMLElement, path: string[]) => Promise<void>;

/** A label in Japanese with its English after it, marked as English for a screen reader. */
export const bilingual = (ja: string, en: string): TemplateResult =>
  html`${ja} <span class="en" lang="en">${en}</span>`;

const CODE_TEXT: Record<string, [string, string]> = {
  FORBIDDEN: ['この機関には閲覧・操作の権限がありません。', 'Your agency may not see or do this.'],
  UNAUTHENTICATED: ['サインインし直してください（トークンが無効か期限切れです）。', 'Sign in again.'],
  BAD_USER_INPUT: ['入力を確かめてください。', 'Check what you entered.'],
  RATE_LIMITED: ['要求が多すぎます。しばらく待ってからやり直してください。', 'Too many requests; try again shortly.'],
  NETWORK_ERROR: ['ハブに接続できません。', 'The hub did not answer.'],
};

/** The gateway's refusal as the page shows it: the code (e.g. FORBIDDEN), its reason, and what it means. */
export function errorBox(errors: readonly GraphQLError[] | undefined): TemplateResult | typeof nothing {
  if (!errors?.length) return nothing;
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = `${e.extensions?.code}|${e.extensions?.reason}|${e.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return html`<div class="error" role="alert">
    <h2>${bilingual('表示できません', 'Not shown')}</h2>
    <ul>
      ${unique.map((error) => {
        const code = error.extensions?.code ?? 'ERROR';
        const [ja, en] = CODE_TEXT[code] ?? ['エラーが発生しました。', 'Something went wrong.'];
        return html`<li>
          <code class="code">${code}</code
          >${error.extensions?.reason ? html` <code>${error.extensions.reason}</code>` : nothing} ${ja}
          <span lang="en">${en} (${error.message})</span>
        </li>`;
      })}
    </ul>
  </div>`;
}

/** Tells a screen reader what changed (the polite live region of index.html). */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  window.setTimeout(() => (region.textContent = text), 50);
}

export const loading = (): TemplateResult =>
  html`<p class="loading" role="status">読み込み中… <span lang="en">Loading…</span></p>`;
