import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';

export interface CovarianceMatrix {
  /** Series names in row/column order. */
  names: readonly string[];
  /** k × k row-major covariance of daily returns (decimal² per day). */
  matrix: DenseMatrix;
  observations: number;
}

/** Checks an n × k return panel (no NaN: align on common dates first) and its names. */
export function checkPanel(returns: DenseMatrix, names: readonly string[], minRows: number): void {
  if (names.length !== returns.cols) throw new EngineError('INVALID_INPUT', `${names.length} names for ${returns.cols} columns`);
  if (returns.cols === 0) throw new EngineError('INVALID_INPUT', 'no series');
  if (returns.rows < minRows) throw new EngineError('INSUFFICIENT_DATA', `${returns.rows} observations, at least ${minRows} required`);
  for (let i = 0; i < returns.data.length; i++) {
    if (!Number.isFinite(returns.data[i]!)) throw new EngineError('INVALID_INPUT', `non-finite return at row ${Math.floor(i / returns.cols)}`);
  }
}

/**
 * Sample covariance matrix of factor (or asset) daily returns, divisor n − 1:
 * Σ_ab = Σ_t (x_ta − x̄_a)(x_tb − x̄_b) / (n − 1); matches `numpy.cov(X, rowvar=False)`.
 * Two-pass (centred) for accuracy. Output is symmetric, row-major, with the input's names.
 * @param returns n × k row-major panel (days × series), aligned on common dates, no NaN.
 * @throws EngineError INVALID_INPUT (names/columns mismatch, non-finite value), INSUFFICIENT_DATA (n < 2).
 * @example sampleCovariance(fromColumns([a, b]), ['SPY', 'TLT']).matrix.data // [var a, cov, cov, var b]
 */
export function sampleCovariance(returns: DenseMatrix, names: readonly string[]): CovarianceMatrix {
  checkPanel(returns, names, 2);
  const { rows: n, cols: k, data } = returns;
  const means = new Float64Array(k);
  for (let t = 0; t < n; t++) for (let a = 0; a < k; a++) means[a]! += data[t * k + a]!;
  for (let a = 0; a < k; a++) means[a]! /= n;
  const out = new Float64Array(k * k);
  const dev = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    for (let a = 0; a < k; a++) dev[a] = data[t * k + a]! - means[a]!;
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[a * k + b]! += dev[a]! * dev[b]!;
  }
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const v = out[a * k + b]! / (n - 1);
      out[a * k + b] = v;
      out[b * k + a] = v;
    }
  }
  return { names, matrix: { data: out, rows: k, cols: k }, observations: n };
}
