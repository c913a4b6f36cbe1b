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

/** An answer that came, but not as the hub's JSON: said with its HTTP status rather than as no answer. */
const NOT_JSON: [string, string] = [
  'ハブからの応答が JSON ではありませんでした（混雑中か、障害の可能性があります）。しばらくしてからやり直してください。',
  'The hub answered, but not with JSON (busy or failing); try again shortly.',
];

/** The codes of a refusal as shown: its code, its reason, and the HTTP status of an answer that was not JSON. */
export const refusalCodes = (error: GraphQLError): string[] =>
  [
    error.extensions?.code ?? 'ERROR',
    error.extensions?.reason,
    error.extensions?.status === undefined ? undefined : `HTTP ${error.extensions.status}`,
  ].filter((part): part is string => Boolean(part));

/** Where a reason says more than its code: what it means and what to do. */
const REASON_TEXT: Record<string, [string, string]> = {
  // An id that names no one is refused as a person registered elsewhere: the page cannot tell which it was.
  OUTSIDE_JURISDICTION: [
    'この機関の管轄の市町村に、このIDの方は登録されていません。IDに誤りがないか確かめてください。',
    'No one with this id is registered in a municipality your agency serves; check the id.',
  ],
  AGENCY_DEACTIVATED: [
    'この機関は利用停止中です。ハブの管理者に問い合わせてください。',
    'Your agency is switched off; ask the hub administrator.',
  ],
  TOKEN_REVOKED: [
    'このトークンは使えなくなりました（機関の利用停止・再開の前に発行されたものです）。サインインし直してください。',
    'This token was issued before your agency was switched off and on again; sign in again.',
  ],
  NOT_PERMITTED: [
    '本人のアクセス記録を読めるのは、監査担当と、本人の市町村の福祉部門だけです。',
    "Only auditors and the welfare office of the person's municipality read a person's access log.",
  ],
  ALREADY_REVIEWED: [
    'この緊急時アクセスは、すでに別の監査担当が検証しています。一覧を読み直しました。',
    'Another auditor has reviewed this emergency access already; the queue was read again.',
  ],
};

/** What a reason means and what to do, in Japanese and English, where it says more than its code. */
export const reasonText = (reason: string | undefined): [string, string] | undefined =>
  reason !== undefined && Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason] : undefined;

/** When to try again, in seconds, where the answer said (RATE_LIMITED's retryAfterSeconds, or Retry-After). */
const retrySeconds = (error: GraphQLError): number | undefined => {
  const seconds = error.extensions?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
};

/**
 * What an error means and what to do: an answer that was not JSON, else its reason's meaning, else its code's;
 * with the seconds to wait where the answer said how many, instead of "shortly".
 */
function meaningOf(error: GraphQLError): [string, string] {
  const seconds = retrySeconds(error);
  if (seconds !== undefined && error.extensions?.code === 'RATE_LIMITED' && error.extensions.status === undefined) {
    return [
      `要求が多すぎます。${seconds}秒ほど待ってからやり直してください。`,
      `Too many requests; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    ];
  }
  const [ja, en] = (error.extensions?.status === undefined ? undefined : NOT_JSON) ??
    reasonText(error.extensions?.reason) ??
    CODE_TEXT[error.extensions?.code ?? ''] ?? ['エラーが発生しました。', 'Something went wrong.'];
  return seconds === undefined
    ? [ja, en]
    : [`${ja}（${seconds}秒後にやり直せます）`, `${en} (Try again in ${seconds} second${seconds === 1 ? '' : 's'}.)`];
}

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
        const [code, ...more] = refusalCodes(error);
        const [ja, en] = meaningOf(error);
        return html`<li>
          <code class="code">${code}</code>${more.map((part) => html` <code>${part}</code>`)} ${ja}
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

/**
 * The aria-busy of a region being loaded: "true" while it loads, and no attribute at all once it is drawn (or
 * failed), so a screen reader waits for the region rather than reading it half made.
 */
export const busy = (loading: boolean | undefined): 'true' | typeof nothing => (loading ? 'true' : nothing);

export const loading = (): TemplateResult =>
  html`<p class="loading" role="status">読み込み中… <span lang="en">Loading…</span></p>`;
