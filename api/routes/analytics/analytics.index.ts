import { createRouter } from '../../router.ts';
import * as H from './analytics.handlers.ts';
import * as R from './analytics.routes.ts';

/** Each handler serves every path family of its use case (reference and seed-guide spellings). */
export const analyticsRouter = createRouter()
  .openapi(R.overviewRoute, H.overviewHandler)
  .openapi(R.overviewSeedRoute, H.overviewHandler as never)
  .openapi(R.correlationRoute, H.correlationHandler)
  .openapi(R.diversificationRoute, H.diversificationHandler)
  .openapi(R.factorRoute, H.factorHandler)
  .openapi(R.factorSeedRoute, H.factorHandler as never)
  .openapi(R.positionFactorRoute, H.positionFactorHandler)
  .openapi(R.stressRoute, H.stressHandler)
  .openapi(R.riskMetricsRoute, H.riskMetricsHandler)
  .openapi(R.greeksRoute, H.greeksHandler)
  .openapi(R.marketRiskRoute, H.marketRiskHandler)
  .openapi(R.snapshotsRoute, H.snapshotsHandler)
  .openapi(R.varBacktestRoute, H.varBacktestHandler)
  .openapi(R.historicalReplaysRoute, H.historicalReplaysHandler)
  .openapi(R.customReplayRoute, H.customReplayHandler)
  .openapi(R.riskContributionsRoute, H.riskContributionsHandler)
  .openapi(R.monteCarloVarRoute, H.monteCarloVarHandler)
  .openapi(R.performanceRoute, H.performanceHandler);
