import { EngineError } from '../errors.ts';

export interface MaxDrawdown {
  /** min_t (v_t / max_{s≤t} v_s − 1): a fraction ≤ 0 (−0.34 = a 34 % fall); 0 without a fall. */
  depth: number;
  /** Index of the running peak before the trough (first time that peak value was reached). */
  peakIndex: number;
  troughIndex: number;
  /** First index after the trough with v ≥ the peak value, or null if not yet recovered. */
  recoveryIndex: number | null;
}

/**
 * Maximum drawdown of a value series (NAV, price or wealth index; > 0), oldest → newest.
 * For returns, build the wealth index first with {@link wealthIndex}.
 * @throws EngineError INSUFFICIENT_DATA for an empty series; INVALID_INPUT for a value ≤ 0 or NaN.
 * @example maxDrawdown(new Float64Array([100, 120, 90, 130])) // { depth: -0.25, peakIndex: 1, troughIndex: 2, recoveryIndex: 3 }
 */
export function maxDrawdown(values: ArrayLike<number>): MaxDrawdown {
  const n = values.length;
  if (n === 0) throw new EngineError('INSUFFICIENT_DATA', 'drawdown of an empty series');
  let peak = values[0]!;
  let peakAt = 0;
  let best = { depth: 0, peakIndex: 0, troughIndex: 0 };
  for (let t = 0; t < n; t++) {
    const v = values[t]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `value at index ${t} is ${v}; values must be finite and > 0`);
    if (v > peak) {
      peak = v;
      peakAt = t;
    }
    const dd = v / peak - 1;
    if (dd < best.depth) best = { depth: dd, peakIndex: peakAt, troughIndex: t };
  }
  let recoveryIndex: number | null = null;
  if (best.depth < 0) {
    const target = values[best.peakIndex]!;
    for (let t = best.troughIndex + 1; t < n; t++) {
      if (values[t]! >= target) {
        recoveryIndex = t;
        break;
      }
    }
  }
  return { ...best, recoveryIndex };
}

/**
 * Wealth index W_0 = 1, W_t = W_{t−1}(1 + r_t) from daily simple returns (length n + 1).
 * @throws EngineError INVALID_INPUT when a return is ≤ −1 or non-finite.
 * @example wealthIndex(new Float64Array([0.1, -0.5])) // Float64Array [1, 1.1, 0.55]
 */
export function wealthIndex(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = 1;
  for (let t = 0; t < returns.length; t++) {
    const r = returns[t]!;
    if (!(r > -1) || !Number.isFinite(r)) throw new EngineError('INVALID_INPUT', `return at index ${t} is ${r}`);
    out[t + 1] = out[t]! * (1 + r);
  }
  return out;
}
