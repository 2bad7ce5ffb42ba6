import { EngineError } from '../errors.ts';
import type { BsmInputs } from '../options/black-scholes.ts';
import { bsmGreeks } from '../options/greeks.ts';
import { assertTypeMatchesQuantity, OPTION_MULTIPLIER, rightOf, type PositionType } from '../valuation/position-type.ts';
import { checkShocks, DEFAULT_MARKET_SHOCKS, type MarketShock } from './market-scenarios.ts';

/** An option position with its BSM inputs (the right comes from the position type) and the market beta of its underlying. */
export interface OptionScenarioPosition extends Omit<BsmInputs, 'right'> {
  id: string;
  positionType: PositionType;
  /** Signed contracts. */
  quantity: number;
  /** β of the underlying to the market: the underlying moves by β × shock. */
  betaUnderlying: number;
  multiplier?: number;
}

export interface OptionScenarioResult {
  label: string;
  shock: number;
  /** First order: Δ q m ΔS, USD. */
  deltaPnlUsd: number;
  /** Delta-gamma: Δ q m ΔS + ½ Γ q m ΔS², USD. */
  deltaGammaPnlUsd: number;
  /** Full revaluation: (V(S') − V(S)) q m at the same σ, T, r, q, USD. */
  fullRevaluationPnlUsd: number;
  positions: Array<{ id: string; underlyingMove: number; deltaPnlUsd: number; deltaGammaPnlUsd: number; fullRevaluationPnlUsd: number }>;
}

/** Per-share value when the shocked underlying is ≤ 0 (S' → 0 limit): call 0, put K e^{−rT}. */
function priceAt(p: OptionScenarioPosition, spot: number, right: 'call' | 'put'): number {
  if (spot <= 0) return right === 'call' ? 0 : p.strike * Math.exp(-p.rateCont * p.tenorYears);
  return bsmGreeks({ spot, strike: p.strike, tenorYears: p.tenorYears, rateCont: p.rateCont, volAnnual: p.volAnnual, dividendYield: p.dividendYield ?? 0, right }).price;
}

/**
 * Option non-linearity under market shocks (engines.md §7.4 Required): each underlying moves by
 * ΔS = S × β_u × shock; P&L by (a) delta Δ q m ΔS, (b) delta-gamma Δ q m ΔS + ½ Γ q m ΔS², and
 * (c) full revaluation (BSM at S' = S + ΔS with the same σ, T, r, q) Σ (V' − V) q m. A shocked
 * underlying at or below 0 is valued at its S → 0 limit (call 0, put K e^{−rT}).
 *
 * @throws EngineError INVALID_INPUT for a non-option or sign-mismatched type, invalid BSM inputs,
 *   non-finite beta or shocks.
 * @example optionMarketScenarios([{ id: 'c', positionType: 'LC', quantity: 1, spot: 100, strike: 100, tenorYears: 0.25,
 *   rateCont: 0.05, volAnnual: 0.2, betaUnderlying: 1 }], [{ label: 'up', shock: 0.1 }])[0].fullRevaluationPnlUsd // ≈ 737.33 (delta-gamma ≈ 765.90)
 */
export function optionMarketScenarios(positions: readonly OptionScenarioPosition[], shocks: readonly MarketShock[] = DEFAULT_MARKET_SHOCKS): OptionScenarioResult[] {
  checkShocks(shocks);
  const prepared = positions.map((p) => {
    assertTypeMatchesQuantity(p.positionType, p.quantity, p.id);
    const right = rightOf(p.positionType);
    if (right === null) throw new EngineError('INVALID_INPUT', `position ${p.id} is not an option`);
    if (!Number.isFinite(p.betaUnderlying)) throw new EngineError('INVALID_INPUT', `position ${p.id}: betaUnderlying must be finite`);
    const g = bsmGreeks({ spot: p.spot, strike: p.strike, tenorYears: p.tenorYears, rateCont: p.rateCont, volAnnual: p.volAnnual, dividendYield: p.dividendYield ?? 0, right });
    return { p, right, g, qm: p.quantity * (p.multiplier ?? OPTION_MULTIPLIER) };
  });
  return shocks.map(({ label, shock }) => {
    const rows = prepared.map(({ p, right, g, qm }) => {
      const dS = p.spot * p.betaUnderlying * shock;
      const deltaPnlUsd = g.delta * qm * dS;
      return {
        id: p.id, underlyingMove: dS, deltaPnlUsd,
        deltaGammaPnlUsd: deltaPnlUsd + 0.5 * g.gamma * qm * dS * dS,
        fullRevaluationPnlUsd: (priceAt(p, p.spot + dS, right) - g.price) * qm,
      };
    });
    const sum = (k: 'deltaPnlUsd' | 'deltaGammaPnlUsd' | 'fullRevaluationPnlUsd') => rows.reduce((a, r) => a + r[k], 0);
    return { label, shock, deltaPnlUsd: sum('deltaPnlUsd'), deltaGammaPnlUsd: sum('deltaGammaPnlUsd'), fullRevaluationPnlUsd: sum('fullRevaluationPnlUsd'), positions: rows };
  });
}
