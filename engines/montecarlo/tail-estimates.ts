/**
 * VaR and CVaR of a simulated P&L sample with 95 % confidence intervals.
 *
 * Point estimates: the tail convention of engines/risk/historical-var.ts — q = the type-7
 * (numpy default, linear) quantile at p = 1 − c, VaR = −q, CVaR = −mean{x : x ≤ q}.
 *
 * VaR interval: distribution-free, from order statistics. With B ~ Binomial(n, p) the number of
 * draws below the true quantile ξ_p, P(X₍ₗ₎ ≤ ξ_p ≤ X₍ᵤ₎) ≥ P(l ≤ B ≤ u − 1). We take
 * l = the largest j with P(B ≤ j − 1) ≤ 2.5 % and u = the smallest j with P(B ≤ j − 1) ≥ 97.5 %
 * (1-based order statistics, clamped to [1, n]), so coverage is ≥ 95 % (exact binomial, no normal
 * approximation). VaR's interval is [−X₍ᵤ₎, −X₍ₗ₎].
 *
 * CVaR interval: CVaR ± 1.96 · se with the asymptotic standard error of the tail-mean estimator
 * (Manistre & Hancock, "Variance of the CTE estimator", NAAJ 9(2), 2005):
 * se² = [s²_tail + c · (CVaR − VaR)²] / (n (1 − c)), s²_tail the sample variance of the tail draws.
 */
import { EngineError } from '../errors.ts';
import { quantileSorted } from '../common/quantile.ts';
import { lnGamma } from '../common/student-t.ts';

export interface TailEstimate {
  confidence: number;
  varUsd: number;
  cvarUsd: number;
  varCi95: [number, number];
  cvarCi95: [number, number];
  /** The P&L quantile q_{1−c} (= −VaR). */
  quantile: number;
  /** Draws at or below the quantile (the CVaR tail). */
  tailCount: number;
}

const Z_975 = 1.959963984540054;

/**
 * 1-based order-statistic ranks [l, u] bracketing the p-quantile of n draws with ≥ 95 % coverage
 * (exact binomial; see the module comment).
 * @example orderStatisticRanks(10_000, 0.01) // [81, 121] (scipy binom: 0.025 and 0.975 points)
 */
export function orderStatisticRanks(n: number, p: number): [number, number] {
  if (!(Number.isInteger(n) && n >= 1) || !(p > 0 && p < 1)) throw new EngineError('INVALID_INPUT', `order-statistic ranks need n ≥ 1 and p in (0, 1), got ${n}, ${p}`);
  const mean = n * p;
  const sd = Math.sqrt(mean * (1 - p));
  const lo = Math.max(0, Math.floor(mean - 12 * sd - 5));
  const hi = Math.min(n, Math.ceil(mean + 12 * sd + 5));
  // pmf(j) on [lo, hi] by the ratio recurrence from the mode, started from ln pmf via ln Γ.
  const mode = Math.min(hi, Math.max(lo, Math.floor((n + 1) * p)));
  const pmf = new Float64Array(hi - lo + 1);
  pmf[mode - lo] = Math.exp(lnGamma(n + 1) - lnGamma(mode + 1) - lnGamma(n - mode + 1) + mode * Math.log(p) + (n - mode) * Math.log1p(-p));
  const odds = p / (1 - p);
  for (let j = mode; j < hi; j++) pmf[j + 1 - lo] = (pmf[j - lo]! * (n - j) * odds) / (j + 1);
  for (let j = mode; j > lo; j--) pmf[j - 1 - lo] = (pmf[j - lo]! * j) / ((n - j + 1) * odds);
  let l = 1;
  let u = n;
  let cdf = 0; // P(B ≤ j − 1) before adding pmf(j)
  let foundU = false;
  for (let j = lo; j <= hi; j++) {
    // rank r = j + 1 has P(B ≤ r − 1) = P(B ≤ j) = cdf + pmf(j)
    cdf += pmf[j - lo]!;
    const r = j + 1;
    if (cdf <= 0.025 && r <= n) l = r;
    if (!foundU && cdf >= 0.975) {
      u = Math.min(r, n);
      foundU = true;
    }
  }
  return [l, Math.max(u, l)];
}

/**
 * VaR, CVaR and their 95 % intervals at `confidence` from an ascending-sorted P&L sample.
 * @throws EngineError INVALID_INPUT for a confidence outside (0, 1); INSUFFICIENT_DATA for an empty sample.
 * @example tailEstimate(sortedPnl, 0.99).varCi95 // [VaR low, VaR high]
 */
export function tailEstimate(sorted: Float64Array, confidence: number): TailEstimate {
  if (!(confidence > 0 && confidence < 1)) throw new EngineError('INVALID_INPUT', `confidence must be in (0, 1), got ${confidence}`);
  const n = sorted.length;
  const p = 1 - confidence;
  const q = quantileSorted(sorted, p);
  let sum = 0;
  let m = 0;
  for (; m < n && sorted[m]! <= q; m++) sum += sorted[m]!;
  const tailMean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (sorted[i]! - tailMean) ** 2;
  const s2 = m > 1 ? ss / (m - 1) : 0;
  const varUsd = -q;
  const cvarUsd = -tailMean;
  const se = Math.sqrt((s2 + confidence * (cvarUsd - varUsd) ** 2) / (n * p));
  const [l, u] = orderStatisticRanks(n, p);
  return {
    confidence, varUsd, cvarUsd, quantile: q, tailCount: m,
    varCi95: [-sorted[u - 1]!, -sorted[l - 1]!],
    cvarCi95: [cvarUsd - Z_975 * se, cvarUsd + Z_975 * se],
  };
}
