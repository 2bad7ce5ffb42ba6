/** Reads of stored daily portfolio snapshots (engines.md §9). */
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { portfolioSnapshots } from '../schema/index.ts';

export type SnapshotRecord = typeof portfolioSnapshots.$inferSelect;

/** Snapshots of a portfolio with from ≤ as_of ≤ to, oldest first, at most `limit` (the latest ones). */
export async function listSnapshots(db: Db, portfolioId: string, from: string, to: string, limit: number): Promise<SnapshotRecord[]> {
  const rows = await db
    .select()
    .from(portfolioSnapshots)
    .where(and(eq(portfolioSnapshots.portfolioId, portfolioId), gte(portfolioSnapshots.asOf, from), lte(portfolioSnapshots.asOf, to)))
    .orderBy(desc(portfolioSnapshots.asOf))
    .limit(limit);
  return rows.reverse();
}

/** The latest snapshot on or before `date`. */
export async function snapshotOnOrBefore(db: Db, portfolioId: string, date: string): Promise<SnapshotRecord | null> {
  const [row] = await db
    .select()
    .from(portfolioSnapshots)
    .where(and(eq(portfolioSnapshots.portfolioId, portfolioId), lte(portfolioSnapshots.asOf, date)))
    .orderBy(desc(portfolioSnapshots.asOf))
    .limit(1);
  return row ?? null;
}

