import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import { impliedVol, noArbitrageBounds } from '../../../engines/options/implied-vol.ts';

const hull = { spot: 49, strike: 50, tenorYears: 20 / 52, rateCont: 0.05, right: 'call' as const };

function expectInvalid(fn: () => unknown): EngineError {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('INVALID_INPUT');
    return e as EngineError;
  }
  throw new Error('expected an EngineError');
}

describe('impliedVol', () => {
  test('recovers σ = 0.2 from the Hull 49/50 call price at full precision (|Δσ| ≤ 1e-9)', () => {
    const price = bsmPrice({ ...hull, volAnnual: 0.2 });
    const iv = impliedVol({ ...hull, price });
    expect(Math.abs(iv.volAnnual - 0.2)).toBeLessThanOrEqual(1e-9);
    expect(iv.iterations).toBeLessThanOrEqual(6);
  });

  test('Hull printed price 2.40 implies σ ≈ 0.1999 (price rounded to cents)', () => {
    expect(impliedVol({ ...hull, price: 2.4 }).volAnnual).toBeCloseTo(0.19999, 3);
  });

  test('puts with a dividend yield: recovers σ = 0.65 for an ITM put', () => {
    const p = { spot: 80, strike: 100, tenorYears: 0.75, rateCont: 0.04, dividendYield: 0.03, right: 'put' as const };
    const iv = impliedVol({ ...p, price: bsmPrice({ ...p, volAnnual: 0.65 }) });
    expect(Math.abs(iv.volAnnual - 0.65)).toBeLessThanOrEqual(1e-8);
  });

  test('falls back to bisection where Newton from Brenner–Subrahmanyam overshoots (deep OTM, high vol)', () => {
    const p = { spot: 100, strike: 300, tenorYears: 0.1, rateCont: 0.01, right: 'call' as const };
    const price = bsmPrice({ ...p, volAnnual: 2.5 });
    const iv = impliedVol({ ...p, price });
    expect(Math.abs(bsmPrice({ ...p, volAnnual: iv.volAnnual }) - price)).toBeLessThanOrEqual(1e-8);
    expect(iv.volAnnual).toBeCloseTo(2.5, 6);
  });

  test('no-arbitrage bounds of a call and a put', () => {
    const b = noArbitrageBounds({ spot: 100, strike: 90, tenorYears: 1, rateCont: 0.05, right: 'call' });
    expect(b.lower).toBeCloseTo(100 - 90 * Math.exp(-0.05), 12);
    expect(b.upper).toBe(100);
    const pb = noArbitrageBounds({ spot: 100, strike: 90, tenorYears: 1, rateCont: 0.05, right: 'put' });
    expect(pb).toEqual({ lower: 0, upper: 90 * Math.exp(-0.05) });
  });

  test('price above S e^{−qT} (call upper bound) → INVALID_INPUT with bounds in details', () => {
    const e = expectInvalid(() => impliedVol({ ...hull, price: 49.5 }));
    expect(e.details).toEqual({ lower: 0, upper: 49 });
  });
  test('price below intrinsic (forward) lower bound → INVALID_INPUT', () => {
    expectInvalid(() => impliedVol({ spot: 100, strike: 80, tenorYears: 0.5, rateCont: 0.05, right: 'call', price: 19 }));
  });
  test('price exactly at the lower bound (σ not identifiable) → INVALID_INPUT', () => {
    expectInvalid(() => impliedVol({ ...hull, price: 0 }));
  });
  test('price inside bounds but needing σ > 5 → INVALID_INPUT (not attainable on [1e-4, 5])', () => {
    const p = { spot: 100, strike: 100, tenorYears: 1, rateCont: 0, right: 'call' as const };
    const e = expectInvalid(() => impliedVol({ ...p, price: 99.5 }));
    expect(e.details?.['priceAtMax']).toBeCloseTo(bsmPrice({ ...p, volAnnual: 5 }), 10);
  });
  test('at expiry (T = 0) → INVALID_INPUT', () => {
    expectInvalid(() => impliedVol({ ...hull, tenorYears: 0, price: 1 }));
  });
  test('NaN price → INVALID_INPUT', () => {
    expectInvalid(() => impliedVol({ ...hull, price: Number.NaN }));
  });
});
