import { EngineError } from '../errors.ts';
import { univariateOls, type UnivariateOlsResult } from './univariate-ols.ts';
import { DEFAULT_MIN_OBSERVATIONS } from './ols.ts';

/**
 * Interest-rate beta (engines.md §7.4): OLS of daily simple returns on first differences of a
 * yield in basis points, Δy_t = (y_t − y_{t−1}) × 100 with yields in percent (4.00 → 4.04 is
 * +4 bp), never a percentage change of the yield level. β is the return per +1 bp; a shock of
 * s bp gives P&L ≈ exposure × β × s.
 * @param returns r_t for t = 1..m (decimal), aligned on the same dates as the yields.
 * @param yieldPct y_t for t = 0..m in percent (length m + 1): yields on the price dates (holidays
 * and missing values dropped by date alignment beforehand, never filled).
 * @throws EngineError INVALID_INPUT when yieldPct.length ≠ returns.length + 1; otherwise as `univariateOls`.
 * @example rateBeta(returns, tnx).beta // e.g. −0.0017 for a 17-year-duration bond ETF (−0.17 % per bp)
 */
export function rateBeta(returns: Float64Array, yieldPct: Float64Array, minObservations = DEFAULT_MIN_OBSERVATIONS): UnivariateOlsResult {
  if (yieldPct.length !== returns.length + 1) {
    throw new EngineError('INVALID_INPUT', `need ${returns.length + 1} yields for ${returns.length} returns, got ${yieldPct.length}`);
  }
  const dyBp = new Float64Array(returns.length);
  for (let t = 1; t < yieldPct.length; t++) dyBp[t - 1] = (yieldPct[t]! - yieldPct[t - 1]!) * 100;
  return univariateOls(dyBp, returns, minObservations);
}
