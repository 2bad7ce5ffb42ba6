import { EngineError } from '../errors.ts';
import { normCdf, normPdf } from '../common/normal.ts';
import type { BsmInputs } from './black-scholes.ts';

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
 * d1 and d2 are clamped to ±40 independently: N(40) is exactly 1, N(−40) underflows to exactly 0
 * and φ(40) to 0 in float64, so the clamp changes no value but keeps ±∞ out of the arithmetic.
 */
const D_CLAMP = 40;

/**
 * Core kernel shared by the scalar and batch entry points. Writes
 * [price, delta, gamma, thetaPerYear, vegaPerUnitVol, rhoPerUnitRate] into `out` at `o`.
 * Inputs are assumed validated. Calls and puts each evaluate N() on their own tail
 * (N(−d) instead of 1 − N(d)) so deep ITM/OTM values keep full relative precision.
 */
export function greeksKernel(
  s: number, k: number, t: number, r: number, q: number, v: number, isCall: boolean, out: Float64Array, o: number,
): void {
  const dfq = Math.exp(-q * t);
  const dfr = Math.exp(-r * t);
  if (t === 0) {
    // At expiry: intrinsic value; Δ is the step function (0.5 exactly at the money), others 0.
    const intrinsic = isCall ? Math.max(s - k, 0) : Math.max(k - s, 0);
    const atm = s === k;
    out[o] = intrinsic;
    out[o + 1] = isCall ? (s > k ? 1 : atm ? 0.5 : 0) : s < k ? -1 : atm ? -0.5 : 0;
    out[o + 2] = 0; out[o + 3] = 0; out[o + 4] = 0; out[o + 5] = 0;
    return;
  }
  const sqrtT = Math.sqrt(t);
  const sig = v * sqrtT;
  if (sig === 0) {
    // σ = 0 with T > 0: the deterministic limit, consistent with bsmPrice's discounted forward
    // intrinsic. ITM when S e^{−qT} > K e^{−rT}; Γ = vega = 0 (½ weights exactly at the forward).
    const fwd = s * dfq - k * dfr;
    const w = fwd > 0 ? 1 : fwd === 0 ? 0.5 : 0; // weight of the call payoff being exercised
    const sign = isCall ? 1 : -1;
    const wx = isCall ? w : 1 - w; // probability-like weight of exercise for this right
    out[o] = Math.max(sign * fwd, 0);
    out[o + 1] = sign * dfq * wx;
    out[o + 2] = 0;
    out[o + 3] = sign * (q * s * dfq - r * k * dfr) * wx;
    out[o + 4] = 0;
    out[o + 5] = sign * k * t * dfr * wx;
    return;
  }
  const d1raw = (Math.log(s / k) + (r - q + 0.5 * v * v) * t) / sig;
  const d1 = d1raw > D_CLAMP ? D_CLAMP : d1raw < -D_CLAMP ? -D_CLAMP : d1raw;
  const d2raw = d1raw - sig;
  const d2 = d2raw > D_CLAMP ? D_CLAMP : d2raw < -D_CLAMP ? -D_CLAMP : d2raw;
  const sPdf = s * dfq * normPdf(d1);
  const decay = (-sPdf * v) / (2 * sqrtT);
  out[o + 2] = sPdf / (s * s * sig);
  out[o + 4] = sPdf * sqrtT;
  if (isCall) {
    const n1 = normCdf(d1);
    const n2 = normCdf(d2);
    out[o] = s * dfq * n1 - k * dfr * n2;
    out[o + 1] = dfq * n1;
    out[o + 3] = decay - r * k * dfr * n2 + q * s * dfq * n1;
    out[o + 5] = k * t * dfr * n2;
  } else {
    const n1 = normCdf(-d1);
    const n2 = normCdf(-d2);
    out[o] = k * dfr * n2 - s * dfq * n1;
    out[o + 1] = -dfq * n1;
    out[o + 3] = decay + r * k * dfr * n2 - q * s * dfq * n1;
    out[o + 5] = -k * t * dfr * n2;
  }
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
  greeksKernel(p.spot, p.strike, p.tenorYears, p.rateCont, p.dividendYield ?? 0, p.volAnnual, p.right === 'call', scratch, 0);
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
