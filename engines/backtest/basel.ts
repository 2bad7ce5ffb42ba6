import { EngineError } from '../errors.ts';
import { incompleteBeta } from '../common/student-t.ts';
import { checkCoverage } from './lr-test.ts';

export type TrafficLightZone = 'green' | 'yellow' | 'red';

export interface BaselTrafficLight {
  zone: TrafficLightZone;
  /** Multiplier add-on of the 250-day, 99 % table (0 green … 1.0 red); null for any other day count or coverage. */
  plusFactor: number | null;
  /** P(X ≤ exceptions) for X ~ Binomial(days, 1 − coverage). */
  cumulativeProbability: number;
}

/** Cumulative-probability bounds of the zones: green while P(X ≤ x) < 95 %, yellow while < 99.99 %. */
export const GREEN_BELOW = 0.95;
export const YELLOW_BELOW = 0.9999;

/** Plus factors of the Basel (1996) table for 250 days at 99 %, by exceptions 0…9 (10 or more: red, 1.0). */
const PLUS_FACTOR_250: readonly number[] = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85];

/**
 * P(X ≤ k) of X ~ Binomial(n, p) through the regularised incomplete beta,
 * P(X ≤ k) = I_{1−p}(n − k, k + 1) for 0 ≤ k < n (1 for k ≥ n); accuracy ~1e-13 relative.
 * @example binomialCdf(4, 250, 0.01) // 0.8921876269036424
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k >= n) return 1;
  return incompleteBeta(1 - p, n - k, k + 1);
}

/**
 * Basel Committee (1996) "Supervisory framework for the use of 'backtesting' in conjunction with
 * the internal models approach to market risk capital requirements": the traffic light of a
 * 99 % VaR over 250 days — green 0–4 exceptions, yellow 5–9, red ≥ 10 — with plus factors
 * 0.40, 0.50, 0.65, 0.75, 0.85 for 5…9 and 1.0 in red. The zones come from the binomial
 * cumulative probability P(X ≤ x), X ~ Binomial(days, 1 − coverage): green while it is below
 * 95 %, yellow while below 99.99 %, red otherwise; for 250 days at 99 % that reproduces the
 * table (P = 89.22 % at 4, 95.88 % at 5, 99.97 % at 9, 99.99 % at 10). Other day counts or
 * coverages get the same probability zones, and `plusFactor` is null (the table is for 250
 * days of 99 % VaR only).
 * @param coverage VaR confidence, default 0.99.
 * @throws EngineError INVALID_INPUT for a non-integer day count < 1, exceptions ∉ [0, days], coverage ∉ (0, 1).
 * @example baselTrafficLight(6, 250) // { zone: 'yellow', plusFactor: 0.5, cumulativeProbability: 0.9862985521447954 }
 */
export function baselTrafficLight(exceptions: number, days: number, coverage = 0.99): BaselTrafficLight {
  checkCoverage(coverage);
  if (!Number.isInteger(days) || days < 1) throw new EngineError('INVALID_INPUT', `days must be an integer ≥ 1, got ${days}`);
  if (!Number.isInteger(exceptions) || exceptions < 0 || exceptions > days) {
    throw new EngineError('INVALID_INPUT', `exceptions must be an integer in [0, ${days}], got ${exceptions}`);
  }
  const cumulativeProbability = binomialCdf(exceptions, days, 1 - coverage);
  const zone: TrafficLightZone = cumulativeProbability < GREEN_BELOW ? 'green' : cumulativeProbability < YELLOW_BELOW ? 'yellow' : 'red';
  const table = days === 250 && coverage === 0.99;
  const plusFactor = table ? (PLUS_FACTOR_250[exceptions] ?? 1) : null;
  return { zone, plusFactor, cumulativeProbability };
}
