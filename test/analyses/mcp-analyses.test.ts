/**
 * The six second-wave MCP tools for the hedge-fund demo user after one batch run: listed with
 * input and output schemas; each answer's structured content parses with its contract and its
 * one-line summary names the figures of that content; a bad replay window is a tool error with a
 * recovery hint, another user's portfolio NOT_FOUND.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { HistoricalReplaysSchema, MonteCarloVarSchema, PerformanceSchema, RiskContributionsSchema, VarBacktestSchema } from '../../core/contracts/risk-analyses.ts';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import { batchedMcp, callTool, DEMO, toolText } from '../mcp/mcp-harness.ts';
import { DEMO_AS_OF } from '../helpers/batch.ts';
import type { TestDb } from '../helpers/db.ts';

const TOOLS = {
  get_var_backtest: VarBacktestSchema,
  get_historical_replays: HistoricalReplaysSchema,
  run_historical_replay: HistoricalReplaysSchema,
  get_risk_contributions: RiskContributionsSchema,
  get_monte_carlo_var: MonteCarloVarSchema,
  get_performance: PerformanceSchema,
} as const;
const ARGS: Record<string, Record<string, unknown>> = { run_historical_replay: { start_date: '2022-01-03', end_date: '2022-10-12', name: 'Rates 2022 again' } };
/** Whole dollars with thousands separators, as any summary prints an amount (sign aside). */
const dollars = (x: number) => `$${Math.abs(Math.round(x)).toLocaleString('en-US')}`;

