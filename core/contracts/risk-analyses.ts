/**
 * Contracts of the second-wave risk analyses: VaR backtests, historical replays on today's
 * holdings, Euler risk contributions, Monte Carlo VaR/CVaR and benchmark-relative performance.
 * Each answer carries the provenance every analytics result carries and, when available, the
 * payload the batch stored (`risk_analyses`) or a replay computed on request.
 */
import { z } from '@hono/zod-openapi';
import { DateSchema, ProvenanceShape, text } from './common.ts';

const n = (d: string) => z.number().describe(d);
const nn = (d: string) => z.number().nullable().describe(d);
const head = {
  available: z.boolean(),
  reason: text().nullable().describe('why results are unavailable: no_results (no batch yet), or the engine\'s reason'),
  portfolio_id: text(),
  ...ProvenanceShape,
};

// ── VaR backtest ──────────────────────────────────────────────────────────────────────────────

const LrTestSchema = z
  .object({
    statistic: n('likelihood-ratio statistic'),
    df: z.number().int().describe('degrees of freedom of its χ² distribution'),
    p_value: n('P(χ² > statistic)'),
    verdict: z.enum(['pass', 'reject']).describe('reject when p < 0.05'),
  })
  .openapi('LikelihoodRatioTest');

export const BACKTEST_METHODS = ['historical', 'parametric', 'monte_carlo'] as const;

export const BacktestLevelSchema = z
  .object({
    method: z.enum(BACKTEST_METHODS),
    confidence: n('VaR confidence, e.g. 0.99'),
    days: z.number().int().describe('forecast days compared with the next day\'s P&L'),
    exceptions: z.number().int().describe('days whose loss exceeded the VaR'),
    expected: n('days × (1 − confidence)'),
    exception_dates: z.array(DateSchema).describe('dates of the realised P&L that broke the forecast'),
    kupiec_pof: LrTestSchema.describe('Kupiec (1995) proportion of failures, χ²(1)'),
    christoffersen_independence: LrTestSchema.describe('Christoffersen (1998) independence of exceptions, χ²(1)'),
    christoffersen_conditional_coverage: LrTestSchema.describe('Christoffersen conditional coverage = POF + independence, χ²(2)'),
    traffic_light: z
      .object({
        zone: z.enum(['green', 'yellow', 'red']),
        plus_factor: nn('Basel capital multiplier add-on for 250 days (null for other window lengths)'),
        cumulative_probability: n('P(X ≤ exceptions) under Binomial(days, 1 − confidence)'),
      })
      .nullable()
      .describe('Basel Committee (1996) traffic light; only at 99 %'),
  })
  .openapi('VarBacktestLevel');

export const BacktestDaySchema = z
  .object({
    date: DateSchema.describe('the day whose P&L is realised; forecasts were made at the close before it'),
    pnl: n('realised P&L of the book held at the previous close, USD'),
    historical_95: nn('historical-simulation VaR 95 % forecast, USD (positive = loss)'),
    historical_99: nn('USD'),
    parametric_95: nn('delta-normal VaR 95 % forecast, USD'),
    parametric_99: nn('USD'),
    monte_carlo_95: nn('Monte Carlo VaR 95 % forecast, USD'),
    monte_carlo_99: nn('USD'),
  })
  .openapi('VarBacktestDay');

export const VarBacktestPayloadSchema = z
  .object({
    window_days: z.number().int().describe('backtest days'),
    estimation_days: z.number().int().describe('returns behind each forecast (data strictly before its day)'),
    start_date: DateSchema,
    end_date: DateSchema,
    monte_carlo_paths: z.number().int().describe('paths per daily Monte Carlo forecast'),
    levels: z.array(BacktestLevelSchema),
    days: z.array(BacktestDaySchema),
    conventions: text().describe('how forecasts and P&L are formed'),
    warnings: z.array(text()),
  })
  .openapi('VarBacktestPayload');

export const VarBacktestSchema = z.object({ ...head, backtest: VarBacktestPayloadSchema.nullable() }).openapi('VarBacktest');
export type VarBacktest = z.infer<typeof VarBacktestSchema>;
export type VarBacktestPayload = z.infer<typeof VarBacktestPayloadSchema>;

