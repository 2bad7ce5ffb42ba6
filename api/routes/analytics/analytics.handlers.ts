import type { RouteHandler } from '@hono/zod-openapi';
import { getCorrelationMatrix, getDiversificationScore } from '../../../core/services/analytics-correlation.ts';
import { getFactorExposures, getPositionFactorExposures } from '../../../core/services/analytics-factors.ts';
import { getOverview } from '../../../core/services/analytics-overview.ts';
import { getGreeks, getMarketRisk, getRiskMetrics, getSnapshots } from '../../../core/services/analytics-risk.ts';
import { getStressTest } from '../../../core/services/analytics-stress.ts';
import { getHistoricalReplays, getMonteCarloVar, getPerformance, getRiskContributions, getVarBacktest, runHistoricalReplay } from '../../../core/services/analytics-analyses.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import { cacheableJson } from '../../middleware/microcache.ts';
import type * as R from './analytics.routes.ts';

type H<Route extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<Route, AppBindings>;

/** Serves both the reference and the seed-guide overview paths. */
export const overviewHandler: H<typeof R.overviewRoute> = async (c) =>
  cacheableJson(c, await getOverview(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const correlationHandler: H<typeof R.correlationRoute> = async (c) =>
  cacheableJson(c, await getCorrelationMatrix(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

export const diversificationHandler: H<typeof R.diversificationRoute> = async (c) =>
  cacheableJson(c, await getDiversificationScore(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

/** Serves both `/analytics/portfolio/{id}/factor-exposures` and the seed-guide `/data/portfolios/{id}/factor_exposures`. */
export const factorHandler: H<typeof R.factorRoute> = async (c) =>
  cacheableJson(c, await getFactorExposures(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const positionFactorHandler: H<typeof R.positionFactorRoute> = async (c) =>
  cacheableJson(c, await getPositionFactorExposures(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

export const stressHandler: H<typeof R.stressRoute> = async (c) =>
  cacheableJson(c, await getStressTest(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

export const riskMetricsHandler: H<typeof R.riskMetricsRoute> = async (c) =>
  cacheableJson(c, await getRiskMetrics(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

export const greeksHandler: H<typeof R.greeksRoute> = async (c) =>
  cacheableJson(c, await getGreeks(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const marketRiskHandler: H<typeof R.marketRiskRoute> = async (c) =>
  cacheableJson(c, await getMarketRisk(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const snapshotsHandler: H<typeof R.snapshotsRoute> = async (c) =>
  cacheableJson(c, await getSnapshots(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

export const varBacktestHandler: H<typeof R.varBacktestRoute> = async (c) =>
  cacheableJson(c, await getVarBacktest(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const historicalReplaysHandler: H<typeof R.historicalReplaysRoute> = async (c) =>
  cacheableJson(c, await getHistoricalReplays(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const riskContributionsHandler: H<typeof R.riskContributionsRoute> = async (c) =>
  cacheableJson(c, await getRiskContributions(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const monteCarloVarHandler: H<typeof R.monteCarloVarRoute> = async (c) =>
  cacheableJson(c, await getMonteCarloVar(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id));

export const performanceHandler: H<typeof R.performanceRoute> = async (c) =>
  cacheableJson(c, await getPerformance(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')));

export const customReplayHandler: H<typeof R.customReplayRoute> = async (c) =>
  c.json(await runHistoricalReplay(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('json')), 200);
