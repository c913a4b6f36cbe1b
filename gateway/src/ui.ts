// The hub's pages under /ui/: the static files packages/ui builds, served from the hub's own origin with a
// policy that lets them talk to nothing else, and in development the demo sign-in (the `npm run token` token).

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import { AGENCIES, requestError, type HubConfig } from '@hub/platform';
import { DEV_ROLES, mintDevToken, mintsDevTokens } from './auth/token.js';

const UI_PATH = '/ui/';

type FileHandler = ReturnType<typeof sirv>;

/**
 * Every resource from the hub's own origin only: no CDN, no external font, no request elsewhere. Styles may be
 * inline (the chart library sets them on the elements it draws); scripts may not.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What every answer under /ui/ carries, beside its own type and caching. */
const PAGE_HEADERS: readonly (readonly [string, string])[] = [
  ['content-security-policy', UI_CONTENT_SECURITY_POLICY],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
];

export interface UiOptions {
  /** The folder packages/ui built (`UI_DIST_DIR` of @hub/ui). */
  distDir: string;
  auth: HubConfig['auth'];
  /** Offers the demo sign-in; never in production, where the token comes from the operator's identity provider. */
  development: boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function readJson(req: IncomingMessage, limit = 4096): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > limit) req.destroy();
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined));
  });
}

const DEMO_AGENCIES = Object.values(AGENCIES).map(({ id, name, domain }) => ({ id, name, domain }));

/**
 * The demo sign-in: GET lists the demo agencies and roles, POST `{ agency, roles }` answers the token
 * `npm run token -- --agency <agency> --role <role>` would print (JSON only, so another origin cannot post it).
 */
async function devSignIn(req: IncomingMessage, res: ServerResponse, auth: HubConfig['auth']): Promise<void> {
  if (req.method === 'GET') {
    sendJson(res, 200, { agencies: DEMO_AGENCIES, roles: DEV_ROLES });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'GET, POST');
    sendJson(res, 405, { error: 'GET lists the demo agencies; POST application/json { agency, roles } signs in' });
    return;
  }
  if (!req.headers['content-type']?.startsWith('application/json')) {
    // A form's or a text body: the method is right, the body's type is not.
    sendJson(res, 415, { error: 'POST application/json { agency, roles }' });
    return;
  }
  if (!mintsDevTokens(auth)) {
    // Verifying against a JWKS only, the gateway holds no key that signs for it.
    sendJson(res, 503, {
      error:
        'this gateway verifies tokens against a JWKS and holds no key to sign one: start it with TOKEN_SIGNING_KEY ' +
        '(npm run keys writes one), or paste a token of that JWKS',
    });
    return;
  }
  const body = (await readJson(req)) as { agency?: unknown; roles?: unknown } | undefined;
  const agency = DEMO_AGENCIES.find((a) => a.id === body?.agency);
  const roles = Array.isArray(body?.roles) ? body.roles : [];
  if (!agency || !roles.every((r) => (DEV_ROLES as readonly unknown[]).includes(r))) {
    sendJson(res, 400, { error: 'agency must be a demo agency and roles among ' + DEV_ROLES.join(', ') });
    return;
  }
  sendJson(res, 200, { token: await mintDevToken(auth, { agency: agency.id, roles: roles as string[] }) });
}

/** The routes the gateway adds to its HTTP front (createHttpHandler's `routes`). */
export function uiRoutes(options: UiOptions) {
  const serve = (): FileHandler =>
    sirv(options.distDir, {
      etag: true,
      gzip: true,
      dotfiles: false,
      setHeaders(res, pathname) {
        // Hashed asset names never change their content; the page itself is checked on every load.
        res.setHeader(
          'cache-control',
          pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  // sirv lists the folder once; a new build (npm run build:ui while the hub runs) gets a new listing.
  let current: { builtAt: number; files: FileHandler } | null = null;
  const files = (): FileHandler | null => {
    const index = join(options.distDir, 'index.html');
    if (!existsSync(index)) return null;
    const builtAt = statSync(index).mtimeMs;
    if (current?.builtAt !== builtAt) current = { builtAt, files: serve() };
    return current.files;
  };
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === '/ui') {
      res.writeHead(308, { location: UI_PATH });
      res.end();
      return true;
    }
    if (!url.pathname.startsWith(UI_PATH)) return false;
    // Every answer under /ui/ carries the pages' policy: the files, a 304, a 404, the sign-in's JSON.
    for (const [name, value] of PAGE_HEADERS) res.setHeader(name, value);
    if (url.pathname === `${UI_PATH}dev/sign-in`) {
      if (!options.development) return false;
      await devSignIn(req, res, options.auth);
      return true;
    }
    // The pages are files: any other method is answered so, with what is allowed, not as a missing page.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      requestError(res, 405, 'BAD_REQUEST', 'The pages under /ui/ are read with GET', { reason: 'METHOD_NOT_ALLOWED' });
      return true;
    }
    // Whether the sign-in page offers the development sign-in, asked on every load: it exists in production too,
    // answering false, so that the page does not ask for a sign-in that is not there (a 404 on every load).
    if (url.pathname === `${UI_PATH}sign-in-options`) {
      sendJson(res, 200, { developmentSignIn: options.development });
      return true;
    }
    const handler = files();
    if (!handler) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      // Said for wherever the gateway runs: a department's project runs it from the hub's packages, whose
      // scripts are the hub repository's.
      res.end(
        'The pages are not built: run `npm run build:ui` in the hub repository (its npm start does it by itself).\n',
      );
      return true;
    }
    const original = req.url;
    req.url = url.pathname.slice(UI_PATH.length - 1) + url.search;
    const answered = await new Promise<boolean>((resolve) => {
      res.once('finish', () => resolve(true));
      res.once('close', () => resolve(true));
      handler(req, res, () => resolve(false));
    });
    req.url = original;
    return answered;
  };
}
