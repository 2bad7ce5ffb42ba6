import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { monteCarloVar, monteCarloVarRuns, type FactorMcInput } from '../../../engines/montecarlo/monte-carlo-var.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { revalueBook, type RiskBook } from '../../../engines/risk/risk-book.ts';

// A 3-factor model with a rate factor in bp, 4 sources, linear holdings and 3 options.
const cov = [1.2e-4, -0.0013, 1.5e-5, -0.0013, 36, 0.003, 1.5e-5, 0.003, 2.5e-5];
const base: Omit<FactorMcInput, 'book' | 'paths' | 'seed'> = {
  factors: ['MKT', 'RATES_BP', 'VALUE'], factorCovariance: denseMatrix(Float64Array.from(cov), 3, 3),
  loadings: new Map([['SPY', [1, 0, 0]], ['AAPL', [1.2, -0.0002, -0.4]], ['TLT', [-0.05, -0.0017, 0]], ['JPM', [1.1, 0.0004, 0.8]]]),
  residualVol: new Map([['AAPL', 0.012], ['TLT', 0.002], ['JPM', 0.01]]), rateFactor: 'RATES_BP', horizonDays: 10, innovations: { kind: 'normal' },
};
const book: RiskBook = {
  linear: [
    { id: 'spy', source: 'SPY', valueUsd: 800_000 }, { id: 'aapl', source: 'AAPL', valueUsd: 300_000 },
    { id: 'aapl2', source: 'AAPL', valueUsd: 75_000 }, { id: 'tlt', source: 'TLT', valueUsd: -200_000 }, { id: 'jpm', source: 'JPM', valueUsd: 120_000 },
  ],
  options: [
    { id: 'p', source: 'SPY', right: 'put', spot: 600, strike: 570, tenorYears: 0.25, rateCont: 0.043, volAnnual: 0.19, dividendYield: 0.013, sharesSigned: 2000 },
    { id: 'c', source: 'AAPL', right: 'call', spot: 210, strike: 225, tenorYears: 0.15, rateCont: 0.043, volAnnual: 0.3, sharesSigned: -500 },
    { id: 'x', source: 'JPM', right: 'put', spot: 250, strike: 240, tenorYears: 0.02, rateCont: 0.043, volAnnual: 0.28, sharesSigned: 1000 },
  ],
};
const scaleBook = (b: RiskBook, c: number): RiskBook => ({
  linear: b.linear.map((h) => ({ ...h, valueUsd: c * h.valueUsd })), options: b.options.map((o) => ({ ...o, sharesSigned: c * o.sharesSigned })),
});
const rel = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

