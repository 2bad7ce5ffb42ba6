/**
 * Risk tools of the second wave: VaR backtests, historical replays (named windows and any user
 * window), Euler risk contributions, Monte Carlo VaR/CVaR and benchmark-relative performance.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import {
  HistoricalReplaysSchema, MonteCarloVarSchema, PerformanceQuerySchema, PerformanceSchema, ReplayRequestSchema, RiskContributionsSchema, VarBacktestSchema,
  type HistoricalReplays, type VarBacktest,
} from '../../core/contracts/risk-analyses.ts';
import { getHistoricalReplays, getMonteCarloVar, getPerformance, getRiskContributions, getVarBacktest, runHistoricalReplay } from '../../core/services/analytics-analyses.ts';
import type { McpContext } from '../context.ts';
import { COMPUTE_ONLY, defineTool, READ_ONLY } from './define.ts';
import { listInput, pct, portfolioIdInput, portfolioOf, unavailable, usd } from './inputs.ts';

const only = () => ({ portfolio_id: portfolioIdInput });

/** One line per method at 99 %: exceptions against expected, the Kupiec verdict and the Basel zone. */
export function backtestSummary(o: VarBacktest): string {
  const b = o.backtest;
  if (!o.available || !b) return unavailable(o.reason);
  const at99 = b.levels.filter((l) => l.confidence === 0.99);
  const parts = at99.map((l) => `${l.method.replace('_', ' ')}: ${l.exceptions} exceptions vs ${l.expected.toFixed(1)} expected, Kupiec ${l.kupiec_pof.verdict} (p ${l.kupiec_pof.p_value.toFixed(3)}), Christoffersen ${l.christoffersen_conditional_coverage.verdict}${l.traffic_light ? `, Basel ${l.traffic_light.zone}` : ''}`);
  return `VaR 99% backtest ${b.start_date} → ${b.end_date} (${b.window_days} days): ${parts.join('; ')}.`;
}

export function replaysSummary(o: HistoricalReplays): string {
  const r = o.replays;
  if (!o.available || !r) return unavailable(o.reason);
  return `Today's book as of ${o.as_of} replayed: ${r.windows.map((w) => `${w.name} (${w.start_date} → ${w.end_date}) ${usd(w.total_pnl)} (${pct(w.total_pct)}), worst day ${w.worst_day ? `${w.worst_day.date} ${usd(w.worst_day.pnl)}` : 'n/a'}`).join('; ')}.`;
}

