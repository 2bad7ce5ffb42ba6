import { EngineError } from '../errors.ts';
import { normCdf, normPdf } from '../common/normal.ts';

/**
 * d1 and d2 are clamped to ±40 independently: N(40) is exactly 1, N(−40) underflows to exactly 0
 * and φ(40) to 0 in float64, so the clamp changes no value but keeps ±∞ out of the arithmetic.
 */
const D_CLAMP = 40;

/**
 * Scalar Black–Scholes–Merton kernel (formulas in `bsmGreeks`, greeks.ts): the reference the SIMD
 * kernel (`greeks-simd-module.ts`) is tested against, its stand-in where WebAssembly SIMD is
 * missing, and the path for inputs outside its domain (T = 0, σ√T = 0, extreme rates or
 * moneyness). Writes
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


/** True for inputs the BSM kernels accept: finite S > 0, K > 0, T ≥ 0, σ ≥ 0, r, q (negated comparisons also reject NaN). */
export function validOption(s: number, k: number, t: number, r: number, q: number, v: number): boolean {
  return s > 0 && k > 0 && t >= 0 && v >= 0 && s < Infinity && k < Infinity && t < Infinity && v < Infinity && r - r === 0 && q - q === 0;
}

/** The INVALID_INPUT error for option `i` of a batch. */
export function invalidOption(i: number, s: number, k: number, t: number, r: number, q: number, v: number): EngineError {
  return new EngineError('INVALID_INPUT', `option ${i}: need finite S > 0, K > 0, T ≥ 0, σ ≥ 0, r, q`, { index: i, s, k, t, v, r, q });
}
