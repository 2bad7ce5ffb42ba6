/**
 * Assembles the WebAssembly SIMD (f64x2) Gram kernel of the correlation fast path from its
 * opcodes, so no build step or binary file is needed. Blocks are R × C = 2 × 4 rows with the date
 * loop unrolled twice (the fastest of 4×3, 3×3, 2×4, 3×2, 2×2 on the 500 × 252 benchmark: 8
 * accumulators + 4 y + 1 x = 13 of the 16 xmm registers V8 allocates). The multiply-add is
 * `f64x2.relaxed_madd` (fused where the CPU has FMA) or `f64x2.mul` + `f64x2.add`.
 *
 * Exported function `strip(xp, yp, stride, nBytes, outp, count, rowBytes, lo, hi)` (byte
 * addresses): for b = 0 … count − 1, the R × C dot products g_ac of rows xp + a·stride with rows
 * yp + (bC + c)·stride over nBytes, clipped to [lo, hi], stored twice into a row-major output
 * matrix of `rowBytes` per row: at outp + a·rowBytes + 8(bC + c) and at its mirror
 * outp + (bC + c)·rowBytes + 8a. With yp = xp and outp at the diagonal entry (i, i), one call per
 * row pair fills rows i, i + 1 right of the diagonal and columns i, i + 1 below it, so the whole
 * symmetric matrix is written by the kernel itself. Both stores of a pair receive the same value
 * (products commute, same summation order), so the result is exactly symmetric.
 */
import { leb, section, sleb, str, vec } from '../common/wasm-encoding.ts';
export const R = 2; // the stores pair rows 0 and 1 of a block
export const C = 4; // even: the stores pair columns
export const UNROLL = 2;
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];

const seq = (first: number, n: number) => Array.from({ length: n }, (_, i) => first + i);

/** Local indices: 9 parameters, then i32, f64 and v128 locals. */
const [XP, YP, STRIDE, NB, OUTP, COUNT, ROWB, LO, HI] = seq(0, 9) as [number, number, number, number, number, number, number, number, number];
const OFF = 9;
const xp = [XP, ...seq(10, R - 1)];
const yp = [YP, ...seq(10 + R - 1, C - 1)];
const MIR = 10 + R - 1 + C - 1;
const out = [OUTP, ...seq(MIR + 1, R - 1)];
const mir = [MIR, ...seq(MIR + R, C - 1)];
const N_I32 = MIR + R + C - 1 - 9;
const ACC = 9 + N_I32;
const X = ACC + R * C;
const Y = X + 1;
/** lo and hi splatted to both lanes. */
const LOV = Y + C;
const HIV = LOV + 1;
const N_V128 = R * C + 1 + C + 2;

/** The date loop: acc_ac += x_a[t] · y_c[t], two dates per v128, UNROLL v128 per step. */
function dateLoop(fused: boolean): number[] {
  const code: number[] = [];
  for (let a = 0; a < R * C; a++) code.push(0xfd, 0x0c, ...new Array<number>(16).fill(0), ...set(ACC + a)); // acc = 0
  code.push(0x41, 0x00, ...set(OFF), 0x03, 0x40);
  for (let u = 0; u < UNROLL; u++) {
    const load = [0xfd, 0x00, 0x03, ...leb(16 * u)]; // v128.load align=8 offset=16u
    yp.forEach((p, c) => code.push(...get(p), ...get(OFF), 0x6a, ...load, ...set(Y + c)));
    xp.forEach((p, r) => {
      code.push(...get(p), ...get(OFF), 0x6a, ...load, ...set(X));
      for (let c = 0; c < C; c++) {
        const a = ACC + r * C + c;
        if (fused) code.push(...get(X), ...get(Y + c), ...get(a), 0xfd, 0x87, 0x02, ...set(a)); // relaxed_madd
        else code.push(...get(a), ...get(X), ...get(Y + c), 0xfd, 0xf2, 0x01, 0xfd, 0xf0, 0x01, ...set(a)); // mul, add
      }
    });
  }
  // off += 16·UNROLL; br_if (off < nBytes); end
  code.push(...get(OFF), 0x41, ...sleb(16 * UNROLL), 0x6a, 0x22, OFF, ...get(NB), 0x49, 0x0d, 0x00, 0x0b);
  return code;
}

