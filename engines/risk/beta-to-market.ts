import { univariateOls, type UnivariateOlsResult } from '../regression/univariate-ols.ts';
import { DEFAULT_MIN_OBSERVATIONS } from '../regression/ols.ts';

/**
 * Beta to SPY (market beta): univariate OLS of daily simple returns on SPY's daily simple
 * returns over the same dates, β = Cov(r, r_SPY)/Var(r_SPY). Both series must be aligned on
 * common dates; default minimum 60 observations. Apply `capBeta` for the ±3 guard.
 * @throws EngineError as `univariateOls` (INSUFFICIENT_DATA, SINGULAR_MATRIX for constant SPY returns, INVALID_INPUT).
 * @example betaToMarket(aaplReturns, spyReturns).beta // e.g. 1.1
 */
export function betaToMarket(returns: Float64Array, marketReturns: Float64Array, minObservations = DEFAULT_MIN_OBSERVATIONS): UnivariateOlsResult {
  return univariateOls(marketReturns, returns, minObservations);
}
