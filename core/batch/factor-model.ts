/**
 * Global factor phase (engines.md §6.6, §12.4 G2–G3): per-symbol betas computed once per run
 * and as_of, reused by every portfolio.
 * - `compat`: univariate OLS of each symbol's returns on each factor ETF (independent,
 *   non-additive; Market is the market beta that drives scenarios and stress);
 * - `style`: the orthogonalised style model (SPY + spreads) fitted jointly for every symbol
 *   from ONE shared QR of the design (`batchFactorBetas`);
 * - `rate`: return per +1 bp of the 10-year yield (first differences, §7.4).
 * Betas are capped at ±3 with the raw estimate and standard error kept. The factor covariance
 * (sample, 252 days, equity factors in returns and Interest_Rate in bp) is stored per as_of.
 */
import type { Db } from '../../db/client.ts';
import { upsertRows } from '../../db/queries/results-write.ts';
import { factorCovariances, symbolFactorBetas } from '../../db/schema/index.ts';
import { fromColumns } from '../../engines/common/dense-matrix.ts';
import { sampleCovariance } from '../../engines/covariance/sample-covariance.ts';
import { batchFactorBetas } from '../../engines/regression/batch-factor-betas.ts';
import { capBeta } from '../../engines/regression/beta-cap.ts';
import { independentFactorBetas } from '../../engines/regression/independent-betas.ts';
import { rateBeta } from '../../engines/regression/rate-beta.ts';
import { orthogonalizedStyleDesign, type FactorEtfReturns } from '../../engines/regression/style-factors.ts';
import type { RunMarket } from './run-market.ts';

export const RATE_FACTOR = 'Interest_Rate';
type BetaRow = typeof symbolFactorBetas.$inferInsert;

export interface FactorModel {
  /** symbol → compat factor key → capped beta. */
  compat: Map<string, Record<string, number>>;
  /** symbol → return per +1 bp of the 10-year yield (capped). */
  rateBp: Map<string, number>;
  covariance: { factors: string[]; values: number[]; nObs: number } | null;
  rows: BetaRow[];
  warnings: string[];
}

function compatBetas(m: RunMarket, out: FactorModel, base: Omit<BetaRow, 'symbol' | 'model' | 'factor' | 'beta' | 'betaRaw' | 'nObs'>): void {
  const factors = m.factors.filter((f) => m.returns.has(f.etf)).map((f) => ({ name: f.key, returns: m.returns.get(f.etf)! }));
  for (const [symbol, r] of m.returns) {
    try {
      const fit = independentFactorBetas(r, factors);
      const rec: Record<string, number> = {};
      for (const b of fit.betas) {
        const c = capBeta(b.beta, b.betaStandardError);
        rec[b.factor] = c.beta;
        out.rows.push({ ...base, symbol, model: 'compat', factor: b.factor, beta: c.beta, betaRaw: b.beta, stdErr: b.betaStandardError, tStat: b.tStat, rSquared: b.rSquared, nObs: b.n });
      }
      out.compat.set(symbol, rec);
    } catch (e) {
      out.warnings.push(`${symbol}: no factor betas (${(e as Error).message})`);
    }
  }
}

