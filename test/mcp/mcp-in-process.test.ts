import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { DEMO, mcpFor, seededDb } from './mcp-harness.ts';

describeEachDb('MCP server in process', (kind) => {
  let db: TestDb;
  let mcp: InProcessMcp;
  beforeAll(async () => {
    db = await seededDb(kind);
    mcp = await mcpFor(db, DEMO.individual.email);
  });
  afterAll(async () => {
    await mcp.close();
    await db.destroy();
  });

  it('lists every tool with input and output schemas and annotations', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name)).toContain('list_user_portfolios');
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.annotations?.title, t.name).toBeTruthy();
      expect(typeof t.annotations?.readOnlyHint, t.name).toBe('boolean');
      expect(t.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
    }
  });

  it("list_user_portfolios returns only the caller's portfolio, priced from the bundled closes", async () => {
    const r = (await mcp.client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as { count: number; portfolios: { id: string; position_count: number; total_value: number }[] };
    expect(out.count).toBe(1);
    expect(out.portfolios[0]!.id).toBe(DEMO.individual.portfolioId);
    expect(out.portfolios[0]!.position_count).toBe(16);
    expect(out.portfolios[0]!.total_value).toBeGreaterThan(0);
    expect(r.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(DEMO.individual.portfolioId) });
  });

  it('answers an unknown tool and bad arguments with isError results, not protocol errors', async () => {
    const unknown = (await mcp.client.callTool({ name: 'no_such_tool', arguments: {} })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    const bad = (await mcp.client.callTool({ name: 'list_user_portfolios', arguments: { x: 'y'.repeat(10) } })) as CallToolResult;
    expect(bad.isError).toBe(true); // an unknown argument name is refused, not dropped
    expect(bad.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('unknown argument "x"') });
  });

  it('serves the portfolios and report resources and refuses another user\'s portfolio', async () => {
    const list = await mcp.client.readResource({ uri: 'sigmasight://portfolios' });
    expect(JSON.parse((list.contents[0] as { text: string }).text)).toHaveLength(1);
    await expect(mcp.client.readResource({ uri: `sigmasight://portfolios/${DEMO.hnw.portfolioId}` })).rejects.toThrow(/not found/i);
    const report = await mcp.client.readResource({ uri: `sigmasight://reports/${DEMO.individual.portfolioId}/latest` });
    expect((report.contents[0] as { text: string }).text).toMatch(/run_portfolio_batch/); // no batch has run in this database
    await expect(mcp.client.readResource({ uri: `sigmasight://reports/${DEMO.hnw.portfolioId}/latest` })).rejects.toThrow(/not found/i);
    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['sigmasight://portfolios/{portfolio_id}', 'sigmasight://reports/{portfolio_id}/latest']);
  });

  it('offers the briefing prompts', async () => {
    const { prompts } = await mcp.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['daily_risk_briefing', 'explain_factor_exposures', 'explain_historical_replay', 'explain_stress_scenario']);
    const p = await mcp.client.getPrompt({ name: 'daily_risk_briefing', arguments: { portfolio_id: DEMO.individual.portfolioId } });
    expect((p.messages[0]!.content as { text: string }).text).toContain('get_risk_metrics');
  });
});
