import { describe, expect, test as plain } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { bsmGreeks } from '../../../engines/options/greeks.ts';
import { bsmGreeksBatch, type GreeksBatchInputs, type GreeksBatchOutput } from '../../../engines/options/greeks-batch.ts';
import { greeksKernel } from '../../../engines/options/greeks-kernel.ts';
import { COLUMNS, greeksModule, IN_COLS, OUT_COLS, RIGHTS } from '../../../engines/options/greeks-simd-module.ts';

/**
 * The WebAssembly SIMD Greeks kernel against the scalar kernel (`greeksKernel`: Math.exp/Math.log and
 * Cody's normCdf, itself checked against scipy in scipy-fixture.test.ts), over a wide domain; its
 * discount factors against Math.exp bit for bit; the options it leaves to the scalar kernel; chunk
 * boundaries; and the fused and plain variants against each other.
 */
const FIELDS = ['price', 'delta', 'gamma', 'thetaPerYear', 'thetaPerDay', 'vegaPerVolPoint', 'rhoPerPct'] as const;
type Opt = { s: number; k: number; t: number; r: number; q: number; v: number; call: boolean };

function batchOf(opts: readonly Opt[]): GreeksBatchInputs {
  const col = (f: (o: Opt) => number) => Float64Array.from(opts, f);
  return {
    spot: col((o) => o.s), strike: col((o) => o.k), tenorYears: col((o) => o.t), rateCont: col((o) => o.r),
    dividendYield: col((o) => o.q), volAnnual: col((o) => o.v), isCall: Uint8Array.from(opts, (o) => (o.call ? 1 : 0)),
  };
}
/** The scalar kernel's figures in batch units. */
function scalar(o: Opt): Record<(typeof FIELDS)[number], number> {
  const b = new Float64Array(6);
  greeksKernel(o.s, o.k, o.t, o.r, o.q, o.v, o.call, b, 0);
  return { price: b[0]!, delta: b[1]!, gamma: b[2]!, thetaPerYear: b[3]!, thetaPerDay: b[3]! / 365, vegaPerVolPoint: b[4]! / 100, rhoPerPct: b[5]! / 100 };
}
const row = (out: GreeksBatchOutput, i: number) => Object.fromEntries(FIELDS.map((f) => [f, out[f][i]]));

/** S 1 – 8,000, K/S e^±1.5, T 1e-6 – 20 y, r and q −5 … 20 %, σ 1e-4 – 270 %, both rights. */
const option = fc.record({
  s: fc.double({ min: 1, max: 8000, noNaN: true }),
  m: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
  lt: fc.double({ min: -14, max: 3, noNaN: true }),
  r: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
  q: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
  lv: fc.double({ min: -9, max: 1, noNaN: true }),
  call: fc.boolean(),
}).map(({ s, m, lt, r, q, lv, call }): Opt => ({ s, k: s * Math.exp(m), t: Math.exp(lt), r, q, v: Math.exp(lv), call }));

