import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { compensatedSum } from '../common/compensated-sum.ts';
import { studentTTwoSidedP } from '../common/student-t.ts';
import { type DesignFactorization, factorizeDesign } from './design-factorization.ts';

/** Trading days per year used to annualise (√252). */
export const TRADING_DAYS_PER_YEAR = 252;
/** Default minimum number of observations for a factor regression (engines.md §6.6). */
export const DEFAULT_MIN_OBSERVATIONS = 60;

export interface OlsOptions {
  /** Minimum observations; default 60 (pass a smaller value for small reference data sets). */
  minObservations?: number;
}

export interface OlsResult {
  /** Observations n and regressors k (the intercept is extra). */
  n: number;
  k: number;
  intercept: number;
  interceptStandardError: number;
  /** β_j, in units of y per unit of x_j. */
  coefficients: Float64Array;
  standardErrors: Float64Array;
  tStats: Float64Array;
  /** Two-sided p-values, Student t with n − k − 1 degrees of freedom. */
  pValues: Float64Array;
  rSquared: number;
  adjRSquared: number;
  /** σ̂ = √(SSR/(n − k − 1)) in units of y (per day for daily returns). */
  residualVolDaily: number;
  /** σ̂ × √252 (only meaningful for daily returns). */
  residualVolAnnual: number;
  /** κ of the centred, unit-norm-scaled design (intercept excluded). */
  conditionNumber: number;
  /** VIF_j = 1/(1 − R²_j) = [Corr(X)⁻¹]_jj; 1 for a single regressor. */
  vif: Float64Array;
  ssr: number;
  dfResidual: number;
}

/**
 * Multivariate OLS with intercept, y = α + Σ_j β_j x_j + ε, solved by Householder QR of the
 * centred and scaled design (ml-matrix `QrDecomposition`; XᵀX is never formed or inverted).
 * With Z = QR (see `factorizeDesign`): b = R⁻¹Qᵀ(y − ȳ), β_j = b_j/s_j, α = ȳ − Σ β_j x̄_j;
 * SSR = ‖y − ȳ − Zb‖², σ̂² = SSR/(n − k − 1), SE(β_j) = σ̂ ‖row_j(R⁻¹)‖/s_j,
 * Var(α) = σ̂²(1/n + ‖R⁻ᵀ(x̄/s)‖²); R² = 1 − SSR/SST; adj R² = 1 − (1 − R²)(n − 1)/(n − k − 1).
 * Accuracy: reproduces the NIST StRD Longley certified values to ≥ 10 significant digits.
 * @param x n × k design, row-major, no intercept column.
 * @param y n observations of the dependent variable.
 * @throws EngineError INVALID_INPUT (length mismatch, non-finite value), INSUFFICIENT_DATA (n below
 * `minObservations` or ≤ k + 1, or y constant), SINGULAR_MATRIX (rank-deficient design, e.g. a duplicated column).
 * @example olsFit(fromColumns([x]), y, { minObservations: 3 }).coefficients // Float64Array [β]
 */
export function olsFit(x: DenseMatrix, y: Float64Array, options: OlsOptions = {}): OlsResult {
  const minObs = options.minObservations ?? DEFAULT_MIN_OBSERVATIONS;
  if (y.length !== x.rows) throw new EngineError('INVALID_INPUT', `y has ${y.length} observations, design has ${x.rows}`);
  if (x.rows < minObs) throw new EngineError('INSUFFICIENT_DATA', `${x.rows} observations, at least ${minObs} required`);
  const f = factorizeDesign(x);
  const { n, k } = f;
  const { yc, yMean, sst } = centred(y);
  const c = projectOnQ(f, yc);
  const ssr = residualSumOfSquares(f, yc, c);
  const df = n - k - 1;
  const sigma = Math.sqrt(ssr / df);
  const coefficients = new Float64Array(k);
  const standardErrors = new Float64Array(k);
  let intercept = yMean;
  for (let j = 0; j < k; j++) {
    let b = 0;
    for (let m = j; m < k; m++) b += f.rInv[j * k + m]! * c[m]!; // b = R⁻¹c
    coefficients[j] = b / f.scales[j]!;
    standardErrors[j] = (sigma * Math.sqrt(f.rInvRowNorm2[j]!)) / f.scales[j]!;
    intercept -= coefficients[j]! * f.means[j]!;
  }
  const tStats = coefficients.map((b, j) => b / standardErrors[j]!);
  const rSquared = 1 - ssr / sst;
  return {
    n, k, intercept,
    interceptStandardError: sigma * Math.sqrt(1 / n + interceptLeverage(f)),
    coefficients, standardErrors, tStats,
    pValues: tStats.map((t) => studentTTwoSidedP(t, df)),
    rSquared,
    adjRSquared: 1 - ((1 - rSquared) * (n - 1)) / df,
    residualVolDaily: sigma,
    residualVolAnnual: sigma * Math.sqrt(TRADING_DAYS_PER_YEAR),
    conditionNumber: f.conditionNumber,
    vif: Float64Array.from(f.rInvRowNorm2),
    ssr, dfResidual: df,
  };
}

/** y − ȳ (compensated mean) and SST = Σ(y − ȳ)². @throws INVALID_INPUT (non-finite), INSUFFICIENT_DATA (constant y). */
function centred(y: Float64Array): { yc: Float64Array; yMean: number; sst: number } {
  const yMean = compensatedSum(y) / y.length;
  if (!Number.isFinite(yMean)) throw new EngineError('INVALID_INPUT', 'y contains non-finite values');
  const yc = y.map((v) => v - yMean);
  const sst = compensatedSum(yc.map((v) => v * v));
  if (!(sst > 0) || y.every((v) => v === y[0])) throw new EngineError('INSUFFICIENT_DATA', 'dependent series is constant');
  return { yc, yMean, sst };
}

/** c = Qᵀ y_c. */
function projectOnQ({ n, k, q }: DesignFactorization, yc: Float64Array): Float64Array {
  const c = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += q[j * n + i]! * yc[i]!;
    c[j] = s;
  }
  return c;
}

/** SSR = ‖y_c − Qc‖² (Zb = QRb = Qc), from explicit residuals with compensated summation. */
function residualSumOfSquares({ n, k, q }: DesignFactorization, yc: Float64Array, c: Float64Array): number {
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < k; j++) fit += q[j * n + i]! * c[j]!;
    const e = yc[i]! - fit;
    sq[i] = e * e;
  }
  return compensatedSum(sq);
}

/** ‖R⁻ᵀ m‖² with m_j = x̄_j/s_j, so that Var(α) = σ̂²(1/n + ‖R⁻ᵀm‖²). */
function interceptLeverage({ k, rInv, means, scales }: DesignFactorization): number {
  let quad = 0;
  for (let col = 0; col < k; col++) {
    let s = 0;
    for (let j = 0; j <= col; j++) s += rInv[j * k + col]! * (means[j]! / scales[j]!);
    quad += s * s;
  }
  return quad;
}
