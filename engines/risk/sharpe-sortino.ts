import { EngineError } from '../errors.ts';
import { compensatedMean } from '../common/compensated-sum.ts';
import { TRADING_DAYS } from './volatility.ts';

export interface RiskAdjustedReturn {
  observations: number;
  /** Mean daily excess return × 252 (decimal, arithmetic annualisation). */
  excessReturnAnnual: number;
  /** mean(e)/std(e, n−1) × √252; null when the excess series is constant. */
  sharpe: number | null;
  /** mean(e)×252 / (√(mean(min(e,0)²)) × √252); null when no excess return is negative. */
  sortino: number | null;
}

/**
 * Sharpe and Sortino ratios against the 3-month T-bill (engines.md §11).
 * Risk-free: `riskFreeAnnualPct[t]` is the bill yield in percent (^IRX, e.g. 3.728) observed at
 * the START of return t (the close before it); daily rate rf_t = y/100/252 (simple, 252 trading
 * days). Excess e_t = r_t − rf_t. Sharpe = ē/s_e × √252 with sample std (n − 1).
 * Sortino: target 0 on excess returns, downside deviation DD = √(Σ min(e_t, 0)²/n) (all n
 * observations in the denominator), annualised √252; Sortino = 252·ē / (√252·DD).
 * @throws EngineError INVALID_INPUT (length mismatch, non-finite value), INSUFFICIENT_DATA (< 2 returns).
 * @example sharpeSortino(spyReturns, irxAtStart).sharpe // e.g. 1.1
 */
export function sharpeSortino(dailyReturns: ArrayLike<number>, riskFreeAnnualPct: ArrayLike<number>): RiskAdjustedReturn {
  const n = dailyReturns.length;
  if (riskFreeAnnualPct.length !== n) throw new EngineError('INVALID_INPUT', `${n} returns but ${riskFreeAnnualPct.length} risk-free rates`);
  if (n < 2) throw new EngineError('INSUFFICIENT_DATA', `${n} returns, at least 2 required`);
  const e = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    e[t] = dailyReturns[t]! - riskFreeAnnualPct[t]! / 100 / TRADING_DAYS;
    if (!Number.isFinite(e[t]!)) throw new EngineError('INVALID_INPUT', `non-finite excess return at index ${t}`);
  }
  const mean = compensatedMean(e);
  let ss = 0;
  let down = 0;
  for (let t = 0; t < n; t++) {
    ss += (e[t]! - mean) ** 2;
    const d = Math.min(e[t]!, 0);
    down += d * d;
  }
  const sd = Math.sqrt(ss / (n - 1));
  const dd = Math.sqrt(down / n) * Math.sqrt(TRADING_DAYS);
  return {
    observations: n,
    excessReturnAnnual: mean * TRADING_DAYS,
    sharpe: sd > 0 ? (mean / sd) * Math.sqrt(TRADING_DAYS) : null,
    sortino: dd > 0 ? (mean * TRADING_DAYS) / dd : null,
  };
}
