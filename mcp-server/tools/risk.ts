/** Risk tools over the stored batch results: stress tests, VaR and risk metrics, option Greeks, market-risk scenarios, snapshots. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { StressQuerySchema, StressTestSchema } from '../../core/contracts/analytics.ts';
import { GreeksSchema, MarketRiskSchema, RiskMetricsQuerySchema, RiskMetricsSchema, SnapshotsQuerySchema, SnapshotsSchema } from '../../core/contracts/risk.ts';
import { getGreeks, getMarketRisk, getRiskMetrics, getSnapshots } from '../../core/services/analytics-risk.ts';
import { getStressTest } from '../../core/services/analytics-stress.ts';
import type { McpContext } from '../context.ts';
import { defineTool, READ_ONLY } from './define.ts';
import { listInput, pct, portfolioIdInput, portfolioOf, unavailable, usd } from './inputs.ts';
import { appViewMeta } from '../app-views.ts';

const only = () => ({ portfolio_id: portfolioIdInput });
const worst = <T>(xs: readonly T[], key: (x: T) => number, n: number) => [...xs].sort((a, b) => key(a) - key(b)).slice(0, n);

export function registerRiskTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'get_stress_test_results', title: 'Stress tests', annotations: READ_ONLY, meta: appViewMeta('stress'),
    description: 'P&L of the 18 catalogue stress scenarios (market crashes, rate shocks, sector rotations, and hypothetical factor shocks calibrated to past crises) from the latest batch: correlated and direct impact in USD and % of portfolio value. For real market windows replayed on today\'s holdings use get_historical_replays.',
    input: z.object({ ...only(), scenarios: listInput(StressQuerySchema.shape.scenarios.nullable(), 'scenario ids, e.g. market_down_10 and covid_crash_2020') }), output: StressTestSchema,
    run: async (i, c) => getStressTest(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { scenarios: i.scenarios ?? undefined }),
    summary: (o) =>
      !o.available || !o.data
        ? unavailable(o.metadata.reason)
        : `As of ${o.data.calculation_date}, worst: ${worst(o.data.scenarios, (s) => s.impact.dollar_impact, 3).map((s) => `${s.name} ${usd(s.impact.dollar_impact)} (${pct(s.impact.percentage_impact)})`).join('; ')}.`,
  });

  defineTool(server, ctx, {
    name: 'get_risk_metrics', title: 'Risk metrics', annotations: READ_ONLY,
    description: 'Historical and parametric VaR/CVaR (95/99 %, 1-day and 10-day), annualised volatility, max drawdown, Sharpe and Sortino against the 3-month bill, and beta to SPY from the latest batch.',
    input: z.object({ ...only(), lookback_days: RiskMetricsQuerySchema.shape.lookback_days.nullable() }), output: RiskMetricsSchema,
    run: async (i, c) => getRiskMetrics(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { lookback_days: i.lookback_days ?? undefined }),
    summary: (o) => {
      const m = o.risk_metrics;
      if (!o.available || !m) return unavailable(o.metadata.reason);
      return `As of ${o.as_of} (${o.metadata.lookback_days} days): VaR 95% 1d ${usd(m.var_95_1d)}, 99% ${usd(m.var_99_1d)}, vol ${m.annualized_volatility == null ? 'n/a' : pct(m.annualized_volatility * 100)}, beta ${m.portfolio_beta?.toFixed(2) ?? 'n/a'}, max drawdown ${m.max_drawdown == null ? 'n/a' : pct(m.max_drawdown * 100)}.`;
    },
  });

  defineTool(server, ctx, {
    name: 'get_option_greeks', title: 'Option Greeks', annotations: READ_ONLY,
    description: 'Black–Scholes Greeks of every option position (per share and in dollars: delta, gamma per 1 %, theta per day, vega per vol point, rho per 1 %) and the portfolio totals, from the latest batch.',
    input: z.object(only()), output: GreeksSchema,
    run: async (i, c) => getGreeks(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: (o) =>
      !o.available || !o.totals
        ? unavailable(o.reason)
        : `${o.totals.option_count} option(s) as of ${o.as_of}: dollar delta ${usd(o.totals.dollar_delta)}, gamma/1% ${usd(o.totals.dollar_gamma_1pct)}, theta/day ${usd(o.totals.theta_dollars_per_day)}, vega/pt ${usd(o.totals.vega_dollars_per_vol_pt)}.`,
  });

  defineTool(server, ctx, {
    name: 'get_market_risk_scenarios', title: 'Market and rate scenarios', annotations: READ_ONLY,
    description: 'P&L of market moves (±5/10/20 % via beta, options by delta-gamma and full revaluation) and parallel rate shocks in basis points, from the latest batch.',
    input: z.object(only()), output: MarketRiskSchema,
    run: async (i, c) => getMarketRisk(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: (o) => (!o.available ? unavailable(o.reason) : `As of ${o.as_of}: ${o.scenarios.map((s) => `${s.scenario} ${usd(s.pnl_full_reval ?? s.pnl_linear)}`).join(', ')}.`),
  });

  defineTool(server, ctx, {
    name: 'get_portfolio_snapshots', title: 'Daily snapshots', annotations: READ_ONLY,
    description: 'Stored daily snapshots: NAV, cash, long/short/gross/net, daily and cumulative P&L and dollar Greeks, oldest first.',
    input: z.object({
      ...only(),
      start_date: SnapshotsQuerySchema.shape.start_date.nullable(),
      end_date: SnapshotsQuerySchema.shape.end_date.nullable(),
      limit: z.number().int().min(1).max(260).nullish().transform((v) => v ?? 30).describe('latest rows to return (1–260, default 30)'),
    }),
    output: SnapshotsSchema,
    run: async (i, c) => getSnapshots(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { start_date: i.start_date ?? undefined, end_date: i.end_date ?? undefined, limit: i.limit }),
    summary: (o) => {
      const last = o.snapshots.at(-1);
      return !o.available || !last ? unavailable(o.reason) : `${o.snapshots.length} snapshot(s) to ${last.date}: NAV ${usd(last.nav)}, daily P&L ${usd(last.daily_pnl)}, cumulative ${usd(last.cumulative_pnl)}.`;
    },
  });
}
