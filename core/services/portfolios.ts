/**
 * Portfolio reads (api.md §5.1, §5.2): the caller's portfolios with live equity, and the
 * "complete" view with holdings, stored equity history and P&L attribution. Values come from core
 * pricing (latest close by trading date, signed, ×100 for options); cash is real (`cashAsOf`:
 * opening equity − cost basis of the positions entered + exit proceeds of those closed), never synthetic.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { closeDayCounts, listPositions, nthTradingDayBack } from '../../db/queries/positions.ts';
import { listSnapshots } from '../../db/queries/snapshots.ts';
import { portfolios } from '../../db/schema/index.ts';
import type { PortfolioComplete, PortfolioListItem } from '../contracts/portfolio.ts';
import { AppError } from '../errors.ts';
import { addDays } from '../seed/calendar-dates.ts';
import { equity, historySymbolOf, isOption, qualityFlags, valuePositions, type ValuedPosition } from './book.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { requirePricingDate, today } from './positions.ts';

export const MAX_POSITIONS = 2000;
export const MAX_DAYS = 180;
export const COMPLETE_HISTORY_DAYS = 150;

/** Held at the close of `asOf` (entered on or before it, as listed, and not yet exited). */
const isOpenOn = (r: { exitDate: string | null }, asOf: string): boolean => r.exitDate === null || r.exitDate > asOf;

/** The caller's live portfolios with equity and open position count, oldest first. */
export async function listPortfolios(deps: ServiceDeps, principal: Principal): Promise<PortfolioListItem[]> {
  const rows = await deps.db
    .select({ id: portfolios.id, name: portfolios.name, openingEquity: portfolios.openingEquity, createdAt: portfolios.createdAt, updatedAt: portfolios.updatedAt })
    .from(portfolios)
    .where(and(eq(portfolios.userId, principal.userId), isNull(portfolios.deletedAt)))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id));
  if (!rows.length) return [];
  const asOf = await requirePricingDate(deps);
  const all = await listPositions(deps.db, { ownerId: principal.userId, asOf, includeClosed: true });
  const valued = await valuePositions(deps.db, all.filter((r) => isOpenOn(r, asOf)), asOf);
  return rows.map((p) => {
    const mine = valued.filter((v) => v.record.portfolioId === p.id);
    const book = all.filter((r) => r.portfolioId === p.id);
    return { id: p.id, name: p.name, total_value: equity(p.openingEquity, mine, book, asOf).nav, created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(), position_count: mine.length };
  });
}

const historySymbol = (v: ValuedPosition): string => historySymbolOf(v.record);

async function completeHistory(deps: ServiceDeps, valued: readonly ValuedPosition[], asOf: string): Promise<Map<string, boolean>> {
  const from = (await nthTradingDayBack(deps.db, asOf, COMPLETE_HISTORY_DAYS)) ?? addDays(asOf, -COMPLETE_HISTORY_DAYS * 2);
  const counts = await closeDayCounts(deps.db, [...new Set(valued.map(historySymbol))], from, asOf);
  return new Map(valued.map((v) => [v.record.id, (counts.get(historySymbol(v)) ?? 0) >= COMPLETE_HISTORY_DAYS]));
}

function attribution(valued: readonly ValuedPosition[]) {
  const pnl = valued.filter((v) => v.row.unrealized_pnl !== null).map((v) => ({ symbol: v.record.symbol, unrealized_pnl: v.row.unrealized_pnl! }));
  pnl.sort((a, b) => b.unrealized_pnl - a.unrealized_pnl);
  return {
    contributors: pnl.filter((p) => p.unrealized_pnl > 0).slice(0, 5),
    detractors: pnl.filter((p) => p.unrealized_pnl < 0).reverse().slice(0, 5),
    note: 'top 5 positions by unrealized P&L since entry, USD',
  };
}

export interface CompleteInput {
  include_holdings: boolean;
  include_timeseries: boolean;
  include_attrib: boolean;
  as_of_date?: string | undefined;
}

function completeMeta(deps: ServiceDeps, m: { portfolioId: string; input: CompleteInput; asOf: string; positionCount: number }): PortfolioComplete['meta'] {
  const { portfolioId, input, asOf, positionCount } = m;
  const flags = { include_holdings: input.include_holdings, include_timeseries: input.include_timeseries, include_attrib: input.include_attrib };
  return {
    as_of: deps.clock().toISOString(),
    requested: { portfolio_id: portfolioId, ...flags, as_of_date: input.as_of_date ?? null },
    applied: { ...flags, as_of_date: asOf },
    limits: { max_positions: MAX_POSITIONS, max_days: MAX_DAYS, max_symbols: null },
    rows_returned: input.include_holdings ? Math.min(positionCount, MAX_POSITIONS) : 0,
    truncated: positionCount > MAX_POSITIONS,
    schema_version: '1.0',
  };
}

/** The complete portfolio view; `as_of_date` may go back at most 180 days (else VALIDATION). */
export async function getPortfolioComplete(deps: ServiceDeps, principal: Principal, portfolioId: string, input: CompleteInput): Promise<PortfolioComplete> {
  const p = await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const now = today(deps);
  if (input.as_of_date && (input.as_of_date < addDays(now, -MAX_DAYS) || input.as_of_date > now)) {
    throw new AppError('VALIDATION', `as_of_date must be within the last ${MAX_DAYS} days`, { details: { errors: [{ path: 'as_of_date', message: `between ${addDays(now, -MAX_DAYS)} and ${now}` }] } });
  }
  const asOf = await requirePricingDate(deps, input.as_of_date);
  const book = await listPositions(deps.db, { ownerId: principal.userId, portfolioId, asOf, includeClosed: true });
  const records = book.filter((r) => isOpenOn(r, asOf));
  const valued = await valuePositions(deps.db, records.slice(0, MAX_POSITIONS), asOf);
  const eq_ = equity(p.openingEquity, valued, book, asOf);
  const complete = await completeHistory(deps, valued, asOf);
  const full = [...complete.values()].filter(Boolean).length;
  const out: PortfolioComplete = {
    meta: completeMeta(deps, { portfolioId, input, asOf, positionCount: records.length }),
    portfolio: { id: p.id, name: p.name, total_value: eq_.nav, cash_balance: eq_.cash, position_count: records.length, as_of: asOf },
    positions_summary: {
      long_count: valued.filter((v) => v.record.quantity > 0 && !isOption(v.record.positionType)).length,
      short_count: valued.filter((v) => v.record.quantity < 0 && !isOption(v.record.positionType)).length,
      option_count: valued.filter((v) => isOption(v.record.positionType)).length,
      total_market_value: eq_.marketValue,
    },
    data_quality: { complete_data_positions: full, partial_data_positions: valued.length - full, as_of: asOf, flags: qualityFlags(valued) },
  };
  if (input.include_holdings) {
    out.holdings = valued.map((v) => ({ id: v.record.id, symbol: v.record.symbol, quantity: v.record.quantity, position_type: v.record.positionType, market_value: v.row.market_value, last_price: v.row.current_price, has_complete_history: complete.get(v.record.id) ?? false }));
  }
  if (input.include_timeseries) {
    const snaps = await listSnapshots(deps.db, portfolioId, addDays(asOf, -MAX_DAYS), asOf, MAX_DAYS);
    out.timeseries = { dates: snaps.map((s) => s.asOf), values: snaps.map((s) => s.nav), note: snaps.length ? 'stored daily equity (NAV) from the nightly batch, USD' : 'no stored snapshots yet: the nightly batch writes one per trading day' };
  }
  if (input.include_attrib) out.attribution = attribution(valued);
  return out;
}
