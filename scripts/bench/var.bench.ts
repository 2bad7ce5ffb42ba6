/**
 * Benchmark: historical-simulation VaR/CVaR (95 % and 99 %, 1-day, √10 and overlapping 10-day)
 * for 1,000 portfolios of 50 positions over 500 days: per portfolio, P&L_t = Σ_i E_i r_{t,i}
 * from a shared 500-day × 500-symbol return universe, then `historicalVar` at both levels.
 * numpy twin: gather + einsum for the P&L, `np.quantile` (linear), tail means, cumsum windows
 * (on the OpenBLAS kernel it detects: `pythonEnv` in lib.ts).
 */
import { historicalVarLevels } from '../../engines/risk/historical-var.ts';
import { type BenchRow, type BenchSuite, gauss, medianMs, mulberry32, numpyTimed } from './lib.ts';

const PORTFOLIOS = 1_000;
const POSITIONS = 50;
const DAYS = 500;
const UNIVERSE = 500;
const LEVELS = [0.95, 0.99] as const;


function data() {
  const r = mulberry32(1000);
  const returns = new Float64Array(DAYS * UNIVERSE); // days × symbols, row-major
  for (let t = 0; t < DAYS; t++) {
    const mkt = 0.01 * gauss(r);
    for (let s = 0; s < UNIVERSE; s++) returns[t * UNIVERSE + s] = mkt + 0.015 * gauss(r);
  }
  const index = new Float64Array(PORTFOLIOS * POSITIONS); // symbol indices (as float64 for the binary file)
  const exposures = new Float64Array(PORTFOLIOS * POSITIONS);
  for (let p = 0; p < PORTFOLIOS * POSITIONS; p++) {
    index[p] = Math.floor(r() * UNIVERSE);
    exposures[p] = (r() < 0.2 ? -1 : 1) * (10_000 + 90_000 * r());
  }
  return { returns, index, indexInt: Int32Array.from(index), exposures };
}

function runAll(d: ReturnType<typeof data>): number {
  const pnl = new Float64Array(DAYS);
  let check = 0;
  for (let p = 0; p < PORTFOLIOS; p++) {
    const base = p * POSITIONS;
    for (let t = 0; t < DAYS; t++) {
      const row = t * UNIVERSE;
      let s = 0;
      for (let i = 0; i < POSITIONS; i++) s += d.exposures[base + i]! * d.returns[row + d.indexInt[base + i]!]!;
      pnl[t] = s;
    }
    const [v95, v99] = historicalVarLevels(pnl, LEVELS);
    check += v95!.cvar1d + v99!.var10dOverlapping!;
  }
  return check;
}

const PY = `
P, K, T, U = ${PORTFOLIOS}, ${POSITIONS}, ${DAYS}, ${UNIVERSE}
R = np.fromfile(d + '/returns.bin').reshape(T, U)
idx = np.fromfile(d + '/index.bin').astype(np.int64).reshape(P, K)
E = np.fromfile(d + '/exposures.bin').reshape(P, K)
def tail(x, p):
    q = np.quantile(x, p, axis=1)
    m = x <= q[:, None]
    return -q, -(x * m).sum(1) / m.sum(1)
def run():
    pnl = np.einsum('tpk,pk->pt', R[:, idx], E)             # (P, T)
    c = np.cumsum(pnl, axis=1); c = np.concatenate([np.zeros((P, 1)), c], axis=1)
    pnl10 = c[:, 10:] - c[:, :-10]
    out = {}
    for conf in (0.95, 0.99):
        v1, e1 = tail(pnl, 1 - conf); v10, e10 = tail(pnl10, 1 - conf)
        out[conf] = (v1, e1, v1 * np.sqrt(10), e1 * np.sqrt(10), v10, e10)
    return out
`;

const suite: BenchSuite = {
  name: 'Historical VaR',
  async run(): Promise<BenchRow[]> {
    const d = data();
    const ms = await medianMs(() => runAll(d), 5, 1);
    const ref = numpyTimed(PY, { returns: d.returns, index: d.index, exposures: d.exposures });
    return [{
      name: `historical VaR/CVaR 95/99 % (1-day, √10, overlapping 10-day; historicalVarLevels), ${PORTFOLIOS.toLocaleString('en-US')} portfolios × ${POSITIONS} positions × ${DAYS} days`,
      unit: 'portfolio', units: PORTFOLIOS, medianMs: ms,
      ...(ref ? { referenceMs: ref.ms, referenceName: ref.name, extra: { 'numpy faults / call': ref.faults.toFixed(0) } } : {}),
    }];
  },
};
export default suite;
