/**
 * Benchmark: the browser console in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) against a started server (`node --import tsx api/main.ts`, the production
 * build of the console, in-memory PGlite, the offline responder). Timed in the page itself
 * (Performance API and a MutationObserver, so no DevTools round trip is counted):
 * - first render: navigation start to the first contentful paint of the sign-in page, and to
 *   the sign-in form being usable, each in a fresh browser context (nothing cached);
 * - sign-in to the overview with its figures (the overview view marked ready);
 * - time to the first streamed token: Send clicked to the first token of the answer on screen.
 * Skipped, saying why, without Chromium.
 */
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { startServerProcess, waitForFirstBatch } from '../../test/helpers/server.ts';
import { median, type BenchRow, type BenchSuite } from './lib.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/helpers/chromium.ts';

const EMAIL = 'demo_individual@sigmasight.com';
const PASSWORD = 'demo12345';
const REPS = 9;

/**
 * Resolves in the page with the ms from clicking `click` until `selector` matches (MutationObserver).
 * The page scripts are strings: tsx names functions with a helper the page does not have.
 */
function timeUntil(page: Page, selector: string, click: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const t0 = performance.now();
    const done = () => {
      if (!document.querySelector(${JSON.stringify(selector)})) return false;
      resolve(performance.now() - t0);
      return true;
    };
    const obs = new MutationObserver(() => done() && obs.disconnect());
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
    document.querySelector(${JSON.stringify(click)}).click();
  })`) as Promise<number>;
}

/** Fills the sign-in form of a page showing it. */
async function fillSignIn(page: Page): Promise<void> {
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
}

const suite: BenchSuite = {
  name: 'Browser console (headless Chromium, local server, offline responder)',
  async run() {
    if (!existsSync(CHROMIUM)) {
      console.log(`  skipped: ${CHROMIUM} not found (apt-get install chromium)`);
      return [];
    }
    const server = await startServerProcess({ RATE_LIMIT_LOGIN_PER_EMAIL: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_API_PER_MIN: '100000' });
    await waitForFirstBatch(server.base, [EMAIL], PASSWORD);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const fcp: number[] = [];
      const usable: number[] = [];
      const overview: number[] = [];
      const ttft: number[] = [];
      for (let i = 0; i < REPS + 1; i++) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await ctx.newPage();
        await page.goto(server.base);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        const t = (await page.evaluate(`({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          usable: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
        })`)) as { fcp: number; usable: number };
        await fillSignIn(page);
        const ov = await timeUntil(page, 'section[data-view="overview"][data-ready]', 'form button[type="submit"]');
        if (i > 0) {
          // the first round warms the server's caches and the browser's process
          fcp.push(t.fcp);
          usable.push(t.usable);
          overview.push(ov);
        }
        await ctx.close();
      }
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(server.base);
      await fillSignIn(page);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-user]').waitFor();
      for (let i = 0; i < REPS + 1; i++) {
        await page.getByLabel('Message', { exact: true }).fill('what is my beta?');
        await page.evaluate(`document.querySelectorAll('.msg.assistant').forEach((m) => m.setAttribute('data-bench-seen', ''))`);
        const ms = await timeUntil(page, '.msg.assistant:not([data-bench-seen])[data-tokens]:not([data-tokens="0"])', 'form.composer button[type="submit"]');
        await page.locator('.msg.assistant').last().and(page.locator('[data-state="complete"]')).waitFor({ timeout: 30_000 });
        if (i > 0) ttft.push(ms);
      }
      const row = (name: string, xs: number[], goal?: string): BenchRow => ({ name, unit: 'page', units: 1, medianMs: median(xs), extra: { min: Math.round(Math.min(...xs) * 10) / 10, max: Math.round(Math.max(...xs) * 10) / 10, ...(goal ? { goal } : {}) } });
      return [
        row(`console first render: first contentful paint of the sign-in page, fresh context (median of ${REPS})`, fcp, '< 1000 ms'),
        row(`console first render: DOMContentLoaded of the sign-in page, fresh context (median of ${REPS})`, usable, '< 1000 ms'),
        row(`console: Sign in clicked → overview with its figures (median of ${REPS})`, overview),
        row(`console chat: Send clicked → first streamed token on screen, offline responder (median of ${REPS})`, ttft),
      ];
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};
export default suite;
