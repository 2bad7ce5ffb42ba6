/**
 * A square root A of a covariance matrix Σ (A Aᵀ = Σ), so that A z with z ~ N(0, I) has
 * covariance Σ. Cholesky (ml-matrix) when Σ is positive definite; otherwise, for a PSD but
 * singular Σ, the symmetric eigen-decomposition Σ = V Λ Vᵀ with A = V Λ₊^{1/2}, eigenvalues at or
 * below 1e-10 × the largest (numerically zero, or slightly negative from rounding) set to 0.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';

export interface CovarianceRoot {
  /** k × k row-major A with A Aᵀ = Σ (lower-triangular for Cholesky). */
  root: Float64Array;
  k: number;
  method: 'cholesky' | 'eigen';
  warnings: string[];
}

/** Relative tolerance for symmetry and for how negative an eigenvalue may be and still count as 0. */
const TOL = 1e-10;

function check(m: DenseMatrix): number {
  const k = m.rows;
  if (m.cols !== k || m.data.length !== k * k) throw new EngineError('INVALID_INPUT', `covariance must be square, got ${m.rows}×${m.cols}`);
  let scale = 0;
  for (let i = 0; i < k * k; i++) {
    const v = m.data[i]!;
    if (!Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `covariance entry ${i} is ${v}`);
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < k; i++) {
    if (m.data[i * k + i]! < 0) throw new EngineError('INVALID_INPUT', `covariance diagonal ${i} is negative`);
    for (let j = 0; j < i; j++) {
      if (Math.abs(m.data[i * k + j]! - m.data[j * k + i]!) > TOL * scale) throw new EngineError('INVALID_INPUT', `covariance is not symmetric at (${i}, ${j})`);
    }
  }
  return k;
}

/**
 * Square root of a k×k covariance matrix.
 * @throws EngineError INVALID_INPUT when Σ is not square, not finite, not symmetric (relative
 *   1e-10) or has an eigenvalue below −1e-10 × the largest (not PSD).
 * @example covarianceRoot(denseMatrix(Float64Array.of(4, 2, 2, 5), 2, 2)).root // Float64Array [2, 0, 1, 2]
 */
export function covarianceRoot(sigma: DenseMatrix): CovarianceRoot {
  const k = check(sigma);
  // symmetrised exactly ((Σ + Σᵀ)/2): ml-matrix's Cholesky refuses any asymmetry
  const d = sigma.data;
  const rows = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? d[i * k + i]! : 0.5 * (d[i * k + j]! + d[j * k + i]!))));
  const m = new Matrix(rows);
  if (k === 0) return { root: new Float64Array(0), k, method: 'cholesky', warnings: [] };
  const chol = new CholeskyDecomposition(m);
  if (chol.isPositiveDefinite()) {
    const l = chol.lowerTriangularMatrix;
    const root = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) root[i * k + j] = l.get(i, j);
    return { root, k, method: 'cholesky', warnings: [] };
  }
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const lambda = eig.realEigenvalues;
  const top = Math.max(0, ...lambda);
  const low = Math.min(...lambda);
  if (low < -TOL * Math.max(top, Number.MIN_VALUE)) throw new EngineError('INVALID_INPUT', `covariance is not positive semi-definite (eigenvalue ${low})`, { minEigenvalue: low });
  const v = eig.eigenvectorMatrix;
  const root = new Float64Array(k * k);
  let floored = 0;
  const zero = TOL * top;
  for (let j = 0; j < k; j++) {
    let l = lambda[j]!;
    if (l <= zero) {
      l = 0;
      floored++;
    }
    const s = Math.sqrt(l);
    for (let i = 0; i < k; i++) root[i * k + j] = v.get(i, j) * s;
  }
  return {
    root, k, method: 'eigen',
    warnings: [`factor covariance is singular (not positive definite): eigen-decomposition used, ${floored} eigenvalue(s) ≤ 1e-10 × the largest set to 0`],
  };
}
