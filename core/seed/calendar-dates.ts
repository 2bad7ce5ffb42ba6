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
