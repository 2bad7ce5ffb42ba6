/**
 * The long market history the second-wave analyses read: closes of the run's symbols, the VIX and
 * the 10-year and 13-week Treasury yields on one trading calendar (the dates SPY closed), from
 * `from` to the as-of date. Nothing is filled: a symbol without a close on a date holds NaN there,
 * so an engine sees exactly which dates it lacks. Loaded with three queries, once per run.
 */
import type { Executor } from '../../db/exec.ts';
import { loadCloses, loadRates, type ClosesSeries } from '../../db/queries/market-prices.ts';

export const CALENDAR_SYMBOL = 'SPY';
/** The VIX index as SigmaSight stores it (bundled-files.ts maps ^VIX to VIX). */
export const VIX_SYMBOL = 'VIX';

export interface MarketHistory {
  asOf: string;
  /** Trading dates (CALENDAR_SYMBOL's closes), ascending. */
  dates: string[];
  /** symbol → close on each date, NaN where none (the VIX too, for options on it). */
  closes: Map<string, Float64Array>;
  /** VIX close on each date, NaN where none. */
  vix: Float64Array;
  /** 10-year yield, percent, NaN where none. */
  tnx: Float64Array;
  /** 13-week bill yield, percent, carried from the latest earlier print (NaN before the first). */
  irx: Float64Array;
}

function onCalendar(series: ClosesSeries | undefined, dates: readonly string[], carry = false): Float64Array {
  const out = new Float64Array(dates.length).fill(NaN);
  if (!series) return out;
  let j = 0;
  let last = NaN;
  for (let i = 0; i < dates.length; i++) {
    while (j < series.dates.length && series.dates[j]! < dates[i]!) last = series.closes[j++]!;
    if (series.dates[j] === dates[i]) {
      last = series.closes[j]!;
      out[i] = last;
    } else if (carry) out[i] = last;
  }
  return out;
}

export async function loadMarketHistory(db: Executor, symbols: readonly string[], from: string, asOf: string): Promise<MarketHistory> {
  const all = [...new Set([CALENDAR_SYMBOL, VIX_SYMBOL, ...symbols])].sort();
  const [closes, tnx, irx] = await Promise.all([loadCloses(db, all, from, asOf), loadRates(db, '^TNX', from, asOf), loadRates(db, '^IRX', from, asOf)]);
  const dates = closes.get(CALENDAR_SYMBOL)?.dates ?? [];
  const aligned = new Map<string, Float64Array>();
  for (const s of all) aligned.set(s, onCalendar(closes.get(s), dates));
  return { asOf, dates, closes: aligned, vix: onCalendar(closes.get(VIX_SYMBOL), dates), tnx: onCalendar(tnx, dates), irx: onCalendar(irx, dates, true) };
}

/** Index of the last date ≤ `date`, or −1. */
export function indexOnOrBefore(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! <= date) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
