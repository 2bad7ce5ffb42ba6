import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { portfolios } from '../schema/index.ts';

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
