import { EngineError } from '../errors.ts';
import { assertTypeMatchesQuantity, OPTION_MULTIPLIER, rightOf, type PositionType } from '../valuation/position-type.ts';
import { bsmGreeks, type BsmGreeks } from './greeks.ts';

/** One option position on a calculation date. */
export interface OptionPositionInput {
  /** LC, LP, SC or SP; must agree with the sign of `quantity`. */
  positionType: PositionType;
  /** Signed number of contracts (> 0 long, < 0 short). */
  quantity: number;
  /** Underlying close S on the calculation date (or at expiry for an expired option). */
  spot: number;
  strike: number;
  /** Calendar days from the calculation date to expiry (expiry − calcDate); negative = expired. */
  daysToExpiry: number;
  rateCont: number;
  volAnnual: number;
  dividendYield?: number;
  /** Shares per contract; default 100. */
  multiplier?: number;
}

/** Position-level Greeks, all signed by quantity and scaled by the multiplier (engines.md §5.2). */
export interface PositionGreeks {
  /** Per-share price and Greeks (T = max(0, days)/365). Zero Greeks when expired. */
  perShare: BsmGreeks;
  /** True when daysToExpiry < 0: valued at intrinsic at expiry, all Greeks 0, to be closed out. */
  expired: boolean;
  tenorYears: number;
  /** price × q × multiplier, USD (signed). */
  marketValueUsd: number;
  /** Share-equivalent delta: Δ × q × multiplier, shares. */
  shareDelta: number;
  /** shareDelta × S, USD per 100 % move of the underlying (first order). */
  dollarDelta: number;
  /** Γ × q × multiplier, shares per 1 USD move of S. */
  gammaShares: number;
  /** ½ Γ q mult (0.01 S)², USD: convexity P&L of a 1 % underlying move (either direction). */
  dollarGamma1Pct: number;
  /** Θ per calendar day × q × multiplier, USD/day. */
  thetaDollarsPerDay: number;
  /** vega per vol point × q × multiplier, USD per +1 vol point. */
  vegaDollarsPerVolPoint: number;
  /** ρ per 1 %-point × q × multiplier, USD per +1 %-point of rate. */
  rhoDollarsPerPct: number;
}

/**
 * Greeks of an option position (engines.md §5.2): per-share BSM Greeks scaled by signed
 * quantity q and the multiplier m (100):
 *   share_delta = Δ q m, dollar_delta = share_delta × S, gamma_shares = Γ q m,
 *   dollar_gamma_1pct = ½ Γ q m (0.01 S)² (gamma convention: second-order P&L of a ±1 % move),
 *   theta_dollars_per_day = Θ_day q m, vega_dollars_per_vol_pt = vega q m, rho_dollars_per_pct = ρ q m.
 * T = max(0, daysToExpiry)/365 (ACT/365). Expired options (daysToExpiry < 0) are explicit:
 * value = intrinsic at expiry from `spot` (the underlying close at expiry), every Greek 0,
 * `expired: true`. On the expiry day itself (days = 0) the option is valued at intrinsic with the
 * step-function delta.
 *
 * @throws EngineError INVALID_INPUT for a non-option or sign-mismatched type, S ≤ 0, K ≤ 0,
 *   σ < 0, non-finite inputs or a multiplier ≤ 0.
 * @example positionGreeks({ positionType: 'SC', quantity: -2, spot: 100, strike: 100, daysToExpiry: 30,
 *   rateCont: 0.05, volAnnual: 0.25 }).shareDelta // ≈ −107.42 (= 0.537118 × −2 × 100)
 */
export function positionGreeks(p: OptionPositionInput): PositionGreeks {
  assertTypeMatchesQuantity(p.positionType, p.quantity);
  const right = rightOf(p.positionType);
  if (right === null) throw new EngineError('INVALID_INPUT', `positionGreeks needs an option type, got ${p.positionType}`);
  const mult = p.multiplier ?? OPTION_MULTIPLIER;
  if (!(mult > 0) || !Number.isFinite(p.daysToExpiry)) {
    throw new EngineError('INVALID_INPUT', `multiplier must be > 0 and daysToExpiry finite`, { mult, daysToExpiry: p.daysToExpiry });
  }
  const expired = p.daysToExpiry < 0;
  const tenorYears = Math.max(0, p.daysToExpiry) / 365;
  const base = bsmGreeks({ spot: p.spot, strike: p.strike, tenorYears, rateCont: p.rateCont, volAnnual: p.volAnnual, dividendYield: p.dividendYield ?? 0, right });
  const perShare: BsmGreeks = expired
    ? { price: base.price, delta: 0, gamma: 0, thetaPerDay: 0, thetaPerYear: 0, vegaPerVolPoint: 0, rhoPerPct: 0 }
    : base;
  const qm = p.quantity * mult;
  const shareDelta = perShare.delta * qm;
  return {
    perShare,
    expired,
    tenorYears,
    marketValueUsd: perShare.price * qm,
    shareDelta,
    dollarDelta: shareDelta * p.spot,
    gammaShares: perShare.gamma * qm,
    dollarGamma1Pct: 0.5 * perShare.gamma * qm * (0.01 * p.spot) ** 2,
    thetaDollarsPerDay: perShare.thetaPerDay * qm,
    vegaDollarsPerVolPoint: perShare.vegaPerVolPoint * qm,
    rhoDollarsPerPct: perShare.rhoPerPct * qm,
  };
}
