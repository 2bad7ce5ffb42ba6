import { EngineError } from '../errors.ts';
import { chiSquareSf } from '../common/chi-square.ts';
import { BACKTEST_SIGNIFICANCE, checkCoverage, type LrTest, xLogY } from './lr-test.ts';

export type { LrTest } from './lr-test.ts';

export interface KupiecPof extends LrTest {
  /** Expected number of exceptions n·p, p = 1 − coverage. */
  expected: number;
  /** Observed exception rate x/n. */
  observedRate: number;
}

/**
 * Kupiec (1995) proportion-of-failures test ("Techniques for verifying the accuracy of risk
 * measurement models", J. Derivatives 3(2)): with p = 1 − coverage, x exceptions in n days,
 *   LR_pof = −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x]  ~ χ²₁ under H₀: rate = p,
 * computed as 2[(n−x) ln((1−x/n)/(1−p)) + x ln((x/n)/p)] (each log near 0 when x/n ≈ p, so no
 * cancellation between two large log-likelihoods) with 0·ln 0 = 0, so x = 0 gives
 * −2n ln(1−p) and x = n gives −2n ln p. Two-sided: too many and too few exceptions both reject.
 * @param n days in the backtest (integer ≥ 1); @param exceptions x, integer in [0, n].
 * @throws EngineError INVALID_INPUT for a non-integer or out-of-range n or x, or coverage ∉ (0, 1).
 * @example kupiecPof(250, 10, 0.99).statistic // 12.955491062356039 (p ≈ 0.00032, rejected)
 */
export function kupiecPof(n: number, exceptions: number, coverage: number): KupiecPof {
  checkCoverage(coverage);
  if (!Number.isInteger(n) || n < 1) throw new EngineError('INVALID_INPUT', `days must be an integer ≥ 1, got ${n}`);
  const x = exceptions;
  if (!Number.isInteger(x) || x < 0 || x > n) throw new EngineError('INVALID_INPUT', `exceptions must be an integer in [0, ${n}], got ${x}`);
  const p = 1 - coverage;
  const rate = x / n;
  // The unrestricted likelihood is ≥ the restricted one; clamp the rounding residue near x = n·p.
  const statistic = Math.max(0, 2 * (xLogY(n - x, (1 - rate) / (1 - p)) + xLogY(x, rate / p)));
  const pValue = chiSquareSf(statistic, 1);
  return { statistic, df: 1, pValue, reject: pValue < BACKTEST_SIGNIFICANCE, expected: n * p, observedRate: rate };
}
