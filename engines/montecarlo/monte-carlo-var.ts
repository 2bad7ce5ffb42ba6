/**
 * Monte Carlo VaR and CVaR of a book from a factor model, options repriced in full on every path.
 */
import { normCdf } from '../common/normal.ts';
import { compensatedMean } from '../common/compensated-sum.ts';
import { EngineError } from '../errors.ts';
import { compileFactorRuns, type CompiledModel, type FactorMcInput, type Innovations } from './factor-model.ts';
import { SeededVariates } from './random.ts';
import { tailEstimate } from './tail-estimates.ts';

export type { FactorMcInput, Innovations } from './factor-model.ts';

export interface McLevel { confidence: number; varUsd: number; cvarUsd: number; varCi95: [number, number]; cvarCi95: [number, number] }

export interface McResult {
  paths: number;
  horizonDays: number;
  innovations: Innovations;
  seed: number;
  meanPnlUsd: number;
  /** Sample standard deviation (n − 1) of the simulated P&L, USD. */
  stdPnlUsd: number;
  levels: McLevel[];
  /** Per-holding mean P&L in the worst (1−c) tail of the highest confidence, book order (linear then options). */
  tailContributionUsd: Float64Array;
  /** How the factor covariance was factored ('eigen' for a singular PSD matrix). */
  factorRoot: 'cholesky' | 'eigen';
  warnings: string[];
  /** Present with `keepPaths`: P&L per path, source returns (paths × sources, row-major) and the rate shift per path (decimal; null without a rate factor). */
  simulated?: { sources: string[]; pnlUsd: Float64Array; sourceReturns: Float64Array; rateShift: Float64Array | null };
}

/** Gross moves 1 + r below this are floored (a normal model can draw r ≤ −100 %); options are priced at spot × this. */
const MIN_GROSS = 1e-9;

/** A run's paths: path p's source returns are scale[p] × the unit returns (formed only when asked for). */
interface Simulation { pnl: Float64Array; unit: UnitPaths; scale: Float64Array; optionPnl: Float64Array; rateShift: Float64Array | null; floored: number }

/**
 * The BSM terms of every option that do not depend on the path, so a path costs one log, the
 * two normal CDFs and (with a rate shift) one exp: per-share value at spot·g and rate r + δ is
 * e^{−qτ}S·g·N(d1) − K e^{−rτ}e^{−δτ}·N(d2), d1 = (ln(S/K) + ln g + (r − q + σ²/2)τ + δτ)/(σ√τ),
 * d2 = d1 − σ√τ (puts by the mirror formula) — the same formula and corner cases as bsmPrice.
 */
interface OptionTerms { spotDfq: Float64Array; strikeDfr: Float64Array; logMoneyness: Float64Array; drift: Float64Array; sig: Float64Array; tau: Float64Array; isCall: Uint8Array }

function optionTermsOf(c: CompiledModel): OptionTerms {
  const o = c.opt;
  const n = o.spot.length;
  const t: OptionTerms = { spotDfq: new Float64Array(n), strikeDfr: new Float64Array(n), logMoneyness: new Float64Array(n), drift: new Float64Array(n), sig: new Float64Array(n), tau: o.tau, isCall: o.isCall };
  for (let i = 0; i < n; i++) {
    const tau = o.tau[i]!, v = o.vol[i]!, q = o.q[i]!, r = o.rate[i]!;
    t.spotDfq[i] = o.spot[i]! * Math.exp(-q * tau);
    t.strikeDfr[i] = o.strike[i]! * Math.exp(-r * tau);
    t.logMoneyness[i] = Math.log(o.spot[i]! / o.strike[i]!);
    t.drift[i] = (r - q + 0.5 * v * v) * tau;
    t.sig[i] = v * Math.sqrt(tau);
  }
  return t;
}

/** Per-share BSM value of option i at the horizon with the underlying at spot·gross and the rate shifted by `shift` (decimal). */
function bsmAt(t: OptionTerms, i: number, gross: number, shift: number): number {
  const tau = t.tau[i]!;
  const s = t.spotDfq[i]! * gross;
  const k = shift === 0 ? t.strikeDfr[i]! : t.strikeDfr[i]! * Math.exp(-shift * tau);
  const sig = t.sig[i]!;
  if (sig === 0) {
    const fwd = s - k;
    return t.isCall[i] === 1 ? Math.max(fwd, 0) : Math.max(-fwd, 0);
  }
  const d1 = (t.logMoneyness[i]! + Math.log(gross) + t.drift[i]! + shift * tau) / sig;
  const d2 = d1 - sig;
  return t.isCall[i] === 1 ? s * normCdf(d1) - k * normCdf(d2) : k * normCdf(-d2) - s * normCdf(-d1);
}

/**
 * One-day moves of every path with normal innovations, before the horizon and Student-t scaling:
 * factor moves u = A z and source returns r⁰_j = β_j·u + σ_j·ε_j. A run at horizon h scales a
 * path by √h, a Student-t run also by the path's mixing factor w (its own stream), so every run
 * of one seed shares these draws.
 */
