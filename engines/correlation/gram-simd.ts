/**
 * WebAssembly SIMD (f64x2) block kernel for the correlation fast path: the same computation as
 * `gramUpper` (G = Z Zᵀ), two dates per instruction. The module (a few hundred bytes) is
 * assembled below from its opcodes, so no build step or binary file is needed; its only state is
 * a scratch linear memory. Blocks are 2 × 4 rows with the date loop unrolled twice (the fastest
 * of 4×3, 3×3, 2×4, 3×2, 2×2 measured on the 500 × 252 benchmark); the multiply-add uses
 * `f64x2.relaxed_madd` (fused where the CPU has FMA) and falls back to `f64x2.mul` + `f64x2.add`
 * when relaxed SIMD is missing. Without WebAssembly SIMD `gramUpperSimd` returns false and the
 * caller uses the scalar kernel. Rounding differs from the scalar kernel only in summation order
 * and fusing (~1e-16 relative).
 */
const I32 = 0x7f;
const V128 = 0x7b;
const R = 2;
const C = 4;
const UNROLL = 2;
/** Row padding in doubles so every row is a whole number of unrolled steps (zeros add nothing). */
const PAD = 2 * UNROLL;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
/** Signed LEB128 (i32.const immediates). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const str = (s: string) => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * strip(xp, yp, stride, nBytes, outp, count): for b = 0 … count − 1, the R × C dot products of
 * rows xp.. with rows (yp + b·C·stride).., stored as R·C doubles at outp + 8·R·C·b (byte
 * addresses). One call per x-row pair keeps JS↔wasm transitions out of the inner loops.
 */
function moduleBytes(fused: boolean): Uint8Array {
  const [XP, YP, STRIDE, NB, OUTP, COUNT, OFF] = [0, 1, 2, 3, 4, 5, 6];
  const xp = [XP, ...Array.from({ length: R - 1 }, (_, r) => 7 + r)];
  const yp = [YP, ...Array.from({ length: C - 1 }, (_, c) => 7 + R - 1 + c)];
  const acc = 7 + R - 1 + C - 1;
  const X = acc + R * C;
  const Y = X + 1;
  const code: number[] = [];
  for (let r = 1; r < R; r++) code.push(...get(xp[r - 1]!), ...get(STRIDE), 0x6a, ...set(xp[r]!));
  code.push(0x03, 0x40); // loop over blocks
  for (let c = 1; c < C; c++) code.push(...get(yp[c - 1]!), ...get(STRIDE), 0x6a, ...set(yp[c]!));
  for (let a = 0; a < R * C; a++) code.push(0xfd, 0x0c, ...new Array<number>(16).fill(0), ...set(acc + a)); // acc = 0
  code.push(0x41, 0x00, ...set(OFF));
  code.push(0x03, 0x40); // loop over dates
  for (let u = 0; u < UNROLL; u++) {
    const load = [0xfd, 0x00, 0x03, ...leb(16 * u)]; // v128.load align=8 offset=16u
    yp.forEach((p, c) => code.push(...get(p), ...get(OFF), 0x6a, ...load, ...set(Y + c)));
    xp.forEach((p, r) => {
      code.push(...get(p), ...get(OFF), 0x6a, ...load, ...set(X));
      for (let c = 0; c < C; c++) {
        const a = acc + r * C + c;
        if (fused) code.push(...get(X), ...get(Y + c), ...get(a), 0xfd, 0x87, 0x02, ...set(a)); // relaxed_madd
        else code.push(...get(a), ...get(X), ...get(Y + c), 0xfd, 0xf2, 0x01, 0xfd, 0xf0, 0x01, ...set(a)); // mul, add
      }
    });
  }
  // off += 16·UNROLL; br_if (off < nBytes); end
  code.push(...get(OFF), 0x41, ...sleb(16 * UNROLL), 0x6a, 0x22, OFF, ...get(NB), 0x49, 0x0d, 0x00, 0x0b);
  for (let k = 0; k < R * C; k++) {
    // f64.store(outp + 8k, lane0(acc_k) + lane1(acc_k))
    code.push(...get(OUTP), ...get(acc + k), 0xfd, 0x21, 0x00, ...get(acc + k), 0xfd, 0x21, 0x01, 0xa0, 0x39, 0x03, ...leb(8 * k));
  }
  // outp += 8·R·C; yp += C·stride; count −= 1; br_if (count ≠ 0); end
  code.push(...get(OUTP), 0x41, ...sleb(8 * R * C), 0x6a, ...set(OUTP));
  code.push(...get(YP), ...get(STRIDE), 0x41, ...sleb(C), 0x6c, 0x6a, ...set(YP));
  code.push(...get(COUNT), 0x41, 0x01, 0x6b, 0x22, COUNT, 0x0d, 0x00, 0x0b);
  code.push(0x0b);
  const body = [...vec([[1 + R - 1 + C - 1, I32], [R * C + 1 + C, V128]]), ...code];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(3, vec([[0x00]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...str('strip'), 0x00, 0x00], [...str('mem'), 0x02, 0x00]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ]);
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface Kernel {
  strip: (xp: number, yp: number, stride: number, nBytes: number, outp: number, count: number) => void;
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
      kernels.set(variant, wa ? (new wa.Instance(new wa.Module(moduleBytes(variant === 'fused'))).exports as Kernel) : null);
    } catch {
      kernels.set(variant, null); // (relaxed) SIMD unsupported by this runtime
    }
  }
  return kernels.get(variant)!;
}