/** numpy's default (linear, type 7) quantile, written out independently of the engine. */
function npQuantile(x: Float64Array, p: number): number {
  const s = x.slice().sort();
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

describe('determinism and consistency', () => {
  const run = (seed: number, extra: Partial<FactorMcInput> = {}) => monteCarloVar({ ...base, book, paths: 4000, seed, ...extra });
  test('several horizons and innovations from one draw equal one call per run', () => {
    const t5 = { kind: 'student_t', dof: 5 } as const;
    const runs = [{ horizonDays: 10, innovations: { kind: 'normal' } as const }, { horizonDays: 1, innovations: { kind: 'normal' } as const }, { horizonDays: 1, innovations: t5 }, { horizonDays: 10, innovations: t5 }];
    const { horizonDays: _h, innovations: _i, ...rest } = base;
    const many = monteCarloVarRuns({ ...rest, book, paths: 3000, seed: 17, keepPaths: true }, runs);
    many.forEach((r, n) => expect(r).toEqual(monteCarloVar({ ...base, book, paths: 3000, seed: 17, ...runs[n]!, keepPaths: true })));
    // the 10-day paths are the 1-day paths scaled by √10; the options see different tenors, so the P&L is not
    const [ten, one, t1] = many;
    rel(ten!.simulated!.sourceReturns[7]!, Math.sqrt(10) * one!.simulated!.sourceReturns[7]!, 1e-12);
    expect(ten!.levels[1]!.varUsd).toBeGreaterThan(2.5 * one!.levels[1]!.varUsd);
    // a Student-t path is the normal path times one mixing factor for all its sources
    const m = 4;
    const ratio = t1!.simulated!.sourceReturns[5 * m]! / one!.simulated!.sourceReturns[5 * m]!;
    for (let j = 1; j < m; j++) rel(t1!.simulated!.sourceReturns[5 * m + j]!, ratio * one!.simulated!.sourceReturns[5 * m + j]!, 1e-12);
  });
  test('same seed → identical result; another seed → a different one', () => {
    const a = run(99);
    expect(run(99)).toEqual(a);
    expect(run(100).levels[1]!.varUsd).not.toBe(a.levels[1]!.varUsd);
    const t = run(99, { innovations: { kind: 'student_t', dof: 6 } });
    expect(run(99, { innovations: { kind: 'student_t', dof: 6 } })).toEqual(t);
  });
  test('every simulated path equals revalueBook at that path’s returns, rate shift and h/252 of time', () => {
    const out = run(7, { keepPaths: true });
    const sim = out.simulated!;
    const m = sim.sources.length;
    expect(sim.sources).toEqual(['AAPL', 'JPM', 'SPY', 'TLT']);
    for (let p = 0; p < 300; p++) {
      const returns = new Map(sim.sources.map((s, j) => [s, sim.sourceReturns[p * m + j]!] as const));
      const ref = revalueBook(book, { returns, rateShift: sim.rateShift![p]!, dtYears: 10 / 252 });
      rel(sim.pnlUsd[p]!, ref.totalUsd, 1e-10);
    }
  });
  test('tail contributions: book order, sum to −CVaR at the highest confidence; same-source lots in value proportion', () => {
    const out = run(8, { confidences: [0.99, 0.95] });
    expect(out.tailContributionUsd).toHaveLength(8);
    rel(out.tailContributionUsd.reduce((s, v) => s + v, 0), -out.levels[0]!.cvarUsd, 1e-9);
    rel(out.tailContributionUsd[1]! / out.tailContributionUsd[2]!, 300_000 / 75_000, 1e-9);
    expect(out.levels.map((l) => l.confidence)).toEqual([0.99, 0.95]);
    for (const l of out.levels) {
      expect(l.cvarUsd).toBeGreaterThanOrEqual(l.varUsd);
      expect(l.varCi95[0]).toBeLessThanOrEqual(l.varUsd);
      expect(l.varCi95[1]).toBeGreaterThanOrEqual(l.varUsd);
    }
  });
  test('a singular PSD covariance uses the eigen root and says so; the VaR still matches the closed form', () => {
    const s2 = 1e-4; // two perfectly correlated factors, each 1 % a day
    const out = monteCarloVar({
      book: { linear: [{ id: 'a', source: 'A', valueUsd: 1e6 }], options: [] }, factors: ['F1', 'F2'],
      factorCovariance: denseMatrix(Float64Array.of(s2, s2, s2, s2), 2, 2), loadings: new Map([['A', [0.5, 0.5]]]), residualVol: new Map(),
      horizonDays: 1, paths: 20_000, seed: 4, innovations: { kind: 'normal' },
    });
    expect(out.factorRoot).toBe('eigen');
    expect(out.warnings.join(' ')).toMatch(/singular/);
    // σ_P = 1e6 × 1 %; z₀.₉₉ = 2.3263478740408408 (scipy norm.ppf)
    const v = out.levels[1]!;
    expect(v.varCi95[0]).toBeLessThanOrEqual(23_263.478740408408);
    expect(v.varCi95[1]).toBeGreaterThanOrEqual(23_263.478740408408);
  });
  test('refuses bad inputs', () => {
    const bad = (extra: Partial<FactorMcInput>) => () => monteCarloVar({ ...base, book, paths: 1000, seed: 1, ...extra });
    const invalid = expect.objectContaining({ code: 'INVALID_INPUT' });
    expect(bad({ paths: 50 })).toThrow(invalid);
    expect(bad({ horizonDays: 0 })).toThrow(invalid);
    expect(bad({ innovations: { kind: 'student_t', dof: 2 } })).toThrow(invalid);
    expect(bad({ rateFactor: 'NOPE' })).toThrow(invalid);
    expect(bad({ confidences: [1] })).toThrow(invalid);
    expect(bad({ seed: 1.5 })).toThrow(invalid);
    expect(bad({ loadings: new Map([['SPY', [1, 0]]]) })).toThrow(invalid);
    expect(bad({ residualVol: new Map([['SPY', -0.01]]) })).toThrow(invalid);
    expect(bad({ factorCovariance: denseMatrix(Float64Array.of(1, 2, 0, 2, 1, 0, 0, 0, 1), 3, 3) })).toThrow(invalid); // eigenvalue −1
    expect(bad({ factorCovariance: denseMatrix(Float64Array.of(1, 0.5, 0, 0.4, 1, 0, 0, 0, 1), 3, 3) })).toThrow(invalid); // asymmetric
    expect(bad({ book: { linear: [], options: [{ ...book.options[0]!, spot: -1 }] } })).toThrow(invalid);
  });
  test('a source with neither loadings nor residual vol is reported as never moved', () => {
    const out = monteCarloVar({ ...base, book: { linear: [...book.linear, { id: 'z', source: 'ZZZ', valueUsd: 1 }], options: [] }, paths: 200, seed: 1 });
    expect(out.warnings.some((w) => w.includes('ZZZ'))).toBe(true);
  });
});

describe('Monte Carlo properties (fast-check)', () => {
  const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
  ftest.prop([fc.double({ min: 0.01, max: 100, noNaN: true }), seedArb], { numRuns: 20 })('scaling the book by c > 0 scales VaR, CVaR, their intervals and the mean by c (same seed)', (c, seed) => {
    const a = monteCarloVar({ ...base, book, paths: 500, seed });
    const b = monteCarloVar({ ...base, book: scaleBook(book, c), paths: 500, seed });
    expect(Math.abs(b.meanPnlUsd - c * a.meanPnlUsd)).toBeLessThanOrEqual(1e-9 * c * a.stdPnlUsd);
    rel(b.stdPnlUsd, c * a.stdPnlUsd, 1e-9);
    a.levels.forEach((l, i) => {
      const s = b.levels[i]!;
      rel(s.varUsd, c * l.varUsd);
      rel(s.cvarUsd, c * l.cvarUsd);
      rel(s.varCi95[0], c * l.varCi95[0]);
      rel(s.cvarCi95[1], c * l.cvarCi95[1]);
    });
  });
  ftest.prop([seedArb, fc.constantFrom(0.9, 0.95, 0.975, 0.99), fc.constantFrom<FactorMcInput['innovations']>({ kind: 'normal' }, { kind: 'student_t', dof: 4.5 })], { numRuns: 20 })(
    'a negated linear book has the mirrored quantile: VaR(−book, c) = q_c(P&L of the book)',
    (seed, conf, innovations) => {
      const lin: RiskBook = { linear: book.linear, options: [] };
      const a = monteCarloVar({ ...base, innovations, book: lin, paths: 600, seed, confidences: [conf], keepPaths: true });
      const b = monteCarloVar({ ...base, innovations, book: scaleBook(lin, -1), paths: 600, seed, confidences: [conf], keepPaths: true });
      expect(b.simulated!.pnlUsd.every((v, p) => v === -a.simulated!.pnlUsd[p]!)).toBe(true);
      rel(b.levels[0]!.varUsd, npQuantile(a.simulated!.pnlUsd, conf), 1e-9);
      rel(a.levels[0]!.varUsd, -npQuantile(a.simulated!.pnlUsd, 1 - conf), 1e-9);
      rel(b.meanPnlUsd, -a.meanPnlUsd, 1e-9);
    },
  );
});
