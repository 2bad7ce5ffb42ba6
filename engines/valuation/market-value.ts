import { EngineError } from '../errors.ts';
import { assertTypeMatchesQuantity, isOptionType, multiplierOf, type PositionType } from './position-type.ts';

/** One position as the valuation engines see it (plain data; prices already looked up). */
export interface PositionInput {
  id: string;
  symbol: string;
  positionType: PositionType;
  /** Signed shares (stocks) or signed contracts (options); sign must agree with the type. */
  quantity: number;
  /** Price per share of the instrument itself (the option premium for options), USD, ≥ 0. */
  price: number;
  /** Entry price per share, USD; null/absent → cost basis and unrealized P&L are null. */
  entryPrice?: number | null;
  /** Options: underlying symbol (group-by key); stocks group under `symbol`. */
  underlyingSymbol?: string | null;
  /** Options: underlying close S, USD (needed for delta-adjusted exposure and notional). */
  underlyingPrice?: number | null;
  /** Options: per-share BSM delta (e.g. 0.54 for a call); needed for delta-adjusted exposure. */
  deltaPerShare?: number | null;
  sector?: string | null;
  tags?: readonly string[];
}

export interface PositionValuation {
  id: string;
  multiplier: number;
  /** q × P × multiplier, USD, signed (negative for shorts). */
  marketValueUsd: number;
  /** |market value|, USD. */
  absMarketValueUsd: number;
  /** q × entry × multiplier, USD, signed; null without an entry price. */
  costBasisUsd: number | null;
  /** market value − cost basis, USD; null without an entry price. */
  unrealizedPnlUsd: number | null;
}

/**
 * Validates a position: known type agreeing with the quantity sign, finite price ≥ 0, and for
 * options a finite underlying price > 0 and delta when given.
 * @throws EngineError INVALID_INPUT describing the first violated precondition.
 */
export function checkPosition(p: PositionInput): void {
  assertTypeMatchesQuantity(p.positionType, p.quantity, p.id);
  if (!(Number.isFinite(p.price) && p.price >= 0)) throw new EngineError('INVALID_INPUT', `price must be finite and ≥ 0 (position ${p.id}), got ${p.price}`);
  if (p.entryPrice != null && !(Number.isFinite(p.entryPrice) && p.entryPrice >= 0)) {
    throw new EngineError('INVALID_INPUT', `entryPrice must be finite and ≥ 0 (position ${p.id})`);
  }
  if (isOptionType(p.positionType)) {
    if (p.underlyingPrice != null && !(Number.isFinite(p.underlyingPrice) && p.underlyingPrice > 0)) {
      throw new EngineError('INVALID_INPUT', `underlyingPrice must be finite and > 0 (position ${p.id})`);
    }
    if (p.deltaPerShare != null && !(Number.isFinite(p.deltaPerShare) && Math.abs(p.deltaPerShare) <= 1)) {
      throw new EngineError('INVALID_INPUT', `deltaPerShare must be in [−1, 1] (position ${p.id})`);
    }
  }
}

/**
 * Position valuation (engines.md §3): multiplier m = 100 for LC/LP/SC/SP, else 1;
 * market_value = q × P × m (signed); abs_market_value = |market_value|;
 * cost_basis = q × entry × m (signed); unrealized_pnl = market_value − cost_basis. USD throughout.
 *
 * @throws EngineError INVALID_INPUT (see `checkPosition`).
 * @example valuePosition({ id: 'a', symbol: 'AAPL', positionType: 'SHORT', quantity: -10, price: 200, entryPrice: 210 })
 * // { id: 'a', multiplier: 1, marketValueUsd: -2000, absMarketValueUsd: 2000, costBasisUsd: -2100, unrealizedPnlUsd: 100 }
 */
export function valuePosition(p: PositionInput): PositionValuation {
  checkPosition(p);
  const multiplier = multiplierOf(p.positionType);
  const marketValueUsd = p.quantity * p.price * multiplier;
  const costBasisUsd = p.entryPrice == null ? null : p.quantity * p.entryPrice * multiplier;
  return {
    id: p.id,
    multiplier,
    marketValueUsd,
    absMarketValueUsd: Math.abs(marketValueUsd),
    costBasisUsd,
    unrealizedPnlUsd: costBasisUsd === null ? null : marketValueUsd - costBasisUsd,
  };
}
