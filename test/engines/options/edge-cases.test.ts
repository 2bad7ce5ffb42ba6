import { describe, expect, test } from 'vitest';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import { bsmGreeks } from '../../../engines/options/greeks.ts';
import { EngineError } from '../../../engines/errors.ts';

const base = { spot: 100, strike: 90, tenorYears: 0.5, rateCont: 0.05, volAnnual: 0.3, dividendYield: 0 };

describe('T = 0 (at expiry): intrinsic value, step delta, other Greeks 0 (engines.md §5.2)', () => {
  test('ITM call: value S − K = 10, Δ = 1', () => {
    expect(bsmGreeks({ ...base, tenorYears: 0, right: 'call' })).toEqual({
      price: 10, delta: 1, gamma: 0, thetaPerDay: 0, thetaPerYear: 0, vegaPerVolPoint: 0, rhoPerPct: 0,
    });
  });
  test('OTM put: value 0, Δ = 0; ITM put (K=110): value 10, Δ = −1', () => {
    const otm = bsmGreeks({ ...base, tenorYears: 0, right: 'put' });
    expect([otm.price, otm.delta]).toEqual([0, 0]);
    const itm = bsmGreeks({ ...base, strike: 110, tenorYears: 0, right: 'put' });
    expect([itm.price, itm.delta]).toEqual([10, -1]);
  });
  test('exactly at the money: value 0, Δc = 0.5, Δp = −0.5', () => {
    expect(bsmGreeks({ ...base, strike: 100, tenorYears: 0, right: 'call' }).delta).toBe(0.5);
    expect(bsmGreeks({ ...base, strike: 100, tenorYears: 0, right: 'put' }).delta).toBe(-0.5);
  });
  test('T → 0+: one second before expiry the ITM call is worth ≈ S − K e^{−rT} and Δ → 1', () => {
    const g = bsmGreeks({ ...base, tenorYears: 1 / (365 * 86400), right: 'call' });
    expect(Math.abs(g.price - 10)).toBeLessThan(1e-6);
    expect(g.delta).toBe(1);
    expect(g.gamma).toBe(0);
    expect(Number.isFinite(g.thetaPerDay)).toBe(true);
  });
});

describe('σ = 0 with T > 0: deterministic limit consistent with bsmPrice', () => {
  test('S=100, K=101, r=5 %, T=0.5: forward ITM so price = S − K e^{−rT} = 1.4937, Δ = 1, Γ = vega = 0', () => {
    const g = bsmGreeks({ ...base, strike: 101, volAnnual: 0, right: 'call' });
    const expected = 100 - 101 * Math.exp(-0.025);
    expect(g.price).toBeCloseTo(expected, 12);
    expect(g.price).toBe(bsmPrice({ ...base, strike: 101, volAnnual: 0, right: 'call' }));
    expect(g.delta).toBe(1);
    expect([g.gamma, g.vegaPerVolPoint]).toEqual([0, 0]);
    // Θ = −rK e^{−rT} per year; ρ = K T e^{−rT} per unit rate
    expect(g.thetaPerYear).toBeCloseTo(-0.05 * 101 * Math.exp(-0.025), 12);
    expect(g.rhoPerPct).toBeCloseTo((101 * 0.5 * Math.exp(-0.025)) / 100, 12);
  });
  test('the same put is worth 0 with all Greeks 0', () => {
    const g = bsmGreeks({ ...base, strike: 101, volAnnual: 0, right: 'put' });
    // + 0 folds −0 into 0 (the sign of a zero carries no meaning here)
    expect([g.price, g.delta, g.gamma, g.thetaPerYear, g.vegaPerVolPoint, g.rhoPerPct].map((v) => v + 0)).toEqual([0, 0, 0, 0, 0, 0]);
  });
  test('σ → 0+ converges to the σ = 0 values', () => {
    const tiny = bsmGreeks({ ...base, strike: 101, volAnnual: 1e-9, right: 'call' });
    const zero = bsmGreeks({ ...base, strike: 101, volAnnual: 0, right: 'call' });
    expect(tiny.delta).toBe(zero.delta);
    expect(tiny.price).toBeCloseTo(zero.price, 12);
    expect(tiny.thetaPerYear).toBeCloseTo(zero.thetaPerYear, 12);
  });
});

describe('deep ITM / OTM: no NaN, N() underflow guarded', () => {
  test('K = S/1000 call (d1 ≈ 34.6): Δ = 1, 0 ≤ Γ < 1e-260 (φ(34.6)), price = S − K e^{−rT} to 1e-12 relative', () => {
    const g = bsmGreeks({ ...base, strike: 0.1, tenorYears: 1, volAnnual: 0.2, right: 'call' });
    expect(g.delta).toBe(1);
    expect(g.gamma).toBeGreaterThanOrEqual(0);
    expect(g.gamma).toBeLessThan(1e-260);
    expect(Math.abs(g.price - (100 - 0.1 * Math.exp(-0.05))) / g.price).toBeLessThan(1e-12);
  });
  test('K = 1000 S call (d1 ≈ −34.2): price, Δ, Γ, vega in [0, 1e-250) (tail values, no NaN); put Δ = −1', () => {
    const c = bsmGreeks({ ...base, strike: 1e5, tenorYears: 1, volAnnual: 0.2, right: 'call' });
    for (const v of [c.price, c.delta, c.gamma, c.vegaPerVolPoint]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1e-250);
    }
    const p = bsmGreeks({ ...base, strike: 1e5, tenorYears: 1, volAnnual: 0.2, right: 'put' });
    expect(p.delta).toBe(-1);
    expect(p.price).toBeCloseTo(1e5 * Math.exp(-0.05) - 100, 8);
  });
  test('extreme d1 (|d1| ≫ 40) stays finite everywhere', () => {
    for (const right of ['call', 'put'] as const) {
      const g = bsmGreeks({ spot: 1e6, strike: 1e-6, tenorYears: 1e-6, rateCont: 0.05, volAnnual: 1e-6, right });
      for (const v of Object.values(g)) expect(Number.isFinite(v)).toBe(true);
    }
  });
  test('deep OTM put keeps relative precision (N(−d) evaluated directly, not 1 − N(d))', () => {
    // S=100, K=60, T=0.25, σ=0.2, r=q=0: d2 = (ln(100/60) − 0.005)/0.1 = 5.0583; put ≈ K N(−d2) − S N(−d1)
    const p = bsmGreeks({ spot: 100, strike: 60, tenorYears: 0.25, rateCont: 0, dividendYield: 0, volAnnual: 0.2, right: 'put' });
    expect(p.price).toBeGreaterThan(0);
    expect(p.price).toBeLessThan(1e-5);
    expect(p.delta).toBeLessThan(0);
  });
});

describe('invalid inputs are typed EngineError INVALID_INPUT', () => {
  const cases: Array<[string, Record<string, number>]> = [
    ['S ≤ 0', { spot: 0 }], ['S < 0', { spot: -1 }], ['K ≤ 0', { strike: 0 }], ['T < 0', { tenorYears: -0.1 }],
    ['σ < 0', { volAnnual: -0.2 }], ['NaN rate', { rateCont: Number.NaN }], ['infinite spot', { spot: Infinity }],
  ];
  test.each(cases)('%s', (_, patch) => {
    const call = () => bsmGreeks({ ...base, ...patch, right: 'call' });
    expect(call).toThrow(EngineError);
    try { call(); } catch (e) { expect((e as EngineError).code).toBe('INVALID_INPUT'); }
  });
});
