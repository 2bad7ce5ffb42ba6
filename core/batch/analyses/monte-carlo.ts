/**
 * Monte Carlo VaR and CVaR of today's book from the style factor model: factor draws with the
 * model's covariance plus each symbol's residual, normal and Student-t innovations, 1 and 10
 * trading days, options fully repriced on every path. Seeded, so a rerun gives the same figures.
 */
import { monteCarloVarRuns } from '../../../engines/montecarlo/monte-carlo-var.ts';
import type { MonteCarloPayload } from '../../contracts/risk-analyses.ts';
import type { LabelledBook } from './book-at.ts';
import { AnalysisMemo, digest } from './memo.ts';
import type { StyleRiskModel } from './style-model.ts';

export const MC_PATHS = 10_000;
export const MC_SEED = 20_260_713;
export const MC_STUDENT_DOF = 5;
export const MC_HORIZONS = [1, 10] as const;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Answers by the digest of the book and model they came from (a rerun of the same date, or a day on which nothing moved). */
const MEMO = new AnalysisMemo<MonteCarloPayload | null>(2_000);

/** The memoised answer for this digest, if this process has one. */
export function memoisedMonteCarlo(inputDigest: string): MonteCarloPayload | null | undefined {
  return MEMO.peek(inputDigest);
}

/** Memoises an answer computed elsewhere (the background worker) under its input digest. */
export function memoiseMonteCarlo(inputDigest: string, payload: MonteCarloPayload | null): void {
  MEMO.set(inputDigest, payload);
}

/**
 * The digest of every input of the Monte Carlo answer: book, exclusions, factor model, paths and
 * seed, and the version of the simulation (bumped whenever the same inputs would give other figures).
 */
export function monteCarloDigest(lb: LabelledBook, model: StyleRiskModel, opts: { paths?: number; seed?: number } = {}): string {
  const d = digest();
  d.json({ v: 2, paths: opts.paths ?? MC_PATHS, seed: opts.seed ?? MC_SEED, book: lb.book, excluded: lb.excluded, factors: model.factors, nObs: model.nObs });
  d.floats(model.covariance.data);
  for (const [s, l] of [...model.loadings].sort(([a], [b]) => (a < b ? -1 : 1))) {
    d.json([s, model.residualVol.get(s) ?? null]);
    d.floats(l);
  }
  return d.done();
}

export function monteCarloAnalysis(lb: LabelledBook, model: StyleRiskModel, opts: { paths?: number; seed?: number; memo?: boolean; digest?: string } = {}): MonteCarloPayload | null {
  const paths = opts.paths ?? MC_PATHS;
  const seed = opts.seed ?? MC_SEED;
  if (opts.memo === false) return computeMonteCarlo(lb, model, paths, seed);
  return MEMO.get(opts.digest ?? monteCarloDigest(lb, model, { paths, seed }), () => computeMonteCarlo(lb, model, paths, seed));
}

/** The Monte Carlo answer computed from nothing (what the memo and the background worker hold). */
export function computeMonteCarlo(lb: LabelledBook, model: StyleRiskModel, paths: number = MC_PATHS, seed: number = MC_SEED): MonteCarloPayload | null {
  const warnings = lb.excluded.map((x) => `left out: ${x.symbol} (${x.reason})`);
  const modelled = (s: string) => model.loadings.has(s);
  const book = { linear: lb.book.linear.filter((h) => modelled(h.source)), options: lb.book.options.filter((o) => modelled(o.source)) };
  const left = [...lb.book.linear, ...lb.book.options].filter((h) => !modelled(h.source)).map((h) => h.source);
  if (left.length) warnings.push(`no factor loadings (left out): ${[...new Set(left)].sort().join(', ')}`);
  if (!book.linear.length && !book.options.length) return null;
  const runs: MonteCarloPayload['runs'] = [];
  // Every run from one set of draws: the 10-day paths are the 1-day ones scaled by √10 (options repriced at their own tenor), the Student-t ones the normal ones times a mixing factor per path.
  const grid = [{ kind: 'normal' } as const, { kind: 'student_t', dof: MC_STUDENT_DOF } as const].flatMap((innovations) => MC_HORIZONS.map((horizonDays) => ({ innovations, horizonDays })));
  const results = monteCarloVarRuns({ book, factors: model.factors, factorCovariance: model.covariance, loadings: model.loadings, residualVol: model.residualVol, paths, seed }, grid);
  results.forEach((r, n) => {
    const { innovations, horizonDays } = grid[n]!;
    for (const w of r.warnings ?? []) if (!warnings.includes(w)) warnings.push(w);
    runs.push({
      innovations: innovations.kind, dof: innovations.kind === 'student_t' ? innovations.dof : null, horizon_days: horizonDays, mean_pnl: r2(r.meanPnlUsd), std_pnl: r2(r.stdPnlUsd),
      levels: r.levels.map((l) => ({ confidence: l.confidence, var_usd: r2(l.varUsd), cvar_usd: r2(l.cvarUsd), var_ci: [r2(l.varCi95[0]), r2(l.varCi95[1])], cvar_ci: [r2(l.cvarCi95[0]), r2(l.cvarCi95[1])] })),
    });
  });
  return {
    paths, seed, factors: [...model.factors], runs, warnings,
    conventions:
      `Factor returns drawn from the ${model.nObs}-day covariance of the style factors (market and long-short style spreads), plus each symbol's residual; ` +
      `Student-t draws (ν = ${MC_STUDENT_DOF}) scaled to unit variance; h-day moves scale by √h; options repriced in full with h/252 years less to expiry, vols and rates unchanged. ` +
      'VaR and CVaR by the historical-simulation tail convention over the simulated P&L; intervals: order statistics for VaR, the tail mean\'s standard error for CVaR.',
  };
}
