/**
 * What the 2025-06-18 and 2025-11-25 revisions bring that users see: argument completions for
 * prompts and resource templates (the caller's own portfolio ids, the stress catalogue's scenario
 * ids, the named replay windows), icons on the server and its tools, and resource links from tool
 * results to the portfolio's report. Expected values come from the seeded reference data
 * (db/seed/reference/stress-scenarios.json) and the replay windows as the issue names them, not
 * from the completion code.
 */
import { readFileSync } from 'node:fs';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { DEMO, mcpFor } from './mcp-harness.ts';

const catalogue = (JSON.parse(readFileSync('db/seed/reference/stress-scenarios.json', 'utf8')) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id);

describe('MCP revisions: completions, icons, resource links [pglite]', () => {
  let db: TestDb;
  let mcp: InProcessMcp;
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    mcp = await mcpFor(db, DEMO.hedge.email);
  });
  afterAll(async () => {
    await mcp?.close();
    await db?.destroy();
  });

  const complete = async (ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string }, name: string, value: string) =>
    (await mcp.client.complete({ ref, argument: { name, value } })).completion.values;

  it('declares completions and carries the SigmaSight icon on the server and every tool', async () => {
    expect(mcp.client.getServerCapabilities()?.completions).toBeDefined();
    const icons = mcp.client.getServerVersion()?.icons;
    expect(icons?.[0]?.mimeType).toBe('image/svg+xml');
    expect(Buffer.from(icons![0]!.src.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const { tools } = await mcp.client.listTools();
    expect(tools.length).toBeGreaterThan(20);
    for (const t of tools) expect(t.icons?.[0]?.src, t.name).toBe(icons![0]!.src);
    // the list is built once per server: a second list is the same
    expect((await mcp.client.listTools()).tools).toEqual(tools);
  });

  it("completes portfolio ids to the caller's own portfolios only, in prompts and resource templates", async () => {
    for (const ref of [{ type: 'ref/prompt', name: 'daily_risk_briefing' } as const, { type: 'ref/resource', uri: 'sigmasight://reports/{portfolio_id}/latest' } as const, { type: 'ref/resource', uri: 'sigmasight://portfolios/{portfolio_id}' } as const]) {
      expect(await complete(ref, 'portfolio_id', '')).toEqual([DEMO.hedge.portfolioId]);
      expect(await complete(ref, 'portfolio_id', DEMO.hedge.portfolioId.slice(0, 4))).toEqual([DEMO.hedge.portfolioId]);
      // another user's id, typed in full, is not offered
      expect(await complete(ref, 'portfolio_id', DEMO.hnw.portfolioId)).toEqual([]);
    }
  });

  it('completes stress scenario ids from the catalogue and replay window keys', async () => {
    const scenario = { type: 'ref/prompt', name: 'explain_stress_scenario' } as const;
    expect((await complete(scenario, 'scenario', '')).sort()).toEqual([...catalogue].sort());
    expect((await complete(scenario, 'scenario', 'rates_')).sort()).toEqual(catalogue.filter((id) => id.startsWith('rates_')).sort());
    expect(await complete(scenario, 'scenario', 'RATE_S')).toEqual(['rate_spike_300bp']);
    const replay = { type: 'ref/prompt', name: 'explain_historical_replay' } as const;
    expect((await complete(replay, 'window', '')).sort()).toEqual(['carry_unwind_2024', 'covid_crash', 'rates_bear_2022', 'regional_banks_2023', 'tariff_shock_2025']);
    expect(await complete(replay, 'window', 'cov')).toEqual(['covid_crash']);
    expect(await complete(replay, 'window', 'zzz')).toEqual([]);
  });

  it('completes a prompt or template it does not have to nothing rather than an error', async () => {
    expect(await complete({ type: 'ref/prompt', name: 'test_prompt_with_arguments' }, 'arg1', 'test')).toEqual([]);
    expect(await complete({ type: 'ref/resource', uri: 'sigmasight://nothing/{x}' }, 'x', '')).toEqual([]);
  });

  it('prompts with completed arguments name the tools to call', async () => {
    const p = await mcp.client.getPrompt({ name: 'explain_historical_replay', arguments: { window: 'covid_crash' } });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toContain('covid_crash');
    expect(text).toContain('get_historical_replays');
  });

  it("links a portfolio result to that portfolio's report resource, which reads", async () => {
    const r = (await mcp.client.callTool({ name: 'get_analytics_overview', arguments: { portfolio_id: DEMO.hedge.portfolioId } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const links = r.content.filter((c) => c.type === 'resource_link');
    expect(links).toEqual([expect.objectContaining({ type: 'resource_link', uri: `sigmasight://reports/${DEMO.hedge.portfolioId}/latest`, mimeType: 'text/markdown' })]);
    const read = await mcp.client.readResource({ uri: links[0]!.uri });
    expect(read.contents[0]!.mimeType).toBe('text/markdown');
    // a result about no single portfolio carries no link
    const list = (await mcp.client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
    expect(list.content.some((c) => c.type === 'resource_link')).toBe(false);
  });
});
