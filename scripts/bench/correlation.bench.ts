/**
 * Benchmark: 500-symbol × 252-day Pearson correlation matrix (`correlationMatrix` fast path:
 * standardise once, one SIMD Z·Zᵀ), against `numpy.corrcoef` on the same seeded data in two
 * long-lived Python processes (numpy's default BLAS threads, and one BLAS thread like the
 * single-threaded engine). After the same warm-up on every side, ROUNDS rounds each run a block
 * of BLOCK back-to-back calls per side in turn, so all sides see the same spread of machine load
 * and the same number of calls; every figure is the median over calls (best-of = minimum), and
 * the per-round ratio of block medians, whose median over rounds is the figure least moved by
 * other work. Each side times only its own call: wall (`performance.now`, `time.perf_counter`)
 * and process CPU time (`process.cpuUsage`, `time.process_time`). Two rows: the caller reusing
 * one pair of result arrays (`into`), and a fresh result per call (the default). The numpy
 * children run on the OpenBLAS kernel they detect (`pythonEnv` in lib.ts); the reference names
 * carry it, e.g. "[… OpenBLAS 0.3.31 SkylakeX, 1 thread]".
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { correlationMatrix } from '../../engines/correlation/correlation-matrix.ts';
import { faultsPerCall, gauss, medianOf, mulberry32, numpyServer, type BenchRow, type BenchSuite, type NumpyCall } from './lib.ts';

const SYMBOLS = 500;
const DAYS = 252;
/** Untimed calls per side first: V8 tiers the JavaScript and the WebAssembly kernel up on background threads. */
const WARMUP = 60;
const ROUNDS = 10;
const BLOCK = 20;

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

/** Per-round samples of one side, the page faults during its timed calls and the time windows of its blocks. */
interface Side {
  rounds: NumpyCall[][];
  faults: number;
  windows: [number, number][];
}
const side = (): Side => ({ rounds: [], faults: 0, windows: [] });

/** Start times (`performance.now` clock) of every garbage collection, from `gc` performance entries. */
const gcStarts: number[] = [];
/** Garbage collections that started inside one of the side's timed blocks. */
const gcsIn = (s: Side) => gcStarts.filter((t) => s.windows.some(([a, b]) => t >= a && t <= b)).length;
/** `n` back-to-back calls of `fn`, each timed (wall and process CPU), into a new round of `s`. */
function block(fn: () => unknown, n: number, s?: Side): void {
  const calls: NumpyCall[] = [];
  const f0 = process.resourceUsage().minorPageFault;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    calls.push({ ms, cpuMs: (c.user + c.system) / 1e3 });
  }
  if (!s) return;
  s.windows.push([start, performance.now()]);
  s.rounds.push(calls);
  s.faults += process.resourceUsage().minorPageFault - f0;
}

const med = (xs: readonly number[]) => medianOf([...xs].sort((a, b) => a - b));
const all = (s: Side, k: 'ms' | 'cpuMs') => s.rounds.flat().map((c) => c[k]);
/** Median over rounds of (median of a's block / median of b's block), of wall or CPU time. */
const roundRatio = (a: Side, b: Side, k: 'ms' | 'cpuMs' = 'ms') => med(a.rounds.map((r, i) => med(r.map((c) => c[k])) / med(b.rounds[i]!.map((c) => c[k]))));

function row(label: string, js: Side, np: Side | null, np1: Side | null, npName: string | undefined, np1Blas: string | undefined): BenchRow {
  const ms = med(all(js, 'ms'));
  const best = Math.min(...all(js, 'ms'));
  const extra: Record<string, string> = { 'best-of ms': best.toFixed(2), 'CPU ms': med(all(js, 'cpuMs')).toFixed(2) };
  if (np) {
    extra['numpy best-of ms'] = Math.min(...all(np, 'ms')).toFixed(2);
    extra['best-of ratio'] = (best / Math.min(...all(np, 'ms'))).toFixed(2);
    extra['round ratio'] = roundRatio(js, np).toFixed(2);
    extra['numpy faults / call'] = faultsPerCall(np.rounds).toFixed(1);
  }
  if (np1) {
    const ms1 = med(all(np1, 'ms'));
    extra['numpy 1 BLAS thread ms'] = ms1.toFixed(2);
    extra['ratio to 1 thread'] = (ms / ms1).toFixed(2);
    extra['round ratio to 1 thread'] = roundRatio(js, np1).toFixed(2);
    extra['numpy 1 thread CPU ms'] = med(all(np1, 'cpuMs')).toFixed(2);
    extra['CPU ratio to 1 thread'] = (med(all(js, 'cpuMs')) / med(all(np1, 'cpuMs'))).toFixed(2);
    extra['round CPU ratio to 1 thread'] = roundRatio(js, np1, 'cpuMs').toFixed(2);
    extra['numpy 1 thread faults / call'] = faultsPerCall(np1.rounds).toFixed(1);
    extra['numpy 1 thread BLAS'] = np1Blas ?? '?';
  }
  const calls = js.rounds.flat().length;
  extra['page faults / call'] = (js.faults / calls).toFixed(1);
  extra['GCs / 100 calls'] = ((100 * gcsIn(js)) / calls).toFixed(1);
  return {
    name: `correlation matrix, ${SYMBOLS} symbols × ${DAYS} days (${((SYMBOLS * (SYMBOLS - 1)) / 2).toLocaleString('en-US')} pairs), ${label}`,
    unit: 'pair', units: (SYMBOLS * (SYMBOLS - 1)) / 2, medianMs: ms,
    ...(np ? { referenceMs: med(all(np, 'ms')), referenceName: npName } : {}),
    extra,
  };
}

const suite: BenchSuite = {
  name: 'Correlation matrix',
  async run(): Promise<BenchRow[]> {
    const x = data();
    const names = Array.from({ length: SYMBOLS }, (_, i) => `S${i}`);
    const series = { data: x, rows: SYMBOLS, cols: DAYS };
    const into = { rho: new Float64Array(SYMBOLS * SYMBOLS), overlap: new Int32Array(SYMBOLS * SYMBOLS) };
    const reused = () => correlationMatrix(series, names, 30, into);
    const fresh = () => correlationMatrix(series, names);
    const obs = new PerformanceObserver((list) => void gcStarts.push(...list.getEntries().map((e) => e.startTime)));
    obs.observe({ entryTypes: ['gc'] });
    const npServer = await numpyServer(PY, { x }, { label: ' corrcoef' });
    const np1Server = await numpyServer(PY, { x }, { label: ' corrcoef', threads: 1 });
    const [jsR, jsF, np, np1] = [side(), side(), side(), side()];
    try {
      block(reused, WARMUP);
      block(fresh, WARMUP);
      await npServer?.calls(WARMUP);
      await np1Server?.calls(WARMUP);
      for (let r = 0; r < ROUNDS; r++) {
        block(reused, BLOCK, jsR);
        if (npServer) np.rounds.push(await npServer.calls(BLOCK));
        if (np1Server) np1.rounds.push(await np1Server.calls(BLOCK));
        block(fresh, BLOCK, jsF);
      }
      await new Promise((res) => setTimeout(res, 10)); // the last `gc` entries are delivered asynchronously
    } finally {
      npServer?.close();
      np1Server?.close();
      obs.disconnect();
    }
    const [n, n1] = [npServer ? np : null, np1Server ? np1 : null];
    return [row('result arrays reused (`into`)', jsR, n, n1, npServer?.name, np1Server?.blas), row('fresh result per call', jsF, n, n1, npServer?.name, np1Server?.blas)];
  },
};
export default suite;
