import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { type CovarianceMatrix, checkPanel } from './sample-covariance.ts';

export interface EwmaCovariance extends CovarianceMatrix {
  lambda: number;
  /** Kish effective sample size (Σw)²/Σw² of the normalised weights. */
  effectiveSampleSize: number;
}

/**
 * Exponentially weighted covariance of daily returns (engines.md §8.2, §8.10, Appendix B):
 * weights w_t ∝ λ^{age_t} with age 0 for the newest row (the last row of the panel), normalised
 * to Σw = 1; weighted means μ_a = Σ_t w_t x_ta; Σ_ab = Σ_t w_t (x_ta − μ_a)(x_tb − μ_b)
 * (no small-sample bias correction). Memory: λ = 0.94 ≈ 17 days, 0.97 ≈ 33, 0.99 ≈ 100; the
 * effective sample size (Σw)²/Σw² is reported. λ = 1 gives equal weights (divisor n).
 * @param lambda decay in (0, 1].
 * @throws EngineError INVALID_INPUT (λ outside (0, 1], shape mismatch, non-finite), INSUFFICIENT_DATA (n < 2).
 * @example ewmaCovariance(panel, names, 0.97).effectiveSampleSize // ≈ 65.7 for n = 252
 */
export function ewmaCovariance(returns: DenseMatrix, names: readonly string[], lambda: number): EwmaCovariance {
  if (!(lambda > 0 && lambda <= 1)) throw new EngineError('INVALID_INPUT', `lambda must be in (0, 1], got ${lambda}`);
  checkPanel(returns, names, 2);
  const { rows: n, cols: k, data } = returns;
  const w = new Float64Array(n);
  let sw = 0;
  for (let t = n - 1, p = 1; t >= 0; t--, p *= lambda) {
    w[t] = p;
    sw += p;
  }
  let sw2 = 0;
  for (let t = 0; t < n; t++) {
    w[t]! /= sw;
    sw2 += w[t]! * w[t]!;
  }
  const means = new Float64Array(k);
  for (let t = 0; t < n; t++) for (let a = 0; a < k; a++) means[a]! += w[t]! * data[t * k + a]!;
  const out = new Float64Array(k * k);
  const dev = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    for (let a = 0; a < k; a++) dev[a] = data[t * k + a]! - means[a]!;
    const wt = w[t]!;
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[a * k + b]! += wt * dev[a]! * dev[b]!;
  }
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) out[b * k + a] = out[a * k + b]!;
  const matrix: DenseMatrix = { data: out, rows: k, cols: k };
  return { names, matrix, observations: n, lambda, effectiveSampleSize: 1 / sw2 };
}
