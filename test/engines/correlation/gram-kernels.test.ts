import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { gramUpper } from '../../../engines/correlation/gram.ts';
import { copyGram, gramUpperSimd, gramWorkspace, simdWorkspace } from '../../../engines/correlation/gram-simd.ts';

/** Naive Σ_t z_it z_jt, the definition both kernels must reproduce. */
function naive(z: Float64Array, rows: number, len: number): Float64Array {
  const out = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) {
    let s = 0;
    for (let t = 0; t < len; t++) s += z[i * len + t]! * z[j * len + t]!;
    out[i * rows + j] = s;
  }
  return out;
}

describe('Gram kernels (Z Zᵀ) of the correlation fast path', () => {
  const shape = fc.record({ rows: fc.integer({ min: 1, max: 17 }), len: fc.integer({ min: 0, max: 23 }) }).chain(({ rows, len }) =>
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: rows * len, maxLength: rows * len }).map((v) => ({ rows, len, z: Float64Array.from(v) })),
  );
  test.prop([shape], { numRuns: 150 })('scalar 4×3 kernel and both WebAssembly SIMD kernels (relaxed FMA, plain) equal the naive product (odd lengths and edge blocks included)', ({ rows, len, z }) => {
    const want = naive(z, rows, len);
    const scalar = new Float64Array(rows * rows);
    gramUpper(z, rows, len, scalar);
    const fused = new Float64Array(rows * rows);
    const plain = new Float64Array(rows * rows);
    expect(gramUpperSimd(z, rows, len, fused, ['fused'])).toBe(true);
    expect(gramUpperSimd(z, rows, len, plain, ['plain'])).toBe(true);
    want.forEach((v, i) => {
      const r = Math.floor(i / rows), c = i % rows;
      // SIMD kernels fill both triangles, exactly symmetric; the scalar kernel fills the upper one (j ≥ i)
      expect(Math.abs(fused[i]! - v)).toBeLessThanOrEqual(1e-13 * Math.max(1, len));
      expect(Math.abs(plain[i]! - v)).toBeLessThanOrEqual(1e-13 * Math.max(1, len));
      expect([fused[i], plain[i]]).toEqual([fused[c * rows + r], plain[c * rows + r]]);
      if (c >= r) expect(Math.abs(scalar[i]! - v)).toBeLessThanOrEqual(1e-13 * Math.max(1, len));
    });
  });
  test.prop([shape], { numRuns: 60 })('gramWorkspace clips every entry to [lo, hi] in both triangles', ({ rows, len, z }) => {
    const want = naive(z, rows, len);
    const ws = simdWorkspace(rows, len)!;
    for (let r = 0; r < rows; r++) ws.heap.set(z.subarray(r * len, (r + 1) * len), r * ws.stride);
    gramWorkspace(ws, -0.5, 0.5);
    const got = new Float64Array(rows * rows);
    copyGram(ws, got);
    want.forEach((v, i) => expect(Math.abs(got[i]! - Math.min(0.5, Math.max(-0.5, v)))).toBeLessThanOrEqual(1e-13 * Math.max(1, len)));
  });
  test('SIMD kernels are available on Node 24 (the fast path the benchmark measures)', () => {
    expect(gramUpperSimd(new Float64Array([1, 2, 3, 4]), 2, 2, new Float64Array(4))).toBe(true);
  });
});
