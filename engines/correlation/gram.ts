/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ for Z row-major `rows × len`, mirrored into a full
 * `rows × rows` row-major output. Register-blocked 2 × 4 dot-product kernel (each z value
 * loaded once per 8 multiply-adds); internal helper of the correlation fast path.
 */
export function gramUpper(z: Float64Array, rows: number, len: number, out: Float64Array): void {
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    let j = i;
    for (; j + 3 < rows; j += 4) {
      const b0 = j * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let t = 0; t < len; t++) {
        const x0 = z[a0 + t]!, x1 = z[a1 + t]!;
        const y0 = z[b0 + t]!, y1 = z[b1 + t]!, y2 = z[b2 + t]!, y3 = z[b3 + t]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      const r0 = i * rows, r1 = r0 + rows;
      out[r0 + j] = c00; out[r0 + j + 1] = c01; out[r0 + j + 2] = c02; out[r0 + j + 3] = c03;
      out[r1 + j] = c10; out[r1 + j + 1] = c11; out[r1 + j + 2] = c12; out[r1 + j + 3] = c13;
    }
    for (; j < rows; j++) {
      const b0 = j * len;
      let c0 = 0, c1 = 0;
      for (let t = 0; t < len; t++) {
        const y = z[b0 + t]!;
        c0 += z[a0 + t]! * y;
        c1 += z[a1 + t]! * y;
      }
      out[i * rows + j] = c0;
      out[(i + 1) * rows + j] = c1;
    }
  }
  for (; i < rows; i++) {
    for (let j = i; j < rows; j++) {
      let c = 0;
      for (let t = 0; t < len; t++) c += z[i * len + t]! * z[j * len + t]!;
      out[i * rows + j] = c;
    }
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < r; c++) out[r * rows + c] = out[c * rows + r]!;
}
