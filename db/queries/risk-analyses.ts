/** The stored second-wave analyses (`risk_analyses`): one row per portfolio, date and kind. */
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { riskAnalyses } from '../schema/index.ts';

export type AnalysisKind = (typeof riskAnalyses.$inferSelect)['kind'];

/** Writes (or, with a null payload, removes) one analysis; a rerun replaces it. `inputDigest` names the inputs it was computed from (see `keepAnalysis`). */
export async function writeAnalysis(db: Db, row: { portfolioId: string; asOf: string; runId: string; kind: AnalysisKind; payload: Record<string, unknown> | null; inputDigest?: string | null }): Promise<number> {
  const key = and(eq(riskAnalyses.portfolioId, row.portfolioId), eq(riskAnalyses.asOf, row.asOf), eq(riskAnalyses.kind, row.kind));
  if (row.payload === null) {
    await db.delete(riskAnalyses).where(key);
    return 0;
  }
  await db
    .insert(riskAnalyses)
    .values({ portfolioId: row.portfolioId, asOf: row.asOf, kind: row.kind, runId: row.runId, payload: row.payload, inputDigest: row.inputDigest ?? null })
    .onConflictDoUpdate({ target: [riskAnalyses.portfolioId, riskAnalyses.asOf, riskAnalyses.kind], set: { payload: sql`excluded.payload`, runId: sql`excluded.run_id`, inputDigest: sql`excluded.input_digest` } });
  return 1;
}

/** The input digest the stored analysis of this portfolio, date and kind was computed from (null when none, or none recorded). */
export async function storedAnalysisDigest(db: Db, key: { portfolioId: string; asOf: string; kind: AnalysisKind }): Promise<string | null> {
  const [row] = await db
    .select({ d: riskAnalyses.inputDigest })
    .from(riskAnalyses)
    .where(and(eq(riskAnalyses.portfolioId, key.portfolioId), eq(riskAnalyses.asOf, key.asOf), eq(riskAnalyses.kind, key.kind)));
  return row?.d ?? null;
}

/**
 * Keeps the stored analysis of this portfolio, date and kind when it was computed from inputs with
 * this digest: it is handed to `runId` and its warnings are returned. Null when there is no such
 * row (none stored, or stored from other inputs) and the analysis must be computed.
 */
export async function keepAnalysis(db: Db, row: { portfolioId: string; asOf: string; runId: string; kind: AnalysisKind; inputDigest: string }): Promise<{ warnings: string[] } | null> {
  const [kept] = await db
    .update(riskAnalyses)
    .set({ runId: row.runId })
    .where(and(eq(riskAnalyses.portfolioId, row.portfolioId), eq(riskAnalyses.asOf, row.asOf), eq(riskAnalyses.kind, row.kind), eq(riskAnalyses.inputDigest, row.inputDigest)))
    .returning({ warnings: sql<string[] | null>`${riskAnalyses.payload}->'warnings'` });
  return kept ? { warnings: kept.warnings ?? [] } : null;
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