export function registerRiskAnalysisTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'get_var_backtest', title: 'VaR backtest', annotations: READ_ONLY,
    description: 'Did the VaR hold up? 250 trading days of 1-day 95 % and 99 % VaR forecasts (historical, parametric and Monte Carlo, each from data before its day on the book held then) against the next day\'s P&L: exception dates, Kupiec POF, Christoffersen independence and conditional coverage (statistic, p-value, verdict at 5 %) and the Basel traffic-light zone.',
    input: z.object(only()), output: VarBacktestSchema,
    run: async (i, c) => getVarBacktest(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: backtestSummary,
  });

  defineTool(server, ctx, {
    name: 'get_historical_replays', title: 'Historical replays', annotations: READ_ONLY,
    description: 'Today\'s holdings replayed through real market windows from the stored history: Covid crash (2020-02-19 → 2020-03-23), 2022 rates and bear market, regional banks 2023, carry unwind 2024, tariff shock 2025. Each position moves as its symbol did, options repriced with the VIX ratio and the 10-year change; P&L per position and in total, worst day and peak-to-trough. (The stress-test catalogue\'s crisis scenarios are hypothetical factor shocks; these are data.)',
    input: z.object(only()), output: HistoricalReplaysSchema,
    run: async (i, c) => getHistoricalReplays(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: replaysSummary,
  });

  defineTool(server, ctx, {
    name: 'run_historical_replay', title: 'Replay a market window', annotations: COMPUTE_ONLY,
    description: 'Replays any window of the stored history (2020-01-02 onward) on today\'s holdings, computed on the fly and not stored: start_date is the base close, end_date the last close.',
    input: z.object({ ...only(), ...ReplayRequestSchema.shape }), output: HistoricalReplaysSchema,
    run: async (i, c) => runHistoricalReplay(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { start_date: i.start_date, end_date: i.end_date, name: i.name }),
    summary: replaysSummary,
    hints: { VALIDATION: 'use trading dates inside the stored history (2020-01-02 to the latest results date), start before end' },
  });

  defineTool(server, ctx, {
    name: 'get_risk_contributions', title: 'Risk contributions', annotations: READ_ONLY,
    description: 'What drives my risk? Euler contributions at 99 %: marginal and component volatility and VaR per position and per underlying (an option with its stock), per factor plus residual, and historical component expected shortfall; components sum to the total. Says which positions add risk and which hedge it.',
    input: z.object(only()), output: RiskContributionsSchema,
    run: async (i, c) => getRiskContributions(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: (o) => {
      const x = o.contributions;
      if (!o.available || !x) return unavailable(o.reason);
      const top = [...x.parametric.underlyings].sort((a, b) => b.component_var - a.component_var).slice(0, 3);
      return `As of ${o.as_of}: 1-day VaR 99% ${usd(x.parametric.var_usd)}; largest contributors ${top.map((u) => `${u.underlying} ${pct(u.share_pct)}`).join(', ')}; hedges: ${x.hedges.length ? x.hedges.slice(0, 3).join(', ') : 'none'}.`;
    },
  });

  defineTool(server, ctx, {
    name: 'get_monte_carlo_var', title: 'Monte Carlo VaR', annotations: READ_ONLY,
    description: 'Monte Carlo VaR and CVaR (95 %, 99 %) from the factor model with 10,000 seeded paths, normal and Student-t innovations, 1 and 10 days, options fully repriced on every path, each with a 95 % confidence interval.',
    input: z.object(only()), output: MonteCarloVarSchema,
    run: async (i, c) => getMonteCarloVar(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: (o) => {
      const x = o.monte_carlo;
      if (!o.available || !x) return unavailable(o.reason);
      return `As of ${o.as_of}, ${x.paths} paths: ${x.runs.map((r) => {
        const l = r.levels.find((v) => v.confidence === 0.99);
        return `${r.innovations === 'normal' ? 'normal' : `t(${r.dof})`} ${r.horizon_days}d VaR99 ${usd(l?.var_usd)} CVaR ${usd(l?.cvar_usd)}`;
      }).join('; ')}.`;
    },
  });

  defineTool(server, ctx, {
    name: 'get_performance', title: 'Performance vs benchmark', annotations: READ_ONLY,
    description: 'Time-weighted return from the daily NAVs, and against the portfolio\'s benchmark and any symbols named: alpha, beta, tracking error, information ratio, up and down capture.',
    input: z.object({ ...only(), symbols: listInput(PerformanceQuerySchema.shape.symbols, 'extra comparison symbols, e.g. ["IWM","MTUM"]') }), output: PerformanceSchema,
    run: async (i, c) => getPerformance(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { symbols: i.symbols ?? undefined }),
    summary: (o) => {
      const x = o.performance;
      if (!o.available || !x) return unavailable(o.reason);
      return `${x.start_date} → ${x.end_date}: TWR ${pct(x.twr_pct)} (${pct(x.annualized_pct)} a year); ${x.comparisons.map((b) => `vs ${b.benchmark} ${pct(b.benchmark_twr_pct)}: alpha ${pct(b.alpha_annual_pct)}, beta ${b.beta.toFixed(2)}, TE ${pct(b.tracking_error_pct)}, IR ${b.information_ratio.toFixed(2)}`).join('; ')}.`;
    },
  });
}
