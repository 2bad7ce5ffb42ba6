import { EngineError } from '../errors.ts';
import type { OptionRight } from './black-scholes.ts';
import { checkBsmInputs, greeksKernel } from './greeks.ts';

/** Inputs of an implied-volatility solve: a per-share option price and the other BSM inputs. */
export interface ImpliedVolInputs {
  /** Observed option price per share, currency units. */
  price: number;
  spot: number;
  strike: number;
  /** Years to expiry, ACT/365; must be > 0 (implied vol is undefined at expiry). */
  tenorYears: number;
  rateCont: number;
  dividendYield?: number;
  right: OptionRight;
}

export interface ImpliedVolResult {
  /** Annualised implied volatility, decimal. */
  volAnnual: number;
  /** Newton + bisection iterations used. */
  iterations: number;
  /** Whether any bisection step was needed. */
  usedBisection: boolean;
}

/** Search bracket for σ (engines.md Appendix B) and the price tolerance. */
export const IV_VOL_MIN = 1e-4;
export const IV_VOL_MAX = 5;
export const IV_PRICE_TOL = 1e-8;
const MAX_ITER = 200;
const MIN_VEGA = 1e-8;

/**
 * No-arbitrage price bounds of a European option per share:
 * call ∈ [max(S e^{−qT} − K e^{−rT}, 0), S e^{−qT}], put ∈ [max(K e^{−rT} − S e^{−qT}, 0), K e^{−rT}].
 * @example noArbitrageBounds({ spot: 100, strike: 100, tenorYears: 1, rateCont: 0, right: 'call' }) // { lower: 0, upper: 100 }
 */
export function noArbitrageBounds(p: Omit<ImpliedVolInputs, 'price'>): { lower: number; upper: number } {
  const fs = p.spot * Math.exp(-(p.dividendYield ?? 0) * p.tenorYears);
  const fk = p.strike * Math.exp(-p.rateCont * p.tenorYears);
  return p.right === 'call' ? { lower: Math.max(fs - fk, 0), upper: fs } : { lower: Math.max(fk - fs, 0), upper: fk };
}

/**
 * Implied volatility by Newton–Raphson on price with vega, started from the
 * Brenner–Subrahmanyam guess σ₀ = √(2π/T)·V/S, falling back to bisection on [1e-4, 5] whenever
 * vega < 1e-8 or the Newton step leaves the current bracket (engines.md Appendix B). The bracket
 * shrinks with every evaluation because the BSM price is increasing in σ. Converged when
 * |BSM(σ) − price| ≤ 1e-8 (currency units per share).
 *
 * @throws EngineError INVALID_INPUT for invalid BSM inputs, T = 0, a price outside the
 *   no-arbitrage bounds (details: lower, upper), or a price not attainable for σ in [1e-4, 5]
 *   (details: priceAtMin, priceAtMax).
 * @example impliedVol({ price: 2.4005, spot: 49, strike: 50, tenorYears: 20 / 52, rateCont: 0.05, right: 'call' }).volAnnual // ≈ 0.2
 */
export function impliedVol(p: ImpliedVolInputs): ImpliedVolResult {
  checkBsmInputs({ ...p, volAnnual: 0 });
  if (!Number.isFinite(p.price)) throw new EngineError('INVALID_INPUT', `price must be finite, got ${p.price}`);
  if (p.tenorYears <= 0) throw new EngineError('INVALID_INPUT', 'implied vol is undefined at expiry (tenorYears must be > 0)');
  const { lower, upper } = noArbitrageBounds(p);
  if (!(p.price > lower && p.price < upper)) {
    throw new EngineError('INVALID_INPUT', `price ${p.price} outside no-arbitrage bounds (${lower}, ${upper})`, { lower, upper });
  }
  const q = p.dividendYield ?? 0;
  const isCall = p.right === 'call';
  const buf = new Float64Array(6);
  const f = (vol: number): number => {
    greeksKernel(p.spot, p.strike, p.tenorYears, p.rateCont, q, vol, isCall, buf, 0);
    return buf[0]! - p.price;
  };
  const fMin = f(IV_VOL_MIN);
  if (Math.abs(fMin) <= IV_PRICE_TOL) return { volAnnual: IV_VOL_MIN, iterations: 0, usedBisection: false };
  const fMax = f(IV_VOL_MAX);
  if (fMin > 0 || fMax < 0) {
    throw new EngineError('INVALID_INPUT', `price ${p.price} not attainable for vol in [${IV_VOL_MIN}, ${IV_VOL_MAX}]`, {
      priceAtMin: fMin + p.price,
      priceAtMax: fMax + p.price,
    });
  }
  let lo = IV_VOL_MIN;
  let hi = IV_VOL_MAX;
  let vol = Math.sqrt((2 * Math.PI) / p.tenorYears) * (p.price / p.spot);
  if (!(vol > lo && vol < hi)) vol = 0.5 * (lo + hi);
  let usedBisection = false;
  for (let i = 1; i <= MAX_ITER; i++) {
    const diff = f(vol);
    if (Math.abs(diff) <= IV_PRICE_TOL) return { volAnnual: vol, iterations: i, usedBisection };
    if (diff > 0) hi = vol;
    else lo = vol;
    const vega = buf[4]!;
    const next = vol - diff / vega;
    if (vega >= MIN_VEGA && next > lo && next < hi) {
      vol = next;
    } else {
      usedBisection = true;
      vol = 0.5 * (lo + hi);
    }
    if (hi - lo <= 4 * Number.EPSILON * hi) return { volAnnual: vol, iterations: i, usedBisection };
  }
  return { volAnnual: vol, iterations: MAX_ITER, usedBisection };
}
