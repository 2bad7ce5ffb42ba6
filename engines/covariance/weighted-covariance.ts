import type { DenseMatrix } from '../common/dense-matrix.ts';
import { checkPanel, type CovarianceMatrix } from './covariance-matrix.ts';

export interface CovarianceWeighting {
  /** One non-negative weight per row (observation); need not sum to 1. */
  weights: Float64Array;
  /**
   * true: divisor Σw (population / EWMA convention). false: reliability-weight bias correction,
   * divisor Σw − Σw²/Σw, which is n − 1 for unit weights (numpy `cov(aweights=w)` convention).
   */
  biased: boolean;
}

/**
 * The one covariance estimator of this family; `sampleCovariance` and `ewmaCovariance` are its
 * two weightings. Weighted means μ_a = Σ_t w_t x_ta / Σw, then two-pass (centred) co-moments
 * Σ_ab = Σ_t w_t (x_ta − μ_a)(x_tb − μ_b) / D with D = Σw (biased) or Σw − Σw²/Σw (unbiased).
 * Output is exactly symmetric (upper triangle mirrored), row-major, in the input's names order.
 * The caller has validated the panel (`checkPanel`) and the weights (finite, ≥ 0, Σw > 0).
 * @example weightedCovariance(fromColumns([Float64Array.of(1, 2, 3)]), ['a'], { weights: Float64Array.of(1, 1, 1), biased: false }).matrix.data // [1]
 */
export function weightedCovariance(returns: DenseMatrix, names: readonly string[], w: CovarianceWeighting): CovarianceMatrix {
  checkPanel(returns, names, 2);
  const { rows: n, cols: k, data } = returns;
  const { weights } = w;
  let sw = 0, sw2 = 0;
  for (let t = 0; t < n; t++) {
    sw += weights[t]!;
    sw2 += weights[t]! * weights[t]!;
  }
  const means = new Float64Array(k);
  for (let t = 0; t < n; t++) for (let a = 0; a < k; a++) means[a]! += weights[t]! * data[t * k + a]!;
  for (let a = 0; a < k; a++) means[a]! /= sw;
  const out = new Float64Array(k * k);
  const dev = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    for (let a = 0; a < k; a++) dev[a] = data[t * k + a]! - means[a]!;
    const wt = weights[t]!;
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[a * k + b]! += wt * dev[a]! * dev[b]!;
  }
  const divisor = w.biased ? sw : sw - sw2 / sw;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const v = out[a * k + b]! / divisor;
      out[a * k + b] = v;
      out[b * k + a] = v;
    }
  }
  return { names, matrix: { data: out, rows: k, cols: k }, observations: n };
}
