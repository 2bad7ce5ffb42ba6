/**
 * Factor exposure phase (engines.md §6.6 items 4–7): each position takes the compat betas of
 * its source symbol (the underlying for options, the proxy for funds); dollar exposure =
 * delta-adjusted exposure × β; the portfolio roll-up is Σ_i E_i β_{i,f} with portfolio beta =
 * factor dollars / NAV and a coverage metric. Positions without betas are listed in warnings.
 * The rate beta (per bp) is kept in memory for the scenario and stress phases.
 */
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { factorExposures, positionFactorExposures } from '../../../db/schema/index.ts';
import { factorRollup, type RollupPosition } from '../../../engines/regression/factor-rollup.ts';
import { RATE_FACTOR, type FactorModel } from '../factor-model.ts';
import { navOfState } from '../portfolio-state.ts';
import type { PortfolioPhase, PortfolioState } from '../types.ts';
import { round2 } from '../../rounding.ts';

export const COMPAT_LABEL = 'independent, non-additive univariate betas per factor ETF';

/** Each priced position's compat betas (its source symbol's) plus the rate beta per bp, by position id. */
export function positionBetas(state: PortfolioState, model: FactorModel): Map<string, Record<string, number>> {
  const betas = new Map<string, Record<string, number>>();
  for (const s of state.positions) {
    const b = model.compat.get(s.sourceSymbol);
    if (!b || s.deltaAdj === null) continue;
    const rate = model.rateBp.get(s.sourceSymbol);
    betas.set(s.position.id, { ...b, ...(rate === undefined ? {} : { [RATE_FACTOR]: rate }) });
  }
  return betas;
}

export const factorsPhase: PortfolioPhase = async (tx, run, state) => {
  const model = run.model!;
  for (const [id, b] of positionBetas(state, model)) state.betas.set(id, b);
  const factors = run.market!.factors;
  const keys = factors.map((f) => f.key);
  const scope = { portfolioId: state.id, asOf: run.asOf, runId: run.runId };
  const posRows: (typeof positionFactorExposures.$inferInsert)[] = [];
  const rollup: RollupPosition[] = [];
  const warnings: string[] = [];
  for (const s of state.positions) {
    if (s.deltaAdj === null) {
      warnings.push(`${s.position.symbol}: no delta-adjusted exposure, excluded`);
      continue;
    }
    const b = model.compat.get(s.sourceSymbol);
    rollup.push({ id: s.position.id, deltaAdjExposureUsd: s.deltaAdj, betas: b ? keys.map((k) => b[k]!) : null });
    if (!b) continue;
    const quality = s.sourceSymbol === s.position.symbol ? 'full_history' : s.position.proxySymbol ? 'proxy' : 'underlying';
    for (const f of factors) {
      posRows.push({
        positionId: s.position.id, factorId: f.id, asOf: run.asOf, model: 'compat', portfolioId: state.id, sourceSymbol: s.sourceSymbol,
        beta: b[f.key]!, exposureDollar: round2(s.deltaAdj * b[f.key]!), qualityFlag: quality, runId: run.runId,
      });
    }
  }
  const nav = navOfState(state);
  const r = factorRollup(rollup, keys, nav);
  warnings.push(...r.uncoveredIds.map((id) => `${state.positions.find((s) => s.position.id === id)?.position.symbol ?? id}: no factor betas (insufficient history)`));
  const portRows = factors.map((f, j) => ({
    portfolioId: state.id, factorId: f.id, asOf: run.asOf, model: 'compat', runId: run.runId,
    beta: r.portfolioBeta[j] ?? null, exposureDollar: round2(r.factorDollarUsd[j]!), coveragePct: r.coveragePct,
    metadata: { label: COMPAT_LABEL, factorKey: f.key, etf: f.etf, base: 'NAV', navUsd: round2(nav), windowDays: run.market!.dates.length - 1 },
  }));
  let n = await replacePortfolioRows(tx, positionFactorExposures, ['positionId', 'factorId', 'asOf', 'model'], posRows, scope);
  n += await replacePortfolioRows(tx, factorExposures, ['portfolioId', 'factorId', 'asOf', 'model'], portRows, scope);
  return { rows: n, warnings, metrics: { coveragePct: r.coveragePct } };
};
