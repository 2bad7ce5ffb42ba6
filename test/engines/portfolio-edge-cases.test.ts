import { describe, expect, test } from 'vitest';
import { denseMatrix } from '../../engines/common/dense-matrix.ts';
import { correlationMatrix } from '../../engines/correlation/correlation-matrix.ts';
import { diversification } from '../../engines/correlation/diversification.ts';
import { signAdjustedCorrelation } from '../../engines/correlation/sign-adjusted.ts';
import { factorRollup } from '../../engines/regression/factor-rollup.ts';
import { historicalPnl } from '../../engines/risk/historical-pnl.ts';
import { historicalVar } from '../../engines/risk/historical-var.ts';
import { parametricVar } from '../../engines/risk/parametric-var.ts';
import { optionMarketScenarios } from '../../engines/scenarios/option-scenarios.ts';
import { runStressTests } from '../../engines/stress/stress-run.ts';

/** Empty and all-short books through the risk, correlation, roll-up and stress engines (ISSUE-4 edge cases). */
const market = denseMatrix(Float64Array.from({ length: 20 }, (_, i) => (i + 1) / 100), 20, 1); // returns 1 %, 2 %, …, 20 %
const z99 = 2.3263478740408408; // scipy.stats.norm.ppf(0.99)

describe('empty portfolio: defined zero results or a typed error', () => {
  test('historical P&L of no positions is 0 every day, so historical VaR/CVaR are 0', () => {
    const pnl = historicalPnl(denseMatrix(new Float64Array(0), 30, 0), []);
    expect([...pnl]).toEqual(new Array(30).fill(0));
    const v = historicalVar(pnl, 0.99);
    expect([v.var1d, v.cvar1d, v.var10dSqrt, v.var10dOverlapping].map((x) => (x ?? Number.NaN) + 0)).toEqual([0, 0, 0, 0]);
  });
  test('parametric VaR of no exposures is 0', () => {
    const v = parametricVar({ covariance: denseMatrix(new Float64Array(0), 0, 0), exposuresUsd: [], confidence: 0.95 });
    expect([v.sigmaUsd, v.var1d, v.var10d]).toEqual([0, 0, 0]);
  });
  test('correlation matrix of no series is empty; diversification of no weights is INVALID_INPUT', () => {
    const c = correlationMatrix(denseMatrix(new Float64Array(0), 0, 252), []);
    expect([c.names.length, c.rho.length]).toEqual([0, 0]);
    expect(() => diversification(new Float64Array(0), [])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
  test('every stress scenario gives 0 P&L, no percentage of a zero NAV, nothing flagged', () => {
    const run = runStressTests([{ id: 'm', shockedFactors: { Market: -0.3 } }, { id: 'r', shockedFactors: { Interest_Rate: 0.01 } }], [],
      { navUsd: 0, longValueUsd: 0, shortValueUsd: 0 }, { exposureModel: 'univariate' });
    expect(run.results.map((r) => [r.totalPnlUsd, r.pctOfNav, r.exceedsPortfolioValue])).toEqual([[0, null, false], [0, null, false]]);
    expect(run.summary.worstPnlUsd).toBe(0);
  });
  test('option market scenarios of no options are 0 for every shock', () => {
    expect(optionMarketScenarios([]).map((r) => r.fullRevaluationPnlUsd)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('all-short portfolio', () => {
  test('historical P&L = Σ E r with E < 0: $−100 short on returns 1 %…20 % loses 1…20; 95 % VaR = 19.05 (hand: −20 + 0.95 × 1)', () => {
    const pnl = historicalPnl(market, [-100]);
    pnl.forEach((p, i) => expect(p).toBeCloseTo(-(i + 1), 12));
    expect(historicalVar(pnl, 0.95).var1d).toBeCloseTo(19.05, 10);
    expect(historicalVar(historicalPnl(market, [100]), 0.95).var1d).toBeLessThan(0); // the long mirror only gains: negative VaR
  });
  test('parametric VaR is sign-symmetric: σ = 1 %, −$1m → z₉₉ × 10,000', () => {
    const v = parametricVar({ covariance: denseMatrix(Float64Array.of(1e-4), 1, 1), exposuresUsd: [-1e6], confidence: 0.99 });
    expect(v.var1d).toBeCloseTo(z99 * 10_000, 8);
  });
  test('factor roll-up keeps the sign: −100k β 1.2 and −50k β 0.8 → −$160,000; NAV 150k (300k cash) → β −1.0667', () => {
    const r = factorRollup([{ id: 'A', deltaAdjExposureUsd: -100_000, betas: [1.2] }, { id: 'B', deltaAdjExposureUsd: -50_000, betas: [0.8] }], ['Market'], 150_000);
    expect(r.factorDollarUsd[0]).toBeCloseTo(-160_000, 9);
    expect(r.portfolioBeta[0]).toBeCloseTo(-160_000 / 150_000, 12);
  });
  test('two shorts are not a hedge: sign-adjusted ρ unchanged, effective N = 1/(0.25 + 0.25 + 2 × 0.25 × 0.5) = 4/3 as for two longs', () => {
    const rho = Float64Array.of(1, 0.5, 0.5, 1);
    expect([...signAdjustedCorrelation(rho, [-1, -1])]).toEqual([1, 0.5, 0.5, 1]);
    expect(diversification(rho, [-0.5, -0.5]).effectivePositions).toBeCloseTo(4 / 3, 14);
  });
});
