/**
 * The book as the second-wave risk engines (backtest, replay, Euler contributions, Monte Carlo)
 * take it: linear holdings whose P&L is value × the return of the symbol that drives them, and
 * options that are repriced in full (Black–Scholes–Merton) at a moved underlying, volatility and
 * rate. Pure data, no I/O; the batch builds it from the stored positions and prices.
 */
import { EngineError } from '../errors.ts';
import { bsmPrice, type BsmInputs } from '../options/black-scholes.ts';

/** A stock, ETF or fund: P&L = valueUsd × r(source). */
export interface LinearHolding {
  id: string;
  /** Symbol whose returns move the holding: its own, or a fund's proxy. */
  source: string;
  /** Signed market value, USD (short < 0). */
  valueUsd: number;
}

/** An option, repriced per share with BSM (its inputs today) and scaled by `sharesSigned`. */
export interface OptionHolding extends BsmInputs {
  id: string;
  /** The underlying symbol. */
  source: string;
  /** Signed contracts × multiplier (−2 short contracts of 100 → −200). */
  sharesSigned: number;
}

export interface RiskBook {
  linear: readonly LinearHolding[];
  options: readonly OptionHolding[];
}

/** A move of the market applied to the book at once (or after `dtYears` of time). */
export interface BookMove {
  /** Simple return of each source symbol; a symbol absent from the map does not move. */
  returns: ReadonlyMap<string, number>;
  /** Implied-vol multiplier (σ' = σ × volRatio), default 1. */
  volRatio?: number;
  /** Parallel rate shift, decimal (0.01 = +100 bp), default 0. */
  rateShift?: number;
  /** Time passed, years (tenor shortens, floored at 0), default 0. */
  dtYears?: number;
}

/** Today's per-share BSM value of an option. */
export function optionValueToday(o: OptionHolding): number {
  return bsmPrice(o);
}

/** Every source symbol the book depends on, sorted. */
export function bookSources(book: RiskBook): string[] {
  return [...new Set([...book.linear.map((h) => h.source), ...book.options.map((o) => o.source)])].sort();
}

/** Net value of the book today, USD (linear values + option premiums). */
export function bookValue(book: RiskBook): number {
  let v = 0;
  for (const h of book.linear) v += h.valueUsd;
  for (const o of book.options) v += optionValueToday(o) * o.sharesSigned;
  return v;
}

/**
 * P&L of every holding (linear first, then options, in book order) and in total under `move`:
 * linear value × r; options BSM(S(1+r), σ·volRatio, r + shift, max(T − dt, 0)) − BSM(today), ×
 * shares. A return ≤ −100 % is refused (the price would not be positive).
 * @throws EngineError INVALID_INPUT for a return ≤ −1 or a non-positive vol ratio.
 */
export function revalueBook(book: RiskBook, move: BookMove): { totalUsd: number; perHolding: Float64Array } {
  const volRatio = move.volRatio ?? 1;
  const shift = move.rateShift ?? 0;
  const dt = move.dtYears ?? 0;
  if (!(volRatio > 0)) throw new EngineError('INVALID_INPUT', `volRatio must be > 0, got ${volRatio}`);
  const out = new Float64Array(book.linear.length + book.options.length);
  let total = 0;
  book.linear.forEach((h, i) => {
    const r = move.returns.get(h.source) ?? 0;
    out[i] = h.valueUsd * r;
    total += out[i]!;
  });
  book.options.forEach((o, j) => {
    const r = move.returns.get(o.source) ?? 0;
    if (!(r > -1)) throw new EngineError('INVALID_INPUT', `return of ${o.source} must be > −100 %, got ${r}`);
    const moved = bsmPrice({
      spot: o.spot * (1 + r), strike: o.strike, tenorYears: Math.max(o.tenorYears - dt, 0), rateCont: o.rateCont + shift,
      volAnnual: o.volAnnual * volRatio, dividendYield: o.dividendYield ?? 0, right: o.right,
    });
    const pnl = (moved - optionValueToday(o)) * o.sharesSigned;
    out[book.linear.length + j] = pnl;
    total += pnl;
  });
  return { totalUsd: total, perHolding: out };
}
