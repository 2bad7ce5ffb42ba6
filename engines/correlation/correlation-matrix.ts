import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { DEFAULT_MIN_OVERLAP, pearson } from './pearson.ts';
import { gramUpper } from './gram.ts';
import { gramUpperSimd } from './gram-simd.ts';

export interface CorrelationMatrix {
  names: readonly string[];
  /** m × m row-major ρ; NaN marks an undefined pair (overlap below minimum): null in JSON, never 0. Diagonal 1. */
  rho: Float64Array;
  /** m × m row-major count of aligned observations per pair. */
  overlap: Int32Array;
  /** True when every series had every date and the one-matrix-product path was used. */
  fastPath: boolean;
}

/**
 * Pearson correlation matrix of m return series (log returns for position correlations,
 * engines.md §10) on a common date grid. `series` is m × T row-major (series × dates); NaN
 * marks a date a series does not have.
 * - Fast path (no NaN anywhere): standardise each row once, z_i = (x_i − x̄_i)/‖x_i − x̄_i‖,
 *   then ρ = Z Zᵀ in one register-blocked product — O(m²T/2) — with the WebAssembly SIMD
 *   kernel (`gram-simd.ts`) where available, else the scalar kernel (`gram.ts`).
 * - Otherwise pairwise: each pair uses the dates both have (`pearson`), with its own count.
 * Pairs with fewer than `minOverlap` aligned observations (default 30) are NaN (undefined).
 * Entries are clipped to [−1, 1]; the diagonal is exactly 1.
 * @throws EngineError INVALID_INPUT (names/rows mismatch), INSUFFICIENT_DATA when a series is
 * constant over all its observations (correlation undefined) or has fewer than 2 observations.
 * @example correlationMatrix(denseMatrix(data, 3, 252), ['AAPL', 'MSFT', 'XOM']).rho[1] // ρ(AAPL, MSFT)
 */
export function correlationMatrix(series: DenseMatrix, names: readonly string[], minOverlap = DEFAULT_MIN_OVERLAP): CorrelationMatrix {
  const { rows: m, cols: T, data } = series;
  if (names.length !== m) throw new EngineError('INVALID_INPUT', `${names.length} names for ${m} series`);
  let complete = true;
  for (let r = 0; r < m; r++) {
    let first = Number.NaN;
    let count = 0;
    let varies = false;
    for (let t = 0; t < T; t++) {
      const v = data[r * T + t]!;
      if (!Number.isFinite(v)) {
        complete = false;
        continue;
      }
      if (count === 0) first = v;
      else if (v !== first) varies = true;
      count++;
    }
    if (count < 2 || !varies) throw new EngineError('INSUFFICIENT_DATA', `series ${names[r]} is constant or too short: correlation undefined`, { series: names[r] });
  }
  const rho = new Float64Array(m * m);
  const overlap = new Int32Array(m * m);
  if (complete) {
    const z = new Float64Array(m * T);
    for (let r = 0; r < m; r++) {
      const off = r * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += data[off + t]!;
      const mean = s / T;
      let ss = 0;
      for (let t = 0; t < T; t++) {
        const d = data[off + t]! - mean;
        z[off + t] = d;
        ss += d * d;
      }
      const inv = 1 / Math.sqrt(ss);
      for (let t = 0; t < T; t++) z[off + t]! *= inv;
    }
    if (!gramUpperSimd(z, m, T, rho)) gramUpper(z, m, T, rho);
    overlap.fill(T);
    const defined = T >= minOverlap;
    for (let i = 0; i < m * m; i++) rho[i] = defined ? Math.max(-1, Math.min(1, rho[i]!)) : Number.NaN;
  } else {
    for (let i = 0; i < m; i++) {
      const xi = data.subarray(i * T, (i + 1) * T);
      for (let j = i + 1; j < m; j++) {
        const p = pearson(xi, data.subarray(j * T, (j + 1) * T), minOverlap);
        rho[i * m + j] = rho[j * m + i] = p.rho ?? Number.NaN;
        overlap[i * m + j] = overlap[j * m + i] = p.n;
      }
      let own = 0;
      for (let t = 0; t < T; t++) if (Number.isFinite(xi[t]!)) own++;
      overlap[i * m + i] = own;
    }
  }
  for (let i = 0; i < m; i++) rho[i * m + i] = 1;
  return { names, rho, overlap, fastPath: complete };
}
