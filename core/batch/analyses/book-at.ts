/**
 * The book in the form the second-wave risk engines take it (engines/risk/risk-book.ts):
 * today's book from the run's priced portfolio state, and the book as it stood on any earlier
 * trading date of the market history, valued from that date's closes alone. Options are priced
 * as the nightly pricing does (pricing.ts): the underlying close, its 63-day realised volatility
 * (floored at 5 %, 25 % when the history is short), the 13-week bill as ln(1 + y), T in ACT/365.
 */
import type { LinearHolding, OptionHolding, RiskBook } from '../../../engines/risk/risk-book.ts';
import { rightOf, OPTION_MULTIPLIER, isOptionType } from '../../../engines/valuation/position-type.ts';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import { bsmGreeks } from '../../../engines/options/greeks.ts';
import { daysBetween, indexOnOrBefore } from '../../seed/calendar-dates.ts';
import { OPTION_VOL_DAYS, RATE_FALLBACK, VOL_FALLBACK, VOL_FLOOR } from '../../services/pricing.ts';
import { realisedVolAnnual } from '../../market-data/realised-vol.ts';
import type { PortfolioState, PositionRow } from '../types.ts';
import { portfolioCash, sourceSymbolOf } from '../portfolio-state.ts';
import type { MarketHistory } from '../market-history.ts';
import type { ClosesSeries } from '../../../db/queries/market-prices.ts';

/** A book with, per holding in book order (linear first, then options), the position it stands for. */
export interface LabelledBook {
  book: RiskBook;
  /** Position id and symbol of each holding, in book order. */
  labels: { positionId: string; symbol: string; source: string }[];
  /** Signed delta-adjusted exposure of each holding, USD (linear: its value). */
  exposures: Float64Array;
  /** Positions left out, with the reason. */
  excluded: { symbol: string; reason: string }[];
}

function assemble(linear: (LinearHolding & { symbol: string })[], options: (OptionHolding & { symbol: string; delta: number })[], excluded: LabelledBook['excluded']): LabelledBook {
  const labels = [...linear, ...options].map((h) => ({ positionId: h.id, symbol: h.symbol, source: h.source }));
  const exposures = Float64Array.from([...linear.map((h) => h.valueUsd), ...options.map((o) => o.delta * o.sharesSigned * o.spot)]);
  return { book: { linear, options }, labels, exposures, excluded };
}

/** Today's book from the run's portfolio state (unpriced and expired positions are left out). */
export function bookOfState(state: PortfolioState): LabelledBook {
  const linear: (LinearHolding & { symbol: string })[] = [];
  const options: (OptionHolding & { symbol: string; delta: number })[] = [];
  const excluded: LabelledBook['excluded'] = [];
  for (const s of state.positions) {
    const p = s.position;
    if (s.marketValue === null) {
      excluded.push({ symbol: p.symbol, reason: 'no price' });
      continue;
    }
    if (!isOptionType(p.positionType)) {
      linear.push({ id: p.id, symbol: p.symbol, source: s.sourceSymbol, valueUsd: s.marketValue });
      continue;
    }
    const g = s.greeks;
    const px = s.price;
    if (!g || g.expired || px.underlyingPrice === null || p.strikePrice === null || px.tenorYears === null) {
      excluded.push({ symbol: p.symbol, reason: g?.expired ? 'expired option' : 'option without pricing inputs' });
      continue;
    }
    options.push({
      id: p.id, symbol: p.symbol, source: s.sourceSymbol, right: rightOf(p.positionType)!, spot: px.underlyingPrice, strike: p.strikePrice, tenorYears: g.tenorYears,
      rateCont: px.rateCont ?? RATE_FALLBACK, volAnnual: px.volAnnual ?? VOL_FALLBACK, sharesSigned: p.quantity * OPTION_MULTIPLIER, delta: g.perShare.delta,
    });
  }
  return assemble(linear, options, excluded);
}

/** Close of `symbol` at index t, or the latest within 5 trading days before it; NaN otherwise. */
export function closeAt(h: MarketHistory, symbol: string, t: number): number {
  const c = h.closes.get(symbol);
  if (!c) return NaN;
  for (let i = t; i >= 0 && i >= t - 5; i--) if (c[i]! > 0) return c[i]!;
  return NaN;
}

