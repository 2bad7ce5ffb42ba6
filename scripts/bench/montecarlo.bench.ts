/**
 * Benchmark: factor Monte Carlo VaR/CVaR (`monteCarloVar`) of a 30-position book — 24 stocks and
 * ETFs and 6 options on them — driven by k = 8 factors (one a rate factor in bp) plus residuals:
 * 10,000 paths at 1 day with normal and Student-t (ν = 5) innovations, 10,000 paths at 10 days, and
 * 100,000 paths at 1 day. Each call covers the whole job: validation, Cholesky, draws, full BSM
 * repricing of every option on every path, VaR/CVaR at 95/99 % with their intervals and the tail
 * contributions.
 * numpy twin (1 BLAS thread): the same model and book, `default_rng` normals, `np.linalg.cholesky`,
 * matrix products, vectorised BSM with `scipy.special.ndtr`, `np.quantile` tails, the binomial
 * order-statistic ranks from `scipy.stats.binom.ppf` and the tail contributions.
 * Rows give the median wall time and, in `cpuMs` / `referenceCpuMs`, the median process CPU time
 * of both sides (wall time on a loaded 2-core machine mostly measures the other processes).
 */
import { monteCarloVar, type FactorMcInput } from '../../engines/montecarlo/monte-carlo-var.ts';
import { denseMatrix } from '../../engines/common/dense-matrix.ts';
import { optionValueToday, type LinearHolding, type OptionHolding } from '../../engines/risk/risk-book.ts';
import { type BenchRow, type BenchSuite, gauss, medianMs, mulberry32, numpyTimed } from './lib.ts';

const K = 8;
const LINEAR = 24;
const OPTIONS = 6;
const RATE = K - 1;

function model(): Omit<FactorMcInput, 'paths' | 'seed' | 'horizonDays' | 'innovations'> {
  const r = mulberry32(8080);
  // covariance = D C D from a random one-factor-plus-noise correlation; factor 7 is rates in bp
  const vols = Float64Array.from({ length: K }, (_, a) => (a === RATE ? 6 : 0.004 + 0.01 * r()));
  const load = Float64Array.from({ length: K }, () => 0.2 + 0.6 * r());
  const cov = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) cov[a * K + b] = (a === b ? 1 : load[a]! * load[b]! * 0.8) * vols[a]! * vols[b]!;
  const linear: LinearHolding[] = [];
  const loadings = new Map<string, number[]>();
  const residualVol = new Map<string, number>();
  for (let i = 0; i < LINEAR; i++) {
    const s = `S${i}`;
    linear.push({ id: `l${i}`, source: s, valueUsd: (r() < 0.2 ? -1 : 1) * (20_000 + 180_000 * r()) });
    loadings.set(s, Array.from({ length: K }, (_, a) => (a === RATE ? -0.0005 * r() : a === 0 ? 0.6 + 0.8 * r() : 0.5 * gauss(r))));
    residualVol.set(s, 0.005 + 0.015 * r());
  }
  const options: OptionHolding[] = Array.from({ length: OPTIONS }, (_, j) => {
    const spot = 50 + 400 * r();
    return {
      id: `o${j}`, source: `S${j * 3}`, right: j % 2 === 0 ? 'put' : 'call', spot, strike: spot * (0.9 + 0.2 * r()), tenorYears: 0.05 + 0.7 * r(),
      rateCont: 0.04, volAnnual: 0.15 + 0.4 * r(), dividendYield: 0.01 * r(), sharesSigned: (r() < 0.3 ? -1 : 1) * 100 * (1 + Math.floor(20 * r())),
    };
  });
  return { book: { linear, options }, factors: Array.from({ length: K }, (_, a) => `F${a}`), factorCovariance: denseMatrix(cov, K, K), loadings, residualVol, rateFactor: `F${RATE}` };
}

/** The model as flat arrays for the numpy twin (sources sorted as the engine sorts them). */
function arrays(m: ReturnType<typeof model>) {
  const sources = [...new Set(m.book.linear.map((h) => h.source))].sort();
  const idx = new Map(sources.map((s, j) => [s, j] as const));
  const o = m.book.options;
  return {
    cov: m.factorCovariance.data,
    betas: Float64Array.from(sources.flatMap((s) => m.loadings.get(s) as number[])),
    resid: Float64Array.from(sources, (s) => m.residualVol.get(s) ?? 0),
    lval: Float64Array.from(m.book.linear, (h) => h.valueUsd), lsrc: Float64Array.from(m.book.linear, (h) => idx.get(h.source)!),
    ospot: Float64Array.from(o, (x) => x.spot), ostrike: Float64Array.from(o, (x) => x.strike), otenor: Float64Array.from(o, (x) => x.tenorYears),
    orate: Float64Array.from(o, (x) => x.rateCont), oq: Float64Array.from(o, (x) => x.dividendYield ?? 0), ovol: Float64Array.from(o, (x) => x.volAnnual),
    oshares: Float64Array.from(o, (x) => x.sharesSigned), otoday: Float64Array.from(o, optionValueToday), ocall: Float64Array.from(o, (x) => (x.right === 'call' ? 1 : 0)),
    osrc: Float64Array.from(o, (x) => idx.get(x.source)!),
  };
}

