/**
 * Benchmark: per-share BSM price and Greeks (Δ, Γ, Θ per year and per day, vega per vol point,
 * ρ per %-point) for 100,000 mixed calls/puts with dividend yields (`bsmGreeksBatch`), against
 * the same vectorised computation in numpy/scipy (`scipy.special.ndtr`) in a child process on the
 * same seeded inputs, timed inside python (compute only, no start-up or I/O). The python run also
 * returns its deltas and prices so the row reports the largest difference between the two.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bsmGreeksBatch, type GreeksBatchInputs, type GreeksBatchOutput } from '../../engines/options/greeks-batch.ts';
import { medianMs, type BenchRow, type BenchSuite } from './lib.ts';

const N = 100_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function bytes(a: Float64Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function maxAbsDiff(a: Float64Array, file: string): number {
  const buf = readFileSync(file);
  const b = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function numpyReference(x: GreeksBatchInputs, ours: GreeksBatchOutput): { ms: number; name: string; dPrice: number; dDelta: number } | null {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-bench-'));
  try {
    const cols: Array<[string, Float64Array | Uint8Array]> = [['s', x.spot], ['k', x.strike], ['t', x.tenorYears], ['r', x.rateCont], ['q', x.dividendYield!], ['v', x.volAnnual], ['c', x.isCall]];
    for (const [name, col] of cols) writeFileSync(join(dir, `${name}.bin`), bytes(col));
    const out = spawnSync('python3', ['-c', PY, dir], { encoding: 'utf8' });
    if (out.status !== 0) return null;
    const parsed = JSON.parse(out.stdout.trim().split('\n').pop()!) as { ms: number; numpy: string; scipy: string };
    return {
      ms: parsed.ms, name: `numpy ${parsed.numpy} + scipy ${parsed.scipy} ndtr`,
      dPrice: maxAbsDiff(ours.price, join(dir, 'py_price.bin')), dDelta: maxAbsDiff(ours.delta, join(dir, 'py_delta.bin')),
    };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