/** Per close series, the option vol of each index once computed (NaN until then): a NAV rebuild and a backtest ask for the same days again and again. */
const VOLS = new WeakMap<Float64Array, Float64Array>();

/** The option vol on index t as the nightly pricing forms it: the 63-day realised vol floored at 5 %, 25 % without a full window. */
function optionVolAt(c: Float64Array, t: number): number {
  let v = VOLS.get(c);
  if (!v) VOLS.set(c, (v = new Float64Array(c.length).fill(NaN)));
  if (Number.isNaN(v[t]!)) {
    let vol = VOL_FALLBACK;
    if (t >= OPTION_VOL_DAYS) {
      const win = c.subarray(t - OPTION_VOL_DAYS, t + 1);
      if (win.every((x) => x > 0)) vol = Math.max(realisedVolAnnual(c, t, OPTION_VOL_DAYS), VOL_FLOOR);
    }
    v[t] = vol;
  }
  return v[t]!;
}

/** Days from each date string to the epoch, once per date. */
const EPOCH_DAYS = new Map<string, number>();
const epochDay = (d: string): number => EPOCH_DAYS.get(d) ?? (EPOCH_DAYS.set(d, daysBetween('1970-01-01', d)), EPOCH_DAYS.get(d)!);

/** The option pricing inputs on history index t: vol, rate and tenor as the nightly pricing forms them. */
export function optionInputsAt(h: MarketHistory, p: PositionRow, t: number): { spot: number; volAnnual: number; rateCont: number; tenorYears: number; daysToExpiry: number } | null {
  const src = sourceSymbolOf(p);
  const spot = closeAt(h, src, t);
  if (!(spot > 0) || p.strikePrice === null || p.expirationDate === null) return null;
  const vol = optionVolAt(h.closes.get(src)!, t);
  const y = h.irx[t]!;
  const days = epochDay(p.expirationDate) - epochDay(h.dates[t]!);
  return { spot, volAnnual: vol, rateCont: Number.isFinite(y) ? Math.log(1 + y / 100) : RATE_FALLBACK, tenorYears: Math.max(days, 0) / 365, daysToExpiry: days };
}

/** Per-share BSM value on history index t (intrinsic at expiry and after), or null without inputs. */
export function optionPriceAt(h: MarketHistory, p: PositionRow, t: number): number | null {
  const x = optionInputsAt(h, p, t);
  return x ? bsmPriceOf(p, x) : null;
}

/** Per-share BSM value of option `p` from its inputs on one day. */
const bsmPriceOf = (p: PositionRow, x: NonNullable<ReturnType<typeof optionInputsAt>>): number =>
  bsmPrice({ spot: x.spot, strike: p.strikePrice!, tenorYears: x.tenorYears, rateCont: x.rateCont, volAnnual: x.volAnnual, right: rightOf(p.positionType)! });

/** Position id → its proxy's close on (or just before) the entry date, for holdings priced through a proxy. */
export type EntryCloses = ReadonlyMap<string, number>;

/** The proxy entry closes of `positions` from closes series that reach back to the entry dates (the run's pricing closes). */
export function proxyEntryCloses(positions: readonly PositionRow[], series: ReadonlyMap<string, ClosesSeries>): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of positions) {
    const s = p.proxySymbol ? series.get(p.proxySymbol) : undefined;
    if (!s) continue;
    const i = indexOnOrBefore(s.dates, p.entryDate);
    if (i >= 0) out.set(p.id, s.closes[i]!);
  }
  return out;
}

/** Whether a position was held at the close of `date`. */
export const heldOn = (p: PositionRow, date: string): boolean => p.entryDate <= date && (p.exitDate === null || p.exitDate > date);

/**
 * Value per unit of a linear position on index t: its close, or for a declared proxy (mutual
 * funds) entry price × proxy close(t) / proxy close(entry) as pricing.ts values it.
 */
export function linearUnitValue(h: MarketHistory, p: PositionRow, t: number, entry?: EntryCloses): number {
  if (!p.proxySymbol) return closeAt(h, p.symbol, t);
  const e = indexOnOrBefore(h.dates, p.entryDate);
  const base = entry?.get(p.id) ?? (e < 0 ? NaN : closeAt(h, p.proxySymbol, e));
  return base > 0 ? (p.entryPrice * closeAt(h, p.proxySymbol, t)) / base : NaN;
}

