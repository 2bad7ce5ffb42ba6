/**
 * Reads of stored batch results. Every function takes a portfolio id the caller has already
 * authorised (core/services/context.ts requireOwnedPortfolio) and an upper as-of bound.
 */
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  batchRuns,
  correlationCalculations,
  factorDefinitions,
  factorExposures,
  marketRiskScenarios,
  portfolioExposures,
  portfolioSnapshots,
  positionFactorExposures,
  positionGreeks,
  positions,
  positionValuations,
  riskMetrics,
  stressScenarios,
  stressTestResults,
} from '../schema/index.ts';

type DatedTable = typeof portfolioExposures | typeof portfolioSnapshots | typeof positionGreeks | typeof marketRiskScenarios | typeof stressTestResults | typeof riskMetrics | typeof factorExposures | typeof positionFactorExposures;

/** Latest as_of (≤ upTo) with rows in `table` for the portfolio, and the run that wrote one of them. */
export async function latestAsOf(db: Db, table: DatedTable, portfolioId: string, upTo: string): Promise<{ asOf: string; runId: string | null } | null> {
  const [row] = await db
    .select({ asOf: table.asOf, runId: table.runId })
    .from(table)
    .where(and(eq(table.portfolioId, portfolioId), lte(table.asOf, upTo)))
    .orderBy(desc(table.asOf))
    .limit(1);
  return row ?? null;
}

/** The latest exposure row (≤ upTo) with the finish time of the run that wrote it, in one query. */
export function latestExposures(db: Db, portfolioId: string, upTo: string) {
  return db
    .select({ x: portfolioExposures, finishedAt: batchRuns.finishedAt })
    .from(portfolioExposures)
    .leftJoin(batchRuns, eq(batchRuns.id, portfolioExposures.runId))
    .where(and(eq(portfolioExposures.portfolioId, portfolioId), lte(portfolioExposures.asOf, upTo)))
    .orderBy(desc(portfolioExposures.asOf))
    .limit(1)
    .then((r) => r[0] ?? null);
}

/** Stored valuations on a date with their position's symbol, type and proxy. */
export function valuationsAt(db: Db, portfolioId: string, asOf: string) {
  return db
    .select({ positionId: positionValuations.positionId, symbol: positions.symbol, positionType: positions.positionType, quantity: positions.quantity, proxySymbol: positions.proxySymbol, isStale: positionValuations.isStale, priceSource: positionValuations.priceSource, absMarketValue: positionValuations.absMarketValue, unrealizedPnl: positionValuations.unrealizedPnl, flags: positionValuations.flags })
    .from(positionValuations)
    .innerJoin(positions, eq(positions.id, positionValuations.positionId))
    .where(and(eq(positionValuations.portfolioId, portfolioId), eq(positionValuations.asOf, asOf)))
    .orderBy(asc(positions.symbol), asc(positions.id));
}

/** Correlation calculations of a portfolio (≤ upTo), newest first. */
export function correlationCalcs(db: Db, portfolioId: string, upTo: string) {
  return db
    .select()
    .from(correlationCalculations)
    .where(and(eq(correlationCalculations.portfolioId, portfolioId), lte(correlationCalculations.asOf, upTo)))
    .orderBy(desc(correlationCalculations.asOf), asc(correlationCalculations.windowDays))
    .limit(50);
}

/**
 * The stored pairs of a correlation calculation, expanded from its upper-triangle arrays
 * (symbols[i], symbols[j], i < j, row-major); empty when it stored none.
 */
export async function correlationPairs(db: Db, calculationId: string): Promise<{ a: string; b: string; rho: number | null; n: number }[]> {
  const [row] = await db
    .select({ symbols: correlationCalculations.symbols, rho: correlationCalculations.correlations, n: correlationCalculations.dataPoints })
    .from(correlationCalculations)
    .where(eq(correlationCalculations.id, calculationId));
  if (!row?.rho) return [];
  const out: { a: string; b: string; rho: number | null; n: number }[] = [];
  const m = row.symbols.length;
  for (let i = 0, k = 0; i < m; i++) for (let j = i + 1; j < m; j++, k++) out.push({ a: row.symbols[i]!, b: row.symbols[j]!, rho: row.rho[k] ?? null, n: row.n?.[k] ?? 0 });
  return out;
}

