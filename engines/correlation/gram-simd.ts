import { C, gramModuleBytes, R, UNROLL } from './gram-simd-module.ts';

/**
 * WebAssembly SIMD (f64x2) Gram product for the correlation fast path: G = Z Zᵀ, two dates per
 * instruction, kernel in `gram-simd-module.ts`. The kernel writes the full symmetric matrix
 * (upper blocks and their mirror) straight into WebAssembly memory, clipped on the way, so the
 * caller copies it out once. Its only state is that scratch memory. Without WebAssembly SIMD
 * `simdWorkspace` returns null and the caller uses the scalar kernel (`gram.ts`). Rounding
 * differs from the scalar kernel only in summation order and fusing (~1e-16 relative).
 */
/** Row padding in doubles so every row is a whole number of unrolled steps (zeros add nothing). */
const PAD = 2 * UNROLL;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface Kernel {
  strip: (xp: number, yp: number, stride: number, nBytes: number, outp: number, count: number, rowBytes: number, lo: number, hi: number) => void;
  mem: WasmMemory;
}
/** The slice of the WebAssembly JS API used here (TypeScript's ES2023 lib does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
/** Kernel variants: `fused` needs relaxed SIMD, `plain` only SIMD. */
export type SimdVariant = 'fused' | 'plain';
const kernels = new Map<SimdVariant, Kernel | null>();
function getKernel(variant: SimdVariant): Kernel | null {
  if (!kernels.has(variant)) {
    const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      kernels.set(variant, wa ? (new wa.Instance(new wa.Module(gramModuleBytes(variant === 'fused'))).exports as Kernel) : null);
    } catch {
      kernels.set(variant, null); // (relaxed) SIMD unsupported by this runtime
    }
  }
  return kernels.get(variant)!;
}

/**
 * Scratch in WebAssembly memory: input row r at `heap[r * stride, r * stride + len)`, zero-padded
 * to `stride`; the rows × rows result in `out`.
 */
export interface SimdWorkspace {
  heap: Float64Array;
  out: Float64Array;
  stride: number;
  rows: number;
  len: number;
  kernel: Kernel;
}

/**
 * Reserves WebAssembly scratch memory for `rows` rows of `len` values (padded with zeros) and
 * the rows × rows result, so a caller can write standardised rows in place without an
 * intermediate copy. Valid until the next call. Returns null when WebAssembly SIMD is unavailable.
 * @param variants kernels to try in order (default fused, then plain).
 * @example simdWorkspace(500, 252)?.stride // 252 (a multiple of 4 doubles)
 */
export function simdWorkspace(rows: number, len: number, variants: readonly SimdVariant[] = ['fused', 'plain']): SimdWorkspace | null {
  let k: Kernel | null = null;
  for (const v of variants) if (!k) k = getKernel(v);
  if (!k) return null;
  const stride = Math.ceil(len / PAD) * PAD;
  const need = (rows * stride + rows * rows) * 8;
  if (k.mem.buffer.byteLength < need) k.mem.grow(Math.ceil((need - k.mem.buffer.byteLength) / 65536));
  const heap = new Float64Array(k.mem.buffer, 0, rows * stride);
  const out = new Float64Array(k.mem.buffer, rows * stride * 8, rows * rows);
  for (let r = 0; r < rows; r++) heap.fill(0, r * stride + len, (r + 1) * stride);
  return { heap, out, stride, rows, len, kernel: k };
}

/**
 * Fills `ws.out` with the full symmetric G = Z Zᵀ of the workspace rows, each entry clipped to
 * [lo, hi]: SIMD for full 2 × 4 blocks (both triangles stored by the kernel), scalar dots for the
 * edge columns and a last odd row.
 * @example gramWorkspace(ws, -1, 1) // correlations of standardised rows, clipped to [−1, 1]
 */
export function gramWorkspace(ws: SimdWorkspace, lo = -Infinity, hi = Infinity): void {
  const { heap, out, stride: lenP, rows, len, kernel: k } = ws;
  const bytes = lenP * 8;
  const outAt = rows * lenP * 8;
  const edge = (i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < len; t++) s += heap[i * lenP + t]! * heap[j * lenP + t]!;
    out[i * rows + j] = out[j * rows + i] = Math.min(hi, Math.max(lo, s));
  };
  let i = 0;
  for (; i + R <= rows; i += R) {
    const count = Math.floor((rows - i) / C);
    if (count > 0) {
      if (lenP > 0) k.strip(i * bytes, i * bytes, bytes, bytes, outAt + (i * rows + i) * 8, count, rows * 8, lo, hi);
      else for (let a = 0; a < R; a++) for (let j = i; j < i + count * C; j++) out[(i + a) * rows + j] = out[j * rows + i + a] = Math.min(hi, Math.max(lo, 0));
    }
    for (let j = i + count * C; j < rows; j++) for (let a = 0; a < R; a++) edge(i + a, j);
  }
  for (; i < rows; i++) for (let j = i; j < rows; j++) edge(i, j);
}

/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ for the rows held in a workspace, into `out` (rows × rows;
 * the lower triangle is filled too, with the mirrored values).
 * @example gramUpperWorkspace(ws, new Float64Array(ws.rows * ws.rows))
 */
export function gramUpperWorkspace(ws: SimdWorkspace, out: Float64Array): void {
  gramWorkspace(ws);
  out.set(ws.out);
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
