/** Reads of portfolios and positions the batch needs, keyed by an as-of date. */
import { sql, and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { portfolios, positions, securities } from '../schema/index.ts';

const positionColumns = {
  id: positions.id, portfolioId: positions.portfolioId, symbol: positions.symbol, positionType: positions.positionType, quantity: positions.quantity,
  entryPrice: positions.entryPrice, entryDate: positions.entryDate, exitDate: positions.exitDate, exitPrice: positions.exitPrice,
  underlyingSymbol: positions.underlyingSymbol, strikePrice: positions.strikePrice, expirationDate: positions.expirationDate, proxySymbol: positions.proxySymbol,
};

/** Live portfolios (id, name, owner, opening equity), optionally restricted to `ids` or one owner, in id order. */
export async function listBatchPortfolios(db: Db, opts: { ids?: readonly string[]; userId?: string } = {}) {
  return db
    .select({ id: portfolios.id, name: portfolios.name, userId: portfolios.userId, openingEquity: portfolios.openingEquity, benchmarkSymbol: portfolios.benchmarkSymbol })
    .from(portfolios)
    .where(and(isNull(portfolios.deletedAt), opts.ids ? inArray(portfolios.id, [...opts.ids]) : undefined, opts.userId ? eq(portfolios.userId, opts.userId) : undefined))
    .orderBy(asc(portfolios.id));
}

/**
 * Positions of a portfolio entered on or before `asOf` and not exited on or before `exitedAfter`
 * (default `asOf`: the positions held at the close of `asOf`), not deleted, in symbol order.
 */
export async function positionsAsOf(db: Db, portfolioId: string, asOf: string, exitedAfter = asOf) {
  return db
    .select(positionColumns)
    .from(positions)
    .where(and(eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt), lte(positions.entryDate, asOf), or(isNull(positions.exitDate), gt(positions.exitDate, exitedAfter))))
    .orderBy(asc(positions.symbol), asc(positions.entryDate));
}

/**
 * What the positions of `portfolioIds` need from the market: the distinct symbols (own symbol,
 * or underlying/proxy) and the earliest date a price lookup reaches (a proxied holding's entry
 * date, an option's expiry), or null when none reaches back.
 */
export async function marketScopeOfPortfolios(db: Db, portfolioIds: readonly string[]): Promise<{ symbols: string[]; earliest: string | null }> {
  if (!portfolioIds.length) return { symbols: [], earliest: null };
  const rows = await db
    .select({
      symbol: positions.symbol, underlying: positions.underlyingSymbol, proxy: positions.proxySymbol,
      earliest: sql<string | null>`least(min(case when ${positions.proxySymbol} is not null then ${positions.entryDate} end), min(${positions.expirationDate}))::text`,
    })
    .from(positions)
    .where(and(inArray(positions.portfolioId, [...portfolioIds]), isNull(positions.deletedAt)))
    .groupBy(positions.symbol, positions.underlyingSymbol, positions.proxySymbol);
  const dates = rows.flatMap((r) => (r.earliest ? [r.earliest] : [])).sort();
  return { symbols: [...new Set(rows.map((r) => r.underlying ?? r.proxy ?? r.symbol))].sort(), earliest: dates[0] ?? null };
}

/** Sector per symbol from the security master. */
export async function sectorsOf(db: Db, symbols: readonly string[]): Promise<Map<string, string | null>> {
  if (!symbols.length) return new Map();
  const rows = await db.select({ symbol: securities.symbol, sector: securities.sector }).from(securities).where(inArray(securities.symbol, [...symbols]));
  return new Map(rows.map((r) => [r.symbol, r.sector]));
}

/** Every symbol the portfolios hold or depend on: position symbols, option underlyings and fund proxies. */
export async function symbolsOfPortfolios(db: Db, portfolioIds: readonly string[]): Promise<Set<string>> {
  if (!portfolioIds.length) return new Set();
  const rows = await db
    .selectDistinct({ symbol: positions.symbol, underlying: positions.underlyingSymbol, proxy: positions.proxySymbol })
    .from(positions)
    .where(inArray(positions.portfolioId, [...portfolioIds]));
  return new Set(rows.flatMap((r) => [r.symbol, r.underlying, r.proxy].filter((s): s is string => !!s)));
}
