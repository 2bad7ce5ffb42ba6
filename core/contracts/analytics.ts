/**
 * Analytics read contracts (api.md §8). Every result says whether stored batch results exist
 * (`available`, and a `reason` when not), and carries their provenance: `as_of`, `run_id` and
 * data-quality flags (stale, proxied).
 */
import { z } from '@hono/zod-openapi';
import { ProvenanceShape, text } from './common.ts';

const n = (d: string) => z.number().describe(d);
const nn = (d: string) => z.number().nullable().describe(d);

export const OverviewSchema = z
  .object({
    available: z.boolean().describe('false until the batch has stored exposures for this portfolio'),
    reason: text().nullable().describe('why results are unavailable (no_results)'),
    portfolio_id: text(),
    ...ProvenanceShape,
    total_value: n('equity (NAV) on as_of, USD, 2 dp'),
    cash_balance: n('cash on as_of, USD, 2 dp'),
    exposures: z.object({
      long_exposure: n('Σ positive equity value + |long options| (delta-adjusted where stored), USD'),
      short_exposure: n('Σ |short equity| + |short options|, USD (positive number)'),
      gross_exposure: n('long + short, USD'),
      net_exposure: n('long − short, USD'),
      long_percentage: n('long / total value, percent, 1 dp'),
      short_percentage: n('short / total value, percent, 1 dp'),
      gross_percentage: n('gross / total value, percent, 1 dp'),
      net_percentage: n('net / total value, percent, 1 dp'),
    }),
    pnl: z.object({ total_pnl: n('unrealized + realized, USD'), unrealized_pnl: n('Σ stored unrealized P&L on as_of, USD'), realized_pnl: n('P&L of positions closed on or before as_of, USD') }),
    position_count: z.object({ total_positions: z.number().int(), long_count: z.number().int(), short_count: z.number().int(), option_count: z.number().int() }),
    last_updated: text().nullable().describe('finish time of the run that wrote the results, UTC ISO-8601'),
  })
  .openapi('PortfolioOverview');
export type Overview = z.infer<typeof OverviewSchema>;

export const CorrelationQuerySchema = z.object({
  lookback_days: z.coerce.number().int().min(30).max(365).default(90).describe('look-back in calendar days (30–365); the stored calculation with the nearest trading-day window (× 252/365, within 10 %) is used'),
  min_overlap: z.coerce.number().int().min(10).max(365).default(30).describe('pairs with fewer common days are reported as null (10–365, ≤ lookback_days)'),
  max_symbols: z.coerce.number().int().min(2).max(50).default(25).describe('largest positions by gross value to include (2–50)'),
});

export const CorrelationMatrixSchema = z
  .object({
    available: z.boolean(),
    ...ProvenanceShape,
    data: z
      .object({
        matrix: z.record(text(), z.record(text(), z.number().nullable())).describe('symbol → symbol → Pearson correlation of daily returns; null where the pair has too little overlap'),
        average_correlation: nn('mean of the defined off-diagonal pairs'),
        clusters: z
          .array(
            z.object({
              name: text().describe('nickname from the members\' dominant sector or largest holding'),
              members: z.array(text()).describe('symbols of the cluster shown in the matrix, largest position first'),
              avg_correlation: nn('mean pairwise correlation inside the cluster (of all its members)'),
              gross_value: nn('gross market value of all its members, USD'),
            }),
          )
          .describe('groups of symbols that move together: average-linkage clustering of the calculation on 1 − |ρ|, cut at |ρ| ≥ 0.7, largest first; symbols in no group of two or more are left out'),
      })
      .nullable(),
    metadata: z.object({
      reason: z.enum(['no_calculation_available', 'insufficient_symbols']).optional(),
      calculation_date: text().nullable(),
      duration_days: z.number().int().nullable().describe('window of the calculation used, trading days'),
      symbols_included: z.number().int().nullable(),
      lookback_days: z.number().int(),
      min_overlap: z.number().int(),
      max_symbols: z.number().int(),
      selection_method: z.literal('weight'),
    }),
  })
  .openapi('CorrelationMatrix');
export type CorrelationMatrix = z.infer<typeof CorrelationMatrixSchema>;

