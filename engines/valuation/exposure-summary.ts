import { EngineError } from '../errors.ts';
import { aggregateExposures, type ExposureAggregate } from './aggregate.ts';
import type { PositionInput } from './market-value.ts';

export interface ExposureSummary extends ExposureAggregate {
  /** Cash balance supplied by the caller, USD (never assumed). */
  cashUsd: number;
  /** NAV = Σ signed market value + cash, USD. */
  navUsd: number;
  /** net / NAV, gross / NAV (fractions); null when NAV = 0. */
  netLeverage: number | null;
  grossLeverage: number | null;
  warnings: string[];
}

/**
 * Canonical portfolio exposure summary (engines.md §4.1, §4.3, §9 Required):
 * the aggregate of `aggregateExposures` plus NAV = Σ signed MV + cash. Cash is an explicit
 * input and is never invented. An empty portfolio returns zeros (NAV = cash) with a warning;
 * options without delta or underlying price are excluded from the delta-adjusted totals or
 * notional with a warning naming them.
 *
 * @throws EngineError INVALID_INPUT for a non-finite cash value or any invalid position.
 * @example portfolioExposureSummary({ positions: [], cashUsd: 1000 }) // navUsd 1000, grossExposureUsd 0, warnings ['empty portfolio: …']
 */
export function portfolioExposureSummary(input: { positions: readonly PositionInput[]; cashUsd: number }): ExposureSummary {
  if (!Number.isFinite(input.cashUsd)) throw new EngineError('INVALID_INPUT', `cashUsd must be a finite number, got ${input.cashUsd}`);
  const a = aggregateExposures(input.positions);
  const warnings: string[] = [];
  if (a.positionCount === 0) warnings.push('empty portfolio: all exposures are zero');
  if (a.deltaMissingIds.length > 0) warnings.push(`options without delta or underlying price excluded from delta-adjusted exposure: ${a.deltaMissingIds.join(', ')}`);
  if (a.notionalMissingIds.length > 0) warnings.push(`options without underlying price excluded from notional: ${a.notionalMissingIds.join(', ')}`);
  const navUsd = a.netExposureUsd + input.cashUsd;
  if (navUsd === 0 && a.positionCount > 0) warnings.push('NAV is zero: leverage ratios are null');
  return {
    ...a,
    cashUsd: input.cashUsd,
    navUsd,
    netLeverage: navUsd === 0 ? null : a.netExposureUsd / navUsd,
    grossLeverage: navUsd === 0 ? null : a.grossExposureUsd / navUsd,
    warnings,
  };
}
