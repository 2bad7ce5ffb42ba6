function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t]! * b[t]!;
  return s;
}

/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ for Z row-major `rows × len`, written into a
 * `rows × rows` row-major output (entries below the diagonal are unspecified: the caller mirrors). Internal helper of the correlation fast path.
 * Register-blocked 4 × 3 dot-product kernel over per-row subarrays (12 accumulators, 7 loads per
 * 12 multiply-adds; the block shape that fits x64's 16 float registers in V8 — measured
 * fastest among 2×4, 3×4, 3×5, 4×4 and 4×3 on the 500 × 252 benchmark).
 */
export function gramUpper(z: Float64Array, rows: number, len: number, out: Float64Array): void {
  const r = Array.from({ length: rows }, (_, i) => z.subarray(i * len, (i + 1) * len));
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const xa = r[i]!, xb = r[i + 1]!, xc = r[i + 2]!, xd = r[i + 3]!;
    let j = i;
    for (; j + 2 < rows; j += 3) {
      const ya = r[j]!, yb = r[j + 1]!, yc = r[j + 2]!;
      let a0 = 0, a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0, c0 = 0, c1 = 0, c2 = 0, d0 = 0, d1 = 0, d2 = 0;
      for (let t = 0; t < len; t++) {
        const y0 = ya[t]!, y1 = yb[t]!, y2 = yc[t]!;
        let x = xa[t]!;
        a0 += x * y0; a1 += x * y1; a2 += x * y2;
        x = xb[t]!;
        b0 += x * y0; b1 += x * y1; b2 += x * y2;
        x = xc[t]!;
        c0 += x * y0; c1 += x * y1; c2 += x * y2;
        x = xd[t]!;
        d0 += x * y0; d1 += x * y1; d2 += x * y2;
      }
      const o = i * rows + j;
      out[o] = a0; out[o + 1] = a1; out[o + 2] = a2;
      out[o + rows] = b0; out[o + rows + 1] = b1; out[o + rows + 2] = b2;
      out[o + 2 * rows] = c0; out[o + 2 * rows + 1] = c1; out[o + 2 * rows + 2] = c2;
      out[o + 3 * rows] = d0; out[o + 3 * rows + 1] = d1; out[o + 3 * rows + 2] = d2;
    }
    for (; j < rows; j++) for (let a = 0; a < 4; a++) out[(i + a) * rows + j] = dot(r[i + a]!, r[j]!);
  }
  for (; i < rows; i++) for (let j = i; j < rows; j++) out[i * rows + j] = dot(r[i]!, r[j]!);
}
