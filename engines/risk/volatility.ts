import { sampleStd } from '../common/moments.ts';

/** Trading days per year (annualisation by √252). */
export const TRADING_DAYS = 252;

/**
 * Annualised volatility σ_annual = s × √252, where s is the sample standard deviation (n − 1)
 * of daily simple returns (decimal). Matches `numpy.std(r, ddof=1) * sqrt(252)`. For realised
 * portfolio volatility pass NAV-based daily returns over 21 or 63 trading days (engines.md §11).
 * A constant series gives 0.
 * @throws EngineError INSUFFICIENT_DATA with fewer than 2 returns; INVALID_INPUT on a non-finite value.
 * @example annualizedVolatility(new Float64Array([0.01, -0.01, 0.02, -0.02])) // 0.2898275349237888
 */
export function annualizedVolatility(dailyReturns: ArrayLike<number>): number {
  return sampleStd(dailyReturns) * Math.sqrt(TRADING_DAYS);
}
