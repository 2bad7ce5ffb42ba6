import { EngineError } from '../errors.ts';
import { compensatedMean, compensatedSum } from '../common/compensated-sum.ts';
import { TRADING_DAYS } from '../risk/volatility.ts';
import { timeWeightedReturn } from './time-weighted.ts';

/**
 * Performance of a portfolio against a benchmark over the same days. Conventions (the numpy
 * reference test/fixtures/gen_performance_numpy.py uses the same):
 * - returns are daily simple returns on common dates (decimal); rf_t the daily risk-free rate
 *   (decimal per day, e.g. ^IRX/100/252; default 0);
 * - TWRs Π(1 + r) − 1 over the whole window; activeReturn = portfolioTwr − benchmarkTwr (cumulative, not annualised);
 * - beta and Jensen's alpha from OLS of y_t = r_p,t − rf_t on x_t = r_b,t − rf_t with an intercept:
 *   β = Σ(x − x̄)(y − ȳ)/Σ(x − x̄)², alphaAnnual = 252 × (ȳ − β x̄);
 * - correlation: Pearson correlation of the same excess series y and x (so R² = correlation²);
 * - trackingErrorAnnual = std(r_p − r_b, ddof 1) × √252; informationRatio = 252 × mean(r_p − r_b) / TE;
 * - undefined ratios are reported as 0, not NaN: correlation when y is constant, the information
 *   ratio when TE = 0 (beta is 0 and TE, alpha stay defined in the first case);
 * - captures (Morningstar style, on daily returns): over the k days with r_b > 0,
 *   upCapture = [(Π(1 + r_p))^{1/k} − 1] / [(Π(1 + r_b))^{1/k} − 1] (geometric mean per day), and the
 *   same over the days with r_b < 0 for downCapture; days with r_b = 0 count in neither; null when k = 0.
 */
export interface RelativePerformance {
  days: number;
  portfolioTwr: number;
  benchmarkTwr: number;
  /** portfolioTwr − benchmarkTwr, cumulative over the window (decimal). */
  activeReturn: number;
  beta: number;
  /** 252 × daily OLS intercept (Jensen's alpha), decimal per year. */
  alphaAnnual: number;
  /** Correlation of the excess returns; 0 when the portfolio's excess return is constant (e.g. all cash at rf), where it is undefined. */
  correlation: number;
  trackingErrorAnnual: number;
  /** 252 × mean active return / TE; 0 when TE = 0 (the portfolio replicates the benchmark), where the ratio is undefined. */
  informationRatio: number;
  upCapture: number | null;
  downCapture: number | null;
  upDays: number;
  downDays: number;
}

/** Minimum common observations for {@link benchmarkRelative}. */
export const MIN_RELATIVE_OBSERVATIONS = 3;

/** Σ(a − ā)(b − b̄) with compensated means and sum (two-pass). */
function coMoment(a: Float64Array, b: Float64Array): number {
  const ma = compensatedMean(a);
  const mb = compensatedMean(b);
  return compensatedSum(a.map((v, i) => (v - ma) * (b[i]! - mb)));
}

/** (Π(1 + r))^{1/k} − 1 over the selected days, via the mean of log1p; null for no day. */
function geometricMean(r: ArrayLike<number>, pick: readonly number[]): number | null {
  if (pick.length === 0) return null;
  return Math.expm1(compensatedSum(pick.map((t) => Math.log1p(r[t]!))) / pick.length);
}

function checkInputs(p: ArrayLike<number>, b: ArrayLike<number>, rf?: ArrayLike<number>): void {
  const n = p.length;
  if (b.length !== n) throw new EngineError('INVALID_INPUT', `${n} portfolio returns but ${b.length} benchmark returns`);
  if (rf && rf.length !== n) throw new EngineError('INVALID_INPUT', `${n} returns but ${rf.length} risk-free rates`);
  if (n < MIN_RELATIVE_OBSERVATIONS) throw new EngineError('INVALID_INPUT', `${n} observations, at least ${MIN_RELATIVE_OBSERVATIONS} required`);
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(p[t]!) || !Number.isFinite(b[t]!) || (rf && !Number.isFinite(rf[t]!))) {
      throw new EngineError('INVALID_INPUT', `non-finite return at index ${t}`, { index: t });
    }
  }
}

/**
 * Benchmark-relative performance of daily portfolio returns against benchmark returns on the
 * same dates (conventions on {@link RelativePerformance}).
 * @throws EngineError INVALID_INPUT for mismatched lengths, fewer than 3 observations, a
 * non-finite value or a return < −1; INSUFFICIENT_DATA when the benchmark's excess return is
 * constant (beta undefined).
 * @example benchmarkRelative(portfolioReturns, spyReturns).beta // e.g. 0.62 for a 60/40 stock/bond mix
 */
export function benchmarkRelative(portfolio: ArrayLike<number>, benchmark: ArrayLike<number>, riskFreeDaily?: ArrayLike<number>): RelativePerformance {
  checkInputs(portfolio, benchmark, riskFreeDaily);
  const n = portfolio.length;
  const rf = (t: number) => (riskFreeDaily ? riskFreeDaily[t]! : 0);
  const y = Float64Array.from({ length: n }, (_, t) => portfolio[t]! - rf(t));
  const x = Float64Array.from({ length: n }, (_, t) => benchmark[t]! - rf(t));
  const active = Float64Array.from({ length: n }, (_, t) => portfolio[t]! - benchmark[t]!);
  const sxx = coMoment(x, x);
  if (!(sxx > 0)) throw new EngineError('INSUFFICIENT_DATA', 'benchmark excess return is constant: beta is undefined');
  const syy = coMoment(y, y);
  const beta = coMoment(x, y) / sxx;
  const alphaDaily = compensatedMean(y) - beta * compensatedMean(x);
  const te = Math.sqrt(coMoment(active, active) / (n - 1)) * Math.sqrt(TRADING_DAYS);
  const pTwr = timeWeightedReturn(portfolio).twr;
  const bTwr = timeWeightedReturn(benchmark).twr;
  const up: number[] = [];
  const down: number[] = [];
  for (let t = 0; t < n; t++) {
    if (benchmark[t]! > 0) up.push(t);
    else if (benchmark[t]! < 0) down.push(t);
  }
  const capture = (pick: number[]) => {
    const bm = geometricMean(benchmark, pick);
    return bm === null ? null : geometricMean(portfolio, pick)! / bm;
  };
  return {
    days: n, portfolioTwr: pTwr, benchmarkTwr: bTwr, activeReturn: pTwr - bTwr,
    beta, alphaAnnual: TRADING_DAYS * alphaDaily,
    correlation: syy > 0 ? Math.max(-1, Math.min(1, coMoment(x, y) / Math.sqrt(sxx * syy))) : 0,
    trackingErrorAnnual: te,
    informationRatio: te > 0 ? (TRADING_DAYS * compensatedMean(active)) / te : 0,
    upCapture: capture(up), downCapture: capture(down), upDays: up.length, downDays: down.length,
  };
}