export const DiversificationQuerySchema = CorrelationQuerySchema.pick({ lookback_days: true, min_overlap: true });

export const DiversificationSchema = z
  .object({
    available: z.boolean(),
    portfolio_id: text(),
    ...ProvenanceShape,
    portfolio_correlation: nn('Σ_{i<j} wᵢwⱼ|ρᵢⱼ| / Σ_{i<j} wᵢwⱼ, gross-value weights (0 = uncorrelated, 1 = perfectly correlated)'),
    effective_positions: nn('(Σ|w|)² / wᵀρw: the number of independent bets'),
    duration_days: z.number().int().describe('window of the calculation used, trading days'),
    calculation_date: text().nullable(),
    symbols_included: z.number().int().nullable(),
    metadata: z.object({
      lookback_days: z.number().int(),
      min_overlap: z.number().int(),
      selection_method: z.literal('full_calculation_set'),
      calculation_id: text().optional(),
      reason: z.enum(['no_calculation_available', 'insufficient_symbols']).optional(),
    }),
  })
  .openapi('DiversificationScore');
export type Diversification = z.infer<typeof DiversificationSchema>;

export const FactorExposuresSchema = z
  .object({
    available: z.boolean(),
    portfolio_id: text(),
    ...ProvenanceShape,
    calculation_date: text().nullable(),
    factors: z.array(
      z.object({
        name: text().describe('factor display name, e.g. Market Beta'),
        beta: nn('portfolio beta = dollar exposure / NAV'),
        exposure_dollar: nn('Σ delta-adjusted exposure × position beta, USD'),
        coverage_pct: nn('share of gross exposure with betas, percent'),
        model: text().describe('regression model that produced it: market, style, compat or rate'),
      }),
    ),
    metadata: z.object({
      factor_model: text().optional().describe('"<n>-factor"'),
      calculation_method: text().optional(),
      reason: z.literal('no_calculation_available').optional(),
      detail: z.enum(['no_active_style_factors', 'no_complete_set']).optional(),
    }),
  })
  .openapi('FactorExposures');
export type FactorExposures = z.infer<typeof FactorExposuresSchema>;

export const PositionFactorQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size (1–200)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('rows to skip'),
  symbols: text().max(2000).optional().describe('comma-separated symbols to keep (upper-cased)'),
});

export const PositionFactorExposuresSchema = z
  .object({
    available: z.boolean(),
    portfolio_id: text(),
    ...ProvenanceShape,
    calculation_date: text().nullable(),
    total: z.number().int().describe('positions matching the filter (the set the page walks)'),
    limit: z.number().int(),
    offset: z.number().int(),
    positions: z.array(z.object({ position_id: text(), symbol: text(), exposures: z.record(text(), z.number()).describe('factor name → beta') })),
    metadata: z.object({ reason: z.literal('no_results').optional() }),
  })
  .openapi('PositionFactorExposures');
export type PositionFactorExposures = z.infer<typeof PositionFactorExposuresSchema>;

export const StressQuerySchema = z.object({
  scenarios: text().max(2000).optional().describe('comma-separated scenario ids, e.g. market_down_10,covid_crash_2020'),
});

export const StressTestSchema = z
  .object({
    available: z.boolean(),
    ...ProvenanceShape,
    data: z
      .object({
        scenarios: z.array(
          z.object({
            id: text(),
            name: text(),
            description: text().nullable(),
            category: text().nullable(),
            impact_type: z.literal('correlated'),
            impact: z.object({
              dollar_impact: n('correlated P&L, USD'),
              percentage_impact: n('dollar impact / portfolio value, percent points'),
              new_portfolio_value: n('portfolio value + dollar impact, USD'),
              direct_dollar_impact: n('P&L from the directly shocked factors only, USD'),
            }),
            severity: text().nullable(),
          }),
        ),
        portfolio_value: n('baseline: snapshot NAV on or before as_of, USD'),
        calculation_date: text(),
      })
      .nullable(),
    metadata: z.object({ reason: z.enum(['no_results', 'no_snapshot']).optional(), scenarios_requested: z.array(text()).optional() }),
  })
  .openapi('StressTest');
export type StressTest = z.infer<typeof StressTestSchema>;
