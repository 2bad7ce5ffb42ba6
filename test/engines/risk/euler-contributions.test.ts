import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test as ftest } from '@fast-check/vitest';
import { factorContributions, parametricContributions, type ParametricContributionInput } from '../../../engines/risk/euler-contributions.ts';
import { parametricVar } from '../../../engines/risk/parametric-var.ts';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import { denseMatrix, fromColumns } from '../../../engines/common/dense-matrix.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy/scipy (versions in the fixture) on the bundled prices, the Euler formulas
// written independently in test/fixtures/gen_risk_contrib_numpy.py;
// test/fixtures/risk-contrib-numpy.json. Tolerance 1e-9 relative.
interface Param { volUsd: number; varUsd: number; marginalVol: number[]; componentVol: number[]; marginalVar: number[]; componentVar: number[]; bySource: { source: number; componentVol: number; componentVar: number }[] }
interface Fac { volUsd: number; varUsd: number; perFactor: { marginalVol: number; componentVol: number; componentVar: number }[]; residual: { componentVol: number; componentVar: number } }
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/risk-contrib-numpy.json'), 'utf8')) as {
  parametric: { sources: string[]; dates: string[]; covariance: number[]; positions: { exposureUsd: number }[]; sourceIndex: number[] } & Record<'0.95' | '0.99', Param>;
  factor: { factorCovariance: number[]; factorExposuresUsd: number[]; residualVarianceUsd2: number } & Record<'0.95' | '0.99', Fac>;
};

function rel(actual: number, expected: number, tol = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}
function relArr(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-9) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => rel(actual[i]!, e, tol));
}

const p = fx.parametric;
const m = p.sources.length;
const baseInput = (confidence: number): ParametricContributionInput => ({
  covariance: denseMatrix(Float64Array.from(p.covariance), m, m),
  exposuresUsd: p.positions.map((q) => q.exposureUsd),
  sourceIndex: p.sourceIndex,
  confidence,
});

