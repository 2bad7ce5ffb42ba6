import { EngineError } from '../errors.ts';
import { optionStressRows, type OptionStressMethod, type StressOptionPosition } from './option-stress.ts';
import { conditionalFactorMoves } from '../covariance/conditional-moves.ts';
import { checkCovariance, type CovarianceInput } from '../covariance/covariance-matrix.ts';

/** One stress scenario: factor name → shock (fractional return; rate factors: absolute yield change, decimal). */
export interface StressScenario {
  id: string;
  name?: string;
  category?: string;
  shockedFactors: Readonly<Record<string, number>>;
  /** Relative change of the VIX level (1.5 = +150 %), moving option implied vols (`vol-shock.ts`); absent = none. */
  volShock?: number;
}

/** A position's dollar factor exposures: USD per unit factor return; rate factors USD per +1 bp. */
export interface StressPosition {
  id: string;
  factorExposuresUsd: Readonly<Record<string, number>>;
}

/** Portfolio context: NAV (percentage base) and long/short market value (sanity check). */
export interface StressPortfolio {
  navUsd: number;
  /** Σ positive market values, USD. */
  longValueUsd: number;
  /** Σ negative market values, USD (≤ 0). */
  shortValueUsd: number;
}

export interface StressOptions {
  /**
   * 'multivariate': exposures come from joint (orthogonalised) factor betas, so unshocked factors
   * are propagated through the covariance. 'univariate': each beta already embeds correlated moves,
   * so only the direct P&L is reported (engines.md §8.10.2), labelled `direct_only`.
   */
  exposureModel: 'multivariate' | 'univariate';
  /** Factor covariance from the covariance family (sample, EWMA or stored), native shock units. */
  covariance?: CovarianceInput | null;
  /** Factors whose shocks are absolute yield changes (decimal) and exposures $/bp; default ['Interest_Rate']. */
  rateFactors?: readonly string[];
  /** Options to revalue beyond their delta-adjusted exposures (`option-stress.ts`); absent = delta only. */
  options?: { positions: readonly StressOptionPosition[]; method: OptionStressMethod } | null;
}

export interface FactorImpact {
  factor: string;
  /** Shock in native units: fractional return, or bp for rate factors. */
  shock: number;
  shockUnits: 'return' | 'bp';
  /** false: shocked by the scenario; true: conditional move implied through the covariance. */
  implied: boolean;
  exposureUsd: number;
  pnlUsd: number;
}

export interface StressResult {
  scenarioId: string;
  category: string | null;
  method: 'direct_only' | 'conditional_expectation';
  /** Σ_{k∈S} E_k s_k, USD. */
  directPnlUsd: number;
  /** direct + propagated + optionAdjustment, USD (uncapped). */
  totalPnlUsd: number;
  /** Σ_{u∈U} E_u m_u: linear P&L of the propagated factor moves, USD. */
  propagatedPnlUsd: number;
  /** Option non-linearity and vega beyond delta (0 without `options` or with method 'delta'), USD. */
  optionAdjustmentPnlUsd: number;
  /** VIX shock applied to option vols (relative change; 0 = none). */
  volShock: number;
  /** total / NAV (fraction); null when NAV ≤ 0. */
  pctOfNav: number | null;
  /** Loss larger than NAV (levered or short books); never clipped. */
  exceedsPortfolioValue: boolean;
  factorImpacts: FactorImpact[];
  /** Per position: direct = linear P&L of the shocked factors; total adds propagated moves and its option adjustment. */
  positionContributions: Array<{ id: string; directPnlUsd: number; totalPnlUsd: number }>;
  jitter: number;
  warnings: string[];
}

