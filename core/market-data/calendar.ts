/**
 * NYSE trading calendar on ISO dates (YYYY-MM-DD, exchange-local America/New_York dates).
 * A trading day is a weekday that is not a full-day NYSE closure. Closures (NYSE Rule 7.2):
 * New Year's Day, Martin Luther King Jr. Day (3rd Monday of January), Washington's Birthday
 * (3rd Monday of February), Good Friday, Memorial Day (last Monday of May), Juneteenth (from 2022),
 * Independence Day, Labor Day (1st Monday of September), Thanksgiving (4th Thursday of November)
 * and Christmas. A fixed-date holiday on a Saturday is observed on the Friday before, on a Sunday on
 * the Monday after — except New Year's Day on a Saturday, which NYSE does not observe on Dec 31.
 * Unscheduled closures are listed in SPECIAL_CLOSURES. Early closes (1 pm) are trading days.
 * Rules hold for 1998 onward (MLK Day); special closures are listed from 2012.
 */
import { addDays, weekday } from '../seed/calendar-dates.ts';

/** Unscheduled full-day closures: Hurricane Sandy, national days of mourning (G. H. W. Bush, J. Carter). */
export const SPECIAL_CLOSURES: readonly string[] = ['2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09'];

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;

/** Easter Sunday (Gregorian, anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const g = Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3);
  const h = (19 * a + b - Math.floor(b / 4) - g + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/** The n-th (1-based) given weekday (0 = Sunday) of a month; n = −1 gives the last one. */
function nthWeekday(year: number, month: number, dow: number, n: number): string {
  if (n > 0) {
    const first = iso(year, month, 1);
    return addDays(first, ((dow - weekday(first) + 7) % 7) + 7 * (n - 1));
  }
  const last = addDays(month === 12 ? iso(year + 1, 1, 1) : iso(year, month + 1, 1), -1);
  return addDays(last, -((weekday(last) - dow + 7) % 7));
}

/** Saturday → Friday before, Sunday → Monday after; null for New Year's Day falling on a Saturday. */
function observed(date: string, isNewYear = false): string | null {
  const w = weekday(date);
  if (w === 6) return isNewYear ? null : addDays(date, -1);
  if (w === 0) return addDays(date, 1);
  return date;
}

const holidayCache = new Map<number, Set<string>>();

/** Full-day NYSE closures of a year (regular holidays as observed plus special closures), sorted. */
export function nyseHolidays(year: number): string[] {
  return [...holidaySet(year)].sort();
}

function holidaySet(year: number): Set<string> {
  const hit = holidayCache.get(year);
  if (hit) return hit;
  const days = [
    observed(iso(year, 1, 1), true),
    nthWeekday(year, 1, 1, 3),
    nthWeekday(year, 2, 1, 3),
    addDays(easterSunday(year), -2),
    nthWeekday(year, 5, 1, -1),
    year >= 2022 ? observed(iso(year, 6, 19)) : null,
    observed(iso(year, 7, 4)),
    nthWeekday(year, 9, 1, 1),
    nthWeekday(year, 11, 4, 4),
    observed(iso(year, 12, 25)),
    ...SPECIAL_CLOSURES.filter((d) => d.startsWith(`${year}-`)),
  ].filter((d): d is string => d !== null && d.startsWith(`${year}-`));
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

function check(date: string): void {
  if (!ISO.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${date}"`);
}

/** True for a weekday that is not an NYSE full-day closure. @example isTradingDay('2025-01-09') // false */
export function isTradingDay(date: string): boolean {
  check(date);
  const w = weekday(date);
  return w !== 0 && w !== 6 && !holidaySet(Number(date.slice(0, 4))).has(date);
}

/** The latest trading day ≤ `date`. @example latestTradingDayOnOrBefore('2026-07-05') // '2026-07-02' */
export function latestTradingDayOnOrBefore(date: string): string {
  let d = date;
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

/** The latest trading day strictly before `date`. @example previousTradingDay('2026-07-06') // '2026-07-02' */
export function previousTradingDay(date: string): string {
  return latestTradingDayOnOrBefore(addDays(date, -1));
}

/** The earliest trading day strictly after `date`. */
export function nextTradingDay(date: string): string {
  let d = addDays(date, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

/** Trading days with from ≤ day ≤ to, in order (empty when from > to). */
export function tradingDays(from: string, to: string): string[] {
  check(from);
  check(to);
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isTradingDay(d)) out.push(d);
  return out;
}

/**
 * Trading days elapsed from `from` to `to`: the count of trading days d with from < d ≤ to
 * (negative when `to` is earlier). @example tradingDaysBetween('2026-07-02', '2026-07-06') // 1
 */
export function tradingDaysBetween(from: string, to: string): number {
  if (from > to) return -tradingDaysBetween(to, from);
  return tradingDays(addDays(from, 1), to).length;
}

/**
 * The first day of a window of `count` trading days ending at the latest trading day ≤ `end`
 * (count = 1 gives that day). @example windowStart('2026-07-13', 5) // '2026-07-07'
 */
export function windowStart(end: string, count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`window must be a positive whole number of trading days, got ${count}`);
  let d = latestTradingDayOnOrBefore(end);
  for (let i = 1; i < count; i++) d = previousTradingDay(d);
  return d;
}

/**
 * The latest trading day whose close is final at `now`: today (New York date) once the 16:00 ET
 * close has passed plus `settleMinutes` for providers to publish, otherwise the trading day before.
 */
export function lastClosedTradingDay(now: Date, settleMinutes = 60): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string): string => parts.find((p) => p.type === t)!.value;
  const today = `${get('year')}-${get('month')}-${get('day')}`;
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  return isTradingDay(today) && minutes >= 16 * 60 + settleMinutes ? today : previousTradingDay(today);
}
