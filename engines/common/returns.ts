import { EngineError } from '../errors.ts';

function checkCloses(closes: ArrayLike<number>): void {
  if (closes.length < 2) throw new EngineError('INSUFFICIENT_DATA', `returns need at least 2 closes, got ${closes.length}`);
  for (let i = 0; i < closes.length; i++) {
    const p = closes[i]!;
    if (!(p > 0) || !Number.isFinite(p)) {
      throw new EngineError('INVALID_INPUT', `close at index ${i} is ${p}; closes must be finite and > 0`, { index: i });
    }
  }
}

/**
 * Daily simple returns r_t = P_t / P_{t−1} − 1 (decimal, per trading day) from adjusted closes
 * ordered oldest → newest. Output length is n − 1; element t − 1 is the return into day t.
 * Missing days must be removed beforehand by date alignment ({@link alignOnCommonDates}); no
 * filling happens here.
 * @throws EngineError INSUFFICIENT_DATA with fewer than 2 closes; INVALID_INPUT on a close that is ≤ 0, NaN or infinite.
 * @example simpleReturns(new Float64Array([100, 110, 99])) // Float64Array [0.1, -0.1] (≈, float64)
 */
export function simpleReturns(closes: ArrayLike<number>): Float64Array {
  checkCloses(closes);
  const out = new Float64Array(closes.length - 1);
  for (let t = 1; t < closes.length; t++) out[t - 1] = closes[t]! / closes[t - 1]! - 1;
  return out;
}

/**
 * Daily log returns ℓ_t = ln(P_t / P_{t−1}) (decimal, per trading day), as used for position
 * correlations (engines.md §10). Same layout and preconditions as {@link simpleReturns}.
 * @throws EngineError as {@link simpleReturns}.
 * @example logReturns(new Float64Array([100, 100 * Math.E])) // Float64Array [1]
 */
export function logReturns(closes: ArrayLike<number>): Float64Array {
  checkCloses(closes);
  const out = new Float64Array(closes.length - 1);
  for (let t = 1; t < closes.length; t++) out[t - 1] = Math.log(closes[t]! / closes[t - 1]!);
  return out;
}