function styleBetas(m: RunMarket, out: FactorModel, base: Omit<BetaRow, 'symbol' | 'model' | 'factor' | 'beta' | 'betaRaw' | 'nObs'>): void {
  const byKey = new Map(m.factors.map((f) => [f.key, m.returns.get(f.etf)] as const));
  const need = { SPY: 'Market', VTV: 'Value', VUG: 'Growth', MTUM: 'Momentum', SIZE: 'Size', QUAL: 'Quality', USMV: 'Low Volatility' } as const;
  const etf = Object.fromEntries(Object.entries(need).map(([k, key]) => [k, byKey.get(key)])) as Partial<FactorEtfReturns>;
  if (Object.values(etf).some((v) => !v)) return void out.warnings.push('style model skipped: a factor ETF has no full window');
  const { design, names } = orthogonalizedStyleDesign(etf as FactorEtfReturns);
  const symbols = [...m.returns.keys()];
  const n = design.rows;
  const returns = new Float64Array(symbols.length * n);
  symbols.forEach((s, p) => returns.set(m.returns.get(s)!, p * n));
  const fit = batchFactorBetas({ factors: design, returns, positions: symbols.length });
  const invalid = new Set(fit.invalidPositions);
  symbols.forEach((symbol, p) => {
    if (invalid.has(p)) return;
    names.forEach((factor, j) => {
      const raw = fit.betas[p * fit.k + j]!;
      const se = fit.standardErrors[p * fit.k + j]!;
      const c = capBeta(raw, se);
      out.rows.push({ ...base, symbol, model: 'style', factor, beta: c.beta, betaRaw: raw, stdErr: se, tStat: fit.tStats[p * fit.k + j]!, rSquared: fit.rSquared[p]!, nObs: n });
    });
  });
}

function rateBetas(m: RunMarket, out: FactorModel, base: Omit<BetaRow, 'symbol' | 'model' | 'factor' | 'beta' | 'betaRaw' | 'nObs'>): void {
  const idx = m.tnx.flatMap((y, i) => (y === null ? [] : [i]));
  const yields = Float64Array.from(idx, (i) => m.tnx[i]!);
  for (const [symbol, closes] of m.windowCloses) {
    try {
      const c = Float64Array.from(idx, (i) => closes[i]!);
      const r = c.subarray(1).map((v, t) => v / c[t]! - 1);
      const fit = rateBeta(r, yields);
      const capped = capBeta(fit.beta, fit.betaStandardError);
      out.rateBp.set(symbol, capped.beta);
      out.rows.push({ ...base, symbol, model: 'rate', factor: RATE_FACTOR, beta: capped.beta, betaRaw: fit.beta, stdErr: fit.betaStandardError, tStat: fit.tStat, rSquared: fit.rSquared, nObs: fit.n });
    } catch (e) {
      out.warnings.push(`${symbol}: no rate beta (${(e as Error).message})`);
    }
  }
}

function covariance(m: RunMarket): FactorModel['covariance'] {
  const cols = m.factors.filter((f) => m.returns.has(f.etf));
  if (!cols.length || m.dates.length < 3) return null;
  const rows = m.tnx.flatMap((y, i) => (i > 0 && y !== null && m.tnx[i - 1] !== null ? [i] : []));
  const series = cols.map((f) => Float64Array.from(rows, (i) => m.returns.get(f.etf)![i - 1]!));
  series.push(Float64Array.from(rows, (i) => (m.tnx[i]! - m.tnx[i - 1]!) * 100));
  const names = [...cols.map((f) => f.key), RATE_FACTOR];
  const cov = sampleCovariance(fromColumns(series), names);
  return { factors: names, values: Array.from(cov.matrix.data), nObs: cov.observations };
}

/** Computes every symbol's betas and the factor covariance for the run's window (pure, no I/O). */
export function computeFactorModel(m: RunMarket, runId: string): FactorModel {
  const out: FactorModel = { compat: new Map(), rateBp: new Map(), covariance: null, rows: [], warnings: [] };
  const base = { asOf: m.asOf, windowDays: m.dates.length - 1, runId };
  compatBetas(m, out, base);
  styleBetas(m, out, base);
  rateBetas(m, out, base);
  out.covariance = covariance(m);
  return out;
}

/** Stores the symbol betas and the covariance (upsert by natural key); returns rows written. */
export async function storeFactorModel(tx: Db, model: FactorModel, asOf: string, runId: string): Promise<number> {
  let n = await upsertRows(tx, symbolFactorBetas, ['symbol', 'asOf', 'model', 'factor'], model.rows);
  if (model.covariance) {
    const { factors, values, nObs } = model.covariance;
    n += await upsertRows(tx, factorCovariances, ['asOf', 'method'], [{ asOf, method: 'sample_252', factors, matrix: values, nObs, params: { units: 'daily returns; Interest_Rate in bp' }, runId }]);
  }
  return n;
}