/** Moves applied to each factor (native units) and the method actually used. */
function factorMoves(scn: StressScenario, opts: StressOptions, rate: ReadonlySet<string>, warnings: string[]) {
  const shocks = new Map<string, number>();
  for (const [f, s] of Object.entries(scn.shockedFactors)) {
    if (!Number.isFinite(s)) throw new EngineError('INVALID_INPUT', `scenario ${scn.id}: shock for ${f} must be finite`);
    shocks.set(f, rate.has(f) ? s * 10_000 : s);
  }
  const cov = opts.exposureModel === 'multivariate' && opts.covariance ? checkCovariance(opts.covariance) : null;
  if (opts.exposureModel === 'multivariate' && !cov) warnings.push('no covariance supplied: direct P&L only');
  if (opts.exposureModel === 'univariate' && opts.covariance) warnings.push('univariate exposures already embed correlated moves: covariance not used, direct P&L only');
  if (!cov) return { shocks, implied: new Map<string, number>(), jitter: 0, method: 'direct_only' as const };
  const inCov = new Set(cov.names);
  const conditioned = new Map([...shocks].filter(([f]) => inCov.has(f)));
  for (const f of shocks.keys()) if (!inCov.has(f)) warnings.push(`shocked factor ${f} not in covariance: applied directly, not propagated`);
  const { moves, jitter } = conditionalFactorMoves(cov, conditioned);
  if (jitter > 0) warnings.push(`covariance of shocked factors not positive definite: jitter ${jitter} added to its diagonal`);
  return { shocks, implied: moves, jitter, method: 'conditional_expectation' as const };
}

/** A long-only book cannot lose more than its long value under return shocks ≥ −100 %: flag it if it does. */
function sanityCheck(shocks: ReadonlyMap<string, number>, rate: ReadonlySet<string>, portfolio: StressPortfolio, totalPnlUsd: number, warnings: string[]): void {
  const minShock = Math.min(...[...shocks].filter(([f]) => !rate.has(f)).map(([, s]) => s), 0);
  if (portfolio.shortValueUsd === 0 && minShock >= -1 && -totalPnlUsd > portfolio.longValueUsd) {
    warnings.push('sanity: long-only book loses more than its long value (factor betas imply a position return below −100 %)');
  }
}

/** Option adjustments by position id (engines.md §8.10.4) and the VIX shock used. */
function optionAdjustments(scn: StressScenario, opts: StressOptions, moves: ReadonlyMap<string, number>, ids: ReadonlySet<string>, warnings: string[]) {
  const byId = new Map<string, number>();
  const volShock = scn.volShock ?? 0;
  const o = opts.options;
  if (!o || o.positions.length === 0) return { byId, volShock: 0 };
  if (scn.volShock === undefined && scn.category === 'volatility') warnings.push('volatility scenario states no VIX move: option implied vols unchanged');
  if (volShock !== 0 && o.method === 'delta') warnings.push('delta method: VIX shock not applied to options');
  for (const row of optionStressRows(o.positions, moves, volShock, o.method)) {
    if (!ids.has(row.id)) throw new EngineError('INVALID_INPUT', `option ${row.id} has no stress position with its factor exposures`);
    byId.set(row.id, (byId.get(row.id) ?? 0) + row.adjustmentPnlUsd);
  }
  return { byId, volShock: o.method === 'delta' ? 0 : volShock };
}

