import { readFileSync } from 'node:fs';
import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { activeStressScenarios } from '../../../engines/stress/catalogue.ts';
import { conditionalFactorMoves } from '../../../engines/covariance/conditional-moves.ts';
import { factorExposuresFromBetas } from '../../../engines/stress/factor-exposures.ts';
import { runStressTests } from '../../../engines/stress/stress-run.ts';
import { runStressScenario, type StressPosition } from '../../../engines/stress/stress-scenario.ts';

/** engines.md §8.11: long AAPL +$100,000 β_M 1.2, short XOM −$50,000 β_M 0.8 (NAV here: net 50,000). */
const worked: StressPosition[] = [
  { id: 'AAPL', factorExposuresUsd: factorExposuresFromBetas(100_000, { Market: 1.2 }) },
  { id: 'XOM', factorExposuresUsd: factorExposuresFromBetas(-50_000, { Market: 0.8 }) },
];
const workedPf = { navUsd: 50_000, longValueUsd: 100_000, shortValueUsd: -50_000 };
const down10 = { id: 'market_down_10', category: 'market', shockedFactors: { Market: -0.1 } };

describe('engines.md §8.11 worked example', () => {
  test('(100,000 × 1.2 − 50,000 × 0.8) × −0.10 = −8,000 exactly, split −12,000 / +4,000', () => {
    const r = runStressScenario(down10, worked, workedPf, { exposureModel: 'univariate' });
    expect(r.directPnlUsd).toBe(-8000);
    expect(r.totalPnlUsd).toBe(-8000);
    expect(r.method).toBe('direct_only');
    expect(r.positionContributions).toEqual([
      { id: 'AAPL', directPnlUsd: -12_000, totalPnlUsd: -12_000 },
      { id: 'XOM', directPnlUsd: 4_000, totalPnlUsd: 4_000 },
    ]);
    expect(r.factorImpacts).toEqual([{ factor: 'Market', shock: -0.1, shockUnits: 'return', implied: false, exposureUsd: 80_000, pnlUsd: -8000 }]);
    expect(r.pctOfNav).toBeCloseTo(-0.16, 15);
  });
  test('multivariate with a covariance in which Market is uncorrelated: total == direct == −8,000 (nothing counted twice)', () => {
    const cov = { factors: ['Market', 'Value'], values: Float64Array.of(0.04, 0, 0, 0.01) };
    const pos = [...worked, { id: 'VTV', factorExposuresUsd: { Value: 30_000 } }];
    const r = runStressScenario(down10, pos, workedPf, { exposureModel: 'multivariate', covariance: cov });
    expect([r.directPnlUsd, r.totalPnlUsd, r.propagatedPnlUsd]).toEqual([-8000, -8000, 0]);
    expect(r.method).toBe('conditional_expectation');
  });
});

describe('conditional-expectation propagation m_U = Σ_US Σ_SS⁻¹ s_S', () => {
  test('two factors: m_Value = σ_MV/σ_MM × s = 0.02/0.04 × −0.1 = −0.05; E_Value 10,000 adds −500', () => {
    const cov = { factors: ['Market', 'Value'], values: Float64Array.of(0.04, 0.02, 0.02, 0.09) };
    expect(conditionalFactorMoves(cov, new Map([['Market', -0.1]])).moves.get('Value')).toBeCloseTo(-0.05, 15);
    const r = runStressScenario(down10, [{ id: 'p', factorExposuresUsd: { Market: 80_000, Value: 10_000 } }], workedPf, { exposureModel: 'multivariate', covariance: cov });
    expect(r.directPnlUsd).toBeCloseTo(-8000, 9);
    expect(r.propagatedPnlUsd).toBeCloseTo(-500, 9);
    expect(r.totalPnlUsd).toBeCloseTo(-8500, 9);
    expect(r.factorImpacts.find((f) => f.factor === 'Value')).toMatchObject({ implied: true, exposureUsd: 10_000 });
  });
  test('three factors, two shocked (hand solve: Σ_SS = [[4,2],[2,9]]e-4, x = 1e4/32·[−1.0, 0.4], m_Size = 0.2/32)', () => {
    const cov = { factors: ['Market', 'Value', 'Size'], values: Float64Array.from([4, 2, 1, 2, 9, 3, 1, 3, 16], (v) => v * 1e-4) };
    const m = conditionalFactorMoves(cov, new Map([['Market', -0.1], ['Value', 0.05]]));
    expect(m.moves.get('Size')).toBeCloseTo(0.2 / 32, 14);
    expect(m.jitter).toBe(0);
  });
  test('non-PD Σ_SS (two perfectly correlated shocked factors) gets a recorded jitter', () => {
    const cov = { factors: ['A', 'B', 'C'], values: Float64Array.of(0.04, 0.04, 0.01, 0.04, 0.04, 0.01, 0.01, 0.01, 0.04) };
    const r = runStressScenario({ id: 's', shockedFactors: { A: -0.1, B: -0.1 } }, [{ id: 'p', factorExposuresUsd: { C: 1000 } }], workedPf, { exposureModel: 'multivariate', covariance: cov });
    expect(r.jitter).toBeGreaterThan(0);
    expect(r.warnings.some((w) => w.includes('jitter'))).toBe(true);
    expect(r.totalPnlUsd).toBeCloseTo(1000 * 0.25 * -0.1, 3); // m_C ≈ (0.01/0.04) × −0.1 on the common direction
  });
  test('zero-variance shocked factor → SINGULAR_MATRIX; runStressTests skips and counts it', () => {
    const cov = { factors: ['A', 'B'], values: Float64Array.of(0, 0, 0, 0.04) };
    const scn = { id: 'z', shockedFactors: { A: 0.1 } };
    try { runStressScenario(scn, [], workedPf, { exposureModel: 'multivariate', covariance: cov }); expect.unreachable(); }
    catch (e) { expect((e as EngineError).code).toBe('SINGULAR_MATRIX'); }
    const run = runStressTests([scn, { id: 'ok', shockedFactors: { B: 0.1 } }], [], workedPf, { exposureModel: 'multivariate', covariance: cov });
    expect([run.summary.tested, run.summary.skipped, run.summary.skippedReasons[0]?.scenarioId]).toEqual([1, 1, 'z']);
  });
  test('asymmetric covariance → INVALID_INPUT', () => {
    const cov = { factors: ['A', 'B'], values: Float64Array.of(0.04, 0.01, 0.02, 0.04) };
    expect(() => runStressScenario(down10, [], workedPf, { exposureModel: 'multivariate', covariance: cov })).toThrow(EngineError);
  });
});

