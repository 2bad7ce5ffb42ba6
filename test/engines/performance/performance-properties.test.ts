import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { dailyReturnsFromNav, timeWeightedReturn } from '../../../engines/performance/time-weighted.ts';
import { benchmarkRelative } from '../../../engines/performance/benchmark-relative.ts';

// Daily returns of ±5 % (0 or at least 1 bp in size), risk-free 0–6 % a year per day.
const ret = fc.oneof(fc.constant(0), fc.tuple(fc.boolean(), fc.double({ min: 1e-4, max: 0.05, noNaN: true })).map(([neg, v]) => (neg ? -v : v)));
const series = (min = 3, max = 300) => fc.array(ret, { minLength: min, maxLength: max });
const withVariation = series().filter((r) => r.some((v) => v !== r[0]));
const rfFor = (n: number) => fc.array(fc.double({ min: 0, max: 0.06 / 252, noNaN: true }), { minLength: n, maxLength: n });

describe('hand-computed values', () => {
  test('TWR chains returns; annualised to 252 days', () => {
    const out = timeWeightedReturn([0.1, -0.05]);
    expect(out.twr).toBeCloseTo(1.1 * 0.95 - 1, 15);
    expect(out.annualized).toBeCloseTo((1.1 * 0.95) ** 126 - 1, 9);
    expect(timeWeightedReturn([0.1, -1, 0.2])).toEqual({ twr: -1, annualized: -1, days: 3 });
  });
  test('NAV 100 → 110 → 120 with a $5 deposit on day 2: returns 10 % and 115/110 − 1', () => {
    const r = dailyReturnsFromNav([100, 110, 120], [0, 0, 5]);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(115 / 110 - 1, 15);
  });
  test('captures: up days {0, 2}, down day {1}, the zero day in neither', () => {
    const out = benchmarkRelative([0.02, -0.01, 0.01, 0.05], [0.01, -0.02, 0.03, 0]);
    expect([out.upDays, out.downDays]).toEqual([2, 1]);
    expect(out.upCapture).toBeCloseTo((Math.sqrt(1.02 * 1.01) - 1) / (Math.sqrt(1.01 * 1.03) - 1), 12);
    expect(out.downCapture).toBeCloseTo(0.5, 12);
  });
  test('no down day: downCapture null; cash portfolio (constant at rf): beta 0, correlation 0, TE of the benchmark', () => {
    expect(benchmarkRelative([0.01, 0.02, 0.03], [0.01, 0.02, 0.01]).downCapture).toBeNull();
    const cash = benchmarkRelative([0.0001, 0.0001, 0.0001, 0.0001], [0.01, -0.02, 0.005, 0.0], [0.0001, 0.0001, 0.0001, 0.0001]);
    expect(cash.beta).toBe(0);
    expect(cash.correlation).toBe(0);
    expect(cash.alphaAnnual).toBeCloseTo(0, 15);
    expect(cash.upCapture).toBeCloseTo(0.0001 / (Math.sqrt(1.01 * 1.005) - 1), 12);
    // TE = std(r_p − r_b) = std(r_b) for a constant r_p: mean −0.00125, ddof 1
    const d = [0.01, -0.02, 0.005, 0].map((x) => x + 0.00125);
    expect(cash.trackingErrorAnnual).toBeCloseTo(Math.sqrt((d.reduce((a, x) => a + x * x, 0) / 3) * 252), 14);
  });
  test('bad input: mismatched lengths and < 3 observations are INVALID_INPUT; a constant benchmark is INSUFFICIENT_DATA', () => {
    const bad = expect.objectContaining({ code: 'INVALID_INPUT' });
    expect(() => benchmarkRelative([0.01, 0.02, 0.03], [0.01, 0.02])).toThrow(bad);
    expect(() => benchmarkRelative([0.01, 0.02], [0.01, 0.02])).toThrow(bad);
    expect(() => benchmarkRelative([0.01, 0.02, 0.03], [0.01, 0.02, 0.03], [0, 0])).toThrow(bad);
    expect(() => benchmarkRelative([0.01, Number.NaN, 0.03], [0.01, 0.02, 0.03])).toThrow(bad);
    expect(() => benchmarkRelative([0.01, 0.02, 0.03], [0.01, 0.01, 0.01])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => timeWeightedReturn([])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => timeWeightedReturn([-1.5])).toThrow(bad);
    expect(() => dailyReturnsFromNav([100])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => dailyReturnsFromNav([100, 0, 10])).toThrow(bad);
    expect(() => dailyReturnsFromNav([100, 101], [0])).toThrow(bad);
  });
});

