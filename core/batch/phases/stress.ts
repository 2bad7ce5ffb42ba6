/**
 * Stress phase (engines.md §8.10): every active catalogue scenario once over the positions'
 * dollar factor exposures E_ik = delta_adj_i × β_ik (compat betas; Interest_Rate in $/bp).
 * Univariate betas already embed correlated moves, so P&L is direct only (method
 * `direct_only`, no propagation through the covariance); no loss floor, losses beyond NAV flagged.
 */
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { activeStressScenarios } from '../../../db/queries/stress-catalogue.ts';
import { stressTestResults } from '../../../db/schema/index.ts';
import { factorExposuresFromBetas } from '../../../engines/stress/factor-exposures.ts';
import { runStressTests } from '../../../engines/stress/stress-run.ts';
import type { StressPortfolio, StressPosition, StressScenario } from '../../../engines/stress/stress-scenario.ts';
import { cached, type PortfolioPhase, type PortfolioState } from '../types.ts';
import { round2 } from '../../rounding.ts';


/** Stress inputs of a book: dollar factor exposures of each position with betas, and NAV / long / short values. */
export function stressInputs(state: PortfolioState): { positions: StressPosition[]; portfolio: StressPortfolio } {
  const positions: StressPosition[] = [];
  for (const s of state.positions) {
    const b = state.betas.get(s.position.id);
    if (b && s.deltaAdj !== null) positions.push({ id: s.position.id, factorExposuresUsd: factorExposuresFromBetas(s.deltaAdj, b) });
  }
  const mv = state.positions.map((s) => s.marketValue ?? 0);
  return {
    positions,
    portfolio: {
      navUsd: state.cash + mv.reduce((a, b) => a + b, 0),
      longValueUsd: mv.filter((x) => x > 0).reduce((a, b) => a + b, 0),
      shortValueUsd: mv.filter((x) => x < 0).reduce((a, b) => a + b, 0),
    },
  };
}

/** The catalogue as engine scenarios. */
export const asStressScenarios = (rows: Awaited<ReturnType<typeof activeStressScenarios>>): StressScenario[] =>
  rows.map((c) => ({ id: c.id, name: c.name, category: c.category, shockedFactors: c.shocks }));

/** Runs scenarios over a book by this phase's method (univariate betas, direct only); also returns the portfolio values used. */
export function stressState(state: PortfolioState, scenarios: readonly StressScenario[]) {
  const { positions, portfolio } = stressInputs(state);
  return { ...runStressTests(scenarios, positions, portfolio, { exposureModel: 'univariate' }), portfolio };
}

export const stressPhase: PortfolioPhase = async (tx, run, state) => {
  const catalogue = await cached(run.cache, 'stressCatalogue', () => activeStressScenarios(tx));
  const { results, summary, portfolio } = stressState(state, asStressScenarios(catalogue));
  const byId = new Map(catalogue.map((c) => [c.id, c]));
  const rows = results.map((r) => ({
    portfolioId: state.id, scenarioId: r.scenarioId, asOf: run.asOf, runId: run.runId,
    directPnl: round2(r.directPnlUsd), correlatedPnl: round2(r.totalPnlUsd), correlationEffect: round2(r.propagatedPnlUsd),
    pnlPctNav: r.pctOfNav, exceedsPortfolioValue: r.exceedsPortfolioValue,
    factorImpacts: Object.fromEntries(r.factorImpacts.map((f) => [f.factor, { shock: f.shock, shockUnits: f.shockUnits, exposureUsd: round2(f.exposureUsd), pnlUsd: round2(f.pnlUsd), implied: f.implied }])),
    positionContributions: r.positionContributions.map((c) => ({ positionId: c.id, directPnlUsd: round2(c.directPnlUsd) })),
    metadata: { scenarioName: byId.get(r.scenarioId)!.name, category: r.category, method: r.method, navUsd: round2(portfolio.navUsd), warnings: r.warnings },
  }));
  const n = await replacePortfolioRows(tx, stressTestResults, ['portfolioId', 'scenarioId', 'asOf'], rows, { portfolioId: state.id, asOf: run.asOf, runId: run.runId });
  const warnings = summary.skippedReasons.map((s) => `scenario ${s.scenarioId} skipped: ${s.reason}`);
  return { rows: n, warnings, metrics: { tested: summary.tested, worstScenarioId: summary.worstScenarioId, worstPnlUsd: summary.worstPnlUsd } };
};
