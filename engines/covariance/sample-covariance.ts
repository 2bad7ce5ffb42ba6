import type { DenseMatrix } from '../common/dense-matrix.ts';
import { checkPanel, type CovarianceMatrix } from './covariance-matrix.ts';
import { weightedCovariance } from './weighted-covariance.ts';

export { checkPanel, type CovarianceMatrix } from './covariance-matrix.ts';

/**
 * Sample covariance matrix of factor (or asset) daily returns, divisor n − 1:
 * Σ_ab = Σ_t (x_ta − x̄_a)(x_tb − x̄_b) / (n − 1); matches `numpy.cov(X, rowvar=False)`.
 * `weightedCovariance` with unit weights, unbiased. Two-pass (centred) for accuracy.
 * @param returns n × k row-major panel (days × series), aligned on common dates, no NaN.
 * @throws EngineError INVALID_INPUT (names/columns mismatch, non-finite value), INSUFFICIENT_DATA (n < 2).
 * @example sampleCovariance(fromColumns([a, b]), ['SPY', 'TLT']).matrix.data // [var a, cov, cov, var b]
 */
export function sampleCovariance(returns: DenseMatrix, names: readonly string[]): CovarianceMatrix {
  checkPanel(returns, names, 2);
  return weightedCovariance(returns, names, { weights: new Float64Array(returns.rows).fill(1), biased: false });
}
