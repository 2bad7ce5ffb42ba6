import { EngineError } from '../errors.ts';
import { compensatedMean, compensatedSum } from './compensated-sum.ts';

/**
 * Sample variance with Bessel's correction (divisor n − 1), two-pass: the mean is computed
 * first with compensated summation, then Σ(x − x̄)² (no E[x²] − x̄² cancellation). Matches
 * `numpy.var(x, ddof=1)`.
 * @throws EngineError INSUFFICIENT_DATA when fewer than 2 values; INVALID_INPUT on a non-finite value.
 * @example sampleVariance(new Float64Array([1, 2, 3, 4])) // 1.6666666666666667
 */
export function sampleVariance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) throw new EngineError('INSUFFICIENT_DATA', `sample variance needs at least 2 values, got ${n}`);
  const mean = compensatedMean(values);
  if (!Number.isFinite(mean)) throw new EngineError('INVALID_INPUT', 'series contains non-finite values');
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    dev[i] = d * d;
  }
  return compensatedSum(dev) / (n - 1);
}

/**
 * Sample standard deviation, √(sampleVariance). Matches `numpy.std(x, ddof=1)`.
 * @throws EngineError as {@link sampleVariance}.
 * @example sampleStd(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9])) // 2.138089935299395
 */
export function sampleStd(values: ArrayLike<number>): number {
  return Math.sqrt(sampleVariance(values));
}
