/**
 * The catalogue assertions every transport must pass (in process, Streamable HTTP, stdio): every
 * tool listed with schemas and annotations; each tool called on the demo book (after one batch
 * run) returns structured content, which the SDK client validates against the tool's output
 * schema; foreign ids and bad arguments are isError results, never protocol errors or crashes.
 */
import type { Client } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';
import { callTool, DEMO, toolText } from './mcp-harness.ts';


/** Arguments for a successful call of each tool on the individual demo portfolio. */
export const CALLS: Record<string, Record<string, unknown>> = {
  list_user_portfolios: {},
  get_portfolio_complete: { include_timeseries: true, include_attrib: true },
  get_positions_details: {},
  get_portfolio_data_quality: {},
  get_prices_historical: { lookback_days: 30 },
  get_current_quotes: { symbols: 'AAPL,MSFT,SPY' },
  get_factor_etf_prices: { factors: 'value,SPY' },
  get_analytics_overview: {},
  get_factor_exposures: { include_positions: true, limit: 5 },
  get_correlation_matrix: {},
  get_diversification_score: {},
  get_stress_test_results: {},
  get_risk_metrics: {},
  get_option_greeks: {},
  get_market_risk_scenarios: {},
  get_portfolio_snapshots: {},
  run_portfolio_batch: {},
  run_custom_stress_test: { shocks: [{ factor: 'Market', shock: -0.1 }] },
  simulate_trade: { trades: [{ action: 'add', symbol: 'SPY', quantity: 10 }] },
  get_var_backtest: {},
  get_historical_replays: {},
  run_historical_replay: { start_date: '2020-02-19', end_date: '2020-03-23' },
  get_risk_contributions: {},
  get_monte_carlo_var: {},
  get_performance: { symbols: ['QQQ'] },
};

/** Tools that change the book (test/mcp/book-tools.test.ts calls them) with their truthful annotations. */
export const BOOK_TOOLS: Record<string, { readOnlyHint: boolean; idempotentHint: boolean; destructiveHint: boolean; approval: boolean }> = {
  list_positions: { readOnlyHint: true, idempotentHint: true, destructiveHint: false, approval: false },
  get_portfolio_audit: { readOnlyHint: true, idempotentHint: true, destructiveHint: false, approval: false },
  create_portfolio: { readOnlyHint: false, idempotentHint: false, destructiveHint: false, approval: true },
  add_position: { readOnlyHint: false, idempotentHint: false, destructiveHint: false, approval: true },
  update_position: { readOnlyHint: false, idempotentHint: true, destructiveHint: true, approval: true },
  close_position: { readOnlyHint: false, idempotentHint: false, destructiveHint: true, approval: true },
  delete_position: { readOnlyHint: false, idempotentHint: true, destructiveHint: true, approval: true },
  preview_import: { readOnlyHint: false, idempotentHint: true, destructiveHint: false, approval: false },
  commit_import: { readOnlyHint: false, idempotentHint: true, destructiveHint: true, approval: true },
};

/** Registers the catalogue tests for a client acting as demo_individual on a database with one batch run. */
export function defineCatalogueTests(client: () => Client): void {
  it('lists every tool with schemas and annotations', async () => {
    const { tools } = await client().listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...Object.keys(CALLS), 'get_batch_status', ...Object.keys(BOOK_TOOLS)].sort());
    const batch = tools.find((t) => t.name === 'run_portfolio_batch')!;
    expect(batch.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true, destructiveHint: false });
    for (const [name, { approval, ...hints }] of Object.entries(BOOK_TOOLS)) {
      const tool = tools.find((t) => t.name === name)!;
      expect(tool.annotations, name).toMatchObject({ ...hints, openWorldHint: false });
      expect(tool._meta?.['sigmasight.dev/requires-approval'] ?? false, name).toBe(approval);
    }
  });

  for (const [name, args] of Object.entries(CALLS)) {
    it(`${name} returns structured content that validates against its output schema`, async () => {
      const r = await callTool(client(), name, args);
      expect(r.isError, toolText(r)).toBeFalsy();
      expect(r.structuredContent).toBeTypeOf('object');
      expect(r.content[0]).toMatchObject({ type: 'text' });
      const available = (r.structuredContent as { available?: boolean }).available;
      if (available !== undefined) expect(available, `${name}: ${toolText(r)}`).toBe(true);
    });
  }

  it('run_portfolio_batch reuses the run of the same date and get_batch_status reports it', async () => {
    const first = (await callTool(client(), 'run_portfolio_batch', {})).structuredContent as { job_id: string; reused: boolean; as_of: string };
    expect(first.reused).toBe(true);
    expect(first.as_of).toBe('2026-07-13');
    const status = await callTool(client(), 'get_batch_status', { job_id: first.job_id });
    expect(status.isError, toolText(status)).toBeFalsy();
    expect((status.structuredContent as { status: string }).status).toBe('succeeded');
  });

  it("answers another user's portfolio with NOT_FOUND and a recovery hint in every portfolio tool", async () => {
    for (const name of Object.keys(CALLS).filter((n) => !['list_user_portfolios', 'get_current_quotes', 'get_factor_etf_prices'].includes(n))) {
      const r = await callTool(client(), name, { ...CALLS[name], portfolio_id: DEMO.hnw.portfolioId });
      expect(r.isError, name).toBe(true);
      expect(toolText(r), name).toMatch(/^NOT_FOUND: .*Hint: .*list_user_portfolios/s);
      expect(toolText(r), name).not.toContain('Balanced');
    }
  });

  it('answers bad arguments with isError results', async () => {
    const bad: [string, Record<string, unknown>][] = [
      ['get_portfolio_complete', { portfolio_id: 'not-an-id' }],
      ['get_prices_historical', { lookback_days: 10_000 }],
      ['get_prices_historical', { symbols: 'A,B,C,D,E,F' }],
      ['get_correlation_matrix', { lookback_days: 30, min_overlap: 60 }],
      ['get_factor_exposures', { limit: -1 }],
      ['get_current_quotes', { symbols: 42 }],
      ['get_batch_status', { job_id: '00000000-0000-0000-0000-000000000000' }],
      ['get_batch_status', {}],
      ['get_risk_metrics', { lookback_days: 'ninety' }],
    ];
    for (const [name, args] of bad) {
      const r = await callTool(client(), name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}: ${toolText(r)}`).toBe(true);
    }
  });

  it('keeps every text block within the model budget', async () => {
    for (const [name, args] of Object.entries(CALLS)) {
      const r = await callTool(client(), name, args);
      for (const c of r.content) if (c.type === 'text') expect(Buffer.byteLength(c.text), name).toBeLessThanOrEqual(12_000);
    }
  });
}
