/**
 * Assembles the WebAssembly SIMD (f64x2) row standardisation of the correlation fast path, the same
 * arithmetic as `checkSeries` + `standardizeRows` in correlation-matrix.ts (so the same bits): per
 * row, the sum in four partial sums (dates t mod 4, as two f64x2 accumulators; the tail after the
 * last whole group of four added to the first), a probe that is NaN on any NaN or ±∞, a flag for any
 * value unlike the first; then z = (x − x̄)/‖x − x̄‖ with the sum of squares in four partial sums.
 * The module imports the Gram kernel's memory (`env.mem`), so rows land where the kernel reads them.
 *
 * Exported function `standardize(rawp, dstp, rows, len, stride) → i32`: row r of `len` doubles at
 * rawp + 8·r·len is written standardised at dstp + 8·r·stride (entries len … stride − 1 untouched).
 * Returns −1 when every row was complete and not constant, else the first row that is not (missing
 * values, constant, or len < 2): the caller then takes the checked scalar path, which reports or
 * handles it.
 */
import { leb, section, sleb, str, vec } from '../common/wasm-encoding.ts';
type Code = number[];

const get = (i: number): Code => [0x20, ...leb(i)];
const set = (i: number): Code => [0x21, ...leb(i)];
const i32 = (n: number): Code => [0x41, ...sleb(n)];
const simd = (op: number, ...imm: number[]): Code => [0xfd, ...leb(op), ...imm];
const V_LOAD = (off: number) => simd(0x00, 0x03, ...leb(off));
const V_STORE = (off: number) => simd(0x0b, 0x03, ...leb(off));
const F_LOAD = [0x2b, 0x03, 0x00];
const F_STORE = [0x39, 0x03, 0x00];
const F2 = { add: simd(0xf0, 0x01), sub: simd(0xf1, 0x01), mul: simd(0xf2, 0x01), ne: simd(0x48), or: simd(0x50), splat: simd(0x14), anyTrue: simd(0x53) };
const lane = (l: number) => simd(0x21, l);
const ZERO = simd(0x0c, ...new Array<number>(16).fill(0));

// Locals: parameters, then i32, f64, v128.
const RAWP = 0, DSTP = 1, ROWS = 2, LEN = 3, STRIDE = 4;
const R = 5, SRC = 6, DST = 7, T = 8, N4 = 9, NB = 10, VARY = 11;
const FIRST = 12, S0 = 13, PROBE = 14, SUM = 15, MEAN = 16, Q0 = 17, INV = 18, X = 19;
const A = 20, B = 21, P = 22, V = 23, FV = 24, VA = 25, VB = 26;
const N_I32 = 7, N_F64 = 8, N_V128 = 7;

/** for (t = from; t + step ≤ limit (bytes); t += step) body — `limit` a local. */
function loopBytes(step: number, limit: number, body: Code, from: Code = i32(0)): Code {
  return [
    ...from, ...set(T), 0x02, 0x40, 0x03, 0x40,
    ...get(T), ...i32(step), 0x6a, ...get(limit), 0x4b, 0x0d, 0x01, // br_if out when t + step > limit (gt_u)
    ...body,
    ...get(T), ...i32(step), 0x6a, ...set(T), 0x0c, 0x00, 0x0b, 0x0b,
  ];
}
const at = (base: number, off = 0): Code => [...get(base), ...get(T), 0x6a, ...(off ? [...i32(off), 0x6a] : [])];

