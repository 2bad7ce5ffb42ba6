/**
 * A portfolio's book as the batch sees it, rebuilt in memory for on-the-fly questions (custom
 * stress, simulated trades): the positions held on the latest results date priced by core
 * pricing, the run's market window and the factor model recomputed from the same stored closes,
 * so every figure equals what the batch stored for those inputs. Nothing is written.
 */
import { resolveAsOf } from '../batch/as-of.ts';
import { computeFactorModel, type FactorModel } from '../batch/factor-model.ts';
import { positionBetas } from '../batch/phases/factors.ts';
import { loadPortfolioState } from '../batch/portfolio-state.ts';
import { loadRunMarket, type RunMarket } from '../batch/run-market.ts';
import type { PortfolioState } from '../batch/types.ts';
import { latestAsOf } from '../../db/queries/results.ts';
import { portfolioExposures } from '../../db/schema/index.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from '../services/context.ts';

export interface Book {
  asOf: string;
  state: PortfolioState;
  market: RunMarket;
  model: FactorModel;
}

/** The state with its position betas as the factors phase sets them. */
export function attachBetas(state: PortfolioState, model: FactorModel): PortfolioState {
  return { ...state, betas: positionBetas(state, model) };
}

const symbolsOf = (rows: readonly { sourceSymbol: string; position: { symbol: string } }[]) => [...new Set(rows.flatMap((s) => [s.sourceSymbol, s.position.symbol]).concat('SPY'))];

/** The caller's portfolio on its latest results date (or the latest trading day before any run). */
export async function loadBook(deps: ServiceDeps, principal: Principal, portfolioId: string, extraSymbols: readonly string[] = []): Promise<Book> {
  const p = await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const today = deps.clock().toISOString().slice(0, 10);
  const asOf = (await latestAsOf(deps.db, portfolioExposures, p.id, today))?.asOf ?? (await resolveAsOf(deps.db, deps.clock()));
  const state = await loadPortfolioState(deps.db, p, asOf);
  const market = await loadRunMarket(deps.db, asOf, [...symbolsOf(state.positions), ...extraSymbols]);
  const model = computeFactorModel(market, 'what-if');
  return { asOf, state: attachBetas(state, model), market, model };
}