/**
 * The book held at the close of history index t, valued from that day's data, and the realised
 * P&L of that same book over the next day (t → t + 1): linear holdings by their close change,
 * options by the change of their BSM mark (new underlying, vol, rate and one day less to expiry;
 * intrinsic once expired). Holdings without a price on t are left out (and named).
 */
export function bookAt(h: MarketHistory, positions: readonly PositionRow[], t: number, entry?: EntryCloses): LabelledBook & { nextDayPnl: number | null } {
  const date = h.dates[t]!;
  const linear: (LinearHolding & { symbol: string })[] = [];
  const options: (OptionHolding & { symbol: string; delta: number })[] = [];
  const excluded: LabelledBook['excluded'] = [];
  let pnl = 0;
  const hasNext = t + 1 < h.dates.length;
  for (const p of positions) {
    if (!heldOn(p, date)) continue;
    if (!isOptionType(p.positionType)) {
      const v = linearUnitValue(h, p, t, entry);
      if (!(v > 0)) {
        excluded.push({ symbol: p.symbol, reason: `no close on ${date}` });
        continue;
      }
      linear.push({ id: p.id, symbol: p.symbol, source: sourceSymbolOf(p), valueUsd: p.quantity * v });
      if (hasNext) {
        const v1 = linearUnitValue(h, p, t + 1, entry);
        if (v1 > 0) pnl += p.quantity * (v1 - v);
      }
      continue;
    }
    const x = optionInputsAt(h, p, t);
    if (!x || x.daysToExpiry < 0) {
      if (!x) excluded.push({ symbol: p.symbol, reason: `no underlying close on ${date}` });
      continue;
    }
    const right = rightOf(p.positionType)!;
    const shares = p.quantity * OPTION_MULTIPLIER;
    const g = bsmGreeks({ spot: x.spot, strike: p.strikePrice!, tenorYears: x.tenorYears, rateCont: x.rateCont, volAnnual: x.volAnnual, right });
    const today = g.price;
    options.push({ id: p.id, symbol: p.symbol, source: sourceSymbolOf(p), right, spot: x.spot, strike: p.strikePrice!, tenorYears: x.tenorYears, rateCont: x.rateCont, volAnnual: x.volAnnual, sharesSigned: shares, delta: g.delta });
    if (hasNext) {
      const next = optionPriceAt(h, p, t + 1);
      if (next !== null) pnl += (next - today) * shares;
    }
  }
  return { ...assemble(linear, options, excluded), nextDayPnl: hasNext ? pnl : null };
}

/**
 * NAV at the close of history index t rebuilt from the positions and stored closes (cash by
 * `cashAsOf` plus every held position valued as above), or null when a held position has no
 * value that day. Used where no snapshot was stored for a day.
 */
export function navAt(h: MarketHistory, positions: readonly PositionRow[], openingEquity: number, t: number, entry?: EntryCloses): number | null {
  const date = h.dates[t]!;
  let nav = portfolioCash(openingEquity, positions, date);
  for (const p of positions) {
    if (!heldOn(p, date)) continue;
    if (!isOptionType(p.positionType)) {
      const v = linearUnitValue(h, p, t, entry);
      if (!(v > 0)) return null;
      nav += p.quantity * v;
      continue;
    }
    const x = optionInputsAt(h, p, t);
    if (!x) return null;
    let price = bsmPriceOf(p, x);
    if (x.daysToExpiry < 0) {
      // Expired and not yet closed: worth its intrinsic value at the expiry close, as pricing.ts values it.
      const e = indexOnOrBefore(h.dates, p.expirationDate!);
      const s = e < 0 ? NaN : closeAt(h, sourceSymbolOf(p), e);
      if (!(s > 0)) return null;
      price = Math.max(rightOf(p.positionType) === 'call' ? s - p.strikePrice! : p.strikePrice! - s, 0);
    }
    nav += price * p.quantity * OPTION_MULTIPLIER;
  }
  return nav;
}