/**
 * Stress P&L of one scenario from dollar factor exposures (engines.md §8.10):
 *   direct = Σ_{k∈S} E_k s_k;  total = direct + Σ_{u∈U} E_u m_u with m_U = Σ_US Σ_SS⁻¹ s_S.
 * E_k = Σ_i E_ik over positions (options delta-adjusted upstream). Rate factor shocks (absolute
 * yield change, decimal) are converted to bp (× 10,000) and applied to $/bp exposures. With a
 * single shocked factor uncorrelated with the rest, m_U = 0 and total == direct: nothing is
 * counted twice. Options: their delta-adjusted exposures give the linear part; with
 * `opts.options` the non-linear and volatility part is added per position (`optionStressRows`:
 * vega × Δσ, or full BSM repricing at S(1 + Σβ_k m_k) and σ(1 + volShock)), so
 * total = direct + propagated + optionAdjustment. No loss floor: the P&L is reported uncapped
 * and `exceedsPortfolioValue` flags a loss larger than NAV. A long-only book (shortValue = 0) losing more than its long value
 * under shocks ≥ −100 % is flagged in `warnings` as a model sanity violation.
 *
 * @throws EngineError INVALID_INPUT for non-finite shocks, exposures or NAV, or an invalid covariance;
 *   SINGULAR_MATRIX when the shocked factors' covariance cannot be made positive definite.
 * @example runStressScenario({ id: 'market_down_10', shockedFactors: { Market: -0.1 } },
 *   [{ id: 'AAPL', factorExposuresUsd: { Market: 120_000 } }, { id: 'XOM', factorExposuresUsd: { Market: -40_000 } }],
 *   { navUsd: 50_000, longValueUsd: 100_000, shortValueUsd: -50_000 }, { exposureModel: 'univariate' }).totalPnlUsd // −8000
 */
export function runStressScenario(scn: StressScenario, positions: readonly StressPosition[], portfolio: StressPortfolio, opts: StressOptions): StressResult {
  if (!Number.isFinite(portfolio.navUsd)) throw new EngineError('INVALID_INPUT', 'navUsd must be finite');
  if (opts.covariance) checkCovariance(opts.covariance);
  const rate = new Set(opts.rateFactors ?? ['Interest_Rate']);
  const warnings: string[] = [];
  const { shocks, implied, jitter, method } = factorMoves(scn, opts, rate, warnings);
  const moves = new Map([...shocks, ...implied]);
  const adj = optionAdjustments(scn, opts, moves, new Set(positions.map((p) => p.id)), warnings);
  const exposure = new Map<string, number>();
  const contributions = positions.map((p) => {
    let direct = 0, total = 0;
    for (const [f, e] of Object.entries(p.factorExposuresUsd)) {
      if (!Number.isFinite(e)) throw new EngineError('INVALID_INPUT', `position ${p.id}: exposure to ${f} must be finite`);
      exposure.set(f, (exposure.get(f) ?? 0) + e);
      const m = moves.get(f);
      if (m === undefined) continue;
      total += e * m;
      if (shocks.has(f)) direct += e * m;
    }
    return { id: p.id, directPnlUsd: direct, totalPnlUsd: total + (adj.byId.get(p.id) ?? 0) };
  });
  const factorImpacts: FactorImpact[] = [...moves].map(([factor, shock]) => {
    const exposureUsd = exposure.get(factor) ?? 0;
    if (shocks.has(factor) && !exposure.has(factor)) warnings.push(`no exposure to shocked factor ${factor}: contributes 0`);
    return { factor, shock, shockUnits: rate.has(factor) ? 'bp' : 'return', implied: !shocks.has(factor), exposureUsd, pnlUsd: exposureUsd * shock };
  });
  const directPnlUsd = factorImpacts.reduce((a, x) => (x.implied ? a : a + x.pnlUsd), 0);
  const optionAdjustmentPnlUsd = [...adj.byId.values()].reduce((a, x) => a + x, 0);
  const linearPnlUsd = factorImpacts.reduce((a, x) => a + x.pnlUsd, 0);
  const totalPnlUsd = linearPnlUsd + optionAdjustmentPnlUsd;
  sanityCheck(shocks, rate, portfolio, totalPnlUsd, warnings);
  return {
    scenarioId: scn.id, category: scn.category ?? null, method, directPnlUsd, totalPnlUsd,
    propagatedPnlUsd: linearPnlUsd - directPnlUsd, optionAdjustmentPnlUsd, volShock: adj.volShock,
    pctOfNav: portfolio.navUsd > 0 ? totalPnlUsd / portfolio.navUsd : null,
    exceedsPortfolioValue: totalPnlUsd < 0 && -totalPnlUsd > portfolio.navUsd,
    factorImpacts, positionContributions: contributions, jitter, warnings,
  };
}
