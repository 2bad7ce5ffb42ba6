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
 * position, so each position costs one O(n·k) pass over its returns: c = Qᵀy (Q ⟂ 1, so y need
 * not be centred), b = R⁻¹c, β_j = b_j/s_j, SSR = Σ(y − ȳ)² − ‖c‖² with Σ(y − ȳ)² from sums
 * shifted by the first value (no cancellation for returns), SE_j = √(SSR/(n−k−1))·‖row_j R⁻¹‖/s_j.
 * For k ≤ 8 all k dot products share one pass over y (Q stored row-major, padded to 8).
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
  // Q row-major n × 8 (zero-padded) so one pass over y feeds all accumulators (k ≤ 8).
  const wide = k <= 8;
  const q8 = new Float64Array(wide ? n * 8 : 0);
  if (wide) for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) q8[i * 8 + j] = q[j * n + i]!;
  for (let p = 0; p < P; p++) {
    const off = p * n;
    // One pass: shifted sums (shift K = first value, exact zero for a constant series) and c = Qᵀy.
    const shift = returns[off]!;
    let s1 = 0, s2 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
    if (wide) {
      for (let i = 0; i < n; i++) {
        const y = returns[off + i]!;
        const d = y - shift;
        s1 += d;
        s2 += d * d;
        const o = i * 8;
        c0 += q8[o]! * y; c1 += q8[o + 1]! * y; c2 += q8[o + 2]! * y; c3 += q8[o + 3]! * y;
        c4 += q8[o + 4]! * y; c5 += q8[o + 5]! * y; c6 += q8[o + 6]! * y; c7 += q8[o + 7]! * y;
      }
      c[0] = c0; if (k > 1) c[1] = c1; if (k > 2) c[2] = c2; if (k > 3) c[3] = c3;
      if (k > 4) c[4] = c4; if (k > 5) c[5] = c5; if (k > 6) c[6] = c6; if (k > 7) c[7] = c7;
    } else {
      for (let i = 0; i < n; i++) {
        const d = returns[off + i]! - shift;
        s1 += d;
        s2 += d * d;
      }
      for (let j = 0; j < k; j++) {
        let a = 0;
        for (let i = 0; i < n; i++) a += q[j * n + i]! * returns[off + i]!;
        c[j] = a;
      }
    }
    const mean = shift + s1 / n;
    const sst = s2 - (s1 * s1) / n;
    if (s2 === 0 || !(sst > 0) || !Number.isFinite(sst)) {
      invalidPositions.push(p);
      betas.fill(Number.NaN, p * k, (p + 1) * k);
      standardErrors.fill(Number.NaN, p * k, (p + 1) * k);
      tStats.fill(Number.NaN, p * k, (p + 1) * k);
      intercepts[p] = rSquared[p] = residualVolDaily[p] = Number.NaN;
      continue;
    }
    let explained = 0;
    for (let j = 0; j < k; j++) explained += c[j]! * c[j]!;
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
