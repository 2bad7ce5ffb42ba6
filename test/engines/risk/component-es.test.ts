import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test as ftest } from '@fast-check/vitest';
import { historicalComponentEs } from '../../../engines/risk/component-es.ts';
import { historicalVar } from '../../../engines/risk/historical-var.ts';
import { revalueBook, type RiskBook } from '../../../engines/risk/risk-book.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy/scipy (versions in the fixture), test/fixtures/risk-contrib-numpy.json from
// `python3 test/fixtures/gen_risk_contrib_numpy.py`: 252 daily scenarios of six linear holdings
// and a short SPY put repriced with Black–Scholes; tail = totals ≤ np.quantile(totals, 1 − c).
// Tolerance 1e-9 relative.
interface Es { varUsd: number; esUsd: number; componentEs: number[]; tailScenarios: number[] }
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/risk-contrib-numpy.json'), 'utf8')).historical as {
  holdings: string[]; valuesUsd: number[]; dates: string[]; pnl: number[]; rows: number; cols: number;
  put: { spot: number; strike: number; tenorYears: number; rateCont: number; volAnnual: number; sharesSigned: number };
} & Record<'0.95' | '0.975' | '0.99', Es>;

function rel(actual: number, expected: number, tol = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}
const panel = denseMatrix(Float64Array.from(fx.pnl), fx.rows, fx.cols);

