import { EngineError } from '../errors.ts';

export interface Diversification {
  /** Σ_{i<j} w_i w_j |ρ_ij| / Σ_{i<j} w_i w_j over defined pairs (engines.md §10 retrieval); null when no pair is defined. 0 = uncorrelated, 1 = perfectly (anti)correlated. */
  diversificationScore: number | null;
  /** (Σ|w_i|)² / Σ_i Σ_j w_i w_j ρ_ij (undefined ρ treated as 0); null if the quadratic form ≤ 0. */
  effectivePositions: number | null;
  /** HHI-based effective N, (Σ|w_i|)² / Σ w_i². */
  hhiEffectivePositions: number;
  /** Pairs i < j with undefined ρ (excluded from the score, 0 in effective N). */
  undefinedPairs: number;
}

/**
 * Diversification metrics from a correlation matrix and position weights, indices aligned
 * (w_i belongs to row/column i of ρ — the reference misaligned them). Weights are gross or
 * signed delta-adjusted exposures (any scale; they need not sum to 1): with signed weights and a
 * price correlation matrix the effective N reflects hedges; the diversification score uses
 * w_i w_j as in the reference (pass |w| for the gross version).
 * effective N = (Σ|w|)²/wᵀρw equals 1/ΣΣ w_i w_j ρ_ij when Σ|w| = 1: m for m uncorrelated equal
 * weights, 1 for perfectly correlated ones.
 * @throws EngineError INVALID_INPUT (shape mismatch, non-finite weight, all-zero weights).
 * @example diversification(new Float64Array([1, 0, 0, 1]), [0.5, 0.5]) // { diversificationScore: 0, effectivePositions: 2, hhiEffectivePositions: 2, undefinedPairs: 0 }
 */
export function diversification(rho: Float64Array, weights: ArrayLike<number>): Diversification {
  const m = weights.length;
  if (rho.length !== m * m) throw new EngineError('INVALID_INPUT', `rho has ${rho.length} entries for ${m} weights`);
  let sumAbs = 0;
  let sumSq = 0;
  for (let i = 0; i < m; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(w)) throw new EngineError('INVALID_INPUT', `weight ${i} is ${w}`);
    sumAbs += Math.abs(w);
    sumSq += w * w;
  }
  if (!(sumAbs > 0)) throw new EngineError('INVALID_INPUT', 'all weights are zero');
  let num = 0;
  let den = 0;
  let quad = sumSq; // diagonal ρ_ii = 1
  let undefinedPairs = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const r = rho[i * m + j]!;
      if (Number.isNaN(r)) {
        undefinedPairs++;
        continue;
      }
      const ww = weights[i]! * weights[j]!;
      num += ww * Math.abs(r);
      den += ww;
      quad += 2 * ww * r;
    }
  }
  return {
    diversificationScore: den !== 0 ? num / den : null,
    effectivePositions: quad > 0 ? (sumAbs * sumAbs) / quad : null,
    hhiEffectivePositions: (sumAbs * sumAbs) / sumSq,
    undefinedPairs,
  };
}
