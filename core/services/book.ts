/**
 * Live valuation of a set of positions through core pricing: price, signed market value, cost
 * basis and unrealized P&L per position, plus the stale/proxied flags. Shared by the portfolio
 * and position read services so every route values a book the same way.
 */
import type { Db } from '../../db/client.ts';
import { latestPriceDate } from '../../db/queries/market-prices.ts';
import type { PositionRecord } from '../../db/queries/positions.ts';
import type { DataQualityFlags } from '../contracts/common.ts';
import type { PositionRow } from '../contracts/portfolio.ts';
import { pricePositions, type PositionPrice } from './pricing.ts';
import { round2 } from '../rounding.ts';

export interface ValuedPosition {
  record: PositionRecord;
  row: PositionRow;
  price: PositionPrice | null;
}


/** Latest trading date with data on or before `date` (defaults to the clock's day); null without prices. */
export async function pricingDate(db: Db, date: string): Promise<string | null> {
  return latestPriceDate(db, date);
}

export const isOption = (t: PositionRecord['positionType']): boolean => t === 'LC' || t === 'LP' || t === 'SC' || t === 'SP';

function toRow(p: PositionRecord, px: PositionPrice | null, asOf: string): PositionRow {
  const closed = p.exitDate !== null && p.exitDate <= asOf;
  const price = closed ? p.exitPrice : (px?.price ?? null);
  const costBasis = p.quantity * p.entryPrice * p.multiplier;
  const mv = price === null ? null : p.quantity * price * p.multiplier;
  const pnl = price === null ? null : (price - p.entryPrice) * p.quantity * p.multiplier;
  return {
    id: p.id,
    portfolio_id: p.portfolioId,
    symbol: p.symbol,
    position_type: p.positionType,
    quantity: p.quantity,
    entry_date: p.entryDate,
    entry_price: p.entryPrice,
    cost_basis: round2(costBasis),
    current_price: price,
    market_value: mv === null ? null : round2(closed ? 0 : mv),
    unrealized_pnl: pnl === null ? null : round2(pnl),
    unrealized_pnl_percent: pnl === null || costBasis === 0 ? null : Math.round((pnl / Math.abs(costBasis)) * 1e6) / 1e4,
    price_date: closed ? p.exitDate : (px?.priceDate ?? null),
    price_source: closed ? 'exit' : (px?.priceSource ?? null),
    is_stale: closed ? false : (px?.isStale ?? false),
    is_closed: closed,
    flags: closed ? ['closed'] : (px?.flags ?? []),
  };
}

/** Prices open positions as of `asOf` (closed ones at their exit price) and shapes API rows. */
export async function valuePositions(db: Db, records: readonly PositionRecord[], asOf: string): Promise<ValuedPosition[]> {
  const open = records.filter((p) => p.exitDate === null || p.exitDate > asOf);
  const prices = await pricePositions(db, open, asOf);
  const byId = new Map(prices.map((p) => [p.id, p]));
  return records.map((r) => {
    const px = byId.get(r.id) ?? null;
    return { record: r, price: px, row: toRow(r, px, asOf) };
  });
}

/** Symbol whose closes stand for a position's history: the underlying for options, the proxy for funds, else itself. */
export const historySymbolOf = (p: Pick<PositionRecord, 'symbol' | 'underlyingSymbol' | 'proxySymbol'>): string => p.underlyingSymbol ?? p.proxySymbol ?? p.symbol;

/** Stale and proxied inputs among valued positions. */
export function qualityFlags(valued: readonly ValuedPosition[]): DataQualityFlags {
  const stale = valued.filter((v) => v.row.is_stale).map((v) => v.record.symbol);
  const proxied = valued.filter((v) => v.record.proxySymbol).map((v) => `${v.record.symbol}→${v.record.proxySymbol}`);
  const unpriced = valued.filter((v) => v.row.current_price === null).map((v) => v.record.symbol);
  return { stale: stale.length > 0, stale_symbols: [...new Set(stale)], proxied: proxied.length > 0, proxied_symbols: [...new Set(proxied)], unpriced: unpriced.length > 0, unpriced_symbols: [...new Set(unpriced)] };
}

/** What the cash rule reads of a position (signed quantity; multiplier 100 for options). */
export interface CashPosition {
  quantity: number;
  entryPrice: number;
  multiplier: number;
  entryDate: string;
  exitDate: string | null;
  exitPrice: number | null;
}

/**
 * Cash at the close of `asOf`, USD (unrounded): opening equity − Σ signed cost basis
 * (q × entry × multiplier) of the positions entered on or before `asOf`, open or closed, + Σ signed
 * exit proceeds (q × exit × multiplier) of those closed on or before `asOf`. Equivalently opening
 * equity − cost basis of the positions open at `asOf` + realised P&L of those closed by then, so
 * closing a position at its mark leaves NAV unchanged. Positions entered after `asOf` are ignored;
 * a position closed after `asOf` is still held. A close without an exit price is taken at its cost
 * (no realised P&L).
 *
 * @example cashAsOf(1000, [{ quantity: -2, entryPrice: 50, multiplier: 1, entryDate: '2026-07-01', exitDate: '2026-07-02', exitPrice: 40 }], '2026-07-02') // 1020
 */
export function cashAsOf(openingEquity: number, positions: readonly CashPosition[], asOf: string): number {
  let cash = openingEquity;
  for (const p of positions) {
    if (p.entryDate > asOf) continue;
    const closed = p.exitDate !== null && p.exitDate <= asOf;
    const exit = closed ? (p.exitPrice ?? p.entryPrice) : null;
    cash -= p.quantity * p.entryPrice * p.multiplier;
    if (exit !== null) cash += p.quantity * exit * p.multiplier;
  }
  return cash;
}

/**
 * Cash (`cashAsOf` over `book`: every position of the portfolio entered on or before `asOf`, open
 * or closed) and NAV = cash + Σ market value of the open positions among `valued`.
 */
export function equity(openingEquity: number, valued: readonly ValuedPosition[], book: readonly CashPosition[], asOf: string): { cash: number; marketValue: number; nav: number } {
  let mv = 0;
  for (const v of valued) if (!v.row.is_closed) mv += v.row.market_value ?? 0;
  const cash = round2(cashAsOf(openingEquity, book, asOf));
  return { cash, marketValue: round2(mv), nav: round2(cash + mv) };
}

export { round2 };
