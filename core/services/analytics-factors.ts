/**
 * Factor exposures (api.md §8.4, §8.5) from stored batch results. Portfolio level: the latest
 * date on which every active factor has a value, factors in display order. When a factor was
 * stored by several models, the first of MODEL_PREFERENCE wins (market beta from the univariate
 * market model, style factors from the joint style regression).
 */
import { listPositions } from '../../db/queries/positions.ts';
import { activeFactors, factorRows, latestAsOf, positionFactorRows } from '../../db/queries/results.ts';
import { positionFactorExposures } from '../../db/schema/index.ts';
import { SymbolsCsv } from '../contracts/common.ts';
import type { FactorExposures, PositionFactorExposures } from '../contracts/analytics.ts';
import { AppError } from '../errors.ts';
import { FACTOR_EXPOSURES_VERSION, POSITION_FACTORS_VERSION } from '../../db/queries/results-versions.ts';
import { storedAnswer } from './analytics-cache.ts';
import { NO_PROVENANCE, provenance } from './analytics-provenance.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { today } from './positions.ts';

export const MODEL_PREFERENCE = ['market', 'style', 'compat', 'rate'] as const;
const rank = (model: string) => {
  const i = (MODEL_PREFERENCE as readonly string[]).indexOf(model);
  return i < 0 ? MODEL_PREFERENCE.length : i;
};

/** Keeps, per key, the row whose model ranks first. */
function preferModel<T extends { model: string }>(rows: readonly T[], key: (r: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const cur = out.get(k);
    if (!cur || rank(r.model) < rank(cur.model)) out.set(k, r);
  }
  return out;
}

/** Portfolio factor betas and dollar exposures of the latest complete date. */
export async function getFactorExposures(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<FactorExposures> {
  return storedAnswer(deps, principal, portfolioId, FACTOR_EXPOSURES_VERSION, '', () => readFactorExposures(deps, principal, portfolioId));
}

async function readFactorExposures(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<FactorExposures> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const [factors, rows] = await Promise.all([activeFactors(deps.db), factorRows(deps.db, portfolioId, today(deps))]);
  const none = (detail?: 'no_active_style_factors' | 'no_complete_set'): FactorExposures => ({
    available: false, portfolio_id: portfolioId, ...NO_PROVENANCE, calculation_date: null, factors: [], metadata: { reason: 'no_calculation_available', ...(detail ? { detail } : {}) },
  });
  if (!factors.length) return none('no_active_style_factors');
  const dates = [...new Set(rows.map((r) => r.asOf))];
  for (const date of dates) {
    const best = preferModel(rows.filter((r) => r.asOf === date), (r) => r.name);
    if (!factors.every((f) => best.has(f.name))) continue;
    const chosen = factors.map((f) => best.get(f.name)!);
    const prov = await provenance(deps.db, portfolioId, date, chosen[0]!.runId);
    const models = [...new Set(chosen.map((c) => c.model))];
    return {
      available: true, portfolio_id: portfolioId, ...prov, calculation_date: date,
      factors: chosen.map((c) => ({ name: c.name, beta: c.beta, exposure_dollar: c.exposureDollar, coverage_pct: c.coveragePct, model: c.model })),
      metadata: { factor_model: `${chosen.length}-factor`, calculation_method: models.join('+') },
    };
  }
  return none(rows.length ? 'no_complete_set' : undefined);
}

export interface PositionFactorInput {
  limit: number;
  offset: number;
  symbols?: string | undefined;
}

/** Per-position factor betas, paginated over the portfolio's open positions (symbol, then id). */
export async function getPositionFactorExposures(deps: ServiceDeps, principal: Principal, portfolioId: string, input: PositionFactorInput): Promise<PositionFactorExposures> {
  const parsed = input.symbols === undefined ? undefined : SymbolsCsv(500).safeParse(input.symbols);
  if (parsed && !parsed.success) throw new AppError('VALIDATION', 'symbols is not valid', { details: { errors: parsed.error.issues.map((i) => ({ path: 'symbols', message: i.message })) } });
  const key = JSON.stringify([input.limit, input.offset, parsed?.data ?? null]);
  return storedAnswer(deps, principal, portfolioId, POSITION_FACTORS_VERSION, key, () => readPositionFactorExposures(deps, principal, portfolioId, input, parsed?.data));
}

async function readPositionFactorExposures(deps: ServiceDeps, principal: Principal, portfolioId: string, input: PositionFactorInput, symbols: string[] | undefined): Promise<PositionFactorExposures> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const page = { limit: input.limit, offset: input.offset };
  const latest = await latestAsOf(deps.db, positionFactorExposures, portfolioId, today(deps));
  if (!latest) return { available: false, portfolio_id: portfolioId, ...NO_PROVENANCE, calculation_date: null, total: 0, ...page, positions: [], metadata: { reason: 'no_results' } };
  const wanted = symbols && symbols.length ? new Set(symbols) : null;
  const all = (await listPositions(deps.db, { ownerId: principal.userId, portfolioId, asOf: latest.asOf, includeClosed: false })).filter((p) => !wanted || wanted.has(p.symbol));
  const slice = all.slice(input.offset, input.offset + input.limit);
  const rows = await positionFactorRows(deps.db, portfolioId, latest.asOf);
  const best = preferModel(rows, (r) => `${r.positionId}|${r.name}`);
  const prov = await provenance(deps.db, portfolioId, latest.asOf, latest.runId);
  const positions = slice.map((p) => {
    const exposures: Record<string, number> = {};
    for (const r of best.values()) if (r.positionId === p.id) exposures[r.name] = r.beta;
    return { position_id: p.id, symbol: p.symbol, exposures };
  });
  return { available: true, portfolio_id: portfolioId, ...prov, calculation_date: latest.asOf, total: all.length, ...page, positions, metadata: {} };
}
