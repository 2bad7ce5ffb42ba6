/**
 * The last step of every format: a row's instrument, signed quantity and prices become one
 * normalized position, or nothing when the row had a problem (its problems are reported instead).
 */
import type { OptionContract } from './options.ts';
import type { RowReader } from './rows.ts';
import type { AssetType, ParsedPosition, ParsedRow } from './types.ts';

/** Shares per listed US equity option contract. */
export const OPTION_MULTIPLIER = 100;

export type Instrument = { kind: 'equity'; symbol: string; assetType: Exclude<AssetType, 'option'> } | { kind: 'option'; contract: OptionContract };

export interface PositionDraft<K extends string> {
  instrument: Instrument | null;
  /** Signed: < 0 is short. */
  quantity: number | null;
  /** Column the quantity came from, named in problems. */
  quantityColumn: K;
  entryPrice: number | null;
  entryPriceColumn: K;
  entryDate: string | null;
  multiplier?: number | null;
  multiplierColumn?: K;
  tags?: string[];
  notes?: string | null;
}

/**
 * The parsed row for a draft, or null when the reader holds problems or the draft is incomplete
 * (a zero quantity or a negative price adds a `bad_value` problem).
 */
export function finishRow<K extends string>(r: RowReader<K>, d: PositionDraft<K>): ParsedRow | null {
  if (d.quantity === 0) r.problem('bad_value', d.quantityColumn, 'quantity is 0: a position needs a non-zero quantity');
  if (d.entryPrice !== null && d.entryPrice < 0) r.problem('bad_value', d.entryPriceColumn, `entry price ${d.entryPrice} is negative: give the price paid per share, and the direction as a negative quantity or side short`);
  const isOption = d.instrument?.kind === 'option';
  const multiplier = d.multiplier ?? (isOption ? OPTION_MULTIPLIER : 1);
  if (!Number.isInteger(multiplier) || multiplier <= 0) r.problem('bad_value', d.multiplierColumn ?? d.quantityColumn, `multiplier ${multiplier} must be a whole number above 0`);
  if (r.problems.length > 0 || d.instrument === null || d.quantity === null || d.entryPrice === null) return null;
  const inst = d.instrument;
  const position: ParsedPosition = {
    symbol: inst.kind === 'option' ? inst.contract.symbol : inst.symbol,
    asset_type: inst.kind === 'option' ? 'option' : inst.assetType,
    side: d.quantity < 0 ? 'short' : 'long',
    quantity: Math.abs(d.quantity),
    entry_price: d.entryPrice,
    entry_date: d.entryDate,
    underlying: inst.kind === 'option' ? inst.contract.underlying : null,
    strike: inst.kind === 'option' ? inst.contract.strike : null,
    expiry: inst.kind === 'option' ? inst.contract.expiry : null,
    right: inst.kind === 'option' ? inst.contract.right : null,
    multiplier,
    tags: d.tags ?? [],
    notes: d.notes ? d.notes : null,
  };
  return { line: r.line, position, warnings: [...r.warnings] };
}
