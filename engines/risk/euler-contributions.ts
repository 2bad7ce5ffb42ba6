/**
 * Euler (marginal and component) decomposition of delta-normal volatility and VaR. σ(x) and
 * VaR(x) = z σ(x) are homogeneous of degree one in the exposures, so by Euler's theorem
 * Σ_i x_i ∂σ/∂x_i = σ: the components add up to the total (Tasche, "Risk contributions and
 * performance measurement", 1999; Litterman, "Hot spots and hedges", 1996).
 */
import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { normInv } from '../common/inverse-normal.ts';

/**
 * Positions mapped to return sources. Several positions may share one source (a stock and an
 * option on it); options enter by their delta-adjusted exposure.
 */
export interface ParametricContributionInput {
  /** m × m daily covariance of the m source returns (decimal²). */
  covariance: DenseMatrix;
  /** n positions' signed delta-adjusted exposures, USD. */
  exposuresUsd: ArrayLike<number>;
  /** n indices into the covariance: the source of each position. */
  sourceIndex: ArrayLike<number>;
  /** VaR confidence, e.g. 0.99 (z = normInv(confidence)). */
  confidence: number;
}

export interface ParametricContributions {
  /** σ_P = √(XᵀΣX), USD per day, X the exposures summed by source. */
  volUsd: number;
  /** z σ_P, USD (positive = loss). */
  varUsd: number;
  /** Per position: ∂σ/∂x_i = (ΣX)_{s(i)}/σ (USD of σ per USD of exposure). */
  marginalVol: Float64Array;
  /** Per position: x_i × marginalVol_i, USD; sums to volUsd. */
  componentVol: Float64Array;
  /** z × marginalVol. */
  marginalVar: Float64Array;
  /** z × componentVol, USD; sums to varUsd. */
  componentVar: Float64Array;
  /** Sums of the components per source index, for the sources that hold a position, ascending. */
  bySource: { source: number; componentVol: number; componentVar: number }[];
}