describe('univariate exposures are never propagated', () => {
  test('a covariance given with univariate exposures is ignored and labelled: total == direct', () => {
    const cov = { factors: ['Market', 'Value'], values: Float64Array.of(0.04, 0.02, 0.02, 0.09) };
    const r = runStressScenario(down10, [{ id: 'p', factorExposuresUsd: { Market: 80_000, Value: 10_000 } }], workedPf, { exposureModel: 'univariate', covariance: cov });
    expect([r.method, r.totalPnlUsd, r.propagatedPnlUsd]).toEqual(['direct_only', r.directPnlUsd, 0]);
    expect(r.warnings[0]).toMatch(/covariance not used/);
  });
});

describe('rates, no loss floor, sanity check', () => {
  test('rate shock +100 bp (0.01 absolute) on −$20/bp exposure = −2,000; shock reported in bp', () => {
    const pos = [{ id: 'tlt', factorExposuresUsd: factorExposuresFromBetas(100_000, { Interest_Rate: -0.0002 }) }];
    const r = runStressScenario({ id: 'rates_up_100bp', shockedFactors: { Interest_Rate: 0.01 } }, pos, workedPf, { exposureModel: 'univariate' });
    expect(r.totalPnlUsd).toBeCloseTo(-2000, 9);
    expect(r.factorImpacts[0]).toMatchObject({ shock: 100, shockUnits: 'bp' });
  });
  test('levered book: −35 % on $300k market exposure with NAV $50k → −105,000 uncapped, flagged, −210 % of NAV', () => {
    const r = runStressScenario({ id: 'crash', shockedFactors: { Market: -0.35 } }, [{ id: 'x', factorExposuresUsd: { Market: 300_000 } }], { navUsd: 50_000, longValueUsd: 300_000, shortValueUsd: 0 }, { exposureModel: 'univariate' });
    expect(r.totalPnlUsd).toBeCloseTo(-105_000, 9);
    expect(r.exceedsPortfolioValue).toBe(true);
    expect(r.pctOfNav).toBeCloseTo(-2.1, 12);
  });
  test('long-only book with β 1.5 under −80 % loses 120 % of long value: reported uncapped and flagged as a sanity violation', () => {
    const r = runStressScenario({ id: 'x', shockedFactors: { Market: -0.8 } }, [{ id: 'a', factorExposuresUsd: { Market: 150_000 } }], { navUsd: 100_000, longValueUsd: 100_000, shortValueUsd: 0 }, { exposureModel: 'univariate' });
    expect(r.totalPnlUsd).toBeCloseTo(-120_000, 9);
    expect(r.warnings.some((w) => w.startsWith('sanity'))).toBe(true);
  });
  test('all-short book gains in a crash', () => {
    const r = runStressScenario(down10, [{ id: 's', factorExposuresUsd: { Market: -60_000 } }], { navUsd: 80_000, longValueUsd: 0, shortValueUsd: -50_000 }, { exposureModel: 'univariate' });
    expect(r.totalPnlUsd).toBeCloseTo(6000, 9);
    expect(r.exceedsPortfolioValue).toBe(false);
  });
});

