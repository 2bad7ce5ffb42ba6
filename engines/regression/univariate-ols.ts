import { EngineError } from '../errors.ts';
import { studentTTwoSidedP } from '../common/student-t.ts';
import { DEFAULT_MIN_OBSERVATIONS } from './ols.ts';

export interface UnivariateOlsResult {
  n: number;
  alpha: number;
  beta: number;
  betaStandardError: number;
  tStat: number;
  /** Two-sided p-value, Student t with n − 2 degrees of freedom. */
  pValue: number;
  rSquared: number;
  /** √(SSR/(n − 2)), units of y per observation. */
  residualStd: number;
}

/**
 * Closed-form univariate OLS y = α + βx + ε (engines.md §6.3, Appendix B) in one pass with
 * Welford-style running means and co-moments (no matrix library):
 * β = Sxy/Sxx, α = ȳ − βx̄, SSR = Syy − β·Sxy, R² = 1 − SSR/Syy,
 * SE(β) = √(SSR/(n − 2)/Sxx), t = β/SE(β).
 * The arrays must already be aligned on common dates (no NaN).
 * @throws EngineError INVALID_INPUT (length mismatch, non-finite value), INSUFFICIENT_DATA
 * (n < minObservations, default 60, or n < 3; constant y), SINGULAR_MATRIX (constant x).
 * @example univariateOls(x, y.map((v) => 2 * v + 1), 3).beta // 2 for y = 1 + 2x
 */
export function univariateOls(x: Float64Array, y: Float64Array, minObservations = DEFAULT_MIN_OBSERVATIONS): UnivariateOlsResult {
  const n = x.length;
  if (y.length !== n) throw new EngineError('INVALID_INPUT', `x has ${n} values, y has ${y.length}`);
  if (n < Math.max(minObservations, 3)) throw new EngineError('INSUFFICIENT_DATA', `${n} observations, at least ${Math.max(minObservations, 3)} required`);
  let mx = 0;
  let my = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) throw new EngineError('INVALID_INPUT', `non-finite value at index ${i}`);
    const dx = xi - mx;
    const dy = yi - my;
    mx += dx / (i + 1);
    my += dy / (i + 1);
    sxx += dx * (xi - mx);
    syy += dy * (yi - my);
    sxy += dx * (yi - my);
  }
  if (!(sxx > 0) || x.every((v) => v === x[0])) throw new EngineError('SINGULAR_MATRIX', 'regressor is constant');
  if (!(syy > 0) || y.every((v) => v === y[0])) throw new EngineError('INSUFFICIENT_DATA', 'dependent series is constant');
  const beta = sxy / sxx;
  const ssr = Math.max(syy - beta * sxy, 0);
  const residualStd = Math.sqrt(ssr / (n - 2));
  const betaStandardError = residualStd / Math.sqrt(sxx);
  const tStat = beta / betaStandardError;
  return {
    n, alpha: my - beta * mx, beta, betaStandardError, tStat,
    pValue: studentTTwoSidedP(tStat, n - 2),
    rSquared: 1 - ssr / syy,
    residualStd,
  };
}
