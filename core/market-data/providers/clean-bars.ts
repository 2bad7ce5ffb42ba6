/** Normalises provider bars before they are stored (pure). */
import { isTradingDay } from '../calendar.ts';
import type { DailyBar } from '../provider.ts';

const round6 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);

/**
 * Bars with from ≤ date ≤ to on NYSE trading days and a positive close, one per date (the last
 * given wins), in date order, prices rounded to the 6 decimals the store keeps — so a rerun of
 * the same answer compares equal and writes nothing.
 */
export function cleanBars(bars: readonly DailyBar[], from: string, to: string): DailyBar[] {
  const byDate = new Map<string, DailyBar>();
  for (const b of bars) {
    if (b.date < from || b.date > to || !(b.close > 0) || !isTradingDay(b.date)) continue;
    byDate.set(b.date, { date: b.date, close: round6(b.close)!, open: round6(b.open), high: round6(b.high), low: round6(b.low), volume: b.volume });
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}
