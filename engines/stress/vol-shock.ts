import { EngineError } from '../errors.ts';

/**
 * Implied-volatility shock of stress scenarios.
 *
 * Convention (engines.md §8.10.4, "volatility scenarios may also shift σ"): a scenario's vol
 * shock `v` is the **relative change of the VIX level**, a fraction like every other stress shock
 * (`vix_spike_150`: v = +1.50, VIX × 2.5). It maps to each option's implied vol
 * **proportionally** (sticky-moneyness, whole surface scaled by the VIX ratio):
 *   σ' = σ × (1 + v),  Δσ = σ × v (decimal),  Δσ in vol points = 100 × σ × v.
 * Proportional rather than a parallel shift of v × VIX₀ vol points because the VIX level is not
 * an input the engines have (no VIX series, engines.md §2.4/§12.5) and a proportional shift keeps
 * every σ' ≥ 0 for v ≥ −1. It moves all options by the index's ratio; single-name vols usually
 * rise by a smaller ratio than the VIX in a spike, so this is a severe (conservative for long
 * vega, favourable for short vega) reading.
 */
export const VIX_SHOCK_CONVENTION = 'relative VIX change v; sigma_shifted = sigma * (1 + v)' as const;

/**
 * VIX moves the catalogue states for its scenarios (stress-scenarios.json has no vol factor;
 * the move is taken from the scenario's definition). `vix_spike_150` ("VIX Spike 150%") → +1.50.
 * `liquidity_crisis` (category volatility) states no VIX move and gets none: its options keep
 * their σ and the stress result says so in its warnings.
 */
export const CATALOGUE_VIX_SHOCKS: Readonly<Record<string, number>> = Object.freeze({ vix_spike_150: 1.5 });

/**
 * Shifted implied vol under a relative VIX shock: σ' = σ (1 + v).
 * @throws EngineError INVALID_INPUT for non-finite input, σ < 0 or v < −1 (a negative vol).
 * @example shiftedVol(0.25, 1.5) // 0.625 (VIX +150 %: 25 % vol → 62.5 %, +37.5 vol points)
 */
export function shiftedVol(volAnnual: number, vixShock: number): number {
  if (!Number.isFinite(volAnnual) || volAnnual < 0) throw new EngineError('INVALID_INPUT', `volAnnual must be finite and ≥ 0, got ${volAnnual}`);
  if (!Number.isFinite(vixShock) || vixShock < -1) throw new EngineError('INVALID_INPUT', `VIX shock must be finite and ≥ −1 (−100 %), got ${vixShock}`);
  return volAnnual * (1 + vixShock);
}