/** Scratch rows in WebAssembly memory: row r occupies `heap[r * stride, r * stride + len)`, zero-padded to `stride`. */
export interface SimdWorkspace {
  heap: Float64Array;
  stride: number;
  rows: number;
  len: number;
  kernel: Kernel;
}

/**
 * Reserves WebAssembly scratch memory for `rows` rows of `len` values (padded with zeros), so a
 * caller can write standardised rows in place without an intermediate copy. Valid until the
 * next call. Returns null when WebAssembly SIMD is unavailable.
 * @param variants kernels to try in order (default fused, then plain).
 */
export function simdWorkspace(rows: number, len: number, variants: readonly SimdVariant[] = ['fused', 'plain']): SimdWorkspace | null {
  let k: Kernel | null = null;
  for (const v of variants) if (!k) k = getKernel(v);
  if (!k) return null;
  const stride = Math.ceil(len / PAD) * PAD;
  const need = (rows * stride + R * C * Math.ceil(rows / C)) * 8;
  if (k.mem.buffer.byteLength < need) k.mem.grow(Math.ceil((need - k.mem.buffer.byteLength) / 65536));
  const heap = new Float64Array(k.mem.buffer, 0, rows * stride + R * C * Math.ceil(rows / C));
  for (let r = 0; r < rows; r++) heap.fill(0, r * stride + len, (r + 1) * stride);
  return { heap, stride, rows, len, kernel: k };
}

/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ for the rows held in a workspace, into `out` (rows × rows;
 * entries below the diagonal unspecified): SIMD for full 2 × 4 blocks, scalar dots at the edges.
 */
export function gramUpperWorkspace(ws: SimdWorkspace, out: Float64Array): void {
  const { heap, stride: lenP, rows, len, kernel: k } = ws;
  const resAt = rows * lenP;
  const stride = lenP * 8;
  const dot = (a: number, b: number) => {
    let s = 0;
    for (let t = 0; t < len; t++) s += heap[a * lenP + t]! * heap[b * lenP + t]!;
    return s;
  };
  let i = 0;
  for (; i + R <= rows; i += R) {
    const count = Math.floor((rows - i) / C);
    if (count > 0 && lenP > 0) k.strip(i * stride, i * stride, stride, stride, resAt * 8, count);
    for (let b = 0; b < count; b++) {
      const j = i + b * C;
      for (let a = 0; a < R; a++) for (let c = 0; c < C; c++) out[(i + a) * rows + j + c] = lenP > 0 ? heap[resAt + b * R * C + a * C + c]! : 0;
    }
    for (let j = i + count * C; j < rows; j++) for (let a = 0; a < R; a++) out[(i + a) * rows + j] = dot(i + a, j);
  }
  for (; i < rows; i++) for (let j = i; j < rows; j++) out[i * rows + j] = dot(i, j);
}

/**
 * Upper triangle (j ≥ i) of G = Z Zᵀ (Z row-major rows × len) into `out` (rows × rows; entries
 * below the diagonal unspecified). Copies Z into a workspace, then {@link gramUpperWorkspace}.
 * @returns false (and leaves `out` untouched) when WebAssembly SIMD is unavailable.
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
