import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { replayWindow, type ReplayMarket } from '../../../engines/replay/historical-replay.ts';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import type { RiskBook } from '../../../engines/risk/risk-book.ts';

const dates = (n: number) => Array.from({ length: n }, (_, i) => `2024-01-${String(i + 2).padStart(2, '0')}`);
const market = (closes: Record<string, number[]>, extra: Partial<ReplayMarket> = {}): ReplayMarket => {
  const n = Object.values(closes)[0]!.length;
  return { dates: dates(n), closes: new Map(Object.entries(closes)), vix: null, tenYearPct: null, ...extra };
};

describe('planted paths', () => {
  test('worst day and peak-to-trough of a hand-built path', () => {
    // value 1000 of X, closes 100 → 110, 120, 90, 95, 80, 130: cumulative P&L 100, 200, −100, −50, −200, 300;
    // equity 1000 (base), 1100, 1200, 900, 950, 800, 1300; day P&L 100, 100, −300, 50, −150, 500.
    const out = replayWindow({ linear: [{ id: 'x', source: 'X', valueUsd: 1000 }], options: [] }, 1000, market({ X: [100, 110, 120, 90, 95, 80, 130] }));
    const d = dates(7);
    expect(out.path.map((p) => p.cumulativePnlUsd).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([100, 200, -100, -50, -200, 300]);
    expect(out.path.map((p) => Math.round(p.dayPnlUsd * 1e9) / 1e9)).toEqual([100, 100, -300, 50, -150, 500]);
    expect(out.worstDay!.date).toBe(d[3]);
    expect(out.worstDay!.pnlUsd).toBeCloseTo(-300, 9);
    expect(out.peakToTrough.peakDate).toBe(d[2]);
    expect(out.peakToTrough.troughDate).toBe(d[5]);
    expect(out.peakToTrough.drawdownUsd).toBeCloseTo(400, 9);
    expect(out.peakToTrough.drawdownPct!).toBeCloseTo((400 / 1200) * 100, 9);
    expect(out.totalPct!).toBeCloseTo(30, 9);
  });
  test('a fall from the base: the peak is the base date (NAV before any move)', () => {
    const out = replayWindow({ linear: [{ id: 'x', source: 'X', valueUsd: 500 }], options: [] }, 2000, market({ X: [50, 45, 40, 44] }));
    expect(out.peakToTrough.peakDate).toBe(dates(4)[0]);
    expect(out.peakToTrough.troughDate).toBe(dates(4)[2]);
    expect(out.peakToTrough.drawdownUsd).toBeCloseTo(100, 9);
    expect(out.peakToTrough.drawdownPct!).toBeCloseTo(5, 9);
  });
  test('no fall: zero drawdown on the base date; NAV ≤ 0 gives null percentages', () => {
    const out = replayWindow({ linear: [{ id: 'x', source: 'X', valueUsd: 500 }], options: [] }, 0, market({ X: [50, 55, 60] }));
    expect(out.peakToTrough).toEqual({ peakDate: dates(3)[0], troughDate: dates(3)[0], drawdownUsd: 0, drawdownPct: null });
    expect(out.totalPct).toBeNull();
  });
});

describe('factor-proxy fallback and missing data', () => {
  const book: RiskBook = {
    linear: [
      { id: 'f', source: 'FUND', valueUsd: 10_000 }, { id: 'n', source: 'NEW', valueUsd: 4_000 },
      { id: 'b', source: 'BROKEN', valueUsd: 1_000 }, { id: 'u', source: 'NONE', valueUsd: 7_000 },
    ],
    options: [],
  };
  const m = market(
    { SPY: [400, 380, 360], TLT: [100, 104, 103], NEW: [Number.NaN, 20, 21] },
    { factorBetas: new Map<string, Record<string, number>>([['FUND', { SPY: 0.8, TLT: 0.5 }], ['NEW', { SPY: 1.5 }], ['BROKEN', { SPY: 1, QQQ: 1 }]]) },
  );
  const out = replayWindow(book, 50_000, m);
  test('FUND: Σ β (ETF_end / ETF_base − 1) = 0.8 × (−10 %) + 0.5 × 3 % = −6.5 %', () => {
    expect(out.holdings[0]!.method).toBe('factor_proxy');
    expect(out.holdings[0]!.sourceReturn).toBeCloseTo(-0.065, 14);
    expect(out.holdings[0]!.pnlUsd).toBeCloseTo(-650, 9);
    // first date: 0.8 × (−5 %) + 0.5 × 4 % = −2 %
    expect(out.path[0]!.cumulativePnlUsd).toBeCloseTo(-200 + 4_000 * 1.5 * -0.05, 9);
  });
  test('NEW has no base close, so it moves through its beta: 1.5 × (−10 %)', () => {
    expect(out.holdings[1]!.method).toBe('factor_proxy');
    expect(out.holdings[1]!.pnlUsd).toBeCloseTo(4_000 * -0.15, 9);
  });
  test('BROKEN (beta to an ETF without closes) and NONE (no data) are unmoved', () => {
    expect(out.holdings.slice(2).map((h) => [h.method, h.pnlUsd])).toEqual([['unmoved', 0], ['unmoved', 0]]);
    expect(out.proxied).toEqual(['FUND', 'NEW']);
    expect(out.unmoved).toEqual(['BROKEN', 'NONE']);
    expect(out.totalPnlUsd).toBeCloseTo(-650 - 600, 9);
  });
  test('interior gaps carry the last close; VIX gaps carry the last print into the option vol', () => {
    const opt = { id: 'c', source: 'S', right: 'call' as const, spot: 100, strike: 100, tenorYears: 0.5, rateCont: 0.03, volAnnual: 0.2, sharesSigned: 100 };
    const r = replayWindow({ linear: [{ id: 's', source: 'S', valueUsd: 1000 }], options: [opt] }, 10_000,
      market({ S: [50, Number.NaN, 45] }, { vix: [20, Number.NaN, 30], tenYearPct: [4, 4.5, Number.NaN] }));
    const today = bsmPrice({ ...opt });
    // t = 1: S unchanged (carried), σ × 20/20, r + 0.5 %; t = 2: S × 0.9, σ × 1.5, r + 0.5 % (carried)
    const p1 = (bsmPrice({ ...opt, rateCont: 0.035 }) - today) * 100;
    const p2 = (bsmPrice({ ...opt, spot: 90, volAnnual: 0.3, rateCont: 0.035 }) - today) * 100 - 100;
    expect(r.path[0]!.cumulativePnlUsd).toBeCloseTo(p1, 9);
    expect(r.path[1]!.cumulativePnlUsd).toBeCloseTo(p2, 9);
    expect(r.volRatio).toBeCloseTo(1.5, 14);
    expect(r.rateChangeBp).toBeCloseTo(50, 9);
  });
  test('refuses fewer than 2 dates, unsorted dates and series of the wrong length', () => {
    const one = { linear: [], options: [] };
    expect(() => replayWindow(one, 1, market({ X: [1] }))).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => replayWindow(one, 1, { ...market({ X: [1, 2] }), dates: ['2024-01-03', '2024-01-02'] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => replayWindow(one, 1, market({ X: [1, 2] }, { vix: [1] }))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => replayWindow(one, Number.NaN, market({ X: [1, 2] }))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('replay properties', () => {
  const closesArb = fc.array(fc.double({ min: 1, max: 500, noNaN: true }), { minLength: 2, maxLength: 15 });
  const bookArb = fc.array(fc.record({ sym: fc.constantFrom('A', 'B', 'C', 'P'), value: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }), { minLength: 1, maxLength: 6 });
  const setup = fc.tuple(closesArb, bookArb).chain(([a, holdings]) => fc.tuple(
    fc.constant(a), fc.array(fc.double({ min: 1, max: 500, noNaN: true }), { minLength: a.length, maxLength: a.length }),
    fc.array(fc.double({ min: 1, max: 500, noNaN: true }), { minLength: a.length, maxLength: a.length }), fc.constant(holdings),
  ));
  const build = (holdings: { sym: string; value: number }[], k: number): RiskBook => ({ linear: holdings.map((h, i) => ({ id: `h${i}`, source: h.sym, valueUsd: k * h.value })), options: [] });
  const mk = (a: number[], b: number[], c: number[]) => market({ A: a, B: b, C: c }, { factorBetas: new Map([['P', { A: 0.5, B: -1.2 }]]) });
  // Rounding scale: the largest term Σ|value| × max gross move (closes 1–500 → ≤ 500 × the value); sums of
  // offsetting holdings can cancel to near 0, so the tolerance is relative to the terms, not the result.
  let scale = 1;
  const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-13 * scale + 1e-12 * Math.abs(y));
  const gross = (holdings: { value: number }[], k: number) => Math.max(1, Math.abs(k) * 500 * (1 + 1.7) * holdings.reduce((s, h) => s + Math.abs(h.value), 0));

  ftest.prop([setup, fc.double({ min: 0.01, max: 100, noNaN: true })], { numRuns: 100 })('scaling a linear book by c scales every P&L by c', ([a, b, c, holdings], k) => {
    scale = gross(holdings, Math.max(1, k));
    const base = replayWindow(build(holdings, 1), 1e6, mk(a, b, c));
    const scaled = replayWindow(build(holdings, k), 1e6, mk(a, b, c));
    scaled.path.forEach((p, t) => { close(p.cumulativePnlUsd, k * base.path[t]!.cumulativePnlUsd); close(p.dayPnlUsd, k * base.path[t]!.dayPnlUsd); });
    scaled.holdings.forEach((h, i) => close(h.pnlUsd, k * base.holdings[i]!.pnlUsd));
    close(scaled.worstDay!.pnlUsd, k * base.worstDay!.pnlUsd);
  });
  ftest.prop([setup], { numRuns: 100 })('negating a linear book flips the sign of every P&L', ([a, b, c, holdings]) => {
    scale = gross(holdings, 1);
    const base = replayWindow(build(holdings, 1), 1e6, mk(a, b, c));
    const neg = replayWindow(build(holdings, -1), 1e6, mk(a, b, c));
    neg.path.forEach((p, t) => close(p.cumulativePnlUsd, -base.path[t]!.cumulativePnlUsd));
    neg.holdings.forEach((h, i) => close(h.pnlUsd, -base.holdings[i]!.pnlUsd));
    close(neg.totalPnlUsd, -base.totalPnlUsd);
  });
});
