import { EngineError } from '../errors.ts';
import type { OptionRight } from '../options/black-scholes.ts';

/** Position types (engines.md global conventions): stocks/ETFs LONG/SHORT; options LC, LP, SC, SP. */
export type PositionType = 'LONG' | 'SHORT' | 'LC' | 'LP' | 'SC' | 'SP';

export const POSITION_TYPES: readonly PositionType[] = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'];

/** Contract multiplier: 100 shares per option contract, 1 otherwise. */
export const OPTION_MULTIPLIER = 100;

/** True for LC, LP, SC, SP. @example isOptionType('SP') // true */
export function isOptionType(t: PositionType): boolean {
  return t === 'LC' || t === 'LP' || t === 'SC' || t === 'SP';
}

/** Multiplier of a position type: 100 for options, 1 for stocks. @example multiplierOf('LC') // 100 */
export function multiplierOf(t: PositionType): number {
  return isOptionType(t) ? OPTION_MULTIPLIER : 1;
}

/** Option right of an option type, or null for stocks. @example rightOf('SP') // 'put' */
export function rightOf(t: PositionType): OptionRight | null {
  return t === 'LC' || t === 'SC' ? 'call' : t === 'LP' || t === 'SP' ? 'put' : null;
}

/** +1 for long types (LONG, LC, LP), −1 for short types (SHORT, SC, SP). */
export function typeSign(t: PositionType): 1 | -1 {
  return t === 'LONG' || t === 'LC' || t === 'LP' ? 1 : -1;
}

/**
 * Checks that a position type is known and agrees with the quantity sign: long types need
 * quantity ≥ 0, short types quantity ≤ 0 (a zero quantity is accepted for either and carries no
 * exposure). Quantities are signed contracts for options and signed shares for stocks.
 * @throws EngineError INVALID_INPUT for an unknown type, a non-finite quantity, or a sign mismatch
 *   (e.g. SHORT with quantity +10, LC with quantity −2).
 * @example assertTypeMatchesQuantity('SC', -3) // ok; assertTypeMatchesQuantity('SC', 3) // throws
 */
export function assertTypeMatchesQuantity(t: PositionType, quantity: number, id?: string): void {
  const where = id === undefined ? '' : ` (position ${id})`;
  if (!POSITION_TYPES.includes(t)) throw new EngineError('INVALID_INPUT', `unknown position type ${String(t)}${where}`);
  if (!Number.isFinite(quantity)) throw new EngineError('INVALID_INPUT', `quantity must be finite, got ${quantity}${where}`);
  if (quantity * typeSign(t) < 0) {
    throw new EngineError('INVALID_INPUT', `position type ${t} disagrees with quantity sign ${quantity}${where}`, { positionType: t, quantity, id });
  }
}
