/**
 * Assembles the WebAssembly SIMD (f64x2) Black–Scholes–Merton Greeks kernel from its opcodes, so
 * no build step or binary file is needed. Two options per instruction, no data-dependent branches:
 * - e^x: for the discount factors e^{−qT}, e^{−rT}, fdlibm's algorithm with its branches as lane
 *   selects, so they equal V8's `Math.exp` bit for bit; for the Gaussian factors e^{−d²/2}, a
 *   division-free Taylor form within 2 ulp (0 below −708, where the true value is under 1e-307).
 * - ln y: fdlibm's method (y = 2^k z, z ∈ [√½, √2), s = (z − 1)/(z + 1), degree-14 minimax in s),
 *   with the exponent split by integer lanes as in musl (< 1 ulp).
 * - N(x) given e = exp(−x²/2): W. J. Cody's three rational approximations of erfc (as in
 *   `engines/common/normal.ts`), all three evaluated and the regime's numerator and denominator
 *   selected per lane before one division; the 1/y² rational multiplied through by y¹⁰ so it needs
 *   no second division. The tail of each right is its own (N(w·d), w = ±1).
 * Multiply-adds are `f64x2.relaxed_madd` in the fused variant (one rounding where the CPU has FMA,
 * so the last bit can differ between machines; a single option and a batch on one machine always
 * agree) and multiply then add in the plain one.
 *
 * Exported function `greeks(base, colBytes) → i32`: columns of `colBytes` bytes (8 per option, an even
 * count) from byte address `base`: inputs S, K, T, r, q, σ (and the rights as bytes, 1 = call, in
 * column `RIGHTS`; pass 1 turns them into w = ±1 in the sign column), then outputs
 * price, Δ, Γ, Θ per year, Θ per day, vega per unit σ, vega per vol point, ρ per unit r, ρ per
 * %-point, then scratch (`COLUMNS` in all), at or above `dataBase` (below it: the kernel's
 * constants). Plus one exported, growable memory `mem`. It returns 1 when some option is outside
 * the kernel's domain (T > 0, σ√T > 0, σ < 1e100, |qT|, |rT| ≤ 700, S/K a positive normal number)
 * and marks it in the flag column; the
 * caller prices those with the scalar kernel. Every invalid option (NaN, ±∞, S ≤ 0, K ≤ 0, T < 0,
 * σ < 0) fails one of those tests, so the flags also find the options to reject.
 */
import { leb, section, sleb, str, vec } from '../common/wasm-encoding.ts';
type Code = number[];

/** Column order in memory (inputs, then outputs). */
export const IN_COLS = ['spot', 'strike', 'tenor', 'rate', 'div', 'vol', 'sign'] as const;
export const OUT_COLS = ['price', 'delta', 'gamma', 'thetaYear', 'thetaDay', 'vegaUnit', 'vegaPoint', 'rhoUnit', 'rhoPct'] as const;

const bytesOf = (a: Float64Array | BigInt64Array) => Array.from(new Uint8Array(a.buffer));

const simd = (op: number): Code => [0xfd, ...leb(op)];
const bin = (op: number) => (a: Code, b: Code): Code => [...a, ...b, ...simd(op)];
const un = (op: number) => (a: Code): Code => [...a, ...simd(op)];
const add = bin(0xf0), sub = bin(0xf1), mul = bin(0xf2), div = bin(0xf3), pmin = bin(0xf6), pmax = bin(0xf7);
const eq = bin(0x47), lt = bin(0x49), le = bin(0x4b), gt = bin(0x4a), ge = bin(0x4c), and = bin(0x4e), or = bin(0x50);
const not = (a: Code): Code => [...a, ...simd(0x4d)];
const i64add = bin(0xce), i64sub = bin(0xd1), i64eq = bin(0xd6);
const sqrt = un(0xef), abs = un(0xec), trunc = un(0x7a), nearest = un(0x94);
/** Lanes of a where m is set, else of b. */
const select = (a: Code, b: Code, m: Code): Code => [...a, ...b, ...m, ...simd(0x52)];
const i64shl = (a: Code, n: number): Code => [...a, 0x41, ...sleb(n), ...simd(0xcb)];
const i64shrS = (a: Code, n: number): Code => [...a, 0x41, ...sleb(n), ...simd(0xcc)];
/**
 * Constants live in a pool at the start of memory (a data segment) and are read with one
 * `v128.load` from a fixed address each: V8 builds a `v128.const` from two 64-bit immediates (three
 * instructions per use), which in this kernel would outnumber the arithmetic.
 */