// ── Historical replays ────────────────────────────────────────────────────────────────────────

export const ReplayWindowResultSchema = z
  .object({
    key: text().describe('named window key, or "custom"'),
    name: text(),
    start_date: DateSchema.describe('base close'),
    end_date: DateSchema,
    trading_days: z.number().int(),
    total_pnl: n('P&L of today\'s book had the window happened now, USD'),
    total_pct: nn('of NAV, percent'),
    vol_ratio: nn('VIX at the end / VIX at the start, applied to option vols'),
    rate_change_bp: nn('10-year Treasury change over the window, basis points, applied to option rates'),
    worst_day: z.object({ date: DateSchema, pnl: n('USD') }).nullable(),
    peak_to_trough: z
      .object({ peak_date: DateSchema, trough_date: DateSchema, drawdown_usd: n('USD, ≥ 0'), drawdown_pct: nn('of the peak value, percent') })
      .nullable(),
    positions: z.array(
      z.object({
        position_id: text(),
        symbol: text(),
        pnl: n('USD'),
        source_return_pct: n('window return of the symbol that moves it, percent'),
        method: z.enum(['history', 'factor_proxy', 'unmoved']).describe('history: its own closes; factor_proxy: moved through its factor betas (no history in the window); unmoved: neither'),
      }),
    ),
    path: z.array(z.object({ date: DateSchema, cumulative_pnl: n('USD') })),
    flagged_symbols: z.array(text()).describe('symbols moved through factor betas or not at all'),
  })
  .openapi('ReplayWindowResult');

export const HistoricalReplaysPayloadSchema = z
  .object({ nav: nn('NAV of today\'s book, USD'), windows: z.array(ReplayWindowResultSchema), conventions: text(), warnings: z.array(text()) })
  .openapi('HistoricalReplaysPayload');
export const HistoricalReplaysSchema = z.object({ ...head, replays: HistoricalReplaysPayloadSchema.nullable() }).openapi('HistoricalReplays');
export type HistoricalReplays = z.infer<typeof HistoricalReplaysSchema>;
export type HistoricalReplaysPayload = z.infer<typeof HistoricalReplaysPayloadSchema>;

export const ReplayRequestSchema = z
  .object({
    start_date: DateSchema.describe('first close of the window (the base)'),
    end_date: DateSchema.describe('last close of the window'),
    name: text().max(120).optional().describe('label for the answer'),
  })
  .openapi('ReplayRequest');

// ── Risk contributions ────────────────────────────────────────────────────────────────────────

const role = z.enum(['adds', 'hedges']).describe('adds: a positive component (it adds risk); hedges: a negative one');
export const RiskContributionsPayloadSchema = z
  .object({
    confidence: n('VaR confidence of the components, e.g. 0.99'),
    window_days: z.number().int(),
    parametric: z.object({
      vol_usd: n('1-day portfolio volatility, USD'),
      var_usd: n('1-day delta-normal VaR, USD'),
      positions: z.array(
        z.object({
          position_id: text(), symbol: text(), underlying: text(),
          exposure: n('delta-adjusted exposure, USD'),
          marginal_vol: n('∂σ/∂exposure, USD per USD'),
          component_vol: n('exposure × marginal, USD; the components sum to vol_usd'),
          component_var: n('USD; sum to var_usd'),
          share_pct: n('component / total, percent'),
          role,
        }),
      ),
      underlyings: z.array(z.object({ underlying: text(), component_vol: n('USD'), component_var: n('USD'), share_pct: n('percent'), role })),
    }),
    factors: z
      .object({
        vol_usd: n('1-day volatility from the factor model, USD'),
        var_usd: n('USD'),
        factors: z.array(z.object({ factor: text(), exposure: n('USD per unit factor move'), component_vol: n('USD'), component_var: n('USD'), share_pct: n('percent'), role })),
        residual: z.object({ component_vol: n('USD'), component_var: n('USD'), share_pct: n('percent') }),
      })
      .nullable(),
    historical: z
      .object({
        var_usd: n('historical-simulation VaR with options fully repriced, USD'),
        es_usd: n('expected shortfall, USD; components sum to it'),
        positions: z.array(z.object({ position_id: text(), symbol: text(), component_es: n('USD'), share_pct: n('percent'), role })),
      })
      .nullable(),
    adds_risk: z.array(text()).describe('symbols of the largest positive components, largest first'),
    hedges: z.array(text()).describe('symbols with negative components, strongest hedge first'),
    warnings: z.array(text()),
  })
  .openapi('RiskContributionsPayload');
