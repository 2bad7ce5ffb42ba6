import { afterAll, describe, expect, test } from 'vitest';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { correlationMatrix } from '../../../engines/correlation/correlation-matrix.ts';
import { pearson } from '../../../engines/correlation/pearson.ts';

/**
 * The fast path without WebAssembly (this file's own worker: the kernel is looked up on first use,
 * so hiding `WebAssembly` before the first call selects the scalar kernel and the JavaScript
 * clip-and-mirror). Same reference as the SIMD path: pairwise Pearson on each pair.
 */
const saved = (globalThis as { WebAssembly?: unknown }).WebAssembly;
Object.defineProperty(globalThis, 'WebAssembly', { value: undefined, configurable: true, writable: true });
afterAll(() => {
  Object.defineProperty(globalThis, 'WebAssembly', { value: saved, configurable: true, writable: true });
});

describe('correlation fast path with the scalar kernel (no WebAssembly)', () => {
  test('70 series × 45 dates: both triangles equal pairwise Pearson, unit diagonal, exactly symmetric', () => {
    const m = 70, len = 45;
    let seed = 11;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const common = Float64Array.from({ length: len }, next);
    const data = new Float64Array(m * len);
    for (let r = 0; r < m; r++) for (let t = 0; t < len; t++) data[r * len + t] = (r % 4) * 0.3 * common[t]! + next();
    const cm = correlationMatrix(denseMatrix(data, m, len), Array.from({ length: m }, (_, i) => `S${i}`));
    expect(cm.fastPath).toBe(true);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const want = i === j ? 1 : pearson(data.subarray(i * len, (i + 1) * len), data.subarray(j * len, (j + 1) * len)).rho!;
        expect(Math.abs(cm.rho[i * m + j]! - want)).toBeLessThan(1e-13);
        expect(cm.rho[i * m + j]).toBe(cm.rho[j * m + i]);
      }
    }
  });
  test('identical series clip to exactly 1; fewer dates than the minimum overlap give NaN off the diagonal', () => {
    const x = Float64Array.from({ length: 40 }, (_, t) => Math.sin(t));
    const two = new Float64Array(80);
    two.set(x, 0);
    two.set(x, 40);
    expect([...correlationMatrix(denseMatrix(two, 2, 40), ['a', 'b']).rho]).toEqual([1, 1, 1, 1]);
    const short = correlationMatrix(denseMatrix(two, 2, 40), ['a', 'b'], 50).rho;
    expect([short[0], short[3]]).toEqual([1, 1]);
    expect(short[1]).toBeNaN();
  });
  test('caller-owned result arrays with stale contents: the same figures as a fresh result', () => {
    const m = 9, len = 33;
    const data = Float64Array.from({ length: m * len }, (_, k) => Math.sin(k * 0.37) + Math.cos(k * 0.11 * (k % 5)));
    const names = Array.from({ length: m }, (_, i) => `S${i}`);
    const want = correlationMatrix(denseMatrix(data, m, len), names);
    const into = { rho: new Float64Array(m * m).fill(0.5), overlap: new Int32Array(m * m).fill(-3) };
    const got = correlationMatrix(denseMatrix(data, m, len), names, 30, into);
    expect(got.fastPath).toBe(true);
    expect(got.rho).toBe(into.rho);
    expect([...got.rho]).toEqual([...want.rho]);
    expect([...got.overlap]).toEqual([...want.overlap]);
  });
});
