/**
 * The browser console in headless Chromium (Debian's /usr/bin/chromium through playwright-core)
 * against one real server process (`api/main.ts` on an in-memory PGlite, offline responder):
 * sign-in as each demo user, a streamed chat turn with its tool chip, Stop, every risk view's
 * headline figure against the REST answer fetched separately with a bearer token, the CSV import
 * (preview, commit, recompute), sign-out, axe-core at 1280 px and 390 px, and the page's CSP.
 * Screenshots go to test/web/artifacts/ (gitignored).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers/run.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.ts';
import { startServerProcess, waitForFirstBatch, type ServerProcess } from '../helpers/server.ts';

const PASSWORD = 'demo12345';
const USERS = ['demo_individual@sigmasight.com', 'demo_hnw@sigmasight.com', 'demo_hedgefundstyle@sigmasight.com'];
const ART = `${ROOT}test/web/artifacts`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: ServerProcess | undefined;
let base = '';
let browser: Browser;

const tokens = new Map<string, string>();

/** REST answer with a bearer token (independent of the page's cookie session). */
async function rest(email: string, path: string): Promise<any> {
  let token = tokens.get(email);
  if (!token) {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    token = ((await login.json()) as { access_token: string }).access_token;
    tokens.set(email, token);
  }
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

/** "$588,873" or "-$4,766" or "0.924" → number. */
const num = (s: string | null) => Number((s ?? '').replace(/[$,%\s]/g, '').replace(/^−/, '-').split('(')[0]);

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-user]').filter({ hasText: email }).waitFor();
}

async function openView(page: Page, id: string): Promise<void> {
  await page.goto(`${base}/#/${id}`);
  await page.locator(`section[data-view="${id}"][data-ready]`).waitFor({ timeout: 20_000 });
}

async function axe(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }));
  return (r.violations as any[]).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
}

