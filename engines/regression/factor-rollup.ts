import { EngineError } from '../errors.ts';

export interface RollupPosition {
  id: string;
  /** Signed delta-adjusted dollar exposure (stocks: q × P; options: Δ × q × 100 × S), USD. */
  deltaAdjExposureUsd: number;
  /** β per factor in `factorNames` order, or null when the position has no betas (insufficient history). Options carry their underlying's betas. */
  betas: ArrayLike<number> | null;
}

export interface FactorRollup {
  factorNames: readonly string[];
  /** factor_dollar_f = Σ_i E_i β_{i,f}, USD, over covered positions. */
  factorDollarUsd: Float64Array;
  /** factor_dollar_f / NAV, or null when NAV = 0. */
  portfolioBeta: (number | null)[];
  /** 100 × Σ_covered |E_i| / Σ_all |E_i| (100 when every exposure is 0). */
  coveragePct: number;
  uncoveredIds: string[];
  warnings: string[];
}

/**
 * The single portfolio roll-up of factor betas (engines.md §6.6 item 5, §13 #4):
 * factor_dollar_f = Σ_i delta_adj_exposure_i × β_{i,f} (signed: shorts subtract);
 * portfolio_beta_f = factor_dollar_f / NAV. Positions without betas are excluded from the
 * numerator, listed in `uncoveredIds` and `warnings`, and still counted in the coverage
 * denominator (and in NAV, which the caller supplies). NAV = 0 → portfolio betas null with a warning.
 * @throws EngineError INVALID_INPUT when a beta vector has the wrong length or a value is non-finite.
 * @example
 * factorRollup([{ id: 'AAPL', deltaAdjExposureUsd: 100_000, betas: [1.2] },
 *               { id: 'XOM', deltaAdjExposureUsd: -50_000, betas: [0.8] }], ['Market'], 50_000)
 * // factorDollarUsd [80000], portfolioBeta [1.6], coveragePct 100
 */
export function factorRollup(positions: readonly RollupPosition[], factorNames: readonly string[], navUsd: number): FactorRollup {
  if (!Number.isFinite(navUsd)) throw new EngineError('INVALID_INPUT', `NAV is ${navUsd}`);
  const k = factorNames.length;
  const factorDollarUsd = new Float64Array(k);
  const uncoveredIds: string[] = [];
  const warnings: string[] = [];
  let covered = 0;
  let total = 0;
  for (const pos of positions) {
    const e = pos.deltaAdjExposureUsd;
    if (!Number.isFinite(e)) throw new EngineError('INVALID_INPUT', `position ${pos.id}: exposure ${e}`);
    total += Math.abs(e);
    if (pos.betas === null) {
      uncoveredIds.push(pos.id);
      warnings.push(`position ${pos.id} has no factor betas (insufficient history); excluded from factor exposure`);
      continue;
    }
    if (pos.betas.length !== k) throw new EngineError('INVALID_INPUT', `position ${pos.id}: ${pos.betas.length} betas for ${k} factors`);
    for (let f = 0; f < k; f++) {
      const b = pos.betas[f]!;
      if (!Number.isFinite(b)) throw new EngineError('INVALID_INPUT', `position ${pos.id}: beta ${f} is ${b}`);
      factorDollarUsd[f]! += e * b;
    }
    covered += Math.abs(e);
  }
  if (navUsd === 0) warnings.push('NAV is 0: portfolio betas are undefined (null)');
  return {
    factorNames, factorDollarUsd,
    portfolioBeta: Array.from(factorDollarUsd, (d) => (navUsd === 0 ? null : d / navUsd)),
    coveragePct: total === 0 ? 100 : (100 * covered) / total,
    uncoveredIds, warnings,
  };
}
