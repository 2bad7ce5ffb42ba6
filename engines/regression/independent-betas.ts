import { univariateOls, type UnivariateOlsResult } from './univariate-ols.ts';
import { DEFAULT_MIN_OBSERVATIONS } from './ols.ts';

export interface IndependentBeta extends UnivariateOlsResult {
  factor: string;
}

export interface IndependentBetas {
  /** Always this label: each beta is a total (market-contaminated) sensitivity; never sum them. */
  label: 'independent, non-additive';
  betas: IndependentBeta[];
}

/**
 * Compatibility mode of engines.md §6.3/§6.6: one univariate OLS of the position's returns on
 * each factor ETF's returns separately (e.g. SPY, MTUM, VTV, VUG, QUAL, SIZE, USMV). Because the
 * ETFs are nearly collinear the betas are NOT additive; the result carries that label.
 * All series must be aligned on the same dates.
 * @throws EngineError as `univariateOls` (the first failing factor aborts the call).
 * @example independentFactorBetas(y, [{ name: 'Market', returns: spy }]).betas[0].beta
 */
export function independentFactorBetas(
  positionReturns: Float64Array,
  factors: readonly { name: string; returns: Float64Array }[],
  minObservations = DEFAULT_MIN_OBSERVATIONS,
): IndependentBetas {
  return {
    label: 'independent, non-additive',
    betas: factors.map((f) => ({ factor: f.name, ...univariateOls(f.returns, positionReturns, minObservations) })),
  };
}
