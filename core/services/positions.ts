/**
 * Position reads (api.md §6.1, §6.2; the seed-guide `/data/portfolios/{id}/positions`). Every
 * query is scoped to the principal: a foreign portfolio or position id answers NOT_FOUND.
 */
import { listPositions } from '../../db/queries/positions.ts';
import { securityInfo } from '../../db/queries/positions.ts';
import type { PositionsDetails, TopPositions } from '../contracts/portfolio.ts';
import { AppError, notFound } from '../errors.ts';
import { addDays } from '../seed/calendar-dates.ts';
import { pricingDate, qualityFlags, round2, valuePositions } from './book.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';

export const MAX_DETAIL_ROWS = 200;
export const MAX_TOP = 50;
export const MAX_LOOKBACK_DAYS = 180;

/** Today's date (UTC) from the injected clock. */
export const today = (deps: ServiceDeps): string => deps.clock().toISOString().slice(0, 10);

/** The pricing date for a request, or an UNPROCESSABLE error when no prices are loaded at all. */
export async function requirePricingDate(deps: ServiceDeps, date?: string): Promise<string> {
  const asOf = await pricingDate(deps.db, date ?? today(deps));
  if (!asOf) throw new AppError('UNPROCESSABLE', 'no market data loaded on or before that date; run `npm run seed` to load the bundled prices');
  return asOf;
}

export interface PositionsDetailsInput {
  portfolio_id?: string | undefined;
  position_ids?: string[] | undefined;
  include_closed: boolean;
}

/** Positions with live prices and P&L for one portfolio or a list of the caller's position ids (≤ 200 rows). */
export async function getPositionsDetails(deps: ServiceDeps, principal: Principal, input: PositionsDetailsInput): Promise<PositionsDetails> {
  if (!input.portfolio_id && !input.position_ids) throw new AppError('VALIDATION', 'Either portfolio_id or position_ids required', { details: { errors: [{ path: 'portfolio_id', message: 'give portfolio_id or position_ids' }] } });
  if (input.portfolio_id) await requireOwnedPortfolio(deps.db, principal, input.portfolio_id);
  const asOf = await requirePricingDate(deps);
  const records = await listPositions(deps.db, { ownerId: principal.userId, portfolioId: input.portfolio_id, positionIds: input.position_ids, asOf, includeClosed: input.include_closed });
  if (input.position_ids) {
    const found = new Set(records.map((r) => r.id));
    const missing = input.position_ids.find((id) => !found.has(id));
    if (missing) throw notFound('position', missing);
  }
  const valued = await valuePositions(deps.db, records.slice(0, MAX_DETAIL_ROWS), asOf);
  const rows = valued.map((v) => v.row);
  const sum = (f: (r: (typeof rows)[number]) => number | null) => round2(rows.reduce((s, r) => s + (f(r) ?? 0), 0));
  return {
    positions: rows,
    summary: { total_positions: records.length, total_cost_basis: sum((r) => r.cost_basis), total_market_value: sum((r) => r.market_value), total_unrealized_pnl: sum((r) => r.unrealized_pnl) },
    meta: { as_of: asOf, truncated: records.length > MAX_DETAIL_ROWS, max_rows: MAX_DETAIL_ROWS, data_quality: qualityFlags(valued) },
  };
}

export interface TopPositionsInput {
  limit: number;
  sort_by: 'market_value' | 'weight';
  as_of_date?: string | undefined;
}

/** Largest positions by gross value as of a date clamped to at most 180 days back. */
export async function getTopPositions(deps: ServiceDeps, principal: Principal, portfolioId: string, input: TopPositionsInput): Promise<TopPositions> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const now = today(deps);
  const floor = addDays(now, -MAX_LOOKBACK_DAYS);
  const wanted = input.as_of_date ? (input.as_of_date < floor ? floor : input.as_of_date > now ? now : input.as_of_date) : now;
  const asOf = await requirePricingDate(deps, wanted);
  const records = await listPositions(deps.db, { ownerId: principal.userId, portfolioId, asOf, includeClosed: false });
  const valued = await valuePositions(deps.db, records, asOf);
  const gross = valued.map((v) => ({ v, value: Math.abs(v.row.market_value ?? 0) }));
  const total = gross.reduce((s, g) => s + g.value, 0);
  gross.sort((a, b) => b.value - a.value || a.v.record.symbol.localeCompare(b.v.record.symbol));
  const top = gross.slice(0, input.limit);
  const info = await securityInfo(deps.db, top.map((g) => g.v.record.symbol));
  const covered = top.reduce((s, g) => s + g.value, 0);
  return {
    meta: {
      as_of: asOf,
      requested: { portfolio_id: portfolioId, limit: input.limit, sort_by: input.sort_by, as_of_date: input.as_of_date ?? null },
      applied: { limit: top.length, sort_by: input.sort_by, as_of_date: asOf },
      limits: { max_limit: MAX_TOP, max_lookback_days: MAX_LOOKBACK_DAYS },
      rows_returned: top.length,
      truncated: gross.length > top.length,
      schema_version: '1.0',
    },
    data: top.map(({ v, value }) => ({
      symbol: v.record.symbol,
      name: info.get(v.record.symbol)?.name ?? v.record.symbol,
      qty: v.record.quantity,
      value: round2(value),
      weight: total > 0 ? Math.round((value / total) * 1e6) / 1e4 : 0,
      sector: info.get(v.record.underlyingSymbol ?? v.record.symbol)?.sector ?? null,
    })),
    coverage_percent: total > 0 ? Math.round((covered / total) * 1e4) / 100 : 0,
    total_positions: records.length,
  };
}