const py = (paths: number, h: number) => `
from scipy.special import ndtr
from scipy.stats import binom
ld = lambda n: np.fromfile(d + '/' + n + '.bin')
K, P, H, RATE = ${K}, ${paths}, ${h}, ${RATE}
cov = ld('cov').reshape(K, K); B = ld('betas').reshape(-1, K); resid = ld('resid')
lval, lsrc = ld('lval'), ld('lsrc').astype(np.int64)
S, Kx, T0, r0, q, v, sh, v0, call, osrc = (ld(n) for n in ('ospot', 'ostrike', 'otenor', 'orate', 'oq', 'ovol', 'oshares', 'otoday', 'ocall', 'osrc'))
osrc = osrc.astype(np.int64); call = call.astype(bool)
E = np.bincount(lsrc, weights=lval, minlength=B.shape[0])
rng = np.random.default_rng(1)
def run():
    A = np.linalg.cholesky(cov)
    sq = np.sqrt(H)
    f = (rng.standard_normal((P, K)) @ A.T) * sq
    R = f @ B.T + rng.standard_normal((P, B.shape[0])) * resid * sq
    pnl = R @ E
    tau = np.maximum(T0 - H / 252, 0); st = v * np.sqrt(tau)
    rr = r0[None, :] + f[:, RATE:RATE + 1] / 1e4
    Sp = S * np.maximum(1 + R[:, osrc], 1e-9)
    d1 = (np.log(Sp / Kx) + (rr - q + 0.5 * v * v) * tau) / st; d2 = d1 - st
    sgn = np.where(call, 1.0, -1.0)
    price = sgn * (Sp * np.exp(-q * tau) * ndtr(sgn * d1) - Kx * np.exp(-rr * tau) * ndtr(sgn * d2))
    opnl = (price - v0) * sh
    pnl = pnl + opnl.sum(1)
    s = np.sort(pnl); out = []
    for c in (0.95, 0.99):
        p = 1 - c; qv = np.quantile(s, p); tail = s[s <= qv]
        var, cvar = -qv, -tail.mean()
        se = np.sqrt((tail.var(ddof=1) + c * (cvar - var) ** 2) / (P * p))
        l = int(binom.ppf(0.025, P, p)); u = int(binom.ppf(0.975, P, p)) + 1
        out.append((var, cvar, -s[min(u, P) - 1], -s[max(l, 1) - 1], cvar - 1.96 * se, cvar + 1.96 * se))
    m = pnl <= np.quantile(s, 0.01)
    contrib = np.concatenate([(lval * R[m][:, lsrc]).mean(0), opnl[m].mean(0)])
    return out, contrib, pnl.mean(), pnl.std(ddof=1)
`;

/** Median process CPU time (user + system) of `fn` over `reps` calls, ms: steadier than wall time on a shared machine. */
function cpuMedianMs(fn: () => unknown, reps: number): number {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

const suite: BenchSuite = {
  name: 'Monte Carlo VaR',
  async run(): Promise<BenchRow[]> {
    const m = model();
    const cases: { label: string; paths: number; h: number; innovations: FactorMcInput['innovations']; numpy: boolean }[] = [
      { label: 'normal, 1-day', paths: 10_000, h: 1, innovations: { kind: 'normal' }, numpy: true },
      { label: 'Student-t ν = 5, 1-day', paths: 10_000, h: 1, innovations: { kind: 'student_t', dof: 5 }, numpy: false },
      { label: 'normal, 10-day', paths: 10_000, h: 10, innovations: { kind: 'normal' }, numpy: true },
      { label: 'normal, 1-day', paths: 100_000, h: 1, innovations: { kind: 'normal' }, numpy: true },
    ];
    const rows: BenchRow[] = [];
    for (const c of cases) {
      const input: FactorMcInput = { ...m, paths: c.paths, seed: 42, horizonDays: c.h, innovations: c.innovations };
      const out = monteCarloVar(input);
      const ms = await medianMs(() => monteCarloVar(input), 9, 5);
      const cpu = cpuMedianMs(() => monteCarloVar(input), 9);
      const ref = c.numpy ? numpyTimed(py(c.paths, c.h), arrays(m), { threads: 1, label: ' + scipy (1 BLAS thread)', reps: 9, warmup: 3 }) : null;
      rows.push({
        name: `Monte Carlo VaR/CVaR 95/99 % (monteCarloVar), ${c.label}, ${c.paths.toLocaleString('en-US')} paths, ${LINEAR + OPTIONS} positions (${OPTIONS} options), k = ${K} factors`,
        unit: 'path', units: c.paths, medianMs: ms,
        ...(ref ? { referenceMs: ref.ms, referenceName: ref.name } : {}),
        extra: {
          cpuMs: cpu.toFixed(2), ...(ref ? { referenceCpuMs: ref.cpuMs.toFixed(2) } : {}),
          var99Usd: Math.round(out.levels[1]!.varUsd), cvar99Usd: Math.round(out.levels[1]!.cvarUsd),
        },
      });
    }
    return rows;
  },
};
export default suite;
