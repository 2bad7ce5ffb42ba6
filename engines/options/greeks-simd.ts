import { greeksKernel, invalidOption, validOption } from './greeks-kernel.ts';
import { COLUMNS, FLAG, greeksModule, IN_COLS, OUT_COLS, RIGHTS } from './greeks-simd-module.ts';

/**
 * WebAssembly SIMD path of the Black–Scholes–Merton Greeks (kernel in `greeks-simd-module.ts`):
 * options are copied into WebAssembly memory in chunks of CHUNK, priced two per instruction, and
 * copied out. The kernel's only state is that scratch memory, grown once and reused. Options
 * outside the kernel's domain ({@link needsScalarKernel}) are priced by the scalar kernel
 * (`greeks-kernel.ts`). Without WebAssembly SIMD the functions here return false and callers use
 * the scalar kernel for everything.
 */

/** Options per kernel call: its 28 columns of 1,032 doubles (231 KiB) stay in the L2 cache. */
const CHUNK = 1024;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Kernel {
  greeks: (base: number, colBytes: number) => number;
  mem: WasmMemory;
  /** Byte address of the columns, and views of them as doubles and bytes. */
  base: number;
  heap: Float64Array;
  bytes: Uint8Array;
}
/** The slice of the WebAssembly JS API used here (TypeScript's ES2023 lib does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
let kernel: Kernel | null | undefined;
/** The fused kernel (relaxed SIMD multiply-add) where the runtime has it, else the plain SIMD one, else null. */
function getKernel(): Kernel | null {
  if (kernel === undefined) {
    kernel = null;
    const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    for (const fuse of [true, false]) {
      if (kernel || !wa) break;
      try {
        const mod = greeksModule(fuse);
        const k = new wa.Instance(new wa.Module(mod.bytes)).exports as Pick<Kernel, 'greeks' | 'mem'>;
        k.mem.grow(Math.ceil((mod.dataBase + COLUMNS * columnStride(CHUNK) * 8) / 65536));
        kernel = { ...k, base: mod.dataBase, heap: new Float64Array(k.mem.buffer, mod.dataBase), bytes: new Uint8Array(k.mem.buffer, mod.dataBase) };
      } catch {
        // (relaxed) SIMD unsupported by this runtime
      }
    }
  }
  return kernel;
}

/** Input columns (as `GreeksBatchInputs`). */
interface In {
  spot: Float64Array; strike: Float64Array; tenorYears: Float64Array; rateCont: Float64Array; volAnnual: Float64Array;
  dividendYield?: Float64Array; isCall: Uint8Array;
}
/** Output columns (as `GreeksBatchOutput`). */
interface Out {
  price: Float64Array; delta: Float64Array; gamma: Float64Array; thetaPerDay: Float64Array; thetaPerYear: Float64Array;
  vegaPerVolPoint: Float64Array; rhoPerPct: Float64Array;
}

/**
 * Copies options [a, a + m) into the kernel's columns (stride `stride` > m, the rights as bytes)
 * and fills lanes m … stride − 1 with copies of lane m − 1, so the kernel, which runs over whole
 * columns, prices nothing it would flag.
 */
function copyIn(kn: Kernel, x: In, a: number, m: number, stride: number): void {
  const h = kn.heap;
  [x.spot, x.strike, x.tenorYears, x.rateCont, x.dividendYield, x.volAnnual].forEach((col, c) => {
    if (col) h.set(col.subarray(a, a + m), c * stride);
    else h.fill(0, c * stride, c * stride + m);
  });
  const rights = RIGHTS * stride * 8;
  kn.bytes.set(x.isCall.subarray(a, a + m), rights);
  for (let c = 0; c < 6; c++) h.fill(h[c * stride + m - 1]!, c * stride + m, (c + 1) * stride);
  kn.bytes.fill(kn.bytes[rights + m - 1]!, rights + m, rights + stride);
}