describe('WebAssembly SIMD Greeks kernel', () => {
  test.prop([fc.array(option, { minLength: 1, maxLength: 40 })], { numRuns: 200 })(
    'every figure equals the scalar kernel to 1e-12 relative (plus 1e-15 of S + K, of 1/S for Γ)',
    (opts) => {
      const out = bsmGreeksBatch(batchOf(opts));
      opts.forEach((o, i) => {
        const want = scalar(o);
        const scale = { price: o.s + o.k, delta: 1, gamma: 1 / o.s, thetaPerYear: o.s + o.k, thetaPerDay: (o.s + o.k) / 365, vegaPerVolPoint: o.s, rhoPerPct: o.k * o.t };
        for (const f of FIELDS) expect(Math.abs(out[f][i]! - want[f])).toBeLessThanOrEqual(1e-12 * Math.abs(want[f]) + 1e-15 * scale[f]);
      });
    },
  );

  test.prop([fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: 1e-4, max: 30, noNaN: true })], { numRuns: 300 })(
    'discount factors are Math.exp bit for bit: a deep ITM call (d1, d2 > 40, so N = 1) has Δ = e^{−qT} and ρ = K·T·e^{−rT}/100 exactly',
    (q, r, t) => {
      const g = bsmGreeks({ spot: 1e12, strike: 1, tenorYears: t, rateCont: r, dividendYield: q, volAnnual: 0.01, right: 'call' });
      expect(g.delta).toBe(Math.exp(-q * t));
      expect(g.rhoPerPct).toBe((1 * t * Math.exp(-r * t)) / 100);
    },
  );

  plain('options outside the kernel domain get the scalar kernel exactly (T = 0, σ = 0, |rT| > 700, S/K subnormal)', () => {
    const base: Opt = { s: 100, k: 95, t: 0.5, r: 0.03, q: 0.01, v: 0.25, call: true };
    const odd: Opt[] = [
      { ...base, t: 0 }, { ...base, v: 0, call: false }, { ...base, r: 50, t: 20 }, { ...base, q: -40, t: 20, call: false },
      { ...base, s: 1e-300, k: 1e10 }, base,
    ];
    const out = bsmGreeksBatch(batchOf(odd));
    odd.slice(0, 5).forEach((o, i) => expect(row(out, i)).toEqual(scalar(o)));
  });

  plain('chunk boundaries and odd lengths: every option equals bsmGreeks on its own, bit for bit', () => {
    for (const n of [1, 3, 1023, 1024, 1025, 2051]) {
      const opts = Array.from({ length: n }, (_, i): Opt => ({
        s: 50 + (i % 97), k: 40 + ((i * 7) % 113), t: i % 50 === 0 ? 0 : 0.01 + (i % 13) / 5, r: 0.02, q: (i % 5) / 100, v: i % 31 === 0 ? 0 : 0.1 + (i % 11) / 20, call: i % 3 !== 0,
      }));
      const out = bsmGreeksBatch(batchOf(opts));
      for (const i of [0, n >> 1, n - 1]) {
        const o = opts[i]!;
        const g = bsmGreeks({ spot: o.s, strike: o.k, tenorYears: o.t, rateCont: o.r, dividendYield: o.q, volAnnual: o.v, right: o.call ? 'call' : 'put' });
        expect(row(out, i)).toEqual(Object.fromEntries(FIELDS.map((f) => [f, g[f]])));
      }
    }
  });

  plain('an invalid option in a later chunk is reported by its own index', () => {
    const opts = Array.from({ length: 2500 }, (): Opt => ({ s: 100, k: 100, t: 1, r: 0.01, q: 0, v: 0.2, call: true }));
    opts[2100] = { ...opts[2100]!, v: Number.NaN };
    expect(() => bsmGreeksBatch(batchOf(opts))).toThrow(/option 2100/);
  });

  plain('the fused (relaxed_madd) and plain variants agree to 1e-14 relative', () => {
    const opts = fc.sample(option, { numRuns: 512, seed: 7 });
    const run = (fuse: boolean) => {
      const mod = greeksModule(fuse);
      const wa = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object) => { exports: unknown } } }).WebAssembly;
      const ex = new wa.Instance(new wa.Module(mod.bytes)).exports as { greeks: (b: number, c: number) => number; mem: { buffer: ArrayBuffer; grow(n: number): number } };
      ex.mem.grow(Math.ceil((mod.dataBase + COLUMNS * 512 * 8) / 65536));
      const h = new Float64Array(ex.mem.buffer, mod.dataBase);
      opts.forEach((o, i) => [o.s, o.k, o.t, o.r, o.q, o.v].forEach((x, c) => (h[c * 512 + i] = x)));
      new Uint8Array(ex.mem.buffer, mod.dataBase + RIGHTS * 512 * 8).set(opts.map((o) => (o.call ? 1 : 0)));
      ex.greeks(mod.dataBase, 512 * 8);
      return h.slice(IN_COLS.length * 512, (IN_COLS.length + OUT_COLS.length) * 512);
    };
    const [a, b] = [run(true), run(false)];
    a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(1e-14 * Math.abs(b[i]!) + 1e-300));
  });
});
