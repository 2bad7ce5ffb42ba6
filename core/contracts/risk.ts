/** Contracts of the analytics the reference lacked: option Greeks, market-risk scenarios, risk metrics, snapshot history. */
import { z } from '@hono/zod-openapi';
import { DateSchema, ProvenanceShape, text } from './common.ts';

const nn = (d: string) => z.number().nullable().describe(d);
const unavailable = { reason: text().nullable().describe('why results are unavailable (no_results)') };

export const GreeksSchema = z
  .object({
    available: z.boolean(),
    ...unavailable,
    portfolio_id: text(),
    ...ProvenanceShape,
    totals: z
      .object({
        dollar_delta: nn('Σ Δ × shares × underlying, USD per 1.00 relative move'),
        dollar_gamma_1pct: nn('Σ change of dollar delta for a 1 % underlying move, USD'),
        theta_dollars_per_day: nn('Σ position theta, USD per calendar day'),
        vega_dollars_per_vol_pt: nn('Σ position vega, USD per volatility point'),
        rho_dollars_per_pct: nn('Σ position rho, USD per 1 % rate move'),
        option_count: z.number().int(),
      })
      .nullable(),
    positions: z.array(
      z.object({
        position_id: text(),
        symbol: text(),
        underlying_price: nn('USD'),
        vol_annual: nn('annualised volatility used, decimal'),
        vol_source: text().nullable(),
        tenor_years: nn('ACT/365'),
        model_price: nn('Black–Scholes price per share, USD'),
        delta: nn('per share'),
        gamma: nn('per share per USD'),
        theta_per_day: nn('per share, USD per calendar day'),
        vega_per_vol_point: nn('per share, USD per volatility point'),
        rho_per_pct: nn('per share, USD per 1 % rate'),
        dollar_delta: nn('USD'),
        dollar_gamma_1pct: nn('USD'),
        theta_dollars_per_day: nn('USD'),
        vega_dollars_per_vol_pt: nn('USD'),
        rho_dollars_per_pct: nn('USD'),
        is_expired: z.boolean(),
        flags: z.array(text()),
      }),
    ),
  })
  .openapi('PortfolioGreeks');
export type Greeks = z.infer<typeof GreeksSchema>;

export const MarketRiskSchema = z
  .object({
    available: z.boolean(),
    ...unavailable,
    portfolio_id: text(),
    ...ProvenanceShape,
    scenarios: z.array(
      z.object({
        scenario: text().describe('scenario key, e.g. market_down_10, rates_up_100bp'),
        scenario_type: text().describe('market or rate'),
        shock_value: z.number().describe('market: fractional return; rate: basis points'),
        pnl_linear: z.number().describe('Σ exposure × beta × shock, USD'),
        pnl_full_reval: nn('with options fully revalued, USD'),
        pnl_pct_nav: nn('P&L / NAV, percent points'),
      }),
    ),
  })
  .openapi('MarketRiskScenarios');
export type MarketRisk = z.infer<typeof MarketRiskSchema>;

export const RiskMetricsQuerySchema = z.object({
  lookback_days: z.coerce.number().int().min(30).max(252).optional().describe('window of the stored metrics, trading days (30–252); default: the longest stored window'),
});

export const RiskMetricsSchema = z
  .object({
    available: z.boolean(),
    portfolio_id: text(),
    ...ProvenanceShape,
    risk_metrics: z
      .object({
        portfolio_beta: nn('beta of daily portfolio returns to SPY'),
        annualized_volatility: nn('sample stdev of daily returns × √252, decimal'),
        max_drawdown: nn('largest peak-to-trough fall of equity, negative fraction'),
        sharpe_ratio: nn('annualised excess return over the 3-month bill / volatility'),
        sortino_ratio: nn('annualised excess return / downside deviation'),
        var_95_1d: nn('historical VaR, 95 %, 1 day, USD (positive = loss)'),
        var_99_1d: nn('historical VaR, 99 %, 1 day, USD'),
        cvar_95_1d: nn('expected shortfall beyond VaR 95 %, 1 day, USD'),
        cvar_99_1d: nn('expected shortfall beyond VaR 99 %, 1 day, USD'),
        var_95_10d: nn('VaR 95 %, 10 days, USD'),
        var_99_10d: nn('VaR 99 %, 10 days, USD'),
        parametric_var_95_1d: nn('delta-normal VaR 95 %, 1 day, USD'),
        parametric_var_99_1d: nn('delta-normal VaR 99 %, 1 day, USD'),
      })
      .nullable(),
    metadata: z.object({
      lookback_days: z.number().int().nullable(),
      observations: z.number().int().nullable(),
      available_windows: z.array(z.number().int()).describe('stored windows on as_of'),
      reason: z.enum(['no_results', 'no_results_for_window']).optional(),
    }),
  })
  .openapi('RiskMetrics');
export type RiskMetrics = z.infer<typeof RiskMetricsSchema>;

export const SnapshotsQuerySchema = z.object({
  start_date: DateSchema.optional().describe('first date (default: 90 days before end_date)'),
  end_date: DateSchema.optional().describe('last date (default: today)'),
  limit: z.coerce.number().int().min(1).max(1000).default(252).describe('latest rows to return (1–1000)'),
});

export const SnapshotsSchema = z
  .object({
    available: z.boolean(),
    ...unavailable,
    portfolio_id: text(),
    ...ProvenanceShape,
    snapshots: z.array(
      z.object({
        date: text(),
        nav: z.number().describe('equity, USD'),
        cash: z.number(),
        long_value: z.number(),
        short_value: z.number(),
        gross_exposure: z.number(),
        net_exposure: z.number(),
        daily_pnl: z.number().describe('change in value of positions held on both days, USD'),
        daily_return: nn('daily P&L / previous NAV, decimal'),
        cumulative_pnl: z.number(),
        dollar_delta: nn('USD'),
        theta_dollars_per_day: nn('USD'),
        price_coverage_pct: z.number(),
        stale_price_count: z.number().int(),
        is_complete: z.boolean(),
        run_id: text().nullable(),
      }),
    ),
  })
  .openapi('PortfolioSnapshots');
export type Snapshots = z.infer<typeof SnapshotsSchema>;
