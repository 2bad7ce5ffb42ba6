import { median, standardDeviation } from 'simple-statistics';
import { EngineError } from '../errors.ts';
import { runStressScenario, type StressOptions, type StressPortfolio, type StressPosition, type StressResult, type StressScenario } from './stress-scenario.ts';

export interface StressRunSummary {
  tested: number;
  skipped: number;
  /** Scenario ids skipped with the reason (a failing scenario is skipped and counted). */
  skippedReasons: Array<{ scenarioId: string; reason: string }>;
  categoriesTested: string[];
  /** Over total (uncapped) P&L, USD; null when nothing was tested. */
  worstPnlUsd: number | null;
  worstScenarioId: string | null;
  bestPnlUsd: number | null;
  bestScenarioId: string | null;
  meanPnlUsd: number | null;
  medianPnlUsd: number | null;
  /** Population standard deviation, USD. */
  stdPnlUsd: number | null;
  meanPropagatedPnlUsd: number | null;
  countNegative: number;
  countPositive: number;
  countExceedingNav: number;
}

/**
 * Run summary over scenario results (engines.md §8.7 on total P&L): worst, best, mean, median,
 * population std, mean propagation effect, counts negative/positive/exceeding NAV.
 * @example summarizeStressRun([], []).tested // 0
 */
export function summarizeStressRun(results: readonly StressResult[], skipped: Array<{ scenarioId: string; reason: string }>): StressRunSummary {
  const pnl = results.map((r) => r.totalPnlUsd);
  const n = pnl.length;
  let worst: StressResult | null = null, best: StressResult | null = null;
  for (const r of results) {
    if (!worst || r.totalPnlUsd < worst.totalPnlUsd) worst = r;
    if (!best || r.totalPnlUsd > best.totalPnlUsd) best = r;
  }
  return {
    tested: n, skipped: skipped.length, skippedReasons: skipped,
    categoriesTested: [...new Set(results.map((r) => r.category).filter((c): c is string => c !== null))].sort(),
    worstPnlUsd: worst?.totalPnlUsd ?? null, worstScenarioId: worst?.scenarioId ?? null,
    bestPnlUsd: best?.totalPnlUsd ?? null, bestScenarioId: best?.scenarioId ?? null,
    meanPnlUsd: n ? pnl.reduce((a, b) => a + b, 0) / n : null,
    medianPnlUsd: n ? median(pnl) : null,
    stdPnlUsd: n ? standardDeviation(pnl) : null,
    meanPropagatedPnlUsd: n ? results.reduce((a, r) => a + r.propagatedPnlUsd, 0) / n : null,
    countNegative: pnl.filter((x) => x < 0).length,
    countPositive: pnl.filter((x) => x > 0).length,
    countExceedingNav: results.filter((r) => r.exceedsPortfolioValue).length,
  };
}

/**
 * Runs every scenario once over the same exposures and covariance (engines.md §8.10.6) and
 * summarises. A scenario that fails with SINGULAR_MATRIX is skipped and counted; invalid inputs
 * (INVALID_INPUT) propagate because they affect every scenario.
 * @throws EngineError INVALID_INPUT for invalid positions, NAV, covariance or shocks; duplicate scenario ids.
 * @example runStressTests(scenarios, positions, portfolio, { exposureModel: 'univariate' }).summary.worstScenarioId
 */
export function runStressTests(
  scenarios: readonly StressScenario[], positions: readonly StressPosition[], portfolio: StressPortfolio, opts: StressOptions,
): { results: StressResult[]; summary: StressRunSummary } {
  if (new Set(scenarios.map((s) => s.id)).size !== scenarios.length) throw new EngineError('INVALID_INPUT', 'scenario ids must be unique');
  const results: StressResult[] = [];
  const skipped: Array<{ scenarioId: string; reason: string }> = [];
  for (const s of scenarios) {
    try {
      results.push(runStressScenario(s, positions, portfolio, opts));
    } catch (e) {
      if (e instanceof EngineError && e.code === 'SINGULAR_MATRIX') skipped.push({ scenarioId: s.id, reason: e.message });
      else throw e;
    }
  }
  return { results, summary: summarizeStressRun(results, skipped) };
}
