import { createRoute, type z } from '@hono/zod-openapi';
import {
  CorrelationMatrixSchema,
  CorrelationQuerySchema,
  DiversificationQuerySchema,
  DiversificationSchema,
  FactorExposuresSchema,
  OverviewSchema,
  PositionFactorExposuresSchema,
  PositionFactorQuerySchema,
  StressQuerySchema,
  StressTestSchema,
} from '../../../core/contracts/analytics.ts';
import { PortfolioIdParams } from '../../../core/contracts/common.ts';
import { GreeksSchema, MarketRiskSchema, RiskMetricsQuerySchema, RiskMetricsSchema, SnapshotsQuerySchema, SnapshotsSchema } from '../../../core/contracts/risk.ts';
import {
  HistoricalReplaysSchema, MonteCarloVarSchema, PerformanceQuerySchema, PerformanceSchema, ReplayRequestSchema, RiskContributionsSchema, VarBacktestSchema,
} from '../../../core/contracts/risk-analyses.ts';
import { ok, problems, SECURED } from '../responses.ts';

const A = '/api/v1/analytics/portfolio/{portfolio_id}';

/** A GET analytics route over an owned portfolio; stored results or `available: false`. */
function analyticsRoute<P extends string, S extends z.ZodType, Q extends z.ZodObject | undefined = undefined>(path: P, summary: string, schema: S, query?: Q, tag = 'Analytics') {
  return createRoute({
    method: 'get',
    path,
    tags: [tag],
    summary,
    description: 'Reads stored nightly-batch results; answers 200 with `available: false` and a reason when none exist yet.',
    security: SECURED,
    request: { params: PortfolioIdParams, ...(query ? { query } : {}) } as { params: typeof PortfolioIdParams; query: Q },
    responses: { ...ok(schema, summary), ...problems(401, 404, 422, 429) },
  });
}

export const overviewRoute = analyticsRoute(`${A}/overview`, 'Portfolio overview: equity, exposures, P&L, counts', OverviewSchema);
export const overviewSeedRoute = analyticsRoute('/api/v1/analytics/portfolios/{portfolio_id}/overview', 'Portfolio overview (seed-guide path)', OverviewSchema);
export const correlationRoute = analyticsRoute(`${A}/correlation-matrix`, 'Pairwise correlations of the largest positions', CorrelationMatrixSchema, CorrelationQuerySchema);
export const diversificationRoute = analyticsRoute(`${A}/diversification-score`, 'Weighted average absolute correlation', DiversificationSchema, DiversificationQuerySchema);
export const factorRoute = analyticsRoute(`${A}/factor-exposures`, 'Portfolio factor betas and dollar exposures', FactorExposuresSchema);
export const factorSeedRoute = analyticsRoute('/api/v1/data/portfolios/{portfolio_id}/factor_exposures', 'Portfolio factor exposures (seed-guide path)', FactorExposuresSchema, undefined, 'Data');
export const positionFactorRoute = analyticsRoute(`${A}/positions/factor-exposures`, 'Per-position factor betas (paginated)', PositionFactorExposuresSchema, PositionFactorQuerySchema);
export const stressRoute = analyticsRoute(`${A}/stress-test`, 'Stress-test P&L per catalogue scenario', StressTestSchema, StressQuerySchema);
export const riskMetricsRoute = analyticsRoute(`${A}/risk-metrics`, 'VaR, CVaR, volatility, drawdown, Sharpe, Sortino and beta', RiskMetricsSchema, RiskMetricsQuerySchema);
export const greeksRoute = analyticsRoute(`${A}/greeks`, 'Option Greeks per position and in total', GreeksSchema);
export const marketRiskRoute = analyticsRoute(`${A}/market-risk`, 'Market and interest-rate scenario P&L', MarketRiskSchema);
export const snapshotsRoute = analyticsRoute(`${A}/snapshots`, 'Daily snapshot history (equity, exposures, P&L, Greeks)', SnapshotsSchema, SnapshotsQuerySchema);

export const varBacktestRoute = analyticsRoute(`${A}/var-backtest`, 'VaR backtest: 250 days of 95/99 % forecasts (historical, parametric, Monte Carlo) against the next day\'s P&L, Kupiec, Christoffersen and the Basel zone', VarBacktestSchema, undefined, 'Risk');
export const historicalReplaysRoute = analyticsRoute(`${A}/historical-replays`, 'Named market windows (Covid crash, 2022, regional banks, carry unwind, tariff shock) replayed on today\'s holdings', HistoricalReplaysSchema, undefined, 'Risk');
export const riskContributionsRoute = analyticsRoute(`${A}/risk-contributions`, 'Euler risk contributions per position, underlying and factor, and component expected shortfall', RiskContributionsSchema, undefined, 'Risk');
export const monteCarloVarRoute = analyticsRoute(`${A}/monte-carlo-var`, 'Monte Carlo VaR and CVaR from the factor model (normal and Student-t, 1 and 10 days), options repriced', MonteCarloVarSchema, undefined, 'Risk');
export const performanceRoute = analyticsRoute(`${A}/performance`, 'Time-weighted return, alpha, beta, tracking error, information ratio and capture against the benchmark and named symbols', PerformanceSchema, PerformanceQuerySchema, 'Risk');

export const customReplayRoute = createRoute({
  method: 'post',
  path: `${A}/historical-replays`,
  tags: ['Risk'],
  summary: 'Replay any window of the stored history on today\'s holdings (computed, nothing stored)',
  security: SECURED,
  request: { params: PortfolioIdParams, body: { content: { 'application/json': { schema: ReplayRequestSchema } }, required: true } },
  responses: { ...ok(HistoricalReplaysSchema, 'The window replayed on the book of the latest results date'), ...problems(401, 404, 422, 429) },
});
