/**
 * Monte Carlo VaR of a book driven directly by the returns of its m source symbols, jointly
 * normal with covariance Σ, for many forecasts in a row (a VaR backtest): the standard normals
 * are drawn once (`drawNormals`) and reused by every call — common random numbers — so two
 * forecasts differ only by their inputs, and a call costs one dot product per path (the linear
 * holdings), a row of the root per source that carries options, and the option repricing.
 * Options are repriced in full at S(1 + r) with h/252 years less to expiry; vols and rates
 * unchanged. VaR follows the historical-simulation convention over the simulated P&L (numpy
 * type-7 quantile, VaR = −q_{1−c}).
 */
import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { quantileSorted } from '../common/quantile.ts';
import { bsmPrice } from '../options/black-scholes.ts';
import { normCdf } from '../common/normal.ts';
import { optionValueToday, type RiskBook } from '../risk/risk-book.ts';
import { covarianceRoot } from './covariance-root.ts';
import { SeededVariates } from './random.ts';

/** Standard normals for `paths` paths of up to `width` sources, row-major (path p's draws at p × width). */
export interface NormalDraws {
  paths: number;
  width: number;
  z: Float64Array;
}

/** Draws paths × width standard normals from `seed` (the engine's seeded generator). */
export function drawNormals(paths: number, width: number, seed: number): NormalDraws {
  if (!(Number.isInteger(paths) && paths >= 100)) throw new EngineError('INVALID_INPUT', `paths must be an integer ≥ 100, got ${paths}`);
  if (!(Number.isInteger(width) && width >= 1)) throw new EngineError('INVALID_INPUT', `width must be a positive integer, got ${width}`);
  const rng = new SeededVariates(seed);
  const z = new Float64Array(paths * width);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return { paths, width, z };
}

export interface SourceMcInput {
  book: RiskBook;
  /** The m sources, in the order of the covariance. Holdings on other sources are refused. */
  sources: readonly string[];
  /** m × m covariance of the sources' daily returns. */
  covariance: DenseMatrix;
  draws: NormalDraws;
  confidences: readonly number[];
  /** Trading days; draws scale by √h (default 1). */
  horizonDays?: number;
}

/** Gross moves below this are floored so option spots stay positive. */
const MIN_GROSS = 1e-9;

/**
 * VaR per confidence (positive = loss), in the order given.
 * @throws EngineError INVALID_INPUT for a holding whose source is not listed, more sources than
 *   the draws' width, a covariance of the wrong shape or not PSD, a confidence outside (0, 1).
 */
export function sourceMonteCarloVar(input: SourceMcInput): number[] {
  const { book, sources, draws } = input;
  const m = sources.length;
  if (m > draws.width) throw new EngineError('INVALID_INPUT', `${m} sources but draws for ${draws.width}`);
  if (input.covariance.rows !== m) throw new EngineError('INVALID_INPUT', `covariance is ${input.covariance.rows}×${input.covariance.cols}, ${m} sources`);
  for (const c of input.confidences) if (!(c > 0 && c < 1)) throw new EngineError('INVALID_INPUT', `confidence must be in (0, 1), got ${c}`);
  const index = new Map(sources.map((s, i) => [s, i] as const));
  const at = (s: string) => {
    const i = index.get(s);
    if (i === undefined) throw new EngineError('INVALID_INPUT', `holding on ${s}, which is not among the sources`);
    return i;
  };
  const h = input.horizonDays ?? 1;
  const scale = Math.sqrt(h);
  const { root, method } = covarianceRoot(input.covariance);
  for (const o of book.options) bsmPrice({ spot: o.spot, strike: o.strike, tenorYears: o.tenorYears, rateCont: o.rateCont, volAnnual: o.volAnnual, dividendYield: o.dividendYield ?? 0, right: o.right }); // validates the inputs
  const lower = method === 'cholesky';
  const exposure = new Float64Array(m);
  for (const l of book.linear) exposure[at(l.source)]! += l.valueUsd;
  // Per option, what does not depend on the path: discount factors, σ√T and the drift term of d1.
  const opts = book.options.map((o) => {
    const tau = Math.max(o.tenorYears - h / 252, 0);
    const q = o.dividendYield ?? 0;
    return {
      j: at(o.source), spot: o.spot, strike: o.strike, call: o.right === 'call', shares: o.sharesSigned, today: optionValueToday(o),
      dfq: Math.exp(-q * tau), dfr: Math.exp(-o.rateCont * tau), sig: o.volAnnual * Math.sqrt(tau), drift: (o.rateCont - q + 0.5 * o.volAnnual * o.volAnnual) * tau,
    };
  });
  const { paths, width, z } = draws;
  // The linear P&L Σ_i e_i r_i = Σ_i e_i Σ_j R_ij z_j · √h = Σ_j w_j z_j with w = √h Rᵀe: m products a path, not m²/2;
  // the returns themselves are formed only for the sources that carry options.
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const e = exposure[i]! * scale;
    if (e === 0) continue;
    const end = lower ? i + 1 : m;
    for (let j = 0; j < end; j++) w[j]! += root[i * m + j]! * e;
  }
  const optionSources = [...new Set(opts.map((x) => x.j))];
  const pnl = new Float64Array(paths);
  const r = new Float64Array(m);
  for (let p = 0; p < paths; p++) {
    const off = p * width;
    let total = 0;
    for (let j = 0; j < m; j++) total += w[j]! * z[off + j]!;
    for (const i of optionSources) {
      let s = 0;
      const row = i * m;
      const end = lower ? i + 1 : m;
      for (let j = 0; j < end; j++) s += root[row + j]! * z[off + j]!;
      r[i] = s * scale;
    }
    for (const x of opts) {
      const spot = x.spot * Math.max(1 + r[x.j]!, MIN_GROSS);
      let v: number;
      // bsmPrice's formula and corner case (σ√T = 0: discounted forward intrinsic), inputs validated once.
      if (x.sig === 0) {
        const fwd = spot * x.dfq - x.strike * x.dfr;
        v = x.call ? Math.max(fwd, 0) : Math.max(-fwd, 0);
      } else {
        const d1 = (Math.log(spot / x.strike) + x.drift) / x.sig;
        const d2 = d1 - x.sig;
        v = x.call ? spot * x.dfq * normCdf(d1) - x.strike * x.dfr * normCdf(d2) : x.strike * x.dfr * normCdf(-d2) - spot * x.dfq * normCdf(-d1);
      }
      total += (v - x.today) * x.shares;
    }
    pnl[p] = total;
  }
  pnl.sort();
  return input.confidences.map((c) => -quantileSorted(pnl, 1 - c));
}
