/**
 * Benchmark: per-share BSM price and Greeks (Δ, Γ, Θ per year and per day, vega per vol point,
 * ρ per %-point) for 100,000 mixed calls/puts with dividend yields (`bsmGreeksBatch`), against
 * the same vectorised computation in numpy/scipy (`scipy.special.ndtr`) in a child process on the
 * same seeded inputs, timed inside python (compute only, no start-up or I/O). The python run also
 * returns its deltas and prices so the row reports the largest difference between the two.
 */
import { join } from 'node:path';
import { bsmGreeksBatch, type GreeksBatchInputs, type GreeksBatchOutput } from '../../engines/options/greeks-batch.ts';
import { type BenchRow, type BenchSuite, medianMs, mulberry32, readF64, runPython } from './lib.ts';

const N = 100_000;


/** Seeded inputs: S 20–500, K/S 0.6–1.6, T 1 day – 2 years, r 0–6 %, q 0–4 %, σ 8–90 %, half calls. */
function inputs(): GreeksBatchInputs {
  const r = mulberry32(100_000);
  const x: GreeksBatchInputs = {
    spot: new Float64Array(N), strike: new Float64Array(N), tenorYears: new Float64Array(N), rateCont: new Float64Array(N),
    volAnnual: new Float64Array(N), dividendYield: new Float64Array(N), isCall: new Uint8Array(N),
  };
  for (let i = 0; i < N; i++) {
    x.spot[i] = 20 + 480 * r();
    x.strike[i] = x.spot[i]! * (0.6 + r());
    x.tenorYears[i] = (1 + Math.floor(730 * r())) / 365;
    x.rateCont[i] = 0.06 * r();
    x.dividendYield![i] = 0.04 * r();
    x.volAnnual[i] = 0.08 + 0.82 * r();
    x.isCall[i] = r() < 0.5 ? 1 : 0;
  }
  return x;
}

const PY = `
import sys, time, json, numpy as np, scipy
from scipy.special import ndtr
d = sys.argv[1]
ld = lambda n: np.fromfile(d + '/' + n + '.bin')
S, K, T, r, q, v = ld('s'), ld('k'), ld('t'), ld('r'), ld('q'), ld('v')
call = np.fromfile(d + '/c.bin', dtype=np.uint8).astype(bool)
def greeks():
    sq = np.sqrt(T); sig = v * sq
    d1 = (np.log(S / K) + (r - q + 0.5 * v * v) * T) / sig; d2 = d1 - sig
    dfq = np.exp(-q * T); dfr = np.exp(-r * T)
    sgn = np.where(call, 1.0, -1.0)
    n1 = ndtr(sgn * d1); n2 = ndtr(sgn * d2)
    pdf = np.exp(-0.5 * d1 * d1) / np.sqrt(2 * np.pi)
    price = sgn * (S * dfq * n1 - K * dfr * n2)
    delta = sgn * dfq * n1
    gamma = dfq * pdf / (S * sig)
    theta = -S * dfq * pdf * v / (2 * sq) - sgn * r * K * dfr * n2 + sgn * q * S * dfq * n1
    vega = S * dfq * pdf * sq / 100
    rho = sgn * K * T * dfr * n2 / 100
    return price, delta, gamma, theta, theta / 365, vega, rho
times = []
for i in range(9):
    t0 = time.perf_counter(); out = greeks(); times.append((time.perf_counter() - t0) * 1e3)
times = sorted(times[2:])
out[0].tofile(d + '/py_price.bin'); out[1].tofile(d + '/py_delta.bin')
print(json.dumps({'ms': times[len(times) // 2], 'numpy': np.__version__, 'scipy': scipy.__version__}))
`;

function maxAbsDiff(a: Float64Array, file: string): number {
  const b = readF64(file);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function numpyReference(x: GreeksBatchInputs, ours: GreeksBatchOutput): { ms: number; name: string; dPrice: number; dDelta: number } | null {
  const arrays = { s: x.spot, k: x.strike, t: x.tenorYears, r: x.rateCont, q: x.dividendYield!, v: x.volAnnual, c: x.isCall };
  return runPython<{ ms: number; numpy: string; scipy: string }, { ms: number; name: string; dPrice: number; dDelta: number }>(PY, arrays, (r, dir) => ({
    ms: r.ms, name: `numpy ${r.numpy} + scipy ${r.scipy} ndtr`,
    dPrice: maxAbsDiff(ours.price, join(dir, 'py_price.bin')), dDelta: maxAbsDiff(ours.delta, join(dir, 'py_delta.bin')),
  }));
}

const suite: BenchSuite = {
  name: 'Options Greeks (BSM with dividend yield, bsmGreeksBatch)',
  async run(): Promise<BenchRow[]> {
    const x = inputs();
    const out = bsmGreeksBatch(x);
    const ms = await medianMs(() => bsmGreeksBatch(x, out), 9, 3);
    const ref = numpyReference(x, out);
    const row: BenchRow = { name: `Greeks, ${N.toLocaleString('en-US')} options (price, Δ, Γ, Θ/yr, Θ/day, vega, ρ)`, unit: 'option', units: N, medianMs: ms };
    if (ref) {
      row.referenceMs = ref.ms;
      row.referenceName = ref.name;
      row.extra = { 'max |Δprice| vs numpy': ref.dPrice.toExponential(2), 'max |Δdelta| vs numpy': ref.dDelta.toExponential(2) };
    }
    return [row];
  },
};

export default suite;
