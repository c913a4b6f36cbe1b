// Sign-in. In development the gateway offers the demo agencies and the very token `npm run token` prints; in
// production the page takes the token the operator's identity provider issued (docs/ui.md). The page mints nothing.

import { html, nothing, render, type TemplateResult } from 'lit-html';
import { graphql } from '../graphql.js';
import { currentSession, readToken, signIn, takeExpiredNotice, type Session, type SignInRefusal } from '../session.js';
import { announce, bilingual, reasonText, refusalCodes, type Page } from '../ui.js';

interface DemoRegister {
  agencies: { id: string; name: string; domain: string }[];
  roles: string[];
}

const ROLE_TEXT: Record<string, string> = {
  '': 'なし（機関の職員）',
  auditor: 'auditor（監査）',
  dashboard: 'dashboard（集計のみ）',
  'hub-admin': 'hub-admin（ハブ管理者）',
};

/** The JSON the hub answers at `path`, or null when it does not answer so. */
async function readJson<T>(path: string): Promise<T | null> {
  const response = await fetch(path).catch(() => null);
  return response?.ok ? ((await response.json().catch(() => null)) as T | null) : null;
}

/**
 * The demo agencies and roles, where the hub offers the development sign-in. It says first whether it does: in
 * production the sign-in does not exist, and asking for it would be a 404 on every load.
 */
async function demoRegister(): Promise<DemoRegister | null> {
  const options = await readJson<{ developmentSignIn?: boolean }>('/ui/sign-in-options');
  return options?.developmentSignIn ? readJson<DemoRegister>('/ui/dev/sign-in') : null;
}