interface UnitPaths {
  returns: Float64Array;
  rate: Float64Array | null;
  /** Per path Σ_j e_j r⁰_j, the linear holdings' P&L before scaling. */
  linear: Float64Array;
}

function drawUnitPaths(c: CompiledModel, paths: number, seed: number): UnitPaths {
  const { k, root, betas, residual } = c;
  const m = c.sources.length;
  const rng = new SeededVariates(seed);
  const z = new Float64Array(k);
  const u = new Float64Array(k);
  const returns = new Float64Array(paths * m);
  const rate = c.rateIndex >= 0 ? new Float64Array(paths) : null;
  const linear = new Float64Array(paths);
  for (let p = 0; p < paths; p++) {
    for (let a = 0; a < k; a++) z[a] = rng.normal();
    for (let a = 0; a < k; a++) {
      let s = 0;
      const row = a * k;
      for (let b = 0; b < k; b++) s += root[row + b]! * z[b]!;
      u[a] = s;
    }
    const off = p * m;
    let lin = 0;
    for (let j = 0; j < m; j++) {
      let r = 0;
      const row = j * k;
      for (let a = 0; a < k; a++) r += betas[row + a]! * u[a]!;
      if (residual[j]! > 0) r += residual[j]! * rng.normal();
      returns[off + j] = r;
      lin += c.linearExposure[j]! * r;
    }
    linear[p] = lin;
    if (rate) rate[p] = u[c.rateIndex]!;
  }
  return { returns, rate, linear };
}

/** The stream of the Student-t mixing factors: the seed's, offset so it never replays the normals' stream. */
const MIXING_STREAM = 0x2545f491;

/** Per path the Student-t mixing factor √((ν − 2)/W), W ~ χ²_ν, from the mixing stream of `seed`. */
function mixingFactors(paths: number, seed: number, dof: number): Float64Array {
  const rng = new SeededVariates((seed ^ MIXING_STREAM) | 0);
  const w = new Float64Array(paths);
  for (let p = 0; p < paths; p++) w[p] = rng.studentTScale(dof);
  return w;
}

/** The run's paths: source returns s_p·r⁰ with s_p = √h (× w_p for Student-t), the rate shift s_p·u_rate / 10 000, and each path's P&L with options repriced. */
function simulate(c: CompiledModel, unit: UnitPaths, mixing: Float64Array | null, paths: number): Simulation {
  const m = c.sources.length;
  const nOpt = c.optionSource.length;
  const pnl = new Float64Array(paths);
  const scale = new Float64Array(paths);
  const optionPnl = new Float64Array(paths * nOpt);
  const rateShift = unit.rate ? new Float64Array(paths) : null;
  let floored = 0;
  const terms = optionTermsOf(c);
  for (let p = 0; p < paths; p++) {
    const h = mixing ? c.sqrtH * mixing[p]! : c.sqrtH;
    scale[p] = h;
    let total = h * unit.linear[p]!;
    const shift = unit.rate ? (h * unit.rate[p]!) / 10_000 : 0;
    if (rateShift) rateShift[p] = shift;
    for (let i = 0; i < nOpt; i++) {
      let gross = 1 + h * unit.returns[p * m + c.optionSource[i]!]!;
      if (gross < MIN_GROSS) {
        gross = MIN_GROSS;
        floored++;
      }
      const v = (bsmAt(terms, i, gross, shift) - c.opt.today[i]!) * c.opt.shares[i]!;
      optionPnl[p * nOpt + i] = v;
      total += v;
    }
    pnl[p] = total;
  }
  return { pnl, unit, scale, optionPnl, rateShift, floored };
}

/** Every path's source returns (paths × sources, row-major). */
function sourceReturnsOf(sim: Simulation, m: number): Float64Array {
  const out = new Float64Array(sim.unit.returns.length);
  for (let p = 0; p < sim.scale.length; p++) for (let j = 0; j < m; j++) out[p * m + j] = sim.scale[p]! * sim.unit.returns[p * m + j]!;
  return out;
}

