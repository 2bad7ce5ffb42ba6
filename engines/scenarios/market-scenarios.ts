import { EngineError } from '../errors.ts';

/** A market shock: fractional move of the market factor (SPY), e.g. −0.10. */
export interface MarketShock {
  label: string;
  shock: number;
}

/** Default market shocks (engines.md §7.2): ±5 %, ±10 %, ±20 %. */
export const DEFAULT_MARKET_SHOCKS: readonly MarketShock[] = [
  { label: 'market_up_5', shock: 0.05 }, { label: 'market_down_5', shock: -0.05 },
  { label: 'market_up_10', shock: 0.1 }, { label: 'market_down_10', shock: -0.1 },
  { label: 'market_up_20', shock: 0.2 }, { label: 'market_down_20', shock: -0.2 },
];

/** A position's linear market sensitivity: signed delta-adjusted exposure and market beta. */
export interface MarketBetaPosition {
  id: string;
  /** Signed delta-adjusted exposure, USD (stocks q×P; options Δ×q×100×S). */
  deltaAdjustedUsd: number;
  /** Beta of the position (or of the option's underlying) to the market factor. */
  betaMarket: number;
}

export interface MarketScenarioResult {
  label: string;
  shock: number;
  /** Σ_i delta_adj_i × β_i,M × shock, USD (signed). */
  pnlUsd: number;
  contributions: Array<{ id: string; pnlUsd: number }>;
}

/** @throws EngineError INVALID_INPUT unless every shock is finite and labels are unique. */
export function checkShocks(shocks: readonly MarketShock[]): void {
  if (new Set(shocks.map((s) => s.label)).size !== shocks.length) throw new EngineError('INVALID_INPUT', 'shock labels must be unique');
  for (const s of shocks) if (!Number.isFinite(s.shock)) throw new EngineError('INVALID_INPUT', `shock ${s.label} must be finite`);
}

/**
 * Linear market scenarios via beta (engines.md §7.4 Required):
 *   pnl_s = Σ_i delta_adj_i × β_{i,M} × shock_s  (signed: shorts gain when the market falls).
 * Option non-linearity is handled separately by `optionMarketScenarios`.
 *
 * @throws EngineError INVALID_INPUT for non-finite exposures, betas or shocks.
 * @example marketBetaScenarios([{ id: 'AAPL', deltaAdjustedUsd: 100_000, betaMarket: 1.2 },
 *   { id: 'XOM', deltaAdjustedUsd: -50_000, betaMarket: 0.8 }], [{ label: 'market_down_10', shock: -0.1 }])[0].pnlUsd // −8000
 */
export function marketBetaScenarios(positions: readonly MarketBetaPosition[], shocks: readonly MarketShock[] = DEFAULT_MARKET_SHOCKS): MarketScenarioResult[] {
  checkShocks(shocks);
  for (const p of positions) {
    if (!Number.isFinite(p.deltaAdjustedUsd) || !Number.isFinite(p.betaMarket)) {
      throw new EngineError('INVALID_INPUT', `position ${p.id}: deltaAdjustedUsd and betaMarket must be finite`);
    }
  }
  return shocks.map(({ label, shock }) => {
    const contributions = positions.map((p) => ({ id: p.id, pnlUsd: p.deltaAdjustedUsd * p.betaMarket * shock }));
    return { label, shock, pnlUsd: contributions.reduce((a, c) => a + c.pnlUsd, 0), contributions };
  });
}
