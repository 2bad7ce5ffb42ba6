import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import { ewmaCovariance } from '../../../engines/covariance/ewma-covariance.ts';
import { weightedCovariance } from '../../../engines/covariance/weighted-covariance.ts';
import { checkCovariance } from '../../../engines/covariance/covariance-matrix.ts';
import { conditionalFactorMoves } from '../../../engines/covariance/conditional-moves.ts';
import { conditionalFactorMoves as legacyConditionalMoves } from '../../../engines/stress/factor-covariance.ts';
import { runStressScenario } from '../../../engines/stress/stress-scenario.ts';
import { denseMatrix, fromColumns } from '../../../engines/common/dense-matrix.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy 2.4.6 `np.cov(ddof=1)` and an explicit λ^age-weighted covariance on the 7 factor
// ETFs' last 252 simple returns ending 2026-07-13 (test/fixtures/stats-numpy.json,
// `python3 test/fixtures/gen_stats_numpy.py`). Tolerance 1e-9 relative.
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/stats-numpy.json'), 'utf8')).covariance as {
  factors: string[]; dates: string[]; sample: number[]; ewma: Record<string, { matrix: number[]; effectiveSampleSize: number }>;
};
const w = windowCloses(['AAPL', 'XOM', 'JPM', 'NVDA', ...fx.factors], 253);
const panel = fromColumns(w.closes.slice(4).map(simpleReturns));
const expectRel = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.abs(b));

describe('factor covariance vs numpy', () => {
  test('sample covariance (n − 1)', () => {
    expect(w.dates).toEqual(fx.dates);
    const c = sampleCovariance(panel, fx.factors);
    expect(c.names).toEqual(fx.factors);
    expect(c.observations).toBe(252);
    c.matrix.data.forEach((v, i) => expectRel(v, fx.sample[i]!));
  });
  test.each(['0.94', '0.97'])('EWMA λ = %s and its effective sample size', (lam) => {
    const c = ewmaCovariance(panel, fx.factors, Number(lam));
    c.matrix.data.forEach((v, i) => expectRel(v, fx.ewma[lam]!.matrix[i]!));
    expectRel(c.effectiveSampleSize, fx.ewma[lam]!.effectiveSampleSize);
  });
  test('EWMA covariance is symmetric PSD', () => {
    const c = ewmaCovariance(panel, fx.factors, 0.97);
    const m = new Matrix(7, 7);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) {
      expect(c.matrix.data[i * 7 + j]).toBe(c.matrix.data[j * 7 + i]);
      m.set(i, j, c.matrix.data[i * 7 + j]!);
    }
    expect(Math.min(...new EigenvalueDecomposition(m, { assumeSymmetric: true }).realEigenvalues)).toBeGreaterThan(0);
  });
});

describe('covariance edge cases', () => {
  test('λ = 1 is the equal-weight (divisor n) covariance with ESS = n', () => {
    const x = fromColumns([new Float64Array([1, 2, 3, 4]), new Float64Array([2, 1, 4, 3])]);
    const e = ewmaCovariance(x, ['a', 'b'], 1);
    const s = sampleCovariance(x, ['a', 'b']);
    e.matrix.data.forEach((v, i) => expect(v).toBeCloseTo((s.matrix.data[i]! * 3) / 4, 15));
    expect(e.effectiveSampleSize).toBeCloseTo(4, 12);
  });
  test('constant series has zero variance; short, NaN and bad λ are typed errors', () => {
    const x = fromColumns([new Float64Array([0.01, 0.01, 0.01]), new Float64Array([0.01, 0.02, 0.03])]);
    expect(sampleCovariance(x, ['a', 'b']).matrix.data[0]).toBe(0);
    expect(() => sampleCovariance(denseMatrix(new Float64Array([1, 2]), 1, 2), ['a', 'b'])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => sampleCovariance(denseMatrix(new Float64Array([1, Number.NaN, 1, 2]), 2, 2), ['a', 'b'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => ewmaCovariance(x, ['a', 'b'], 0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => ewmaCovariance(x, ['a'], 0.9)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('one covariance family: estimator output feeds stress propagation directly', () => {
  test('m_Value = Σ_VM / Σ_MM × s from the sample covariance of the bundled factors, same through the legacy shape', () => {
    const c = sampleCovariance(panel, fx.factors);
    const k = fx.factors.length;
    const m = fx.factors.indexOf('SPY'), v = fx.factors.indexOf('VTV');
    // Hand formula on the numpy fixture values (single shocked factor: regression coefficient).
    const expected = (fx.sample[v * k + m]! / fx.sample[m * k + m]!) * -0.1;
    const fromEstimator = conditionalFactorMoves(c, new Map([['SPY', -0.1]])).moves.get('VTV')!;
    const fromLegacy = conditionalFactorMoves({ factors: fx.factors, values: c.matrix.data }, new Map([['SPY', -0.1]])).moves.get('VTV')!;
    expectRel(fromEstimator, expected);
    expect(fromLegacy).toBe(fromEstimator);
    expect(legacyConditionalMoves).toBe(conditionalFactorMoves);
  });
  test('stress with an EWMA covariance: total − direct = E_Value × m_Value', () => {
    const c = ewmaCovariance(panel, fx.factors, 0.97);
    const k = fx.factors.length, m = fx.factors.indexOf('SPY'), v = fx.factors.indexOf('VTV');
    const mv = (fx.ewma['0.97']!.matrix[v * k + m]! / fx.ewma['0.97']!.matrix[m * k + m]!) * -0.1;
    const r = runStressScenario({ id: 'm', shockedFactors: { SPY: -0.1 } }, [{ id: 'p', factorExposuresUsd: { SPY: 1e5, VTV: 5e4 } }],
      { navUsd: 1e5, longValueUsd: 1e5, shortValueUsd: 0 }, { exposureModel: 'multivariate', covariance: c });
    expectRel(r.directPnlUsd, -1e4);
    expectRel(r.propagatedPnlUsd, 5e4 * mv);
  });
  test('weightedCovariance: unit weights unbiased = sample; numpy aweights divisor Σw − Σw²/Σw', () => {
    const x = fromColumns([new Float64Array([1, 2, 4, 7]), new Float64Array([2, 1, 4, 3])]);
    // numpy 2.4.6: np.cov([[1,2,4,7],[2,1,4,3]], aweights=[1,2,3,4]) → [[7.21428571, 1.71428571], [1.71428571, 1.65714286]];
    // by hand: Σw = 10, μ = (4.5, 2.8), co-moments 50.5, 12, 11.6, divisor 10 − 30/10 = 7.
    const c = weightedCovariance(x, ['a', 'b'], { weights: Float64Array.of(1, 2, 3, 4), biased: false });
    [50.5 / 7, 12 / 7, 12 / 7, 11.6 / 7].forEach((e, i) => expect(c.matrix.data[i]).toBeCloseTo(e, 13));
    const u = weightedCovariance(x, ['a', 'b'], { weights: Float64Array.of(1, 1, 1, 1), biased: false });
    expect([...u.matrix.data]).toEqual([...sampleCovariance(x, ['a', 'b']).matrix.data]);
  });
  test('checkCovariance rejects mismatched shapes in either form', () => {
    expect(() => checkCovariance({ factors: ['a', 'b'], values: Float64Array.of(1, 0, 0) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => checkCovariance({ names: ['a'], matrix: denseMatrix(Float64Array.of(1, 0, 0, 1), 2, 2), observations: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
