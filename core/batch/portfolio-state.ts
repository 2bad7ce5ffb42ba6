/**
 * Loads one portfolio for a run: the positions held at the close of as_of, their prices
 * (`pricePositions`), option Greeks from the same pricing inputs, signed market values,
 * delta-adjusted exposures and cash (`cashAsOf`: opening equity − Σ signed cost basis of the
 * positions entered by as_of + Σ signed exit proceeds of those closed by then).
 */
import type { Db } from '../../db/client.ts';
import { positionsAsOf } from '../../db/queries/batch-portfolios.ts';
import { positionGreeks } from '../../engines/options/position-greeks.ts';
import { deltaAdjustedExposure } from '../../engines/valuation/delta-adjusted.ts';
import { valuePosition } from '../../engines/valuation/market-value.ts';
import { isOptionType, multiplierOf } from '../../engines/valuation/position-type.ts';
import { daysBetween } from '../seed/calendar-dates.ts';
import { cashAsOf } from '../services/book.ts';
import { pricePositions, type PositionPrice, type PricingData } from '../services/pricing.ts';
import type { PortfolioState, PositionRow, PositionState } from './types.ts';

export function sourceSymbolOf(p: PositionRow): string {
  return p.underlyingSymbol ?? p.proxySymbol ?? p.symbol;
}

function greeksOf(p: PositionRow, px: PositionPrice, asOf: string) {
  if (!isOptionType(p.positionType) || px.underlyingPrice === null || p.strikePrice === null || p.expirationDate === null) return null;
  return positionGreeks({
    positionType: p.positionType, quantity: p.quantity, spot: px.underlyingPrice, strike: p.strikePrice,
    daysToExpiry: daysBetween(asOf, p.expirationDate), rateCont: px.rateCont ?? 0, volAnnual: px.volAnnual ?? 0,
  });
}

/** Builds the per-position state from positions and their prices (pure). */
export function positionStates(rows: readonly PositionRow[], prices: readonly PositionPrice[], asOf: string): PositionState[] {
  return rows.map((position, i) => {
    const price = prices[i]!;
    const greeks = price.price === null ? null : greeksOf(position, price, asOf);
    let marketValue: number | null = null;
    let deltaAdj: number | null = null;
    if (price.price !== null) {
      const input = {
        id: position.id, symbol: position.symbol, positionType: position.positionType, quantity: position.quantity, price: price.price,
        underlyingPrice: price.underlyingPrice, deltaPerShare: greeks ? greeks.perShare.delta : null,
      };
      marketValue = valuePosition(input).marketValueUsd;
      deltaAdj = deltaAdjustedExposure(input);
    }
    return { position, price, sourceSymbol: sourceSymbolOf(position), marketValue, deltaAdj, greeks };
  });
}

/** An exit-date bound no exit precedes: `positionsAsOf` with it lists every position entered by as_of. */
const EARLIEST_DATE = '0001-01-01';

/** Loads and prices a portfolio as of `asOf` (from the run's closes in `shared` where they suffice). */
export async function loadPortfolioState(db: Db, p: { id: string; name: string; userId: string; openingEquity: number; benchmarkSymbol: string | null }, asOf: string, shared?: PricingData): Promise<PortfolioState> {
  const entered = (await positionsAsOf(db, p.id, asOf, EARLIEST_DATE)) as PositionRow[];
  const rows = entered.filter((r) => r.exitDate === null || r.exitDate > asOf);
  const prices = await pricePositions(db, rows, asOf, shared);
  return { id: p.id, name: p.name, userId: p.userId, openingEquity: p.openingEquity, benchmarkSymbol: p.benchmarkSymbol, cash: portfolioCash(p.openingEquity, entered, asOf), positions: positionStates(rows, prices, asOf), betas: new Map() };
}

/** NAV of a loaded portfolio: cash plus the market values of its priced positions. */
export const navOfState = (state: PortfolioState): number => state.cash + state.positions.reduce((a, s) => a + (s.marketValue ?? 0), 0);

/** The positions with their multipliers, once per positions array (a NAV rebuild asks for the cash of every day). */
const CASH_ROWS = new WeakMap<readonly PositionRow[], (PositionRow & { multiplier: number })[]>();

/** Cash at the close of `asOf` from the positions entered by then, open or closed (`cashAsOf`, multiplier by type); later entries are skipped. */
export function portfolioCash(openingEquity: number, entered: readonly PositionRow[], asOf: string): number {
  let rows = CASH_ROWS.get(entered);
  if (!rows) CASH_ROWS.set(entered, (rows = entered.map((r) => ({ ...r, multiplier: multiplierOf(r.positionType) }))));
  return cashAsOf(openingEquity, rows, asOf);
}
