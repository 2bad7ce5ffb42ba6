/**
 * Prices every open position of a book as of a date, from stored closes only:
 * - stocks and ETFs: the latest close on or before the date (`market`), flagged stale when it is
 *   more than 3 trading days old;
 * - holdings with a declared proxy (mutual funds): entry NAV × proxy close(date) / proxy
 *   close(entry date) (`proxy`);
 * - options: Black–Scholes mark-to-model (`model`) with the underlying close, its 63-day realised
 *   volatility (floored at 5 %, 25 % when history is short), the 13-week bill as a continuous
 *   rate (ln(1 + y)), no dividends, T = calendar days to expiry / 365; an option past its expiry
 *   is worth its intrinsic value at the expiry close (`intrinsic`).
 * A position with no usable price gets `price: null` and a reason, never an invented value.
 */
import type { Db } from '../../db/client.ts';
import { loadCloses, loadRates, type ClosesSeries } from '../../db/queries/market-prices.ts';
import { bsmPrice } from '../../engines/options/black-scholes.ts';
import { valuePosition } from '../../engines/valuation/market-value.ts';
import { realisedVolAnnual } from '../market-data/realised-vol.ts';
import { addDays, daysBetween, indexOnOrBefore } from '../seed/calendar-dates.ts';

export const STALE_AFTER_TRADING_DAYS = 3;
export const OPTION_VOL_DAYS = 63;
export const VOL_FLOOR = 0.05;
export const VOL_FALLBACK = 0.25;
export const RATE_FALLBACK = 0.05;
const CALENDAR_SYMBOL = 'SPY';
const LOOKBACK_CALENDAR_DAYS = 130;

export interface PricingPosition {
  id: string;
  symbol: string;
  positionType: 'LONG' | 'SHORT' | 'LC' | 'LP' | 'SC' | 'SP';
  entryPrice: number;
  entryDate: string;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  expirationDate: string | null;
  proxySymbol: string | null;
}

export type PriceSourceKind = 'market' | 'proxy' | 'model' | 'intrinsic';

export interface PositionPrice {
  id: string;
  price: number | null;
  priceDate: string | null;
  priceSource: PriceSourceKind | null;
  isStale: boolean;
  underlyingPrice: number | null;
  volAnnual: number | null;
  volSource: 'realised_63d' | 'fallback' | null;
  rateCont: number | null;
  tenorYears: number | null;
  flags: string[];
}

interface Market {
  asOf: string;
  closes: Map<string, ClosesSeries>;
  calendar: string[];
  rateCont: number;
}

function asOfClose(m: Market, symbol: string, date: string): { close: number; date: string; index: number; series: ClosesSeries } | null {
  const series = m.closes.get(symbol);
  if (!series) return null;
  const i = indexOnOrBefore(series.dates, date);
  return i < 0 ? null : { close: series.closes[i]!, date: series.dates[i]!, index: i, series };
}

function tradingDaysBetween(m: Market, from: string, to: string): number {
  return indexOnOrBefore(m.calendar, to) - indexOnOrBefore(m.calendar, from);
}

const empty = (id: string, flags: string[]): PositionPrice => ({
  id, price: null, priceDate: null, priceSource: null, isStale: false, underlyingPrice: null, volAnnual: null, volSource: null, rateCont: null, tenorYears: null, flags,
});

function priceOption(m: Market, p: PricingPosition): PositionPrice {
  const underlying = p.underlyingSymbol!;
  const expired = p.expirationDate! < m.asOf;
  const spot = asOfClose(m, underlying, expired ? p.expirationDate! : m.asOf);
  if (!spot) return empty(p.id, [`no price for underlying ${underlying}`]);
  const right = p.positionType === 'LC' || p.positionType === 'SC' ? 'call' : 'put';
  const isStale = tradingDaysBetween(m, spot.date, m.asOf) > STALE_AFTER_TRADING_DAYS && !expired;
  const base = { id: p.id, priceDate: spot.date, isStale, underlyingPrice: spot.close, rateCont: m.rateCont };
  if (expired) {
    const intrinsic = Math.max(right === 'call' ? spot.close - p.strikePrice! : p.strikePrice! - spot.close, 0);
    return { ...base, price: intrinsic, priceSource: 'intrinsic', volAnnual: null, volSource: null, tenorYears: 0, flags: ['expired'] };
  }
  let volAnnual = VOL_FALLBACK;
  let volSource: PositionPrice['volSource'] = 'fallback';
  if (spot.index >= OPTION_VOL_DAYS) {
    volAnnual = Math.max(realisedVolAnnual(spot.series.closes, spot.index, OPTION_VOL_DAYS), VOL_FLOOR);
    volSource = 'realised_63d';
  }
  const tenorYears = daysBetween(m.asOf, p.expirationDate!) / 365;
  const price = bsmPrice({ spot: spot.close, strike: p.strikePrice!, tenorYears, rateCont: m.rateCont, volAnnual, right });
  const flags = ['priced_by_model', ...(underlying === 'VIX' ? ['vix_priced_off_spot'] : []), ...(isStale ? ['stale_underlying'] : [])];
  return { ...base, price, priceSource: 'model', volAnnual, volSource, tenorYears, flags };
}

