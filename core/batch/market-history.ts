/**
 * The long market history the second-wave analyses read: closes of the run's symbols, the VIX and
 * the 10-year and 13-week Treasury yields on one trading calendar (the dates SPY closed), from
 * `from` to the as-of date. Nothing is filled: a symbol without a close on a date holds NaN there,
 * so an engine sees exactly which dates it lacks. Loaded with one query for the yields and one or two for the closes, once per run, and
 * kept in memory while the market-data version (migration 0006) stays the same.
 */
import type { Executor } from '../../db/exec.ts';
import { loadClosesIn, loadRateSeries, marketDataVersionOf, type ClosesSeries } from '../../db/queries/market-prices.ts';
import { addDays, firstOnOrAfter, indexOnOrBefore } from '../seed/calendar-dates.ts';
import { registerClearable } from './analyses/memo.ts';

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
  /** Index of the first date of the last (most recent) range: dates from it to the end are contiguous. */
  tailStart: number;
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

/** A date range [from, to], both inclusive. */
export type DateRange = readonly [string, string];

/** The part of a series (dates ascending) whose dates lie inside one of `ranges` (merged, ascending). */
function inRanges(s: ClosesSeries, ranges: readonly DateRange[]): ClosesSeries {
  const dates: string[] = [];
  const parts: Float64Array[] = [];
  for (const [a, b] of ranges) {
    const lo = firstOnOrAfter(s.dates, a);
    const hi = indexOnOrBefore(s.dates, b) + 1;
    if (hi <= lo) continue;
    for (let i = lo; i < hi; i++) dates.push(s.dates[i]!);
    parts.push(s.closes.subarray(lo, hi));
  }
  const closes = new Float64Array(dates.length);
  let at = 0;
  for (const p of parts) {
    closes.set(p, at);
    at += p.length;
  }
  return { dates, closes };
}

/**
 * The closes of `symbols` inside `ranges`: the symbols `known` holds are read only for the dates
 * before its window and completed from it; the others are read in full.
 */
async function closesIn(db: Executor, symbols: readonly string[], ranges: readonly DateRange[], known: KnownCloses | undefined): Promise<Map<string, ClosesSeries>> {
  if (!known) return loadClosesIn(db, symbols, ranges);
  const held = symbols.filter((s) => known.closes.has(s));
  const rest = symbols.filter((s) => !known.closes.has(s));
  const dayBefore = addDays(known.from, -1);
  const earlier = ranges.flatMap(([a, b]) => (a <= dayBefore ? [[a, b < dayBefore ? b : dayBefore] as const] : []));
  const [others, older] = await Promise.all([
    rest.length ? loadClosesIn(db, rest, ranges) : new Map<string, ClosesSeries>(),
    held.length && earlier.length ? loadClosesIn(db, held, earlier) : new Map<string, ClosesSeries>(),
  ]);
  for (const s of held) {
    const recent = inRanges(known.closes.get(s)!, ranges);
    const old = older.get(s);
    if (!old) {
      others.set(s, recent);
      continue;
    }
    const closes = new Float64Array(old.closes.length + recent.closes.length);
    closes.set(old.closes);
    closes.set(recent.closes, old.closes.length);
    others.set(s, { dates: [...old.dates, ...recent.dates], closes });
  }
  return others;
}

/** Merges overlapping ranges (sorted by start). */
export function mergeRanges(ranges: readonly DateRange[]): DateRange[] {
  const sorted = [...ranges].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const out: [string, string][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = b > last[1] ? b : last[1];
    else out.push([a, b]);
  }
  return out;
}

/**
 * The history of `symbols` on the trading dates inside `ranges` (a single `from` means from
 * that date to `asOf`). Dates outside every range are absent, so an index walk inside one range
 * stays contiguous; callers ask for the ranges they read.
 */
/** Closes already loaded for every date from `from` to the as-of date (a run's market window), so only earlier dates are read again. */
export interface KnownCloses {
  from: string;
  closes: ReadonlyMap<string, ClosesSeries>;
}

export async function loadMarketHistory(db: Executor, symbols: readonly string[], from: string | readonly DateRange[], asOf: string, known?: KnownCloses): Promise<MarketHistory> {
  const all = [...new Set([CALENDAR_SYMBOL, VIX_SYMBOL, ...symbols])].sort();
  // A range cut to the as-of date may hold no date (a replay window after an earlier run's date): it is dropped, so the
  // last range left is the recent one whose start `tailStart` marks.
  const cut = typeof from === 'string' ? [[from, asOf] as const] : from.map(([a, b]) => [a, b < asOf ? b : asOf] as const);
  const ranges = mergeRanges(cut.filter(([a, b]) => a <= b));
  // The same request against unchanged market data (one indexed read) is answered from memory.
  const version = await marketDataVersionOf(db);
  const key = JSON.stringify([all, ranges, asOf]);
  const hit = LOADED.find((e) => e.key === key && e.version === version);
  if (hit) return hit.history;
  const history = await load(db, all, ranges, asOf, known);
  LOADED.unshift({ key, version, history });
  LOADED.length = Math.min(LOADED.length, LOADED_MAX);
  return history;
}

/** The few most recent loads (a run's, a replay request's), with the market-data version they saw. */
const LOADED: { key: string; version: number; history: MarketHistory }[] = [];
const LOADED_MAX = 4;
registerClearable({ clear: () => void (LOADED.length = 0) });

async function load(db: Executor, all: readonly string[], ranges: readonly DateRange[], asOf: string, known?: KnownCloses): Promise<MarketHistory> {
  const first = ranges[0]?.[0] ?? asOf;
  // Both yields in one query, from two weeks early (the bill is carried onto the first dates); the 10-year is cut to the ranges.
  const [closes, rates] = await Promise.all([closesIn(db, all, ranges, known), loadRateSeries(db, ['^TNX', '^IRX'], addDays(first, -14), asOf)]);
  const tnx = inRanges(rates.get('^TNX')!, ranges);
  const irx = rates.get('^IRX')!;
  const dates = closes.get(CALENDAR_SYMBOL)?.dates ?? [];
  const aligned = new Map<string, Float64Array>();
  for (const s of all) aligned.set(s, onCalendar(closes.get(s), dates));
  const lastFrom = ranges.at(-1)?.[0] ?? asOf;
  const tailStart = Math.max(0, dates.findIndex((d) => d >= lastFrom));
  return { asOf, dates, tailStart, closes: aligned, vix: onCalendar(closes.get(VIX_SYMBOL), dates), tnx: onCalendar(tnx, dates), irx: onCalendar(irx, dates, true) };
}