export function activeFactors(db: Db) {
  return db.select({ id: factorDefinitions.id, name: factorDefinitions.name, displayOrder: factorDefinitions.displayOrder, factorType: factorDefinitions.factorType }).from(factorDefinitions).where(eq(factorDefinitions.isActive, true)).orderBy(asc(factorDefinitions.displayOrder));
}

/** Portfolio factor rows of the latest dates (≤ upTo), newest first, with factor names. */
export function factorRows(db: Db, portfolioId: string, upTo: string) {
  return db
    .select({ asOf: factorExposures.asOf, factorId: factorExposures.factorId, name: factorDefinitions.name, displayOrder: factorDefinitions.displayOrder, model: factorExposures.model, beta: factorExposures.beta, exposureDollar: factorExposures.exposureDollar, coveragePct: factorExposures.coveragePct, runId: factorExposures.runId })
    .from(factorExposures)
    .innerJoin(factorDefinitions, eq(factorDefinitions.id, factorExposures.factorId))
    .where(and(eq(factorExposures.portfolioId, portfolioId), lte(factorExposures.asOf, upTo), inArray(factorExposures.asOf, sql`(select distinct as_of from factor_exposures where portfolio_id = ${portfolioId} and as_of <= ${upTo} order by as_of desc limit 5)`)))
    .orderBy(desc(factorExposures.asOf), asc(factorDefinitions.displayOrder));
}

export function positionFactorRows(db: Db, portfolioId: string, asOf: string) {
  return db
    .select({ positionId: positionFactorExposures.positionId, name: factorDefinitions.name, model: positionFactorExposures.model, beta: positionFactorExposures.beta })
    .from(positionFactorExposures)
    .innerJoin(factorDefinitions, eq(factorDefinitions.id, positionFactorExposures.factorId))
    .where(and(eq(positionFactorExposures.portfolioId, portfolioId), eq(positionFactorExposures.asOf, asOf)));
}

export function stressRows(db: Db, portfolioId: string, asOf: string) {
  return db
    .select({ id: stressScenarios.id, name: stressScenarios.name, description: stressScenarios.description, category: stressScenarios.category, severity: stressScenarios.severity, directPnl: stressTestResults.directPnl, correlatedPnl: stressTestResults.correlatedPnl })
    .from(stressTestResults)
    .innerJoin(stressScenarios, eq(stressScenarios.id, stressTestResults.scenarioId))
    .where(and(eq(stressTestResults.portfolioId, portfolioId), eq(stressTestResults.asOf, asOf)))
    .orderBy(asc(stressScenarios.category), asc(stressScenarios.name));
}

export function greeksRows(db: Db, portfolioId: string, asOf: string) {
  return db
    .select({ g: positionGreeks, symbol: positions.symbol })
    .from(positionGreeks)
    .innerJoin(positions, eq(positions.id, positionGreeks.positionId))
    .where(and(eq(positionGreeks.portfolioId, portfolioId), eq(positionGreeks.asOf, asOf)))
    .orderBy(asc(positions.symbol), asc(positions.id));
}

export function marketRiskRows(db: Db, portfolioId: string, asOf: string) {
  return db.select().from(marketRiskScenarios).where(and(eq(marketRiskScenarios.portfolioId, portfolioId), eq(marketRiskScenarios.asOf, asOf))).orderBy(asc(marketRiskScenarios.scenarioType), asc(marketRiskScenarios.shockValue));
}

export function riskMetricRows(db: Db, portfolioId: string, asOf: string) {
  return db.select().from(riskMetrics).where(and(eq(riskMetrics.portfolioId, portfolioId), eq(riskMetrics.asOf, asOf))).orderBy(desc(riskMetrics.windowDays));
}
