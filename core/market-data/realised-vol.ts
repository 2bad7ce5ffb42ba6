import { logReturns } from '../../engines/common/returns.ts';
import { sampleStd } from '../../engines/common/moments.ts';

export const TRADING_DAYS_PER_YEAR = 252;

/**
 * Annualised realised volatility: sample standard deviation of the last `days` daily log returns
 * ending at index `end` of `closes`, × √252. Throws when fewer than `days` + 1 closes are available.
 */
export function realisedVolAnnual(closes: Float64Array, end: number, days: number): number {
  if (end < days) throw new Error(`need ${days + 1} closes for a ${days}-day realised volatility, have ${end + 1}`);
  return sampleStd(logReturns(closes.subarray(end - days, end + 1))) * Math.sqrt(TRADING_DAYS_PER_YEAR);
}
