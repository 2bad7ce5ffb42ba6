import { EngineError } from '../errors.ts';
import { normCdf } from '../common/normal.ts';

export type OptionRight = 'call' | 'put';

/** Inputs of the Black–Scholes–Merton model for one European option, per share. */
export interface BsmInputs {
  /** Underlying price S (currency units, > 0). */
  spot: number;
  /** Strike K (currency units, > 0). */
  strike: number;
  /** Time to expiry in years, ACT/365 (calendar days / 365). 0 means at expiry. */
  tenorYears: number;
  /** Continuously compounded risk-free rate, decimal (0.05 = 5 %). */
  rateCont: number;
  /** Annualised volatility, decimal (0.2 = 20 %). */
  volAnnual: number;
  /** Continuous dividend yield, decimal; default 0. */
  dividendYield?: number;
  right: OptionRight;
}

function checkInputs(p: BsmInputs): void {
  const { spot, strike, tenorYears, rateCont, volAnnual } = p;
  const q = p.dividendYield ?? 0;
  for (const [name, v] of Object.entries({ spot, strike, tenorYears, rateCont, volAnnual, dividendYield: q })) {
    if (!Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `${name} must be a finite number, got ${v}`);
  }
  if (spot <= 0) throw new EngineError('INVALID_INPUT', `spot must be > 0, got ${spot}`);
  if (strike <= 0) throw new EngineError('INVALID_INPUT', `strike must be > 0, got ${strike}`);
  if (tenorYears < 0) throw new EngineError('INVALID_INPUT', `tenorYears must be ≥ 0, got ${tenorYears}`);
  if (volAnnual < 0) throw new EngineError('INVALID_INPUT', `volAnnual must be ≥ 0, got ${volAnnual}`);
}

/**
 * Black–Scholes–Merton price of a European option per share (Hull, *Options, Futures and Other
 * Derivatives*, eq. 15.20/15.21 with a continuous dividend yield q):
 *   c = S e^{−qT} N(d1) − K e^{−rT} N(d2),  p = K e^{−rT} N(−d2) − S e^{−qT} N(−d1),
 *   d1 = (ln(S/K) + (r − q + σ²/2)T) / (σ√T),  d2 = d1 − σ√T.
 * At T = 0 or σ = 0 the price is the discounted forward intrinsic value
 * max(±(S e^{−qT} − K e^{−rT}), 0), which equals plain intrinsic value at expiry.
 *
 * @throws EngineError INVALID_INPUT for non-finite inputs, S ≤ 0, K ≤ 0, T < 0 or σ < 0.
 * @example bsmPrice({ spot: 42, strike: 40, tenorYears: 0.5, rateCont: 0.1, volAnnual: 0.2, right: 'call' }) // ≈ 4.7594
 */
export function bsmPrice(p: BsmInputs): number {
  checkInputs(p);
  const { spot: s, strike: k, tenorYears: t, rateCont: r, volAnnual: v, right } = p;
  const q = p.dividendYield ?? 0;
  const dfq = Math.exp(-q * t);
  const dfr = Math.exp(-r * t);
  const sig = v * Math.sqrt(t);
  if (sig === 0) {
    const fwdIntrinsic = s * dfq - k * dfr;
    return right === 'call' ? Math.max(fwdIntrinsic, 0) : Math.max(-fwdIntrinsic, 0);
  }
  const d1 = (Math.log(s / k) + (r - q + 0.5 * v * v) * t) / sig;
  const d2 = d1 - sig;
  return right === 'call'
    ? s * dfq * normCdf(d1) - k * dfr * normCdf(d2)
    : k * dfr * normCdf(-d2) - s * dfq * normCdf(-d1);
}
