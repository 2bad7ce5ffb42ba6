import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { bsmGreeksBatch } from '../../../engines/options/greeks-batch.ts';

const one = (v: number) => Float64Array.of(v);

describe('bsmGreeksBatch', () => {
  test('engines.md §5.2 vector as a 2-option batch (call, put): Δ 0.537118 / −0.462882, Θ −0.054387 / −0.040745 per day', () => {
    const out = bsmGreeksBatch({
      spot: Float64Array.of(100, 100), strike: Float64Array.of(100, 100), tenorYears: Float64Array.of(30 / 365, 30 / 365),
      rateCont: Float64Array.of(0.05, 0.05), volAnnual: Float64Array.of(0.25, 0.25), isCall: Uint8Array.of(1, 0),
    });
    expect(Math.abs(out.delta[0]! - 0.537118)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(out.delta[1]! + 0.462882)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(out.thetaPerDay[0]! + 0.054387)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(out.thetaPerDay[1]! + 0.040745)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(out.price[1]! - 2.6525)).toBeLessThanOrEqual(5e-5);
  });
  test('reuses a caller buffer and handles T = 0 rows', () => {
    const buf = { price: new Float64Array(1), delta: new Float64Array(1), gamma: new Float64Array(1), thetaPerDay: new Float64Array(1), thetaPerYear: new Float64Array(1), vegaPerVolPoint: new Float64Array(1), rhoPerPct: new Float64Array(1) };
    const out = bsmGreeksBatch({ spot: one(110), strike: one(100), tenorYears: one(0), rateCont: one(0.05), volAnnual: one(0.3), isCall: Uint8Array.of(1) }, buf);
    expect(out).toBe(buf);
    expect([buf.price[0], buf.delta[0], buf.gamma[0]]).toEqual([10, 1, 0]);
  });
  test('mismatched column lengths → INVALID_INPUT', () => {
    expect(() => bsmGreeksBatch({ spot: Float64Array.of(1, 2), strike: one(1), tenorYears: one(1), rateCont: one(0), volAnnual: one(0.2), isCall: Uint8Array.of(1) })).toThrow(EngineError);
  });
  test('a bad row (K = 0 at index 1, or NaN σ) → INVALID_INPUT naming the index', () => {
    const x = { spot: Float64Array.of(100, 100), strike: Float64Array.of(100, 0), tenorYears: Float64Array.of(1, 1), rateCont: Float64Array.of(0, 0), volAnnual: Float64Array.of(0.2, 0.2), isCall: Uint8Array.of(1, 1) };
    try { bsmGreeksBatch(x); expect.unreachable(); } catch (e) { expect((e as EngineError).details?.['index']).toBe(1); }
    expect(() => bsmGreeksBatch({ ...x, strike: Float64Array.of(100, 100), volAnnual: Float64Array.of(0.2, Number.NaN) })).toThrow(/option 1/);
  });
});