const pool = new Map<string, { at: number; bytes: number[] }>();
function pooled(bytes: number[]): Code {
  const key = bytes.join(',');
  let c = pool.get(key);
  if (!c) pool.set(key, (c = { at: 16 * pool.size, bytes }));
  return [0x41, 0x00, ...simd(0x00), 0x04, ...leb(c.at)]; // v128.load align=16 offset=at from address 0
}
/** x in both f64 lanes. */
const k = (x: number): Code => pooled(bytesOf(Float64Array.of(x, x)));
const ki = (x: bigint): Code => pooled(bytesOf(BigInt64Array.of(x, x)));

/** Straight-line body under construction: each `let` stores an expression in a fresh v128 local. */
class Body {
  readonly code: Code = [];
  private count = 0;
  constructor(private readonly first: number) {}
  let(e: Code): Code {
    const i = this.first + this.count++;
    this.code.push(...e, 0x21, ...leb(i));
    return [0x20, ...leb(i)];
  }
  get locals(): number {
    return this.count;
  }
}

/** Whether `madd` fuses (`f64x2.relaxed_madd`, one rounding where the CPU has FMA) or multiplies then adds. */
let fused = false;
/** a·b + c. */
const madd = (a: Code, b: Code, c: Code): Code => (fused ? [...a, ...b, ...c, ...simd(0x107)] : add(mul(a, b), c));


/** fdlibm's e_exp.c constants (the algorithm of V8's `Math.exp`). */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e+0;
const EP = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];
/** 1.5·2^52 + 1023: adding it to an integer k puts k + 1023 in the low mantissa bits. */
const EXP_MAGIC = 6755399441055744 + 1023;
const LOG2E = Math.LOG2E;
const INV_FACT = Array.from({ length: 14 }, (_, n) => 1 / Array.from({ length: n }, (_, i) => i + 1).reduce((a, x) => a * x, 1));
const f64Of = (bits: bigint) => new Float64Array(BigInt64Array.of(bits).buffer)[0]!;
/** |x| from which fdlibm reduces (high word above 0x3fd62e42), and below which e^x = 1 + x. */
const EXP_REDUCE = f64Of(0x3fd62e4300000000n);
const EXP_TINY = f64Of(0x3e30000000000000n);

/**
 * e^x for x in [−708, 709] (the discount factors), bit for bit fdlibm's e_exp.c (V8's `Math.exp`) with its branches as lane
 * selects: k = trunc(x/ln 2 ± ½) where |x| > ½ ln 2, r = (x − k·ln2hi) − k·ln2lo,
 * c = r − r²·P(r²), e^x = 2^k·(1 − ((k·ln2lo − r·c/(2 − c)) − (x − k·ln2hi))); 1 + x for |x| < 2^−28;
 * e exactly at 1. Plain multiplies and adds only, so the results equal `Math.exp` (so e^{−qT} here
 * is the value any caller computes).
 */