const SHUFFLE_LO = [0xfd, 0x0d, ...seq(0, 8), ...seq(16, 8)]; // (a.lane0, b.lane0)
const SHUFFLE_HI = [0xfd, 0x0d, ...seq(8, 8), ...seq(24, 8)]; // (a.lane1, b.lane1)
/** (lane sum of accumulator i, lane sum of accumulator j), clipped to [lo, hi] (`f64x2.pmax`, `pmin`). */
const pairSum = (i: number, j: number) => [
  ...get(i), ...get(j), ...SHUFFLE_LO, ...get(i), ...get(j), ...SHUFFLE_HI, 0xfd, 0xf0, 0x01,
  ...get(LOV), 0xfd, 0xf7, 0x01, ...get(HIV), 0xfd, 0xf6, 0x01,
];

/**
 * Clipped lane sums stored at (a, c) and at the mirror (c, a) of the block, two per `v128.store`:
 * (g_a,c, g_a,c+1) along row a, (g_0,c, g_1,c) along mirror row c. Each entry is the same sum of the
 * same two lanes in both places, so the matrix stays exactly symmetric.
 */
function stores(): number[] {
  const code: number[] = [];
  for (let a = 1; a < R; a++) code.push(...get(out[a - 1]!), ...get(ROWB), 0x6a, ...set(out[a]!));
  for (let c = 1; c < C; c++) code.push(...get(mir[c - 1]!), ...get(ROWB), 0x6a, ...set(mir[c]!));
  const store = (offset: number) => [0xfd, 0x0b, 0x03, ...leb(offset)];
  for (let a = 0; a < R; a++) {
    for (let c = 0; c < C; c += 2) code.push(...get(out[a]!), ...pairSum(ACC + a * C + c, ACC + a * C + c + 1), ...store(8 * c));
  }
  for (let c = 0; c < C; c++) code.push(...get(mir[c]!), ...pairSum(ACC + c, ACC + C + c), ...store(0));
  return code;
}

function functionBody(fused: boolean): number[] {
  const code: number[] = [];
  for (let r = 1; r < R; r++) code.push(...get(xp[r - 1]!), ...get(STRIDE), 0x6a, ...set(xp[r]!));
  code.push(...get(LO), 0xfd, 0x14, ...set(LOV), ...get(HI), 0xfd, 0x14, ...set(HIV)); // f64x2.splat
  code.push(...get(OUTP), ...set(MIR), 0x03, 0x40); // mir = outp; loop over blocks
  for (let c = 1; c < C; c++) code.push(...get(yp[c - 1]!), ...get(STRIDE), 0x6a, ...set(yp[c]!));
  code.push(...dateLoop(fused), ...stores());
  // outp += 8C; mir += C·rowBytes; yp += C·stride; count −= 1; br_if (count ≠ 0); end
  code.push(...get(OUTP), 0x41, ...sleb(8 * C), 0x6a, ...set(OUTP));
  code.push(...get(MIR), ...get(ROWB), 0x41, ...sleb(C), 0x6c, 0x6a, ...set(MIR));
  code.push(...get(YP), ...get(STRIDE), 0x41, ...sleb(C), 0x6c, 0x6a, ...set(YP));
  code.push(...get(COUNT), 0x41, 0x01, 0x6b, 0x22, COUNT, 0x0d, 0x00, 0x0b, 0x0b);
  return [...vec([[N_I32, I32], [N_V128, V128]]), ...code];
}

/**
 * Bytes of the module: one function `strip` and one exported, growable memory `mem`.
 * @param fused true: `f64x2.relaxed_madd` (needs relaxed SIMD); false: plain SIMD mul + add.
 * @example new WebAssembly.Module(gramModuleBytes(false)) // compiles on any runtime with SIMD
 */
export function gramModuleBytes(fused: boolean): Uint8Array {
  const body = functionBody(fused);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [F64], [F64]]), 0x00]])),
    ...section(3, vec([[0x00]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...str('strip'), 0x00, 0x00], [...str('mem'), 0x02, 0x00]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ]);
}
