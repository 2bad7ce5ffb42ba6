/**
 * Reads of stored batch results. Every function takes a portfolio id the caller has already
 * authorised (core/services/context.ts requireOwnedPortfolio) and an upper as-of bound.
 */
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { queryRows } from '../exec.ts';
import { NOT_READABLE, validatedRead, versionedCache } from './results-cache.ts';
import { OID, preparedRead } from './results-prepared.ts';
import {
  correlationCalculations,
  correlationClusters,
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

/** The clusters a correlation calculation stored for one method, in cluster order. */
export async function correlationClustersOf(db: Db, calculationId: string, method: 'hierarchical' | 'components') {
  return db
    .select({ nickname: correlationClusters.nickname, members: correlationClusters.members, avgCorrelation: correlationClusters.avgCorrelation, grossValue: correlationClusters.grossValue })
    .from(correlationClusters)
    .where(and(eq(correlationClusters.calculationId, calculationId), eq(correlationClusters.method, method)))
    .orderBy(asc(correlationClusters.clusterIndex));
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
  // postgres.js reads a NULL element of a float8[] or int4[] as NaN, PGlite as null: both mean "undefined".
  const defined = (v: number | null | undefined): v is number => v !== null && v !== undefined && !Number.isNaN(v);
  for (let i = 0, k = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++, k++) {
      const rho = row.rho[k];
      const n = row.n?.[k];
      out.push({ a: row.symbols[i]!, b: row.symbols[j]!, rho: defined(rho) ? rho : null, n: defined(n) ? n : 0 });
    }
  }
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

/** A json column as the drivers hand it back: postgres.js and PGlite parse it, a text cast would not. */
const fromJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export interface OverviewExposure {
  asOf: string;
  runId: string | null;
  nav: number | null;
  cash: number | null;
  longExposure: number;
  shortExposure: number;
  grossExposure: number;
  netExposure: number;
  positionCount: number;
  longCount: number;
  shortCount: number;
  /** Finish time of the run that wrote the row (null when the run is gone or unfinished). */
  finishedAt: Date | null;
}

export interface OverviewValuation {
  symbol: string;
  positionType: (typeof positions.$inferSelect)['positionType'];
  proxySymbol: string | null;
  isStale: boolean;
  unrealizedPnl: number | null;
  flags: string[];
}

export interface OverviewInputs {
  /** False when the portfolio is not a live portfolio of `userId` (every other part is then empty). */
  owned: boolean;
  /** The latest exposure row (≤ upTo) with its run's finish time, or null before any run wrote one. */
  exposure: OverviewExposure | null;
  /** Stored valuations on the exposure row's date, in symbol order. */
  valuations: OverviewValuation[];
  /** Live positions closed on or before that date (their realized P&L). */
  closed: { q: number; entry: number; exit: number; m: number }[];
  /** `SYMBOL→PROXY` of the live holdings priced through a proxy (provenance when no valuations are stored). */
  proxiedHoldings: string[];
  /** The book's last change and the start of the exposure row's run (are the results stale?). */
  staleness: { bookChangedAt: string | null; bookChange: { audit_id: string; action: string; at: string; door: string } | null; runStartedAt: string | null } | null;
}

/**
 * The snapshot and the version of everything the overview reads, or no row when the portfolio
 * is not a live portfolio of the user. The version is the portfolio row's version, the latest
 * exposure row (≤ upTo) by date and row version, its run's finish time, and count and Σ row
 * version (`xmin`, the id of the transaction that wrote that row version) of that date's
 * valuations and of all the portfolio's positions: any committed insert, update or delete of
 * those rows changes it (an insert or update gives its rows the writing transaction's newer id,
 * a delete changes a count), a write elsewhere does not. Every part is an index lookup.
 */
const OVERVIEW_VERSION = preparedRead(
  `select pg_current_snapshot()::text,
     p.xmin::text || ' ' || coalesce(e.as_of::text, '-') || ' ' || coalesce(e.v::text, '-') || ' ' || coalesce(r.finished_at::text, '-')
     || ' ' || (select count(*)::text || ':' || coalesce(sum(v.xmin::text::bigint), 0)::text from position_valuations v where v.portfolio_id = p.id and v.as_of = e.as_of)
     || ' ' || (select count(*)::text || ':' || coalesce(sum(q.xmin::text::bigint), 0)::text from positions q where q.portfolio_id = p.id)
   from portfolios p
   left join lateral (select x.as_of, x.xmin as v, x.run_id from portfolio_exposures x where x.portfolio_id = p.id and x.as_of <= $3::date order by x.as_of desc limit 1) e on true
   left join batch_runs r on r.id = e.run_id
   where p.id = $1::uuid and p.user_id = $2::uuid and p.deleted_at is null`,
  [OID.uuid, OID.uuid, OID.date],
);

const NOT_OWNED: OverviewInputs = Object.freeze({ owned: false, exposure: null, valuations: [], closed: [], proxiedHoldings: [], staleness: null });

/** Decoded overview inputs per (user, portfolio, date), reused while their version holds. */
const overviewCache = versionedCache<OverviewInputs>({ max: 2_000, keep: (v) => v.owned });

/**
 * Everything the overview reads: the ownership check (a live portfolio of `userId`), the latest
 * exposure row (≤ upTo) with its run, that date's valuations, the positions closed by then and
 * the proxied holdings, decoded once and reused while they hold: a cached entry confirmed at the
 * current database snapshot costs one trivial prepared statement; after any write, a second one
 * checks the ownership and the version of exactly those rows, and only a changed version reads
 * them again (one statement). A foreign or unknown id reads nothing but `owned: false`. The
 * result is shared and frozen.
 */
export async function overviewInputs(db: Db, userId: string, portfolioId: string, upTo: string): Promise<OverviewInputs> {
  const inputs = await validatedRead(db, overviewCache, `${userId} ${portfolioId} ${upTo}`, OVERVIEW_VERSION, [portfolioId, userId, upTo], () => readOverviewInputs(db, userId, portfolioId, upTo));
  return inputs === NOT_READABLE ? NOT_OWNED : inputs;
}

/**
 * The overview inputs in one round trip, every part gated on ownership (a foreign or unknown id
 * reads nothing but `owned: false`).
 */
async function readOverviewInputs(db: Db, userId: string, portfolioId: string, upTo: string): Promise<OverviewInputs> {
  const [row] = await queryRows<{ owned: boolean; x: unknown; vals: unknown; closed: unknown; proxied: unknown; staleness: unknown }>(db, sql`
    with owned as (
      select p.id, p.book_changed_at, p.book_change from portfolios p where p.id = ${portfolioId} and p.user_id = ${userId} and p.deleted_at is null
    ), x as (
      select e.as_of, e.run_id, e.nav, e.cash, e.long_exposure, e.short_exposure, e.gross_exposure, e.net_exposure,
             e.position_count, e.long_count, e.short_count, r.finished_at, coalesce(r.started_at, r.created_at) as run_started_at
      from portfolio_exposures e join owned o on o.id = e.portfolio_id left join batch_runs r on r.id = e.run_id
      where e.as_of <= ${upTo}
      order by e.as_of desc
      limit 1
    )
    select
      exists (select 1 from owned) as owned,
      (select json_build_object(
         'asOf', x.as_of, 'runId', x.run_id, 'nav', x.nav, 'cash', x.cash, 'longExposure', x.long_exposure, 'shortExposure', x.short_exposure,
         'grossExposure', x.gross_exposure, 'netExposure', x.net_exposure, 'positionCount', x.position_count, 'longCount', x.long_count,
         'shortCount', x.short_count, 'finishedAt', x.finished_at) from x) as x,
      (select coalesce(json_agg(json_build_object('symbol', p.symbol, 'positionType', p.position_type, 'proxySymbol', p.proxy_symbol, 'isStale', v.is_stale, 'unrealizedPnl', v.unrealized_pnl, 'flags', v.flags) order by p.symbol, p.id), '[]'::json)
         from x join position_valuations v on v.portfolio_id = ${portfolioId} and v.as_of = x.as_of join positions p on p.id = v.position_id) as vals,
      (select coalesce(json_agg(json_build_object('q', p.quantity, 'entry', p.entry_price, 'exit', p.exit_price, 'm', p.multiplier) order by p.id), '[]'::json)
         from x join positions p on p.portfolio_id = ${portfolioId} and p.deleted_at is null and p.exit_price is not null and p.exit_date <= x.as_of) as closed,
      (select coalesce(json_agg(p.symbol || '→' || p.proxy_symbol order by p.symbol, p.id), '[]'::json)
         from owned o join positions p on p.portfolio_id = o.id and p.deleted_at is null and p.proxy_symbol <> '') as proxied,
      (select json_build_object('bookChangedAt', o.book_changed_at, 'bookChange', o.book_change, 'runStartedAt', (select x.run_started_at from x)) from owned o) as staleness`);
  const x = fromJson<(Omit<OverviewExposure, 'finishedAt'> & { finishedAt: string | null }) | null>(row!.x);
  return {
    owned: row!.owned,
    exposure: x ? { ...x, finishedAt: x.finishedAt === null ? null : new Date(x.finishedAt) } : null,
    valuations: fromJson<OverviewValuation[]>(row!.vals),
    closed: fromJson<OverviewInputs['closed']>(row!.closed),
    proxiedHoldings: fromJson<string[]>(row!.proxied),
    staleness: fromJson<OverviewInputs['staleness']>(row!.staleness),
  };
}
