/** Calendar helpers on ISO dates (YYYY-MM-DD), computed in UTC so no local time zone leaks in. */

const toUtc = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date): string => d.toISOString().slice(0, 10);

/** Adds whole months; a day past the target month's end is clamped to its last day (Aug 31 + 18 m → Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const d = toUtc(iso);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return toIso(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay))));
}

export function addDays(iso: string, days: number): string {
  const d = toUtc(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return toIso(d);
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** Third Friday of a month (month 1–12): the standard monthly equity option expiry. */
export function thirdFriday(year: number, month: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (5 - first.getUTCDay() + 7) % 7; // days to the first Friday
  return toIso(new Date(Date.UTC(year, month - 1, 1 + offset + 14)));
}

/**
 * Monthly VIX option expiry for a month: the Wednesday 30 days before the third Friday of the
 * following month (Cboe's rule; exchange-holiday adjustments are not applied).
 */
export function vixExpiry(year: number, month: number): string {
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return addDays(thirdFriday(nextYear, nextMonth), -30);
}

/** ISO weekday, 0 = Sunday … 6 = Saturday. */
export const weekday = (iso: string): number => toUtc(iso).getUTCDay();

/** How many dates of the ascending list `dates` lie before `date` (or on it, when `inclusive`): one binary search. */
function countBefore(dates: readonly string[], date: string, inclusive: boolean): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? dates[mid]! <= date : dates[mid]! < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last date ≤ `date` in an ascending date list, or −1 when every date is later. */
export const indexOnOrBefore = (dates: readonly string[], date: string): number => countBefore(dates, date, true) - 1;

/** Index of the first date ≥ `date` in an ascending date list, or its length when every date is earlier. */
export const firstOnOrAfter = (dates: readonly string[], date: string): number => countBefore(dates, date, false);
