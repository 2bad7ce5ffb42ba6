import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededVariates } from '../../../engines/montecarlo/random.ts';
import { covarianceRoot } from '../../../engines/montecarlo/covariance-root.ts';
import { orderStatisticRanks, tailEstimate } from '../../../engines/montecarlo/tail-estimates.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { normCdf } from '../../../engines/common/normal.ts';
import { studentTTwoSidedP } from '../../../engines/common/student-t.ts';
import { historicalVarLevels } from '../../../engines/risk/historical-var.ts';

/** Kolmogorov–Smirnov statistic D_n of a sample against a CDF. */
function ksStatistic(x: Float64Array, cdf: (v: number) => number): number {
  const s = x.slice().sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, (i + 1) / s.length - f, f - i / s.length);
  }
  return d;
}
const moments = (x: Float64Array) => {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  return { mean: m, variance: v2 / (x.length - 1) };
};
// KS critical value at 1 %: 1.628 / √n (Smirnov's asymptotic distribution).
const KS_1PCT = 1.628;
const N = 100_000;

describe('seeded variates (pure-rand xoroshiro128+)', () => {
  test('normals: mean 0, variance 1 and the KS distance to Φ within their 1 % bounds', () => {
    const r = new SeededVariates(12345);
    const x = Float64Array.from({ length: N }, () => r.normal());
    const { mean, variance } = moments(x);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(ksStatistic(x, normCdf)).toBeLessThan(KS_1PCT / Math.sqrt(N));
  });
  test('gamma(2.5): mean and variance 2.5 (Marsaglia–Tsang)', () => {
    const r = new SeededVariates(7);
    const x = Float64Array.from({ length: N }, () => r.gamma(2.5));
    const { mean, variance } = moments(x);
    expect(Math.abs(mean - 2.5)).toBeLessThan(4 * Math.sqrt(2.5 / N));
    expect(Math.abs(variance - 2.5)).toBeLessThan(0.1);
    expect(x.every((v) => v > 0)).toBe(true);
  });
  test('Student-t (ν = 6) draws z·√((ν−2)/W): unit variance, and t₆-distributed once rescaled by √(ν/(ν−2))', () => {
    const r = new SeededVariates(99);
    const nu = 6;
    const x = Float64Array.from({ length: N }, () => r.studentTScale(nu) * r.normal());
    expect(Math.abs(moments(x).variance - 1)).toBeLessThan(0.04);
    const tCdf = (v: number) => (v < 0 ? 0.5 * studentTTwoSidedP(v, nu) : 1 - 0.5 * studentTTwoSidedP(v, nu));
    // scipy.stats.t.cdf(−1.5, 6) = 0.09214036807074101 checks the CDF used here
    expect(tCdf(-1.5)).toBeCloseTo(0.09214036807074101, 10);
    const back = x.map((v) => v * Math.sqrt(nu / (nu - 2)));
    expect(ksStatistic(back, tCdf)).toBeLessThan(KS_1PCT / Math.sqrt(N));
  });
  test('same seed, same stream; different seeds, different streams; non-integer seeds refused', () => {
    const a = new SeededVariates(1), b = new SeededVariates(1), c = new SeededVariates(2);
    const sa = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uniform())).not.toEqual(sa);
    expect(sa.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(() => new SeededVariates(0.5)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('covariance root', () => {
  const product = (a: Float64Array, k: number) => Float64Array.from({ length: k * k }, (_, ij) => {
    const i = Math.floor(ij / k), j = ij % k;
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * a[j * k + t]!;
    return s;
  });
  test('Cholesky of [[4, 2], [2, 5]] is [[2, 0], [1, 2]] (by hand)', () => {
    const r = covarianceRoot(denseMatrix(Float64Array.of(4, 2, 2, 5), 2, 2));
    expect(r.method).toBe('cholesky');
    expect(Array.from(r.root)).toEqual([2, 0, 1, 2]);
    expect(r.warnings).toEqual([]);
  });
  test('a rank-1 matrix: eigen root with A Aᵀ = Σ and a warning', () => {
    const v = [0.01, -0.02, 0.005];
    const sigma = Float64Array.from({ length: 9 }, (_, ij) => v[Math.floor(ij / 3)]! * v[ij % 3]!);
    const r = covarianceRoot(denseMatrix(sigma, 3, 3));
    expect(r.method).toBe('eigen');
    expect(r.warnings[0]).toMatch(/2 eigenvalue\(s\) ≤ 1e-10/);
    product(r.root, 3).forEach((x, i) => expect(Math.abs(x - sigma[i]!)).toBeLessThan(1e-15));
  });
  test('zero matrix → zero root; not PSD, asymmetric or non-square → INVALID_INPUT', () => {
    expect(Array.from(covarianceRoot(denseMatrix(new Float64Array(4), 2, 2)).root)).toEqual([0, 0, 0, 0]);
    const invalid = expect.objectContaining({ code: 'INVALID_INPUT' });
    expect(() => covarianceRoot(denseMatrix(Float64Array.of(1, 2, 2, 1), 2, 2))).toThrow(invalid);
    expect(() => covarianceRoot(denseMatrix(Float64Array.of(1, 0.1, 0.2, 1), 2, 2))).toThrow(invalid);
    expect(() => covarianceRoot(denseMatrix(Float64Array.of(1, 0, 0, 1, 0, 0), 2, 3))).toThrow(invalid);
  });
});

describe('tail estimates', () => {
  const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/montecarlo-scipy.json'), 'utf8')) as { ranks: { n: number; p: number; l: number; u: number }[] };
  test.each(fx.ranks)('order-statistic ranks for n = $n, p = $p match scipy.stats.binom ($l, $u)', ({ n, p, l, u }) => {
    expect(orderStatisticRanks(n, p)).toEqual([l, u]);
  });
  test('hand-computed: P&L −1..−20 at 95 % → VaR 19.05, CVaR 20 (historical-var convention)', () => {
    const s = Float64Array.from({ length: 20 }, (_, i) => -(20 - i));
    const t = tailEstimate(s, 0.95);
    expect(t.varUsd).toBeCloseTo(19.05, 12);
    expect(t.cvarUsd).toBe(20);
    expect(t.tailCount).toBe(1);
  });
  test('same VaR and CVaR as historicalVarLevels on one sample', () => {
    const r = new SeededVariates(3);
    const x = Float64Array.from({ length: 5000 }, () => 1000 * r.normal() + 50);
    const sorted = x.slice().sort();
    const h = historicalVarLevels(x, [0.95, 0.99]);
    for (const [i, c] of [0.95, 0.99].entries()) {
      const t = tailEstimate(sorted, c);
      expect(t.varUsd).toBe(h[i]!.var1d);
      expect(t.cvarUsd).toBeCloseTo(h[i]!.cvar1d, 9);
    }
  });
  test('interval coverage: over 400 normal samples of 2,000 draws, the 99 % VaR and CVaR intervals cover the truth ≈ 95 % of the time', () => {
    // truth for N(0, 1): VaR₉₉ = 2.3263478740408408, CVaR₉₉ = φ(z)/0.01 = 2.665214220345808 (scipy)
    const r = new SeededVariates(2718);
    let coverVar = 0, coverCvar = 0;
    const runs = 400;
    for (let k = 0; k < runs; k++) {
      const s = Float64Array.from({ length: 2000 }, () => r.normal()).sort();
      const t = tailEstimate(s, 0.99);
      if (t.varCi95[0] <= 2.3263478740408408 && 2.3263478740408408 <= t.varCi95[1]) coverVar++;
      if (t.cvarCi95[0] <= 2.665214220345808 && 2.665214220345808 <= t.cvarCi95[1]) coverCvar++;
    }
    // binomial(400, 0.95): sd ≈ 4.4 hits; the order-statistic interval is conservative (≥ 95 %)
    expect(coverVar / runs).toBeGreaterThan(0.92);
    expect(coverVar / runs).toBeLessThan(0.995);
    expect(coverCvar / runs).toBeGreaterThan(0.88);
    expect(coverCvar / runs).toBeLessThan(0.99);
  });
});
