/**
 * The calculation date of a run: the latest trading day with market data at or before a date,
 * where trading days are the dates with a SPY close (the bundled data ends on 2026-07-13, so a
 * fresh install computes as of that day). "Today" is the clock's date in America/New_York.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { AppError } from '../errors.ts';

export const CALENDAR_SYMBOL = 'SPY';
export const MARKET_TIME_ZONE = 'America/New_York';

/** The calendar date of `now` in New York, YYYY-MM-DD. */
export function marketDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: MARKET_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Latest SPY close date on or before `date`, or null when there is none. */
export async function tradingDayOnOrBefore(db: Db, date: string): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(db, sql`select max(date)::text as d from market_prices where symbol = ${CALENDAR_SYMBOL} and date <= ${date}`);
  return row?.d ?? null;
}

/** Latest SPY close date strictly before `date`, or null. */
export async function tradingDayBefore(db: Db, date: string): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(db, sql`select max(date)::text as d from market_prices where symbol = ${CALENDAR_SYMBOL} and date < ${date}`);
  return row?.d ?? null;
}

/**
 * Resolves a run's as_of: `requested` (or today in New York from `now`) moved back to the latest
 * trading day with data. @throws AppError UNPROCESSABLE when no market data exists on or before it.
 */
export async function resolveAsOf(db: Db, now: Date, requested?: string | null): Promise<string> {
  const target = requested ?? marketDate(now);
  const asOf = await tradingDayOnOrBefore(db, target);
  if (!asOf) throw new AppError('UNPROCESSABLE', `no market data on or before ${target}: load prices first (npm run seed)`);
  return asOf;
}