function exp(b: Body, x: Code): Code {
  const ax = b.let(abs(x));
  const half = or(and(x, ki(-0x8000000000000000n)), k(0.5)); // ±½ with the sign of x
  const kf = b.let(and(trunc(add(mul(x, k(INV_LN2)), half)), ge(ax, k(EXP_REDUCE))));
  const hi = b.let(sub(x, mul(kf, k(LN2_HI))));
  const lo = b.let(mul(kf, k(LN2_LO)));
  const r = b.let(sub(hi, lo));
  const t = b.let(mul(r, r));
  const c = b.let(sub(r, mul(t, add(k(EP[0]!), mul(t, add(k(EP[1]!), mul(t, add(k(EP[2]!), mul(t, add(k(EP[3]!), mul(t, k(EP[4]!))))))))))));
  const y = b.let(sub(k(1), sub(sub(lo, div(mul(r, c), sub(k(2), c))), hi)));
  const scaled = mul(y, i64shl(add(kf, k(EXP_MAGIC)), 52));
  return b.let(select(k(Math.E), select(add(k(1), x), scaled, lt(ax, k(EXP_TINY))), eq(x, k(1))));
}

/**
 * e^−x²/2-type factors, where the last bit need not match libm: Cody–Waite reduction
 * x = k ln 2 + r (k by `f64x2.nearest`), Taylor polynomial of degree 13 in Estrin form
 * (truncation < 1e-17), 2^k built in the exponent bits: within 2 ulp of `Math.exp`, no division.
 * x below −708 gives 0.
 */
function expFast(b: Body, x0: Code): Code {
  const x = b.let(pmax(x0, k(-708)));
  const kf = b.let(nearest(mul(x, k(LOG2E))));
  const r = b.let(sub(sub(x, mul(kf, k(LN2_HI))), mul(kf, k(LN2_LO))));
  const r2 = b.let(mul(r, r));
  const r4 = b.let(mul(r2, r2));
  const r8 = b.let(mul(r4, r4));
  const c = (i: number) => k(INV_FACT[i]!);
  const pair = (i: number) => madd(r, c(i + 1), c(i)); // 1/i! + r/(i+1)!
  const lo = madd(r2, pair(2), add(k(1), r));
  const mid = madd(r2, pair(6), pair(4));
  const hi = madd(r4, pair(12), madd(r2, pair(10), pair(8)));
  const p = b.let(madd(r8, hi, madd(r4, mid, lo)));
  return b.let(and(mul(p, i64shl(add(kf, k(EXP_MAGIC)), 52)), ge(x0, k(-708))));
}

const LG = [6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];

/** ln y for positive normal y (fdlibm's e_log.c, exponent split by integer lanes). */
function log(b: Body, y: Code): Code {
  const ix = b.let(i64sub(y, ki(0x3fe6a09e00000000n)));
  const kk = b.let(sub(i64add(i64shrS(ix, 52), ki(0x4338000000000000n)), k(6755399441055744)));
  const f = b.let(sub(i64sub(y, and(ix, ki(-0x10000000000000n))), k(1)));
  const hfsq = b.let(mul(mul(k(0.5), f), f));
  const s = b.let(div(f, add(k(2), f)));
  const z = b.let(mul(s, s));
  const w = b.let(mul(z, z));
  const t1 = mul(w, madd(w, madd(w, k(LG[5]!), k(LG[3]!)), k(LG[1]!)));
  const t2 = mul(z, madd(w, madd(w, madd(w, k(LG[6]!), k(LG[4]!)), k(LG[2]!)), k(LG[0]!)));
  const rr = b.let(add(t2, t1));
  return b.let(sub(mul(kk, k(LN2_HI)), sub(sub(hfsq, add(mul(s, add(hfsq, rr)), mul(kk, k(LN2_LO)))), f)));
}

// Cody's coefficients, as in engines/common/normal.ts.
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8];
const D = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const INV_SQRT_PI = 0.56418958354775628695;

/**
 * N(x) given e = exp(−x²/2) (|x| capped at 40), for several vectors at once: every step is written
 * for all of them in turn after one load of its constant, so a constant is read once per step
 * instead of once per vector.
 */
