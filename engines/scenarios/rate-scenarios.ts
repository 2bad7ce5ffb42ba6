import { EngineError } from '../errors.ts';

/** A parallel yield shock in basis points (+100 = yields up 1 %-point). */
export interface RateShock {
  label: string;
  shockBp: number;
}

/** Default rate shocks: ±50, ±100, ±200 bp. */
export const DEFAULT_RATE_SHOCKS: readonly RateShock[] = [
  { label: 'rates_up_50bp', shockBp: 50 }, { label: 'rates_down_50bp', shockBp: -50 },
  { label: 'rates_up_100bp', shockBp: 100 }, { label: 'rates_down_100bp', shockBp: -100 },
  { label: 'rates_up_200bp', shockBp: 200 }, { label: 'rates_down_200bp', shockBp: -200 },
];

/** A position's rate sensitivity: signed exposure and its return per +1 bp of yield. */
export interface RateBetaPosition {
  id: string;
  /** Signed (delta-adjusted) exposure, USD. */
  exposureUsd: number;
  /**
   * Return of the position per +1 bp of yield change: the slope of daily returns on first
   * differences of the yield in bp (Δy_t = (y_t − y_{t−1}) × 100, yields in percent), never on the
   * percentage change of the yield level (engines.md §7.4). A bond ETF with duration 17 has ≈ −0.0017.
   */
  rateBetaPerBp: number;
}

export interface RateScenarioResult {
  label: string;
  shockBp: number;
  /** Σ_i exposure_i × β_i,bp × shock_bp, USD. */
  pnlUsd: number;
  contributions: Array<{ id: string; pnlUsd: number }>;
}

/**
 * Interest-rate scenarios (engines.md §7.4 Required): pnl = Σ_i exposure_i × β_{i,bp} × shock_bp,
 * with β per +1 bp of yield (first differences) and shocks in bp.
 *
 * @throws EngineError INVALID_INPUT for non-finite exposures, betas or shocks, or duplicate labels.
 * @example rateShockScenarios([{ id: 'TLT', exposureUsd: 100_000, rateBetaPerBp: -0.0017 }],
 *   [{ label: 'rates_up_100bp', shockBp: 100 }])[0].pnlUsd // −17000
 */
export function rateShockScenarios(positions: readonly RateBetaPosition[], shocks: readonly RateShock[] = DEFAULT_RATE_SHOCKS): RateScenarioResult[] {
  if (new Set(shocks.map((s) => s.label)).size !== shocks.length) throw new EngineError('INVALID_INPUT', 'shock labels must be unique');
  for (const s of shocks) if (!Number.isFinite(s.shockBp)) throw new EngineError('INVALID_INPUT', `shock ${s.label} must be finite`);
  for (const p of positions) {
    if (!Number.isFinite(p.exposureUsd) || !Number.isFinite(p.rateBetaPerBp)) {
      throw new EngineError('INVALID_INPUT', `position ${p.id}: exposureUsd and rateBetaPerBp must be finite`);
    }
  }
  return shocks.map(({ label, shockBp }) => {
    const contributions = positions.map((p) => ({ id: p.id, pnlUsd: p.exposureUsd * p.rateBetaPerBp * shockBp }));
    return { label, shockBp, pnlUsd: contributions.reduce((a, c) => a + c.pnlUsd, 0), contributions };
  });
}
