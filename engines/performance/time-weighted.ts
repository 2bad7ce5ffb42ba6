import { EngineError } from '../errors.ts';
import { compensatedSum } from '../common/compensated-sum.ts';
import { TRADING_DAYS } from '../risk/volatility.ts';

export interface TimeWeightedReturn {
  /** Cumulative time-weighted return Π(1 + r_t) − 1, decimal. */
  twr: number;
  /** (1 + twr)^{252/days} − 1, decimal per year (252 trading days). */
  annualized: number;
  /** Number of daily returns. */
  days: number;
}

/**
 * Daily returns from end-of-day NAV snapshots (oldest → newest) with external flows:
 * r_t = (NAV_t − flow_t)/NAV_{t−1} − 1 for t = 1 … N−1, where flow_t is the net external
 * deposit (+) or withdrawal (−) booked into NAV_t (end-of-day convention: the flow earns
 * nothing that day). `flows` is aligned with `nav` (same length); flows[0] precedes the first
 * return and has no effect. Without flows every flow is 0 and r_t = NAV_t/NAV_{t−1} − 1.
 * @throws EngineError INSUFFICIENT_DATA with fewer than 2 NAVs; INVALID_INPUT when flows has
 * another length, a value is not finite, or a NAV that starts a return is ≤ 0.
 * @example dailyReturnsFromNav([100, 110, 120], [0, 0, 5]) // Float64Array [0.10000000000000009, 0.045454545454545414]
 */
export function dailyReturnsFromNav(nav: ArrayLike<number>, flows?: ArrayLike<number>): Float64Array {
  const n = nav.length;
  if (n < 2) throw new EngineError('INSUFFICIENT_DATA', `returns need at least 2 NAV snapshots, got ${n}`);
  if (flows && flows.length !== n) throw new EngineError('INVALID_INPUT', `${n} NAV snapshots but ${flows.length} flows`);
  const out = new Float64Array(n - 1);
  for (let t = 0; t < n; t++) {
    const v = nav[t]!;
    const f = flows ? flows[t]! : 0;
    if (!Number.isFinite(v) || !Number.isFinite(f)) throw new EngineError('INVALID_INPUT', `non-finite NAV or flow at index ${t}`, { index: t });
    if (t === n - 1) continue;
    if (!(v > 0)) throw new EngineError('INVALID_INPUT', `NAV at index ${t} is ${v}; a return needs a positive starting NAV`, { index: t });
  }
  for (let t = 1; t < n; t++) out[t - 1] = (nav[t]! - (flows ? flows[t]! : 0)) / nav[t - 1]! - 1;
  return out;
}

/**
 * Time-weighted return of daily returns: TWR = Π(1 + r_t) − 1, evaluated as
 * expm1(Σ log1p(r_t)) with compensated summation (no loss of digits for small TWRs);
 * annualised (1 + TWR)^{252/n} − 1 with n the number of daily returns (252 trading days a year).
 * A day of −100 % gives TWR = −1.
 * @throws EngineError INSUFFICIENT_DATA for no returns; INVALID_INPUT for a return < −1 or not finite.
 * @example timeWeightedReturn([0.1, -0.05]) // { twr: 0.045000000000000005, annualized: 255.24334580201617, days: 2 }
 */
export function timeWeightedReturn(dailyReturns: ArrayLike<number>): TimeWeightedReturn {
  const n = dailyReturns.length;
  if (n < 1) throw new EngineError('INSUFFICIENT_DATA', 'a time-weighted return needs at least one daily return');
  const logs = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const r = dailyReturns[t]!;
    if (!Number.isFinite(r) || r < -1) throw new EngineError('INVALID_INPUT', `daily return at index ${t} is ${r}; returns must be finite and ≥ −1`, { index: t });
    logs[t] = Math.log1p(r);
  }
  const sumLog = logs.includes(-Infinity) ? -Infinity : compensatedSum(logs);
  return { twr: Math.expm1(sumLog), annualized: Math.expm1((sumLog * TRADING_DAYS) / n), days: n };
}
