/** Position reads scoped by owner: every query joins the owning user, so foreign rows never load. */
import { and, asc, eq, inArray, isNull, lte, or, gt, sql } from 'drizzle-orm';
import { queryRows } from '../exec.ts';
import type { Db } from '../client.ts';
import { portfolios, positions, securities } from '../schema/index.ts';

export type PositionRecord = typeof positions.$inferSelect;

export interface PositionFilter {
  ownerId: string;
  portfolioId?: string;
  positionIds?: readonly string[];
  /** Positions entered on or before this date. */
  asOf: string;
  /** Include positions closed on or before `asOf`. */
  includeClosed: boolean;
}

/** Live positions of the owner's live portfolios, symbol then id order. */
export function listPositions(db: Db, f: PositionFilter): Promise<PositionRecord[]> {
  const conds = [
    eq(portfolios.userId, f.ownerId),
    isNull(portfolios.deletedAt),
    isNull(positions.deletedAt),
    lte(positions.entryDate, f.asOf),
  ];
  if (f.portfolioId) conds.push(eq(positions.portfolioId, f.portfolioId));
  if (f.positionIds) conds.push(inArray(positions.id, [...f.positionIds]));
  if (!f.includeClosed) conds.push(or(isNull(positions.exitDate), gt(positions.exitDate, f.asOf))!);
  return db
    .select({ p: positions })
    .from(positions)
    .innerJoin(portfolios, eq(portfolios.id, positions.portfolioId))
    .where(and(...conds))
    .orderBy(asc(positions.symbol), asc(positions.id))
    .then((rows) => rows.map((r) => r.p));
}

/** Security-master name and sector per symbol. */
export async function securityInfo(db: Db, symbols: readonly string[]): Promise<Map<string, { name: string | null; sector: string | null }>> {
  if (!symbols.length) return new Map();
  const rows = await db
    .select({ symbol: securities.symbol, name: securities.name, sector: securities.sector })
    .from(securities)
    .where(inArray(securities.symbol, [...symbols]));
  return new Map(rows.map((r) => [r.symbol, { name: r.name, sector: r.sector }]));
}

/** Distinct close dates per symbol within [from, to]. */
export async function closeDayCounts(db: Db, symbols: readonly string[], from: string, to: string): Promise<Map<string, number>> {
  if (!symbols.length) return new Map();
  const rows = await queryRows<{ symbol: string; n: number }>(
    db,
    sql`select symbol, count(distinct date)::int as n from market_prices
        where symbol in (select json_array_elements_text(${JSON.stringify(symbols)}::json)) and date between ${from} and ${to} and close > 0
        group by symbol`,
  );
  return new Map(rows.map((r) => [r.symbol, Number(r.n)]));
}

/** The `n`-th latest trading date (by SPY closes) on or before `asOf`, or null with less history. */
export async function nthTradingDayBack(db: Db, asOf: string, n: number): Promise<string | null> {
  const [row] = await queryRows<{ d: string }>(
    db,
    sql`select date::text as d from market_prices where symbol = 'SPY' and date <= ${asOf} order by date desc offset ${n - 1} limit 1`,
  );
  return row?.d ?? null;
}
