import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { DEFAULT_MIN_OVERLAP, pearson } from './pearson.ts';
import { gramUpper } from './gram.ts';
import { copyGram, gramWorkspace, simdWorkspace, standardizedWorkspace, type SimdWorkspace } from './gram-simd.ts';

export interface CorrelationMatrix {
  names: readonly string[];
  /** m × m row-major ρ; NaN marks an undefined pair (overlap below minimum): null in JSON, never 0. Diagonal 1. */
  rho: Float64Array;
  /**
   * m × m row-major count of aligned observations per pair. On complete data (every pair T) a
   * fresh result builds it on first read; it is then the same array on every read.
   */
  overlap: Int32Array;
  /** True when every series had every date and the one-matrix-product path was used. */
  fastPath: boolean;
}

/**
 * Caller-owned result arrays for {@link correlationMatrix}, each of length m × m. Passing the same
 * pair to every call makes the call allocate nothing large: without it each call returns a fresh
 * 2 MB `rho` and 1 MB `overlap` (m = 500), which V8 frees only at a later garbage collection, so a
 * caller computing many matrices pays for collections triggered by that external memory and for
 * page faults when the allocator hands the freed pages back to the system and takes new ones.
 */
export interface CorrelationBuffers {
  rho: Float64Array;
  overlap: Int32Array;
}

/**
 * Pearson correlation matrix of m return series (log returns for position correlations,
 * engines.md §10) on a common date grid. `series` is m × T row-major (series × dates); NaN
 * marks a date a series does not have.
 * - Fast path (no NaN anywhere): standardise each row once, z_i = (x_i − x̄_i)/‖x_i − x̄_i‖,
 *   then ρ = Z Zᵀ in one register-blocked product — O(m²T/2) — with the WebAssembly SIMD
 *   kernel (`gram-simd.ts`, which also clips and mirrors) where available, else the scalar
 *   kernel (`gram.ts`). Single-threaded and synchronous.
 * - Otherwise pairwise: each pair uses the dates both have (`pearson`), with its own count.
 * Pairs with fewer than `minOverlap` aligned observations (default 30) are NaN (undefined).
 * Entries are clipped to [−1, 1]; the diagonal is exactly 1.
 * With `into`, the result is written into (and returned as) the caller's arrays, every entry
 * overwritten; the returned `rho`/`overlap` are then `into.rho`/`into.overlap` themselves.
 * @throws EngineError INVALID_INPUT (names/rows mismatch, `into` arrays not of length m × m or
 * sharing memory with the input), INSUFFICIENT_DATA when a series is constant over all its
 * observations (correlation undefined) or has fewer than 2 observations.
 * @example correlationMatrix(denseMatrix(data, 3, 252), ['AAPL', 'MSFT', 'XOM']).rho[1] // ρ(AAPL, MSFT)
 * @example
 * const into = { rho: new Float64Array(500 * 500), overlap: new Int32Array(500 * 500) };
 * for (const day of days) correlationMatrix(day.returns, day.names, 30, into).rho === into.rho // true
 */
export function correlationMatrix(series: DenseMatrix, names: readonly string[], minOverlap = DEFAULT_MIN_OVERLAP, into?: CorrelationBuffers): CorrelationMatrix {
  const { rows: m, cols: T } = series;
  if (names.length !== m) throw new EngineError('INVALID_INPUT', `${names.length} names for ${m} series`);
  if (into) checkInto(into, m, series.data);
  const means = new Float64Array(m);
  // Complete data standardised in WebAssembly, else checked (and standardised later) in JavaScript.
  const pre = standardizedWorkspace(series.data, m, T);
  const complete = pre !== null || checkSeries(series, names, means);
  if (complete && !into) {
    // Complete data: every pair overlaps on all T dates. The uniform overlap matrix is built only
    // when a caller reads it (most read ρ alone), sparing a 4·m² byte allocation per call.
    const rho = fastRho(series, means, T >= minOverlap, undefined, pre);
    for (let i = 0; i < m; i++) rho[i * m + i] = 1;
    let overlap: Int32Array | undefined;
    return {
      names, rho, fastPath: true,
      get overlap(): Int32Array {
        return (overlap ??= new Int32Array(m * m).fill(T));
      },
    };
  }
  const overlap = into?.overlap ?? new Int32Array(m * m);
  let rho: Float64Array;
  if (complete) {
    rho = fastRho(series, means, T >= minOverlap, into?.rho, pre);
    overlap.fill(T);
  } else {
    rho = into?.rho ?? new Float64Array(m * m);
    pairwise(series, minOverlap, rho, overlap);
  }
  for (let i = 0; i < m; i++) rho[i * m + i] = 1;
  return { names, rho, overlap, fastPath: complete };
}

/** Rejects caller buffers of the wrong length or sharing memory with the input (which they would overwrite). */
function checkInto({ rho, overlap }: CorrelationBuffers, m: number, data: Float64Array): void {
  if (rho.length !== m * m || overlap.length !== m * m) {
    throw new EngineError('INVALID_INPUT', `result arrays of length ${rho.length} and ${overlap.length} for ${m} series: need ${m * m} each`);
  }
  if (rho.buffer === data.buffer || overlap.buffer === data.buffer || rho.buffer === overlap.buffer) {
    throw new EngineError('INVALID_INPUT', 'result arrays must not share memory with the input or with each other');
  }
}

