import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';

/**
 * QR factorisation of a regression design after centring and scaling each regressor to unit
 * norm: z_j = (x_j − x̄_j) / s_j with s_j = ‖x_j − x̄_j‖₂. Centring absorbs the intercept (the
 * centred columns are orthogonal to the constant), and scaling makes ZᵀZ the regressors'
 * correlation matrix, which keeps the QR accurate on ill-conditioned designs such as NIST
 * Longley. Z = QR with Q (n × k, orthonormal columns) and R (k × k, upper triangular); the
 * normal equations are never formed and XᵀX is never inverted.
 */
export interface DesignFactorization {
  readonly n: number;
  readonly k: number;
  readonly means: Float64Array;
  /** s_j = ‖x_j − x̄_j‖₂. */
  readonly scales: Float64Array;
  /** Thin Q, column-major: column j is `q.subarray(j * n, (j + 1) * n)`. */
  readonly q: Float64Array;
  /** R⁻¹ row-major k × k (upper triangular), by back substitution on R (a k × k triangle). */
  readonly rInv: Float64Array;
  /** diag((ZᵀZ)⁻¹)_j = Σ_m (R⁻¹)_{jm}², which is also VIF_j. */
  readonly rInvRowNorm2: Float64Array;
  /** κ(Z) = σ_max/σ_min from the SVD of R (same singular values as Z). */
  readonly conditionNumber: number;
}

/** Relative threshold on |R_jj| (Z has unit-norm columns) below which the design is rank-deficient. */
export const RANK_TOLERANCE = 1e-10;

/**
 * Factorises the n × k design `x` (no intercept column; the intercept is implicit).
 * @throws EngineError INVALID_INPUT on a non-finite entry or k = 0; INSUFFICIENT_DATA when n ≤ k + 1
 * (no residual degrees of freedom); SINGULAR_MATRIX when a regressor is constant or a linear
 * combination of others (|R_jj| < 1e-10).
 * @example factorizeDesign(fromColumns([x1, x2])).conditionNumber // ≥ 1
 */
export function factorizeDesign(x: DenseMatrix): DesignFactorization {
  const { rows: n, cols: k, data } = x;
  if (k === 0) throw new EngineError('INVALID_INPUT', 'design has no regressors');
  if (n <= k + 1) throw new EngineError('INSUFFICIENT_DATA', `${n} observations for ${k} regressors and an intercept`);
  const means = new Float64Array(k);
  const scales = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    let constant = true;
    for (let i = 0; i < n; i++) {
      const v = data[i * k + j]!;
      if (!Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `design entry (${i}, ${j}) is ${v}`);
      if (v !== data[j]) constant = false;
      s += v;
    }
    if (constant) throw new EngineError('SINGULAR_MATRIX', `regressor ${j} is constant (collinear with the intercept)`, { column: j });
    const m = s / n;
    let ss = 0;
    let corr = 0;
    for (let i = 0; i < n; i++) corr += data[i * k + j]! - m;
    const mean = m + corr / n; // one refinement step of the mean
    for (let i = 0; i < n; i++) ss += (data[i * k + j]! - mean) ** 2;
    means[j] = mean;
    scales[j] = Math.sqrt(ss);
    if (!(scales[j]! > 0)) throw new EngineError('SINGULAR_MATRIX', `regressor ${j} is constant (collinear with the intercept)`, { column: j });
  }
  const z = new Matrix(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) z.set(i, j, (data[i * k + j]! - means[j]!) / scales[j]!);
  const qr = new QrDecomposition(z);
  const rM = qr.upperTriangularMatrix;
  for (let j = 0; j < k; j++) {
    if (!(Math.abs(rM.get(j, j)) >= RANK_TOLERANCE)) {
      throw new EngineError('SINGULAR_MATRIX', `design is rank-deficient at regressor ${j} (|R_jj| = ${Math.abs(rM.get(j, j))})`, { column: j });
    }
  }
  const qM = qr.orthogonalMatrix;
  const q = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) q[j * n + i] = qM.get(i, j);
  const rInv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    // Solve R·u = e_c by back substitution; u is column c of R⁻¹.
    for (let i = k - 1; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let m = i + 1; m < k; m++) s -= rM.get(i, m) * rInv[m * k + c]!;
      rInv[i * k + c] = s / rM.get(i, i);
    }
  }
  const rInvRowNorm2 = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let m = 0; m < k; m++) s += rInv[j * k + m]! ** 2;
    rInvRowNorm2[j] = s;
  }
  const sv = new SingularValueDecomposition(rM, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  const conditionNumber = Math.max(...sv) / Math.min(...sv);
  return { n, k, means, scales, q, rInv, rInvRowNorm2, conditionNumber };
}
