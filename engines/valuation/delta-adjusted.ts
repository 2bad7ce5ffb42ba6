import { isOptionType, OPTION_MULTIPLIER } from './position-type.ts';
import { checkPosition, type PositionInput } from './market-value.ts';

/**
 * Delta-adjusted exposure of one position, USD, signed (engines.md §4.3 Required):
 *   stock: q × P;  option: Δ_per_share × q × 100 × S_underlying (= share delta × S).
 * Returns null for an option without `deltaPerShare` or `underlyingPrice` (the caller excludes
 * it and warns, or computes Greeks first).
 *
 * @throws EngineError INVALID_INPUT (see `checkPosition`).
 * @example deltaAdjustedExposure({ id: 'p', symbol: 'X', positionType: 'LP', quantity: 2, price: 3,
 *   deltaPerShare: -0.4, underlyingPrice: 50 }) // −4000 (= −0.4 × 2 × 100 × 50)
 */
export function deltaAdjustedExposure(p: PositionInput): number | null {
  checkPosition(p);
  if (!isOptionType(p.positionType)) return p.quantity * p.price;
  if (p.deltaPerShare == null || p.underlyingPrice == null) return null;
  return p.deltaPerShare * p.quantity * OPTION_MULTIPLIER * p.underlyingPrice;
}

/**
 * Notional of one position, USD, unsigned (engines.md §4.1 Required): options use contract
 * notional |q| × 100 × S_underlying; stocks |q × P|. Null for an option without an underlying price.
 * @example positionNotional({ id: 'c', symbol: 'X', positionType: 'SC', quantity: -3, price: 2, underlyingPrice: 40 }) // 12000
 */
export function positionNotional(p: PositionInput): number | null {
  checkPosition(p);
  if (!isOptionType(p.positionType)) return Math.abs(p.quantity * p.price);
  return p.underlyingPrice == null ? null : Math.abs(p.quantity) * OPTION_MULTIPLIER * p.underlyingPrice;
}
