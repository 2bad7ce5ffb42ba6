/** Reads of stored batch results for one portfolio and as-of date (reports, status, tests). */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import { queryRows } from '../exec.ts';
import {
  correlationCalculations, factorDefinitions, factorExposures, marketRiskScenarios, portfolioExposures, portfolios, portfolioSnapshots,
  positionGreeks, positions, positionValuations, riskMetrics, securities, stressScenarios, stressTestResults,
} from '../schema/index.ts';

const at = (t: { portfolioId: PgColumn; asOf: PgColumn }, id: string, asOf: string) => and(eq(t.portfolioId, id), eq(t.asOf, asOf));

/** Everything stored for (portfolio, as_of), each part empty/null when that phase has not written. */
export async function readPortfolioResults(db: Db, portfolioId: string, asOf: string) {
  const [portfolio] = await db.select({ id: portfolios.id, name: portfolios.name, createdAt: portfolios.createdAt }).from(portfolios).where(eq(portfolios.id, portfolioId));
  const [exposures] = await db.select().from(portfolioExposures).where(at(portfolioExposures, portfolioId, asOf));
  const [snapshot] = await db.select().from(portfolioSnapshots).where(at(portfolioSnapshots, portfolioId, asOf));
  const [risk] = await db.select().from(riskMetrics).where(at(riskMetrics, portfolioId, asOf));
  const [correlation] = await db.select().from(correlationCalculations).where(at(correlationCalculations, portfolioId, asOf));
  const factors = await db
    .select({ name: factorDefinitions.name, key: factorDefinitions.engineKey, category: factorDefinitions.factorType, beta: factorExposures.beta, exposureDollar: factorExposures.exposureDollar, coveragePct: factorExposures.coveragePct })
    .from(factorExposures)
    .innerJoin(factorDefinitions, eq(factorDefinitions.id, factorExposures.factorId))
    .where(and(at(factorExposures, portfolioId, asOf), eq(factorExposures.model, 'compat')))
    .orderBy(asc(factorDefinitions.displayOrder));
  const stress = await db
    .select({ id: stressTestResults.scenarioId, name: stressScenarios.name, category: stressScenarios.category, directPnl: stressTestResults.directPnl, correlatedPnl: stressTestResults.correlatedPnl, correlationEffect: stressTestResults.correlationEffect, pnlPctNav: stressTestResults.pnlPctNav })
    .from(stressTestResults)
    .innerJoin(stressScenarios, eq(stressScenarios.id, stressTestResults.scenarioId))
    .where(at(stressTestResults, portfolioId, asOf))
    .orderBy(asc(stressTestResults.correlatedPnl), asc(stressTestResults.scenarioId));
  const scenarios = await db.select().from(marketRiskScenarios).where(at(marketRiskScenarios, portfolioId, asOf)).orderBy(asc(marketRiskScenarios.scenarioType), asc(marketRiskScenarios.shockValue));
  return { portfolio: portfolio ?? null, exposures: exposures ?? null, snapshot: snapshot ?? null, risk: risk ?? null, correlation: correlation ?? null, factors, stress, scenarios };
}

/** Per-position rows for the CSV: valuation, Greeks, sector and tags on (portfolio, as_of), in symbol order. */
export async function readPositionResults(db: Db, portfolioId: string, asOf: string) {
  const rows = await db
    .select({
      id: positions.id, symbol: positions.symbol, positionType: positions.positionType, quantity: positions.quantity, entryPrice: positions.entryPrice,
      entryDate: positions.entryDate, exitDate: positions.exitDate, underlyingSymbol: positions.underlyingSymbol, strikePrice: positions.strikePrice,
      expirationDate: positions.expirationDate, notes: positions.notes, price: positionValuations.price, marketValue: positionValuations.marketValue,
      costBasis: positionValuations.costBasis, unrealizedPnl: positionValuations.unrealizedPnl, deltaAdj: positionValuations.deltaAdjExposure,
      delta: positionGreeks.delta, gamma: positionGreeks.gamma, theta: positionGreeks.thetaPerDay, vega: positionGreeks.vegaPerVolPoint, rho: positionGreeks.rhoPerPct,
      sector: securities.sector, industry: securities.industry,
    })
    .from(positionValuations)
    .innerJoin(positions, eq(positions.id, positionValuations.positionId))
    .leftJoin(positionGreeks, and(eq(positionGreeks.positionId, positions.id), eq(positionGreeks.asOf, asOf)))
    .leftJoin(securities, eq(securities.symbol, positions.symbol))
    .where(and(eq(positionValuations.portfolioId, portfolioId), eq(positionValuations.asOf, asOf)))
    .orderBy(asc(positions.symbol), asc(positions.entryDate));
  const tags = await queryRows<{ position_id: string; tags: string }>(db, sql`
    select pt.position_id::text as position_id, string_agg(t.name, ';' order by t.name) as tags
    from position_tags pt join tags t on t.id = pt.tag_id join positions p on p.id = pt.position_id
    where p.portfolio_id = ${portfolioId} group by pt.position_id`);
  const byId = new Map(tags.map((t) => [t.position_id, t.tags]));
  return rows.map((r) => ({ ...r, tags: byId.get(r.id) ?? '' }));
}

/** Latest as_of with stored portfolio exposures (any portfolio), or null. */
export async function latestResultsAsOf(db: Db): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(db, sql`select max(as_of)::text as d from portfolio_exposures`);
  return row?.d ?? null;
}

/** Row counts of every result table for `asOf` (tests and the CLI summary). */
export async function resultCounts(db: Db, asOf: string): Promise<Record<string, number>> {
  const [row] = await queryRows<Record<string, number>>(db, sql`select
    (select count(*)::int from position_valuations where as_of = ${asOf}) as position_valuations,
    (select count(*)::int from portfolio_exposures where as_of = ${asOf}) as portfolio_exposures,
    (select count(*)::int from position_greeks where as_of = ${asOf}) as position_greeks,
    (select count(*)::int from symbol_factor_betas where as_of = ${asOf}) as symbol_factor_betas,
    (select count(*)::int from factor_covariances where as_of = ${asOf}) as factor_covariances,
    (select count(*)::int from position_factor_exposures where as_of = ${asOf}) as position_factor_exposures,
    (select count(*)::int from factor_exposures where as_of = ${asOf}) as factor_exposures,
    (select count(*)::int from market_risk_scenarios where as_of = ${asOf}) as market_risk_scenarios,
    (select count(*)::int from stress_test_results where as_of = ${asOf}) as stress_test_results,
    (select count(*)::int from risk_metrics where as_of = ${asOf}) as risk_metrics,
    (select count(*)::int from portfolio_snapshots where as_of = ${asOf}) as portfolio_snapshots,
    (select count(*)::int from correlation_calculations where as_of = ${asOf}) as correlation_calculations,
    (select coalesce(sum(cardinality(correlations)), 0)::int from correlation_calculations where as_of = ${asOf}) as pairwise_correlations,
    (select count(*)::int from correlation_clusters cc join correlation_calculations c on c.id = cc.calculation_id where c.as_of = ${asOf}) as correlation_clusters`);
  return row!;
}