export const signInPage: Page = async (main) => {
  const demo = await demoRegister();
  const expired = takeExpiredNotice();
  let message: TemplateResult | null = expired
    ? bilingual(
        'サインインの有効期限が切れました。もう一度サインインしてください。',
        'Your sign-in expired; sign in again.',
      )
    : null;
  // Heard as well as shown: the alert sits below the forms, out of sight at 200 %.
  if (expired) announce('サインインの有効期限が切れました。もう一度サインインしてください。');

  const REFUSED: Record<SignInRefusal, TemplateResult> = {
    UNREADABLE: bilingual('トークンを読み取れませんでした。', 'The token could not be read.'),
    EXPIRED: bilingual(
      'トークンの有効期限が切れています。新しいトークンを発行してください。',
      'The token has expired; get a new one.',
    ),
  };

  const done = (outcome: Session | SignInRefusal) => {
    if (typeof outcome === 'string') {
      message = REFUSED[outcome];
      draw();
      return;
    }
    announce('サインインしました');
    // Back to the page that asked for a sign-in (#/audit stays #/audit); the same address is routed again.
    const asked = location.hash.startsWith('#/') && location.hash.length > 2 ? location.hash : '#/dashboards';
    if (location.hash === asked) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = asked;
  };

  /** Not signed in, and why: the codes (or an HTTP status), with what they mean where the pages know it. */
  const notSignedIn = (codes: string[], reason: string | undefined, [ja, en]: [string, string]) => {
    const why = codes.join(' ');
    const [meaningJa, meaningEn] = reasonText(reason) ?? ['', ''];
    message = bilingual(`${ja}（${why}）${meaningJa}`, `${en} (${why}) ${meaningEn}`.trim());
    draw();
  };
  const UNCHECKED: [string, string] = [
    'ハブに確かめられなかったため、サインインしていません。しばらくしてからやり直してください。',
    'The hub could not be asked, so you are not signed in; try again shortly.',
  ];

  const demoSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const role = String(form.get('role') ?? '');
    let token: string | undefined;
    try {
      const response = await fetch('/ui/dev/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agency: form.get('agency'), roles: role ? [role] : [] }),
      });
      if (!response.ok) return notSignedIn([`HTTP ${response.status}`], undefined, UNCHECKED);
      token = ((await response.json()) as { token?: string }).token;
    } catch {
      return notSignedIn(['NETWORK_ERROR'], undefined, UNCHECKED);
    }
    // The token minted for a demo agency is shown to the hub as a pasted one is: an agency switched off since
    // the list was read is told so here, not by every page after.
    await checkThenSignIn(token ?? '');
  };

  // A pasted token is shown to the hub before it is kept: the page reads its claims but cannot check its
  // signature, issuer or audience, and a token the gateway refuses would sign in to nothing but errors. Only
  // an answer of the hub signs in: a hub out of reach, busy or failing has checked nothing.
  const tokenSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    await checkThenSignIn(String(new FormData(event.target as HTMLFormElement).get('token') ?? ''));
  };

  const checkThenSignIn = async (pasted: string) => {
    const read = readToken(pasted);
    if (typeof read === 'string') return done(read);
    const check = await graphql<{ __typename: string }>('{ __typename }', {}, { token: read.token });
    if (check.status === 200 && check.data?.__typename) return done(signIn(read.token));
    const refusal = check.errors?.[0];
    const code = refusal?.extensions?.code;
    notSignedIn(
      refusal && code ? refusalCodes(refusal) : [`HTTP ${check.status}`],
      refusal?.extensions?.reason,
      check.status === 401 || code === 'UNAUTHENTICATED'
        ? ['ハブがこのトークンを受け付けませんでした。', 'The hub refused this token.']
        : UNCHECKED,
    );
  };

  const session = currentSession();
  const draw = () =>
    render(
      html`<h1>${bilingual('サインイン', 'Sign in')}</h1>
        ${
          session
            ? html`<p>
                ${bilingual(`${session.agency} としてサインインしています。`, `Signed in as ${session.agency}.`)}
              </p>`
            : nothing
        }
        <p>
          ${bilingual(
            'このページはハブの POST /graphql だけを、機関のシステムと同じトークンで使います。見えるもの・できることはハブが決めます。',
            'These pages use only POST /graphql, with the same token and decisions as any agency system.',
          )}
        </p>
        ${
          demo
            ? html`<section aria-labelledby="demo-heading">
                <h2 id="demo-heading">${bilingual('開発用のサインイン', 'Development sign-in')}</h2>
                <p>
                  ${bilingual('npm run token と同じトークンを受け取ります（開発環境のみ）。', 'Receives the token npm run token prints (development only).')}
                </p>
                <form @submit=${demoSubmit}>
                  <label for="agency">${bilingual('機関', 'Agency')}</label>
                  <select id="agency" name="agency" required>
                    ${demo.agencies.map((a) => html`<option value=${a.id}>${a.name}（${a.id}）</option>`)}
                  </select>
                  <label for="role">${bilingual('役割', 'Role')}</label>
                  <select id="role" name="role">
                    ${['', ...demo.roles].map((r) => html`<option value=${r}>${ROLE_TEXT[r] ?? r}</option>`)}
                  </select>
                  <button type="submit">${bilingual('サインイン', 'Sign in')}</button>
                </form>
              </section>`
            : nothing
        }
        <section aria-labelledby="token-heading">
          <h2 id="token-heading">${bilingual('トークンでサインイン', 'Sign in with a token')}</h2>
          <p>
            ${bilingual('運用では、自治体の認証基盤（IdP）が発行したトークンを使います。', 'In production, use the token your identity provider issued.')}
          </p>
          <form @submit=${tokenSubmit}>
            <label for="token">${bilingual('トークン', 'Token')}</label>
            <textarea id="token" name="token" rows="3" required autocomplete="off" spellcheck="false"></textarea>
            <button type="submit">${bilingual('このトークンで入る', 'Use this token')}</button>
          </form>
        </section>
        ${message ? html`<p class="error" role="alert">${message}</p>` : nothing}`,
      main,
    );
  draw();
};
