import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { factorizeDesign } from './design-factorization.ts';
import { DEFAULT_MIN_OBSERVATIONS } from './ols.ts';

export interface BatchFactorBetasInput {
  /** Factor returns, n × k row-major (observations × factors), the shared window. */
  factors: DenseMatrix;
  /** Position returns, P × n row-major: position p's n returns are contiguous, same dates as `factors`. */
  returns: Float64Array;
  positions: number;
  minObservations?: number;
}

export interface BatchFactorBetas {
  n: number;
  k: number;
  positions: number;
  /** P × k row-major β. */
  betas: Float64Array;
  standardErrors: Float64Array;
  tStats: Float64Array;
  /** Per position. */
  intercepts: Float64Array;
  rSquared: Float64Array;
  residualVolDaily: Float64Array;
  /** Shared by all positions (one design). */
  conditionNumber: number;
  vif: Float64Array;
  /** Positions whose series had a non-finite value or was constant: all their outputs are NaN. */
  invalidPositions: number[];
}

/**
 * Multivariate factor betas for many positions over ONE shared window: the design is
 * factorised once (`factorizeDesign`: centred, scaled, Householder QR) and reused for every
 * position, so each position costs O(n·k): c = Qᵀy (Q ⟂ 1, so y need not be centred),
 * b = R⁻¹c, β_j = b_j/s_j, SSR = Σ(y − ȳ)² − ‖c‖², SE_j = √(SSR/(n−k−1))·‖row_j R⁻¹‖/s_j.
 * Results equal `olsFit` per position to rounding. Positions with a different window must use
 * `olsFit`. Option positions take their underlying's betas (the caller maps them; never regress
 * option prices, engines.md §6.6 item 4).
 * @throws EngineError INVALID_INPUT (shape mismatch), INSUFFICIENT_DATA (n < minObservations,
 * default 60), SINGULAR_MATRIX (rank-deficient factor design).
 * @example batchFactorBetas({ factors, returns, positions: 10_000 }).betas // 10,000 × 7 betas
 */
export function batchFactorBetas(input: BatchFactorBetasInput): BatchFactorBetas {
  const { factors, returns, positions: P } = input;
  const minObs = input.minObservations ?? DEFAULT_MIN_OBSERVATIONS;
  if (returns.length !== P * factors.rows) throw new EngineError('INVALID_INPUT', `returns length ${returns.length} ≠ ${P} × ${factors.rows}`);
  if (factors.rows < minObs) throw new EngineError('INSUFFICIENT_DATA', `${factors.rows} observations, at least ${minObs} required`);
  const f = factorizeDesign(factors);
  const { n, k, q, rInv } = f;
  const df = n - k - 1;
  const betas = new Float64Array(P * k);
  const standardErrors = new Float64Array(P * k);
  const tStats = new Float64Array(P * k);
  const intercepts = new Float64Array(P);
  const rSquared = new Float64Array(P);
  const residualVolDaily = new Float64Array(P);
  const invalidPositions: number[] = [];
  const c = new Float64Array(k);
  const seFactor = new Float64Array(k);
  for (let j = 0; j < k; j++) seFactor[j] = Math.sqrt(f.rInvRowNorm2[j]!) / f.scales[j]!;
  for (let p = 0; p < P; p++) {
    const off = p * n;
    let sum = 0;
    let constant = true;
    const first = returns[off]!;
    for (let i = 0; i < n; i++) {
      const v = returns[off + i]!;
      sum += v;
      if (v !== first) constant = false;
    }
    const mean = sum / n;
    let sst = 0;
    for (let i = 0; i < n; i++) {
      const d = returns[off + i]! - mean;
      sst += d * d;
    }
    if (constant || !(sst > 0) || !Number.isFinite(sst)) {
      invalidPositions.push(p);
      betas.fill(Number.NaN, p * k, (p + 1) * k);
      standardErrors.fill(Number.NaN, p * k, (p + 1) * k);
      tStats.fill(Number.NaN, p * k, (p + 1) * k);
      intercepts[p] = rSquared[p] = residualVolDaily[p] = Number.NaN;
      continue;
    }
    let explained = 0;
    for (let j = 0; j < k; j++) {
      const qo = j * n;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let i = 0;
      for (; i + 3 < n; i += 4) {
        a0 += q[qo + i]! * returns[off + i]!;
        a1 += q[qo + i + 1]! * returns[off + i + 1]!;
        a2 += q[qo + i + 2]! * returns[off + i + 2]!;
        a3 += q[qo + i + 3]! * returns[off + i + 3]!;
      }
      for (; i < n; i++) a0 += q[qo + i]! * returns[off + i]!;
      const cj = a0 + a1 + a2 + a3;
      c[j] = cj;
      explained += cj * cj;
    }
    const ssr = Math.max(sst - explained, 0);
    const sigma = Math.sqrt(ssr / df);
    let intercept = mean;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = j; m < k; m++) s += rInv[j * k + m]! * c[m]!;
      const beta = s / f.scales[j]!;
      const se = sigma * seFactor[j]!;
      betas[p * k + j] = beta;
      standardErrors[p * k + j] = se;
      tStats[p * k + j] = beta / se;
      intercept -= beta * f.means[j]!;
    }
    intercepts[p] = intercept;
    rSquared[p] = 1 - ssr / sst;
    residualVolDaily[p] = sigma;
  }
  return {
    n, k, positions: P, betas, standardErrors, tStats, intercepts, rSquared, residualVolDaily,
    conditionNumber: f.conditionNumber, vif: Float64Array.from(f.rInvRowNorm2), invalidPositions,
  };
}
