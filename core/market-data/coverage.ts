/**
 * History coverage on the trading calendar: how many trading days of a window have a stored
 * close, and the status the data-quality report and the sync give a symbol.
 */
import { tradingDays, windowStart } from './calendar.ts';

/** Trading days of history the factor and risk engines need (the 252-day factor window). */
export const HISTORY_TRADING_DAYS = 252;
/** Trading days after which a close counts as stale (engines.md §2.5). */
export const STALE_TRADING_DAYS = 3;

export type HistoryStatus = 'full' | 'limited' | 'proxied' | 'missing';

/** The `count` trading days ending at the latest trading day ≤ `end`, oldest first. */
export function tradingWindow(end: string, count: number): string[] {
  return tradingDays(windowStart(end, count), end);
}

export interface WindowCoverage {
  /** Trading days of the window with a stored close. */
  available: number;
  /** Trading days of the window without one. */
  missing: number;
  firstDate: string | null;
  lastDate: string | null;
}

/** Counts which days of `window` (trading days) appear in `stored` (dates; others are ignored). */
export function windowCoverage(window: readonly string[], stored: readonly string[]): WindowCoverage {
  const have = new Set(stored);
  const present = window.filter((d) => have.has(d));
  return { available: present.length, missing: window.length - present.length, firstDate: present[0] ?? null, lastDate: present[present.length - 1] ?? null };
}

/**
 * full: own closes on every needed day; proxied: the holding's own history falls short but its
 * declared proxy is full; limited: some history (own, else proxy); missing: none at all.
 */
export function historyStatus(ownAvailable: number, needed: number, proxyAvailable: number | null): HistoryStatus {
  if (ownAvailable >= needed) return 'full';
  if (proxyAvailable !== null && proxyAvailable >= needed) return 'proxied';
  if (ownAvailable > 0 || (proxyAvailable ?? 0) > 0) return 'limited';
  return 'missing';
}
