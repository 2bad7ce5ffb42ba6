import { EngineError } from '../errors.ts';
import type { BsmInputs } from './black-scholes.ts';
import { greeksKernel } from './greeks-kernel.ts';
import { simdGreeksOne } from './greeks-simd.ts';

export { greeksKernel } from './greeks-kernel.ts';

/** Per-share BSM price and Greeks with their units in the names (engines.md §5.2). */
export interface BsmGreeks {
  /** Option price per share, currency units. */
  price: number;
  /** ∂V/∂S per share (shares of underlying per option share). */
  delta: number;
  /** ∂²V/∂S² per share, per currency unit of S. */
  gamma: number;
  /** ∂V/∂t per calendar day (ACT/365), currency units; = thetaPerYear / 365. */
  thetaPerDay: number;
  /** ∂V/∂t per year, currency units (Hull's convention). */
  thetaPerYear: number;
  /** ∂V/∂σ per 1 vol point (σ + 0.01), currency units; Hull's "per unit vol" vega / 100. */
  vegaPerVolPoint: number;
  /** ∂V/∂r per 1 %-point of rate (r + 0.01), currency units; Hull's "per unit rate" ρ / 100. */
  rhoPerPct: number;
}

/**
 * Validates one set of BSM inputs.
 * @throws EngineError INVALID_INPUT for non-finite values, S ≤ 0, K ≤ 0, T < 0 or σ < 0.
 */
export function checkBsmInputs(p: BsmInputs): void {
  const q = p.dividendYield ?? 0;
  const vals = { spot: p.spot, strike: p.strike, tenorYears: p.tenorYears, rateCont: p.rateCont, volAnnual: p.volAnnual, dividendYield: q };
  for (const [name, v] of Object.entries(vals)) {
    if (!Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `${name} must be a finite number, got ${v}`);
  }
  if (p.spot <= 0) throw new EngineError('INVALID_INPUT', `spot must be > 0, got ${p.spot}`);
  if (p.strike <= 0) throw new EngineError('INVALID_INPUT', `strike must be > 0, got ${p.strike}`);
  if (p.tenorYears < 0) throw new EngineError('INVALID_INPUT', `tenorYears must be ≥ 0, got ${p.tenorYears}`);
  if (p.volAnnual < 0) throw new EngineError('INVALID_INPUT', `volAnnual must be ≥ 0, got ${p.volAnnual}`);
  if (p.right !== 'call' && p.right !== 'put') throw new EngineError('INVALID_INPUT', `right must be 'call' or 'put', got ${String(p.right)}`);
}

const scratch = new Float64Array(6);
const one = new Float64Array(7);

/**
 * Black–Scholes–Merton per-share price and Greeks with continuous dividend yield q
 * (Hull, *Options, Futures and Other Derivatives*, ch. 19; engines.md §5.2):
 *   Δc = e^{−qT}N(d1), Δp = −e^{−qT}N(−d1), Γ = e^{−qT}φ(d1)/(Sσ√T),
 *   vega = S e^{−qT}φ(d1)√T / 100 (per vol point),
 *   Θc = −S e^{−qT}φ(d1)σ/(2√T) − rK e^{−rT}N(d2) + qS e^{−qT}N(d1) per year (÷365 per day),
 *   Θp = −S e^{−qT}φ(d1)σ/(2√T) + rK e^{−rT}N(−d2) − qS e^{−qT}N(−d1) per year,
 *   ρc = K T e^{−rT}N(d2) / 100, ρp = −K T e^{−rT}N(−d2) / 100 (per 1 %-point).
 * Edge cases: T = 0 → intrinsic value, Δc = 1 if S > K else 0 (0.5 at the money),
 * Δp = −1 if S < K else 0 (−0.5 at the money), other Greeks 0. σ = 0 with T > 0 → the σ→0
 * limit (moneyness judged on the forward, matching `bsmPrice`), Γ = vega = 0.
 * Extreme moneyness: d1, d2 are clamped to ±40 (where N() is exactly 0 or 1), so no NaN appears.
 *
 * @throws EngineError INVALID_INPUT for non-finite inputs, S ≤ 0, K ≤ 0, T < 0 or σ < 0.
 * @example bsmGreeks({ spot: 49, strike: 50, tenorYears: 20 / 52, rateCont: 0.05, volAnnual: 0.2, right: 'call' })
 * // { price: 2.4005, delta: 0.5216, gamma: 0.06554, thetaPerYear: -4.3054, thetaPerDay: -0.011796,
 * //   vegaPerVolPoint: 0.12106, rhoPerPct: 0.08907 }
 */
export function bsmGreeks(p: BsmInputs): BsmGreeks {
  checkBsmInputs(p);
  const q = p.dividendYield ?? 0;
  // The batch's SIMD kernel for one option, so a single option and a batch give the same bits.
  if (simdGreeksOne(p.spot, p.strike, p.tenorYears, p.rateCont, q, p.volAnnual, p.right === 'call', one)) {
    return { price: one[0]!, delta: one[1]!, gamma: one[2]!, thetaPerDay: one[4]!, thetaPerYear: one[3]!, vegaPerVolPoint: one[5]!, rhoPerPct: one[6]! };
  }
  greeksKernel(p.spot, p.strike, p.tenorYears, p.rateCont, q, p.volAnnual, p.right === 'call', scratch, 0);
  const thetaPerYear = scratch[3]!;
  return {
    price: scratch[0]!,
    delta: scratch[1]!,
    gamma: scratch[2]!,
    thetaPerDay: thetaPerYear / 365,
    thetaPerYear,
    vegaPerVolPoint: scratch[4]! / 100,
    rhoPerPct: scratch[5]! / 100,
  };
}
