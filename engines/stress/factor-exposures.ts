import { EngineError } from '../errors.ts';

/**
 * Dollar factor exposures of one position from its delta-adjusted exposure and betas
 * (engines.md §6.6/§8.10.1): E_k = delta_adj × β_k (USD per unit factor return); for rate
 * factors β is the return per +1 bp of yield (first differences in bp, §7.4), so E = delta_adj × β
 * is USD per bp. Options enter through their delta-adjusted exposure (Δ × q × 100 × S).
 *
 * @throws EngineError INVALID_INPUT for a non-finite exposure or beta.
 * @example factorExposuresFromBetas(100_000, { Market: 1.2, Interest_Rate: -0.0002 })
 * // { Market: 120000, Interest_Rate: -20 }  (−$20 per +1 bp)
 */
export function factorExposuresFromBetas(deltaAdjustedUsd: number, betas: Readonly<Record<string, number>>): Record<string, number> {
  if (!Number.isFinite(deltaAdjustedUsd)) throw new EngineError('INVALID_INPUT', 'deltaAdjustedUsd must be finite');
  const out: Record<string, number> = {};
  for (const [f, b] of Object.entries(betas)) {
    if (!Number.isFinite(b)) throw new EngineError('INVALID_INPUT', `beta for ${f} must be finite`);
    out[f] = deltaAdjustedUsd * b;
  }
  return out;
}
