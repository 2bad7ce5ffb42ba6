/**
 * Benchmark: 500-symbol × 252-day Pearson correlation matrix (`correlationMatrix` fast path:
 * standardise once, one register-blocked Z·Zᵀ), against `numpy.corrcoef` on the same seeded
 * data in a child process (timed inside python).
 */
import { correlationMatrix } from '../../engines/correlation/correlation-matrix.ts';
import { gauss, medianMs, mulberry32, numpyTimed, type BenchRow, type BenchSuite } from './lib.ts';

const SYMBOLS = 500;
const DAYS = 252;


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
    // 20 warm-up runs: V8 tiers the WebAssembly kernel up from Liftoff to TurboFan after a few calls.
    const ms = await medianMs(() => correlationMatrix(series, names), 15, 20);
    const ref = numpyTimed(PY, { x }, { label: ' corrcoef', reps: 6, warmup: 2 });
    const ref1 = numpyTimed(PY, { x }, { label: ' corrcoef', reps: 6, warmup: 2, threads: 1 });
    return [{
      name: `correlation matrix, ${SYMBOLS} symbols × ${DAYS} days (${((SYMBOLS * (SYMBOLS - 1)) / 2).toLocaleString('en-US')} pairs)`,
      unit: 'pair', units: (SYMBOLS * (SYMBOLS - 1)) / 2, medianMs: ms,
      ...(ref ? { referenceMs: ref.ms, referenceName: ref.name } : {}),
      ...(ref1 ? { extra: { 'numpy 1 BLAS thread ms': ref1.ms.toFixed(2), 'ratio to 1 thread': (ms / ref1.ms).toFixed(2) } } : {}),
    }];
  },
};
export default suite;