/** Σ v for a square DenseMatrix. */
function matVec(m: DenseMatrix, v: ArrayLike<number>): Float64Array {
  const k = m.cols;
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += m.data[i * k + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** vᵀΣv and Σv; refuses a non-finite or negative quadratic form. */
function quadratic(m: DenseMatrix, v: ArrayLike<number>, extra = 0): { variance: number; mv: Float64Array } {
  const mv = matVec(m, v);
  let variance = extra;
  for (let i = 0; i < mv.length; i++) variance += v[i]! * mv[i]!;
  if (!Number.isFinite(variance)) throw new EngineError('INVALID_INPUT', 'non-finite portfolio variance');
  if (variance < 0) throw new EngineError('INVALID_INPUT', `portfolio variance ${variance} < 0: covariance is not positive semi-definite`);
  return { variance, mv };
}

function checkSquare(m: DenseMatrix, k: number, what: string): void {
  if (m.rows !== k || m.cols !== k || m.data.length !== k * k) throw new EngineError('INVALID_INPUT', `${what} is ${m.rows}×${m.cols}, expected ${k}×${k}`);
}

function zOf(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new EngineError('INVALID_INPUT', `confidence must be in (0, 1), got ${confidence}`);
  return normInv(confidence);
}

/** Exposures summed by source, after checking indices and values. */
function bySourceExposure(input: ParametricContributionInput): Float64Array {
  const { exposuresUsd: x, sourceIndex: s, covariance } = input;
  const m = covariance.rows;
  if (s.length !== x.length) throw new EngineError('INVALID_INPUT', `${x.length} exposures but ${s.length} source indices`);
  const agg = new Float64Array(m);
  for (let i = 0; i < x.length; i++) {
    const src = s[i]!;
    if (!Number.isInteger(src) || src < 0 || src >= m) throw new EngineError('INVALID_INPUT', `source index ${src} of position ${i} outside [0, ${m})`, { index: i });
    if (!Number.isFinite(x[i]!)) throw new EngineError('INVALID_INPUT', `exposure of position ${i} is ${x[i]}`, { index: i });
    agg[src] = agg[src]! + x[i]!;
  }
  return agg;
}

/**
 * Parametric (delta-normal, zero-mean) Euler decomposition: X_s = Σ_{i: s(i)=s} x_i,
 * σ = √(XᵀΣX), VaR = z σ with z = Φ⁻¹(confidence); marginal ∂σ/∂x_i = (ΣX)_{s(i)}/σ,
 * component x_i ∂σ/∂x_i (Σ_i components = σ exactly in exact arithmetic), VaR figures × z.
 * A book with σ = 0 (empty, flat, or perfectly hedged: then ΣX = 0 for a PSD Σ) has no
 * derivative; its marginals and components are reported as 0.
 * @throws EngineError INVALID_INPUT for a non-square covariance, a length mismatch, a source
 * index outside [0, m), a non-finite exposure, confidence ∉ (0, 1), or XᵀΣX < 0.
 * @example parametricContributions({ covariance: denseMatrix(new Float64Array([1e-4]), 1, 1), exposuresUsd: [6e5, 4e5], sourceIndex: [0, 0], confidence: 0.99 }).componentVar // Float64Array [13958.087…, 9305.391…]
 */
export function parametricContributions(input: ParametricContributionInput): ParametricContributions {
  const z = zOf(input.confidence);
  checkSquare(input.covariance, input.covariance.rows, 'covariance');
  const agg = bySourceExposure(input);
  const { variance, mv } = quadratic(input.covariance, agg);
  const vol = Math.sqrt(variance);
  const { exposuresUsd: x, sourceIndex: s } = input;
  const n = x.length;
  const marginalVol = new Float64Array(n);
  const componentVol = new Float64Array(n);
  const marginalVar = new Float64Array(n);
  const componentVar = new Float64Array(n);
  const perSource = new Map<number, { componentVol: number; componentVar: number }>();
  for (let i = 0; i < n; i++) {
    const src = s[i]!;
    if (vol > 0) {
      marginalVol[i] = mv[src]! / vol;
      componentVol[i] = x[i]! * marginalVol[i]!;
      marginalVar[i] = z * marginalVol[i]!;
      componentVar[i] = z * componentVol[i]!;
    }
    const acc = perSource.get(src) ?? { componentVol: 0, componentVar: 0 };
    acc.componentVol += componentVol[i]!;
    acc.componentVar += componentVar[i]!;
    perSource.set(src, acc);
  }
  const bySource = [...perSource.entries()].sort((a, b) => a[0] - b[0]).map(([source, c]) => ({ source, ...c }));
  return { volUsd: vol, varUsd: z * vol, marginalVol, componentVol, marginalVar, componentVar, bySource };
}

/** Factor-model inputs: b = Bᵀx the k factor dollar exposures, F their covariance. */
export interface FactorContributionInput {
  /** k × k daily factor covariance (decimal²). */
  factorCovariance: DenseMatrix;
  /** k factor dollar exposures b = Bᵀx, USD. */
  factorExposuresUsd: ArrayLike<number>;
  /** Residual (specific) variance Σ_s X_s² σ²_ε,s, USD². */
  residualVarianceUsd2: number;
  confidence: number;
}

export interface FactorContribution {
  /** ∂σ/∂b_j = (Fb)_j/σ. */
  marginalVol: number;
  /** b_j (Fb)_j/σ, USD. */
  componentVol: number;
  /** z × componentVol, USD. */
  componentVar: number;
  /** z × marginalVol. */
  marginalVar: number;
}

export interface FactorContributions {
  volUsd: number;
  varUsd: number;
  perFactor: FactorContribution[];
  /** The specific block: its variance over σ (and × z), so factors + residual = total. */
  residual: { componentVol: number; componentVar: number };
}

/**
 * Euler decomposition of a factor-model volatility σ² = bᵀFb + e, e the residual variance:
 * factor j contributes b_j (Fb)_j/σ and the residual e/σ (e = Σ_s X_s² σ²_ε,s is homogeneous of
 * degree 2 in the position sizes, so its Euler contribution is e/σ); they sum to σ. VaR
 * figures are z = Φ⁻¹(confidence) times the volatility ones. σ = 0 gives zero contributions.
 * @throws EngineError INVALID_INPUT for a shape mismatch, a negative or non-finite residual
 * variance, non-finite exposures, confidence ∉ (0, 1), or a negative bᵀFb + e.
 * @example factorContributions({ factorCovariance: denseMatrix(new Float64Array([1e-4]), 1, 1), factorExposuresUsd: [1e6], residualVarianceUsd2: 1e8, confidence: 0.95 }).residual.componentVol // 1e8 / √2e8 = 7071.067811865475
 */
export function factorContributions(input: FactorContributionInput): FactorContributions {
  const z = zOf(input.confidence);
  const b = input.factorExposuresUsd;
  const e = input.residualVarianceUsd2;
  checkSquare(input.factorCovariance, b.length, 'factor covariance');
  if (!(e >= 0) || !Number.isFinite(e)) throw new EngineError('INVALID_INPUT', `residual variance must be finite and ≥ 0, got ${e}`);
  for (let j = 0; j < b.length; j++) {
    if (!Number.isFinite(b[j]!)) throw new EngineError('INVALID_INPUT', `factor exposure ${j} is ${b[j]}`, { index: j });
  }
  const { variance, mv } = quadratic(input.factorCovariance, b, e);
  const vol = Math.sqrt(variance);
  const perFactor = Array.from(mv, (fb, j) => {
    const marginalVol = vol > 0 ? fb / vol : 0;
    const componentVol = b[j]! * marginalVol;
    return { marginalVol, componentVol, componentVar: z * componentVol, marginalVar: z * marginalVol };
  });
  const residualVol = vol > 0 ? e / vol : 0;
  return { volUsd: vol, varUsd: z * vol, perFactor, residual: { componentVol: residualVol, componentVar: z * residualVol } };
}
