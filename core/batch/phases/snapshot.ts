/**
 * Snapshot phase (engines.md §9 Required): NAV = Σ signed MV + cash; daily P&L position by
 * position over (previous snapshot's date, as_of] (the prior trading day for a first snapshot);
 * cumulative P&L rolls from the latest earlier snapshot; summed dollar Greeks; price coverage.
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import { positionsAsOf } from '../../../db/queries/batch-portfolios.ts';
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { portfolioSnapshots } from '../../../db/schema/index.ts';
import { buildDailySnapshot } from '../../../engines/snapshots/daily-snapshot.ts';
import type { SnapshotPosition } from '../../../engines/snapshots/daily-pnl.ts';
import { addDays, indexOnOrBefore } from '../../seed/calendar-dates.ts';
import { pricePositions } from '../../services/pricing.ts';
import { CALENDAR_SYMBOL, tradingDayBefore } from '../as-of.ts';
import type { PortfolioPhase, PositionRow, RunContext } from '../types.ts';
import { round2 } from '../../rounding.ts';


/** The trading day before `date` from the run's SPY closes, or undefined when they do not reach back that far. */
function calendarDayBefore(run: RunContext, date: string): string | undefined {
  const spy = run.market?.pricing.closes.get(CALENDAR_SYMBOL)?.dates ?? [];
  return spy[indexOnOrBefore(spy, addDays(date, -1))];
}

export const snapshotPhase: PortfolioPhase = async (tx, run, state) => {
  const [prevRow] = await tx
    .select({ date: portfolioSnapshots.asOf, nav: portfolioSnapshots.nav, cum: portfolioSnapshots.cumulativePnl })
    .from(portfolioSnapshots)
    .where(and(eq(portfolioSnapshots.portfolioId, state.id), lt(portfolioSnapshots.asOf, run.asOf)))
    .orderBy(desc(portfolioSnapshots.asOf))
    .limit(1);
  const prev = prevRow ? { date: prevRow.date, navUsd: prevRow.nav, cumulativePnlUsd: prevRow.cum } : null;
  const prevDate = prev?.date ?? calendarDayBefore(run, run.asOf) ?? (await tradingDayBefore(tx, run.asOf));
  const rows = (await positionsAsOf(tx, state.id, run.asOf, prevDate ?? run.asOf)) as PositionRow[];
  const known = new Map(state.positions.map((s) => [s.position.id, s]));
  const shared = run.market?.pricing;
  const prevPrices = prevDate ? await pricePositions(tx, rows, prevDate, shared) : rows.map(() => null);
  const closedPrices = rows.some((r) => !known.has(r.id)) ? await pricePositions(tx, rows, run.asOf, shared) : null;
  const positions: SnapshotPosition[] = rows.map((r, i) => {
    const s = known.get(r.id);
    const px = s?.price ?? closedPrices?.[i] ?? null;
    const g = s?.greeks;
    return {
      id: r.id, symbol: r.symbol, positionType: r.positionType, quantity: r.quantity, entryDate: r.entryDate, entryPrice: r.entryPrice,
      exitDate: r.exitDate, exitPrice: r.exitPrice, price: px?.price ?? null, priceDate: px?.priceDate ?? null, prevPrice: prevPrices[i]?.price ?? null,
      underlyingSymbol: r.underlyingSymbol, underlyingPrice: px?.underlyingPrice ?? null, deltaPerShare: g?.perShare.delta ?? null,
      dollarGreeks: g ? { dollarDelta: g.dollarDelta, dollarGamma1Pct: g.dollarGamma1Pct, thetaDollarsPerDay: g.thetaDollarsPerDay, vegaDollarsPerVolPoint: g.vegaDollarsPerVolPoint, rhoDollarsPerPct: g.rhoDollarsPerPct } : null,
    };
  });
  const snap = buildDailySnapshot({ date: run.asOf, positions, cashUsd: state.cash, prev });
  const n = await replacePortfolioRows(tx, portfolioSnapshots, ['portfolioId', 'asOf'], [{
    portfolioId: state.id, asOf: run.asOf, runId: run.runId, nav: round2(snap.navUsd), cash: round2(snap.cashUsd),
    longValue: round2(snap.longValueUsd), shortValue: round2(snap.shortValueUsd), grossExposure: round2(snap.grossExposureUsd), netExposure: round2(snap.netExposureUsd),
    deltaAdjNet: round2(snap.deltaAdjustedNetUsd), dailyPnl: round2(snap.dailyPnlUsd), dailyReturn: snap.dailyReturn, cumulativePnl: round2(snap.cumulativePnlUsd),
    dollarDelta: snap.dollarGreeks.dollarDelta, dollarGamma1pct: snap.dollarGreeks.dollarGamma1Pct, thetaDollarsPerDay: snap.dollarGreeks.thetaDollarsPerDay,
    vegaDollarsPerVolPt: snap.dollarGreeks.vegaDollarsPerVolPoint, rhoDollarsPerPct: snap.dollarGreeks.rhoDollarsPerPct,
    counts: { ...snap.countsByType, positions: snap.numPositions, long: snap.numLongPositions, short: snap.numShortPositions },
    priceCoveragePct: snap.priceCoveragePct, stalePriceCount: snap.stalePriceCount, isComplete: snap.isComplete,
  }], { portfolioId: state.id, asOf: run.asOf, runId: run.runId });
  return { rows: n, warnings: snap.warnings.filter((w) => !w.startsWith('no earlier snapshot')), metrics: { prevDate, dailyPnlUsd: round2(snap.dailyPnlUsd) } };
};
