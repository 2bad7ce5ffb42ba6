import { describe, expect, test } from 'vitest';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import { bsmGreeks } from '../../../engines/options/greeks.ts';

/**
 * Printed reference values are rounded; each is checked to within half a unit of its last printed
 * digit (the tightest tolerance the print supports; all are ≤ 5e-3 absolute, ≤ 5e-3 of the value
 * where the print has 3 significant digits). Full-precision agreement is checked against scipy in
 * scipy-fixture.test.ts.
 */
function expectPrinted(actual: number, printed: number, decimals: number): void {
  expect(Math.abs(actual - printed)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

describe('Hull, Options, Futures and Other Derivatives (Example 15.6): S=42, K=40, r=10%, σ=20%, T=0.5', () => {
  const base = { spot: 42, strike: 40, tenorYears: 0.5, rateCont: 0.1, volAnnual: 0.2 };
  test('call ≈ 4.76 and put ≈ 0.81 (printed to 2 dp, tolerance 0.005)', () => {
    expectPrinted(bsmPrice({ ...base, right: 'call' }), 4.76, 2);
    expectPrinted(bsmPrice({ ...base, right: 'put' }), 0.81, 2);
    expectPrinted(bsmGreeks({ ...base, right: 'call' }).price, 4.76, 2);
    expectPrinted(bsmGreeks({ ...base, right: 'put' }).price, 0.81, 2);
  });
});

describe('Hull, Greeks chapter running example: S=49, K=50, r=5%, σ=20%, T=20/52 (call)', () => {
  const g = bsmGreeks({ spot: 49, strike: 50, tenorYears: 20 / 52, rateCont: 0.05, volAnnual: 0.2, right: 'call' });
  test('price ≈ 2.40 (Hull: "$2.40"; tolerance 0.005)', () => expectPrinted(g.price, 2.4, 2));
  test('Δ ≈ 0.522 (tolerance 5e-4)', () => expectPrinted(g.delta, 0.522, 3));
  test('Γ ≈ 0.066 (tolerance 5e-4)', () => expectPrinted(g.gamma, 0.066, 3));
  test('vega ≈ 12.1 per unit vol = 0.121 per vol point (tolerance 0.05 per unit vol)', () => expectPrinted(g.vegaPerVolPoint * 100, 12.1, 1));
  test('Θ ≈ −4.31 per year, i.e. −4.31/365 per calendar day (tolerance 0.005 per year)', () => {
    expectPrinted(g.thetaPerYear, -4.31, 2);
    expect(g.thetaPerDay).toBeCloseTo(g.thetaPerYear / 365, 15);
  });
  test('ρ ≈ 8.91 per unit rate = 0.0891 per 1 %-point (tolerance 0.005 per unit rate)', () => expectPrinted(g.rhoPerPct * 100, 8.91, 2));
});

describe('engines.md §5.2 test vector: S=K=100, T=30/365, r=0.05, σ=0.25, q=0', () => {
  const base = { spot: 100, strike: 100, tenorYears: 30 / 365, rateCont: 0.05, volAnnual: 0.25 };
  const c = bsmGreeks({ ...base, right: 'call' });
  const p = bsmGreeks({ ...base, right: 'put' });
  test('prices: call 3.0626, put 2.6525 (half a unit of the 4th decimal)', () => {
    expectPrinted(c.price, 3.0626, 4);
    expectPrinted(p.price, 2.6525, 4);
  });
  test('Δc 0.537118, Δp −0.462882, Γ 0.055421 (6 dp)', () => {
    expectPrinted(c.delta, 0.537118, 6);
    expectPrinted(p.delta, -0.462882, 6);
    expectPrinted(c.gamma, 0.055421, 6);
    expectPrinted(p.gamma, 0.055421, 6);
  });
  test('vega 0.113878 per vol point, Θc −0.054387/day, Θp −0.040745/day, ρc 0.041629, ρp −0.040225 per 1 %', () => {
    expectPrinted(c.vegaPerVolPoint, 0.113878, 6);
    expectPrinted(p.vegaPerVolPoint, 0.113878, 6);
    expectPrinted(c.thetaPerDay, -0.054387, 6);
    expectPrinted(p.thetaPerDay, -0.040745, 6);
    expectPrinted(c.rhoPerPct, 0.041629, 6);
    expectPrinted(p.rhoPerPct, -0.040225, 6);
  });
  test('differs from the reference pipeline’s mis-scaled values (Δc ≈ 0.514522, vega ≈ 0.001143)', () => {
    expect(Math.abs(c.delta - 0.514522)).toBeGreaterThan(0.02);
    expect(c.vegaPerVolPoint / 0.001143).toBeGreaterThan(90);
  });
});

/**
 * The ≤ 1e-3 acceptance bound against Hull's printed values: |engine − printed| ≤ 1e-3 absolute
 * or ≤ 1e-3 × |printed| relative. Every printed value meets it except the Example 15.6 put,
 * printed 0.81 to two decimals while its exact value is 0.8086: the print's own rounding (up to
 * 0.005) exceeds 1e-3, so that one is held to half a unit of its last digit above and to 1e-9
 * against scipy in scipy-fixture.test.ts. Θ is compared per calendar day, where Hull prints
 * −0.0118 (the per-year −4.31 is rounded more coarsely than 1e-3 relative).
 */
describe('Hull printed values within 1e-3 (absolute or relative)', () => {
  const within1e3 = (actual: number, printed: number) =>
    expect(Math.min(Math.abs(actual - printed), Math.abs(actual - printed) / Math.abs(printed))).toBeLessThanOrEqual(1e-3);
  const g = bsmGreeks({ spot: 49, strike: 50, tenorYears: 20 / 52, rateCont: 0.05, volAnnual: 0.2, right: 'call' });
  test.each<[string, () => number, number]>([
    ['Example 15.6 call 4.76', () => bsmPrice({ spot: 42, strike: 40, tenorYears: 0.5, rateCont: 0.1, volAnnual: 0.2, right: 'call' }), 4.76],
    ['Greeks example call 2.40', () => g.price, 2.4],
    ['Δ 0.522', () => g.delta, 0.522],
    ['Γ 0.066', () => g.gamma, 0.066],
    ['vega 12.1 per unit vol', () => g.vegaPerVolPoint * 100, 12.1],
    ['Θ −0.0118 per calendar day', () => g.thetaPerDay, -0.0118],
    ['ρ 8.91 per unit rate', () => g.rhoPerPct * 100, 8.91],
  ])('%s', (_n, actual, printed) => within1e3(actual(), printed));
  test('the put printed 0.81 is 0.8086 to 4 dp (its print rounding, not the engine, exceeds 1e-3)', () => {
    expect(bsmPrice({ spot: 42, strike: 40, tenorYears: 0.5, rateCont: 0.1, volAnnual: 0.2, right: 'put' })).toBeCloseTo(0.8086, 4);
  });
});
