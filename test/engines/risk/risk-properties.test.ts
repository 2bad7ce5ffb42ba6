import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { historicalVar, historicalVarLevels } from '../../../engines/risk/historical-var.ts';
import { parametricVar } from '../../../engines/risk/parametric-var.ts';
import { annualizedVolatility } from '../../../engines/risk/volatility.ts';
import { maxDrawdown, wealthIndex } from '../../../engines/risk/drawdown.ts';
import { sharpeSortino } from '../../../engines/risk/sharpe-sortino.ts';
import { betaToMarket } from '../../../engines/risk/beta-to-market.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';

const pnlArb = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 20, maxLength: 300 });

describe('VaR properties', () => {
  ftest.prop([pnlArb, fc.double({ min: 0.5, max: 0.98, noNaN: true }), fc.double({ min: 0.001, max: 0.0199, noNaN: true })], { numRuns: 100 })(
    'VaR is monotone (non-decreasing) in confidence',
    (pnl, c, dc) => {
      expect(historicalVar(pnl, c + dc).var1d).toBeGreaterThanOrEqual(historicalVar(pnl, c).var1d);
    },
  );
  ftest.prop([pnlArb, fc.constantFrom(0.9, 0.95, 0.975, 0.99)], { numRuns: 100 })('CVaR ≥ VaR (1-day and overlapping 10-day)', (pnl, c) => {
    const v = historicalVar(pnl, c);
    expect(v.cvar1d).toBeGreaterThanOrEqual(v.var1d - 1e-9 * Math.abs(v.var1d));
    expect(v.cvar10dOverlapping!).toBeGreaterThanOrEqual(v.var10dOverlapping! - 1e-9 * Math.abs(v.var10dOverlapping!));
  });
  test('hand-computed: pnl = −1..−20 at 95 % → quantile at h = 19×0.05 = 0.95 between −20 and −19', () => {
    const pnl = Array.from({ length: 20 }, (_, i) => -(i + 1));
    const v = historicalVar(pnl, 0.95);
    // sorted ascending: −20, −19, …; q = −20 + 0.95 × 1 = −19.05 (up to the float of 1 − 0.95)
    expect(v.var1d).toBeCloseTo(19.05, 12);
    expect(v.cvar1d).toBe(20);
    expect(v.var10dSqrt).toBeCloseTo(19.05 * Math.sqrt(10), 11);
  });
  test('edge cases: short, empty, NaN, bad confidence, constant P&L', () => {
    expect(() => historicalVar([], 0.95)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => historicalVar(new Array(19).fill(1), 0.95)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => historicalVar(new Array(30).fill(Number.NaN), 0.95)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => historicalVar(new Array(30).fill(1), 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const flat = historicalVar(new Array(30).fill(-5), 0.99);
    expect([flat.var1d, flat.cvar1d, flat.var10dOverlapping]).toEqual([5, 5, 50]);
  });
  test('parametric VaR: one asset, σ = 1 %, $1m → z₉₉ × 10,000; non-PSD covariance rejected', () => {
    const v = parametricVar({ covariance: denseMatrix(new Float64Array([1e-4]), 1, 1), exposuresUsd: [1e6], confidence: 0.99 });
    expect(v.var1d).toBeCloseTo(2.3263478740408408 * 10_000, 8);
    const hedged = parametricVar({ covariance: denseMatrix(new Float64Array([1e-4, 1e-4, 1e-4, 1e-4]), 2, 2), exposuresUsd: [1e6, -1e6], confidence: 0.95 });
    expect(hedged.var1d).toBe(0);
    expect(() => parametricVar({ covariance: denseMatrix(new Float64Array([1e-4, 2e-4, 2e-4, 1e-4]), 2, 2), exposuresUsd: [1, -1], confidence: 0.95 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('volatility, drawdown, Sharpe/Sortino, beta edge cases', () => {
  test('constant series: vol 0, Sharpe null, Sortino null; short history throws', () => {
    const r = new Float64Array(30).fill(0.001);
    expect(annualizedVolatility(r)).toBe(0);
    const s = sharpeSortino(r, new Float64Array(30).fill(0));
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.excessReturnAnnual).toBeCloseTo(0.252, 14);
    expect(() => annualizedVolatility([0.01])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => sharpeSortino([0.01], [3])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => betaToMarket(r, new Float64Array(30).fill(0.002), 20)).toThrow(expect.objectContaining({ code: 'SINGULAR_MATRIX' }));
  });
  test('risk-free conversion: 5.04 % annual → 0.0002 per day', () => {
    const s = sharpeSortino([0.0002, 0.0012, -0.0008], [5.04, 5.04, 5.04]);
    // excess = [0, 0.001, −0.001]: mean 0
    expect(s.excessReturnAnnual).toBeCloseTo(0, 15);
    expect(s.sharpe).toBeCloseTo(0, 12);
  });
  test('drawdown hand example and monotone series', () => {
    expect(maxDrawdown([100, 120, 90, 130])).toEqual({ depth: -0.25, peakIndex: 1, troughIndex: 2, recoveryIndex: 3 });
    expect(maxDrawdown([1, 2, 3])).toEqual({ depth: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: null });
    expect(maxDrawdown(wealthIndex([0.1, -0.5, 0.2])).depth).toBeCloseTo(-0.5, 15);
    expect(() => maxDrawdown([])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => maxDrawdown([1, 0])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => wealthIndex([-1])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('historicalVarLevels', () => {
  ftest.prop([pnlArb], { numRuns: 50 })('equals historicalVar level by level', (pnl) => {
    const both = historicalVarLevels(pnl, [0.95, 0.99]);
    expect(both[0]).toEqual(historicalVar(pnl, 0.95));
    expect(both[1]).toEqual(historicalVar(pnl, 0.99));
  });
  test('rejects a bad level among several', () => {
    expect(() => historicalVarLevels(new Array(30).fill(1), [0.95, 0])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
