import { EngineError } from '../errors.ts';
import { studentTTwoSidedP } from '../common/student-t.ts';

export interface PearsonResult {
  /** Pearson ρ on the aligned sample, or null when the overlap is below the minimum or a side is constant on it. */
  rho: number | null;
  /** Observations where both series have a value (the aligned sample). */
  n: number;
  /** Two-sided p-value of H0: ρ = 0 from t = ρ√((n−2)/(1−ρ²)), Student t with n − 2 df; null when ρ is null. */
  pValue: number | null;
}

/** Minimum pairwise overlap for a correlation (engines.md §10 retrieval default). */
export const DEFAULT_MIN_OVERLAP = 30;

/**
 * p-value of a Pearson correlation from the same aligned sample: t = ρ√((n − 2)/(1 − ρ²)),
 * two-sided Student t with n − 2 degrees of freedom (|ρ| = 1 → 0). Matches `scipy.stats.pearsonr`.
 * @throws EngineError INVALID_INPUT when n < 3 or ρ ∉ [−1, 1].
 * @example correlationPValue(0.5, 30) // 0.004884...
 */
export function correlationPValue(rho: number, n: number): number {
  if (n < 3 || !(Math.abs(rho) <= 1)) throw new EngineError('INVALID_INPUT', `p-value for rho=${rho}, n=${n}`);
  if (Math.abs(rho) === 1) return 0;
  return studentTTwoSidedP(rho * Math.sqrt((n - 2) / (1 - rho * rho)), n - 2);
}

/**
 * Pairwise Pearson correlation of two return series on a common date grid, where NaN marks a
 * missing observation: only dates where BOTH are present are used (intersection, never filled),
 * and the p-value comes from that same sample. Two-pass centred formula
 * ρ = Σ(x−x̄)(y−ȳ)/√(Σ(x−x̄)² Σ(y−ȳ)²), clipped to [−1, 1].
 * @throws EngineError INVALID_INPUT when lengths differ or minOverlap < 3.
 * @example pearson(x, y, 30) // { rho: 0.83, n: 250, pValue: 1.2e-64 }
 */
export function pearson(x: Float64Array, y: Float64Array, minOverlap = DEFAULT_MIN_OVERLAP): PearsonResult {
  if (x.length !== y.length) throw new EngineError('INVALID_INPUT', `series lengths ${x.length} and ${y.length} differ`);
  if (!(minOverlap >= 3)) throw new EngineError('INVALID_INPUT', `minOverlap must be ≥ 3, got ${minOverlap}`);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let t = 0; t < x.length; t++) {
    const a = x[t]!;
    const b = y[t]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      n++;
      sx += a;
      sy += b;
    }
  }
  if (n < minOverlap) return { rho: null, n, pValue: null };
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let t = 0; t < x.length; t++) {
    const a = x[t]!;
    const b = y[t]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      sxx += (a - mx) ** 2;
      syy += (b - my) ** 2;
      sxy += (a - mx) * (b - my);
    }
  }
  if (!(sxx > 0 && syy > 0)) return { rho: null, n, pValue: null };
  const rho = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { rho, n, pValue: correlationPValue(rho, n) };
}