function cdf(b: Body, xs: readonly Code[], es: readonly Code[]): Code[] {
  const K = (x: number) => b.let(k(x));
  const each = (f: (i: number) => Code) => xs.map((_, i) => b.let(f(i)));
  const horner = (u: readonly Code[], c: readonly number[]): Code[] => {
    let acc: Code[] = xs.map(() => k(c[0]!));
    for (let j = 1; j < c.length; j++) {
      const cj = K(c[j]!);
      const prev = acc;
      acc = each((i) => madd(prev[i]!, u[i]!, cj));
    }
    return acc;
  };
  const [c40, rs2] = [K(40), K(Math.SQRT1_2)];
  const y = each((i) => mul(pmin(abs(xs[i]!), c40), rs2));
  const w = each((i) => mul(y[i]!, y[i]!));
  // y ≤ 0.46875: erfc = 1 − y·P(y²)/Q(y²) = (Q − y·P)/Q
  const ns = horner(w, [A[4]!, A[0]!, A[1]!, A[2]!, A[3]!]);
  const ds = horner(w, [1, B[0]!, B[1]!, B[2]!, B[3]!]);
  // y ≤ 4: erfc = e·P8(y)/Q8(y)
  const nm = horner(y, [C[8]!, ...C.slice(0, 8)]);
  const dm = horner(y, [1, ...D]);
  // y < 26.64: erfc = e·(1/√π − z·P(z)/Q(z))/y with z = 1/y², numerator and denominator × y¹⁰
  const nl = horner(w, [P[4]!, P[3]!, P[2]!, P[1]!, P[0]!, P[5]!]);
  const dl0 = horner(w, [Q[4]!, Q[3]!, Q[2]!, Q[1]!, Q[0]!, 1]);
  const dl = each((i) => mul(w[i]!, dl0[i]!));
  const [cSmall, cMid, cPi] = [K(0.46875), K(4), K(INV_SQRT_PI)];
  const small = each((i) => le(y[i]!, cSmall));
  const mid = each((i) => le(y[i]!, cMid));
  const num = each((i) => select(sub(ds[i]!, mul(y[i]!, ns[i]!)), select(mul(es[i]!, nm[i]!), mul(es[i]!, sub(mul(cPi, dl[i]!), nl[i]!)), mid[i]!), small[i]!));
  const den = each((i) => select(ds[i]!, select(dm[i]!, mul(dl[i]!, y[i]!), mid[i]!), small[i]!));
  const cEnd = K(26.64);
  const half = each((i) => mul(k(0.5), and(div(num[i]!, den[i]!), lt(y[i]!, cEnd))));
  return each((i) => select(sub(k(1), half[i]!), half[i]!, ge(xs[i]!, k(0))));
}

/**
 * Scratch columns after the outputs, each `colBytes` long (multi-column arrays are consecutive):
 * the flag column (all bits set where the option is outside the kernel's domain), √T, σ√T, the N() arguments w·d1 | w·d2, the exponentials' arguments and then values
 * −qT | −rT | −d1²/2 | −d2²/2, and N(w·d1) | N(w·d2).
 */
export const FLAG = IN_COLS.length + OUT_COLS.length;
const SQRT_T = FLAG + 1;
const SIG = SQRT_T + 1;
const ARG = SIG + 1;
const EXPV = ARG + 2;
const NV = EXPV + 4;
/** The rights as bytes (1 = call), one per option; pass 1 writes them to the sign column as ±1. */
export const RIGHTS = NV + 2;
/** Columns in all, inputs, outputs and scratch. */
export const COLUMNS = RIGHTS + 1;

/** i32 locals: base, colBytes (params), one offset per pass, then one address per column; then v128: the OR of all flags. */
const BASE = 0, COLB = 1, OFF0 = 2, COL0 = OFF0 + 5;
const ANY = COL0 + COLUMNS;
const FIRST_V128 = ANY + 1;
/** Smallest positive normal double. */
const MIN_NORMAL = 2.2250738585072014e-308;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * A pass: a loop over `cols` columns, `unroll` v128 per step (`load(c, u)`, `store(c, u, e)` for
 * vector u of the step), its own offset local, body from `fill`. cols·colBytes must be a multiple
 * of 16·unroll bytes (with an even column stride, any cols for unroll 1, an even cols for 2).
 */
