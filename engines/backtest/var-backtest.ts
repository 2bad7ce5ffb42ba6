import { EngineError } from '../errors.ts';
import { baselTrafficLight, type BaselTrafficLight } from './basel.ts';
import { christoffersenTests, type IndependenceTest } from './christoffersen.ts';
import { varExceptions } from './exceptions.ts';
import { kupiecPof, type KupiecPof } from './kupiec.ts';
import { checkCoverage, type LrTest } from './lr-test.ts';

export type { LrTest } from './lr-test.ts';

/** One VaR method at one confidence level: day t's realised P&L against the VaR forecast for day t. */
export interface BacktestSeries {
  /** ISO dates, oldest → newest, one per day. */
  dates: readonly string[];
  /** Realised daily P&L, USD (loss < 0). */
  pnl: ArrayLike<number>;
  /** That day's VaR forecast, USD, a positive loss amount. */
  varUsd: ArrayLike<number>;
}

export interface BacktestReport {
  coverage: number;
  days: number;
  exceptions: number;
  /** days × (1 − coverage). */
  expected: number;
  exceptionDates: string[];
  kupiec: KupiecPof;
  independence: IndependenceTest;
  conditionalCoverage: LrTest;
  /** Basel traffic light; only for coverage = 0.99, else null. */
  basel: BaselTrafficLight | null;
}

/**
 * Backtest of one VaR series: exceptions (pnl_t < −var_t, {@link varExceptions}), the Kupiec
 * proportion-of-failures test, Christoffersen's independence and conditional-coverage tests and,
 * for a 99 % VaR, the Basel traffic light (plus factor for exactly 250 days). All tests reject at 5 %.
 * @throws EngineError INVALID_INPUT when dates, pnl and varUsd differ in length, a value is not
 * finite or coverage ∉ (0, 1); INSUFFICIENT_DATA with fewer than 2 days.
 * @example backtestVar({ dates, pnl, varUsd }, 0.99).basel?.zone // 'green'
 */
export function backtestVar(series: BacktestSeries, coverage: number): BacktestReport {
  checkCoverage(coverage);
  const { dates, pnl, varUsd } = series;
  if (dates.length !== pnl.length) throw new EngineError('INVALID_INPUT', `${dates.length} dates but ${pnl.length} P&L values`);
  const flags = varExceptions(pnl, varUsd);
  const days = flags.length;
  if (days < 2) throw new EngineError('INSUFFICIENT_DATA', `a backtest needs at least 2 days, got ${days}`);
  const exceptionDates: string[] = [];
  flags.forEach((f, t) => {
    if (f === 1) exceptionDates.push(dates[t]!);
  });
  const exceptions = exceptionDates.length;
  const kupiec = kupiecPof(days, exceptions, coverage);
  const { independence, conditionalCoverage } = christoffersenTests(flags, coverage);
  const basel = coverage === 0.99 ? baselTrafficLight(exceptions, days, coverage) : null;
  return { coverage, days, exceptions, expected: kupiec.expected, exceptionDates, kupiec, independence, conditionalCoverage, basel };
}
