import { Matrix, QrDecomposition } from 'ml-matrix';
import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { TRADING_DAYS_PER_YEAR } from './ols.ts';

export interface RidgeResult {
  n: number;
  k: number;
  /** Penalty α on the standardised coefficients. */
  alpha: number;
  intercept: number;
  /** Coefficients mapped back to the original units of x (β_j = b_j/σ_j). */
  coefficients: Float64Array;
  /** Coefficients on the standardised regressors (b_j). */
  standardizedCoefficients: Float64Array;
  rSquared: number;
  /** √(SSR/(n − k − 1)), daily units for daily returns; the ×√252 annualised figure beside it. */
  residualVolDaily: number;
  residualVolAnnual: number;
}

/**
 * Ridge regression with intercept on standardised regressors (engines.md §6.6, §14 "Ridge
 * style factors"): z_ij = (x_ij − x̄_j)/σ_j with σ_j the population std (ddof = 0, as
 * scikit-learn's StandardScaler), y centred, b = argmin ‖y_c − Zb‖² + α‖b‖², i.e.
 * (ZᵀZ + αI)b = Zᵀy_c, solved by QR of the augmented system [Z; √α I] b ≈ [y_c; 0] (no inverse).
 * Mapped back: β_j = b_j/σ_j, intercept = ȳ − Σ β_j x̄_j. The intercept is not penalised.
 * α = 0 reproduces OLS. Standard errors are not reported (biased estimator).
 * @throws EngineError INVALID_INPUT (α < 0, shape mismatch, non-finite), INSUFFICIENT_DATA
 * (n ≤ k + 1), SINGULAR_MATRIX (a constant regressor, or α = 0 with a rank-deficient design).
 * @example ridgeFit(fromColumns([x1, x2]), y, 1).coefficients // shrunk towards 0 relative to OLS
 */
export function ridgeFit(x: DenseMatrix, y: Float64Array, alpha: number): RidgeResult {
  const { rows: n, cols: k, data } = x;
  if (!(alpha >= 0)) throw new EngineError('INVALID_INPUT', `ridge alpha must be ≥ 0, got ${alpha}`);
  if (y.length !== n) throw new EngineError('INVALID_INPUT', `y has ${y.length} observations, design has ${n}`);
  if (n <= k + 1) throw new EngineError('INSUFFICIENT_DATA', `${n} observations for ${k} regressors`);
  const means = new Float64Array(k);
  const sds = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * k + j]!;
    means[j] = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * k + j]! - means[j]!) ** 2;
    sds[j] = Math.sqrt(ss / n);
    if (!Number.isFinite(sds[j]!)) throw new EngineError('INVALID_INPUT', `regressor ${j} has non-finite values`);
    if (!(sds[j]! > 0)) throw new EngineError('SINGULAR_MATRIX', `regressor ${j} is constant`);
  }
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i]!;
  yMean /= n;
  const a = new Matrix(n + k, k);
  const rhs = new Matrix(n + k, 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) a.set(i, j, (data[i * k + j]! - means[j]!) / sds[j]!);
    rhs.set(i, 0, y[i]! - yMean);
  }
  const root = Math.sqrt(alpha);
  for (let j = 0; j < k; j++) a.set(n + j, j, root);
  const qr = new QrDecomposition(a);
  const r = qr.upperTriangularMatrix;
  for (let j = 0; j < k; j++) {
    if (!(Math.abs(r.get(j, j)) >= 1e-10 * Math.sqrt(n))) throw new EngineError('SINGULAR_MATRIX', `ridge system rank-deficient at ${j}`);
  }
  const b = qr.solve(rhs).getColumn(0);
  const coefficients = new Float64Array(k);
  let intercept = yMean;
  for (let j = 0; j < k; j++) {
    coefficients[j] = b[j]! / sds[j]!;
    intercept -= coefficients[j]! * means[j]!;
  }
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    let fit = intercept;
    for (let j = 0; j < k; j++) fit += coefficients[j]! * data[i * k + j]!;
    ssr += (y[i]! - fit) ** 2;
    sst += (y[i]! - yMean) ** 2;
  }
  const vol = Math.sqrt(ssr / (n - k - 1));
  return {
    n, k, alpha, intercept, coefficients, standardizedCoefficients: Float64Array.from(b),
    rSquared: 1 - ssr / sst, residualVolDaily: vol, residualVolAnnual: vol * Math.sqrt(TRADING_DAYS_PER_YEAR),
  };
}
