import { EngineError } from '../errors.ts';

/**
 * Sign-adjusted (P&L-direction) correlations: ρ'_ij = s_i s_j ρ_ij with s_i = sign of position
 * i's signed (delta-adjusted) exposure, so a short that moves with a long shows as a hedge
 * (negative) instead of a concentration. Zero exposure keeps s = +1. NaN (undefined) stays NaN.
 * @throws EngineError INVALID_INPUT when rho is not m × m for m exposures.
 * @example signAdjustedCorrelation(new Float64Array([1, 0.9, 0.9, 1]), [100, -50]) // Float64Array [1, -0.9, -0.9, 1]
 */
export function signAdjustedCorrelation(rho: Float64Array, exposures: ArrayLike<number>): Float64Array {
  const m = exposures.length;
  if (rho.length !== m * m) throw new EngineError('INVALID_INPUT', `rho has ${rho.length} entries for ${m} exposures`);
  const s = Float64Array.from({ length: m }, (_, i) => (exposures[i]! < 0 ? -1 : 1));
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i * m + j] = s[i]! * s[j]! * rho[i * m + j]!;
  return out;
}
