import { EngineError } from '../errors.ts';
import { chiSquareSf } from '../common/chi-square.ts';
import { kupiecPof } from './kupiec.ts';
import { BACKTEST_SIGNIFICANCE, checkCoverage, type LrTest, xLogY } from './lr-test.ts';

export type { LrTest } from './lr-test.ts';

/** The independence test with its first-order Markov transition counts (n_ij = days in state j after a day in state i). */
export interface IndependenceTest extends LrTest {
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

export interface ChristoffersenTests {
  independence: IndependenceTest;
  /** LR_cc = LR_pof + LR_ind, χ²₂. */
  conditionalCoverage: LrTest;
}

function lrTest(statistic: number, df: number): LrTest {
  const pValue = chiSquareSf(statistic, df);
  return { statistic, df, pValue, reject: pValue < BACKTEST_SIGNIFICANCE };
}

/** Transition counts n00, n01, n10, n11 over the T − 1 consecutive pairs (I_{t−1}, I_t). */
function transitions(flags: ArrayLike<number>): [number, number, number, number] {
  const c: [number, number, number, number] = [0, 0, 0, 0];
  for (let t = 0; t < flags.length; t++) {
    const f = flags[t];
    if (f !== 0 && f !== 1) throw new EngineError('INVALID_INPUT', `exception flag at index ${t} is ${f}; flags are 0 or 1`, { index: t });
    if (t > 0) c[2 * flags[t - 1]! + f]!++;
  }
  return c;
}

/**
 * Christoffersen (1998) interval-forecast tests ("Evaluating interval forecasts", Int. Econ.
 * Rev. 39(4)) on a 0/1 exception series I_1..I_T (from {@link varExceptions}).
 * Independence: first-order Markov chain with π0 = n01/(n00+n01), π1 = n11/(n10+n11) against
 * one rate π = (n01+n11)/(T−1):
 *   LR_ind = −2 ln[(1−π)^{n00+n10} π^{n01+n11}] + 2 ln[(1−π0)^{n00} π0^{n01} (1−π1)^{n10} π1^{n11}]  ~ χ²₁,
 * computed term by term as n_ij ln(π̂_ij / π̂_j) with 0·ln 0 = 0. When a row of the chain is
 * empty (n10+n11 = 0: no exception before the last day; or n00+n01 = 0) or no exception follows
 * any day (n01+n11 = 0), its terms vanish and LR_ind = 0: the sample holds no evidence of
 * clustering (the usual convention; statistic 0, p = 1).
 * Conditional coverage: LR_cc = LR_pof + LR_ind ~ χ²₂, with the Kupiec LR_pof on all T days
 * and x = Σ I_t exceptions ({@link kupiecPof}).
 * @param coverage VaR confidence, e.g. 0.99 (exception probability 1 − coverage).
 * @throws EngineError INVALID_INPUT for a flag other than 0/1 or coverage ∉ (0, 1);
 * INSUFFICIENT_DATA with fewer than 2 days (no transition).
 * @example christoffersenTests([0, 1, 1, 0, 0, 0, 0, 0, 0, 0], 0.9).independence.n11 // 1
 */
export function christoffersenTests(flags: ArrayLike<number>, coverage: number): ChristoffersenTests {
  checkCoverage(coverage);
  const T = flags.length;
  if (T < 2) throw new EngineError('INSUFFICIENT_DATA', `independence test needs at least 2 days, got ${T}`);
  const [n00, n01, n10, n11] = transitions(flags);
  const row0 = n00 + n01;
  const row1 = n10 + n11;
  const pi0 = row0 > 0 ? n01 / row0 : 0;
  const pi1 = row1 > 0 ? n11 / row1 : 0;
  const pi = (n01 + n11) / (T - 1);
  const half = xLogY(n00, (1 - pi0) / (1 - pi)) + xLogY(n01, pi0 / pi) + xLogY(n10, (1 - pi1) / (1 - pi)) + xLogY(n11, pi1 / pi);
  const ind = lrTest(Math.max(0, 2 * half), 1);
  let x = 0;
  for (let t = 0; t < T; t++) x += flags[t]!;
  const pof = kupiecPof(T, x, coverage);
  return { independence: { ...ind, n00, n01, n10, n11 }, conditionalCoverage: lrTest(pof.statistic + ind.statistic, 2) };
}
