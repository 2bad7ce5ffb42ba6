import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { olsFit } from '../../../engines/regression/ols.ts';
import { ridgeFit } from '../../../engines/regression/ridge.ts';
import { univariateOls } from '../../../engines/regression/univariate-ols.ts';
import { batchFactorBetas } from '../../../engines/regression/batch-factor-betas.ts';
import { fromColumns } from '../../../engines/common/dense-matrix.ts';

/** Deterministic mulberry32 PRNG so noise is seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
function panel(seed: number, n: number, k: number) {
  const r = rng(seed);
  return Array.from({ length: k }, () => Float64Array.from({ length: n }, () => 0.01 * gaussian(r)));
}

const betaArb = fc
  .array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 7 })
  .filter((b) => b.some((v) => Math.abs(v) > 1e-3)); // all-zero betas make y constant (tested separately)

describe('OLS recovers planted betas', () => {
  ftest.prop([betaArb, fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.integer({ min: 1, max: 1e6 })], { numRuns: 40 })(
    'exactly (1e-9) on noise-free data',
    (betas, alpha, seed) => {
      const cols = panel(seed, 252, betas.length);
      const y = Float64Array.from({ length: 252 }, (_, i) => alpha + betas.reduce((s, b, j) => s + b * cols[j]![i]!, 0));
      const fit = olsFit(fromColumns(cols), y);
      betas.forEach((b, j) => expect(Math.abs(fit.coefficients[j]! - b)).toBeLessThan(1e-9));
      expect(Math.abs(fit.intercept - alpha)).toBeLessThan(1e-9);
    },
  );
  ftest.prop([betaArb, fc.integer({ min: 1, max: 1e6 })], { numRuns: 40 })('within 0.02 with seeded noise (σ_ε = 0.1 σ_x, n = 2520)', (betas, seed) => {
    const n = 2520;
    const cols = panel(seed, n, betas.length);
    const r = rng(seed + 7);
    const y = Float64Array.from({ length: n }, (_, i) => betas.reduce((s, b, j) => s + b * cols[j]![i]!, 0) + 0.001 * gaussian(r));
    const fit = olsFit(fromColumns(cols), y);
    betas.forEach((b, j) => expect(Math.abs(fit.coefficients[j]! - b)).toBeLessThan(0.02));
  });
});

describe('OLS edge cases', () => {
  const cols = panel(11, 100, 2);
  const y = Float64Array.from({ length: 100 }, (_, i) => 0.5 * cols[0]![i]! + 0.01 * Math.sin(i));
  test('duplicate column → SINGULAR_MATRIX', () => {
    expect(() => olsFit(fromColumns([cols[0]!, cols[1]!, cols[0]!]), y)).toThrow(expect.objectContaining({ code: 'SINGULAR_MATRIX' }));
  });
  test('exact linear combination → SINGULAR_MATRIX; constant regressor → SINGULAR_MATRIX', () => {
    const combo = cols[0]!.map((v, i) => 2 * v - 3 * cols[1]![i]!);
    expect(() => olsFit(fromColumns([cols[0]!, cols[1]!, combo]), y)).toThrow(expect.objectContaining({ code: 'SINGULAR_MATRIX' }));
    expect(() => olsFit(fromColumns([cols[0]!, new Float64Array(100).fill(0.01)]), y)).toThrow(expect.objectContaining({ code: 'SINGULAR_MATRIX' }));
  });
  test('short history (59 < 60) → INSUFFICIENT_DATA; constant y → INSUFFICIENT_DATA', () => {
    expect(() => olsFit(fromColumns([cols[0]!.subarray(0, 59)]), y.subarray(0, 59))).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => olsFit(fromColumns([cols[0]!]), new Float64Array(100).fill(0.02))).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
  });
  test('NaN or empty input → typed errors', () => {
    const bad = Float64Array.from(y);
    bad[5] = Number.NaN;
    expect(() => olsFit(fromColumns([cols[0]!]), bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => olsFit(fromColumns([new Float64Array(0)]), new Float64Array(0))).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => olsFit(fromColumns([cols[0]!]), y.subarray(1))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('univariate closed form, ridge and batch agree with the QR solver', () => {
  const cols = panel(5, 300, 3);
  const r = rng(99);
  const y = Float64Array.from({ length: 300 }, (_, i) => 0.001 + 1.1 * cols[0]![i]! - 0.4 * cols[1]![i]! + 0.2 * cols[2]![i]! + 0.004 * gaussian(r));
  test('univariate OLS equals olsFit with one regressor (β, SE, R², t)', () => {
    const u = univariateOls(cols[0]!, y);
    const m = olsFit(fromColumns([cols[0]!]), y);
    expect(u.beta).toBeCloseTo(m.coefficients[0]!, 12);
    expect(u.betaStandardError).toBeCloseTo(m.standardErrors[0]!, 12);
    expect(u.rSquared).toBeCloseTo(m.rSquared, 12);
    expect(u.alpha).toBeCloseTo(m.intercept, 12);
    expect(u.pValue).toBeCloseTo(m.pValues[0]!, 12);
    expect(() => univariateOls(new Float64Array(100).fill(1), y.subarray(0, 100))).toThrow(expect.objectContaining({ code: 'SINGULAR_MATRIX' }));
  });
  test('ridge with α = 0 equals OLS; α > 0 shrinks the standardised coefficient norm', () => {
    const x = fromColumns(cols);
    const ols = olsFit(x, y);
    const r0 = ridgeFit(x, y, 0);
    r0.coefficients.forEach((b, j) => expect(b).toBeCloseTo(ols.coefficients[j]!, 10));
    const r1 = ridgeFit(x, y, 10);
    const norm = (a: Float64Array) => Math.hypot(...a);
    expect(norm(r1.standardizedCoefficients)).toBeLessThan(norm(r0.standardizedCoefficients));
    // closed form for a single standardised regressor: b = Σz y_c / (Σz² + α) with Σz² = n
    const one = ridgeFit(fromColumns([cols[0]!]), y, 5);
    const o = olsFit(fromColumns([cols[0]!]), y);
    const n = 300;
    expect(one.standardizedCoefficients[0]! * (n + 5)).toBeCloseTo(o.coefficients[0]! * Math.sqrt(o.vif[0]!) * stdPop(cols[0]!) * n, 8);
    expect(() => ridgeFit(x, y, -1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
  test('batched betas (one QR for all positions) equal per-position olsFit', () => {
    const P = 5;
    const ys = Array.from({ length: P }, (_, p) => y.map((v, i) => v * (p + 1) + 0.003 * Math.cos(i * (p + 2))));
    const flat = new Float64Array(P * 300);
    ys.forEach((v, p) => flat.set(v, p * 300));
    const b = batchFactorBetas({ factors: fromColumns(cols), returns: flat, positions: P });
    ys.forEach((v, p) => {
      const m = olsFit(fromColumns(cols), v);
      for (let j = 0; j < 3; j++) {
        expect(b.betas[p * 3 + j]!).toBeCloseTo(m.coefficients[j]!, 12);
        expect(b.standardErrors[p * 3 + j]! / m.standardErrors[j]!).toBeCloseTo(1, 10);
      }
      expect(b.rSquared[p]!).toBeCloseTo(m.rSquared, 12);
      expect(b.intercepts[p]!).toBeCloseTo(m.intercept, 12);
    });
  });
  test('batched betas with more than 8 factors (generic path) equal olsFit', () => {
    const wide = panel(21, 300, 9);
    const r = rng(5);
    const ys = [0, 1].map(() => Float64Array.from({ length: 300 }, (_, i) => wide.reduce((s, c, j) => s + (j - 4) * 0.1 * c[i]!, 0) + 0.004 * gaussian(r)));
    const flat = new Float64Array(600);
    ys.forEach((v, p) => flat.set(v, p * 300));
    const b = batchFactorBetas({ factors: fromColumns(wide), returns: flat, positions: 2 });
    ys.forEach((v, p) => {
      const m = olsFit(fromColumns(wide), v);
      for (let j = 0; j < 9; j++) expect(b.betas[p * 9 + j]!).toBeCloseTo(m.coefficients[j]!, 12);
      expect(b.rSquared[p]!).toBeCloseTo(m.rSquared, 12);
    });
  });
  test('batch marks constant and NaN positions invalid instead of failing the run', () => {
    const flat = new Float64Array(3 * 300);
    flat.set(y, 0);
    flat.fill(0.01, 300, 600);
    flat.set(y, 600);
    flat[700] = Number.NaN;
    const b = batchFactorBetas({ factors: fromColumns(cols), returns: flat, positions: 3 });
    expect(b.invalidPositions).toEqual([1, 2]);
    expect(b.betas[3]).toBeNaN();
    expect(Number.isFinite(b.betas[0]!)).toBe(true);
    expect(() => batchFactorBetas({ factors: fromColumns(cols.map((c) => c.subarray(0, 40))), returns: new Float64Array(40), positions: 1 })).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_DATA' }),
    );
  });
});

function stdPop(x: Float64Array): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
}
