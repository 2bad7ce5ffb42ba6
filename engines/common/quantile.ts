import { EngineError } from '../errors.ts';

/**
 * Empirical quantile with linear interpolation between order statistics, the default of
 * `numpy.percentile` / `numpy.quantile` (`method='linear'`, Hyndman & Fan type 7):
 * sort x ascending, h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * `sortedAscending` must already be sorted (use {@link sortedCopy}); this keeps repeated
 * quantiles of one sample O(1).
 * @throws EngineError INVALID_INPUT when p ∉ [0, 1]; INSUFFICIENT_DATA when the sample is empty.
 * @example quantileSorted(new Float64Array([1, 2, 3, 4]), 0.05) // 1.15
 */
export function quantileSorted(sortedAscending: Float64Array, p: number): number {
  const n = sortedAscending.length;
  if (n === 0) throw new EngineError('INSUFFICIENT_DATA', 'quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new EngineError('INVALID_INPUT', `quantile probability ${p} outside [0, 1]`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const x0 = sortedAscending[lo]!;
  if (lo + 1 >= n) return x0;
  const x1 = sortedAscending[lo + 1]!;
  // numpy's _lerp form: a + (b − a)·t, switched to b − (b − a)(1 − t) for t ≥ 0.5.
  const t = h - lo;
  const diff = x1 - x0;
  return t >= 0.5 ? x1 - diff * (1 - t) : x0 + diff * t;
}

/**
 * Ascending sorted copy of `values`.
 * @throws EngineError INVALID_INPUT when a value is NaN (NaN has no place in an order statistic).
 * @example sortedCopy(new Float64Array([3, 1, 2])) // Float64Array [1, 2, 3]
 */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i]!)) throw new EngineError('INVALID_INPUT', `NaN at index ${i}`);
  }
  return out.sort();
}