export const RiskContributionsSchema = z.object({ ...head, contributions: RiskContributionsPayloadSchema.nullable() }).openapi('RiskContributions');
export type RiskContributions = z.infer<typeof RiskContributionsSchema>;
export type RiskContributionsPayload = z.infer<typeof RiskContributionsPayloadSchema>;

// ── Monte Carlo VaR ───────────────────────────────────────────────────────────────────────────

const ci = z.tuple([z.number(), z.number()]).describe('95 % confidence interval of the estimate, USD');
export const MonteCarloRunSchema = z
  .object({
    innovations: z.enum(['normal', 'student_t']),
    dof: nn('Student-t degrees of freedom (null for normal)'),
    horizon_days: z.number().int(),
    mean_pnl: n('USD'),
    std_pnl: n('USD'),
    levels: z.array(z.object({ confidence: n('e.g. 0.99'), var_usd: n('USD'), cvar_usd: n('USD'), var_ci: ci, cvar_ci: ci })),
  })
  .openapi('MonteCarloRun');
export const MonteCarloPayloadSchema = z
  .object({ paths: z.number().int(), seed: z.number().int(), factors: z.array(text()), runs: z.array(MonteCarloRunSchema), conventions: text(), warnings: z.array(text()) })
  .openapi('MonteCarloPayload');
export const MonteCarloVarSchema = z.object({ ...head, monte_carlo: MonteCarloPayloadSchema.nullable() }).openapi('MonteCarloVar');
export type MonteCarloVar = z.infer<typeof MonteCarloVarSchema>;
export type MonteCarloPayload = z.infer<typeof MonteCarloPayloadSchema>;

// ── Performance ───────────────────────────────────────────────────────────────────────────────

export const RelativePerformanceSchema = z
  .object({
    benchmark: text(),
    benchmark_twr_pct: n('percent'),
    active_return_pct: n('portfolio TWR − benchmark TWR, percent points'),
    alpha_annual_pct: n('Jensen alpha, annualised ×252, percent'),
    beta: n('OLS beta of excess returns'),
    correlation: n('of daily returns'),
    tracking_error_pct: n('annualised, percent'),
    information_ratio: n('annualised active return / tracking error'),
    up_capture_pct: nn('percent; null without up days'),
    down_capture_pct: nn('percent; null without down days'),
  })
  .openapi('RelativePerformance');
export const PerformancePayloadSchema = z
  .object({
    start_date: DateSchema,
    end_date: DateSchema,
    days: z.number().int().describe('daily returns used'),
    stored_days: z.number().int().describe('NAVs read from stored snapshots; the others were rebuilt from positions and stored closes'),
    twr_pct: n('time-weighted return over the window, percent'),
    annualized_pct: n('percent'),
    benchmark: text().describe('the portfolio\'s benchmark symbol'),
    comparisons: z.array(RelativePerformanceSchema),
    conventions: text(),
    warnings: z.array(text()),
  })
  .openapi('PerformancePayload');
export const PerformanceSchema = z.object({ ...head, performance: PerformancePayloadSchema.nullable() }).openapi('Performance');
export type Performance = z.infer<typeof PerformanceSchema>;
export type PerformancePayload = z.infer<typeof PerformancePayloadSchema>;

export const PerformanceQuerySchema = z.object({
  symbols: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9.^-]+(,[A-Za-z0-9.^-]+)*$/)
    .optional()
    .describe('extra comparison symbols, comma-separated (e.g. IWM,MTUM)'),
});