/**
 * Doubles per column for m options: even, plus 8 (64 bytes) so the 28 columns of a full chunk do not
 * all start at the same offset modulo 4 KiB, where their loads and stores would compete for the same
 * L1 cache sets (the output pass ran 1.5× slower with columns 8 KiB apart).
 */
const columnStride = (m: number) => m + (m & 1) + 8;

/** Outputs read from the kernel, in `Out` order. */
const COPIED = [['price', 'price'], ['delta', 'delta'], ['gamma', 'gamma'], ['thetaPerYear', 'thetaYear'], ['thetaPerDay', 'thetaDay'], ['vegaPerVolPoint', 'vegaPoint'], ['rhoPerPct', 'rhoPct']] as const;
const scratch = new Float64Array(6);

/** Option i through the scalar kernel, into `o`. @throws EngineError INVALID_INPUT when it is invalid. */
function scalarInto(x: In, i: number, o: Out): void {
  const s = x.spot[i]!, k = x.strike[i]!, t = x.tenorYears[i]!, r = x.rateCont[i]!, q = x.dividendYield ? x.dividendYield[i]! : 0, v = x.volAnnual[i]!;
  if (!validOption(s, k, t, r, q, v)) throw invalidOption(i, s, k, t, r, q, v);
  greeksKernel(s, k, t, r, q, v, x.isCall[i] === 1, scratch, 0);
  o.price[i] = scratch[0]!;
  o.delta[i] = scratch[1]!;
  o.gamma[i] = scratch[2]!;
  o.thetaPerYear[i] = scratch[3]!;
  o.thetaPerDay[i] = scratch[3]! / 365;
  o.vegaPerVolPoint[i] = scratch[4]! / 100;
  o.rhoPerPct[i] = scratch[5]! / 100;
}

/**
 * Checks and fills `o` for options [0, n) of `x`, chunk by chunk: the SIMD kernel, then for each
 * option it flags as outside its domain, the check (`validOption`) and the scalar kernel.
 * @returns false (having checked nothing and left `o` untouched) when WebAssembly SIMD is unavailable.
 * @throws EngineError INVALID_INPUT naming the first invalid option; the chunks before it are written.
 */
export function simdGreeksBatch(x: In, n: number, o: Out): boolean {
  const k = getKernel();
  if (!k) return false;
  const h = k.heap;
  for (let a = 0; a < n; a += CHUNK) {
    const m = Math.min(CHUNK, n - a);
    const stride = columnStride(m);
    copyIn(k, x, a, m, stride);
    const flagged = k.greeks(k.base, stride * 8);
    for (const [dst, src] of COPIED) {
      const at = (IN_COLS.length + OUT_COLS.indexOf(src)) * stride;
      o[dst].set(h.subarray(at, at + m), a);
    }
    if (flagged) for (let j = 0; j < m; j++) if (h[FLAG * stride + j] !== 0) scalarInto(x, a + j, o);
  }
  return true;
}

/**
 * One option through the SIMD kernel (both lanes the same option), so a single option gets the same
 * bits as in a batch. Writes [price, Δ, Γ, Θ/yr, Θ/day, vega per vol point, ρ per %-point] into
 * `out`. Inputs are assumed valid.
 * @returns false when WebAssembly SIMD is unavailable or the option is outside the kernel's domain
 * (the caller then uses the scalar kernel, as a batch does).
 */
export function simdGreeksOne(s: number, k: number, t: number, r: number, q: number, v: number, isCall: boolean, out: Float64Array): boolean {
  const kn = getKernel();
  if (!kn) return false;
  const h = kn.heap;
  [s, k, t, r, q, v].forEach((val, c) => {
    h[2 * c] = val;
    h[2 * c + 1] = val;
  });
  kn.bytes[16 * RIGHTS] = kn.bytes[16 * RIGHTS + 1] = isCall ? 1 : 0;
  if (kn.greeks(kn.base, 16)) return false;
  COPIED.forEach(([, src], i) => {
    out[i] = h[2 * (IN_COLS.length + OUT_COLS.indexOf(src))]!;
  });
  return true;
}
