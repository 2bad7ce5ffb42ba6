import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { positionGreeks } from '../../../engines/options/position-greeks.ts';

/** engines.md §5.2 test vector: S=K=100, T=30/365, r=5 %, σ=25 %: Δc 0.537118, Γ 0.055421, vega 0.113878, Θc −0.054387/day, ρc 0.041629. */
const vec = { spot: 100, strike: 100, daysToExpiry: 30, rateCont: 0.05, volAnnual: 0.25 };

describe('positionGreeks', () => {
  test('2 long calls (LC, q=+2): position Greeks = per-share × 2 × 100 (6 dp of the §5.2 vector, scaled)', () => {
    const g = positionGreeks({ ...vec, positionType: 'LC', quantity: 2 });
    expect(g.expired).toBe(false);
    expect(g.shareDelta).toBeCloseTo(0.537118 * 200, 3);
    expect(g.dollarDelta).toBeCloseTo(0.537118 * 200 * 100, 1);
    expect(g.gammaShares).toBeCloseTo(0.055421 * 200, 3);
    // ½ Γ q 100 (0.01 S)² = 0.5 × 0.055421 × 200 × 1 = 5.5421
    expect(g.dollarGamma1Pct).toBeCloseTo(5.5421, 3);
    expect(g.thetaDollarsPerDay).toBeCloseTo(-0.054387 * 200, 3);
    expect(g.vegaDollarsPerVolPoint).toBeCloseTo(0.113878 * 200, 3);
    expect(g.rhoDollarsPerPct).toBeCloseTo(0.041629 * 200, 3);
    expect(g.marketValueUsd).toBeCloseTo(3.0626 * 200, 1);
  });

  test('sign table of engines.md §5.1: LC + + − + +, LP − + − + −, SC − − + − −, SP + − + − +', () => {
    const signs = (t: 'LC' | 'LP' | 'SC' | 'SP', q: number) => {
      const g = positionGreeks({ ...vec, positionType: t, quantity: q });
      return [g.shareDelta, g.gammaShares, g.thetaDollarsPerDay, g.vegaDollarsPerVolPoint, g.rhoDollarsPerPct].map(Math.sign);
    };
    expect(signs('LC', 1)).toEqual([1, 1, -1, 1, 1]);
    expect(signs('LP', 1)).toEqual([-1, 1, -1, 1, -1]);
    expect(signs('SC', -1)).toEqual([-1, -1, 1, -1, -1]);
    expect(signs('SP', -1)).toEqual([1, -1, 1, -1, 1]);
  });

  test('expired option (daysToExpiry < 0): intrinsic value at expiry, all Greeks 0, flagged', () => {
    const g = positionGreeks({ ...vec, spot: 112, daysToExpiry: -3, positionType: 'SP', quantity: -1 });
    expect(g.expired).toBe(true);
    expect(g.marketValueUsd + 0).toBe(0); // put K=100 with S=112 expired worthless
    const c = positionGreeks({ ...vec, spot: 112, daysToExpiry: -3, positionType: 'SC', quantity: -1 });
    expect(c.marketValueUsd).toBe(-1200); // −1 contract × 12 intrinsic × 100
    expect([c.shareDelta, c.gammaShares, c.thetaDollarsPerDay, c.vegaDollarsPerVolPoint, c.rhoDollarsPerPct, c.dollarGamma1Pct].map((v) => v + 0)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('expiry day (daysToExpiry = 0): not expired, intrinsic value, step delta', () => {
    const g = positionGreeks({ ...vec, spot: 105, daysToExpiry: 0, positionType: 'LC', quantity: 3 });
    expect(g.expired).toBe(false);
    expect(g.marketValueUsd).toBe(1500);
    expect(g.shareDelta).toBe(300);
  });

  test('type/sign mismatch (SC with +1, LP with −1) and stock types → INVALID_INPUT', () => {
    for (const [t, q] of [['SC', 1], ['LP', -1], ['LONG', 5]] as const) {
      expect(() => positionGreeks({ ...vec, positionType: t, quantity: q })).toThrow(EngineError);
    }
  });
  test('S ≤ 0 → INVALID_INPUT', () => {
    expect(() => positionGreeks({ ...vec, spot: 0, positionType: 'LC', quantity: 1 })).toThrow(/spot must be > 0/);
  });

  ptest.prop([fc.integer({ min: 1, max: 500 }), fc.double({ min: 50, max: 150, noNaN: true })], { numRuns: 100 })(
    'a short position mirrors the long one exactly (SC −q vs LC +q)',
    (q, spot) => {
      const l = positionGreeks({ ...vec, spot, positionType: 'LC', quantity: q });
      const s = positionGreeks({ ...vec, spot, positionType: 'SC', quantity: -q });
      expect(s.shareDelta).toBe(-l.shareDelta);
      expect(s.dollarGamma1Pct).toBe(-l.dollarGamma1Pct);
      expect(s.marketValueUsd).toBe(-l.marketValueUsd);
    },
  );
});
