// The pages' weight and first load: the built bundle's size (raw and gzip, as the gateway serves it), and in a
// headless Chromium against a hub on a scratch database, what the first visit transfers and how long it takes,
// cold (a new browser context each time) for the sign-in page and for a dashboard with its chart.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startHub } from '@hub/all-in-one';
import { mintDevToken } from '@hub/gateway/token';
import { createLogger, createScratchDatabase, readConfig } from '@hub/platform';
import { ensureUiBuilt, UI_DIST_DIR } from '@hub/ui';
import { browserMissing, launchChromium } from '../test/support/browser.js';
import { median } from './load.js';

/** The first visit may carry at most this much compressed JavaScript. */
export const FIRST_LOAD_BUDGET_KB = 300;

export interface UiChunk {
  file: string;
  kb: number;
  gzipKb: number;
}

export interface UiLoad {
  page: string;
  /** JavaScript the browser received (compressed, as sent), KB. */
  jsTransferredKb: number;
  /** Everything the browser received, KB. */
  totalTransferredKb: number;
  requests: number;
  /** From navigation start until the page shows its content (median of the runs), ms. */
  shownMs: number;
  shownMsRange: [number, number];
}

export interface UiBench {
  chunks: UiChunk[];
  jsKb: number;
  jsGzipKb: number;
  cssGzipKb: number;
  loads: UiLoad[] | string;
  budgetKb: number;
  withinBudget: boolean | null;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

function bundle(): Pick<UiBench, 'chunks' | 'jsKb' | 'jsGzipKb' | 'cssGzipKb'> {
  const assets = join(UI_DIST_DIR, 'assets');
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  const chunks = files.map((file) => ({
    file,
    kb: kb(statSync(join(assets, file)).size),
    gzipKb: kb(statSync(join(assets, `${file}.gz`)).size),
  }));
  const sum = (list: UiChunk[], key: 'kb' | 'gzipKb') => Math.round(list.reduce((n, c) => n + c[key], 0) * 10) / 10;
  const js = chunks.filter((c) => c.file.endsWith('.js'));
  return {
    chunks,
    jsKb: sum(js, 'kb'),
    jsGzipKb: sum(js, 'gzipKb'),
    cssGzipKb: sum(
      chunks.filter((c) => c.file.endsWith('.css')),
      'gzipKb',
    ),
  };
}

async function firstLoads(runs: number): Promise<UiLoad[]> {
  const database = await createScratchDatabase('benchui', process.env['DATABASE_URL']);
  const base = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const config = {
    ...base,
    database: database.config,
    audit: { ...base.audit, checkpointFile: database.checkpointFile },
  };
  const hub = await startHub({ config, ports: 'ephemeral', seed: true, logger: createLogger('bench', 'silent') });
  const browser = await launchChromium();
  try {
    const origin = new URL(hub.gatewayUrl).origin;
    const token = await mintDevToken(config.auth, { agency: 'minamino-welfare', roles: ['dashboard'] });
    const pages = [
      { page: 'sign-in (/ui/)', hash: '', token: null, shown: '#agency' },
      {
        page: 'dashboard (#/dashboards/caseDashboard)',
        hash: '#/dashboards/caseDashboard',
        token,
        shown: '.chart svg',
      },
    ];
    const loads: UiLoad[] = [];
    for (const target of pages) {
      const times: number[] = [];
      let transfer = { js: 0, total: 0, requests: 0 };
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ locale: 'ja-JP' });
        if (target.token) {
          await context.addInitScript((t) => sessionStorage.setItem('hub.session.token', t), target.token);
        }
        const page = await context.newPage();
        await page.goto(`${origin}/ui/${target.hash}`);
        await page.locator(target.shown).first().waitFor();
        const measured = await page.evaluate(() => {
          const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
          const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return {
            shownMs: performance.now(),
            js: resources.filter((r) => r.name.endsWith('.js')).reduce((n, r) => n + r.transferSize, 0),
            total: resources.reduce((n, r) => n + r.transferSize, navigation.transferSize),
            requests: resources.length + 1,
          };
        });
        times.push(measured.shownMs);
        transfer = { js: measured.js, total: measured.total, requests: measured.requests };
        await context.close();
      }
      loads.push({
        page: target.page,
        jsTransferredKb: kb(transfer.js),
        totalTransferredKb: kb(transfer.total),
        requests: transfer.requests,
        shownMs: Math.round(median(times)),
        shownMsRange: [Math.round(Math.min(...times)), Math.round(Math.max(...times))],
      });
    }
    return loads;
  } finally {
    await browser.close();
    await hub.close();
    await database.drop();
  }
}

export async function measureUi(options: { quick: boolean }): Promise<UiBench> {
  await ensureUiBuilt({ quiet: true });
  const sizes = bundle();
  const missing = browserMissing();
  const loads = missing ?? (await firstLoads(options.quick ? 3 : 5));
  const firstJs = typeof loads === 'string' ? null : Math.max(...loads.map((l) => l.jsTransferredKb));
  return {
    ...sizes,
    loads,
    budgetKb: FIRST_LOAD_BUDGET_KB,
    withinBudget: firstJs === null ? null : firstJs < FIRST_LOAD_BUDGET_KB,
  };
}

export function uiMarkdown(ui: UiBench): string[] {
  const lines = ['## The pages under /ui/', ''];
  lines.push(
    `Bundle: ${ui.jsKb} KB of JavaScript, ${ui.jsGzipKb} KB gzipped (as served); CSS ${ui.cssGzipKb} KB gzipped.`,
    '',
    '| chunk | KB | gzip KB |',
    '|---|---:|---:|',
    ...ui.chunks.map((c) => `| ${c.file} | ${c.kb} | ${c.gzipKb} |`),
    '',
  );
  if (typeof ui.loads === 'string') {
    lines.push(`First load: not measured (${ui.loads}).`);
    return lines;
  }
  lines.push(
    'First load in headless Chromium, cold (new context each run), loopback: until the page shows its content.',
    '',
    '| page | JS transferred KB | all transferred KB | requests | shown ms (min–max) |',
    '|---|---:|---:|---:|---:|',
    ...ui.loads.map(
      (l) =>
        `| ${l.page} | ${l.jsTransferredKb} | ${l.totalTransferredKb} | ${l.requests} | ${l.shownMs} (${l.shownMsRange[0]}–${l.shownMsRange[1]}) |`,
    ),
    '',
    `Budget: first load under ${ui.budgetKb} KB of compressed JavaScript: ${ui.withinBudget ? 'met' : 'NOT met'}.`,
  );
  return lines;
}
