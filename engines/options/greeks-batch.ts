import { EngineError } from '../errors.ts';
import { greeksKernel, invalidOption, validOption } from './greeks-kernel.ts';
import { simdGreeksBatch } from './greeks-simd.ts';

/** Column-oriented inputs for n options (structure of arrays, one entry per option). */
export interface GreeksBatchInputs {
  spot: Float64Array;
  strike: Float64Array;
  /** Years to expiry, ACT/365, ≥ 0. */
  tenorYears: Float64Array;
  /** Continuously compounded rate, decimal. */
  rateCont: Float64Array;
  /** Annualised vol, decimal, ≥ 0. */
  volAnnual: Float64Array;
  /** Continuous dividend yield, decimal; omitted = 0 for all. */
  dividendYield?: Float64Array;
  /** 1 = call, 0 = put. */
  isCall: Uint8Array;
}

/** Per-share outputs, same units as `BsmGreeks`, one entry per option. */
export interface GreeksBatchOutput {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  thetaPerDay: Float64Array;
  thetaPerYear: Float64Array;
  vegaPerVolPoint: Float64Array;
  rhoPerPct: Float64Array;
}

function checkLengths(x: GreeksBatchInputs): number {
  const n = x.spot.length;
  const cols = { strike: x.strike, tenorYears: x.tenorYears, rateCont: x.rateCont, volAnnual: x.volAnnual, isCall: x.isCall, dividendYield: x.dividendYield };
  for (const [name, col] of Object.entries(cols)) {
    if (col !== undefined && col.length !== n) throw new EngineError('INVALID_INPUT', `${name} has length ${col.length}, expected ${n}`);
  }
  return n;
}

/**
 * Vectorised per-share BSM Greeks for n options (same formulas and edge cases as `bsmGreeks`,
 * engines.md §5.2, and the same bits option by option), without per-option allocation: the
 * WebAssembly SIMD kernel two options per instruction (`greeks-simd.ts`), with the scalar kernel for
 * options outside its domain (T = 0, σ = 0, extreme rates or moneyness) or where WebAssembly SIMD is
 * missing. Pass `out` to reuse buffers across calls.
 *
 * @throws EngineError INVALID_INPUT when column lengths differ or any option has S ≤ 0, K ≤ 0,
 *   T < 0, σ < 0 or a non-finite input (details carry the index of the first). A caller's `out`
 *   may then hold the options before it.
 * @example bsmGreeksBatch({ spot: Float64Array.of(49), strike: Float64Array.of(50), tenorYears: Float64Array.of(20 / 52),
 *   rateCont: Float64Array.of(0.05), volAnnual: Float64Array.of(0.2), isCall: Uint8Array.of(1) }).delta[0] // ≈ 0.5216
 */
export function bsmGreeksBatch(x: GreeksBatchInputs, out?: GreeksBatchOutput): GreeksBatchOutput {
  const n = checkLengths(x);
  const o = out ?? {
    price: new Float64Array(n), delta: new Float64Array(n), gamma: new Float64Array(n), thetaPerDay: new Float64Array(n),
    thetaPerYear: new Float64Array(n), vegaPerVolPoint: new Float64Array(n), rhoPerPct: new Float64Array(n),
  };
  for (const col of Object.values(o) as Float64Array[]) {
    if (col.length < n) throw new EngineError('INVALID_INPUT', `output buffer shorter than ${n}`);
  }
  if (simdGreeksBatch(x, n, o)) return o;
  const q = x.dividendYield;
  for (let i = 0; i < n; i++) {
    const s = x.spot[i]!, k = x.strike[i]!, t = x.tenorYears[i]!, r = x.rateCont[i]!, qi = q ? q[i]! : 0, v = x.volAnnual[i]!;
    if (!validOption(s, k, t, r, qi, v)) throw invalidOption(i, s, k, t, r, qi, v);
  }
  const buf = new Float64Array(6);
  for (let i = 0; i < n; i++) {
    greeksKernel(x.spot[i]!, x.strike[i]!, x.tenorYears[i]!, x.rateCont[i]!, q ? q[i]! : 0, x.volAnnual[i]!, x.isCall[i] === 1, buf, 0);
    o.price[i] = buf[0]!;
    o.delta[i] = buf[1]!;
    o.gamma[i] = buf[2]!;
    o.thetaPerYear[i] = buf[3]!;
    o.thetaPerDay[i] = buf[3]! / 365;
    o.vegaPerVolPoint[i] = buf[4]! / 100;
    o.rhoPerPct[i] = buf[5]! / 100;
  }
  return o;
}
