import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { portfolios, positions, users } from '../schema/index.ts';

export interface PortfolioListing {
  id: string;
  name: string;
  ownerEmail: string;
  openingEquity: number;
  positionCount: number;
}

/** Every live portfolio with its owner and open position count (admin/CLI view; not user-scoped). */
export async function listAllPortfolios(db: Db): Promise<PortfolioListing[]> {
  return db
    .select({
      id: portfolios.id,
      name: portfolios.name,
      ownerEmail: users.email,
      openingEquity: portfolios.openingEquity,
      positionCount: sql<number>`count(${positions.id})::int`,
    })
    .from(portfolios)
    .innerJoin(users, eq(users.id, portfolios.userId))
    .leftJoin(positions, and(eq(positions.portfolioId, portfolios.id), isNull(positions.deletedAt)))
    .where(isNull(portfolios.deletedAt))
    .groupBy(portfolios.id, users.email)
    .orderBy(asc(users.email), asc(portfolios.name));
}

/** Open positions of one portfolio, in symbol order. */
export function listOpenPositions(db: Db, portfolioId: string) {
  return db
    .select()
    .from(positions)
    .where(and(eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt), isNull(positions.exitDate)))
    .orderBy(asc(positions.symbol));
}

export async function tableCounts(db: Db): Promise<{ users: number; portfolios: number; positions: number }> {
  const [[u], [p], [q]] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(portfolios).where(isNull(portfolios.deletedAt)),
    db.select({ n: count() }).from(positions).where(isNull(positions.deletedAt)),
  ]);
  return { users: u!.n, portfolios: p!.n, positions: q!.n };
}

/** Id of the user's oldest live portfolio (the default for requests that name none), or null. */
export async function firstPortfolioId(db: Db, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: portfolios.id })
    .from(portfolios)
    .where(and(eq(portfolios.userId, userId), isNull(portfolios.deletedAt)))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id))
    .limit(1);
  return row?.id ?? null;
}