interface Pass { code: Code; locals: number }
type Fill = (b: Body, load: (c: number, u?: number) => Code, store: (c: number, e: Code, u?: number) => void) => void;
function pass(first: number, off: number, cols: number, fill: Fill, unroll = 1): Pass {
  const b = new Body(first);
  const at = (c: number): Code => [0x20, COL0 + c, 0x20, off, 0x6a];
  const load = (c: number, u = 0) => b.let([...at(c), ...simd(0x00), 0x03, ...leb(16 * u)]);
  const store = (c: number, e: Code, u = 0) => b.code.push(...at(c), ...e, ...simd(0x0b), 0x03, ...leb(16 * u));
  fill(b, load, store);
  // off = 0; loop { body; off += 16·unroll; br_if off < cols·colBytes }
  const limit: Code = cols === 1 ? [0x20, COLB] : [0x20, COLB, 0x41, ...sleb(cols), 0x6c];
  return { code: [0x41, 0x00, 0x21, off, 0x03, 0x40, ...b.code, 0x20, off, 0x41, ...sleb(16 * unroll), 0x6a, 0x22, off, ...limit, 0x49, 0x0d, 0x00, 0x0b], locals: b.locals };
}

/**
 * The kernel in five passes over the chunk, each loop small enough for the out-of-order window to
 * overlap its iterations (one loop for everything ran 1.5× slower): flags, d1, d2 and the
 * exponentials' arguments; the two discount factors; the two Gaussian factors; the two N() (one
 * per step); the Greeks.
 */
function passes(): Pass[] {
  const out: Pass[] = [];
  const next = () => FIRST_V128 + out.reduce((n, p) => n + p.locals, 0);
  out.push(pass(next(), OFF0, 1, (b, load, store) => {
    const [s, kk, t, r, q, v] = IN_COLS.slice(0, 6).map((_, c) => load(c)) as [Code, Code, Code, Code, Code, Code];
    // Two right bytes (this pass's offset / 8) into the two i64 lanes, then ±1.
    const bytes: Code = [0x20, COL0 + RIGHTS, 0x20, OFF0, 0x41, 0x03, 0x76, 0x6a, ...simd(0x09), 0x00, 0x00];
    const lanes: Code = [...bytes, ...k(0), ...simd(0x0d), 0, 16, 16, 16, 16, 16, 16, 16, 1, 16, 16, 16, 16, 16, 16, 16];
    const w = b.let(select(k(1), k(-1), i64eq(lanes, ki(1n))));
    store(IN_COLS.indexOf('sign'), w);
    const sqrtT = b.let(sqrt(t));
    const sig = b.let(mul(v, sqrtT));
    const m = b.let(div(s, kk));
    const eq = b.let(mul(sub(k(0), q), t));
    const er = b.let(mul(sub(k(0), r), t));
    const within = (x: Code) => and(ge(x, k(-700)), le(x, k(700)));
    const ok = and(and(and(gt(t, k(0)), gt(sig, k(0))), and(lt(v, k(1e100)), within(eq))), and(within(er), and(ge(m, k(MIN_NORMAL)), lt(m, k(Infinity)))));
    const flag = b.let(not(ok));
    store(FLAG, flag);
    b.code.push(...or([0x20, ...leb(ANY)], flag), 0x21, ...leb(ANY));
    const d1raw = b.let(div(add(log(b, m), mul(add(sub(r, q), mul(mul(k(0.5), v), v)), t)), sig));
    const clamp = (x: Code) => b.let(pmax(pmin(x, k(40)), k(-40)));
    const d1 = clamp(d1raw);
    const d2 = clamp(sub(d1raw, sig));
    store(SQRT_T, sqrtT);
    store(SIG, sig);
    store(ARG, mul(w, d1));
    store(ARG + 1, mul(w, d2));
    store(EXPV, eq);
    store(EXPV + 1, er);
    store(EXPV + 2, mul(mul(k(-0.5), d1), d1));
    store(EXPV + 3, mul(mul(k(-0.5), d2), d2));
  }));
  out.push(pass(next(), OFF0 + 1, 2, (b, load, store) => store(EXPV, exp(b, load(EXPV)))));
  out.push(pass(next(), OFF0 + 4, 2, (b, load, store) => store(EXPV + 2, expFast(b, load(EXPV + 2)))));
  out.push(pass(next(), OFF0 + 2, 2, (b, load, store) => {
    const n = cdf(b, [load(ARG, 0), load(ARG, 1)], [load(EXPV + 2, 0), load(EXPV + 2, 1)]);
    n.forEach((e, u) => store(NV, e, u));
  }, 2));
  out.push(pass(next(), OFF0 + 3, 1, (b, load, store) => {
    const [s, kk, t, r, q, v, w] = IN_COLS.map((_, c) => load(c)) as [Code, Code, Code, Code, Code, Code, Code];
    const [sqrtT, sig, dfq, dfr, e1, n1, n2] = [SQRT_T, SIG, EXPV, EXPV + 1, EXPV + 2, NV, NV + 1].map((c) => load(c)) as [Code, Code, Code, Code, Code, Code, Code];
    const sq = b.let(mul(s, dfq));
    const kr = b.let(mul(kk, dfr));
    const sPdf = b.let(div(mul(sq, e1), k(SQRT_2PI)));
    const theta = b.let(add(sub(div(mul(sub(k(0), sPdf), v), mul(k(2), sqrtT)), mul(w, mul(mul(r, kr), n2))), mul(w, mul(mul(q, sq), n1))));
    const vega = b.let(mul(sPdf, sqrtT));
    const rho = b.let(mul(w, mul(mul(mul(kk, t), dfr), n2)));
    const outs: Code[] = [
      mul(w, sub(mul(sq, n1), mul(kr, n2))), mul(mul(w, dfq), n1), div(sPdf, mul(mul(s, s), sig)),
      theta, div(theta, k(365)), vega, div(vega, k(100)), rho, div(rho, k(100)),
    ];
    outs.forEach((e, i) => store(IN_COLS.length + i, e));
  }));
  return out;
}