/**
 * Complete-data path: standardised rows in the kernel's WebAssembly memory (kept and reused across
 * calls; `pre` when already standardised there, else written straight into it from `means`), the
 * SIMD kernel storing the whole symmetric matrix clipped to [−1, 1], then one copy out into `into`
 * or a fresh array. Without WebAssembly SIMD: scalar kernel, then clip and mirror. When
 * T < minOverlap every off-diagonal pair is undefined (NaN).
 */
function fastRho(series: DenseMatrix, means: Float64Array, defined: boolean, into: Float64Array | undefined, pre: SimdWorkspace | null): Float64Array {
  const { rows: m, cols: T } = series;
  const ws = pre ?? simdWorkspace(m, T);
  let rho: Float64Array;
  if (ws) {
    if (!pre) standardizeRows(series, means, ws.heap, ws.stride);
    gramWorkspace(ws, -1, 1);
    rho = into ?? new Float64Array(m * m);
    copyGram(ws, rho);
  } else {
    const z = new Float64Array(m * T);
    standardizeRows(series, means, z, T);
    rho = into ?? new Float64Array(m * m);
    gramUpper(z, m, T, rho);
    clipAndMirror(rho, m);
  }
  if (!defined) rho.fill(Number.NaN);
  return rho;
}

/**
 * Throws INSUFFICIENT_DATA for a constant or < 2-value series; returns true when no value is
 * missing, in which case `means` holds each row's mean. Each row is first scanned with four
 * partial sums (independent additions, so the scan is not bound by one addition's latency), a
 * probe that becomes NaN on any NaN or ±Infinity, and a flag for any value unlike the first;
 * only a row with a missing value is scanned again value by value.
 */
function checkSeries({ rows: m, cols: T, data }: DenseMatrix, names: readonly string[], means: Float64Array): boolean {
  let complete = true;
  for (let r = 0; r < m; r++) {
    const start = r * T;
    const end = start + T;
    const first = data[start]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, probe = 0, varies = 0;
    let t = start;
    for (; t + 3 < end; t += 4) {
      const a = data[t]!, b = data[t + 1]!, c = data[t + 2]!, d = data[t + 3]!;
      s0 += a; s1 += b; s2 += c; s3 += d;
      probe += a - a + (b - b) + (c - c) + (d - d);
      varies |= +(a !== first) | +(b !== first) | +(c !== first) | +(d !== first);
    }
    for (; t < end; t++) {
      const a = data[t]!;
      s0 += a;
      probe += a - a;
      varies |= +(a !== first);
    }
    let count = T;
    let sum = s0 + s1 + (s2 + s3);
    if (probe !== 0) {
      complete = false; // NaN or ±Infinity: missing; mean and variation of the values present
      count = 0;
      sum = 0;
      varies = 0;
      let seen = Number.NaN;
      for (t = start; t < end; t++) {
        const v = data[t]!;
        if (v - v !== 0) continue;
        sum += v;
        if (count++ === 0) seen = v;
        else if (v !== seen) varies = 1;
      }
    }
    means[r] = sum / count;
    if (count < 2 || !varies) throw new EngineError('INSUFFICIENT_DATA', `series ${names[r]} is constant or too short: correlation undefined`, { series: names[r] });
  }
  return complete;
}

/**
 * Writes z_r = (x_r − x̄_r)/‖x_r − x̄_r‖ for every (complete) row into `z` at row stride `stride`;
 * the sum of squares in four partial sums, as in `checkSeries`.
 */
function standardizeRows({ rows: m, cols: T, data }: DenseMatrix, means: Float64Array, z: Float64Array, stride: number): void {
  for (let r = 0; r < m; r++) {
    const src = r * T;
    const dst = r * stride;
    const mean = means[r]!;
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    let t = 0;
    for (; t + 3 < T; t += 4) {
      const a = data[src + t]! - mean, b = data[src + t + 1]! - mean, c = data[src + t + 2]! - mean, d = data[src + t + 3]! - mean;
      z[dst + t] = a; z[dst + t + 1] = b; z[dst + t + 2] = c; z[dst + t + 3] = d;
      q0 += a * a; q1 += b * b; q2 += c * c; q3 += d * d;
    }
    for (; t < T; t++) {
      const a = data[src + t]! - mean;
      z[dst + t] = a;
      q0 += a * a;
    }
    const inv = 1 / Math.sqrt(q0 + q1 + (q2 + q3));
    for (t = 0; t < T; t++) z[dst + t]! *= inv;
  }
}

/** Clips the upper triangle to [−1, 1] and mirrors it, in 64 × 64 tiles for cache locality. */
function clipAndMirror(rho: Float64Array, m: number): void {
  const B = 64;
  for (let ib = 0; ib < m; ib += B) {
    for (let jb = ib; jb < m; jb += B) {
      for (let i = ib; i < Math.min(ib + B, m); i++) {
        for (let j = Math.max(jb, i + 1); j < Math.min(jb + B, m); j++) {
          const v = Math.max(-1, Math.min(1, rho[i * m + j]!));
          rho[i * m + j] = v;
          rho[j * m + i] = v;
        }
      }
    }
  }
}

/** Pairwise-complete path: each pair on the dates both series have. */
function pairwise({ rows: m, cols: T, data }: DenseMatrix, minOverlap: number, rho: Float64Array, overlap: Int32Array): void {
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
