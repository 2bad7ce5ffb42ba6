import { EngineError } from '../errors.ts';
import { portfolioExposureSummary } from '../valuation/exposure-summary.ts';
import type { PositionInput } from '../valuation/market-value.ts';
import type { PositionType } from '../valuation/position-type.ts';
import { dailyPnl, isActiveOn, type SnapshotDollarGreeks, type SnapshotPosition } from './daily-pnl.ts';

/** The latest earlier snapshot of the same portfolio (not necessarily the previous trading day). */
export interface PreviousSnapshot {
  date: string;
  navUsd: number;
  cumulativePnlUsd: number;
}

export interface DailySnapshot {
  date: string;
  /** Σ signed MV of priced active positions + cash, USD. */
  navUsd: number;
  cashUsd: number;
  longValueUsd: number;
  /** Negative. */
  shortValueUsd: number;
  grossExposureUsd: number;
  netExposureUsd: number;
  deltaAdjustedNetUsd: number;
  dailyPnlUsd: number;
  heldPnlUsd: number;
  openedPnlUsd: number;
  realizedPnlUsd: number;
  /** dailyPnl / prev NAV (fraction); 0 with a warning without a positive previous NAV. */
  dailyReturn: number;
  /** prev.cumulativePnl + dailyPnl, USD (0 + dailyPnl for a first snapshot). */
  cumulativePnlUsd: number;
  numPositions: number;
  numLongPositions: number;
  numShortPositions: number;
  countsByType: Record<PositionType, number>;
  /** Σ dollar Greeks of the active options that carry them, USD with the units in each name. */
  dollarGreeks: SnapshotDollarGreeks;
  /** Active option positions without Greeks on D (excluded from `dollarGreeks`, listed in warnings). */
  optionsWithoutGreeks: number;
  /** 100 × priced active positions / active positions (100 when there are none). */
  priceCoveragePct: number;
  /** Active positions priced with a close dated before D. */
  stalePriceCount: number;
  /** True when every active position is priced and every P&L term could be computed. */
  isComplete: boolean;
  warnings: string[];
}

/**
 * Daily portfolio snapshot (engines.md §9 Required). Values use the active positions on D
 * (entry ≤ D < exit) that have a price; positions without one are counted (counts, coverage)
 * but excluded from values and P&L with a warning. NAV = Σ signed MV + cash (cash is an explicit
 * input). P&L comes from `dailyPnl` over (prev.date, D]; cumulative P&L rolls from the latest
 * earlier snapshot, so a missing day does not reset it. Counts by quantity sign (zero in neither).
 *
 * @throws EngineError INVALID_INPUT for invalid positions or dates, a non-finite cash value, or a
 *   previous snapshot dated on/after D.
 * @example buildDailySnapshot({ date: '2026-07-13', positions: [], cashUsd: 1000, prev: null })
 * // { navUsd: 1000, dailyPnlUsd: 0, cumulativePnlUsd: 0, priceCoveragePct: 100, warnings: ['empty portfolio: …', …], … }
 */
export function buildDailySnapshot(input: { date: string; positions: readonly SnapshotPosition[]; cashUsd: number; prev: PreviousSnapshot | null }): DailySnapshot {
  const { date, prev } = input;
  if (prev && !(Number.isFinite(prev.navUsd) && Number.isFinite(prev.cumulativePnlUsd))) throw new EngineError('INVALID_INPUT', 'previous snapshot values must be finite');
  const pnl = dailyPnl({ date, prevDate: prev?.date ?? null, positions: input.positions });
  const active = input.positions.filter((p) => isActiveOn(p, date));
  const priced = active.filter((p): p is SnapshotPosition & { price: number } => p.price !== null);
  const valuationInputs: PositionInput[] = priced.map((p) => ({
    id: p.id, symbol: p.symbol, positionType: p.positionType, quantity: p.quantity, price: p.price, entryPrice: p.entryPrice,
    underlyingSymbol: p.underlyingSymbol ?? null, underlyingPrice: p.underlyingPrice ?? null, deltaPerShare: p.deltaPerShare ?? null,
  }));
  const summary = portfolioExposureSummary({ positions: valuationInputs, cashUsd: input.cashUsd });
  const warnings = summary.warnings.filter((w) => active.length === 0 || !w.startsWith('empty portfolio'));
  const missing = active.filter((p) => p.price === null).map((p) => p.id);
  if (missing.length > 0) warnings.push(`no price on or before ${date}; excluded from values and P&L: ${missing.join(', ')}`);
  if (pnl.uncoveredIds.length > 0) warnings.push(`P&L not computable (missing price, previous price or exit price): ${pnl.uncoveredIds.join(', ')}`);
  let dailyReturn = 0;
  if (prev && prev.navUsd > 0) dailyReturn = pnl.totalPnlUsd / prev.navUsd;
  else warnings.push(prev ? 'previous NAV ≤ 0: daily return set to 0' : 'no earlier snapshot: daily return set to 0');
  const countsByType: Record<PositionType, number> = { LONG: 0, SHORT: 0, LC: 0, LP: 0, SC: 0, SP: 0 };
  for (const p of active) countsByType[p.positionType]++;
  const dollarGreeks: SnapshotDollarGreeks = { dollarDelta: 0, dollarGamma1Pct: 0, thetaDollarsPerDay: 0, vegaDollarsPerVolPoint: 0, rhoDollarsPerPct: 0 };
  const withoutGreeks: string[] = [];
  for (const p of active) {
    if (p.positionType === 'LONG' || p.positionType === 'SHORT') continue;
    if (!p.dollarGreeks) {
      withoutGreeks.push(p.id);
      continue;
    }
    for (const k of Object.keys(dollarGreeks) as (keyof SnapshotDollarGreeks)[]) dollarGreeks[k] += p.dollarGreeks[k];
  }
  if (withoutGreeks.length > 0) warnings.push(`options without Greeks on ${date}; excluded from dollar Greeks: ${withoutGreeks.join(', ')}`);
  return {
    date, navUsd: summary.navUsd, cashUsd: input.cashUsd,
    longValueUsd: summary.longExposureUsd, shortValueUsd: summary.shortExposureUsd,
    grossExposureUsd: summary.grossExposureUsd, netExposureUsd: summary.netExposureUsd, deltaAdjustedNetUsd: summary.deltaAdjustedNetUsd,
    dailyPnlUsd: pnl.totalPnlUsd, heldPnlUsd: pnl.heldPnlUsd, openedPnlUsd: pnl.openedPnlUsd, realizedPnlUsd: pnl.realizedPnlUsd,
    dailyReturn, cumulativePnlUsd: (prev?.cumulativePnlUsd ?? 0) + pnl.totalPnlUsd,
    numPositions: active.length,
    numLongPositions: active.filter((p) => p.quantity > 0).length,
    numShortPositions: active.filter((p) => p.quantity < 0).length,
    countsByType,
    dollarGreeks,
    optionsWithoutGreeks: withoutGreeks.length,
    priceCoveragePct: active.length === 0 ? 100 : (100 * priced.length) / active.length,
    stalePriceCount: priced.filter((p) => p.priceDate != null && p.priceDate < date).length,
    isComplete: missing.length === 0 && pnl.uncoveredIds.length === 0,
    warnings,
  };
}