describe('properties (fast-check)', () => {
  const factors = ['Market', 'Value', 'Growth', 'Size'];
  const covArb = fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 16, maxLength: 16 }).map((a) => {
    const v = new Float64Array(16); // AᵀA + 0.01 I: symmetric positive definite
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      let s = i === j ? 0.01 : 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + i]! * a[k * 4 + j]!;
      v[i * 4 + j] = s;
    }
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) v[i * 4 + j] = v[j * 4 + i]!;
    return { factors, values: v };
  });
  const expArb = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 4 });
  const shockArb = fc.tuple(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.double({ min: -0.5, max: 0.5, noNaN: true }));

  ptest.prop([covArb, expArb, shockArb, fc.double({ min: -3, max: 3, noNaN: true })], { numRuns: 100 })(
    'direct and total P&L scale linearly with the shock vector (1e-9 relative + 1e-6 USD)', (cov, e, [s1, s2], lambda) => {
      const pos = [{ id: 'p', factorExposuresUsd: Object.fromEntries(factors.map((f, i) => [f, e[i]!])) }];
      const run = (k: number) => runStressScenario({ id: 's', shockedFactors: { Market: k * s1, Value: k * s2 } }, pos, workedPf, { exposureModel: 'multivariate', covariance: cov });
      const a = run(1), b = run(lambda);
      expect(Math.abs(b.totalPnlUsd - lambda * a.totalPnlUsd)).toBeLessThanOrEqual(1e-9 * Math.abs(lambda * a.totalPnlUsd) + 1e-6);
      expect(Math.abs(b.directPnlUsd - lambda * a.directPnlUsd)).toBeLessThanOrEqual(1e-9 * Math.abs(lambda * a.directPnlUsd) + 1e-6);
    });

  ptest.prop([covArb, expArb], { numRuns: 50 })('zero shock gives exactly zero P&L', (cov, e) => {
    const pos = [{ id: 'p', factorExposuresUsd: Object.fromEntries(factors.map((f, i) => [f, e[i]!])) }];
    const r = runStressScenario({ id: 's', shockedFactors: { Market: 0, Size: 0 } }, pos, workedPf, { exposureModel: 'multivariate', covariance: cov });
    expect([r.directPnlUsd + 0, r.totalPnlUsd + 0]).toEqual([0, 0]);
  });

  ptest.prop([fc.array(fc.tuple(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 20 }), fc.double({ min: -1, max: 0, noNaN: true })], { numRuns: 100 })(
    'long-only book with betas in [0, 1]: loss ≤ long value for any shock ≥ −100 %, no sanity warning', (rows, shock) => {
      const pos = rows.map(([mv, beta], i) => ({ id: String(i), factorExposuresUsd: factorExposuresFromBetas(mv, { Market: beta }) }));
      const long = rows.reduce((a, [mv]) => a + mv, 0);
      const r = runStressScenario({ id: 's', shockedFactors: { Market: shock } }, pos, { navUsd: long, longValueUsd: long, shortValueUsd: 0 }, { exposureModel: 'univariate' });
      expect(-r.totalPnlUsd).toBeLessThanOrEqual(long * (1 + 1e-12));
      expect(r.warnings.filter((w) => w.startsWith('sanity'))).toEqual([]);
    });
});

describe('the 18-scenario catalogue (db/seed/reference/stress-scenarios.json = spec/stress-scenarios.json)', () => {
  const cat = JSON.parse(readFileSync(new URL('../../../db/seed/reference/stress-scenarios.json', import.meta.url), 'utf8')) as unknown;
  const scenarios = activeStressScenarios(cat);
  test('18 active scenarios: market 4, rates 5, rotation 4, volatility 2, historical 3', () => {
    expect(scenarios.length).toBe(18);
    const counts: Record<string, number> = {};
    for (const s of scenarios) counts[s.category] = (counts[s.category] ?? 0) + 1;
    expect(counts).toEqual({ market: 4, rates: 5, rotation: 4, volatility: 2, historical: 3 });
  });
  test('run over the §8.11 book: market shocks sum to −1.75 → mean −140,000/18; worst −36,000 (−45 %), best +20,000', () => {
    const { results, summary } = runStressTests(scenarios, worked, workedPf, { exposureModel: 'univariate' });
    expect(results.find((r) => r.scenarioId === 'market_down_10')!.totalPnlUsd).toBeCloseTo(-8000, 9);
    expect(summary.tested).toBe(18);
    expect(summary.worstPnlUsd).toBeCloseTo(-36_000, 9);
    expect(summary.worstScenarioId).toBe('financial_crisis_2008');
    expect(summary.bestPnlUsd).toBeCloseTo(20_000, 9);
    expect(summary.meanPnlUsd).toBeCloseTo(-140_000 / 18, 8);
    expect([summary.countNegative, summary.countPositive]).toEqual([8, 2]);
    expect(summary.categoriesTested).toEqual(['historical', 'market', 'rates', 'rotation', 'volatility']);
    const rates = results.find((r) => r.scenarioId === 'rates_up_100bp')!;
    expect(rates.totalPnlUsd).toBe(0);
    expect(rates.warnings).toEqual(['no exposure to shocked factor Interest_Rate: contributes 0']);
  });
  test('malformed catalogue → INVALID_INPUT', () => {
    expect(() => activeStressScenarios({ scenarios: [] })).toThrow(EngineError);
    expect(() => activeStressScenarios({ scenarios: [{ id: 'x', name: 'x', shocked_factors: { Bogus: 0.1 }, active: true }], configuration: {}, factor_mappings: { Market: 'SPY' } })).toThrow(EngineError);
  });
});
