import { EngineError } from '../errors.ts';

/**
 * VaR exception flags: day t is an exception (1) when its realised P&L is a loss strictly larger
 * than that day's VaR, pnl_t < −var_t, and 0 otherwise (a loss exactly equal to the VaR is not an
 * exception). `varUsd` is the VaR forecast for the same day as a positive loss amount (USD, or
 * the P&L's units); a negative VaR (the tail quantile is a gain) is used as given.
 * @throws EngineError INVALID_INPUT when the lengths differ or a value is not finite.
 * @example varExceptions([-120, 30, -99], [100, 100, 100]) // Uint8Array [1, 0, 0]
 */
export function varExceptions(pnl: ArrayLike<number>, varUsd: ArrayLike<number>): Uint8Array {
  const n = pnl.length;
  if (varUsd.length !== n) throw new EngineError('INVALID_INPUT', `${n} P&L values but ${varUsd.length} VaR values`);
  const out = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const p = pnl[t]!;
    const v = varUsd[t]!;
    if (!Number.isFinite(p) || !Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `non-finite P&L or VaR at index ${t}`, { index: t });
    out[t] = p < -v ? 1 : 0;
  }
  return out;
}
