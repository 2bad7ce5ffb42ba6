import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { type DesignFactorization, factorizeDesign } from './design-factorization.ts';
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
  const { n, k } = f;
  const out: BatchFactorBetas = {
    n, k, positions: P,
    betas: new Float64Array(P * k), standardErrors: new Float64Array(P * k), tStats: new Float64Array(P * k),
    intercepts: new Float64Array(P), rSquared: new Float64Array(P), residualVolDaily: new Float64Array(P),
    conditionNumber: f.conditionNumber, vif: Float64Array.from(f.rInvRowNorm2), invalidPositions: [],
  };
  const seFactor = f.rInvRowNorm2.map((v, j) => Math.sqrt(v) / f.scales[j]!);
  const q8 = k <= 8 ? paddedRowMajorQ(f.q, n, k) : null;
  const c = new Float64Array(k);
  const moments = new Float64Array(3);
  for (let p = 0; p < P; p++) {
    if (q8) projectWide(returns, p * n, n, k, q8, c, moments);
    else projectNarrow(returns, p * n, n, k, f.q, c, moments);
    const sst = moments[1]!;
    if (moments[2] === 0 || !(sst > 0) || !Number.isFinite(sst)) markInvalid(out, p);
    else storeFit(out, p, { f, c, mean: moments[0]!, sst, seFactor });
  }
  return out;
}

/** Q (column-major n × k) as row-major n × 8, zero-padded, so one pass over y feeds 8 accumulators. */
function paddedRowMajorQ(q: Float64Array, n: number, k: number): Float64Array {
  const q8 = new Float64Array(n * 8);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) q8[i * 8 + j] = q[j * n + i]!;
  return q8;
}

/**
 * One pass over y = returns[off, off + n) for k ≤ 8: c = Qᵀy and, with sums shifted by the first
 * value (exactly zero for a constant series), moments = [ȳ, Σ(y − ȳ)², Σ(y − y₀)²].
 */
function projectWide(returns: Float64Array, off: number, n: number, k: number, q8: Float64Array, c: Float64Array, moments: Float64Array): void {
  const shift = returns[off]!;
  let s1 = 0, s2 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
  for (let i = 0; i < n; i++) {
    const y = returns[off + i]!;
    const d = y - shift;
    s1 += d;
    s2 += d * d;
    const o = i * 8;
    c0 += q8[o]! * y; c1 += q8[o + 1]! * y; c2 += q8[o + 2]! * y; c3 += q8[o + 3]! * y;
    c4 += q8[o + 4]! * y; c5 += q8[o + 5]! * y; c6 += q8[o + 6]! * y; c7 += q8[o + 7]! * y;
  }
  c[0] = c0;
  if (k > 1) c[1] = c1;
  if (k > 2) c[2] = c2;
  if (k > 3) c[3] = c3;
  if (k > 4) c[4] = c4;
  if (k > 5) c[5] = c5;
  if (k > 6) c[6] = c6;
  if (k > 7) c[7] = c7;
  moments[0] = shift + s1 / n;
  moments[1] = s2 - (s1 * s1) / n;
  moments[2] = s2;
}

/** {@link projectWide} for k > 8: one pass for the moments, one dot product per factor. */
function projectNarrow(returns: Float64Array, off: number, n: number, k: number, q: Float64Array, c: Float64Array, moments: Float64Array): void {
  const shift = returns[off]!;
  let s1 = 0, s2 = 0;
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
  moments[0] = shift + s1 / n;
  moments[1] = s2 - (s1 * s1) / n;
  moments[2] = s2;
}

function markInvalid(out: BatchFactorBetas, p: number): void {
  const k = out.k;
  out.invalidPositions.push(p);
  for (const a of [out.betas, out.standardErrors, out.tStats]) a.fill(Number.NaN, p * k, (p + 1) * k);
  out.intercepts[p] = out.rSquared[p] = out.residualVolDaily[p] = Number.NaN;
}

/** b = R⁻¹c, β_j = b_j/s_j, SSR = SST − ‖c‖², SEs, t-stats, intercept and R² of position p. */
function storeFit(
  out: BatchFactorBetas, p: number,
  a: { f: DesignFactorization; c: Float64Array; mean: number; sst: number; seFactor: Float64Array },
): void {
  const { f, c, mean, sst, seFactor } = a;
  const k = f.k;
  let explained = 0;
  for (let j = 0; j < k; j++) explained += c[j]! * c[j]!;
  const ssr = Math.max(sst - explained, 0);
  const sigma = Math.sqrt(ssr / (f.n - k - 1));
  let intercept = mean;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let m = j; m < k; m++) s += f.rInv[j * k + m]! * c[m]!;
    const beta = s / f.scales[j]!;
    const se = sigma * seFactor[j]!;
    out.betas[p * k + j] = beta;
    out.standardErrors[p * k + j] = se;
    out.tStats[p * k + j] = beta / se;
    intercept -= beta * f.means[j]!;
  }
  out.intercepts[p] = intercept;
  out.rSquared[p] = 1 - ssr / sst;
  out.residualVolDaily[p] = sigma;
}
