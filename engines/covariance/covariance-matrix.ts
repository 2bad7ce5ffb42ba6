import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';

/**
 * A covariance matrix with its series names: the one shape every estimator in this family
 * returns (`sampleCovariance`, `ewmaCovariance`) and every consumer reads (stress propagation,
 * parametric VaR via `.matrix`). Units are the input's: decimal² per day for daily returns; for a
 * rate factor expressed in basis points of yield change, bp² (and bp × return across factors).
 */
export interface CovarianceMatrix {
  /** Series names in row/column order. */
  names: readonly string[];
  /** k × k row-major covariance. */
  matrix: DenseMatrix;
  /** Rows of the return panel it was estimated from. */
  observations: number;
}

/**
 * Earlier flat shape of a factor covariance (row-major k × k `values` in `factors` order), still
 * accepted wherever a covariance is read; `asCovarianceMatrix` converts it without copying.
 */
export interface FactorCovariance {
  factors: readonly string[];
  values: Float64Array;
}

/** Either covariance shape accepted by consumers. */
export type CovarianceInput = CovarianceMatrix | FactorCovariance;

/**
 * Views a `FactorCovariance` as a `CovarianceMatrix` (same buffer, `observations` 0 = unknown);
 * a `CovarianceMatrix` is returned as is.
 * @example asCovarianceMatrix({ factors: ['M'], values: Float64Array.of(0.04) }).matrix.rows // 1
 */
export function asCovarianceMatrix(c: CovarianceInput): CovarianceMatrix {
  if ('matrix' in c) return c;
  const k = c.factors.length;
  return { names: c.factors, matrix: { data: c.values, rows: k, cols: k }, observations: 0 };
}

/**
 * Validates a covariance: k × k for k unique names, finite, symmetric to 1e-12 relative,
 * non-negative diagonal. Returns it as a `CovarianceMatrix`.
 * @throws EngineError INVALID_INPUT otherwise.
 * @example checkCovariance({ factors: ['A', 'B'], values: Float64Array.of(0.04, 0.01, 0.01, 0.09) }).names // ['A', 'B']
 */
export function checkCovariance(input: CovarianceInput): CovarianceMatrix {
  const c = asCovarianceMatrix(input);
  const k = c.names.length;
  const v = c.matrix.data;
  if (c.matrix.rows !== k || c.matrix.cols !== k || v.length !== k * k) throw new EngineError('INVALID_INPUT', `covariance has ${v.length} entries, expected ${k}×${k}`);
  if (new Set(c.names).size !== k) throw new EngineError('INVALID_INPUT', 'covariance factor names must be unique');
  for (let i = 0; i < k; i++) {
    if (!(v[i * k + i]! >= 0)) throw new EngineError('INVALID_INPUT', `covariance diagonal ${c.names[i]} must be ≥ 0`);
    for (let j = 0; j < k; j++) {
      const a = v[i * k + j]!, b = v[j * k + i]!;
      if (!Number.isFinite(a)) throw new EngineError('INVALID_INPUT', 'covariance entries must be finite');
      if (Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b), 1e-300)) throw new EngineError('INVALID_INPUT', 'covariance must be symmetric');
    }
  }
  return c;
}

/**
 * Checks an n × k return panel (no NaN: align on common dates first) and its names.
 * @throws EngineError INVALID_INPUT (names/columns mismatch, no series, non-finite value), INSUFFICIENT_DATA (n < minRows).
 * @example checkPanel(fromColumns([a, b]), ['SPY', 'TLT'], 2) // undefined when valid
 */
export function checkPanel(returns: DenseMatrix, names: readonly string[], minRows: number): void {
  if (names.length !== returns.cols) throw new EngineError('INVALID_INPUT', `${names.length} names for ${returns.cols} columns`);
  if (returns.cols === 0) throw new EngineError('INVALID_INPUT', 'no series');
  if (returns.rows < minRows) throw new EngineError('INSUFFICIENT_DATA', `${returns.rows} observations, at least ${minRows} required`);
  for (let i = 0; i < returns.data.length; i++) {
    if (!Number.isFinite(returns.data[i]!)) throw new EngineError('INVALID_INPUT', `non-finite return at row ${Math.floor(i / returns.cols)}`);
  }
}