describe('second-wave MCP tools for the hedge-fund book [pglite]', () => {
  let db: TestDb;
  let mcp: InProcessMcp;
  const results = new Map<string, CallToolResult>();
  beforeAll(async () => {
    ({ db, mcp } = await batchedMcp('pglite', DEMO.hedge.email));
    for (const name of Object.keys(TOOLS)) results.set(name, await callTool(mcp.client, name, ARGS[name] ?? {}));
  }, 180_000);
  afterAll(async () => {
    await mcp.close();
    await db.destroy();
  });
  const content = <K extends keyof typeof TOOLS>(name: K) => TOOLS[name].parse(results.get(name)!.structuredContent) as ReturnType<(typeof TOOLS)[K]['parse']>;

  it('lists the six tools with an object input schema and an output schema', async () => {
    const { tools } = await mcp.client.listTools();
    for (const name of Object.keys(TOOLS)) {
      const t = tools.find((x) => x.name === name);
      expect(t, name).toBeDefined();
      expect(t!.inputSchema.type).toBe('object');
      expect(t!.inputSchema.properties, name).toHaveProperty('portfolio_id');
      expect(t!.outputSchema?.type, name).toBe('object');
      expect(Object.keys(t!.outputSchema!.properties ?? {}), name).toEqual(expect.arrayContaining(['available', 'as_of', 'run_id', 'data_quality']));
      expect(t!.description!.length, name).toBeGreaterThan(40);
    }
    expect(tools.find((t) => t.name === 'run_historical_replay')!.inputSchema.required).toEqual(expect.arrayContaining(['start_date', 'end_date']));
  });

  it('answers each tool with structured content valid against its contract, for the caller\'s own book', () => {
    for (const name of Object.keys(TOOLS) as (keyof typeof TOOLS)[]) {
      const r = results.get(name)!;
      expect(r.isError, `${name}: ${toolText(r)}`).toBeFalsy();
      const c = content(name);
      expect(c, name).toMatchObject({ available: true, portfolio_id: DEMO.hedge.portfolioId, as_of: DEMO_AS_OF });
      expect(r.content[0]).toMatchObject({ type: 'text' });
    }
    expect(content('get_var_backtest').run_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('summarises the backtest with each method\'s 99 % exceptions, expected count, Kupiec p and Basel zone', () => {
    const text = toolText(results.get('get_var_backtest')!);
    const b = content('get_var_backtest').backtest!;
    expect(text).toContain(`${b.start_date} → ${b.end_date} (${b.window_days} days)`);
    const at99 = b.levels.filter((l) => l.confidence === 0.99);
    expect(at99.map((l) => l.method)).toEqual(['historical', 'parametric', 'monte_carlo']);
    for (const l of at99) {
      expect(text).toContain(`${l.exceptions} exceptions vs ${l.expected.toFixed(1)} expected`);
      expect(text).toContain(`p ${l.kupiec_pof.p_value.toFixed(3)}`);
      expect(text).toContain(`Basel ${l.traffic_light!.zone}`);
    }
  });

  it('summarises the replays with every window\'s dates and P&L, and the user window by its name', () => {
    for (const name of ['get_historical_replays', 'run_historical_replay'] as const) {
      const text = toolText(results.get(name)!);
      const windows = content(name).replays!.windows;
      expect(windows.length, name).toBeGreaterThanOrEqual(name === 'run_historical_replay' ? 1 : 5);
      for (const w of windows) {
        expect(text, name).toContain(`${w.name} (${w.start_date} → ${w.end_date}) `);
        expect(text, name).toContain(dollars(w.total_pnl));
      }
    }
    expect(content('run_historical_replay').replays!.windows[0]).toMatchObject({ key: 'custom', name: 'Rates 2022 again', start_date: '2022-01-03', end_date: '2022-10-12' });
    // The user window over the named window's dates is the named window's answer.
    const named = content('get_historical_replays').replays!.windows.find((w) => w.key === 'rates_bear_2022')!;
    expect(content('run_historical_replay').replays!.windows[0]!.total_pnl).toBe(named.total_pnl);
  });

  it('summarises contributions with the VaR, the three largest underlyings and the hedges; Monte Carlo with each run\'s VaR and CVaR; performance with TWR and beta', () => {
    const c = content('get_risk_contributions').contributions!;
    const ct = toolText(results.get('get_risk_contributions')!);
    expect(ct).toContain(`VaR 99% ${dollars(c.parametric.var_usd)}`);
    for (const u of [...c.parametric.underlyings].sort((a, b) => b.component_var - a.component_var).slice(0, 3)) expect(ct).toContain(u.underlying);
    for (const h of c.hedges.slice(0, 3)) expect(ct).toContain(h);
    const mc = content('get_monte_carlo_var').monte_carlo!;
    const mt = toolText(results.get('get_monte_carlo_var')!);
    expect(mc.runs).toHaveLength(4);
    for (const r of mc.runs) {
      const l = r.levels.find((x) => x.confidence === 0.99)!;
      expect(mt).toContain(`${r.horizon_days}d VaR99 ${dollars(l.var_usd)} CVaR ${dollars(l.cvar_usd)}`);
    }
    const p = content('get_performance').performance!;
    const pt = toolText(results.get('get_performance')!);
    expect(pt).toContain(`TWR ${p.twr_pct.toFixed(1)}%`);
    expect(pt).toContain(`vs SPY ${p.comparisons[0]!.benchmark_twr_pct.toFixed(1)}%`);
    expect(pt).toContain(`beta ${p.comparisons[0]!.beta.toFixed(2)}`);
  });

  it('answers a bad replay window with a tool error and a hint, and another user\'s portfolio with NOT_FOUND', async () => {
    // Windows the service refuses (end before start, before the stored history, after the results date): VALIDATION with the recovery hint.
    for (const [args, says] of [[{ start_date: '2020-03-23', end_date: '2020-02-19' }, 'after start_date'], [{ start_date: '2019-01-02', end_date: '2019-03-01' }, 'outside the stored history'], [{ start_date: '2026-06-01', end_date: '2026-08-03' }, 'on or before the results date']] as const) {
      const r = await callTool(mcp.client, 'run_historical_replay', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(toolText(r), JSON.stringify(args)).toMatch(/^VALIDATION: .*Hint: use trading dates inside the stored history/s);
      expect(toolText(r), JSON.stringify(args)).toContain(says);
    }
    // Arguments the input schema refuses (as every tool's): a tool error naming the argument.
    for (const [args, field] of [[{ start_date: '2020-02-30', end_date: '2020-03-23' }, 'start_date'], [{ start_date: '2020-02-19' }, 'end_date']] as const) {
      const r = await callTool(mcp.client, 'run_historical_replay', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(toolText(r), JSON.stringify(args)).toMatch(new RegExp(`Input validation error: .*${field}`, 's'));
    }
    for (const name of Object.keys(TOOLS)) {
      const r = await callTool(mcp.client, name, { ...(ARGS[name] ?? {}), portfolio_id: DEMO.individual.portfolioId });
      expect(r.isError, name).toBe(true);
      expect(toolText(r), name).toMatch(/^NOT_FOUND: .*Hint: .*list_user_portfolios/s);
      expect(toolText(r), name).not.toContain('Individual');
    }
  });
});
