import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { checkPanel, type CovarianceMatrix } from './covariance-matrix.ts';
import { weightedCovariance } from './weighted-covariance.ts';

export interface EwmaCovariance extends CovarianceMatrix {
  lambda: number;
  /** Kish effective sample size (Σw)²/Σw² of the normalised weights. */
  effectiveSampleSize: number;
}

/**
 * Exponentially weighted covariance of daily returns (engines.md §8.2, §8.10, Appendix B):
 * weights w_t ∝ λ^{age_t} with age 0 for the newest row (the last row of the panel), normalised
 * to Σw = 1; weighted means μ_a = Σ_t w_t x_ta; Σ_ab = Σ_t w_t (x_ta − μ_a)(x_tb − μ_b)
 * (no small-sample bias correction): `weightedCovariance` with these weights, biased. Memory:
 * λ = 0.94 ≈ 17 days, 0.97 ≈ 33, 0.99 ≈ 100; the effective sample size (Σw)²/Σw² is reported.
 * λ = 1 gives equal weights (divisor n).
 * @param lambda decay in (0, 1].
 * @throws EngineError INVALID_INPUT (λ outside (0, 1], shape mismatch, non-finite), INSUFFICIENT_DATA (n < 2).
 * @example ewmaCovariance(panel, names, 0.97).effectiveSampleSize // ≈ 65.7 for n = 252
 */
export function ewmaCovariance(returns: DenseMatrix, names: readonly string[], lambda: number): EwmaCovariance {
  if (!(lambda > 0 && lambda <= 1)) throw new EngineError('INVALID_INPUT', `lambda must be in (0, 1], got ${lambda}`);
  checkPanel(returns, names, 2);
  const n = returns.rows;
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
  const cov = weightedCovariance(returns, names, { weights: w, biased: true });
  return { ...cov, lambda, effectiveSampleSize: 1 / sw2 };
}
