/** The stored second-wave analyses (`risk_analyses`): one row per portfolio, date and kind. */
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { riskAnalyses } from '../schema/index.ts';

export type AnalysisKind = (typeof riskAnalyses.$inferSelect)['kind'];

/** Writes (or, with a null payload, removes) one analysis; a rerun replaces it. */
export async function writeAnalysis(db: Db, row: { portfolioId: string; asOf: string; runId: string; kind: AnalysisKind; payload: Record<string, unknown> | null }): Promise<number> {
  const key = and(eq(riskAnalyses.portfolioId, row.portfolioId), eq(riskAnalyses.asOf, row.asOf), eq(riskAnalyses.kind, row.kind));
  if (row.payload === null) {
    await db.delete(riskAnalyses).where(key);
    return 0;
  }
  await db
    .insert(riskAnalyses)
    .values({ portfolioId: row.portfolioId, asOf: row.asOf, kind: row.kind, runId: row.runId, payload: row.payload })
    .onConflictDoUpdate({ target: [riskAnalyses.portfolioId, riskAnalyses.asOf, riskAnalyses.kind], set: { payload: sql`excluded.payload`, runId: sql`excluded.run_id` } });
  return 1;
}

/** The latest stored analysis of a kind on or before `onOrBefore`, or null. */
export async function latestAnalysis(db: Db, portfolioId: string, kind: AnalysisKind, onOrBefore: string) {
  const [row] = await db
    .select()
    .from(riskAnalyses)
    .where(and(eq(riskAnalyses.portfolioId, portfolioId), eq(riskAnalyses.kind, kind), lte(riskAnalyses.asOf, onOrBefore)))
    .orderBy(desc(riskAnalyses.asOf))
    .limit(1);
  return row ?? null;
}
