/**
 * Benchmark: per-share BSM price and Greeks (Δ, Γ, Θ per year and per day, vega per vol point,
 * ρ per %-point) for 100,000 mixed calls/puts with dividend yields (`bsmGreeksBatch`), against
 * the same vectorised computation in numpy/scipy (`scipy.special.ndtr`) in a long-lived child
 * process on the same seeded inputs (compute only, no start-up or I/O). After the same warm-up on
 * both sides, ROUNDS rounds each run a block of BLOCK back-to-back calls per side in turn, so both
 * see the same machine load; figures are medians over calls of wall and process CPU time, and the
 * median over rounds of the per-round ratio. The python twin also writes its prices and deltas so
 * the row reports the largest difference between the two.
 */
import { join } from 'node:path';
import { bsmGreeksBatch, type GreeksBatchInputs } from '../../engines/options/greeks-batch.ts';
import { type BenchRow, type BenchSuite, median, mulberry32, numpyServer, type NumpyCall, readF64, referenceName, roundRatio, timedCalls } from './lib.ts';

const N = 100_000;
const WARMUP = 10;
const ROUNDS = 10;
const BLOCK = 5;

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
import scipy
from scipy.special import ndtr
HELLO = {'scipy': scipy.__version__}
ld = lambda n: np.fromfile(d + '/' + n + '.bin')
S, K, T, r, q, v = ld('s'), ld('k'), ld('t'), ld('r'), ld('q'), ld('v')
call = np.fromfile(d + '/c.bin', dtype=np.uint8).astype(bool)
def run():
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
out = run()
out[0].tofile(d + '/py_price.bin'); out[1].tofile(d + '/py_delta.bin')
`;

function maxAbsDiff(a: Float64Array, file: string): number {
  const b = readF64(file);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const suite: BenchSuite = {
  name: 'Options Greeks (BSM with dividend yield, bsmGreeksBatch)',
  async run(): Promise<BenchRow[]> {
    const x = inputs();
    const out = bsmGreeksBatch(x);
    const arrays = { s: x.spot, k: x.strike, t: x.tenorYears, r: x.rateCont, q: x.dividendYield!, v: x.volAnnual, c: x.isCall };
    const np = await numpyServer(PY, arrays, { threads: 1 });
    const js: NumpyCall[][] = [];
    const py: NumpyCall[][] = [];
    const call = () => bsmGreeksBatch(x, out);
    try {
      timedCalls(call, WARMUP);
      await np?.calls(WARMUP);
      for (let r = 0; r < ROUNDS; r++) {
        js.push(timedCalls(call, BLOCK));
        if (np) py.push(await np.calls(BLOCK));
      }
      const all = (s: NumpyCall[][], k: 'ms' | 'cpuMs') => s.flat().map((c) => c[k]);
      const ms = median(all(js, 'ms'));
      const cpu = median(all(js, 'cpuMs'));
      const row: BenchRow = {
        name: `Greeks, ${N.toLocaleString('en-US')} options (price, Δ, Γ, Θ/yr, Θ/day, vega, ρ)`, unit: 'option', units: N, medianMs: ms,
        extra: { 'best-of ms': Math.min(...all(js, 'ms')).toFixed(2), 'CPU ms': cpu.toFixed(2) },
      };
      if (np) {
        const npCpu = median(all(py, 'cpuMs'));
        row.referenceMs = median(all(py, 'ms'));
        row.referenceName = referenceName(`numpy ${String(np.hello['numpy'])} + scipy ${String(np.hello['scipy'])} ndtr`, np.blas);
        Object.assign(row.extra!, {
          'numpy best-of ms': Math.min(...all(py, 'ms')).toFixed(2), 'round ratio': roundRatio(js, py).toFixed(2),
          'numpy CPU ms': npCpu.toFixed(2), 'CPU ratio': (cpu / npCpu).toFixed(2), 'round CPU ratio': roundRatio(js, py, 'cpuMs').toFixed(2),
          'max |Δprice| vs numpy': maxAbsDiff(out.price, join(np.dir, 'py_price.bin')).toExponential(2),
          'max |Δdelta| vs numpy': maxAbsDiff(out.delta, join(np.dir, 'py_delta.bin')).toExponential(2),
        });
      }
      return [row];
    } finally {
      np?.close();
    }
  },
};

export default suite;
