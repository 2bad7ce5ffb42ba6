/**
 * Benchmark: 500-symbol × 252-day Pearson correlation matrix (`correlationMatrix` fast path:
 * standardise once, one register-blocked Z·Zᵀ), against `numpy.corrcoef` on the same seeded
 * data in a child process (timed inside python). Three rounds alternate the two, and the row
 * reports medians over all samples plus best-of (minimum) times and ratios, and the median CPU
 * time of each side (SigmaSight's process, numpy with one BLAS thread): the ratio least moved by
 * other work on a shared machine.
 */
import { correlationMatrix } from '../../engines/correlation/correlation-matrix.ts';
import { cpuSamplesMs, gauss, medianOf, mulberry32, numpyTimed, samplesMs, type BenchRow, type BenchSuite, type NumpyTiming } from './lib.ts';

const SYMBOLS = 500;
const DAYS = 252;
/** Rounds alternating SigmaSight and numpy timings, so both see the same spread of machine load. */
const ROUNDS = 3;


function data(): Float64Array {
  const r = mulberry32(500252);
  const market = Float64Array.from({ length: DAYS }, () => 0.01 * gauss(r));
  const x = new Float64Array(SYMBOLS * DAYS);
  for (let s = 0; s < SYMBOLS; s++) {
    const b = 0.5 + r();
    for (let t = 0; t < DAYS; t++) x[s * DAYS + t] = b * market[t]! + 0.015 * gauss(r);
  }
  return x;
}

const PY = `
X = np.fromfile(d + '/x.bin').reshape(${SYMBOLS}, ${DAYS})
def run():
    return np.corrcoef(X)
`;

const suite: BenchSuite = {
  name: 'Correlation matrix',
  async run(): Promise<BenchRow[]> {
    const x = data();
    const names = Array.from({ length: SYMBOLS }, (_, i) => `S${i}`);
    const series = { data: x, rows: SYMBOLS, cols: DAYS };
    // 60 warm-up runs before the first round: V8 tiers the JavaScript (standardise, edges) and the
    // WebAssembly kernel up on background threads, which on a loaded machine takes 30–50 calls.
    const js: number[] = [];
    const cpu: number[] = [];
    const np2: NumpyTiming[] = [];
    const np1: NumpyTiming[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      js.push(...(await samplesMs(() => correlationMatrix(series, names), 15, round === 0 ? 60 : 3)));
      cpu.push(...(await cpuSamplesMs(() => correlationMatrix(series, names), 15, 0)));
      const r2 = numpyTimed(PY, { x }, { label: ' corrcoef', reps: 6, warmup: 2 });
      const r1 = numpyTimed(PY, { x }, { label: ' corrcoef', reps: 6, warmup: 2, threads: 1 });
      if (r2) np2.push(r2);
      if (r1) np1.push(r1);
    }
    return [row(js, cpu, pool(np2), pool(np1))];
  },
};

/** Pools numpy rounds: median of the round medians, minimum of the minima. */
function pool(rounds: NumpyTiming[]): NumpyTiming | null {
  if (!rounds.length) return null;
  const med = (k: 'ms' | 'cpuMs') => medianOf(rounds.map((r) => r[k]).sort((a, b) => a - b));
  return { ms: med('ms'), cpuMs: med('cpuMs'), minMs: Math.min(...rounds.map((r) => r.minMs)), name: rounds[0]!.name };
}

function row(js: number[], cpu: number[], ref: NumpyTiming | null, ref1: NumpyTiming | null): BenchRow {
  js.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const ms = medianOf(js);
  const best = js[0]!;
  const cpuMs = medianOf(cpu);
  return {
    name: `correlation matrix, ${SYMBOLS} symbols × ${DAYS} days (${((SYMBOLS * (SYMBOLS - 1)) / 2).toLocaleString('en-US')} pairs)`,
    unit: 'pair', units: (SYMBOLS * (SYMBOLS - 1)) / 2, medianMs: ms,
    ...(ref ? { referenceMs: ref.ms, referenceName: ref.name } : {}),
    extra: {
      'best-of ms': best.toFixed(2),
      ...(ref ? { 'numpy best-of ms': ref.minMs.toFixed(2), 'best-of ratio': (best / ref.minMs).toFixed(2) } : {}),
      ...(ref1 ? { 'numpy 1 BLAS thread ms': ref1.ms.toFixed(2), 'ratio to 1 thread': (ms / ref1.ms).toFixed(2), 'best-of ratio to 1 thread': (best / ref1.minMs).toFixed(2) } : {}),
      'CPU ms': cpuMs.toFixed(2),
      ...(ref1 ? { 'numpy 1 thread CPU ms': ref1.cpuMs.toFixed(2), 'CPU ratio to 1 thread': (cpuMs / ref1.cpuMs).toFixed(2) } : {}),
    },
  };
}
export default suite;
