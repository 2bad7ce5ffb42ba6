import { EngineError } from '../errors.ts';
import { quantileSorted, sortedCopy } from '../common/quantile.ts';

export interface HistoricalVar {
  confidence: number;
  observations: number;
  /** 1-day VaR, a positive number = loss (same units as the P&L, e.g. USD). */
  var1d: number;
  /** 1-day expected shortfall (CVaR): mean loss on days at or beyond the VaR quantile. */
  cvar1d: number;
  /** 10-day figures by √10 scaling of the 1-day ones (labelled "sqrt10"). */
  var10dSqrt: number;
  cvar10dSqrt: number;
  /** 10-day figures from overlapping 10-day P&L sums Σ_{s=t}^{t+9} pnl_s; null with < 20 observations. */
  var10dOverlapping: number | null;
  cvar10dOverlapping: number | null;
}

/** Minimum daily observations for a historical VaR. */
export const MIN_VAR_OBSERVATIONS = 20;

function tail(sorted: Float64Array, p: number): { var: number; cvar: number } {
  const q = quantileSorted(sorted, p);
  let s = 0;
  let c = 0;
  for (let i = 0; i < sorted.length && sorted[i]! <= q; i++) {
    s += sorted[i]!;
    c++;
  }
  return { var: -q, cvar: -s / c };
}

/**
 * Historical-simulation VaR and expected shortfall of a daily P&L (or return) series.
 * Quantile convention: numpy's default linear interpolation (`np.quantile(pnl, 1 − c)`, type 7).
 * VaR_c = −q_{1−c}; CVaR_c = −mean{pnl_t : pnl_t ≤ q_{1−c}} (so CVaR ≥ VaR).
 * 10-day: (a) √10 × the 1-day figures — the regulatory square-root-of-time rule, exact only for
 * i.i.d. zero-mean P&L; (b) the same quantile/ES over the n − 9 overlapping 10-day sums of
 * daily P&L at today's exposures (serially dependent samples; reported beside (a); null with
 * fewer than 20 daily observations).
 * Positive VaR is a loss; a negative VaR means even the tail quantile is a gain.
 * Several confidence levels share one sort of each sample (see {@link historicalVarLevels}).
 * @param confidence e.g. 0.95 or 0.99, in (0, 1).
 * @throws EngineError INVALID_INPUT (confidence outside (0, 1), NaN in the series),
 * INSUFFICIENT_DATA (fewer than 20 observations, including an empty series).
 * @example historicalVar(pnl252, 0.99).var1d // e.g. 6660.25 (USD)
 */
export function historicalVar(pnl: ArrayLike<number>, confidence: number): HistoricalVar {
  return historicalVarLevels(pnl, [confidence])[0]!;
}

/**
 * {@link historicalVar} at several confidence levels (e.g. [0.95, 0.99]) from one sort of the
 * daily and of the overlapping 10-day samples; results in the order of `confidences`.
 * @throws EngineError as {@link historicalVar}.
 * @example historicalVarLevels(pnl, [0.95, 0.99]).map((v) => v.var1d) // [4119.19, 6660.25]
 */
export function historicalVarLevels(pnl: ArrayLike<number>, confidences: readonly number[]): HistoricalVar[] {
  for (const c of confidences) {
    if (!(c > 0 && c < 1)) throw new EngineError('INVALID_INPUT', `confidence must be in (0, 1), got ${c}`);
  }
  const n = pnl.length;
  if (n < MIN_VAR_OBSERVATIONS) throw new EngineError('INSUFFICIENT_DATA', `${n} P&L observations, at least ${MIN_VAR_OBSERVATIONS} required`);
  const daily = sortedCopy(pnl);
  let tenDay: Float64Array | null = null;
  if (n >= 2 * 10) {
    tenDay = new Float64Array(n - 9);
    for (let t = 0; t < tenDay.length; t++) {
      let s = 0;
      for (let j = 0; j < 10; j++) s += pnl[t + j]!;
      tenDay[t] = s;
    }
    tenDay.sort();
  }
  const root10 = Math.sqrt(10);
  return confidences.map((confidence) => {
    const p = 1 - confidence;
    const one = tail(daily, p);
    const ten = tenDay ? tail(tenDay, p) : null;
    return {
      confidence, observations: n, var1d: one.var, cvar1d: one.cvar,
      var10dSqrt: one.var * root10, cvar10dSqrt: one.cvar * root10,
      var10dOverlapping: ten?.var ?? null, cvar10dOverlapping: ten?.cvar ?? null,
    };
  });
}
