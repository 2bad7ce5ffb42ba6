/**
 * Benchmark-relative performance from the stored daily snapshots: the portfolio's daily returns
 * are NAV changes between consecutive snapshots (or NAVs rebuilt for days without one) (book edits move cash and positions together, so
 * NAV carries no external flow), each benchmark's returns are its close changes over the same
 * intervals, and the risk-free rate is the 13-week bill. Needs at least three snapshot returns.
 */
import { benchmarkRelative } from '../../../engines/performance/benchmark-relative.ts';
import { dailyReturnsFromNav, timeWeightedReturn } from '../../../engines/performance/time-weighted.ts';
import type { PerformancePayload } from '../../contracts/risk-analyses.ts';
import type { MarketHistory } from '../market-history.ts';
import { indexOnOrBefore } from '../../seed/calendar-dates.ts';
import type { PositionRow } from '../types.ts';
import { navAt, type EntryCloses } from './book-at.ts';
import { digest, PerHistoryMemo } from './memo.ts';

export const PERFORMANCE_DAYS = 252;
const p2 = (x: number) => Math.round(x * 1e4) / 100;
const p2n = (x: number | null) => (x === null ? null : p2(x));

export interface NavPoint {
  date: string;
  nav: number;
}

/**
 * The NAV series of the last PERFORMANCE_DAYS + 1 trading days up to the history's end: the
 * stored snapshot where there is one, else the NAV rebuilt from the positions and closes of
 * that day (`navAt`), so a book whose batch history is short still has a year of returns.
 */
const NAV_MEMO = new PerHistoryMemo<{ points: NavPoint[]; rebuilt: number }>();

export function navSeries(h: MarketHistory, positions: readonly PositionRow[], openingEquity: number, snapshots: readonly NavPoint[], entry?: EntryCloses): { points: NavPoint[]; rebuilt: number } {
  const d = digest();
  d.json({ v: 1, positions, openingEquity, snapshots, entry: entry ? [...entry].sort(([a], [b]) => (a < b ? -1 : 1)) : null });
  return NAV_MEMO.get(h, d.done(), () => rebuildNavSeries(h, positions, openingEquity, snapshots, entry));
}

function rebuildNavSeries(h: MarketHistory, positions: readonly PositionRow[], openingEquity: number, snapshots: readonly NavPoint[], entry?: EntryCloses): { points: NavPoint[]; rebuilt: number } {
  const stored = new Map(snapshots.map((s) => [s.date, s.nav] as const));
  const first = positions.reduce((a, p) => (p.entryDate < a ? p.entryDate : a), h.asOf);
  const points: NavPoint[] = [];
  let rebuilt = 0;
  for (let t = Math.max(h.tailStart, h.dates.length - 1 - PERFORMANCE_DAYS); t < h.dates.length; t++) {
    const date = h.dates[t]!;
    if (date < first) continue;
    const s = stored.get(date);
    if (s !== undefined) {
      points.push({ date, nav: s });
      continue;
    }
    const nav = navAt(h, positions, openingEquity, t, entry);
    if (nav !== null) {
      points.push({ date, nav });
      rebuilt++;
    }
  }
  return { points, rebuilt };
}

export function performanceAnalysis(series: { points: readonly NavPoint[]; rebuilt: number }, h: MarketHistory, benchmark: string, extra: readonly string[] = []): PerformancePayload | null {
  const warnings: string[] = [];
  if (series.rebuilt) warnings.push(`${series.rebuilt} of ${series.points.length} daily NAVs rebuilt from positions and stored closes (no snapshot stored that day)`);
  const points = series.points.filter((s) => s.nav > 0).slice(-(PERFORMANCE_DAYS + 1));
  if (points.length < 4) return null;
  const idx = points.map((p) => indexOnOrBefore(h.dates, p.date));
  const r = dailyReturnsFromNav(points.map((p) => p.nav));
  const twr = timeWeightedReturn(r);
  // Daily risk-free return from the bill on the interval's start date (percent a year → per day).
  const rf = Float64Array.from(r, (_, i) => {
    const y = h.irx[idx[i]!]!;
    return Number.isFinite(y) ? y / 100 / 252 : 0;
  });
  const comparisons: PerformancePayload['comparisons'] = [];
  for (const symbol of [...new Set([benchmark, ...extra])]) {
    const c = h.closes.get(symbol);
    const b = c ? Float64Array.from(r, (_, i) => c[idx[i + 1]!]! / c[idx[i]!]! - 1) : null;
    if (!b || b.some((x) => !Number.isFinite(x))) {
      warnings.push(`${symbol}: no close on every snapshot date; not compared`);
      continue;
    }
    const x = benchmarkRelative(r, b, rf);
    comparisons.push({
      benchmark: symbol, benchmark_twr_pct: p2(x.benchmarkTwr), active_return_pct: p2(x.activeReturn), alpha_annual_pct: p2(x.alphaAnnual), beta: x.beta, correlation: x.correlation,
      tracking_error_pct: p2(x.trackingErrorAnnual), information_ratio: x.informationRatio, up_capture_pct: p2n(x.upCapture), down_capture_pct: p2n(x.downCapture),
    });
  }
  return {
    start_date: points[0]!.date, end_date: points.at(-1)!.date, days: r.length, stored_days: points.length - series.rebuilt, twr_pct: p2(twr.twr), annualized_pct: p2(twr.annualized), benchmark, comparisons,
    conventions:
      'Time-weighted return chains the daily NAV returns of the stored snapshots; alpha and beta from OLS of excess returns over the 13-week bill (alpha × 252); ' +
      'tracking error = sample std of daily active returns × √252; information ratio = 252 × mean active return / tracking error; up and down capture compare geometric mean returns on the benchmark\'s up and down days.',
    warnings,
  };
}
