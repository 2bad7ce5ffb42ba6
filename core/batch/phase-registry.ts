/** The default implementation of each portfolio phase, in run order. */
import { contributionsPhase, monteCarloPhase, performancePhase, replaysPhase, varBacktestPhase } from './phases/analyses.ts';
import { correlationsPhase } from './phases/correlations.ts';
import { factorsPhase } from './phases/factors.ts';
import { greeksPhase } from './phases/greeks.ts';
import { reportsPhase } from './phases/reports.ts';
import { riskPhase } from './phases/risk.ts';
import { scenariosPhase } from './phases/scenarios.ts';
import { snapshotPhase } from './phases/snapshot.ts';
import { stressPhase } from './phases/stress.ts';
import { valuationPhase } from './phases/valuation.ts';
import type { PortfolioPhase, PortfolioPhaseName } from './types.ts';

export const DEFAULT_PORTFOLIO_PHASES: Record<PortfolioPhaseName, PortfolioPhase> = {
  valuation: valuationPhase,
  greeks: greeksPhase,
  factors: factorsPhase,
  scenarios: scenariosPhase,
  stress: stressPhase,
  risk: riskPhase,
  snapshot: snapshotPhase,
  correlations: correlationsPhase,
  var_backtest: varBacktestPhase,
  contributions: contributionsPhase,
  monte_carlo: monteCarloPhase,
  replays: replaysPhase,
  performance: performancePhase,
  reports: reportsPhase,
};
