import { EngineError } from '../errors.ts';
import { type DenseMatrix, fromColumns } from '../common/dense-matrix.ts';

/** Daily simple returns of the factor ETFs, all aligned on the same dates (same length). */
export interface FactorEtfReturns {
  SPY: Float64Array;
  VTV: Float64Array;
  VUG: Float64Array;
  MTUM: Float64Array;
  /** SIZE (September 2025 reference) or IWM (later revisions): the caller chooses the proxy. */
  SIZE: Float64Array;
  QUAL: Float64Array;
  USMV: Float64Array;
}

/** Column names of {@link orthogonalizedStyleDesign}, in order. */
export const STYLE_FACTOR_NAMES = ['Market', 'Growth-Value', 'Momentum', 'Size', 'Quality', 'Low Volatility'] as const;

/**
 * Design matrix of the orthogonalised style model (engines.md §6.6 item 2): the market factor
 * (SPY) jointly with long-short spreads VUG−VTV, MTUM−SPY, SIZE−SPY, QUAL−SPY, USMV−SPY (daily
 * return differences, decimal). Fit it with `olsFit` (or `batchFactorBetas` when positions share
 * the window); the coefficients are then additive: the Market coefficient is the market beta
 * holding the style spreads fixed. Report VIF / condition number from the fit.
 * @throws EngineError INVALID_INPUT when the series differ in length.
 * @example orthogonalizedStyleDesign(etfs).cols // 6
 */
export function orthogonalizedStyleDesign(etf: FactorEtfReturns): { design: DenseMatrix; names: readonly string[] } {
  const n = etf.SPY.length;
  for (const [name, s] of Object.entries(etf)) {
    if (s.length !== n) throw new EngineError('INVALID_INPUT', `${name} has ${s.length} returns, SPY has ${n}`);
  }
  const spread = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v - b[i]!);
  const design = fromColumns([
    etf.SPY,
    spread(etf.VUG, etf.VTV),
    spread(etf.MTUM, etf.SPY),
    spread(etf.SIZE, etf.SPY),
    spread(etf.QUAL, etf.SPY),
    spread(etf.USMV, etf.SPY),
  ]);
  return { design, names: STYLE_FACTOR_NAMES };
}
