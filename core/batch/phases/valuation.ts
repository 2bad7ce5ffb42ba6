/**
 * Valuation and exposures phase (engines.md §3, §4): one `position_valuations` row per position
 * held (price, its date and source, signed and absolute market value, cost basis, unrealized
 * P&L, delta-adjusted exposure, notional) and one `portfolio_exposures` row (canonical exposure
 * summary with NAV = Σ signed MV + cash, breakdowns by underlying and type). A position without a
 * price is left out of the values but counted: in the position count, on its side in the long and
 * short counts, by type, and under `breakdowns.unpriced` (count and symbols).
 */
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { portfolioExposures, positionValuations } from '../../../db/schema/index.ts';
import { portfolioExposureSummary, type ExposureSummary } from '../../../engines/valuation/exposure-summary.ts';
import { exposureByType, exposureByUnderlying } from '../../../engines/valuation/group-by.ts';
import { positionNotional } from '../../../engines/valuation/delta-adjusted.ts';
import { valuePosition, type PositionInput } from '../../../engines/valuation/market-value.ts';
import type { PortfolioPhase, PositionState } from '../types.ts';
import { round2OrNull } from '../../rounding.ts';


/** Valuation-engine input of a priced position (null when it has no price). */
export function toPositionInput(s: PositionState): PositionInput | null {
  if (s.price.price === null) return null;
  const p = s.position;
  return {
    id: p.id, symbol: p.symbol, positionType: p.positionType, quantity: p.quantity, price: s.price.price, entryPrice: p.entryPrice,
    underlyingSymbol: p.underlyingSymbol, underlyingPrice: s.price.underlyingPrice, deltaPerShare: s.greeks?.perShare.delta ?? null,
  };
}

function valuationRow(s: PositionState, portfolioId: string, asOf: string, runId: string): typeof positionValuations.$inferInsert {
  const input = toPositionInput(s);
  const v = input ? valuePosition(input) : null;
  return {
    positionId: s.position.id, asOf, portfolioId, runId,
    price: s.price.price, priceDate: s.price.priceDate, priceSource: s.price.priceSource ?? 'missing', isStale: s.price.isStale,
    underlyingPrice: s.price.underlyingPrice,
    marketValue: round2OrNull(v?.marketValueUsd ?? null), absMarketValue: round2OrNull(v?.absMarketValueUsd ?? null),
    costBasis: round2OrNull(v?.costBasisUsd ?? null), unrealizedPnl: round2OrNull(v?.unrealizedPnlUsd ?? null),
    deltaAdjExposure: round2OrNull(s.deltaAdj), notional: round2OrNull(input ? positionNotional(input) : null),
    flags: s.price.price === null ? [...s.price.flags, 'unpriced'] : s.price.flags,
  };
}

const brief = (g: { key: string; grossExposureUsd: number; netExposureUsd: number; positionCount: number }) => ({
  key: g.key, gross: round2OrNull(g.grossExposureUsd), net: round2OrNull(g.netExposureUsd), positions: g.positionCount,
});

/**
 * Long, short and per-type counts of every position held: the priced ones as the exposure summary
 * counts them (by market value sign), the unpriced by the sign of their quantity, so an unpriced
 * position is counted on its side although it is left out of the values.
 */
export function heldCounts(sum: Pick<ExposureSummary, 'longCount' | 'shortCount' | 'countsByType'>, unpriced: readonly PositionState[]) {
  const byType = { ...sum.countsByType };
  let long = sum.longCount;
  let short = sum.shortCount;
  for (const s of unpriced) {
    byType[s.position.positionType]++;
    if (s.position.quantity > 0) long++;
    else if (s.position.quantity < 0) short++;
  }
  return { long, short, byType };
}

export const valuationPhase: PortfolioPhase = async (tx, run, state) => {
  const scope = { portfolioId: state.id, asOf: run.asOf, runId: run.runId };
  const rows = state.positions.map((s) => valuationRow(s, state.id, run.asOf, run.runId));
  let n = await replacePortfolioRows(tx, positionValuations, ['positionId', 'asOf'], rows, scope);
  const inputs = state.positions.map(toPositionInput).filter((x): x is PositionInput => x !== null);
  const sum = portfolioExposureSummary({ positions: inputs, cashUsd: state.cash });
  const unpricedStates = state.positions.filter((s) => s.price.price === null);
  const unpriced = unpricedStates.map((s) => s.position.symbol);
  const counts = heldCounts(sum, unpricedStates);
  const stale = state.positions.filter((s) => s.price.isStale).map((s) => s.position.symbol);
  const warnings = [...sum.warnings];
  if (unpriced.length) warnings.push(`no price on or before ${run.asOf}, excluded from values: ${unpriced.join(', ')}`);
  if (stale.length) warnings.push(`stale prices (older than 3 trading days): ${stale.join(', ')}`);
  const proxied = state.positions.filter((s) => s.price.priceSource === 'proxy').map((s) => `${s.position.symbol}→${s.position.proxySymbol}`);
  n += await replacePortfolioRows(tx, portfolioExposures, ['portfolioId', 'asOf'], [{
    portfolioId: state.id, asOf: run.asOf, runId: run.runId, nav: round2OrNull(sum.navUsd), cash: round2OrNull(sum.cashUsd),
    longExposure: round2OrNull(sum.longExposureUsd)!, shortExposure: round2OrNull(sum.shortExposureUsd)!, grossExposure: round2OrNull(sum.grossExposureUsd)!, netExposure: round2OrNull(sum.netExposureUsd)!,
    deltaAdjNet: round2OrNull(sum.deltaAdjustedNetUsd), deltaAdjLong: round2OrNull(sum.deltaAdjustedLongUsd), deltaAdjShort: round2OrNull(sum.deltaAdjustedShortUsd),
    notional: round2OrNull(sum.notionalUsd), optionsExposure: round2OrNull(sum.optionsGrossPremiumUsd), stockExposure: round2OrNull(sum.stockGrossUsd),
    positionCount: state.positions.length, longCount: counts.long, shortCount: counts.short,
    breakdowns: {
      byUnderlying: exposureByUnderlying(inputs).map(brief), byType: exposureByType(inputs).map(brief), countsByType: counts.byType,
      unpriced: { count: unpricedStates.length, symbols: unpriced },
    },
    warnings,
  }], scope);
  const phaseWarnings = [...(stale.length ? [`stale: ${stale.join(', ')}`] : []), ...(proxied.length ? [`proxied: ${proxied.join(', ')}`] : []), ...(unpriced.length ? [`unpriced: ${unpriced.join(', ')}`] : [])];
  return { rows: n, warnings: phaseWarnings, metrics: { positions: rows.length, navUsd: round2OrNull(sum.navUsd), grossUsd: round2OrNull(sum.grossExposureUsd) } };
};
