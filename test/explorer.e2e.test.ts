// The explorer at GET /graphql, in a real headless Chromium: the page loads with no request leaving
// 127.0.0.1, a query typed into it returns data with the token and purpose of its fields, a refusal is
// shown as a row with its category and reason, and a screenshot is kept under test/artifacts/.
// In production there is no explorer at all (test/limits.e2e.test.ts).
// Skipped, saying so, only where no Chromium is installed (.ci/run installs Debian's).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { useTestHub } from './support/hub.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
if (!installed) console.warn(`explorer tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

describe.skipIf(!installed)('the explorer at GET /graphql', () => {
  const hub = useTestHub();
  let browser: BrowserContext;
  let profile: string;
  let page: Page;
  const requested: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'hub-explorer-chromium-'));
    // A fresh profile (--user-data-dir) for each run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    // Every request the page makes is recorded; one for another host would be refused here, not sent.
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requested.push(route.request().url());
      if (url.protocol === 'data:' || url.hostname === '127.0.0.1') await route.continue();
      else await route.abort();
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  /** Replaces the query editor's text as a person would: click, select all, type. */
  async function typeQuery(query: string) {
    await page.locator('.graphiql-query-editor .CodeMirror').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText: the editor's bracket completion would double what a typed brace already closes.
    await page.keyboard.insertText(query);
    const editor = page.locator('.graphiql-query-editor .CodeMirror-code').first();
    await expect.poll(() => editor.innerText(), { timeout: 10_000 }).toContain(query.slice(0, 20));
  }

  /** Runs the query in the editor once the previous run has finished (the button stops a running one). */
  async function run() {
    await page.locator('.graphiql-execute-button[aria-label^="Execute"]').click();
  }

  const responseText = () => page.locator('.graphiql-response .CodeMirror').first().innerText();

  it('loads with no request leaving 127.0.0.1', async () => {
    const response = await page.goto(hub.gatewayUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    await expect(page.title()).resolves.toBe('Hub explorer (development)');
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith('http://127.0.0.1:') && !url.startsWith('data:'))).toEqual([]);
    // Not even for an icon the hub does not serve (/favicon.ico, a 404 in the console): the page names its own.
    await expect(page.locator('link[rel="icon"]').getAttribute('href', { timeout: 5_000 })).resolves.toBe('data:,');
    expect(requested.filter((url) => url.endsWith('/favicon.ico'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The page holds a token: no other site may frame it, and it carries no address out.
    expect(response?.headers()).toMatchObject({
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('asks the hub nothing until a token is given, and says to paste one', async () => {
    const posts: string[] = [];
    const count = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST') posts.push(request.url());
    };
    page.on('request', count);
    await page.locator('input[name="token"]').fill('');
    await typeQuery('{ jobOpenings(first: 1) { title } }');
    await run();
    await expect.poll(responseText, { timeout: 10_000 }).toContain('No token yet');
    page.off('request', count);
    expect(posts).toEqual([]);
  });

  it('a query typed into it returns data, sent with the token and purpose of its fields', async () => {
    const token = await hub.token(AGENCIES.helloWorkMinamino.id);
    await page.locator('input[name="token"]').fill(token);
    await page.locator('input[name="purpose"]').fill('職業相談');
    await typeQuery('query Openings { jobOpenings(first: 2) { title employer } }');
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.postData()?.includes('Openings') === true);
    await run();
    const request = await sent;
    expect(request.headers()['authorization']).toBe(`Bearer ${token}`);
    expect(decodeURIComponent(request.headers()['x-hub-purpose']!)).toBe('職業相談');
    await expect.poll(responseText, { timeout: 20_000 }).toContain('"jobOpenings"');
    expect(await responseText()).toContain('"employer"');
  });

  it('keeps the token and the query text for the tab only: localStorage holds neither after a query', async () => {
    // What an explorer of before left in localStorage is removed when the page loads.
    await page.evaluate(() => {
      localStorage.setItem('hub-explorer:token', 'an-old-token');
      localStorage.setItem('graphiql:query', '{ person(id: "an-old-id") { name } }');
    });
    await page.reload();
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    const token = await hub.token(AGENCIES.helloWorkMinamino.id);
    await page.locator('input[name="token"]').fill(token);
    await typeQuery('query KeptForTheTab { jobOpenings(first: 1) { title } }');
    await run();
    await expect.poll(responseText, { timeout: 20_000 }).toContain('"jobOpenings"');
    const stored = () =>
      page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), tab: JSON.stringify({ ...sessionStorage }) }));
    // GraphiQL saves the editor's text a moment after it changes: once it is in the tab's storage, it is nowhere else.
    await expect.poll(async () => (await stored()).tab, { timeout: 10_000 }).toContain('KeptForTheTab');
    const { local, tab } = await stored();
    expect(tab).toContain(token);
    for (const kept of [token, 'KeptForTheTab', 'jobOpenings', 'an-old-token', 'an-old-id']) {
      expect(local).not.toContain(kept);
    }
    // A reload is the same tab: the token is still there.
    await page.reload();
    await expect.poll(() => page.locator('input[name="token"]').inputValue(), { timeout: 30_000 }).toBe(token);
  });

  it('a refusal is a readable row: path, FORBIDDEN, category, reason; a screenshot is kept', async () => {
    await typeQuery(
      `query Risk { person(id: "${residentId('watanabe')}") { riskAssessments { level } jobSeeker { status } } }`,
    );
    await run();
    await expect.poll(responseText, { timeout: 30_000 }).toContain('riskAssessments');
    const row = page.locator('.hub-refusals tr.forbidden').first();
    await row.waitFor({ timeout: 30_000 });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(['person.riskAssessments', 'FORBIDDEN', 'MENTAL_HEALTH', 'NO_LEGAL_BASIS']);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });
    expect(requested.filter((url) => !url.startsWith('http://127.0.0.1:') && !url.startsWith('data:'))).toEqual([]);
  });
});
