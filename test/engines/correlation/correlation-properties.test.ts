import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { correlationMatrix } from '../../../engines/correlation/correlation-matrix.ts';
import { correlationPairs } from '../../../engines/correlation/correlation-pairs.ts';
import { pearson } from '../../../engines/correlation/pearson.ts';
import { correlationClusters } from '../../../engines/correlation/clustering.ts';
import { diversification } from '../../../engines/correlation/diversification.ts';
import { signAdjustedCorrelation } from '../../../engines/correlation/sign-adjusted.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';

const T = 40;
const panelArb = fc.integer({ min: 2, max: 8 }).chain((m) =>
  // returns on a 1e-5 grid: no subnormals, so an affine map cannot collapse a series to a constant
  fc.array(fc.integer({ min: -20_000, max: 20_000 }).map((v) => v / 1e5), { minLength: m * T, maxLength: m * T }).map((xs) => ({ m, data: Float64Array.from(xs) })),
).filter(({ m, data }) => Array.from({ length: m }, (_, r) => data.subarray(r * T, (r + 1) * T)).every((row) => row.some((v) => v !== row[0])));

describe('correlation matrix properties', () => {
  ftest.prop([panelArb], { numRuns: 60 })('symmetric, unit diagonal, entries in [−1, 1], PSD (λ_min ≥ −1e-10)', ({ m, data }) => {
    const names = Array.from({ length: m }, (_, i) => `S${i}`);
    const { rho } = correlationMatrix(denseMatrix(data, m, T), names, 3);
    const mat = new Matrix(m, m);
    for (let i = 0; i < m; i++) {
      expect(rho[i * m + i]).toBe(1);
      for (let j = 0; j < m; j++) {
        expect(rho[i * m + j]).toBe(rho[j * m + i]);
        expect(Math.abs(rho[i * m + j]!)).toBeLessThanOrEqual(1);
        mat.set(i, j, rho[i * m + j]!);
      }
    }
    expect(Math.min(...new EigenvalueDecomposition(mat, { assumeSymmetric: true }).realEigenvalues)).toBeGreaterThanOrEqual(-1e-10);
  });
  ftest.prop([panelArb, fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })], { numRuns: 60 })(
    'unchanged by a positive affine map a + b·x of one series',
    ({ m, data }, b, a) => {
      const names = Array.from({ length: m }, (_, i) => `S${i}`);
      const base = correlationMatrix(denseMatrix(data, m, T), names, 3).rho;
      const moved = Float64Array.from(data);
      for (let t = 0; t < T; t++) moved[t] = a + b * data[t]!;
      const after = correlationMatrix(denseMatrix(moved, m, T), names, 3).rho;
      base.forEach((v, i) => expect(Math.abs(after[i]! - v)).toBeLessThan(1e-9));
    },
  );
});

describe('fast path on a large matrix (SIMD blocks, edges and 64 × 64 mirror tiles)', () => {
  test('130 series: every entry equals the pairwise Pearson value, both triangles', () => {
    const m = 130;
    const len = 61;
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const common = Float64Array.from({ length: len }, next);
    const data = new Float64Array(m * len);
    for (let r = 0; r < m; r++) for (let t = 0; t < len; t++) data[r * len + t] = (r % 5) * 0.2 * common[t]! + next();
    const names = Array.from({ length: m }, (_, i) => `S${i}`);
    const cm = correlationMatrix(denseMatrix(data, m, len), names);
    expect(cm.fastPath).toBe(true);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const want = i === j ? 1 : pearson(data.subarray(i * len, (i + 1) * len), data.subarray(j * len, (j + 1) * len)).rho!;
        expect(Math.abs(cm.rho[i * m + j]! - want)).toBeLessThan(1e-13);
      }
    }
  });
});