function functionBody(): number[] {
  const code: Code = [];
  for (let c = 0; c < COLUMNS; c++) code.push(0x20, BASE, 0x20, COLB, 0x41, ...sleb(c), 0x6c, 0x6a, 0x21, ...leb(COL0 + c)); // col_c = base + c·colBytes
  const ps = passes();
  code.push(...k(0), 0x21, ...leb(ANY));
  for (const p of ps) code.push(...p.code);
  code.push(0x20, ...leb(ANY), ...simd(0x53), 0x0b); // v128.any_true(any)
  return [...vec([[...leb(COL0 + COLUMNS - 2), 0x7f], [...leb(1 + ps.reduce((n, p) => n + p.locals, 0)), 0x7b]]), ...code];
}

/**
 * The module: one function `greeks(base, colBytes)` and one exported, growable memory `mem` whose
 * first `dataBase` bytes hold the kernel's constants (columns go at or above it).
 * @param fuse true: multiply-adds as `f64x2.relaxed_madd` (needs relaxed SIMD); false: plain SIMD.
 * @example new WebAssembly.Module(greeksModule(false).bytes) // compiles on any runtime with SIMD
 */
export function greeksModule(fuse: boolean): { bytes: Uint8Array; dataBase: number } {
  pool.clear();
  fused = fuse;
  const body = functionBody();
  const consts = [...pool.values()].flatMap((c) => c.bytes);
  const bytes = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f]]), ...vec([[0x7f]])]])),
    ...section(3, vec([[0x00]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...str('greeks'), 0x00, 0x00], [...str('mem'), 0x02, 0x00]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
    ...section(11, vec([[0x00, 0x41, 0x00, 0x0b, ...leb(consts.length), ...consts]])),
  ]);
  return { bytes, dataBase: Math.ceil(consts.length / 1024) * 1024 };
}
