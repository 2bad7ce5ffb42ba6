/**
 * The input of the factor Monte Carlo and its compiled form: typed arrays the path loop reads
 * without allocating (source betas, residual vols, aggregated linear exposures, option terms at
 * the horizon). One concept: "the book as the simulator sees it".
 */
import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { optionValueToday, type RiskBook } from '../risk/risk-book.ts';
import { covarianceRoot } from './covariance-root.ts';

export type Innovations = { kind: 'normal' } | { kind: 'student_t'; dof: number /* > 2; draws scaled to unit variance: t·sqrt((ν−2)/ν) */ };

export interface FactorMcInput {
  book: RiskBook;
  /** k factor names. */
  factors: readonly string[];
  /** k×k DAILY covariance of factor moves. */
  factorCovariance: DenseMatrix;
  /** Source symbol → k betas (return per unit factor move). */
  loadings: ReadonlyMap<string, ArrayLike<number>>;
  /** Source → daily residual (idiosyncratic) std; absent = 0. */
  residualVol: ReadonlyMap<string, number>;
  /** Name of the factor whose move is a rate change in basis points (options get rateShift = move/10_000); optional. */
  rateFactor?: string;
  /** Trading days; factor and residual draws scaled by √h; options repriced with dtYears = h/252. */
  horizonDays: number;
  /** Number of simulated paths (callers default to 10_000); ≥ 100. */
  paths: number;
  /** Integer seed; the same seed gives the same result. */
  seed: number;
  innovations: Innovations;
  /** Default [0.95, 0.99]. */
  confidences?: readonly number[];
  /** Also return every path's P&L, source returns and rate shift (`McResult.simulated`). */
  keepPaths?: boolean;
}

/** Trading days per year used to shorten option tenors over the horizon. */
export const TRADING_DAYS_PER_YEAR = 252;
export const MIN_PATHS = 100;

export interface CompiledModel {
  k: number;
  root: Float64Array;
  rootMethod: 'cholesky' | 'eigen';
  sources: string[];
  /** m × k row-major betas per source. */
  betas: Float64Array;
  residual: Float64Array;
  /** Σ valueUsd of the linear holdings driven by each source. */
  linearExposure: Float64Array;
  linearSource: Int32Array;
  linearValue: Float64Array;
  optionSource: Int32Array;
  /** Per option: spot, strike, tenor at the horizon, rate, dividend yield, vol, shares, today's price. */
  opt: { spot: Float64Array; strike: Float64Array; tau: Float64Array; rate: Float64Array; q: Float64Array; vol: Float64Array; shares: Float64Array; today: Float64Array; isCall: Uint8Array };
  rateIndex: number;
  sqrtH: number;
  dof: number | null;
  warnings: string[];
}

function checkScalars(x: FactorMcInput): void {
  if (!Number.isInteger(x.horizonDays) || x.horizonDays < 1) throw new EngineError('INVALID_INPUT', `horizonDays must be an integer ≥ 1, got ${x.horizonDays}`);
  if (!Number.isInteger(x.paths) || x.paths < MIN_PATHS) throw new EngineError('INVALID_INPUT', `paths must be an integer ≥ ${MIN_PATHS}, got ${x.paths}`);
  if (x.innovations.kind === 'student_t' && !(x.innovations.dof > 2 && Number.isFinite(x.innovations.dof))) {
    throw new EngineError('INVALID_INPUT', `Student-t dof must be finite and > 2, got ${x.innovations.dof}`);
  }
  if (x.factorCovariance.rows !== x.factors.length) throw new EngineError('INVALID_INPUT', `${x.factors.length} factors but a ${x.factorCovariance.rows}×${x.factorCovariance.cols} covariance`);
  if (x.rateFactor !== undefined && !x.factors.includes(x.rateFactor)) throw new EngineError('INVALID_INPUT', `rate factor ${x.rateFactor} is not one of the factors`);
}

