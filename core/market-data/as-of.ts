/** The trading day a read-side market-data answer is given as of. */
import type { Executor } from '../../db/exec.ts';
import { latestPriceDate } from '../../db/queries/market-prices.ts';
import { lastClosedTradingDay, latestTradingDayOnOrBefore } from './calendar.ts';

/**
 * `requested` moved back to a trading day when given; otherwise the latest trading day with a
 * stored close on or before the last closed trading day at `now` (the bundled data ends on
 * 2026-07-13, so an offline install answers as of that day).
 */
export async function resolveAsOf(db: Executor, now: Date, requested?: string | null): Promise<string> {
  if (requested) return latestTradingDayOnOrBefore(requested);
  const expected = lastClosedTradingDay(now);
  const stored = await latestPriceDate(db, expected);
  return latestTradingDayOnOrBefore(stored ?? expected);
}
