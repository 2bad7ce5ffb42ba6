import { EngineError } from '../errors.ts';
import type { BsmInputs } from '../options/black-scholes.ts';
import { bsmGreeks } from '../options/greeks.ts';
import { assertTypeMatchesQuantity, OPTION_MULTIPLIER, rightOf, type PositionType } from '../valuation/position-type.ts';
import { shiftedVol } from './vol-shock.ts';

/**
 * An option held in the stressed book. Its linear part is already in the book's factor
 * exposures: the `StressPosition` with the same `id` carries E_k = Δ q m S β_k (delta-adjusted
 * exposure × the underlying's betas). This record adds what the linear exposure misses.
 */
export interface StressOptionPosition extends Omit<BsmInputs, 'right'> {
  /** Same id as the position's `StressPosition`. */
  id: string;
  positionType: PositionType;
  /** Signed contracts. */
  quantity: number;
  multiplier?: number;
  /** The underlying's factor betas (return per unit factor return; rate factors per bp), as in its exposures. */
  underlyingBetas: Readonly<Record<string, number>>;
}

/**
 * 'delta': no adjustment (linear exposures only). 'delta_vega': first order in σ, adds
 * vega × Δσ. 'full_revaluation': BSM repricing at the shocked underlying and shifted σ.
 */
export type OptionStressMethod = 'delta' | 'delta_vega' | 'full_revaluation';

export interface OptionStressRow {
  id: string;
  /** r_u = Σ_k β_k m_k over every factor move (shocked and implied), fraction. */
  underlyingReturn: number;
  /** Δσ in vol points (100 × σ × v). */
  volShiftPoints: number;
  /** Δ q m S r_u: what the factor exposures already count, USD. */
  linearPnlUsd: number;
  /** vegaPerVolPoint × q m × Δσ points, USD. */
  vegaPnlUsd: number;
  /** Added to the linear stress P&L by the chosen method, USD. */
  adjustmentPnlUsd: number;
}

/** Per-share value at a shocked spot; S' ≤ 0 takes the S → 0 limit (call 0, put K e^{−rT}). */
function valueAt(p: StressOptionPosition, spot: number, volAnnual: number, right: 'call' | 'put'): number {
  if (spot <= 0) return right === 'call' ? 0 : p.strike * Math.exp(-p.rateCont * p.tenorYears);
  return bsmGreeks({ ...p, spot, volAnnual, dividendYield: p.dividendYield ?? 0, right }).price;
}

/**
 * Non-linear and volatility P&L of options under one stress scenario (engines.md §8.10.4).
 * Underlying: S' = S (1 + r_u), r_u = Σ_k β_k m_k over the scenario's factor moves `moves`
 * (shocked and propagated, native units). Vol: σ' = σ (1 + v) with v the relative VIX shock
 * (`shiftedVol`; 0 when the scenario has none). Per position (q signed contracts, m multiplier):
 *   linear = Δ q m S r_u (already in the factor exposures, not added again);
 *   'delta' → adjustment 0;
 *   'delta_vega' → adjustment = vegaPerVolPoint × q m × 100 σ v (first order in σ; no gamma);
 *   'full_revaluation' → adjustment = (V(S', σ') − V(S, σ)) q m − linear.
 * So linear + adjustment is the option's stressed P&L under the method, and nothing is counted
 * twice. With v = 0 and 'delta_vega' the adjustment is exactly 0.
 * @throws EngineError INVALID_INPUT for a non-option or sign-mismatched type, invalid BSM inputs,
 *   non-finite betas, or v < −1.
 * @example optionStressRows([{ id: 'c', positionType: 'LC', quantity: 1, spot: 100, strike: 100, tenorYears: 0.25,
 *   rateCont: 0.05, volAnnual: 0.2, underlyingBetas: {} }], new Map(), 0.5, 'delta_vega')[0].adjustmentPnlUsd // ≈ 196.44 (vega 0.196440 × 100 × 10 pts)
 */
export function optionStressRows(
  positions: readonly StressOptionPosition[], moves: ReadonlyMap<string, number>, vixShock: number, method: OptionStressMethod,
): OptionStressRow[] {
  return positions.map((p) => {
    assertTypeMatchesQuantity(p.positionType, p.quantity, p.id);
    const right = rightOf(p.positionType);
    if (right === null) throw new EngineError('INVALID_INPUT', `position ${p.id} is not an option`);
    let r = 0;
    for (const [f, b] of Object.entries(p.underlyingBetas)) {
      if (!Number.isFinite(b)) throw new EngineError('INVALID_INPUT', `option ${p.id}: beta to ${f} must be finite`);
      r += b * (moves.get(f) ?? 0);
    }
    const sigma2 = shiftedVol(p.volAnnual, vixShock);
    const g = bsmGreeks({ ...p, dividendYield: p.dividendYield ?? 0, right });
    const qm = p.quantity * (p.multiplier ?? OPTION_MULTIPLIER);
    const linearPnlUsd = g.delta * qm * p.spot * r;
    const volShiftPoints = 100 * (sigma2 - p.volAnnual);
    const vegaPnlUsd = g.vegaPerVolPoint * qm * volShiftPoints;
    const full = (valueAt(p, p.spot * (1 + r), sigma2, right) - g.price) * qm;
    const adjustmentPnlUsd = method === 'delta' ? 0 : method === 'delta_vega' ? vegaPnlUsd : full - linearPnlUsd;
    return { id: p.id, underlyingReturn: r, volShiftPoints, linearPnlUsd, vegaPnlUsd, adjustmentPnlUsd };
  });
}
