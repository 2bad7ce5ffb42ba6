/**
 * On-the-fly use cases over the caller's book (nothing stored):
 * - `runCustomStressTest`: user-defined factor shocks through the same stress method as the
 *   catalogue results, so the shocks of a catalogue scenario reproduce its stored P&L;
 * - `simulateTrade`: exposures, Greeks, factor betas, VaR and stress P&L before and after a set
 *   of trades filled at the as-of close and paid from cash (NAV is unchanged at the fill).
 */
import { activeStressScenarios } from '../../db/queries/stress-catalogue.ts';
import type { StressScenario } from '../../engines/stress/stress-scenario.ts';
import type { CustomStressOutput, SimulateTradeOutput, Trade } from '../contracts/what-if.ts';
import { AppError } from '../errors.ts';
import { loadBook } from '../what-if/book.ts';
import { asStressScenarios, stressState } from '../batch/phases/stress.ts';
import { bookFigures, finite } from '../what-if/figures.ts';
import { applyTrades } from '../what-if/trades.ts';
import type { Principal, ServiceDeps } from './context.ts';
import type { Db } from '../../db/client.ts';
import { round2 } from '../rounding.ts';


const catalogue = async (db: Db): Promise<StressScenario[]> => asStressScenarios(await activeStressScenarios(db));

const sameShocks = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export interface CustomStressInput {
  portfolioId: string;
  shocks: { factor: string; shock: number }[];
  name?: string | null;
}

export async function runCustomStressTest(deps: ServiceDeps, principal: Principal, input: CustomStressInput): Promise<CustomStressOutput> {
  if (!input.shocks.length) throw new AppError('VALIDATION', 'give at least one factor shock');
  const shocked: Record<string, number> = {};
  for (const s of input.shocks) {
    if (s.factor in shocked) throw new AppError('VALIDATION', `factor ${s.factor} is shocked twice`);
    shocked[s.factor] = s.shock;
  }
  const book = await loadBook(deps, principal, input.portfolioId);
  const name = input.name ?? 'custom scenario';
  const { results: [r], portfolio } = stressState(book.state, [{ id: 'custom', name, category: 'custom', shockedFactors: shocked }]);
  const symbolOf = new Map(book.state.positions.map((s) => [s.position.id, s.position.symbol]));
  const match = (await catalogue(deps.db)).find((c) => sameShocks(c.shockedFactors, shocked));
  return {
    portfolio_id: input.portfolioId, as_of: book.asOf, name, shocks: input.shocks as CustomStressOutput['shocks'],
    total_pnl: r ? round2(r.totalPnlUsd) : null, direct_pnl: r ? round2(r.directPnlUsd) : null, pct_nav: finite(r?.pctOfNav),
    nav: r ? round2(portfolio.navUsd) : null, exceeds_portfolio_value: r?.exceedsPortfolioValue ?? false,
    factor_impacts: (r?.factorImpacts ?? []).map((f) => ({ factor: f.factor, shock: f.shock, exposure_usd: round2(f.exposureUsd), pnl_usd: round2(f.pnlUsd) })),
    top_contributors: [...(r?.positionContributions ?? [])].sort((a, b) => Math.abs(b.directPnlUsd) - Math.abs(a.directPnlUsd)).slice(0, 10)
      .map((c) => ({ position_id: c.id, symbol: symbolOf.get(c.id) ?? c.id, pnl_usd: round2(c.directPnlUsd) })),
    matches_catalogue: match?.id ?? null,
  };
}

export async function simulateTrade(deps: ServiceDeps, principal: Principal, input: { portfolioId: string; trades: Trade[] }): Promise<SimulateTradeOutput> {
  if (!input.trades.length) throw new AppError('VALIDATION', 'give at least one trade');
  const added = input.trades.filter((t) => t.action === 'add' && t.symbol).map((t) => t.symbol!.trim().toUpperCase());
  const book = await loadBook(deps, principal, input.portfolioId, added);
  const scenarios = await catalogue(deps.db);
  const { after, applied } = await applyTrades(deps, book, input.trades);
  const b = bookFigures(book, scenarios);
  const a = bookFigures(after, scenarios);
  const diff = (x: number | null, y: number | null) => (x === null || y === null ? null : round2(y - x));
  const beta = (f: typeof b) => f.factor_betas.find((x) => x.factor === 'Market')?.beta ?? null;
  const worst = (f: typeof b) => (f.stress.length ? Math.min(...f.stress.map((s) => s.pnl ?? 0)) : null);
  return {
    portfolio_id: input.portfolioId, as_of: book.asOf, trades_applied: applied, before: b, after: a,
    change: {
      nav: diff(b.nav, a.nav), gross_exposure: diff(b.gross_exposure, a.gross_exposure), net_exposure: diff(b.net_exposure, a.net_exposure),
      var_99_1d: diff(b.var.var_99_1d, a.var.var_99_1d), market_beta: beta(b) === null || beta(a) === null ? null : beta(a)! - beta(b)!, worst_stress_pnl: diff(worst(b), worst(a)),
    },
  };
}
