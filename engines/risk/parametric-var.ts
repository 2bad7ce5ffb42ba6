import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { normInv } from '../common/inverse-normal.ts';

export interface ParametricVarInput {
  /** k × k covariance of daily returns (decimal²), e.g. sample or EWMA factor covariance. */
  covariance: DenseMatrix;
  /** k signed dollar exposures (factor dollar exposures or position delta-adjusted exposures), USD. */
  exposuresUsd: ArrayLike<number>;
  confidence: number;
  /** Optional Σ_i exposure_i² × specific_var_i term (USD²/day) from regression residual variances. */
  specificVarianceUsd2?: number;
}

export interface ParametricVar {
  confidence: number;
  /** σ_P = √(EᵀΣE + specific), USD per day. */
  sigmaUsd: number;
  /** z_c σ_P, zero-mean delta-normal 1-day VaR (USD, positive = loss). */
  var1d: number;
  /** √10 × var1d (i.i.d. daily P&L). */
  var10d: number;
}

/**
 * Delta-normal (parametric) VaR (engines.md §11): σ_P² = Eᵀ Σ E + Σ_i E_i² s_i², VaR_c = Φ⁻¹(c) σ_P
 * with Φ⁻¹ from `normInv`; the mean daily P&L is taken as 0; 10-day by √10.
 * @throws EngineError INVALID_INPUT (shape mismatch, confidence outside (0, 1), negative variance
 * from a non-PSD covariance, non-finite input).
 * @example parametricVar({ covariance: denseMatrix(new Float64Array([1e-4]), 1, 1), exposuresUsd: [1e6], confidence: 0.99 }).var1d // 23263.478740408406
 */
export function parametricVar(input: ParametricVarInput): ParametricVar {
  const { covariance: c, exposuresUsd: e, confidence } = input;
  const k = e.length;
  if (c.rows !== k || c.cols !== k) throw new EngineError('INVALID_INPUT', `covariance ${c.rows}×${c.cols} for ${k} exposures`);
  let v = input.specificVarianceUsd2 ?? 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += c.data[i * k + j]! * e[j]!;
    v += e[i]! * s;
  }
  if (!Number.isFinite(v)) throw new EngineError('INVALID_INPUT', 'non-finite portfolio variance');
  if (v < 0) throw new EngineError('INVALID_INPUT', `portfolio variance ${v} < 0: covariance is not positive semi-definite`);
  const sigmaUsd = Math.sqrt(v);
  const var1d = normInv(confidence) * sigmaUsd;
  return { confidence, sigmaUsd, var1d, var10d: var1d * Math.sqrt(10) };
}
