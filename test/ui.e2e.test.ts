// The pages under /ui/ in a real headless Chromium, through the real gateway and database: sign-in as a demo
// agency, the dashboards ("X" for 秘匿, month filter, CSV), the disclosure report (withheld entries absent, print to
// PDF), a denied agency's FORBIDDEN, the auditor's desk (the emergency review, the chain, the search). Each
// page is checked with axe-core and screenshotted under test/artifacts/; no request may leave the hub's origin.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { ensureUiBuilt } from '@hub/ui';
import { appendAudit } from '@hub/gateway/audit';
import { givenEmergency } from '@hub/testkit';
import { auditEntry, declareEmergency } from './support/bases.js';
import {
  ARTIFACTS,
  browserMissing,
  foreignRequests,
  launchChromium,
  recordRequests,
  screenshot,
  seriousViolations,
} from './support/browser.js';
import { queryAs, registerAgency, startGatewayReplica, useConnection, useTestHub } from './support/hub.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const welfare = AGENCIES.minaminoWelfare.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const silver = AGENCIES.minaminoSilver.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const victim = residentId('suzuki-mother');

/** Waits (up to 15 s) for what the page shows to settle on the expected value. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe.skipIf(Boolean(missing))('the pages in a browser', () => {
  // Built before the hub starts, as npm start does (a build while it runs is picked up as well).
  beforeAll(() => ensureUiBuilt({ quiet: true }));
  const hub = useTestHub();
  const db = useConnection(hub, 'test-ui');
  let browser: Browser;
  let origin: string;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    origin = new URL(hub.gatewayUrl).origin;
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Signs in on the sign-in page shown, through its development sign-in. */
  async function demoSignIn(page: Page, agency: string, role: string): Promise<void> {
    await page.locator('#agency').selectOption(agency);
    await page.locator('#role').selectOption(role);
    await page
      .locator('form')
      .getByRole('button', { name: /サインイン/ })
      .click();
  }

  /** A fresh browser context signed in through the page's own development sign-in, on the page `hash`. */
  async function signedIn(agency: string, role: string, hash: string, timezoneId = 'Asia/Tokyo'): Promise<Page> {
    const context = await browser.newContext({
      locale: 'ja-JP',
      timezoneId,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await demoSignIn(page, agency, role);
    await page.waitForURL(/#\/dashboards/);
    await page.goto(`${origin}/ui/${hash}`);
    return page;
  }

  /** Switches an agency off or on again, as the hub administrator of みなみ野市 does. */
  async function switchAgency(agency: string, mutation: 'deactivateAgency' | 'reactivateAgency'): Promise<void> {
    const result = await queryAs(hub, welfare, `mutation ($id: ID!) { ${mutation}(id: $id) { id } }`, { id: agency }, [
      'hub-admin',
    ]);
    expect(result.errors).toBeUndefined();
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('a dashboard shows suppressed cells as "X" (秘匿), filters by month, and its CSV is exactly what it shows', async () => {
    const page = await signedIn(welfare, 'dashboard', '#/dashboards/urgentReportsDashboard');
    await poll(() => page.locator('h2').first().innerText()).toMatch('緊急通告');
    const table = page.locator('table.dashboard');
    await table.first().waitFor();

    type Published = { suppressed: boolean }[];
    const published = await hub.query<{ urgentReportsDashboard: { cells: Published; rowTotals: Published } }>(
      { authorization: `Bearer ${await hub.token(welfare, { roles: ['dashboard'] })}` },
      /* GraphQL */ `
        {
          urgentReportsDashboard {
            cells {
              suppressed
            }
            rowTotals {
              suppressed
            }
          }
        }
      `,
    );
    const { cells, rowTotals } = published.data!.urgentReportsDashboard;
    const suppressed = [...cells, ...rowTotals].filter((c) => c.suppressed).length;
    expect(suppressed).toBeGreaterThan(0);
    await poll(() => table.locator('tbody td.suppressed').count()).toBe(suppressed);
    // Seen as X; heard as 秘匿 (the X itself is hidden from the accessibility tree).
    for (const cell of await table.locator('tbody td.suppressed').all()) {
      expect(await cell.locator('abbr').innerText()).toBe('X');
      expect(await cell.locator('abbr').getAttribute('aria-hidden')).toBe('true');
      expect(await cell.ariaSnapshot()).toMatch(/秘匿/);
      expect(await cell.ariaSnapshot()).not.toMatch(/\bX\b/);
    }
    // Never a zero or a blank where the hub suppressed.
    for (const text of await table.locator('td.num').allInnerTexts())
      expect(text.replace('秘匿', '').trim()).toMatch(/^(X|[1-9]\d*|\d{2,})$/);
    await page.locator('.chart svg').first().waitFor();

    // The municipality filter offers the caller's jurisdiction only (みなみ野市), never ひがし山町.
    const municipalities = (await page.locator('#municipality option').allTextContents()).map((t) => t.trim());
    expect(municipalities, JSON.stringify(municipalities)).toContain('みなみ野市');
    expect(municipalities.join()).not.toContain('ひがし山町');

    // Three months: three month columns, and no row totals (a sum over fewer months is not published).
    const months = await page
      .locator('#from option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(months).toHaveLength(12);
    await page.locator('#from').selectOption(months[3]!);
    await page.locator('#to').selectOption(months[5]!);
    await poll(() => table.locator('thead th').count()).toBe(1 + 3);
    // Redrawn without a page load: a screen reader is told so, with the months shown.
    await poll(() => page.locator('#announcer').innerText()).toBe(`表示を更新しました（${months[3]}〜${months[5]}）`);
    await screenshot(page, 'dashboard');
    await expectAccessible(page);
    expect(await page.locator('[data-testid=range-swapped]').count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /CSV/ }).click(),
    ]);
    const csv = (await readFile(await download.path())).toString('utf8').replace(/^\uFEFF/, '');
    const shownRows = await table.locator('tr').evaluateAll((rows) =>
      // What is seen: a screen reader's words (.visually-hidden, 秘匿 for an X) are not on the screen.
      rows.map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) =>
          [...cell.childNodes]
            .filter((node) => !(node instanceof HTMLElement && node.classList.contains('visually-hidden')))
            .map((node) =>
              node instanceof HTMLElement ? node.innerText : node.nodeType === Node.TEXT_NODE ? node.textContent : '',
            )
            .join('')
            .trim(),
        ),
      ),
    );
    const csvRows = csv
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    // Every row and every label, the corner's included.
    expect(csvRows).toEqual(shownRows);
    await writeFile(join(ARTIFACTS, 'dashboard.csv'), csv);

    // Months chosen the wrong way round show the months between them, and say so.
    await page.locator('#from').selectOption(months[5]!);
    await page.locator('#to').selectOption(months[3]!);
    await poll(() => page.locator('[data-testid=range-swapped]').innerText()).toMatch('開始月が終了月より後');
    expect(await table.locator('thead th').count()).toBe(1 + 3);
  });

  it('every dashboard opens with a chart and a table; the hub dashboards name the jurisdiction they count', async () => {
    const page = await signedIn(welfare, 'dashboard', '#/dashboards/caseDashboard');
    await page.locator('table.dashboard').waitFor();
    const fields = await page.locator('nav.tabs a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(fields).toHaveLength(7);
    for (const href of fields) {
      await page.goto(`${origin}/ui/${href}`);
      await page.locator(`nav.tabs a[aria-current=page][href="${href}"]`).waitFor();
      await page.locator('table.dashboard tbody tr').first().waitFor();
      await poll(() => page.locator('[role=alert]').count()).toBe(0);
    }
    await page.goto(`${origin}/ui/#/dashboards/referralFlowDashboard`);
    expect((await page.locator('#municipality option').first().textContent())?.trim()).toBe('みなみ野市');
    await expectAccessible(page);
  });

  it('an agency serving two towns picks one: no per-town table is shown or offered as CSV, the whole one comes back', async () => {
    const page = await signedIn(AGENCIES.helloWorkMinamino.id, 'dashboard', '#/dashboards/diversePlacementsDashboard');
    await page.locator('table.dashboard').waitFor();
    const municipalities = (await page.locator('#municipality option').allTextContents()).map((t) => t.trim());
    expect(municipalities).toEqual(['みなみ野市・ひがし山町', 'みなみ野市', 'ひがし山町']);
    // The live region is there, empty, before its words: one created with them may go unheard.
    expect(await page.locator('main [role=status]').count()).toBe(1);
    const region = await page.locator('main [role=status]').elementHandle();
    expect(await region?.textContent()).toBe('');
    await page.locator('#municipality').selectOption({ label: 'ひがし山町' });
    await page.getByRole('status').filter({ hasText: '市町村ごとの集計は公開していません' }).waitFor();
    expect(await region!.evaluate((node) => node.isConnected && node.textContent)).toMatch(
      '市町村ごとの集計は公開していません',
    );
    expect(await page.locator('table.dashboard').count()).toBe(0);
    expect(await page.getByRole('button', { name: /CSV/ }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await page.locator('#municipality').selectOption({ label: 'みなみ野市・ひがし山町' });
    await page.locator('table.dashboard').waitFor();
    expect(await page.getByRole('button', { name: /CSV/ }).isEnabled()).toBe(true);
  });

  it('the disclosure report shows who accessed what, grouped by agency and month, with withheld entries absent', async () => {
    // Real accesses through the gateway: the welfare office and the DV centre read 鈴木 (who has an open DV case).
    for (const purpose of ['支援プラン作成', '支援会議の準備']) {
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await hub.token(welfare)}`,
          'x-hub-purpose': encodeURIComponent(purpose),
        },
        body: JSON.stringify({ query: 'query ($id: ID!) { person(id: $id) { name } }', variables: { id: victim } }),
      });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    }
    const read = await hub.query(
      { agency: dvCentre },
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            dvCase {
              status
            }
          }
        }
      `,
      { id: victim },
    );
    expect(read.errors).toBeUndefined();
    const audit = await hub.query<{ accessLog: { edges: { node: { agency: { id: string } } }[] } }>(
      { authorization: `Bearer ${await hub.token(kokoro, { roles: ['auditor'] })}` },
      /* GraphQL */ `
        query ($id: ID!) {
          accessLog(personId: $id, first: 200) {
            edges {
              node {
                agency {
                  id
                }
              }
            }
          }
        }
      `,
      { id: victim },
    );
    expect(audit.data!.accessLog.edges.map((e) => e.node.agency.id)).toContain(dvCentre);

    const page = await signedIn(welfare, '', '#/disclosure');
    await page.getByLabel(/本人のID/).fill(victim);
    // The whole id shows in its box: nothing scrolled out of sight.
    const idBox = await page.getByLabel(/本人のID/).evaluate((input) => ({
      shown: input.clientWidth,
      needed: input.scrollWidth,
    }));
    expect(idBox.needed).toBeLessThanOrEqual(idBox.shown);
    await page.getByRole('button', { name: /作成/ }).click();
    const report = page.locator('article.report');
    await report.first().waitFor();
    await poll(() => report.locator('.issuer').first().innerText()).toMatch('みなみ野市');
    await poll(() => report.locator('.report-head').first().innerText()).toMatch('発行日');
    await report.locator('h3').first().waitFor();
    await poll(() => report.locator('table.log caption').first().innerText()).toMatch(/\d{4}年\d{1,2}月/);
    expect(await report.locator(`tr[data-agency="${welfare}"]`).count()).toBeGreaterThanOrEqual(2);
    expect(await report.innerText()).toContain('支援会議の準備');
    // The DV centre's access is withheld from the disclosure view: absent, without a trace.
    await poll(() => report.locator(`tr[data-agency="${dvCentre}"]`).count()).toBe(0);
    expect(await report.innerText()).not.toContain(AGENCIES.midoriDvCentre.name);
    expect(await report.locator('#report-title').innerText()).toBe('アクセス記録の開示');
    expect(await report.locator('[data-testid=full-view]').count()).toBe(0);
    await screenshot(page, 'disclosure-report');
    await expectAccessible(page);

    // Every printed page names the issuing office, not only its town (CSS @page margin boxes).
    expect(await page.locator('#print-margins').textContent()).toContain(AGENCIES.minaminoWelfare.name);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', path: join(ARTIFACTS, 'disclosure-report.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it("an auditor's report says it is the full view, with the withheld entries, and not the person's disclosure", async () => {
    const page = await signedIn(welfare, 'auditor', '#/disclosure');
    // An id typed in capitals is the same person's, and the report names it as the hub holds it.
    await page.getByLabel(/本人のID/).fill(victim.toUpperCase());
    await page.getByRole('button', { name: /作成/ }).click();
    const report = page.locator('article.report');
    await report.first().waitFor();
    expect(await report.innerText()).toContain(victim);
    expect(await report.innerText()).not.toContain(victim.toUpperCase());
    expect(await report.locator('#report-title').innerText()).toBe('アクセス記録（監査用・全件）');
    expect(await report.locator('[data-testid=full-view]').innerText()).toMatch('本人に渡すものではありません');
    await poll(() => report.locator(`tr[data-agency="${dvCentre}"]`).count()).toBeGreaterThan(0);
  });

  it('a report for a period lists the accesses of those days in Japan only, and says which days it covers', async () => {
    // A resident no other test of the pages reads: its log is this test's.
    const person = residentId('matsumoto');
    // An access today (in Japan), through the gateway.
    const read = await hub.query({ agency: welfare }, 'query ($id: ID!) { person(id: $id) { name } }', { id: person });
    expect(read.errors).toBeUndefined();
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
    const page = await signedIn(welfare, '', '#/disclosure');
    const reportFor = async (from: string, to: string) => {
      await page.getByLabel(/本人のID/).fill(person);
      await page.getByLabel(/期間の開始日/).fill(from);
      await page.getByLabel(/期間の終了日/).fill(to);
      await page.getByRole('button', { name: /作成/ }).click();
      const report = page.locator('article.report');
      await poll(() => report.locator('[data-testid=period]').first().innerText()).toBe(
        `${from.replaceAll('-', '/')}〜${to.replaceAll('-', '/')}`,
      );
      await poll(() => page.locator('[aria-busy=true]').count()).toBe(0);
      return report;
    };
    const today = await reportFor(day(0), day(0));
    expect(await today.locator(`tr[data-agency="${welfare}"]`).count()).toBeGreaterThan(0);
    // The days before it hold none of today's accesses; a field's bounds keep the period within today.
    const before = await reportFor(day(-30), day(-1));
    await poll(() => before.innerText()).toContain('記録はありません');
    expect(await page.getByLabel(/期間の終了日/).getAttribute('max')).toBe(day(0));
    expect(await page.getByLabel(/期間の開始日/).getAttribute('max')).toBe(day(-1));
    await page.context().close();
  });

  it('a report asked before another that answers after it is dropped: the page shows (and prints) the id asked last', async () => {
    const page = await signedIn(welfare, '', '#/disclosure');
    const first = residentId('yamada-father');
    const last = residentId('ito');
    // The first person's log answers late, as a long one read page by page would.
    let firstAnswered!: () => void;
    const firstDone = new Promise<void>((resolve) => (firstAnswered = resolve));
    await page.route(`${origin}/graphql`, async (route) => {
      const isFirst = route.request().postData()?.includes(first) ?? false;
      if (isFirst) await new Promise((resolve) => setTimeout(resolve, 2_000));
      await route.continue();
      if (isFirst) firstAnswered();
    });
    const idBox = page.getByLabel(/本人のID/);
    const create = page.getByRole('button', { name: /作成/ });
    await idBox.fill(first);
    await create.click();
    // While a report is being made, 作成 waits for it.
    expect(await create.isDisabled()).toBe(true);
    // Asked again all the same (the form submitted by script, as Enter in another browser might).
    await idBox.fill(last);
    await page.locator('form.inline').evaluate((form: HTMLFormElement) => form.requestSubmit());
    const report = page.locator('article.report');
    await poll(() => report.first().innerText()).toContain(last);
    // The first answer arrives after: it replaces nothing.
    await firstDone;
    await page.waitForTimeout(500);
    expect(await report.first().innerText()).toContain(last);
    expect(await report.first().innerText()).not.toContain(first);
    expect(await idBox.inputValue()).toBe(last);
    await page.context().close();
  });

  it('a disclosure page that could not read its issuing office says so and makes no report without it', async () => {
    const page = await signedIn(welfare, '', '#/dashboards');
    await page.locator('table.dashboard').first().waitFor();
    let refusing = true;
    await page.route(`${origin}/graphql`, async (route) =>
      refusing && route.request().postData()?.includes('query Issuer')
        ? route.fulfill({
            status: 429,
            contentType: 'application/json',
            body: JSON.stringify({
              errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3 } }],
            }),
          })
        : route.fallback(),
    );
    await page.goto(`${origin}/ui/#/disclosure`);
    const alert = page.getByRole('alert');
    await poll(() => alert.first().innerText()).toMatch('RATE_LIMITED');
    await expectAccessible(page);
    // Still refused when 作成 reads it again: no report, rather than one without its issuer.
    await page.getByLabel(/本人のID/).fill(victim);
    await page.getByRole('button', { name: /作成/ }).click();
    await poll(() => page.locator('#announcer').innerText()).toBe('表示できませんでした');
    expect(await page.locator('article.report').count()).toBe(0);
    expect(await alert.first().innerText()).toMatch('RATE_LIMITED');
    // Once the hub answers, 作成 reads the office and the report (on screen and printed) names it.
    refusing = false;
    await page.getByRole('button', { name: /作成/ }).click();
    await poll(() => page.locator('article.report .issuer').innerText()).toMatch(AGENCIES.minaminoWelfare.name);
    expect(await page.locator('#print-margins').textContent()).toContain(AGENCIES.minaminoWelfare.name);
    expect(await alert.count()).toBe(0);
    await page.context().close();
  });

  it('an id no one of the office’s towns has is told to be checked, not read as a lack of rights', async () => {
    const page = await signedIn(welfare, '', '#/disclosure');
    await page.getByLabel(/本人のID/).fill('00000000-0000-4000-8000-000000000000');
    await page.getByRole('button', { name: /作成/ }).click();
    const alert = page.getByRole('alert').first();
    await poll(() => alert.innerText()).toMatch('OUTSIDE_JURISDICTION');
    expect(await alert.innerText()).toMatch('IDに誤りがないか確かめてください');
    expect(await alert.innerText()).not.toMatch('権限がありません');
    await page.context().close();
  });

  it('an agency switched off is told so, not to sign in again', async () => {
    const agency = 'test-ui-switched-off';
    await registerAgency(hub, {
      id: agency,
      name: '試験の利用停止機関',
      domain: 'WELFARE',
      kind: '福祉事務所',
      municipalityCode: '990001',
    });
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/#/dashboards`);
    await page.locator('#token').fill(await hub.token(agency));
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.locator('main h1').innerText()).toMatch('ダッシュボード');
    await switchAgency(agency, 'deactivateAgency');
    await page.goto(`${origin}/ui/#/disclosure`);
    await page.getByLabel(/本人のID/).fill(victim);
    await page.getByRole('button', { name: /作成/ }).click();
    const alert = page.getByRole('alert').first();
    await poll(() => alert.innerText()).toMatch('AGENCY_DEACTIVATED');
    expect(await alert.innerText()).toMatch('利用停止中');
    expect(await alert.innerText()).not.toMatch('サインインし直して');
    await context.close();
  });

  it('an agency without the right sees the FORBIDDEN message, not data', async () => {
    const page = await signedIn(silver, '', '#/disclosure');
    await page.getByLabel(/本人のID/).fill(victim);
    await page.getByRole('button', { name: /作成/ }).click();
    await poll(() => page.getByRole('alert').first().innerText()).toMatch('FORBIDDEN');
    await poll(() => page.locator('article.report').count()).toBe(0);

    await page.goto(`${origin}/ui/#/audit`);
    await poll(() => page.getByRole('alert').first().innerText()).toMatch('FORBIDDEN');
    await poll(() => page.locator('[data-testid=chain-status]').count()).toBe(0);
    await screenshot(page, 'forbidden');
    await expectAccessible(page);
  });

  it("the auditor's desk reviews an emergency access, shows the chain and its last checkpoint, and searches the log", async () => {
    const emergencyId = await declareEmergency(hub, kokoro, victim, ['MENTAL_HEALTH']);
    await hub.gateway.checkpointAccessLog();

    const page = await signedIn(welfare, 'auditor', '#/audit');
    await poll(() => page.locator('[data-testid=chain-status]').first().innerText()).toMatch('改ざんなし');
    await poll(() => page.locator('[data-testid=checkpoint-at]').first().innerText()).toMatch(/\d{4}\/\d{2}\/\d{2}/);

    const row = page.locator('table.emergencies tbody tr', {
      has: page.locator(`form[data-emergency="${emergencyId}"]`),
    });
    await poll(() => row.first().innerText()).toMatch(AGENCIES.minaminoKokoro.name);
    await screenshot(page, 'audit');
    await expectAccessible(page);

    await row.getByLabel('正当').check();
    await row.getByLabel(/所見/).fill('切迫した危険の兆候あり、宣言は正当');
    await row.getByRole('button', { name: /検証を記録/ }).click();
    await poll(() => page.locator(`form[data-emergency="${emergencyId}"]`).count()).toBe(0);
    const reviewed = await hub.query<{
      emergencyAccesses: { id: string; review: { outcome: string; note: string } | null }[];
    }>(
      { authorization: `Bearer ${await hub.token(welfare, { roles: ['auditor'] })}` },
      /* GraphQL */ `
        {
          emergencyAccesses(review: REVIEWED) {
            id
            review {
              outcome
              note
            }
          }
        }
      `,
    );
    expect(reviewed.data!.emergencyAccesses.find((e) => e.id === emergencyId)?.review).toEqual({
      outcome: 'JUSTIFIED',
      note: '切迫した危険の兆候あり、宣言は正当',
    });

    // The log searched by agency: the DV centre's reads only.
    await page.locator('#search-agency').selectOption(dvCentre);
    await page.getByRole('button', { name: /検索/ }).click();
    const results = page.locator('section[aria-labelledby=search-heading] table.log tbody tr');
    await results.first().waitFor();
    for (const agency of await results.locator('td:nth-child(2)').allInnerTexts()) {
      expect(agency).toBe(AGENCIES.midoriDvCentre.name);
    }
    await screenshot(page, 'audit-search');
    // On a phone the results scroll in their place, a region the keyboard reaches.
    await page.setViewportSize({ width: 360, height: 800 });
    await expectAccessible(page);
  });

  it("the auditor's desk says where the checkpoint file's checkpoints began, and since when it lost the gateway's last checkpoint", async () => {
    await hub.gateway.checkpointAccessLog();
    const page = await signedIn(welfare, 'auditor', '#/audit');
    await poll(() => page.locator('[data-testid=chain-status]').first().innerText()).toMatch('改ざんなし');
    expect(await page.locator('[data-testid=checkpoint-lost]').count()).toBe(0);
    // Where the file's checkpoints began, as verifyAccessLog says: over an empty log, or over entries taken on trust.
    const verified = await queryAs<{
      verifyAccessLog: { checkpointOrigin: { entries: number; overExistingLog: boolean } };
    }>(hub, welfare, '{ verifyAccessLog { checkpointOrigin { entries overExistingLog } } }', {}, ['auditor']);
    const origin = verified.data!.verifyAccessLog.checkpointOrigin;
    expect(await page.locator('[data-testid=checkpoint-origin]').innerText()).toMatch(
      origin.overExistingLog
        ? new RegExp(`^\\d{4}/\\d{2}/\\d{2}.*既にあった ${origin.entries} 件の記録の上で始まりました`)
        : /^\d{4}\/\d{2}\/\d{2}.*（空の記録から）$/,
    );

    // Someone empties the file outside the hub: the log is still whole, its anchor is not.
    await writeFile(hub.config.audit.checkpointFile, '');
    await page.getByRole('button', { name: /検証し直す/ }).click();
    await poll(() => page.locator('[data-testid=checkpoint-lost]').count()).toBe(1);
    expect(await page.locator('[data-testid=checkpoint-lost]').innerText()).toMatch(/\d{4}\/\d{2}\/\d{2}/);
    expect(await page.locator('[data-testid=chain-status]').first().innerText()).toMatch('改ざんなし');
    await expectAccessible(page);
  });

  it("the auditor's desk names every problem verification found, not the first only, and counts them past 100", async () => {
    const [last] = await db.sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from hub.audit_log`;
    for (let i = 0; i < 101; i++) await appendAudit(db.sql, [auditEntry(victim)]);
    // A superuser rewrites each of them: each breaks the chain where it is.
    const mark = (change: 'append' | 'restore') =>
      db.sql.begin(async (tx) => {
        await tx`alter table hub.audit_log disable trigger user`;
        await tx`
          update hub.audit_log
          set staff_id = case when ${change} = 'append' then staff_id || '#' else left(staff_id, -1) end
          where id > ${last!.id}::bigint`;
        await tx`alter table hub.audit_log enable trigger user`;
      });
    await mark('append');
    const [first, second] = await db.sql<{ id: string }[]>`
      select l.id::text as id from hub.audit_log l where l.id > ${last!.id}::bigint order by l.id limit 2`;

    const page = await signedIn(welfare, 'auditor', '#/audit');
    const status = page.locator('[data-testid=chain-status]').first();
    await poll(() => status.innerText()).toMatch(
      `異常: 鎖の不一致（記録 ${first!.id}）、鎖の不一致（記録 ${second!.id}）、`,
    );
    expect(await status.innerText()).toMatch('鎖の不一致は全 101 件、初めの 100 件を表示');
    await expectAccessible(page);

    // Mended: the desk shows the log intact again.
    await mark('restore');
    await page.getByRole('button', { name: /検証し直す/ }).click();
    await poll(() => status.innerText()).toMatch('改ざんなし');
  });

  it("the auditor's desk records each review for its own emergency only: a form keeps nothing from the row reviewed before", async () => {
    await declareEmergency(hub, kokoro, victim, ['MENTAL_HEALTH']);
    await declareEmergency(hub, kokoro, residentId('ito'), ['MENTAL_HEALTH']);
    const page = await signedIn(welfare, 'auditor', '#/audit');
    const forms = page.locator('table.emergencies form.review');
    await poll(() => forms.count()).toBeGreaterThanOrEqual(2);
    // The row at the top is reviewed; the one below it moves up into its place.
    const idOf = async (index: number) => (await forms.nth(index).getAttribute('data-emergency'))!;
    const [reviewed, next] = [await idOf(0), await idOf(1)];
    await forms.first().getByLabel('不当').check();
    await forms.first().getByLabel(/所見/).fill('一件目の所見');
    await forms
      .first()
      .getByRole('button', { name: /検証を記録/ })
      .click();
    await poll(() => page.locator(`form[data-emergency="${reviewed}"]`).count()).toBe(0);

    // The next emergency's form is as new: nothing chosen, no note.
    const form = page.locator(`form[data-emergency="${next}"]`);
    expect(await form.locator('input[type=radio]:checked').count()).toBe(0);
    expect(await form.getByLabel(/所見/).inputValue()).toBe('');
    const pending = await hub.query<{ emergencyAccesses: { id: string }[] }>(
      { authorization: `Bearer ${await hub.token(welfare, { roles: ['auditor'] })}` },
      '{ emergencyAccesses(review: PENDING) { id } }',
    );
    expect(pending.data!.emergencyAccesses.map((e) => e.id)).toContain(next);
  });

  it("the auditor's desk states its purpose when it reads the queue, and verifying the chain again reads no one's records", async () => {
    const emergency = await declareEmergency(hub, kokoro, residentId('ito'), ['MENTAL_HEALTH']);
    const auditor = `Bearer ${await hub.token(kokoro, { roles: ['auditor'] })}`;
    const entries = async () =>
      (
        await hub.query<{ accessLog: { edges: { node: { agency: { id: string }; purpose: string | null } }[] } }>(
          { authorization: auditor },
          'query ($id: ID!) { accessLog(personId: $id, first: 200) { edges { node { agency { id } purpose } } } }',
          { id: residentId('ito') },
        )
      ).data!.accessLog.edges.map((e) => e.node);
    const page = await signedIn(welfare, 'auditor', '#/audit');
    await page.locator(`form[data-emergency="${emergency}"]`).waitFor();
    await poll(async () => (await entries()).filter((e) => e.agency.id === welfare).at(-1)?.purpose ?? null).toBe(
      '緊急時アクセスの事後検証（監査）',
    );
    const before = (await entries()).length;
    await page.getByRole('button', { name: /検証し直す/ }).click();
    await poll(() => page.locator('#announcer').innerText()).toBe('検証し直しました');
    expect((await entries()).length).toBe(before);
  });

  it('verifying the chain again when the hub refuses or fails shows why and withdraws the result, never "検証し直しました"', async () => {
    const page = await signedIn(welfare, 'auditor', '#/audit');
    const status = page.locator('[data-testid=chain-status]');
    await poll(() => status.innerText()).toMatch('改ざんなし');
    const again = page.getByRole('button', { name: /検証し直す/ });
    const section = page.locator('section[aria-labelledby=chain-heading]');
    /** The next verification (only it) is answered `answer` instead of the hub. */
    const refuse = async (answer: { status: number; body: string; contentType: string }) => {
      await page.route(`${origin}/graphql`, async (route) =>
        route.request().postData()?.includes('VerifyAccessLog') ? route.fulfill(answer) : route.fallback(),
      );
      await again.click();
      await poll(() => section.getByRole('alert').count()).toBe(1);
      await page.unroute(`${origin}/graphql`);
      // The chain's status as verified before is not shown as if verified again, nor announced so.
      expect(await status.count()).toBe(0);
      await poll(() => page.locator('#announcer').innerText()).toBe('検証できませんでした');
      return section.getByRole('alert').innerText();
    };
    const json = (status: number, code: string, extensions: Record<string, unknown> = {}) => ({
      status,
      contentType: 'application/json',
      body: JSON.stringify({ errors: [{ message: `refused ${code}`, extensions: { code, ...extensions } }] }),
    });

    expect(await refuse(json(429, 'RATE_LIMITED', { retryAfterSeconds: 7 }))).toMatch('RATE_LIMITED');
    await expectAccessible(page);
    // Verified again once the hub answers: the result is back and the error gone.
    await again.click();
    await poll(() => status.innerText()).toMatch('改ざんなし');
    expect(await section.getByRole('alert').count()).toBe(0);
    await poll(() => page.locator('#announcer').innerText()).toBe('検証し直しました');

    const text = await refuse({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' });
    expect(text).toMatch('NETWORK_ERROR');
    expect(text).toMatch('HTTP 503');
    expect(await refuse(json(401, 'UNAUTHENTICATED', { reason: 'TOKEN_REVOKED' }))).toMatch('TOKEN_REVOKED');

    // A sign-in the hub says has expired goes to the sign-in page, which says so, as every page does.
    await page.route(`${origin}/graphql`, (route) =>
      route.fulfill(json(401, 'UNAUTHENTICATED', { reason: 'TOKEN_EXPIRED' })),
    );
    await again.click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('有効期限');
    expect(await page.locator('#token').count()).toBe(1);
    await page.waitForTimeout(300);
    expect(await page.locator('#announcer').innerText()).toMatch('サインインの有効期限が切れました');
    await page.context().close();
  });

  it('the skip link moves focus to the content and keeps the page; the chart draws no count for a suppressed total', async () => {
    const page = await signedIn(welfare, 'dashboard', '#/dashboards/urgentReportsDashboard');
    await page.locator('table.dashboard').waitFor();
    await page.locator('.chart svg').first().waitFor();
    await page.locator('a.skip').focus();
    await page.keyboard.press('Enter');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(page.url()).toMatch(/#\/dashboards\/urgentReportsDashboard$/);
    expect(await page.locator('table.dashboard').count()).toBe(1);

    // Every column total the hub publishes is drawn with its number; a suppressed one as "X" with no count beside it.
    const totals = await page.locator('table.dashboard tfoot td').allInnerTexts();
    const texts = (await page.locator('.chart svg text').allTextContents()).map((t) => t.trim()).filter(Boolean);
    expect(texts).toContain('X');
    if (totals.every((t) => t === 'X')) expect(texts.filter((t) => /^\d+$/.test(t))).toEqual([]);
  });

  it('signing in from a page that needs it goes on to that page; an expired token is refused with a message', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/#/audit`);
    await demoSignIn(page, welfare, 'auditor');
    await poll(() => page.locator('[data-testid=chain-status]').count()).toBe(1);
    expect(page.url()).toMatch(/#\/audit$/);

    await page.getByRole('button', { name: /サインアウト/ }).click();
    const claims = { sub: 'staff-1', agency: welfare, exp: Math.floor(Date.now() / 1000) - 60 };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    await page.locator('#token').fill(`${encode({ alg: 'HS256' })}.${encode(claims)}.c2ln`);
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('有効期限');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('a page whose code cannot be fetched (the hub out of reach) says so under its heading, not a blank page', async () => {
    const page = await signedIn(welfare, 'auditor', '#/dashboards');
    await page.route(/\/ui\/assets\/audit-[^/]*\.js$/, (route) => route.abort('connectionrefused'));
    await page.goto(`${origin}/ui/#/audit`);
    await poll(() => page.locator('main h1').innerText()).toMatch('監査');
    await poll(() => page.getByRole('alert').first().innerText()).toMatch('NETWORK_ERROR');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.context().close();
  });

  it('a session that expires while the tab is open goes back to the sign-in page saying why', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    const sessionFor = async (seconds: number) => {
      await page.locator('#token').fill(await hub.token(welfare, { ttl: `${seconds}s` }));
      await page.getByRole('button', { name: /このトークンで入る/ }).click();
      await poll(() => page.locator('main h1').innerText()).toMatch('開示');
      await page.waitForTimeout(seconds * 1000 + 500);
    };
    await page.goto(`${origin}/ui/#/disclosure`);
    await sessionFor(3);
    // Expired on the page: its next request goes back to the sign-in page instead of asking without a token.
    await page.getByLabel(/本人のID/).fill(victim);
    await page.getByRole('button', { name: /作成/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('有効期限');
    expect(await page.locator('#token').count()).toBe(1);
    expect(await page.getByRole('button', { name: /サインアウト/ }).count()).toBe(0);
    expect(page.url()).toMatch(/#\/disclosure$/);
    // Heard as it is shown, not as the page left behind failing ("表示できませんでした").
    await poll(() => page.locator('#announcer').innerText()).toMatch('サインインの有効期限が切れました');
    await page.waitForTimeout(300);
    expect(await page.locator('#announcer').innerText()).toMatch('サインインの有効期限が切れました');

    // Expired between pages: the next page is the sign-in page.
    await sessionFor(3);
    await page.evaluate(() => (location.hash = '#/audit'));
    await poll(() => page.getByRole('alert').innerText()).toMatch('有効期限');
    expect(await page.locator('#token').count()).toBe(1);
    await context.close();
  });

  it('a pasted token the hub refuses (a signature it cannot verify) is not signed in: the refusal and its reason are shown', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/#/audit`);
    const claims = { sub: 'staff-1', agency: welfare, roles: ['auditor'], exp: Math.floor(Date.now() / 1000) + 600 };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    await page.locator('#token').fill(`${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`);
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch(/UNAUTHENTICATED \w+/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.getByRole('button', { name: /サインアウト/ }).count()).toBe(0);
    expect(page.url()).toMatch(/#\/audit$/);
    await context.close();
  });

  it('a pasted token beginning with "Bearer " (any case, spaces around) signs in as the token alone', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/#/audit`);
    const token = await hub.token(welfare, { roles: ['auditor'] });
    await page.locator('#token').fill(`  bEaReR  ${token}\n`);
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.locator('[data-testid=chain-status]').count()).toBe(1);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([token]);
    await context.close();
  });

  it('a filter chosen by one agency is not kept for the next one signed in in the same tab', async () => {
    const page = await signedIn(AGENCIES.helloWorkMinamino.id, 'dashboard', '#/dashboards/diversePlacementsDashboard');
    await page.locator('table.dashboard').waitFor();
    await page.locator('#municipality').selectOption({ label: 'ひがし山町' });
    await page.getByRole('status').filter({ hasText: '市町村ごとの集計は公開していません' }).waitFor();
    await page.getByRole('button', { name: /サインアウト/ }).click();
    await demoSignIn(page, welfare, 'dashboard');
    await page.goto(`${origin}/ui/#/dashboards/diversePlacementsDashboard`);
    await page.locator('table.dashboard').waitFor();
    expect(await page.getByRole('button', { name: /CSV/ }).isEnabled()).toBe(true);
  });

  it('an address that is no page says so: not the sign-in page, not another dashboard', async () => {
    const page = await signedIn(welfare, 'dashboard', '#/nope');
    await poll(() => page.locator('main h1').innerText()).toMatch('ページが見つかりません');
    expect(await page.locator('#token').count()).toBe(0);
    await page.goto(`${origin}/ui/#/dashboards/nope`);
    await poll(() => page.getByRole('alert').first().innerText()).toMatch('このアドレスのダッシュボードはありません');
    expect(await page.locator('table.dashboard').count()).toBe(0);
    expect(await page.locator('nav.tabs a').count()).toBeGreaterThan(1);
    await page.context().close();
  });

  it('a token the hub could not check (out of reach, failing) signs nothing in; the development sign-in says so too', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/#/audit`);
    await page.route(`${origin}/graphql`, (route) => route.abort('connectionrefused'));
    await page.locator('#token').fill(await hub.token(welfare, { roles: ['auditor'] }));
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('NETWORK_ERROR');
    expect(await page.getByRole('alert').innerText()).toMatch('サインインしていません');
    await page.unroute(`${origin}/graphql`);
    await page.route(`${origin}/graphql`, (route) => route.fulfill({ status: 502, body: '<html>Bad Gateway</html>' }));
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('サインインしていません');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // The development sign-in, with the hub's sign-in endpoint failing, says so rather than nothing.
    await page.route(`${origin}/ui/dev/sign-in`, (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
    );
    await demoSignIn(page, welfare, 'auditor');
    await poll(() => page.getByRole('alert').innerText()).toMatch('NETWORK_ERROR');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(page.url()).toMatch(/#\/audit$/);
    await context.close();
  });

  it('an answer of the hub that is not JSON (503 text/plain) is told with its HTTP status, on a page and at sign-in', async () => {
    const page = await signedIn(welfare, '', '#/disclosure');
    await page.route(`${origin}/graphql`, (route) =>
      route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }),
    );
    await page.getByLabel(/本人のID/).fill(victim);
    await page.getByRole('button', { name: /作成/ }).click();
    const alert = page.getByRole('alert').first();
    await poll(() => alert.innerText()).toMatch('NETWORK_ERROR');
    expect(await alert.innerText()).toMatch('HTTP 503');
    expect(await alert.innerText()).not.toMatch('did not answer');

    await page.getByRole('button', { name: /サインアウト/ }).click();
    await page.locator('#token').fill(await hub.token(welfare));
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('HTTP 503');
    expect(await page.getByRole('alert').innerText()).toMatch('NETWORK_ERROR');
    expect(await page.getByRole('alert').innerText()).toMatch('サインインしていません');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.context().close();
  });

  it('a refusal that says when to try again (retryAfterSeconds, Retry-After) is told with its seconds', async () => {
    const page = await signedIn(welfare, '', '#/disclosure');
    await page.getByLabel(/本人のID/).fill(victim);
    const alert = page.getByRole('alert').first();
    const answered = async (answer: {
      status: number;
      body: string;
      contentType: string;
      headers?: Record<string, string>;
    }) => {
      await page.route(`${origin}/graphql`, (route) => route.fulfill(answer));
      await page.getByRole('button', { name: /作成/ }).click();
      await poll(() => page.locator('#announcer').innerText()).toBe('表示できませんでした');
      await page.unroute(`${origin}/graphql`);
      const text = await alert.innerText();
      // Cleared for the next one.
      await page.evaluate(() => (document.getElementById('announcer')!.textContent = ''));
      return text;
    };
    const limited = (extensions: Record<string, unknown>) =>
      JSON.stringify({
        errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', ...extensions } }],
      });

    let text = await answered({
      status: 429,
      contentType: 'application/json',
      body: limited({ retryAfterSeconds: 7 }),
      headers: { 'retry-after': '7' },
    });
    expect(text).toMatch('RATE_LIMITED');
    expect(text).toMatch('7秒');
    expect(text).toMatch('7 seconds');
    // The header alone (a proxy's or an older hub's refusal) says it as well.
    text = await answered({
      status: 429,
      contentType: 'application/json',
      body: limited({}),
      headers: { 'retry-after': '12' },
    });
    expect(text).toMatch('12秒');
    text = await answered({
      status: 503,
      contentType: 'text/plain',
      body: 'Service Unavailable',
      headers: { 'retry-after': '30' },
    });
    expect(text).toMatch('HTTP 503');
    expect(text).toMatch('30秒');
    // Without either, no number is made up.
    text = await answered({ status: 429, contentType: 'application/json', body: limited({}) });
    expect(text).toMatch('しばらく待って');
    expect(text).not.toMatch(/\d+秒/);
    await page.context().close();
  });

  it('a switched-off agency pasting its token is told what that means on the sign-in page', async () => {
    const agency = 'test-ui-off-at-sign-in';
    await registerAgency(hub, {
      id: agency,
      name: '試験の停止機関',
      domain: 'WELFARE',
      kind: '福祉事務所',
      municipalityCode: '990001',
    });
    const token = await hub.token(agency);
    await switchAgency(agency, 'deactivateAgency');
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    recordRequests(page, requests);
    await page.goto(`${origin}/ui/`);
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: /このトークンで入る/ }).click();
    await poll(() => page.getByRole('alert').innerText()).toMatch('AGENCY_DEACTIVATED');
    expect(await page.getByRole('alert').innerText()).toMatch('ハブの管理者に問い合わせてください');
    await context.close();

    // The development sign-in's token is shown to the hub too: an agency switched off after the page listed
    // it is told so on the sign-in page, and not signed in.
    const listed = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const again = await listed.newPage();
    recordRequests(again, requests);
    await again.goto(`${origin}/ui/#/dashboards`);
    await again.locator('#agency').waitFor();
    // A demo agency the list offers, switched off after the page read the list, and on again after.
    const other = AGENCIES.minaminoEnvironment.id;
    await switchAgency(other, 'deactivateAgency');
    await demoSignIn(again, other, '');
    await poll(() => again.getByRole('alert').innerText()).toMatch('AGENCY_DEACTIVATED');
    expect(await again.evaluate(() => sessionStorage.length)).toBe(0);
    await switchAgency(other, 'reactivateAgency');
    await listed.close();
  });

  it('after a review the focus stays in the queue; a second review of the same access is explained', async () => {
    const emergencyId = await declareEmergency(hub, AGENCIES.minaminoCollaborator.id, residentId('ito'), [
      'MENTAL_HEALTH',
    ]);
    const page = await signedIn(welfare, 'auditor', '#/audit');
    const form = page.locator(`form[data-emergency="${emergencyId}"]`);
    await form.waitFor();
    // Another auditor reviews it first: this one's review is refused, and told why.
    const other = await queryAs(
      hub,
      kokoro,
      'mutation ($id: ID!) { reviewEmergency(id: $id, outcome: JUSTIFIED) { id } }',
      { id: emergencyId },
      ['auditor'],
    );
    expect(other.errors).toBeUndefined();
    await form.getByLabel('正当').check();
    await form.getByRole('button', { name: /検証を記録/ }).click();
    await poll(() => page.getByRole('alert').first().innerText()).toMatch('すでに別の監査担当が検証しています');
    await poll(() => form.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('emergency-heading');
  });

  it('a filter is kept for each dashboard of a sign-in, and a report’s print header does not follow to another page', async () => {
    const page = await signedIn(welfare, 'dashboard', '#/dashboards/urgentReportsDashboard');
    await page.locator('table.dashboard').waitFor();
    const months = await page
      .locator('#from option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await page.locator('#from').selectOption(months[3]!);
    await page.locator('#to').selectOption(months[5]!);
    await page.goto(`${origin}/ui/#/dashboards/caseDashboard`);
    await page.locator('table.dashboard').waitFor();
    await page.goto(`${origin}/ui/#/dashboards/urgentReportsDashboard`);
    await page.locator('table.dashboard').waitFor();
    expect(await page.locator('#from').inputValue()).toBe(months[3]);
    expect(await page.locator('#to').inputValue()).toBe(months[5]);
    await page.context().close();

    const auditor = await signedIn(welfare, 'auditor', '#/disclosure');
    await auditor.getByLabel(/本人のID/).fill(victim);
    await auditor.getByRole('button', { name: /作成/ }).click();
    await auditor.locator('article.report').first().waitFor();
    expect(await auditor.locator('#print-margins').textContent()).toContain('監査用・全件');
    await auditor.goto(`${origin}/ui/#/dashboards`);
    await poll(() => auditor.locator('main h1').innerText()).toMatch('ダッシュボード');
    expect(await auditor.locator('#print-margins').count()).toBe(0);
    await auditor.context().close();
  });

  it("the sign-in page and the auditor's desk fit a 320 px screen (WCAG reflow): nothing scrolls sideways", async () => {
    const context = await browser.newContext({
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      viewport: { width: 320, height: 640 },
    });
    const signIn = await context.newPage();
    await signIn.goto(`${origin}/ui/#/dashboards`);
    await signIn.locator('#token').waitFor();
    expect(await signIn.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await context.close();

    await hub.gateway.checkpointAccessLog();
    const page = await signedIn(welfare, 'auditor', '#/audit');
    await page.setViewportSize({ width: 320, height: 640 });
    await poll(() => page.locator('[data-testid=checkpoint-at]').first().innerText()).toMatch(/\d{4}\/\d{2}\/\d{2}/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.context().close();
  });

  it("every dashboard, the disclosure page and the auditor's desk fit 320 px: a table scrolls in its place, not the page", async () => {
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth);
    let page = await signedIn(welfare, 'dashboard', '#/dashboards/caseDashboard');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator('table.dashboard').waitFor();
    const fields = await page.locator('nav.tabs a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(fields).toHaveLength(7);
    let suppressed = 0;
    for (const href of fields) {
      await page.goto(`${origin}/ui/${href}`);
      await page.locator(`nav.tabs a[aria-current=page][href="${href}"]`).waitFor();
      await page.locator('table.dashboard tbody tr').first().waitFor();
      suppressed += await page.locator('td.suppressed').count();
      // The page is as wide as the screen; the table scrolls inside its region.
      expect([href, await fits()]).toEqual([href, 320]);
    }
    // The cells hidden from the eye but read out (秘匿) were there to escape the table's region.
    expect(suppressed).toBeGreaterThan(0);
    await page.goto(`${origin}/ui/#/disclosure`);
    await page.getByLabel(/本人のID/).waitFor();
    expect(await fits()).toBeLessThanOrEqual(320);
    await page.context().close();

    page = await signedIn(welfare, 'auditor', '#/audit');
    await page.setViewportSize({ width: 320, height: 640 });
    await poll(() => page.locator('[data-testid=chain-status]').innerText()).toMatch('改ざんなし');
    expect(await fits()).toBeLessThanOrEqual(320);
    // The chain's values keep room beside their terms, rather than a column of one character a line.
    for (const value of await page.locator('dl.status dd').all())
      expect((await value.boundingBox())!.width).toBeGreaterThanOrEqual(100);
    await page.context().close();
  });

  it('a long emergency reason is shown collapsed at 320 px: the reason keeps its width and the review form stays near', async () => {
    const reason = '本人と連絡が途絶え、家族からの通報で安否の確認が急を要するため、精神保健の記録を確認する。'
      .repeat(40)
      .slice(0, 1_500);
    const emergency = await givenEmergency(hub, kokoro, {
      personId: residentId('ito'),
      categories: ['MENTAL_HEALTH'],
      reason,
    });
    const page = await signedIn(welfare, 'auditor', '#/audit');
    await page.setViewportSize({ width: 320, height: 640 });
    const form = page.locator(`form[data-emergency="${emergency}"]`);
    await form.waitFor();
    const row = page.locator('table.emergencies tbody tr', { has: form });
    const cell = row.locator('td.reason');
    const box = async () => ({
      row: (await row.boundingBox())!,
      cell: (await cell.boundingBox())!,
      button: (await form.getByRole('button', { name: /検証を記録/ }).boundingBox())!,
      region: (await page.locator('section[aria-labelledby=emergency-heading] .table-scroll').boundingBox())!,
    });
    const shown = await box();
    // The reason has room to be read, the row is a screen or so tall, and the form is a short scroll away.
    expect(shown.cell.width).toBeGreaterThanOrEqual(150);
    expect(shown.row.height).toBeLessThanOrEqual(640);
    expect(shown.button.y - shown.row.y).toBeLessThanOrEqual(480);
    expect(shown.button.x + shown.button.width - shown.region.x).toBeLessThanOrEqual(3 * 320);
    // Collapsed, it is whole a press away: the excerpt opens into the full reason.
    expect((await cell.innerText()).length).toBeLessThan(200);
    await cell.locator('summary').click();
    await poll(() => cell.innerText()).toContain(reason);
    await expectAccessible(page);
    await page.context().close();
  });

  it('a control of the blue header rings in white when focused: the amber ring elsewhere does not show on the band', async () => {
    const page = await signedIn(welfare, '', '#/dashboards');
    // Once the page is drawn: its navigation moves focus to its heading.
    await poll(() => page.locator('main h1').innerText()).toMatch('ダッシュボード');
    await page.locator('table.dashboard').first().waitFor();
    const link = page.locator('header.site nav a').first();
    await link.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = () =>
      link.evaluate((element) => {
        const style = getComputedStyle(element);
        return { focused: document.activeElement === element, color: style.outlineColor, style: style.outlineStyle };
      });
    expect(await ring()).toEqual({ focused: true, color: 'rgb(255, 255, 255)', style: 'solid' });
    await page.context().close();
  });

  it('the disclosure report fits a 360 px screen: a wide table scrolls in its place, not the page', async () => {
    const read = await hub.query({ agency: welfare }, 'query ($id: ID!) { person(id: $id) { name } }', { id: victim });
    expect(read.errors).toBeUndefined();
    const page = await signedIn(welfare, 'auditor', '#/disclosure');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByLabel(/本人のID/).fill(victim);
    await page.getByRole('button', { name: /作成/ }).click();
    await page.locator('article.report table.log').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    // A table that scrolls is reached from the keyboard, and named after its month.
    const regions = page.locator('article.report .table-scroll');
    const names = await regions.evaluateAll((all) =>
      all.map((region) => [region.getAttribute('role'), region.tabIndex, region.getAttribute('aria-label')]),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const [role, tabIndex, name] of names) {
      expect([role, tabIndex]).toEqual(['region', 0]);
      expect(name).toMatch(/\d{4}年\d{1,2}月/);
    }
    expect(new Set(names.map(([, , name]) => name)).size).toBe(names.length);
    await screenshot(page, 'disclosure-report-narrow');
    await page.context().close();
  });

  it('text written without a break (a purpose, an agency name) wraps on the report, on screen and on A4', async () => {
    const person = residentId('ito');
    const unbroken = 'test-ui-unbroken';
    await registerAgency(hub, {
      id: unbroken,
      name: 'W'.repeat(200),
      domain: 'WELFARE',
      kind: '福祉事務所',
      municipalityCode: '990001',
    });
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await hub.token(unbroken)}`,
        'x-hub-purpose': 'X'.repeat(480),
      },
      body: JSON.stringify({ query: 'query ($id: ID!) { person(id: $id) { name } }', variables: { id: person } }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const page = await signedIn(welfare, 'auditor', '#/disclosure');
    await page.getByLabel(/本人のID/).fill(person);
    await page.getByRole('button', { name: /作成/ }).click();
    await page.locator(`article.report tr[data-agency="${unbroken}"]`).first().waitFor();
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(1280);
    // Printed, a table does not scroll: A4's width less its margins is 180 mm, 680 CSS pixels.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 680, height: 900 });
    expect(await width()).toBeLessThanOrEqual(680);
    await page.context().close();
  });

  it('two agencies of one name are two groups of the report, each under that name', async () => {
    const person = residentId('ito');
    const twin = 'test-ui-same-name';
    await registerAgency(hub, {
      id: twin,
      name: AGENCIES.minaminoWelfare.name,
      domain: 'WELFARE',
      kind: '福祉事務所',
      municipalityCode: '990001',
    });
    for (const agency of [welfare, twin]) {
      const read = await hub.query({ agency }, 'query ($id: ID!) { person(id: $id) { name } }', { id: person });
      expect(read.errors).toBeUndefined();
    }
    const page = await signedIn(welfare, 'auditor', '#/disclosure');
    await page.getByLabel(/本人のID/).fill(person);
    await page.getByRole('button', { name: /作成/ }).click();
    const report = page.locator('article.report');
    await report.locator(`tr[data-agency="${twin}"]`).first().waitFor();
    const headings = await report.locator('section.agency-group h3').allInnerTexts();
    expect(headings.filter((h) => h === AGENCIES.minaminoWelfare.name)).toHaveLength(2);
    await page.context().close();
  });

  it('in production the sign-in page does not ask for the development sign-in: no 404, no console error', async () => {
    const production = await startGatewayReplica(hub, {
      config: {
        ...hub.config,
        nodeEnv: 'production',
        audit: { ...hub.config.audit, checkpointFile: `${hub.config.audit.checkpointFile}.production` },
      },
    });
    try {
      // Another origin than the development hub's: its requests are not counted with the others.
      const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
      const page = await context.newPage();
      const asked: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => asked.push(new URL(request.url()).pathname));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${new URL(production.url).origin}/ui/`);
      // The page is drawn once it knows whether to offer the development sign-in.
      await page.locator('#token').waitFor();
      expect(asked.filter((path) => path.startsWith('/ui/dev/'))).toEqual([]);
      expect(problems).toEqual([]);
      expect(await page.locator('#agency').count()).toBe(0);
      await context.close();
    } finally {
      await production.close();
    }
  });

  it('a page or a section is aria-busy while it loads, and not once it is drawn, loaded or failed', async () => {
    const page = await signedIn(welfare, 'auditor', '#/dashboards');
    await page.locator('table.dashboard').first().waitFor();
    // The hub's answers are held until the test lets them through (or fails them, as a hub out of reach).
    let open = () => {};
    const gate = { answered: Promise.resolve(), fail: false };
    const hold = (fail = false) => {
      gate.fail = fail;
      gate.answered = new Promise<void>((resolve) => (open = resolve));
    };
    await page.route(`${origin}/graphql`, async (route) => {
      const { answered, fail } = gate;
      await answered;
      await (fail ? route.abort('connectionrefused') : route.fallback());
    });
    const busy = page.locator('[aria-busy]');

    // A page: its content is busy until drawn, and after its answer failed.
    hold();
    await page.goto(`${origin}/ui/#/disclosure`);
    await poll(() => page.locator('main#main[aria-busy=true]').count()).toBe(1);
    open();
    await page.getByRole('button', { name: /作成/ }).waitFor();
    await poll(() => busy.count()).toBe(0);
    hold(true);
    await page.goto(`${origin}/ui/#/dashboards/caseDashboard`);
    await poll(() => page.locator('main#main[aria-busy=true]').count()).toBe(1);
    open();
    await poll(() => page.getByRole('alert').first().innerText()).toMatch('NETWORK_ERROR');
    await poll(() => busy.count()).toBe(0);

    // A section: the disclosure report being made, then the access log being searched.
    await page.goto(`${origin}/ui/#/disclosure`);
    await page.getByLabel(/本人のID/).fill(victim);
    hold();
    await page.getByRole('button', { name: /作成/ }).click();
    await poll(() => busy.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-busy')))).toEqual(['true']);
    open();
    await page.locator('article.report').waitFor();
    await poll(() => busy.count()).toBe(0);
    await page.goto(`${origin}/ui/#/audit`);
    await page.getByRole('button', { name: /^検索/ }).waitFor();
    hold(true);
    await page.getByRole('button', { name: /^検索/ }).click();
    await poll(() => page.locator('[data-testid=search-results][aria-busy=true]').count()).toBe(1);
    open();
    await poll(() => page.locator('[data-testid=search-results]').innerText()).toMatch('NETWORK_ERROR');
    await poll(() => busy.count()).toBe(0);
    await page.context().close();
  });

  it("the access log search's dates run from the first day the hub takes to today in Japan, the end not before the start", async () => {
    // A browser whose clock is set far behind Japan: "today" is still Japan's.
    const page = await signedIn(welfare, 'auditor', '#/audit', 'Etc/GMT+12');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    const [from, to] = [page.locator('#search-from'), page.locator('#search-to')];
    await from.waitFor();
    const bounds = async () => [
      await from.getAttribute('min'),
      await from.getAttribute('max'),
      await to.getAttribute('min'),
      await to.getAttribute('max'),
    ];
    // The start of 0001-01-01 in JST is an instant of the year 0000, which the hub refuses.
    expect(await bounds()).toEqual(['0001-01-02', today, '0001-01-02', today]);
    await from.fill('2026-04-10');
    await poll(bounds).toEqual(['0001-01-02', today, '2026-04-10', today]);
    await to.fill('2026-04-20');
    await poll(bounds).toEqual(['0001-01-02', '2026-04-20', '2026-04-10', today]);

    // An end before the start is not sent: the hub would refuse it (INVALID_PERIOD).
    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.postData()?.includes('AccessLogSearch')) searches.push(request.url());
    });
    await to.fill('2026-04-01');
    expect(await to.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
    await page.getByRole('button', { name: /^検索/ }).click();
    await page.waitForTimeout(500);
    expect(searches).toEqual([]);
    await to.fill('2026-04-20');
    await page.getByRole('button', { name: /^検索/ }).click();
    await poll(async () => searches.length).toBe(1);
    await page.context().close();
  });

  it('the review forms are named by the declaring agency and time, not an id; the header names the agency signed in', async () => {
    const emergencyId = await declareEmergency(hub, kokoro, residentId('ito'), ['MENTAL_HEALTH']);
    const page = await signedIn(welfare, 'auditor', '#/audit');
    const form = page.locator(`form[data-emergency="${emergencyId}"]`);
    await form.waitFor();
    const name = (await form.getAttribute('aria-label'))!;
    expect(name).not.toContain(emergencyId);
    expect(name).toMatch(
      new RegExp(`^\\d+件目の検証（${AGENCIES.minaminoKokoro.name}、\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}の宣言）$`),
    );
    expect(await page.getByRole('form', { name }).count()).toBe(1);
    // No two forms of the queue share a name, two declared by one agency in one minute included.
    const names = await page
      .locator('form.review')
      .evaluateAll((forms) => forms.map((f) => f.getAttribute('aria-label')));
    expect(new Set(names).size).toBe(names.length);

    // The agency signed in by its name, its id after it as secondary text.
    const who = page.locator('header.site .who .agency');
    await poll(() => who.innerText()).toMatch(AGENCIES.minaminoWelfare.name);
    expect(await who.locator('.agency-id').innerText()).toBe(welfare);
    expect((await who.innerText()).startsWith(AGENCIES.minaminoWelfare.name)).toBe(true);
    await expectAccessible(page);
    await page.context().close();
  });

  it("no request left the hub's origin", () => {
    expect(requests.length).toBeGreaterThan(20);
    expect(foreignRequests(requests, origin)).toEqual([]);
  });
});
