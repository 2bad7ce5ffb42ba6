import { EngineError } from '../errors.ts';

/**
 * The result of a likelihood-ratio test of a VaR model: LR statistic (≥ 0), its χ² degrees of
 * freedom, the asymptotic p-value P(χ²_df > statistic), and whether the model is rejected at the
 * 5 % level (p < 0.05).
 */
export interface LrTest {
  statistic: number;
  df: number;
  pValue: number;
  /** rejected at 5 % */
  reject: boolean;
}

/** Significance level of every backtest's `reject` flag. */
export const BACKTEST_SIGNIFICANCE = 0.05;

/** x·ln(y) with the convention 0·ln 0 = 0 (x = 0 gives 0 whatever y is), as scipy's `xlogy`. */
export function xLogY(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/**
 * Checks that `coverage` (the VaR confidence, e.g. 0.99) lies in (0, 1).
 * @throws EngineError INVALID_INPUT otherwise.
 */
export function checkCoverage(coverage: number): void {
  if (!(coverage > 0 && coverage < 1)) throw new EngineError('INVALID_INPUT', `coverage must be in (0, 1), got ${coverage}`);
}
