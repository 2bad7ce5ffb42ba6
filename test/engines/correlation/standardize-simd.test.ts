import { describe, expect, test as plain } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { standardizedWorkspace } from '../../../engines/correlation/gram-simd.ts';

/**
 * The WebAssembly row standardisation of the correlation fast path against the definition
 * z = (x − x̄)/‖x − x̄‖ evaluated naively here (on well-conditioned rows: values of both signs
 * around a mean near 0, so both summation orders round alike to 1e-15), and its refusals (a
 * missing value, a constant row, a single date), which send the caller to the checked scalar path.
 */
function naive(x: ArrayLike<number>): number[] {
  const n = x.length;
  let s = 0;
  for (let t = 0; t < n; t++) s += x[t]!;
  const mean = s / n;
  let q = 0;
  for (let t = 0; t < n; t++) q += (x[t]! - mean) ** 2;
  return Array.from(x, (v) => (v - mean) / Math.sqrt(q));
}

describe('standardizedWorkspace (WebAssembly SIMD)', () => {
  const panel = fc.record({ rows: fc.integer({ min: 1, max: 9 }), len: fc.integer({ min: 2, max: 37 }) }).chain(({ rows, len }) =>
    fc.array(fc.integer({ min: -10_000, max: 10_000 }), { minLength: rows * len, maxLength: rows * len })
      .filter((v) => Array.from({ length: rows }, (_, r) => v.slice(r * len, (r + 1) * len)).every((row) => row.some((x) => x !== row[0])))
      .map((v) => ({ rows, len, data: Float64Array.from(v, (x) => x * 1e-4) })),
  );
  test.prop([panel], { numRuns: 150 })('every row equals (x − x̄)/‖x − x̄‖ to 1e-15 of its largest entry; padding stays zero', ({ rows, len, data }) => {
    const ws = standardizedWorkspace(data, rows, len)!;
    expect(ws).not.toBeNull();
    for (let r = 0; r < rows; r++) {
      const want = naive(data.subarray(r * len, (r + 1) * len));
      const top = Math.max(...want.map(Math.abs));
      want.forEach((v, t) => expect(Math.abs(ws.heap[r * ws.stride + t]! - v)).toBeLessThanOrEqual(1e-15 * top));
      for (let t = len; t < ws.stride; t++) expect(ws.heap[r * ws.stride + t]).toBe(0);
    }
  });
  plain('refuses a row with NaN or ±∞ anywhere (also in the tail after the last group of four), a constant row, or fewer than 2 dates', () => {
    const base = () => Float64Array.from({ length: 3 * 11 }, (_, i) => Math.sin(i));
    for (const [at, v] of [[0, Number.NaN], [12, Number.POSITIVE_INFINITY], [32, Number.NaN], [30, Number.NEGATIVE_INFINITY]] as const) {
      const d = base();
      d[at] = v;
      expect(standardizedWorkspace(d, 3, 11)).toBeNull();
    }
    const constant = base();
    constant.fill(0.25, 11, 22);
    expect(standardizedWorkspace(constant, 3, 11)).toBeNull();
    expect(standardizedWorkspace(Float64Array.of(1, 2), 2, 1)).toBeNull();
    expect(standardizedWorkspace(base(), 3, 11)).not.toBeNull();
  });
});
