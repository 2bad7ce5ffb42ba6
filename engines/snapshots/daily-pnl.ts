import { EngineError } from '../errors.ts';
import { assertTypeMatchesQuantity, multiplierOf, type PositionType } from '../valuation/position-type.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One position as the snapshot engine sees it on date D (ISO dates YYYY-MM-DD). */
export interface SnapshotPosition {
  id: string;
  symbol: string;
  positionType: PositionType;
  /** Signed shares or contracts held (for a position closed in the period: the quantity closed). */
  quantity: number;
  entryDate: string;
  /** Entry price per share, USD. */
  entryPrice: number;
  exitDate?: string | null;
  /** Exit price per share, USD (required when exitDate falls in the period). */
  exitPrice?: number | null;
  /** Newest close on/before D per share, USD; null when missing (excluded from values and P&L). */
  price: number | null;
  /** Date of `price`; earlier than D counts as stale. */
  priceDate?: string | null;
  /** Close per share on the previous snapshot's date (or the prior trading day for a first snapshot). */
  prevPrice: number | null;
  underlyingSymbol?: string | null;
  underlyingPrice?: number | null;
  deltaPerShare?: number | null;
  /** Options: position-level dollar Greeks on D (from `positionGreeks`); summed into the snapshot. */
  dollarGreeks?: SnapshotDollarGreeks | null;
}

/** Position or portfolio dollar Greeks with their units in the names (see engines/options/position-greeks.ts). */
export interface SnapshotDollarGreeks {
  /** Δ × q × 100 × S, USD per 100 % move of the underlying (share-equivalent dollars). */
  dollarDelta: number;
  /** ½ Γ q 100 (0.01 S)², USD of convexity P&L for a 1 % move. */
  dollarGamma1Pct: number;
  thetaDollarsPerDay: number;
  vegaDollarsPerVolPoint: number;
  rhoDollarsPerPct: number;
}

export interface DailyPnl {
  /** Σ over positions held across the period: q × (P_D − P_prev) × mult, USD. */
  heldPnlUsd: number;
  /** Σ over positions opened in the period and still open: q × (P_D − entry) × mult, USD. */
  openedPnlUsd: number;
  /** Σ over positions closed in the period: q × (exit − P_prev or entry) × mult, USD. */
  realizedPnlUsd: number;
  totalPnlUsd: number;
  /** Ids whose P&L could not be computed (missing price, previous price or exit price). */
  uncoveredIds: string[];
}

/** Active on D: entered on/before D and not exited on/before D. */
export function isActiveOn(p: SnapshotPosition, date: string): boolean {
  return p.entryDate <= date && (p.exitDate == null || p.exitDate > date);
}

/** @throws EngineError INVALID_INPUT for malformed dates, prices or type/sign. */
export function checkSnapshotPosition(p: SnapshotPosition): void {
  assertTypeMatchesQuantity(p.positionType, p.quantity, p.id);
  for (const d of [p.entryDate, p.exitDate, p.priceDate]) {
    if (d != null && !ISO_DATE.test(d)) throw new EngineError('INVALID_INPUT', `position ${p.id}: date ${d} is not YYYY-MM-DD`);
  }
  for (const v of [p.entryPrice, p.exitPrice, p.price, p.prevPrice, p.underlyingPrice]) {
    if (v != null && !(Number.isFinite(v) && v >= 0)) throw new EngineError('INVALID_INPUT', `position ${p.id}: prices must be finite and ≥ 0`);
  }
  if (p.exitDate != null && p.exitDate < p.entryDate) throw new EngineError('INVALID_INPUT', `position ${p.id}: exitDate before entryDate`);
}

/**
 * Daily P&L over the period (prevDate, date] (engines.md §9 Required), position by position:
 *   held across (entry ≤ prevDate, still open):   q × (P_D − P_prev) × mult
 *   opened in the period (entry > prevDate, open): q × (P_D − entry) × mult
 *   closed in the period (exit in (prevDate, D]):  q × (exit − P_prev) × mult, or q × (exit − entry) × mult
 *                                                  if also opened in the period.
 * New positions are never counted as P&L from their cost, and closes contribute only the move
 * since the last mark (earlier moves were already in earlier snapshots). `prevDate` is the latest
 * earlier snapshot's date, so a missed day is covered by the longer period; with no earlier
 * snapshot (null) the period is the day D itself and P_prev is the prior close.
 *
 * @throws EngineError INVALID_INPUT for invalid positions or dates.
 * @example dailyPnl({ date: '2026-07-13', prevDate: '2026-07-10', positions: [{ id: 'x', symbol: 'XOM',
 *   positionType: 'SHORT', quantity: -50, entryDate: '2026-01-02', entryPrice: 90, price: 110, prevPrice: 100 }] }).totalPnlUsd // −500
 */
export function dailyPnl(input: { date: string; prevDate: string | null; positions: readonly SnapshotPosition[] }): DailyPnl {
  const { date, prevDate } = input;
  if (!ISO_DATE.test(date) || (prevDate !== null && !(ISO_DATE.test(prevDate) && prevDate < date))) {
    throw new EngineError('INVALID_INPUT', `date must be YYYY-MM-DD and after prevDate (${date}, ${prevDate})`);
  }
  const openedInPeriod = (p: SnapshotPosition) => (prevDate === null ? p.entryDate === date : p.entryDate > prevDate);
  const out: DailyPnl = { heldPnlUsd: 0, openedPnlUsd: 0, realizedPnlUsd: 0, totalPnlUsd: 0, uncoveredIds: [] };
  for (const p of input.positions) {
    checkSnapshotPosition(p);
    const mult = multiplierOf(p.positionType);
    const opened = openedInPeriod(p);
    const closed = p.exitDate != null && p.exitDate <= date && (prevDate === null ? p.exitDate === date : p.exitDate > prevDate);
    if (p.entryDate > date || (!closed && !isActiveOn(p, date))) continue;
    const end = closed ? p.exitPrice : p.price;
    const start = opened ? p.entryPrice : p.prevPrice;
    if (end == null || start == null) {
      out.uncoveredIds.push(p.id);
      continue;
    }
    const pnl = p.quantity * (end - start) * mult;
    if (closed) out.realizedPnlUsd += pnl;
    else if (opened) out.openedPnlUsd += pnl;
    else out.heldPnlUsd += pnl;
  }
  out.totalPnlUsd = out.heldPnlUsd + out.openedPnlUsd + out.realizedPnlUsd;
  return out;
}