describe('properties', () => {
  ftest.prop([withVariation.chain((b) => fc.tuple(fc.constant(b), rfFor(b.length)))], { numRuns: 150 })(
    'portfolio = benchmark: beta 1, TE 0, captures 1, correlation 1, alpha 0, active 0',
    ([b, rf]) => {
      const out = benchmarkRelative(b, b, rf);
      expect(out.beta).toBe(1);
      expect(out.trackingErrorAnnual).toBe(0);
      expect(out.informationRatio).toBe(0);
      expect(out.activeReturn).toBe(0);
      expect(out.correlation).toBe(1);
      expect(Math.abs(out.alphaAnnual)).toBeLessThanOrEqual(1e-15);
      if (out.upDays > 0) expect(out.upCapture).toBe(1);
      else expect(out.upCapture).toBeNull();
      if (out.downDays > 0) expect(out.downCapture).toBe(1);
      else expect(out.downCapture).toBeNull();
    },
  );
  ftest.prop(
    [withVariation.chain((b) => fc.tuple(fc.constant(b), rfFor(b.length))), fc.double({ min: -2, max: 3, noNaN: true }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true })],
    { numRuns: 150 },
  )('noise-free r_p − rf = α + β(r_b − rf) recovers β and 252·α', ([b, rf], beta, alpha) => {
    const p = b.map((x, t) => rf[t]! + alpha + beta * (x - rf[t]!));
    const out = benchmarkRelative(p, b, rf);
    expect(Math.abs(out.beta - beta)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(beta)));
    expect(Math.abs(out.alphaAnnual - 252 * alpha)).toBeLessThanOrEqual(1e-9);
  });
  ftest.prop([series(1, 200), series(1, 200)], { numRuns: 150 })('TWR of two periods chains: (1 + twr(a‖b)) = (1 + twr(a))(1 + twr(b))', (a, b) => {
    const whole = timeWeightedReturn([...a, ...b]).twr;
    expect(Math.abs(1 + whole - (1 + timeWeightedReturn(a).twr) * (1 + timeWeightedReturn(b).twr))).toBeLessThanOrEqual(1e-12);
  });
  ftest.prop(
    [series(2, 200).chain((r) => fc.tuple(fc.constant(r), fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: r.length + 1, maxLength: r.length + 1 })))],
    { numRuns: 150 },
  )('NAVs built from returns and flows give the returns back', ([r, flowFrac]) => {
    const nav = [1e6];
    const flows = [0];
    r.forEach((x, t) => {
      const flow = flowFrac[t + 1]! * nav[t]!;
      flows.push(flow);
      nav.push(nav[t]! * (1 + x) + flow);
    });
    const back = dailyReturnsFromNav(nav, flows);
    back.forEach((v, t) => expect(Math.abs(v - r[t]!)).toBeLessThanOrEqual(1e-12));
  });
  ftest.prop([withVariation, fc.double({ min: -1e-3, max: 1e-3, noNaN: true })], { numRuns: 100 })('a constant daily add-on to the portfolio leaves TE unchanged and moves alpha by 252 × it', (b, c) => {
    const base = benchmarkRelative(b.map((x) => 0.5 * x), b);
    const shifted = benchmarkRelative(b.map((x) => 0.5 * x + c), b);
    expect(Math.abs(shifted.trackingErrorAnnual - base.trackingErrorAnnual)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(shifted.alphaAnnual - base.alphaAnnual - 252 * c)).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(shifted.beta - base.beta)).toBeLessThanOrEqual(1e-9);
  });
});