function rowBody(): Code {
  const c: Code = [];
  // src, dst, byte lengths; first value; zero the accumulators
  c.push(...get(RAWP), ...get(R), ...get(LEN), 0x6c, ...i32(3), 0x74, 0x6a, ...set(SRC));
  c.push(...get(DSTP), ...get(R), ...get(STRIDE), 0x6c, ...i32(3), 0x74, 0x6a, ...set(DST));
  c.push(...get(LEN), ...i32(3), 0x74, ...set(NB), ...get(LEN), ...i32(-4), 0x71, ...i32(3), 0x74, ...set(N4));
  c.push(...get(SRC), ...F_LOAD, ...set(FIRST), ...get(FIRST), ...F2.splat, ...set(FV));
  for (const v of [A, B, P, V]) c.push(...ZERO, ...set(v));
  // pass 1: sums, probe, variation over whole groups of four
  c.push(...loopBytes(32, N4, [
    ...at(SRC), ...V_LOAD(0), ...set(VA), ...at(SRC), ...V_LOAD(16), ...set(VB),
    ...get(A), ...get(VA), ...F2.add, ...set(A), ...get(B), ...get(VB), ...F2.add, ...set(B),
    ...get(P), ...get(VA), ...get(VA), ...F2.sub, ...get(VB), ...get(VB), ...F2.sub, ...F2.add, ...F2.add, ...set(P),
    ...get(V), ...get(VA), ...get(FV), ...F2.ne, ...F2.or, ...get(VB), ...get(FV), ...F2.ne, ...F2.or, ...set(V),
  ]));
  c.push(...get(A), ...lane(0), ...set(S0), ...get(P), ...lane(0), ...get(P), ...lane(1), 0xa0, ...set(PROBE), ...get(V), ...F2.anyTrue, ...set(VARY));
  // the tail: into s0, the probe and the flag
  c.push(...loopBytes(8, NB, [
    ...at(SRC), ...F_LOAD, ...set(X),
    ...get(S0), ...get(X), 0xa0, ...set(S0), ...get(PROBE), ...get(X), ...get(X), 0xa1, 0xa0, ...set(PROBE),
    ...get(VARY), ...get(X), ...get(FIRST), 0x62, 0x72, ...set(VARY),
  ], get(N4)));
  // sum = s0 + s1 + (s2 + s3); reject a row with a missing value, no variation or < 2 values
  c.push(...get(S0), ...get(A), ...lane(1), 0xa0, ...get(B), ...lane(0), ...get(B), ...lane(1), 0xa0, 0xa0, ...set(SUM));
  c.push(...get(PROBE), 0x44, ...new Array<number>(8).fill(0), 0x62, ...get(VARY), 0x45, 0x72, ...get(LEN), ...i32(2), 0x48, 0x72, 0x04, 0x40, ...get(R), 0x0f, 0x0b);
  c.push(...get(SUM), ...get(LEN), 0xb8, 0xa3, ...set(MEAN), ...get(MEAN), ...F2.splat, ...set(FV));
  // pass 2: d = x − x̄ stored, squares in four partial sums
  c.push(...ZERO, ...set(A), ...ZERO, ...set(B));
  c.push(...loopBytes(32, N4, [
    ...at(SRC), ...V_LOAD(0), ...get(FV), ...F2.sub, ...set(VA), ...at(SRC), ...V_LOAD(16), ...get(FV), ...F2.sub, ...set(VB),
    ...at(DST), ...get(VA), ...V_STORE(0), ...at(DST), ...get(VB), ...V_STORE(16),
    ...get(A), ...get(VA), ...get(VA), ...F2.mul, ...F2.add, ...set(A), ...get(B), ...get(VB), ...get(VB), ...F2.mul, ...F2.add, ...set(B),
  ]));
  c.push(...get(A), ...lane(0), ...set(Q0));
  c.push(...loopBytes(8, NB, [
    ...at(SRC), ...F_LOAD, ...get(MEAN), 0xa1, ...set(X), ...at(DST), ...get(X), ...F_STORE,
    ...get(Q0), ...get(X), ...get(X), 0xa2, 0xa0, ...set(Q0),
  ], get(N4)));
  // inv = 1/√(q0 + q1 + (q2 + q3)); pass 3: z = d · inv, pairs then the last odd entry
  c.push(0x44, ...Array.from(new Uint8Array(Float64Array.of(1).buffer)), ...get(Q0), ...get(A), ...lane(1), 0xa0, ...get(B), ...lane(0), ...get(B), ...lane(1), 0xa0, 0xa0, 0x9f, 0xa3, ...set(INV));
  c.push(...get(INV), ...F2.splat, ...set(FV));
  c.push(...loopBytes(16, NB, [...at(DST), ...at(DST), ...V_LOAD(0), ...get(FV), ...F2.mul, ...V_STORE(0)]));
  c.push(...get(T), ...get(NB), 0x49, 0x04, 0x40, ...at(DST), ...at(DST), ...F_LOAD, ...get(INV), 0xa2, ...F_STORE, 0x0b);
  return c;
}

function functionBody(): Code {
  const code: Code = [
    ...i32(0), ...set(R), 0x02, 0x40, 0x03, 0x40,
    ...get(R), ...get(ROWS), 0x4f, 0x0d, 0x01, // br_if out when r ≥ rows
    ...rowBody(),
    ...get(R), ...i32(1), 0x6a, ...set(R), 0x0c, 0x00, 0x0b, 0x0b,
    ...i32(-1), 0x0b,
  ];
  return [...vec([[N_I32, 0x7f], [N_F64, 0x7c], [N_V128, 0x7b]]), ...code];
}

/**
 * Bytes of the module: one function `standardize`, memory imported as `env.mem`.
 * @example new WebAssembly.Instance(new WebAssembly.Module(standardizeModuleBytes()), { env: { mem } })
 */
export function standardizeModuleBytes(): Uint8Array {
  const body = functionBody();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f], [0x7f]]), ...vec([[0x7f]])]])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...str('standardize'), 0x00, 0x00]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ]);
}