function priceHolding(m: Market, p: PricingPosition): PositionPrice {
  if (p.proxySymbol) {
    const now = asOfClose(m, p.proxySymbol, m.asOf);
    const anchor = asOfClose(m, p.proxySymbol, p.entryDate);
    if (!now || !anchor) return empty(p.id, [`no price for proxy ${p.proxySymbol}`]);
    const isStale = tradingDaysBetween(m, now.date, m.asOf) > STALE_AFTER_TRADING_DAYS;
    return {
      ...empty(p.id, [`proxied_by_${p.proxySymbol}`]), price: (p.entryPrice * now.close) / anchor.close, priceDate: now.date, priceSource: 'proxy', isStale,
    };
  }
  const c = asOfClose(m, p.symbol, m.asOf);
  if (!c) return empty(p.id, [`no price for ${p.symbol}`]);
  const isStale = tradingDaysBetween(m, c.date, m.asOf) > STALE_AFTER_TRADING_DAYS;
  return { ...empty(p.id, isStale ? ['stale_price'] : []), price: c.close, priceDate: c.date, priceSource: 'market', isStale };
}

/** Closes and 13-week bill prints already in memory (a batch run's market window) that pricing may use instead of querying. */
export interface PricingData {
  closes: ReadonlyMap<string, ClosesSeries>;
  /** The symbols `closes` was loaded for (a symbol without rows is absent from `closes` but known to have none). */
  symbols: ReadonlySet<string>;
  /** First date `closes` covers. */
  from: string;
  /** ^IRX prints over the same dates. */
  bill: ClosesSeries;
}

/** The symbols and the earliest date pricing `positions` as of `asOf` reads. */
function pricingNeeds(positions: readonly PricingPosition[], asOf: string): { symbols: Set<string>; earliest: string } {
  const symbols = new Set<string>([CALENDAR_SYMBOL]);
  let earliest = addDays(asOf, -LOOKBACK_CALENDAR_DAYS);
  for (const p of positions) {
    if (p.underlyingSymbol) symbols.add(p.underlyingSymbol);
    else if (p.proxySymbol) {
      symbols.add(p.proxySymbol);
      if (p.entryDate < earliest) earliest = addDays(p.entryDate, -10);
    } else symbols.add(p.symbol);
    if (p.expirationDate && p.expirationDate < earliest) earliest = addDays(p.expirationDate, -10);
  }
  return { symbols, earliest };
}

/** Prices `positions` as of `asOf` from closes and bill prints in hand (pure); `bill` may extend past `asOf`. */
export function pricePositionsFrom(closes: ReadonlyMap<string, ClosesSeries>, bill: ClosesSeries, positions: readonly PricingPosition[], asOf: string): PositionPrice[] {
  const billFrom = addDays(asOf, -14);
  let lastYield: number | null = null;
  for (let i = bill.dates.length - 1; i >= 0; i--) {
    const d = bill.dates[i]!;
    if (d > asOf) continue;
    if (d >= billFrom) lastYield = bill.closes[i]!;
    break;
  }
  const m: Market = { asOf, closes: closes as Map<string, ClosesSeries>, calendar: closes.get(CALENDAR_SYMBOL)?.dates ?? [], rateCont: lastYield === null ? RATE_FALLBACK : Math.log(1 + lastYield / 100) };
  return positions.map((p) => (p.underlyingSymbol && p.strikePrice && p.expirationDate ? priceOption(m, p) : priceHolding(m, p)));
}

/**
 * Prices `positions` as of `asOf`: from `shared` when it holds every symbol and date needed,
 * else with two queries (closes, bill rate).
 */
export async function pricePositions(db: Db, positions: readonly PricingPosition[], asOf: string, shared?: PricingData): Promise<PositionPrice[]> {
  const { symbols, earliest } = pricingNeeds(positions, asOf);
  if (shared && earliest >= shared.from && [...symbols].every((s) => shared.symbols.has(s))) return pricePositionsFrom(shared.closes, shared.bill, positions, asOf);
  const [closes, bill] = await Promise.all([loadCloses(db, [...symbols], earliest, asOf), loadRates(db, '^IRX', addDays(asOf, -14), asOf)]);
  return pricePositionsFrom(closes, bill, positions, asOf);
}

/** Signed market value (q × price × multiplier, USD) of each priced position; null where `prices` has no price. */
export function marketValues(positions: readonly (PricingPosition & { quantity: number })[], prices: readonly PositionPrice[]): (number | null)[] {
  return positions.map((p, i) => {
    const price = prices[i]?.price;
    return price == null ? null : valuePosition({ id: p.id, symbol: p.symbol, positionType: p.positionType, quantity: p.quantity, price }).marketValueUsd;
  });
}
