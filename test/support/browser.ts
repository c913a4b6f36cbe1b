// Browser tests' fixture: Debian's Chromium driven headless by playwright-core, with every request the page
// makes recorded (to prove none leaves the hub's origin) and axe-core run inside the page for accessibility.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** Why browser tests are skipped on this machine, or null when Chromium is there. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `no Chromium at ${CHROMIUM}: browser tests skipped (apt-get install -y --no-install-recommends chromium)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright gives each launch a fresh, temporary profile (the --user-data-dir of a clean start).
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
}

/** Records into `urls` the URL of every request the page makes, including those that fail or are blocked. */
export function recordRequests(page: Page, urls: string[]): void {
  page.on('request', (request) => urls.push(request.url()));
}

/** The requests that left `origin` (data: and blob: URLs are the page's own memory, not requests). */
export function foreignRequests(urls: readonly string[], origin: string): string[] {
  return urls.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) in the page and answers the serious and critical violations. It is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const { violations, passes } = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[]; passes: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      passes: result.passes.length,
      violations: (result.violations as { id: string; impact: string | null; help: string; nodes: unknown[] }[]).map(
        (v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }),
      ),
    };
  });
  // A run that checked nothing would find nothing: make sure the rules ran on the page.
  if (passes === 0) throw new Error('axe-core checked no rule on the page');
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
