/** The VaR backtest's stored daily forecasts (`backtest_day_forecasts`), by portfolio and input digest. */
import { and, eq, gte, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { queryRows } from '../exec.ts';
import { backtestDayForecasts } from '../schema/index.ts';

/** Every stored forecast of the portfolio from `fromDay` on, by key: one object of them all, built in SQL and parsed once (a row per forecast cost twice as much). */
export async function readDayForecasts(db: Db, portfolioId: string, fromDay: string): Promise<Map<string, Record<string, unknown>>> {
  const [row] = await queryRows<{ forecasts: string | null }>(
    db,
    sql`select json_object_agg(key, forecast)::text as forecasts from backtest_day_forecasts where portfolio_id = ${portfolioId} and day >= ${fromDay}`,
  );
  return new Map(Object.entries(row?.forecasts ? (JSON.parse(row.forecasts) as Record<string, Record<string, unknown>>) : {}));
}

/**
 * Stores the forecasts computed by a run and drops the ones it proved stale: inside the run's
 * window [first, last] a stored day under another key (an edited position, a corrected close) is
 * never read again; before `keepFrom`, nothing a current window reads.
 */
export async function saveDayForecasts(db: Db, portfolioId: string, window: { first: string; last: string; keepFrom: string; used: readonly string[] }, fresh: readonly { key: string; day: string; forecast: Record<string, unknown> }[]): Promise<void> {
  const mine = eq(backtestDayForecasts.portfolioId, portfolioId);
  const inWindow = and(gte(backtestDayForecasts.day, window.first), lte(backtestDayForecasts.day, window.last));
  // The keys the run read travel as one JSON parameter (a bind parameter each cost more than the delete).
  const stale = window.used.length ? and(inWindow, sql`${backtestDayForecasts.key} not in (select json_array_elements_text(${JSON.stringify(window.used)}::json))`) : inWindow;
  await db.delete(backtestDayForecasts).where(and(mine, or(stale, lt(backtestDayForecasts.day, window.keepFrom))));
  for (let i = 0; i < fresh.length; i += 500) {
    const chunk = fresh.slice(i, i + 500);
    await db.insert(backtestDayForecasts).values(chunk.map((f) => ({ portfolioId, ...f }))).onConflictDoNothing();
  }
}