describe('parametric Euler contributions vs numpy (7 positions on 5 sources, two sharing AAPL and MSFT)', () => {
  test('the fixture covariance is the sample covariance of the bundled returns', () => {
    const w = windowCloses(p.sources, 253);
    expect(w.dates).toEqual(p.dates);
    const cov = sampleCovariance(fromColumns(w.closes.map(simpleReturns)), p.sources).matrix;
    relArr(cov.data, p.covariance, 1e-12);
  });
  test.each(['0.95', '0.99'] as const)('σ, VaR, marginals, components and by-source sums at %s', (c) => {
    const out = parametricContributions(baseInput(Number(c)));
    const want = p[c];
    rel(out.volUsd, want.volUsd);
    rel(out.varUsd, want.varUsd);
    relArr(out.marginalVol, want.marginalVol);
    relArr(out.componentVol, want.componentVol);
    relArr(out.marginalVar, want.marginalVar);
    relArr(out.componentVar, want.componentVar);
    expect(out.bySource.map((s) => s.source)).toEqual(want.bySource.map((s) => s.source));
    out.bySource.forEach((s, k) => {
      rel(s.componentVol, want.bySource[k]!.componentVol);
      rel(s.componentVar, want.bySource[k]!.componentVar);
    });
    // same σ and VaR as the delta-normal VaR engine on the source-aggregated exposures
    const agg = new Float64Array(m);
    p.sourceIndex.forEach((s, i) => (agg[s] = agg[s]! + p.positions[i]!.exposureUsd));
    const pv = parametricVar({ covariance: baseInput(0.99).covariance, exposuresUsd: agg, confidence: Number(c) });
    rel(out.varUsd, pv.var1d, 1e-12);
  });
  test('components sum to σ and VaR to 1e-9 relative', () => {
    const out = parametricContributions(baseInput(0.99));
    rel(out.componentVol.reduce((a, b) => a + b, 0), out.volUsd);
    rel(out.componentVar.reduce((a, b) => a + b, 0), out.varUsd);
    rel(out.bySource.reduce((a, b) => a + b.componentVar, 0), out.varUsd);
  });
  test('marginals equal central finite differences of σ(x) and VaR(x), h = 1e-6·|x_i|, to 1e-6', () => {
    const base = baseInput(0.99);
    const out = parametricContributions(base);
    const x = Array.from(base.exposuresUsd);
    x.forEach((xi, i) => {
      const h = 1e-6 * Math.abs(xi);
      const at = (d: number) => parametricContributions({ ...base, exposuresUsd: x.map((v, j) => (j === i ? v + d : v)) });
      const up = at(h);
      const dn = at(-h);
      rel((up.volUsd - dn.volUsd) / (2 * h), out.marginalVol[i]!, 1e-6);
      rel((up.varUsd - dn.varUsd) / (2 * h), out.marginalVar[i]!, 1e-6);
    });
  });
  test.each([1.37, 0.003, 250])('scaling the fixture book by c = %f scales σ, VaR and components by c (1e-12), marginals unchanged', (c) => {
    const base = baseInput(0.99);
    const one = parametricContributions(base);
    const big = parametricContributions({ ...base, exposuresUsd: Array.from(base.exposuresUsd, (v) => c * v) });
    rel(big.volUsd, c * one.volUsd, 1e-12);
    rel(big.varUsd, c * one.varUsd, 1e-12);
    one.componentVar.forEach((v, i) => rel(big.componentVar[i]!, c * v, 1e-12));
    one.marginalVar.forEach((v, i) => rel(big.marginalVar[i]!, v, 1e-12));
  });
  test('hand-computed: σ₁ 1 %, σ₂ 2 %, ρ 0.5, x = ($1m, $0.5m) → ΣX = (150, 300), σ = √3e8, equal components √3e8/2', () => {
    const out = parametricContributions({ covariance: denseMatrix(new Float64Array([1e-4, 1e-4, 1e-4, 4e-4]), 2, 2), exposuresUsd: [1e6, 5e5], sourceIndex: [0, 1], confidence: 0.95 });
    expect(out.volUsd).toBeCloseTo(Math.sqrt(3e8), 9);
    expect(out.marginalVol[0]).toBeCloseTo(150 / Math.sqrt(3e8), 15);
    expect(out.marginalVol[1]).toBeCloseTo(300 / Math.sqrt(3e8), 15);
    expect(out.componentVol[0]).toBeCloseTo(Math.sqrt(3e8) / 2, 9);
    expect(out.componentVol[1]).toBeCloseTo(Math.sqrt(3e8) / 2, 9);
    expect(out.varUsd).toBeCloseTo(1.6448536269514722 * Math.sqrt(3e8), 8);
  });
  test('hedged book (σ = 0) reports zero marginals; bad inputs are INVALID_INPUT', () => {
    const cov = denseMatrix(new Float64Array([1e-4]), 1, 1);
    const flat = parametricContributions({ covariance: cov, exposuresUsd: [1e6, -1e6], sourceIndex: [0, 0], confidence: 0.99 });
    expect([flat.volUsd, flat.varUsd, ...flat.marginalVol, ...flat.componentVar]).toEqual([0, 0, 0, 0, 0, 0]);
    const bad = expect.objectContaining({ code: 'INVALID_INPUT' });
    expect(() => parametricContributions({ covariance: cov, exposuresUsd: [1], sourceIndex: [1], confidence: 0.99 })).toThrow(bad);
    expect(() => parametricContributions({ covariance: cov, exposuresUsd: [1, 2], sourceIndex: [0], confidence: 0.99 })).toThrow(bad);
    expect(() => parametricContributions({ covariance: cov, exposuresUsd: [Number.NaN], sourceIndex: [0], confidence: 0.99 })).toThrow(bad);
    expect(() => parametricContributions({ covariance: cov, exposuresUsd: [1], sourceIndex: [0], confidence: 1 })).toThrow(bad);
    expect(() => parametricContributions({ covariance: denseMatrix(new Float64Array([1e-4, 2e-4, 2e-4, 1e-4]), 2, 2), exposuresUsd: [1, -1], sourceIndex: [0, 1], confidence: 0.99 })).toThrow(bad);
    expect(() => parametricContributions({ covariance: denseMatrix(new Float64Array(2), 1, 2), exposuresUsd: [1], sourceIndex: [0], confidence: 0.99 })).toThrow(bad);
  });
});

