/**
 * Risk metrics phase (engines.md §11): today's signed delta-adjusted exposures, aggregated per
 * source symbol, applied to the last 252 days of that symbol's returns (historical simulation):
 * 1-day 95/99 % VaR and ES, 10-day by √10; delta-normal VaR from the sample covariance of the
 * same returns; and from the simulated daily returns (P&L / NAV): annualised volatility (√252),
 * maximum drawdown of the wealth index, Sharpe and Sortino against the 13-week bill, beta to SPY.
 */
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { riskMetrics } from '../../../db/schema/index.ts';
import { denseMatrix, fromColumns } from '../../../engines/common/dense-matrix.ts';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import { betaToMarket } from '../../../engines/risk/beta-to-market.ts';
import { maxDrawdown, wealthIndex } from '../../../engines/risk/drawdown.ts';
import { historicalPnl } from '../../../engines/risk/historical-pnl.ts';
import { historicalVarLevels } from '../../../engines/risk/historical-var.ts';
import { parametricVar } from '../../../engines/risk/parametric-var.ts';
import { sharpeSortino } from '../../../engines/risk/sharpe-sortino.ts';
import { annualizedVolatility } from '../../../engines/risk/volatility.ts';
import { navOfState } from '../portfolio-state.ts';
import type { PortfolioPhase, PortfolioState } from '../types.ts';
import type { RunMarket } from '../run-market.ts';
import { round2OrNull } from '../../rounding.ts';


/** Exposure per source symbol with full-window returns; symbols without are listed. */
export function exposureBySymbol(state: PortfolioState, m: RunMarket): { symbols: string[]; exposures: number[]; excluded: string[] } {
  const agg = new Map<string, number>();
  const excluded: string[] = [];
  for (const s of state.positions) {
    if (s.deltaAdj === null) continue;
    if (!m.returns.has(s.sourceSymbol)) excluded.push(s.position.symbol);
    else agg.set(s.sourceSymbol, (agg.get(s.sourceSymbol) ?? 0) + s.deltaAdj);
  }
  const symbols = [...agg.keys()].sort();
  return { symbols, exposures: symbols.map((s) => agg.get(s)!), excluded };
}

function returnMetrics(pnl: Float64Array, nav: number, m: RunMarket) {
  if (!(nav > 0)) return { volAnnual: null, maxDrawdown: null, sharpe: null, sortino: null, betaToSpy: null };
  const r = pnl.map((x) => x / nav);
  const rs = sharpeSortino(r, m.irx.slice(0, r.length));
  const spy = m.returns.get('SPY');
  return {
    volAnnual: annualizedVolatility(r),
    maxDrawdown: maxDrawdown(wealthIndex(r)).depth,
    sharpe: rs.sharpe,
    sortino: rs.sortino,
    betaToSpy: spy ? betaToMarket(r, spy).beta : null,
  };
}

export const riskPhase: PortfolioPhase = async (tx, run, state) => {
  const m = run.market!;
  const { symbols, exposures, excluded } = exposureBySymbol(state, m);
  const warnings = excluded.length ? [`excluded from VaR (no full return window): ${excluded.join(', ')}`] : [];
  const nav = navOfState(state);
  const n = m.dates.length - 1;
  const scope = { portfolioId: state.id, asOf: run.asOf, runId: run.runId };
  if (!symbols.length) {
    const rows = await replacePortfolioRows(tx, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], [], scope);
    return { rows, warnings: [...warnings, 'no exposures with return history: no risk metrics'] };
  }
  const panel = fromColumns(symbols.map((s) => m.returns.get(s)!));
  const pnl = historicalPnl(panel, exposures);
  const [v95, v99] = historicalVarLevels(pnl, [0.95, 0.99]);
  const cov = sampleCovariance(panel, symbols).matrix;
  const p95 = parametricVar({ covariance: denseMatrix(cov.data, cov.rows, cov.cols), exposuresUsd: exposures, confidence: 0.95 });
  const p99 = parametricVar({ covariance: cov, exposuresUsd: exposures, confidence: 0.99 });
  const rm = returnMetrics(pnl, nav, m);
  const written = await replacePortfolioRows(tx, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], [{
    ...scope, windowDays: n, nObs: pnl.length, volAnnual: rm.volAnnual,
    var95OneDay: round2OrNull(v95!.var1d), var99OneDay: round2OrNull(v99!.var1d), cvar95OneDay: round2OrNull(v95!.cvar1d), cvar99OneDay: round2OrNull(v99!.cvar1d),
    var95TenDay: round2OrNull(v95!.var10dSqrt), var99TenDay: round2OrNull(v99!.var10dSqrt),
    parametricVar95OneDay: round2OrNull(p95.var1d), parametricVar99OneDay: round2OrNull(p99.var1d),
    maxDrawdown: rm.maxDrawdown, sharpe: rm.sharpe, sortino: rm.sortino, betaToSpy: rm.betaToSpy,
    metadata: {
      method: 'historical simulation of today\'s delta-adjusted exposures; 10-day by sqrt(10)', navUsd: round2OrNull(nav), symbols,
      var10dOverlapping95: round2OrNull(v95!.var10dOverlapping), var10dOverlapping99: round2OrNull(v99!.var10dOverlapping), excluded,
    },
  }], scope);
  return { rows: written, warnings, metrics: { var99OneDay: round2OrNull(v99!.var1d) } };
};
