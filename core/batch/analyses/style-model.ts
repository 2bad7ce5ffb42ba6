/**
 * The factor risk model behind Euler factor contributions, Monte Carlo VaR and the factor proxy
 * of historical replays: the orthogonalised style design (market plus long-short style spreads,
 * engines.md §6.6 item 2) over the run's 252-day window, each symbol's joint OLS loadings on it
 * (uncapped, so the decomposition is exact), its residual volatility, and the factor covariance.
 * Because every factor is a fixed combination of factor-ETF returns, a symbol's loadings also
 * read as weights on the ETFs themselves (used to move a symbol with no history in a replay).
 */
import { batchFactorBetas } from '../../../engines/regression/batch-factor-betas.ts';
import { orthogonalizedStyleDesign, type FactorEtfReturns } from '../../../engines/regression/style-factors.ts';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import type { DenseMatrix } from '../../../engines/common/dense-matrix.ts';
import type { RunMarket } from '../run-market.ts';

export interface StyleRiskModel {
  factors: readonly string[];
  /** k × k daily covariance of the factor returns. */
  covariance: DenseMatrix;
  /** symbol → k loadings (return per unit factor return). */
  loadings: Map<string, Float64Array>;
  /** symbol → daily residual volatility. */
  residualVol: Map<string, number>;
  /** symbol → weight on each factor ETF (Σ_f loading_f × the ETF weights of factor f). */
  etfWeights: Map<string, Record<string, number>>;
  nObs: number;
}

/** ETF weights of each style factor return, in design order (SPY, VUG−VTV, MTUM−SPY, SIZE−SPY, QUAL−SPY, USMV−SPY). */
function factorEtfWeights(etf: Record<keyof FactorEtfReturns, string>): Record<string, number>[] {
  const spread = (a: string, b: string) => ({ [a]: 1, [b]: -1 });
  return [{ [etf.SPY]: 1 }, spread(etf.VUG, etf.VTV), spread(etf.MTUM, etf.SPY), spread(etf.SIZE, etf.SPY), spread(etf.QUAL, etf.SPY), spread(etf.USMV, etf.SPY)];
}

const KEY_OF: Record<keyof FactorEtfReturns, string> = { SPY: 'Market', VTV: 'Value', VUG: 'Growth', MTUM: 'Momentum', SIZE: 'Size', QUAL: 'Quality', USMV: 'Low Volatility' };

/** The model for `symbols` (those with full-window returns); null when a factor ETF lacks a full window. */
export function styleRiskModel(m: RunMarket, symbols: readonly string[]): StyleRiskModel | null {
  const etfOf = new Map(m.factors.map((f) => [f.key, f.etf] as const));
  const etf = {} as Record<keyof FactorEtfReturns, string>;
  const returns = {} as FactorEtfReturns;
  for (const [slot, key] of Object.entries(KEY_OF) as [keyof FactorEtfReturns, string][]) {
    const s = etfOf.get(key);
    const r = s ? m.returns.get(s) : undefined;
    if (!s || !r) return null;
    etf[slot] = s;
    returns[slot] = r;
  }
  const { design, names } = orthogonalizedStyleDesign(returns);
  const covariance = sampleCovariance(design, names).matrix;
  const usable = symbols.filter((s) => m.returns.has(s));
  const loadings = new Map<string, Float64Array>();
  const residualVol = new Map<string, number>();
  const etfWeights = new Map<string, Record<string, number>>();
  if (usable.length) {
    const n = design.rows;
    const y = new Float64Array(usable.length * n);
    usable.forEach((s, p) => y.set(m.returns.get(s)!, p * n));
    const fit = batchFactorBetas({ factors: design, returns: y, positions: usable.length });
    const invalid = new Set(fit.invalidPositions);
    const weights = factorEtfWeights(etf);
    usable.forEach((s, p) => {
      if (invalid.has(p)) return;
      const b = fit.betas.slice(p * fit.k, (p + 1) * fit.k);
      loadings.set(s, b);
      residualVol.set(s, fit.residualVolDaily[p]!);
      const w: Record<string, number> = {};
      weights.forEach((fw, f) => {
        for (const [sym, x] of Object.entries(fw)) w[sym] = (w[sym] ?? 0) + b[f]! * x;
      });
      etfWeights.set(s, w);
    });
  }
  return { factors: names, covariance, loadings, residualVol, etfWeights, nObs: design.rows };
}
