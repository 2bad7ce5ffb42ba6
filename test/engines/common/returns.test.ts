import { describe, expect, test } from 'vitest';
import { logReturns, simpleReturns } from '../../../engines/common/returns.ts';
import { alignOnCommonDates } from '../../../engines/common/align.ts';
import { compensatedMean, compensatedSum } from '../../../engines/common/compensated-sum.ts';
import { sampleStd, sampleVariance } from '../../../engines/common/moments.ts';
import { quantileSorted, sortedCopy } from '../../../engines/common/quantile.ts';
import { EngineError } from '../../../engines/errors.ts';

describe('simple and log returns', () => {
  test('simple returns are P_t/P_{t-1} - 1 (hand-computed)', () => {
    const r = simpleReturns(new Float64Array([100, 110, 99, 99]));
    expect(r.length).toBe(3);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(-0.1, 15);
    expect(r[2]).toBe(0);
  });
  test('log returns are ln(P_t/P_{t-1}) and sum to ln(P_n/P_0)', () => {
    const r = logReturns(new Float64Array([50, 60, 45, 80]));
    expect(r[0]).toBeCloseTo(Math.log(1.2), 15);
    expect(compensatedSum(r)).toBeCloseTo(Math.log(80 / 50), 14);
  });
  test('short, empty and non-positive inputs are typed errors', () => {
    expect(() => simpleReturns(new Float64Array([100]))).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => simpleReturns(new Float64Array([]))).toThrow(EngineError);
    expect(() => logReturns(new Float64Array([100, 0, 3]))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => simpleReturns(new Float64Array([Number.NaN, Number.NaN]))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('alignment on common dates', () => {
  test('keeps only the intersection, never fills', () => {
    const out = alignOnCommonDates([
      { dates: ['2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07'], values: new Float64Array([1, 2, 3, 4]) },
      { dates: ['2026-01-02', '2026-01-06', '2026-01-07'], values: new Float64Array([10, 30, Number.NaN]) },
    ]);
    expect(out.dates).toEqual(['2026-01-02', '2026-01-06']);
    expect(Array.from(out.values[0]!)).toEqual([1, 3]);
    expect(Array.from(out.values[1]!)).toEqual([10, 30]);
  });
  test('disjoint series give an empty window; bad dates are rejected', () => {
    const out = alignOnCommonDates([
      { dates: ['2026-01-02'], values: new Float64Array([1]) },
      { dates: ['2026-01-05'], values: new Float64Array([2]) },
    ]);
    expect(out.dates).toEqual([]);
    expect(() => alignOnCommonDates([{ dates: ['2026-01-05', '2026-01-02'], values: new Float64Array([1, 2]) }])).toThrow(EngineError);
    expect(() => alignOnCommonDates([{ dates: ['2026-01-05'], values: new Float64Array([1, 2]) }])).toThrow(EngineError);
  });
});

describe('compensated sums and moments', () => {
  test('Neumaier sum recovers what naive summation loses', () => {
    const xs = new Float64Array([1, 1e100, 1, -1e100]);
    expect(xs.reduce((a, b) => a + b, 0)).toBe(0);
    expect(compensatedSum(xs)).toBe(2);
  });
  test('a million 0.1s sum to 100000 within 1 ulp-scale error', () => {
    const xs = new Float64Array(1_000_000).fill(0.1);
    expect(Math.abs(compensatedSum(xs) - 100_000)).toBeLessThan(1e-10);
    expect(compensatedMean(new Float64Array([]))).toBeNaN();
  });
  test('sample variance uses n-1 (numpy ddof=1); short input throws', () => {
    expect(sampleVariance(new Float64Array([1, 2, 3, 4]))).toBeCloseTo(5 / 3, 15);
    expect(sampleStd(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]))).toBeCloseTo(Math.sqrt(32 / 7), 15);
    expect(() => sampleVariance(new Float64Array([1]))).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(sampleVariance(new Float64Array([3, 3, 3]))).toBe(0);
  });
  test('variance of large-offset data has no cancellation (1e9 + small noise)', () => {
    const xs = Float64Array.from([4, 7, 13, 16], (v) => 1e9 + v);
    expect(sampleVariance(xs)).toBeCloseTo(30, 6);
  });
});

describe('numpy linear quantile (type 7)', () => {
  test('matches hand-computed numpy.quantile values', () => {
    // numpy.quantile([1,2,3,4], [0, 0.05, 0.5, 0.99, 1]) = [1, 1.15, 2.5, 3.97, 4]
    const s = sortedCopy(new Float64Array([4, 1, 3, 2]));
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 0.05)).toBeCloseTo(1.15, 15);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 0.99)).toBeCloseTo(3.97, 14);
    expect(quantileSorted(s, 1)).toBe(4);
  });
  test('empty sample, NaN and bad p are typed errors', () => {
    expect(() => quantileSorted(new Float64Array([]), 0.5)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => quantileSorted(new Float64Array([1]), 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => sortedCopy([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
