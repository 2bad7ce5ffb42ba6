import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { portfolioExposures, portfolios, positions } from '../schema/index.ts';

export interface UserPortfolioRow {
  id: string;
  name: string;
  description: string | null;
  currency: string;
  positionCount: number;
  createdAt: Date;
}

/** Live portfolios of one user with their open position counts, oldest first (the "first" portfolio is stable). */
export function listUserPortfolios(db: Db, userId: string): Promise<UserPortfolioRow[]> {
  return db
    .select({
      id: portfolios.id,
      name: portfolios.name,
      description: portfolios.description,
      currency: portfolios.currency,
      positionCount: sql<number>`count(${positions.id})::int`,
      createdAt: portfolios.createdAt,
    })
    .from(portfolios)
    .leftJoin(positions, and(eq(positions.portfolioId, portfolios.id), isNull(positions.deletedAt), isNull(positions.exitDate)))
    .where(and(eq(portfolios.userId, userId), isNull(portfolios.deletedAt)))
    .groupBy(portfolios.id)
    .orderBy(asc(portfolios.createdAt), asc(portfolios.name));
}

export interface LatestExposureRow {
  portfolioId: string;
  asOf: string;
  nav: number | null;
  grossExposure: number;
  netExposure: number;
}

/** The latest stored exposure row per portfolio among `portfolioIds`. */
export async function latestExposures(db: Db, portfolioIds: readonly string[]): Promise<Map<string, LatestExposureRow>> {
  if (portfolioIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([portfolioExposures.portfolioId], {
      portfolioId: portfolioExposures.portfolioId,
      asOf: portfolioExposures.asOf,
      nav: portfolioExposures.nav,
      grossExposure: portfolioExposures.grossExposure,
      netExposure: portfolioExposures.netExposure,
    })
    .from(portfolioExposures)
    .where(sql`${portfolioExposures.portfolioId} in ${portfolioIds}`)
    .orderBy(portfolioExposures.portfolioId, desc(portfolioExposures.asOf));
  return new Map(rows.map((r) => [r.portfolioId, r]));
}
