import { C, gramModuleBytes, R, UNROLL } from './gram-simd-module.ts';
import { standardizeModuleBytes } from './standardize-simd-module.ts';

/**
 * WebAssembly SIMD (f64x2) Gram product for the correlation fast path: G = Z Zᵀ, two dates per
 * instruction, kernel in `gram-simd-module.ts`. The kernel writes the full symmetric matrix
 * (upper blocks and their mirror) straight into WebAssembly memory, clipped on the way, so the
 * caller copies it out once (`copyGram`). Its only state is that scratch memory, grown once and
 * reused. Without WebAssembly SIMD `simdWorkspace` returns null and the caller uses the scalar
 * kernel (`gram.ts`). Rounding differs from the scalar kernel only in summation order and fusing
 * (~1e-16 relative).
 */
/** Row padding in doubles so every row is a whole number of unrolled steps (zeros add nothing). */
const PAD = 2 * UNROLL;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface Kernel {
  strip: (xp: number, yp: number, stride: number, nBytes: number, outp: number, count: number, rowBytes: number, lo: number, hi: number) => void;
  /** `standardize-simd-module.ts`, on the same memory. */
  standardize: (rawp: number, dstp: number, rows: number, len: number, stride: number) => number;
  mem: WasmMemory;
}
/** The slice of the WebAssembly JS API used here (TypeScript's ES2023 lib does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: unknown };
}
/** Kernel variants: `fused` needs relaxed SIMD, `plain` only SIMD. */
export type SimdVariant = 'fused' | 'plain';
const kernels = new Map<SimdVariant, Kernel | null>();
function getKernel(variant: SimdVariant): Kernel | null {
  if (!kernels.has(variant)) {
    const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      const gram = wa ? (new wa.Instance(new wa.Module(gramModuleBytes(variant === 'fused'))).exports as Omit<Kernel, 'standardize'>) : null;
      const std = wa && gram ? (new wa.Instance(new wa.Module(standardizeModuleBytes()), { env: { mem: gram.mem } }).exports as Pick<Kernel, 'standardize'>) : null;
      kernels.set(variant, gram && std ? { ...gram, standardize: std.standardize } : null);
    } catch {
      kernels.set(variant, null); // (relaxed) SIMD unsupported by this runtime
    }
  }
  return kernels.get(variant)!;
}

/**
 * Scratch in WebAssembly memory: input row r at `heap[r * stride, r * stride + len)`, zero-padded
 * to `stride`, followed by zero rows up to `outStride`; the result in `out`, `outStride` ×
 * `outStride` row-major, of which the leading rows × rows block is G (read it with
 * {@link copyGram}). The padding lets every kernel strip run whole 2 × 4 blocks to the last
 * column, so no entry is left to scalar code.
 */
export interface SimdWorkspace {
  heap: Float64Array;
  out: Float64Array;
  /** Room for the raw rows × len input after `out`, for {@link standardizedWorkspace}. */
  raw: Float64Array;
  stride: number;
  rows: number;
  len: number;
  /** Row stride of `out` and row count of `heap`: rows + C − 1, room for the last strip's whole blocks. */
  outStride: number;
  kernel: Kernel;
}

/**
 * Reserves WebAssembly scratch memory for `rows` rows of `len` values (padded with zeros) and
 * the padded result, so a caller can write standardised rows in place without an intermediate
 * copy. The memory is grown once and kept for later calls. Valid until the next call. Returns
 * null when WebAssembly SIMD is unavailable.
 * @param variants kernels to try in order (default fused, then plain).
 * @example simdWorkspace(500, 252)?.stride // 252 (a multiple of 4 doubles)
 */
export function simdWorkspace(rows: number, len: number, variants: readonly SimdVariant[] = ['fused', 'plain']): SimdWorkspace | null {
  let k: Kernel | null = null;
  for (const v of variants) if (!k) k = getKernel(v);
  if (!k) return null;
  const stride = Math.ceil(len / PAD) * PAD;
  const outStride = rows + C - 1;
  const rawAt = (outStride * stride + outStride * outStride) * 8;
  const need = rawAt + rows * len * 8;
  if (k.mem.buffer.byteLength < need) k.mem.grow(Math.ceil((need - k.mem.buffer.byteLength) / 65536));
  const heap = new Float64Array(k.mem.buffer, 0, outStride * stride);
  const out = new Float64Array(k.mem.buffer, outStride * stride * 8, outStride * outStride);
  const raw = new Float64Array(k.mem.buffer, rawAt, rows * len);
  for (let r = 0; r < rows; r++) heap.fill(0, r * stride + len, (r + 1) * stride);
  heap.fill(0, rows * stride);
  return { heap, out, raw, stride, rows, len, outStride, kernel: k };
}

