/**
 * MCP Apps: the overview, stress and what-if views are `ui://` resources, the tools that feed
 * them declare them, and each view renders a real tool result inside a host harness — a page in
 * headless Chromium (Debian's) holding the view in a sandboxed iframe and speaking to it through
 * the ext-apps SDK's own host side (AppBridge over postMessage), as Claude or ChatGPT do.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { buildSync } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import type { TestDb } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';
import { batchedMcp, callTool, DEMO } from '../mcp/mcp-harness.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.ts';


/** The host side: AppBridge from the SDK, bundled for the page. `startHost` mounts a view and hands it the tool input and result. */
const HOST = buildSync({
  stdin: {
    contents: `import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
      window.startHost = async (html, args, result) => {
        const iframe = document.createElement('iframe');
        iframe.setAttribute('sandbox', 'allow-scripts');
        iframe.style.cssText = 'width: 760px; height: 560px; border: 1px solid #ccc';
        document.body.append(iframe);
        const bridge = new AppBridge(null, { name: 'SigmaSight test host', version: '1.0.0' }, {});
        bridge.oninitialized = async () => { await bridge.sendToolInput({ arguments: args }); await bridge.sendToolResult(result); };
        await bridge.connect(new PostMessageTransport(iframe.contentWindow, iframe.contentWindow));
        iframe.srcdoc = html;
      };`,
    resolveDir: ROOT, loader: 'js',
  },
  bundle: true, format: 'iife', write: false, logLevel: 'silent',
}).outputFiles[0]!.text;

/** Whole dollars, en-US, as the console shows them. */
const usd = (v: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(v);

describe('MCP Apps views', () => {
  let db: TestDb;
  let mcp: InProcessMcp;
  let browser: Browser;
  beforeAll(async () => {
    ({ db, mcp } = await batchedMcp('pglite', DEMO.hedge.email));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await mcp?.close();
    await db?.destroy();
  });

  it('lists the three views as MCP App resources, and the tools that feed them declare them', async () => {
    const { resources } = await mcp.client.listResources();
    const views = resources.filter((r) => r.uri.startsWith('ui://'));
    expect(views.map((r) => r.uri).sort()).toEqual(['ui://sigmasight/overview.html', 'ui://sigmasight/stress.html', 'ui://sigmasight/what-if.html']);
    for (const v of views) expect(v.mimeType).toBe('text/html;profile=mcp-app');
    const { tools } = await mcp.client.listTools();
    const meta = (name: string) => tools.find((t) => t.name === name)!._meta as { ui: { resourceUri: string }; 'ui/resourceUri': string };
    expect(meta('get_analytics_overview').ui.resourceUri).toBe('ui://sigmasight/overview.html');
    expect(meta('get_analytics_overview')['ui/resourceUri']).toBe('ui://sigmasight/overview.html');
    expect(meta('get_stress_test_results').ui.resourceUri).toBe('ui://sigmasight/stress.html');
    expect(meta('simulate_trade').ui.resourceUri).toBe('ui://sigmasight/what-if.html');
    expect(tools.find((t) => t.name === 'get_risk_metrics')!._meta?.['ui']).toBeUndefined();
    const page = await mcp.client.readResource({ uri: 'ui://sigmasight/overview.html' });
    const html = (page.contents[0] as { text: string }).text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // self-contained: no script, stylesheet or image fetched, and the resource asks the host for no network
    expect(/<script[^>]+src=|<link[^>]+href=|<img /i.test(html)).toBe(false);
    expect((page.contents[0] as { _meta?: { ui?: { csp?: unknown } } })._meta?.ui?.csp).toEqual({ connectDomains: [], resourceDomains: [] });
  });

  const cases = [
    { view: 'overview', tool: 'get_analytics_overview', args: {} },
    { view: 'stress', tool: 'get_stress_test_results', args: {} },
    { view: 'what-if', tool: 'simulate_trade', args: { trades: [{ action: 'add', symbol: 'SPY', quantity: 100 }] } },
  ] as const;

  it.each(cases)('renders the $view view in a host with a real $tool result', async ({ view, tool, args }) => {
    const html = ((await mcp.client.readResource({ uri: `ui://sigmasight/${view}.html` })).contents[0] as { text: string }).text;
    const result = await callTool(mcp.client, tool, { portfolio_id: DEMO.hedge.portfolioId, ...args });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const out = result.structuredContent as any;
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: HOST });
    await page.evaluate(`startHost(${JSON.stringify(html)}, ${JSON.stringify(args)}, ${JSON.stringify(result satisfies CallToolResult)})`);
    const frame = page.frameLocator('iframe');
    await frame.locator('#root[data-ready]').waitFor({ timeout: 20_000 });
    if (view === 'overview') {
      expect(await frame.locator('[data-figure="nav"]').textContent()).toBe(usd(out.total_value));
      expect(await frame.locator('[data-figure="gross"]').textContent()).toBe(`${usd(out.exposures.gross_exposure)} (${out.exposures.gross_percentage.toFixed(1)}%)`);
    } else if (view === 'stress') {
      const worst = [...out.data.scenarios].sort((a: any, b: any) => a.impact.dollar_impact - b.impact.dollar_impact)[0];
      const cells = frame.locator('tbody tr').first().locator('td');
      expect(await cells.nth(0).textContent()).toBe(worst.name);
      expect(await cells.nth(1).textContent()).toBe(usd(worst.impact.dollar_impact));
      expect(await frame.locator('tbody tr').count()).toBe(out.data.scenarios.length);
    } else {
      expect(await frame.locator('[data-figure="beta_change"]').textContent()).toBe(out.change.market_beta.toFixed(3));
      const nav = frame.locator('tbody tr').first().locator('td');
      expect(await nav.nth(1).textContent()).toBe(usd(out.before.nav));
      expect(await nav.nth(2).textContent()).toBe(usd(out.after.nav));
    }
    await page.screenshot({ path: `${ROOT}test/web/artifacts/mcp-app-${view}.png` });
    expect(errors).toEqual([]);
    await page.close();
  });
});
