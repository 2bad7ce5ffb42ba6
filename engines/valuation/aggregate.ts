import { isOptionType, rightOf, type PositionType } from './position-type.ts';
import { deltaAdjustedExposure, positionNotional } from './delta-adjusted.ts';
import { valuePosition, type PositionInput } from './market-value.ts';

/** Exposure totals of a set of positions, USD; short figures are kept negative. */
export interface ExposureAggregate {
  positionCount: number;
  /** Positions with positive / negative market value (zero counts in neither). */
  longCount: number;
  shortCount: number;
  countsByType: Record<PositionType, number>;
  /** Σ MV over MV > 0. */
  longExposureUsd: number;
  /** Σ MV over MV < 0 (negative). */
  shortExposureUsd: number;
  /** Σ |MV|. */
  grossExposureUsd: number;
  /** Σ MV (signed). */
  netExposureUsd: number;
  /** Σ |MV| over LONG/SHORT. */
  stockGrossUsd: number;
  /** Σ |MV| over options: gross option premium, not notional. */
  optionsGrossPremiumUsd: number;
  /** Σ contract notional (options |q|×100×S) + Σ |MV| (stocks). */
  notionalUsd: number;
  /** Delta-adjusted exposure (stocks q×P, options Δ×q×100×S), signed, split by sign. */
  deltaAdjustedNetUsd: number;
  deltaAdjustedLongUsd: number;
  deltaAdjustedShortUsd: number;
  /** Σ cost basis and unrealized P&L over positions that have an entry price. */
  costBasisUsd: number;
  unrealizedPnlUsd: number;
  /** Option ids left out of delta-adjusted totals (no delta or underlying price). */
  deltaMissingIds: string[];
  /** Option ids left out of notional (no underlying price). */
  notionalMissingIds: string[];
  /** Option counts by right (for by-underlying views). */
  callCount: number;
  putCount: number;
}

/** Zero-valued aggregate. */
export function emptyAggregate(): ExposureAggregate {
  return {
    positionCount: 0, longCount: 0, shortCount: 0,
    countsByType: { LONG: 0, SHORT: 0, LC: 0, LP: 0, SC: 0, SP: 0 },
    longExposureUsd: 0, shortExposureUsd: 0, grossExposureUsd: 0, netExposureUsd: 0, stockGrossUsd: 0,
    optionsGrossPremiumUsd: 0, notionalUsd: 0, deltaAdjustedNetUsd: 0, deltaAdjustedLongUsd: 0, deltaAdjustedShortUsd: 0,
    costBasisUsd: 0, unrealizedPnlUsd: 0, deltaMissingIds: [], notionalMissingIds: [], callCount: 0, putCount: 0,
  };
}

/** Adds one position to an aggregate in place. @throws EngineError INVALID_INPUT for an invalid position. */
export function addToAggregate(a: ExposureAggregate, p: PositionInput): void {
  const v = valuePosition(p);
  const mv = v.marketValueUsd;
  a.positionCount++;
  a.countsByType[p.positionType]++;
  if (mv > 0) { a.longCount++; a.longExposureUsd += mv; }
  else if (mv < 0) { a.shortCount++; a.shortExposureUsd += mv; }
  a.grossExposureUsd += v.absMarketValueUsd;
  a.netExposureUsd += mv;
  const opt = isOptionType(p.positionType);
  if (opt) a.optionsGrossPremiumUsd += v.absMarketValueUsd;
  else a.stockGrossUsd += v.absMarketValueUsd;
  if (rightOf(p.positionType) === 'call') a.callCount++;
  if (rightOf(p.positionType) === 'put') a.putCount++;
  const notional = positionNotional(p);
  if (notional === null) a.notionalMissingIds.push(p.id);
  else a.notionalUsd += notional;
  const da = deltaAdjustedExposure(p);
  if (da === null) a.deltaMissingIds.push(p.id);
  else {
    a.deltaAdjustedNetUsd += da;
    if (da > 0) a.deltaAdjustedLongUsd += da;
    else a.deltaAdjustedShortUsd += da;
  }
  if (v.costBasisUsd !== null && v.unrealizedPnlUsd !== null) {
    a.costBasisUsd += v.costBasisUsd;
    a.unrealizedPnlUsd += v.unrealizedPnlUsd;
  }
}

/**
 * Aggregates exposures of positions (engines.md §4.1, §4.3 Required): long/short/gross/net on
 * signed market value (short kept negative), stock gross vs option gross premium, notional
 * (options contract notional |q|×100×S, stocks |MV|), delta-adjusted net/long/short, counts.
 * @throws EngineError INVALID_INPUT for any invalid position (type/sign mismatch, bad price).
 * @example aggregateExposures([{ id: 'a', symbol: 'A', positionType: 'LONG', quantity: 10, price: 5 },
 *   { id: 'b', symbol: 'B', positionType: 'SHORT', quantity: -4, price: 10 }])
 * // { longExposureUsd: 50, shortExposureUsd: -40, grossExposureUsd: 90, netExposureUsd: 10, ... }
 */
export function aggregateExposures(positions: readonly PositionInput[]): ExposureAggregate {
  const a = emptyAggregate();
  for (const p of positions) addToAggregate(a, p);
  return a;
}