/** Mean P&L of each holding over the paths whose total P&L is at or below `q`. */
function tailContributions(c: CompiledModel, sim: Simulation, q: number): Float64Array {
  const nLin = c.linearSource.length;
  const nOpt = c.optionSource.length;
  const m = c.sources.length;
  const out = new Float64Array(nLin + nOpt);
  let count = 0;
  for (let p = 0; p < sim.pnl.length; p++) {
    if (!(sim.pnl[p]! <= q)) continue;
    count++;
    for (let i = 0; i < nLin; i++) out[i] = out[i]! + c.linearValue[i]! * sim.scale[p]! * sim.unit.returns[p * m + c.linearSource[i]!]!;
    for (let i = 0; i < nOpt; i++) out[nLin + i] = out[nLin + i]! + sim.optionPnl[p * nOpt + i]!;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / count;
  return out;
}

/**
 * Monte Carlo VaR/CVaR of `book` over `horizonDays` from a linear factor model.
 *
 * Per path: z ~ N(0, I_k); factor moves f = √h · A z with A Aᵀ = the daily factor covariance
 * (Cholesky; eigen root for a singular PSD matrix); source returns r_j = β_j·f + √h·σ_j·ε_j with
 * ε_j ~ N(0, 1) independent. Student-t innovations: the whole vector (z, ε) is multiplied by one
 * √((ν − 2)/W), W ~ χ²_ν, per path — a multivariate t with unit-variance marginals (tail
 * dependence across factors and residuals), so a linear book's P&L is exactly σ_P·√((ν−2)/ν)·t_ν.
 * Linear holdings: valueUsd × r_source. Options: repriced in full, BSM at S(1 + r), rate +
 * f_rate / 10 000 (the rate factor's move in bp), T − h/252 (floored at 0), vol unchanged, minus
 * today's BSM value, × shares; a gross move 1 + r below 1e-9 is floored there (counted in warnings).
 * VaR/CVaR and their 95 % intervals: see tail-estimates.ts (historical-var.ts tail convention;
 * order-statistic interval for VaR, asymptotic standard error for CVaR). Random numbers: pure-rand
 * xoroshiro128+ seeded with `seed`, Marsaglia polar normals, Marsaglia–Tsang gamma; draw order per
 * path: k factor normals, then the residual normals of the sources with σ_j > 0 in sorted order;
 * the Student-t mixing factors come from a second stream (seed XOR 0x2545F491), one per path, so
 * the normal and Student-t runs of one seed share their normal draws.
 * @throws EngineError INVALID_INPUT for bad inputs (see compileFactorRuns) or a confidence
 *   outside (0, 1).
 * @example monteCarloVar({ book, factors: ['MKT'], factorCovariance: denseMatrix(Float64Array.of(1e-4), 1, 1),
 *   loadings: new Map([['SPY', [1]]]), residualVol: new Map(), horizonDays: 1, paths: 10_000, seed: 7,
 *   innovations: { kind: 'normal' } }).levels[1].varUsd // ≈ 2.326 × 1% × $1m ≈ 23,260 for $1m of SPY
 */
export function monteCarloVar(input: FactorMcInput): McResult {
  return monteCarloVarRuns(input, [{ horizonDays: input.horizonDays, innovations: input.innovations }])[0]!;
}

/** One run of a `monteCarloVarRuns` call. */
export interface McRun {
  horizonDays: number;
  innovations: Innovations;
}

/**
 * `monteCarloVar` for several horizons and innovations from one set of draws: each result equals
 * the single call with the same seed (the draws depend on neither), at the cost of one draw.
 * @throws EngineError INVALID_INPUT as monteCarloVar, for any of the runs.
 */
export function monteCarloVarRuns(input: Omit<FactorMcInput, 'horizonDays' | 'innovations'>, runs: readonly McRun[]): McResult[] {
  const confidences = input.confidences ?? [0.95, 0.99];
  if (confidences.length === 0) throw new EngineError('INVALID_INPUT', 'at least one confidence level is required');
  for (const conf of confidences) {
    if (!(conf > 0 && conf < 1)) throw new EngineError('INVALID_INPUT', `confidence must be in (0, 1), got ${conf}`);
  }
  if (runs.length === 0) throw new EngineError('INVALID_INPUT', 'at least one run is required');
  const compiled = compileFactorRuns(input, runs);
  const unit = drawUnitPaths(compiled[0]!, input.paths, input.seed);
  const mixing = new Map<number, Float64Array>();
  return compiled.map((c, n) => {
    let w: Float64Array | null = null;
    if (c.dof !== null) {
      w = mixing.get(c.dof) ?? null;
      if (!w) mixing.set(c.dof, (w = mixingFactors(input.paths, input.seed, c.dof)));
    }
    return result({ ...input, ...runs[n]! }, confidences, c, simulate(c, unit, w, input.paths));
  });
}

function result(input: FactorMcInput, confidences: readonly number[], c: CompiledModel, sim: Simulation): McResult {
  const sorted = sim.pnl.slice().sort();
  const mean = compensatedMean(sim.pnl);
  let ss = 0;
  for (let p = 0; p < sim.pnl.length; p++) ss += (sim.pnl[p]! - mean) ** 2;
  const levels = confidences.map((conf) => tailEstimate(sorted, conf));
  const top = levels.reduce((a, b) => (b.confidence > a.confidence ? b : a));
  const warnings = [...c.warnings];
  if (sim.floored > 0) warnings.push(`${sim.floored} option revaluation(s) had a simulated return ≤ −100 %; the underlying was floored at 1e-9 × spot`);
  return {
    paths: input.paths, horizonDays: input.horizonDays, innovations: input.innovations, seed: input.seed,
    meanPnlUsd: mean, stdPnlUsd: Math.sqrt(ss / (sim.pnl.length - 1)),
    levels: levels.map(({ confidence, varUsd, cvarUsd, varCi95, cvarCi95 }) => ({ confidence, varUsd, cvarUsd, varCi95, cvarCi95 })),
    tailContributionUsd: tailContributions(c, sim, top.quantile), factorRoot: c.rootMethod, warnings,
    ...(input.keepPaths ? { simulated: { sources: c.sources, pnlUsd: sim.pnl, sourceReturns: sourceReturnsOf(sim, c.sources.length), rateShift: sim.rateShift } } : {}),
  };
}