describe('historical component ES vs numpy', () => {
  test('the fixture P&L is the risk book revalued on the bundled returns (linear × r, BSM put repriced)', () => {
    const syms = fx.holdings.slice(0, 6);
    const w = windowCloses(syms, 253);
    expect(w.dates.slice(1)).toEqual(fx.dates);
    const R = w.closes.map(simpleReturns);
    const book: RiskBook = {
      linear: syms.map((s, i) => ({ id: s, source: s, valueUsd: fx.valuesUsd[i]! })),
      options: [{ id: 'SPY_PUT_SHORT', source: 'SPY', right: 'put', ...fx.put }],
    };
    for (let t = 0; t < fx.rows; t++) {
      const move = revalueBook(book, { returns: new Map(syms.map((s, i) => [s, R[i]![t]!])) });
      move.perHolding.forEach((v, i) => {
        const want = fx.pnl[t * fx.cols + i]!;
        expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-9 * Math.abs(want) + 1e-9);
      });
    }
  });
  test.each(['0.95', '0.975', '0.99'] as const)('VaR, ES, tail scenarios and component ES at %s', (c) => {
    const out = historicalComponentEs(panel, Number(c));
    const want = fx[c];
    rel(out.varUsd, want.varUsd);
    rel(out.esUsd, want.esUsd);
    expect(out.tailScenarios).toEqual(want.tailScenarios);
    out.componentEs.forEach((v, i) => rel(v, want.componentEs[i]!));
  });
  test.each(['0.95', '0.975', '0.99'] as const)('components sum to ES (1e-9 relative); VaR/ES equal historicalVar of the totals at %s', (c) => {
    const out = historicalComponentEs(panel, Number(c));
    rel(out.componentEs.reduce((a, b) => a + b, 0), out.esUsd);
    const totals = Array.from({ length: fx.rows }, (_, t) => fx.pnl.slice(t * fx.cols, (t + 1) * fx.cols).reduce((a, b) => a + b, 0));
    const h = historicalVar(totals, Number(c));
    expect([out.varUsd, out.esUsd]).toEqual([h.var1d, h.cvar1d]);
  });
  test('scaling the book by c = 1.37 scales VaR, ES and components by c; tail unchanged', () => {
    const base = historicalComponentEs(panel, 0.975);
    const scaled = historicalComponentEs(denseMatrix(panel.data.map((v) => 1.37 * v), fx.rows, fx.cols), 0.975);
    expect(scaled.tailScenarios).toEqual(base.tailScenarios);
    rel(scaled.varUsd, 1.37 * base.varUsd, 1e-12);
    rel(scaled.esUsd, 1.37 * base.esUsd, 1e-12);
    base.componentEs.forEach((v, i) => rel(scaled.componentEs[i]!, 1.37 * v, 1e-12));
  });
  test('hand-computed: 20 scenarios, two holdings; at 95 % the tail is the single worst total', () => {
    // totals −1..−20 (holding A = 3/4 of each total, B = 1/4); q = −19.05 (h = 19·0.05), tail = {−20}
    const data = new Float64Array(40);
    for (let t = 0; t < 20; t++) {
      data[2 * t] = -0.75 * (t + 1);
      data[2 * t + 1] = -0.25 * (t + 1);
    }
    const out = historicalComponentEs(denseMatrix(data, 20, 2), 0.95);
    expect(out.tailScenarios).toEqual([19]);
    expect(out.varUsd).toBeCloseTo(19.05, 12);
    expect([out.esUsd, ...out.componentEs]).toEqual([20, 15, 5]);
  });
  test('ties at the quantile are all in the tail; short or bad input throws', () => {
    const flat = historicalComponentEs(denseMatrix(new Float64Array(30).fill(-2), 30, 1), 0.99);
    expect(flat.tailScenarios.length).toBe(30);
    expect([flat.varUsd, flat.esUsd, flat.componentEs[0]]).toEqual([2, 2, 2]);
    expect(() => historicalComponentEs(denseMatrix(new Float64Array(19), 19, 1), 0.99)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => historicalComponentEs(denseMatrix(new Float64Array(0), 30, 0), 0.99)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    const nan = new Float64Array(40);
    nan[7] = Number.NaN;
    expect(() => historicalComponentEs(denseMatrix(nan, 20, 2), 0.99)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => historicalComponentEs(denseMatrix(new Float64Array(40), 20, 2), 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

// T scenarios × n holdings of P&L in ±$1m (multiples of a cent, so row sums are exact enough
// not to reorder near-ties).
const panelArb = fc.record({ T: fc.integer({ min: 20, max: 300 }), n: fc.integer({ min: 1, max: 6 }) }).chain(({ T, n }) =>
  fc.record({
    T: fc.constant(T), n: fc.constant(n),
    cents: fc.array(fc.integer({ min: -100_000_000, max: 100_000_000 }), { minLength: T * n, maxLength: T * n }),
    confidence: fc.constantFrom(0.9, 0.95, 0.975, 0.99),
  }),
);

describe('properties', () => {
  ftest.prop([panelArb], { numRuns: 100 })('components sum to ES; ES ≥ VaR; tail = totals ≤ −VaR', (p) => {
    const out = historicalComponentEs(denseMatrix(Float64Array.from(p.cents, (c) => c / 100), p.T, p.n), p.confidence);
    const gross = out.componentEs.reduce((a, b) => a + Math.abs(b), 0);
    expect(Math.abs(out.componentEs.reduce((a, b) => a + b, 0) - out.esUsd)).toBeLessThanOrEqual(1e-9 * (Math.abs(out.esUsd) + gross));
    expect(out.esUsd).toBeGreaterThanOrEqual(out.varUsd - 1e-9 * Math.abs(out.varUsd));
    expect(out.tailScenarios.length).toBeGreaterThanOrEqual(1);
  });
  // Powers of two scale every float exactly, so the tail is identical and the figures scale bit for bit.
  ftest.prop([panelArb, fc.constantFrom(0.25, 0.5, 2, 4, 1024)], { numRuns: 100 })('scaling by c > 0 scales VaR, ES and components by c, same tail', (p, c) => {
    const base = Float64Array.from(p.cents, (x) => x / 100);
    const one = historicalComponentEs(denseMatrix(base, p.T, p.n), p.confidence);
    const big = historicalComponentEs(denseMatrix(base.map((v) => c * v), p.T, p.n), p.confidence);
    expect(big.tailScenarios).toEqual(one.tailScenarios);
    expect(big.varUsd).toBe(c * one.varUsd);
    expect(big.esUsd).toBe(c * one.esUsd);
    one.componentEs.forEach((v, i) => expect(big.componentEs[i]).toBe(c * v));
  });
});