describe('correlation edge cases', () => {
  const x = Float64Array.from({ length: 60 }, (_, t) => Math.sin(t));
  const y = Float64Array.from({ length: 60 }, (_, t) => Math.cos(t * 1.3));
  test('constant series → INSUFFICIENT_DATA (correlation undefined)', () => {
    const d = new Float64Array(120);
    d.set(x, 0);
    d.fill(0.01, 60);
    expect(() => correlationMatrix(denseMatrix(d, 2, 60), ['A', 'B'])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => correlationMatrix(denseMatrix(new Float64Array(120).fill(Number.NaN), 2, 60), ['A', 'B'])).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
  });
  test('one differing date at any position (tail of an odd length included) is not constant; ±Infinity counts as missing', () => {
    const T = 63;
    const y = Float64Array.from({ length: T }, (_, t) => Math.cos(t * 1.3));
    for (const at of [1, 2, 3, 4, 61, 62]) {
      const d = new Float64Array(2 * T).fill(0.25, 0, T);
      d[at] = 0.5;
      d.set(y, T);
      const cm = correlationMatrix(denseMatrix(d, 2, T), ['A', 'B']);
      expect(cm.fastPath).toBe(true);
      expect(Math.abs(cm.rho[1]! - pearson(d.subarray(0, T), y).rho!)).toBeLessThan(1e-13);
    }
    for (const [at, bad] of [[62, Number.POSITIVE_INFINITY], [5, Number.NEGATIVE_INFINITY], [0, Number.NaN]] as const) {
      const d = Float64Array.from({ length: 2 * T }, (_, k) => Math.sin(k * 0.9));
      d[at] = bad;
      const cm = correlationMatrix(denseMatrix(d, 2, T), ['A', 'B']);
      expect(cm.fastPath).toBe(false);
      expect(cm.overlap[1]).toBe(T - 1);
      expect([cm.overlap[0], cm.overlap[3]]).toEqual([T - 1, T]);
    }
  });
  test('overlap below minimum → null (NaN in the matrix), not 0', () => {
    const a = Float64Array.from(x, (v, t) => (t < 35 ? Number.NaN : v)); // 25 shared dates < 30
    const d = new Float64Array(120);
    d.set(a, 0);
    d.set(y, 60);
    const cm = correlationMatrix(denseMatrix(d, 2, 60), ['A', 'B']);
    expect(cm.rho[1]).toBeNaN();
    expect(correlationPairs(cm)).toEqual([{ a: 'A', b: 'B', rho: null, n: 25, pValue: null }]);
    expect(pearson(a, y, 20).rho).not.toBeNull();
    // a short fast-path window is also undefined
    const short = new Float64Array(40);
    short.set(x.subarray(0, 20), 0);
    short.set(y.subarray(0, 20), 20);
    expect(correlationMatrix(denseMatrix(short, 2, 20), ['A', 'B']).rho[1]).toBeNaN();
  });
  test('perfect correlation: ρ = 1, p = 0; diversification of identical series gives N = 1', () => {
    const p = pearson(x, x.map((v) => 3 * v + 1), 30);
    expect(p.rho).toBeCloseTo(1, 14);
    const d = diversification(new Float64Array([1, 1, 1, 1]), [0.5, 0.5]);
    expect(d.effectivePositions).toBe(1);
    expect(d.diversificationScore).toBe(1);
    expect(d.hhiEffectivePositions).toBe(2);
    const u = diversification(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), [1, 1, 1]);
    expect(u.effectivePositions).toBe(3);
    expect(() => diversification(new Float64Array([1]), [0])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
  test('weights are index-aligned: permuting ρ and w together leaves the metrics unchanged', () => {
    const rho = new Float64Array([1, 0.8, 0.1, 0.8, 1, 0.3, 0.1, 0.3, 1]);
    const d1 = diversification(rho, [0.6, 0.3, 0.1]);
    const perm = [2, 0, 1];
    const rho2 = Float64Array.from({ length: 9 }, (_, k) => rho[perm[Math.floor(k / 3)]! * 3 + perm[k % 3]!]!);
    const d2 = diversification(rho2, perm.map((i) => [0.6, 0.3, 0.1][i]!));
    expect(d2.effectivePositions).toBeCloseTo(d1.effectivePositions!, 14);
    expect(d2.diversificationScore).toBeCloseTo(d1.diversificationScore!, 14);
    // hand value: wᵀρw = 0.36+0.09+0.01 + 2(0.18·0.8 + 0.06·0.1 + 0.03·0.3) = 0.778
    expect(d1.effectivePositions).toBeCloseTo(1 / 0.778, 12);
  });
  test('sign adjustment flips pairs with one short; clustering reports chains only in union-find', () => {
    expect(Array.from(signAdjustedCorrelation(new Float64Array([1, 0.9, 0.9, 1]), [100, -50]))).toEqual([1, -0.9, -0.9, 1]);
    // A–B 0.75, B–C 0.75, A–C 0.1: union-find chains A-B-C, average linkage does not merge C (avg d = 0.575 > 0.3)
    const rho = new Float64Array([1, 0.75, 0.1, 0.75, 1, 0.75, 0.1, 0.75, 1]);
    const c = correlationClusters(rho, ['A', 'B', 'C'], 0.7);
    expect(c.components.map((g) => g.members)).toEqual([['A', 'B', 'C']]);
    expect(c.hierarchical).toHaveLength(1);
    expect(c.hierarchical[0]!.members).toHaveLength(2);
    expect(c.components[0]!.avgCorrelation).toBeCloseTo((0.75 + 0.75 + 0.1) / 3, 14);
    expect(c.components[0]!.memberCorrelation[1]).toBeCloseTo(0.75, 14);
  });
});

describe('caller-owned result arrays (into)', () => {
  const names = (m: number) => Array.from({ length: m }, (_, i) => `S${i}`);
  const stale = (m: number) => ({ rho: new Float64Array(m * m).fill(0.5), overlap: new Int32Array(m * m).fill(-3) });
  ftest.prop([panelArb, fc.integer({ min: 0, max: 2 })], { numRuns: 40 })(
    'same figures as a fresh result, every stale entry overwritten, on the fast, pairwise and too-short paths',
    ({ m, data }, kind) => {
      const d = Float64Array.from(data);
      if (kind === 1) d[3] = Number.NaN; // a missing date: pairwise path
      const minOverlap = kind === 2 ? T + 1 : 3; // window shorter than the minimum: all pairs undefined
      const want = correlationMatrix(denseMatrix(d, m, T), names(m), minOverlap);
      const into = stale(m);
      const got = correlationMatrix(denseMatrix(d, m, T), names(m), minOverlap, into);
      expect(got.rho).toBe(into.rho);
      expect(got.overlap).toBe(into.overlap);
      expect(got.fastPath).toBe(want.fastPath);
      expect(Array.from(got.rho)).toEqual(Array.from(want.rho));
      expect(Array.from(got.overlap)).toEqual(Array.from(want.overlap));
    },
  );
  test('one pair of arrays reused over calls on different data gives each call its own figures (130 series, SIMD path)', () => {
    const m = 130, len = 61;
    let seed = 3;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const into = stale(m);
    for (let call = 0; call < 3; call++) {
      const data = Float64Array.from({ length: m * len }, next);
      const got = correlationMatrix(denseMatrix(data, m, len), names(m), 30, into);
      expect(got.fastPath).toBe(true);
      for (const [i, j] of [[0, 1], [7, 129], [129, 7], [64, 65], [128, 129]] as const) {
        expect(Math.abs(got.rho[i * m + j]! - pearson(data.subarray(i * len, (i + 1) * len), data.subarray(j * len, (j + 1) * len)).rho!)).toBeLessThan(1e-13);
      }
      expect(Array.from(got.overlap).every((n) => n === len)).toBe(true);
    }
  });
  test('arrays of the wrong length or sharing memory with the input → INVALID_INPUT', () => {
    const data = Float64Array.from({ length: 2 * 60 }, (_, k) => Math.sin(k * 0.7));
    const dm = denseMatrix(data, 2, 60);
    const bad = (into: { rho: Float64Array; overlap: Int32Array }) => () => correlationMatrix(dm, ['A', 'B'], 30, into);
    expect(bad({ rho: new Float64Array(3), overlap: new Int32Array(4) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(bad({ rho: new Float64Array(4), overlap: new Int32Array(9) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(bad({ rho: data.subarray(0, 4), overlap: new Int32Array(4) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const shared = new ArrayBuffer(48);
    expect(bad({ rho: new Float64Array(shared, 0, 4), overlap: new Int32Array(shared, 32, 4) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