function sourceTerms(x: Pick<FactorMcInput, 'loadings' | 'residualVol'>, sources: string[], k: number, warnings: string[]) {
  const m = sources.length;
  const betas = new Float64Array(m * k);
  const residual = new Float64Array(m);
  const still: string[] = [];
  sources.forEach((s, j) => {
    const b = x.loadings.get(s);
    if (b !== undefined) {
      if (b.length !== k) throw new EngineError('INVALID_INPUT', `loadings of ${s} have ${b.length} betas for ${k} factors`);
      for (let a = 0; a < k; a++) {
        if (!Number.isFinite(b[a]!)) throw new EngineError('INVALID_INPUT', `loading ${a} of ${s} is ${b[a]}`);
        betas[j * k + a] = b[a]!;
      }
    }
    const r = x.residualVol.get(s) ?? 0;
    if (!(r >= 0 && Number.isFinite(r))) throw new EngineError('INVALID_INPUT', `residual vol of ${s} must be finite and ≥ 0, got ${r}`);
    residual[j] = r;
    if (b === undefined && r === 0) still.push(s);
  });
  if (still.length > 0) warnings.push(`no loadings and no residual vol, so never moved: ${still.join(', ')}`);
  return { betas, residual };
}

function optionTerms(book: RiskBook, index: Map<string, number>, dtYears: number): CompiledModel['opt'] & { source: Int32Array } {
  const n = book.options.length;
  const f = () => new Float64Array(n);
  const o = { spot: f(), strike: f(), tau: f(), rate: f(), q: f(), vol: f(), shares: f(), today: f(), isCall: new Uint8Array(n), source: new Int32Array(n) };
  book.options.forEach((h, i) => {
    o.today[i] = optionValueToday(h); // validates S, K, T, r, σ, q
    if (!Number.isFinite(h.sharesSigned)) throw new EngineError('INVALID_INPUT', `sharesSigned of ${h.id} is ${h.sharesSigned}`);
    o.spot[i] = h.spot; o.strike[i] = h.strike; o.tau[i] = Math.max(h.tenorYears - dtYears, 0);
    o.rate[i] = h.rateCont; o.q[i] = h.dividendYield ?? 0; o.vol[i] = h.volAnnual; o.shares[i] = h.sharesSigned;
    o.isCall[i] = h.right === 'call' ? 1 : 0; o.source[i] = index.get(h.source)!;
  });
  return o;
}

/**
 * Validates the input and compiles it for the path loop, for several runs (horizon, innovations):
 * the covariance root, the source terms and the linear exposures once, the option terms at each
 * run's horizon.
 * @throws EngineError INVALID_INPUT for bad scalars (of any run), loadings, residual vols, option
 *   terms or a covariance that is not symmetric PSD (see covarianceRoot).
 */
export function compileFactorRuns(x: Omit<FactorMcInput, 'horizonDays' | 'innovations'>, runs: readonly { horizonDays: number; innovations: Innovations }[]): CompiledModel[] {
  for (const run of runs) checkScalars({ ...x, ...run });
  const k = x.factors.length;
  const cr = covarianceRoot(x.factorCovariance);
  const warnings = [...cr.warnings];
  const sources = [...new Set([...x.book.linear.map((h) => h.source), ...x.book.options.map((o) => o.source)])].sort();
  const index = new Map(sources.map((s, j) => [s, j] as const));
  const { betas, residual } = sourceTerms(x, sources, k, warnings);
  const linearExposure = new Float64Array(sources.length);
  const linearSource = Int32Array.from(x.book.linear, (h) => index.get(h.source)!);
  const linearValue = Float64Array.from(x.book.linear, (h) => {
    if (!Number.isFinite(h.valueUsd)) throw new EngineError('INVALID_INPUT', `valueUsd of ${h.id} is ${h.valueUsd}`);
    return h.valueUsd;
  });
  linearSource.forEach((j, i) => (linearExposure[j] = linearExposure[j]! + linearValue[i]!));
  const rateIndex = x.rateFactor === undefined ? -1 : x.factors.indexOf(x.rateFactor);
  return runs.map((run) => {
    const { source: optionSource, ...opt } = optionTerms(x.book, index, run.horizonDays / TRADING_DAYS_PER_YEAR);
    return {
      k, root: cr.root, rootMethod: cr.method, sources, betas, residual, linearExposure, linearSource, linearValue, optionSource, opt,
      rateIndex, sqrtH: Math.sqrt(run.horizonDays), dof: run.innovations.kind === 'student_t' ? run.innovations.dof : null, warnings: [...warnings],
    };
  });
}