/**
 * A workspace holding z_r = (x_r − x̄_r)/‖x_r − x̄_r‖ of every row of `data` (rows × len,
 * row-major), standardised in WebAssembly with the same arithmetic (and bits) as the scalar path of
 * `correlationMatrix`: one copy of the input in, one SIMD pass per step. Returns null when
 * WebAssembly SIMD is unavailable or some row has a missing value (NaN, ±∞), no variation, or fewer
 * than 2 values — the caller's checked path then reports or handles it.
 * @example standardizedWorkspace(returns, 500, 252) // then gramWorkspace(ws, -1, 1)
 */
export function standardizedWorkspace(data: Float64Array, rows: number, len: number): SimdWorkspace | null {
  const ws = rows > 0 ? simdWorkspace(rows, len) : null;
  if (!ws) return null;
  ws.raw.set(data.subarray(0, rows * len));
  return ws.kernel.standardize(ws.raw.byteOffset, 0, rows, len, ws.stride) === -1 ? ws : null;
}

/**
 * Fills `ws.out` with the symmetric G = Z Zᵀ of the workspace rows, each entry clipped to
 * [lo, hi]: one kernel call per pair of rows, storing both triangles (the padding rows and
 * columns receive clipped zeros and are never read).
 * @example gramWorkspace(ws, -1, 1) // correlations of standardised rows, clipped to [−1, 1]
 */
export function gramWorkspace(ws: SimdWorkspace, lo = -Infinity, hi = Infinity): void {
  const { heap, out, stride: lenP, rows, outStride: n, kernel: k } = ws;
  if (lenP === 0) {
    out.fill(Math.min(hi, Math.max(lo, 0)));
    return;
  }
  const bytes = lenP * 8;
  const outAt = heap.length * 8;
  for (let i = 0; i < rows; i += R) k.strip(i * bytes, i * bytes, bytes, bytes, outAt + (i * n + i) * 8, Math.ceil((rows - i) / C), n * 8, lo, hi);
}

/**
 * Copies G (the leading rows × rows block of `ws.out`) into `dst`, row-major rows × rows.
 * @example copyGram(ws, rho) // rho[i * ws.rows + j] = G_ij
 */
export function copyGram(ws: SimdWorkspace, dst: Float64Array): void {
  const { out, rows, outStride: n } = ws;
  for (let r = 0; r < rows; r++) dst.set(out.subarray(r * n, r * n + rows), r * rows);
}

/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ for the rows held in a workspace, into `out` (rows × rows;
 * the lower triangle is filled too, with the mirrored values).
 * @example gramUpperWorkspace(ws, new Float64Array(ws.rows * ws.rows))
 */
export function gramUpperWorkspace(ws: SimdWorkspace, out: Float64Array): void {
  gramWorkspace(ws);
  copyGram(ws, out);
}

/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ (Z row-major rows × len) into `out` (rows × rows; the
 * lower triangle is filled with the mirror). Copies Z into a workspace, then {@link gramWorkspace}.
 * @returns false (and leaves `out` untouched) when WebAssembly SIMD is unavailable.
 * @example gramUpperSimd(Float64Array.of(1, 2, 3, 4), 2, 2, out) // true; out = [5, 11, 11, 25]
 */
export function gramUpperSimd(
  z: Float64Array, rows: number, len: number, out: Float64Array,
  variants: readonly SimdVariant[] = ['fused', 'plain'],
): boolean {
  const ws = simdWorkspace(rows, len, variants);
  if (!ws) return false;
  for (let r = 0; r < rows; r++) ws.heap.set(z.subarray(r * len, (r + 1) * len), r * ws.stride);
  gramUpperWorkspace(ws, out);
  return true;
}