describe('factor Euler contributions vs numpy (SPY, IWM, TLT factors; OLS residual variance of four stocks)', () => {
  const f = fx.factor;
  const input = (confidence: number) => ({ factorCovariance: denseMatrix(Float64Array.from(f.factorCovariance), 3, 3), factorExposuresUsd: f.factorExposuresUsd, residualVarianceUsd2: f.residualVarianceUsd2, confidence });
  test.each(['0.95', '0.99'] as const)('σ, VaR, per-factor and residual contributions at %s', (c) => {
    const out = factorContributions(input(Number(c)));
    const want = f[c];
    rel(out.volUsd, want.volUsd);
    rel(out.varUsd, want.varUsd);
    out.perFactor.forEach((pf, j) => {
      rel(pf.marginalVol, want.perFactor[j]!.marginalVol);
      rel(pf.componentVol, want.perFactor[j]!.componentVol);
      rel(pf.componentVar, want.perFactor[j]!.componentVar);
    });
    rel(out.residual.componentVol, want.residual.componentVol);
    rel(out.residual.componentVar, want.residual.componentVar);
    rel(out.perFactor.reduce((a, b) => a + b.componentVar, 0) + out.residual.componentVar, out.varUsd);
  });
  test('factor marginals equal central finite differences of σ(b), h = 1e-6·|b_j|, to 1e-6', () => {
    const base = input(0.99);
    const out = factorContributions(base);
    f.factorExposuresUsd.forEach((bj, j) => {
      const h = 1e-6 * Math.abs(bj);
      const at = (d: number) => factorContributions({ ...base, factorExposuresUsd: f.factorExposuresUsd.map((v, k) => (k === j ? v + d : v)) }).volUsd;
      rel((at(h) - at(-h)) / (2 * h), out.perFactor[j]!.marginalVol, 1e-6);
    });
  });
  test('residual only: its contribution is the whole σ; negative residual variance is INVALID_INPUT', () => {
    const out = factorContributions({ factorCovariance: denseMatrix(new Float64Array([1e-4]), 1, 1), factorExposuresUsd: [0], residualVarianceUsd2: 4e6, confidence: 0.99 });
    expect([out.volUsd, out.residual.componentVol, out.perFactor[0]!.componentVol]).toEqual([2000, 2000, 0]);
    expect(() => factorContributions({ factorCovariance: denseMatrix(new Float64Array([1e-4]), 1, 1), factorExposuresUsd: [1], residualVarianceUsd2: -1, confidence: 0.99 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

// Random PSD covariance Σ = AAᵀ + δI (loadings 0 or 1e-4…3 %, daily vols 0.1–5 %) and a book of positions on its sources,
// exposures 0 or ±$1…$10m (dollar amounts, no subnormal products).
const signed = (min: number, max: number) => fc.oneof(fc.constant(0), fc.tuple(fc.boolean(), fc.double({ min, max, noNaN: true })).map(([neg, v]) => (neg ? -v : v)));
const usd = signed(1, 1e7);
const bookArb = fc.integer({ min: 1, max: 5 }).chain((mm) =>
  fc.record({
    m: fc.constant(mm),
    a: fc.array(signed(1e-4, 0.03), { minLength: mm * mm, maxLength: mm * mm }),
    positions: fc.array(fc.record({ source: fc.integer({ min: 0, max: mm - 1 }), x: usd }), { minLength: 1, maxLength: 8 }),
    confidence: fc.constantFrom(0.9, 0.95, 0.975, 0.99),
  }),
);
function covOf(mm: number, a: readonly number[]) {
  const d = new Float64Array(mm * mm);
  for (let i = 0; i < mm; i++) for (let j = 0; j < mm; j++) {
    let s = i === j ? 1e-6 : 0;
    for (let k = 0; k < mm; k++) s += a[i * mm + k]! * a[j * mm + k]!;
    d[i * mm + j] = s;
  }
  return denseMatrix(d, mm, mm);
}
const gross = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + Math.abs(x), 0);

describe('properties', () => {
  // Tolerances are relative to the gross contribution Σ|c_i|: a hedged book's σ is small beside
  // its offsetting components, and the rounding of the sum scales with the gross.
  ftest.prop([bookArb], { numRuns: 150 })('components sum to σ and VaR; by-source sums match', (b) => {
    const out = parametricContributions({ covariance: covOf(b.m, b.a), exposuresUsd: b.positions.map((q) => q.x), sourceIndex: b.positions.map((q) => q.source), confidence: b.confidence });
    const sumVol = out.componentVol.reduce((s, x) => s + x, 0);
    expect(Math.abs(sumVol - out.volUsd)).toBeLessThanOrEqual(1e-9 * gross(out.componentVol) + 1e-12);
    const sumVar = out.bySource.reduce((s, x) => s + x.componentVar, 0);
    expect(Math.abs(sumVar - out.varUsd)).toBeLessThanOrEqual(1e-9 * gross(out.componentVar) + 1e-12);
  });
  // σ is even in x, so under x → −x marginals flip sign and components x_i·∂σ/∂x_i stay the same.
  ftest.prop([bookArb], { numRuns: 150 })('negated book: same σ, VaR and components, opposite marginals', (b) => {
    const base = { covariance: covOf(b.m, b.a), sourceIndex: b.positions.map((q) => q.source), confidence: b.confidence };
    const pos = parametricContributions({ ...base, exposuresUsd: b.positions.map((q) => q.x) });
    const neg = parametricContributions({ ...base, exposuresUsd: b.positions.map((q) => -q.x) });
    expect(neg.volUsd).toBe(pos.volUsd);
    expect(neg.varUsd).toBe(pos.varUsd);
    // exact: Σ(−X) = −ΣX in floating point (=== so that +0 and −0 agree)
    pos.marginalVar.forEach((v, i) => expect(neg.marginalVar[i] === -v).toBe(true));
    pos.componentVar.forEach((v, i) => expect(neg.componentVar[i] === v).toBe(true));
  });
  // Powers of two scale every float exactly (also through the square root: √(c²v) = c√v), so the
  // scaled figures are bit for bit c times the base ones; an arbitrary c is tested on the
  // fixture book above, where no netting amplifies the rounding of the scaled exposures.
  ftest.prop([bookArb, fc.constantFrom(0.25, 0.5, 2, 8, 1024)], { numRuns: 150 })('scaling the book by c > 0 scales σ, VaR and components by c; marginals unchanged', (b, c) => {
    const base = { covariance: covOf(b.m, b.a), sourceIndex: b.positions.map((q) => q.source), confidence: b.confidence };
    const one = parametricContributions({ ...base, exposuresUsd: b.positions.map((q) => q.x) });
    const big = parametricContributions({ ...base, exposuresUsd: b.positions.map((q) => c * q.x) });
    expect(big.varUsd).toBe(c * one.varUsd);
    one.componentVar.forEach((v, i) => expect(big.componentVar[i] === c * v).toBe(true));
    one.marginalVar.forEach((v, i) => expect(big.marginalVar[i] === v).toBe(true));
  });
});