beforeAll(async () => {
  mkdirSync(ART, { recursive: true });
  server = await startServerProcess({ RECOMPUTE_DEBOUNCE_MS: '200', RATE_LIMIT_LOGIN_PER_EMAIL: '100', RATE_LIMIT_LOGIN_PER_IP: '500', RATE_LIMIT_API_PER_MIN: '100000' });
  base = server.base;
  await waitForFirstBatch(base, USERS, PASSWORD);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('console', () => {
  it('serves the page with a strict CSP, hashed immutable assets, and no inline script', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<)/);
    const js = /src="(\/assets\/main-[A-Z0-9]{8}\.js)"/.exec(html)![1]!;
    const a = await fetch(`${base}${js}`);
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/nope-AAAAAAAA.js`)).status).toBe(404);
  });

  it.each(USERS)('%s signs in, asks for the beta and sees tokens stream, a tool chip and the answer, then signs out', async (email) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cspErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
    await signIn(page, email);
    const me = await rest(email, '/api/v1/auth/me');
    const fx = await rest(email, `/api/v1/analytics/portfolio/${me.portfolio_id}/factor-exposures`);
    const beta = fx.factors.find((f: any) => f.name === 'Market Beta').beta as number;
    await page.getByLabel('Message', { exact: true }).fill('what is my beta?');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.msg.assistant').last();
    await reply.and(page.locator('[data-state="complete"]')).waitFor({ timeout: 30_000 });
    expect(Number(await reply.getAttribute('data-tokens'))).toBeGreaterThan(3);
    await expect.poll(() => reply.locator('[data-tool]').count()).toBeGreaterThan(0);
    expect(await reply.locator('summary.chip').first().textContent()).toMatch(/^get_\w+ · \d+ ms$/);
    expect(await reply.locator('.md').textContent()).toContain(beta.toFixed(2));
    // the conversation is listed and resumes with its messages
    await page.reload();
    await page.locator('[data-user]').waitFor();
    const conv = page.getByLabel('Conversation', { exact: true });
    await expect.poll(() => conv.locator('option').count()).toBeGreaterThan(1);
    await conv.selectOption({ index: 1 });
    await expect.poll(() => page.locator('.msg').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: `${ART}/chat-${email.split('@')[0]}.png` });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status)))).toBe(401);
    expect(cspErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('stops a turn: the reply is marked aborted and the server holds no turn still streaming', async () => {
    const email = USERS[0]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, email);
    // a slow link (about 2 KB/s down), so the answer is still arriving when Stop is pressed
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 2000, uploadThroughput: -1 });
    await page.getByLabel('Message', { exact: true }).fill('summarise my portfolio risk');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    const reply = page.locator('.msg.assistant').last();
    await reply.and(page.locator('[data-state="aborted"]')).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-chat-status]').textContent()).toBe('Stopped');
    // the server ended the turn (the offline responder may have finished before the abort reached it)
    const conv = page.getByLabel('Conversation', { exact: true });
    await expect.poll(() => conv.inputValue()).not.toBe('');
    const path = `/api/v1/chat/conversations/${await conv.inputValue()}/messages`;
    await expect.poll(async () => (await rest(email, path)).messages.at(-1)?.status, { timeout: 10_000 }).toMatch(/^(aborted|complete)$/);
    await page.close();
  }, 30_000);

  it('shows each risk view with its headline figure equal to the REST answer (demo individual)', async () => {
    const email = USERS[0]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, email);
    const pid = (await rest(email, '/api/v1/auth/me')).portfolio_id as string;
    const A = `/api/v1/analytics/portfolio/${pid}`;

    await openView(page, 'overview');
    const ov = await rest(email, `${A}/overview`);
    expect(num(await page.locator('[data-figure="nav"]').textContent())).toBe(Math.round(ov.total_value));
    expect(num(await page.locator('[data-figure="gross"]').textContent())).toBe(Math.round(ov.exposures.gross_exposure));
    expect(await page.locator('[data-figure="as_of"]').textContent()).toContain(ov.as_of);
    await page.screenshot({ path: `${ART}/overview.png`, fullPage: true });

    await openView(page, 'positions');
    const pos = await rest(email, `/api/v1/data/portfolios/${pid}/positions`);
    const rows = page.locator('table[data-table="positions"] tbody tr');
    expect(await rows.count()).toBe(pos.positions.length);
    const aapl = pos.positions.find((p: any) => p.symbol === 'AAPL');
    expect(num(await page.locator('tr[data-symbol="AAPL"] td[data-col="market_value"]').textContent())).toBe(Math.round(aapl.market_value));
    // sortable: by symbol ascending puts the alphabetically first symbol on top
    await page.getByRole('button', { name: 'Symbol' }).click();
    const first = [...pos.positions.map((p: any) => p.symbol as string)].sort((a, b) => a.localeCompare(b))[0];
    expect(await rows.first().getAttribute('data-symbol')).toBe(first);
    await page.screenshot({ path: `${ART}/positions.png`, fullPage: true });

    await openView(page, 'factors');
    const fx = await rest(email, `${A}/factor-exposures`);
    const mb = fx.factors.find((f: any) => f.name === 'Market Beta');
    expect(await page.locator('.bar-row').filter({ hasText: 'Market Beta' }).locator('.num').textContent()).toBe(mb.beta.toFixed(3));
    await page.getByRole('button', { name: 'Table view' }).click();
    expect(await page.locator('[data-panel="Factor exposures"] tbody tr').count()).toBe(fx.factors.length);
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = readFileSync(await (await dl).path(), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('Factor,Beta,Exposure (USD)');
    expect(csv).toHaveLength(fx.factors.length + 1);
    await page.screenshot({ path: `${ART}/factors.png`, fullPage: true });

    await openView(page, 'stress');
    const st = await rest(email, `${A}/stress-test`);
    const worst = [...st.data.scenarios].sort((a: any, b: any) => a.impact.dollar_impact - b.impact.dollar_impact)[0];
    const cells = page.locator('table[data-table="stress"] tbody tr').first().locator('td');
    expect(await cells.nth(0).textContent()).toBe(worst.name);
    expect(num(await cells.nth(2).textContent())).toBe(Math.round(worst.impact.dollar_impact));
    await page.screenshot({ path: `${ART}/stress.png`, fullPage: true });

    await openView(page, 'risk');
    const rm = await rest(email, `${A}/risk-metrics`);
    expect(num(await page.locator('[data-figure="var_95_1d"]').textContent())).toBe(Math.round(rm.risk_metrics.var_95_1d));
    expect(num(await page.locator('[data-figure="cvar_99_1d"]').textContent())).toBe(Math.round(rm.risk_metrics.cvar_99_1d));
    const bt = await rest(email, `${A}/var-backtest`);
    await page.locator('[data-panel="VaR backtest"] canvas').first().waitFor();
    await page.locator('[data-panel="VaR backtest"]').getByRole('button', { name: 'Table view' }).click();
    expect(await page.locator('[data-panel="VaR backtest"] tbody tr').count()).toBe(bt.backtest.days.length);
    await page.screenshot({ path: `${ART}/var.png`, fullPage: true });

    await openView(page, 'correlation');
    const cm = await rest(email, `${A}/correlation-matrix`);
    const [s1, s2] = Object.keys(cm.data.matrix);
    expect(Number(await page.locator(`td[data-pair="${s1}/${s2}"]`).textContent())).toBe(Number(cm.data.matrix[s1!][s2!].toFixed(2)));
    // the heat map groups each cluster's members along the diagonal and lists the clusters
    const clusters = cm.data.clusters as { name: string; members: string[] }[];
    if (clusters.length) {
      expect(await page.locator('table[data-table="correlation"] tbody th').first().textContent()).toBe(`${clusters[0]!.members[0]} · C1`);
      const row = page.locator('[data-table="clusters"] tbody tr').first().locator('td');
      expect(await row.nth(1).textContent()).toBe(clusters[0]!.name);
      expect(await row.nth(2).textContent()).toBe(clusters[0]!.members.join(', '));
      expect(await page.locator('[data-table="clusters"] tbody tr').count()).toBe(clusters.length);
    } else {
      await page.getByText('No cluster: no two holdings move together').waitFor();
    }
    await page.screenshot({ path: `${ART}/correlation.png`, fullPage: true });

    await openView(page, 'history');
    const sn = await rest(email, `${A}/snapshots`);
    const latest = [...sn.snapshots].sort((a: any, b: any) => a.date.localeCompare(b.date)).at(-1);
    expect(num(await page.locator('[data-figure="latest_nav"]').textContent())).toBe(Math.round(latest.nav));
    await page.screenshot({ path: `${ART}/history.png`, fullPage: true });

    await openView(page, 'batch');
    const runs = await rest(email, '/api/v1/admin/batch/jobs/status');
    expect(await page.locator(`tr[data-run="${runs.runs[0].run_id}"] td[data-col="status"]`).textContent()).toBe(runs.runs[0].status);
    await page.screenshot({ path: `${ART}/batch.png`, fullPage: true });
    await page.close();

    // an option's Greeks in the positions table (the hedge-fund-style book holds options)
    const hf = USERS[2]!;
    const hfPid = (await rest(hf, '/api/v1/auth/me')).portfolio_id as string;
    const gr = await rest(hf, `/api/v1/analytics/portfolio/${hfPid}/greeks`);
    const opt = gr.positions.find((x: any) => typeof x.delta === 'number' && x.delta !== 0);
    const page2 = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page2, hf);
    await openView(page2, 'positions');
    const hfPos = await rest(hf, `/api/v1/data/portfolios/${hfPid}/positions`);
    const sym = hfPos.positions.find((p: any) => p.id === opt.position_id).symbol as string;
    expect(Number(await page2.locator(`tr[data-symbol="${sym}"] td[data-col="delta"]`).first().textContent())).toBeCloseTo(opt.delta, 3);
    await page2.close();
  }, 90_000);

  it('imports a CSV: preview, commit, then the recompute finishes', async () => {
    const email = USERS[1]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, email);
    await openView(page, 'book');
    const file = `${ROOT}data/examples/portfolio-import.csv`;
    const dataLines = readFileSync(file, 'utf8').trim().split('\n').length - 1; // no multi-line rows in the example
    await page.getByLabel('Holdings CSV file').setInputFiles(file);
    const preview = page.locator('table[data-table="import-preview"] tbody tr');
    await preview.first().waitFor();
    expect(await preview.count()).toBe(dataLines);
    await page.screenshot({ path: `${ART}/import-preview.png`, fullPage: true });
    await page.getByRole('button', { name: 'Commit import' }).click();
    const status = page.locator('[data-book-status]');
    await page.locator('[data-book-status][data-recompute]:not([data-recompute="waiting"])').waitFor({ timeout: 60_000 });
    // FXAIX has no stored prices, so the run may end partial; it must end, not fail
    expect(await status.textContent()).toMatch(/^Imported: 8 created, 0 updated, 0 closed\. Recompute (succeeded|partial) \(as of \d{4}-\d{2}-\d{2}\)$/);
    await page.screenshot({ path: `${ART}/import-committed.png`, fullPage: true });
    const pid = (await rest(email, '/api/v1/auth/me')).portfolio_id as string;
    const book = await rest(email, `/api/v1/portfolios/${pid}/positions`);
    expect(book.positions.some((p: any) => p.symbol === 'SPY' && p.quantity === 25)).toBe(true);
    await page.close();
  }, 90_000);

  it('shows the approval card for a proposed write; approving runs it and the reply streams on', async () => {
    const email = USERS[2]!;
    const pid = (await rest(email, '/api/v1/auth/me')).portfolio_id as string;
    const before = (await rest(email, `/api/v1/portfolios/${pid}/positions`)).positions.filter((p: any) => p.symbol === 'AAPL' && !p.exit_date).length;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, email);
    await page.getByLabel('Message', { exact: true }).fill('Add 10 AAPL at 190');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('group', { name: 'Proposed change' });
    await card.waitFor({ timeout: 20_000 });
    expect(await card.locator('pre').textContent()).toContain('"symbol": "AAPL"');
    await page.locator('.msg.assistant[data-state="awaiting_approval"]').waitFor();
    await page.screenshot({ path: `${ART}/approval.png` });
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.msg.assistant').last().and(page.locator('[data-state="complete"]')).waitFor({ timeout: 20_000 });
    const after = (await rest(email, `/api/v1/portfolios/${pid}/positions`)).positions.filter((p: any) => p.symbol === 'AAPL' && !p.exit_date);
    expect(after.length).toBe(before + 1);
    expect(after.some((p: any) => p.quantity === 10 && p.entry_price === 190)).toBe(true);
    await page.close();
  }, 60_000);

  it('renders Markdown safely: no raw HTML, no remote images, no script links', async () => {
    const bundle = buildSync({ entryPoints: [`${ROOT}web/src/markdown.ts`], bundle: true, format: 'iife', globalName: 'md', write: false, logLevel: 'silent', footer: { js: 'globalThis.md = md;' } }).outputFiles[0]!.text;
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.evaluate(bundle);
    const render = (src: string) => page.evaluate((t) => (globalThis as any).md.renderMarkdown(t) as string, src);
    const evil = await render('hi <img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n![chart](http://example.invalid/x.png)\n\n[click](javascript:alert(3)) <iframe src="http://example.invalid"></iframe>');
    expect(evil).not.toMatch(/<(img|script|iframe)\b/i); // raw HTML stays text
    expect(evil).not.toMatch(/href="javascript:/i);
    expect(evil).not.toContain('x.png'); // the remote image is not referenced at all
    expect(evil).toContain('&lt;img'); // shown as text
    expect(evil).toContain('chart'); // the image's alt text stays
    const ok = await render('## Beta\n\n| factor | beta |\n|---|---|\n| Market | 0.92 |\n\n**bold** `code` [docs](https://example.org/a)');
    expect(ok).toMatch(/<h2[^>]*>Beta<\/h2>/);
    expect(ok).toContain('<td>0.92</td>');
    expect(ok).toContain('<strong>bold</strong>');
    expect(ok).toMatch(/<a href="https:\/\/example\.org\/a" rel="noopener noreferrer nofollow" target="_blank">docs<\/a>/);
    await page.close();
  });

  it.each([1280, 390])('has no serious or critical axe violation at %i px (sign-in, overview with chat, book)', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(base);
    await page.getByLabel('Email').waitFor();
    expect(await axe(page)).toEqual([]);
    await signIn(page, USERS[0]!);
    for (const v of ['overview', 'positions', 'stress', 'correlation', 'book']) {
      await openView(page, v);
      // nothing wider than the viewport at the page level (wide tables scroll in their own box)
      expect(await page.evaluate(() => { const d = (globalThis as any).document.documentElement; return d.scrollWidth - d.clientWidth; }), v).toBeLessThanOrEqual(0);
      expect(await axe(page), v).toEqual([]);
    }
    await page.screenshot({ path: `${ART}/book-${width}.png`, fullPage: true });
    await page.close();
  }, 60_000);
});
