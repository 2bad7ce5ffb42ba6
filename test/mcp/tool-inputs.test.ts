/**
 * Tool inputs as a model writes them: list arguments as JSON arrays or as the comma-separated
 * string (the same answer either way), and argument names a tool does not know refused with the
 * name and the accepted ones instead of being dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import type { TestDb } from '../helpers/db.ts';
import { callTool, DEMO, mcpFor, seededDb, toolText } from './mcp-harness.ts';

describe('tool inputs', () => {
  let db: TestDb;
  let mcp: InProcessMcp;
  beforeAll(async () => {
    db = await seededDb('pglite');
    mcp = await mcpFor(db, DEMO.individual.email);
  }, 120_000);
  afterAll(async () => {
    await mcp?.close();
    await db?.destroy();
  });
  const call = (name: string, args: Record<string, unknown>) => callTool(mcp.client, name, args);

  it('takes symbols as a JSON array or a comma string, with the same answer', async () => {
    const asArray = await call('get_current_quotes', { symbols: ['aapl', ' MSFT', 'SPY'] });
    const asString = await call('get_current_quotes', { symbols: 'AAPL,MSFT,SPY' });
    expect(asArray.isError, toolText(asArray)).toBeFalsy();
    const quotes = (r: typeof asArray) => (r.structuredContent as { quotes: { symbol: string; last_price: number }[] }).quotes;
    expect(quotes(asArray).map((q) => q.symbol)).toEqual(['AAPL', 'MSFT', 'SPY']);
    expect(quotes(asArray)).toEqual(quotes(asString));
  });

  it('takes position ids, scenario ids and factor names as arrays', async () => {
    const all = (await call('get_positions_details', {})).structuredContent as { positions: { id: string }[] };
    const ids = all.positions.slice(0, 2).map((p) => p.id);
    const some = await call('get_positions_details', { position_ids: ids });
    expect(some.isError, toolText(some)).toBeFalsy();
    expect((some.structuredContent as { positions: { id: string }[] }).positions.map((p) => p.id).sort()).toEqual([...ids].sort());

    const stress = await call('get_stress_test_results', { scenarios: ['market_down_10', 'covid_crash_2020'] });
    expect(stress.isError, toolText(stress)).toBeFalsy();
    expect((stress.structuredContent as { metadata: { scenarios_requested: string[] } }).metadata.scenarios_requested).toEqual(['market_down_10', 'covid_crash_2020']);

    const etfs = await call('get_factor_etf_prices', { factors: ['value', 'SPY'] });
    expect(etfs.isError, toolText(etfs)).toBeFalsy();
    expect(Object.values((etfs.structuredContent as { data: Record<string, { symbol: string }> }).data).map((e) => e.symbol).sort()).toEqual(['SPY', 'VTV']);
  });

  it('applies the same limits to both spellings', async () => {
    const six = ['AAPL', 'MSFT', 'SPY', 'QQQ', 'IWM', 'TLT'];
    for (const symbols of [six, six.join(',')]) {
      const r = await call('get_prices_historical', { symbols });
      expect(r.isError, JSON.stringify(symbols)).toBe(true);
      expect(toolText(r)).toMatch(/at most 5 symbols/);
    }
    const wrong = await call('get_current_quotes', { symbols: [1, 2] });
    expect(wrong.isError).toBe(true);
    expect(toolText(wrong)).toMatch(/JSON array of strings/);
  });

  it('advertises the array form in tools/list', async () => {
    const { tools } = await mcp.client.listTools();
    const quotes = tools.find((t) => t.name === 'get_current_quotes')!;
    const symbols = (quotes.inputSchema.properties as Record<string, { anyOf: { type: string }[] }>)['symbols']!;
    expect(symbols.anyOf.map((s) => s.type)).toEqual(['array', 'string']);
    expect(quotes.inputSchema.required).toEqual(['symbols']);
    for (const t of tools) expect((t.inputSchema as { additionalProperties?: unknown }).additionalProperties, t.name).toBe(false);
  });

  it('refuses an unknown argument, naming it and the accepted ones', async () => {
    const r = await call('get_portfolio_complete', { portfolio: DEMO.individual.portfolioId, include_holdings: false });
    expect(r.isError).toBe(true);
    expect(toolText(r)).toContain('unknown argument "portfolio"; accepted arguments: portfolio_id, include_holdings, include_timeseries, include_attrib, as_of_date');
    const none = await call('list_user_portfolios', { verbose: true, limit: 3 });
    expect(none.isError).toBe(true);
    expect(toolText(none)).toContain('unknown arguments "verbose", "limit"; this tool takes no arguments');
  });
});
