import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@hub/platform';
import { UI_CONTENT_SECURITY_POLICY, uiRoutes, type UiOptions } from './ui.js';

const auth = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }).auth;
const dist = mkdtempSync(join(tmpdir(), 'hub-ui-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="ja"></html>');
writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
writeFileSync(join(dist, '.source-hash'), 'abc');

const servers: Server[] = [];

async function serve(options: Partial<UiOptions> = {}): Promise<string> {
  const routes = uiRoutes({ distDir: dist, auth, development: true, ...options });
  const server = createServer((req, res) => {
    void routes(req, res, new URL(req.url ?? '/', 'http://localhost')).then((answered) => {
      if (!answered) res.writeHead(404).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;
beforeAll(async () => {
  base = await serve();
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dist, { recursive: true, force: true });
});

const signIn = (url: string, body: unknown, type = 'application/json') =>
  fetch(`${url}/ui/dev/sign-in`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

describe('the pages under /ui/', () => {
  it('serves the built files with a policy that keeps every request on the hub', async () => {
    const page = await fetch(`${base}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(UI_CONTENT_SECURITY_POLICY);
    expect(UI_CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${base}/ui/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('redirects /ui to /ui/, and serves nothing outside the built folder', async () => {
    const redirect = await fetch(`${base}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/ui/');
    for (const path of ['/ui/.source-hash', '/ui/%2e%2e/%2e%2e/package.json', '/ui/missing.js', '/elsewhere']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });

  it('gives every answer under /ui/ the same policy and headers: a 404, a 304 and the sign-in too', async () => {
    const page = await fetch(`${base}/ui/`);
    const answers = [
      await fetch(`${base}/ui/missing.js`),
      await fetch(`${base}/ui/`, { headers: { 'if-none-match': page.headers.get('etag')! } }),
      await fetch(`${base}/ui/dev/sign-in`),
      await signIn(base, { agency: 'someone-else', roles: [] }),
      await fetch(`${base}/ui/`, { method: 'POST', body: '' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 304, 200, 400, 405]);
    // The pages are files: another method is told what is allowed, not that the page is missing.
    expect(answers.at(-1)!.headers.get('allow')).toBe('GET, HEAD');
    for (const answer of answers) {
      expect(answer.headers.get('content-security-policy'), String(answer.status)).toBe(UI_CONTENT_SECURITY_POLICY);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('answers 503 with what to run while the pages are not built', async () => {
    const url = await serve({ distDir: join(dist, 'nothing-here') });
    const response = await fetch(`${url}/ui/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('run `npm run build:ui` in the hub repository');
  });
});

describe('the development sign-in', () => {
  it('lists the demo agencies and gives the token npm run token gives, for a demo agency and role', async () => {
    const listed = (await (await fetch(`${base}/ui/dev/sign-in`)).json()) as { agencies: { id: string }[] };
    expect(listed.agencies.map((a) => a.id)).toContain('minamino-welfare');
    const response = await signIn(base, { agency: 'minamino-welfare', roles: ['auditor'] });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(decodeJwt(token)).toMatchObject({ agency: 'minamino-welfare', roles: ['auditor'], iss: auth.issuer });
  });

  it('refuses an agency outside the demo register, an unknown role, a body that is not JSON (415) and another method (405)', async () => {
    expect((await signIn(base, { agency: 'someone-else', roles: [] })).status).toBe(400);
    expect((await signIn(base, { agency: 'minamino-welfare', roles: ['superuser'] })).status).toBe(400);
    expect((await signIn(base, { agency: 'minamino-welfare' }, 'text/plain')).status).toBe(415);
    expect((await signIn(base, { agency: 'minamino-welfare' }, 'application/x-www-form-urlencoded')).status).toBe(415);
    const put = await fetch(`${base}/ui/dev/sign-in`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });

  it('answers 503 with what to do when the gateway verifies against a JWKS and holds no key to sign with', async () => {
    const jwksOnly = await serve({ auth: { ...auth, verify: { kind: 'jwks', keys: { keys: [] } } } });
    const response = await signIn(jwksOnly, { agency: 'minamino-welfare', roles: [] });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toContain('TOKEN_SIGNING_KEY');
  });

  it('does not exist in production', async () => {
    const url = await serve({ development: false });
    expect((await fetch(`${url}/ui/dev/sign-in`)).status).toBe(404);
    expect((await signIn(url, { agency: 'minamino-welfare', roles: [] })).status).toBe(404);
  });

  it('is said to exist or not at /ui/sign-in-options, in production too, so that the page asks for it only where it is', async () => {
    const production = await serve({ development: false });
    for (const [url, developmentSignIn] of [
      [base, true],
      [production, false],
    ] as const) {
      const answer = await fetch(`${url}/ui/sign-in-options`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-security-policy')).toBe(UI_CONTENT_SECURITY_POLICY);
      expect(await answer.json()).toEqual({ developmentSignIn });
    }
    expect((await fetch(`${production}/ui/sign-in-options`, { method: 'POST', body: '{}' })).status).toBe(405);
  });
});
