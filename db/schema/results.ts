/**
 * Result tables of the nightly batch (engines.md §12). Every row carries the as-of date and the
 * run that wrote it, and is keyed by natural keys so a rerun upserts instead of duplicating.
 * Money is numeric with 2 dp; statistics are float64.
 */
import { boolean, date, doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { batchRuns } from './batch.ts';
import { factorDefinitions, portfolios, positions, stressScenarios } from './portfolio.ts';

const usd = () => numeric({ precision: 20, scale: 2, mode: 'number' });
const asOf = () => date({ mode: 'string' }).notNull();
const runId = () => uuid().references(() => batchRuns.id, { onDelete: 'set null' });
const portfolioFk = () =>
  uuid()
    .notNull()
    .references(() => portfolios.id, { onDelete: 'cascade' });
const positionFk = () =>
  uuid()
    .notNull()
    .references(() => positions.id, { onDelete: 'cascade' });

/** Per-position valuation on a date (engines.md §3). priceSource: market | proxy | model | intrinsic. */
export const positionValuations = pgTable(
  'position_valuations',
  {
    positionId: positionFk(),
    asOf: asOf(),
    portfolioId: portfolioFk(),
    price: numeric({ precision: 20, scale: 6, mode: 'number' }),
    priceDate: date({ mode: 'string' }),
    priceSource: text().notNull(),
    isStale: boolean().notNull().default(false),
    underlyingPrice: numeric({ precision: 20, scale: 6, mode: 'number' }),
    marketValue: usd(),
    absMarketValue: usd(),
    costBasis: usd(),
    unrealizedPnl: usd(),
    deltaAdjExposure: usd(),
    notional: usd(),
    flags: jsonb().$type<string[]>().notNull().default([]),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.positionId, t.asOf] }), index('position_valuations_portfolio_idx').on(t.portfolioId, t.asOf)],
);

/** Portfolio exposures on a date (engines.md §4). */
export const portfolioExposures = pgTable(
  'portfolio_exposures',
  {
    portfolioId: portfolioFk(),
    asOf: asOf(),
    nav: usd(),
    cash: usd(),
    longExposure: usd().notNull(),
    shortExposure: usd().notNull(),
    grossExposure: usd().notNull(),
    netExposure: usd().notNull(),
    deltaAdjNet: usd(),
    deltaAdjLong: usd(),
    deltaAdjShort: usd(),
    notional: usd(),
    optionsExposure: usd(),
    stockExposure: usd(),
    positionCount: integer().notNull(),
    longCount: integer().notNull(),
    shortCount: integer().notNull(),
    breakdowns: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    warnings: jsonb().$type<string[]>().notNull().default([]),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.asOf] })],
);

/** Option Greeks per position and date, per share and per position, with explicit units (engines.md §5.2). */
export const positionGreeks = pgTable(
  'position_greeks',
  {
    positionId: positionFk(),
    asOf: asOf(),
    portfolioId: portfolioFk(),
    underlyingPrice: doublePrecision(),
    volAnnual: doublePrecision(),
    volSource: text(),
    rateCont: doublePrecision(),
    tenorYears: doublePrecision(),
    modelPrice: doublePrecision(),
    delta: doublePrecision(),
    gamma: doublePrecision(),
    thetaPerDay: doublePrecision(),
    vegaPerVolPoint: doublePrecision(),
    rhoPerPct: doublePrecision(),
    shareDelta: doublePrecision(),
    dollarDelta: doublePrecision(),
    gammaShares: doublePrecision(),
    dollarGamma1pct: doublePrecision(),
    thetaDollarsPerDay: doublePrecision(),
    vegaDollarsPerVolPt: doublePrecision(),
    rhoDollarsPerPct: doublePrecision(),
    isExpired: boolean().notNull().default(false),
    flags: jsonb().$type<string[]>().notNull().default([]),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.positionId, t.asOf] }), index('position_greeks_portfolio_idx').on(t.portfolioId, t.asOf)],
);

/** Per-symbol betas computed once per date and reused by every portfolio. model: market | style | compat | rate. */
export const symbolFactorBetas = pgTable(
  'symbol_factor_betas',
  {
    symbol: text().notNull(),
    asOf: asOf(),
    model: text().notNull(),
    factor: text().notNull(),
    beta: doublePrecision().notNull(),
    betaRaw: doublePrecision().notNull(),
    stdErr: doublePrecision(),
    tStat: doublePrecision(),
    rSquared: doublePrecision(),
    nObs: integer().notNull(),
    windowDays: integer().notNull(),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.asOf, t.model, t.factor] })],
);

export const positionFactorExposures = pgTable(
  'position_factor_exposures',
  {
    positionId: positionFk(),
    factorId: uuid()
      .notNull()
      .references(() => factorDefinitions.id, { onDelete: 'cascade' }),
    asOf: asOf(),
    model: text().notNull(),
    portfolioId: portfolioFk(),
    /** Symbol whose returns were regressed (the underlying for options, the proxy for funds). */
    sourceSymbol: text().notNull(),
    beta: doublePrecision().notNull(),
    exposureDollar: usd(),
    qualityFlag: text().notNull(),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.positionId, t.factorId, t.asOf, t.model] }), index('position_factor_exposures_portfolio_idx').on(t.portfolioId, t.asOf)],
);

export const factorExposures = pgTable(
  'factor_exposures',
  {
    portfolioId: portfolioFk(),
    factorId: uuid()
      .notNull()
      .references(() => factorDefinitions.id, { onDelete: 'cascade' }),
    asOf: asOf(),
    model: text().notNull(),
    /** Portfolio beta = exposure_dollar / NAV (null when NAV is zero). */
    beta: doublePrecision(),
    exposureDollar: usd().notNull(),
    coveragePct: doublePrecision().notNull(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.factorId, t.asOf, t.model] })],
);

/** Factor covariance per date, stored for reproducibility of stress propagation. */
export const factorCovariances = pgTable(
  'factor_covariances',
  {
    asOf: asOf(),
    method: text().notNull(),
    factors: jsonb().$type<string[]>().notNull(),
    /** Row-major covariance of daily factor returns. */
    matrix: jsonb().$type<number[]>().notNull(),
    nObs: integer().notNull(),
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.asOf, t.method] })],
);

export const marketRiskScenarios = pgTable(
  'market_risk_scenarios',
  {
    portfolioId: portfolioFk(),
    asOf: asOf(),
    scenarioKey: text().notNull(),
    scenarioType: text().notNull(),
    /** Market: fractional return; rate: shock in basis points. */
    shockValue: doublePrecision().notNull(),
    pnlLinear: usd().notNull(),
    pnlFullReval: usd(),
    pnlPctNav: doublePrecision(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.asOf, t.scenarioKey] })],
);

export const stressTestResults = pgTable(
  'stress_test_results',
  {
    portfolioId: portfolioFk(),
    scenarioId: text()
      .notNull()
      .references(() => stressScenarios.id, { onDelete: 'cascade' }),
    asOf: asOf(),
    directPnl: usd().notNull(),
    correlatedPnl: usd().notNull(),
    correlationEffect: usd().notNull(),
    pnlPctNav: doublePrecision(),
    exceedsPortfolioValue: boolean().notNull().default(false),
    factorImpacts: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    positionContributions: jsonb().$type<Record<string, unknown>[]>().notNull().default([]),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.scenarioId, t.asOf] })],
);

export const riskMetrics = pgTable(
  'risk_metrics',
  {
    portfolioId: portfolioFk(),
    asOf: asOf(),
    windowDays: integer().notNull(),
    nObs: integer().notNull(),
    volAnnual: doublePrecision(),
    var95OneDay: usd(),
    var99OneDay: usd(),
    cvar95OneDay: usd(),
    cvar99OneDay: usd(),
    var95TenDay: usd(),
    var99TenDay: usd(),
    parametricVar95OneDay: usd(),
    parametricVar99OneDay: usd(),
    maxDrawdown: doublePrecision(),
    sharpe: doublePrecision(),
    sortino: doublePrecision(),
    betaToSpy: doublePrecision(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.asOf, t.windowDays] })],
);

/** Daily portfolio snapshot (engines.md §9, Required). */
export const portfolioSnapshots = pgTable(
  'portfolio_snapshots',
  {
    portfolioId: portfolioFk(),
    asOf: asOf(),
    nav: usd().notNull(),
    cash: usd().notNull(),
    longValue: usd().notNull(),
    shortValue: usd().notNull(),
    grossExposure: usd().notNull(),
    netExposure: usd().notNull(),
    deltaAdjNet: usd(),
    dailyPnl: usd().notNull(),
    dailyReturn: doublePrecision(),
    cumulativePnl: usd().notNull(),
    dollarDelta: doublePrecision(),
    dollarGamma1pct: doublePrecision(),
    thetaDollarsPerDay: doublePrecision(),
    vegaDollarsPerVolPt: doublePrecision(),
    rhoDollarsPerPct: doublePrecision(),
    counts: jsonb().$type<Record<string, number>>().notNull().default({}),
    priceCoveragePct: doublePrecision().notNull(),
    stalePriceCount: integer().notNull().default(0),
    isComplete: boolean().notNull().default(true),
    runId: runId(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.asOf] })],
);

export const correlationCalculations = pgTable(
  'correlation_calculations',
  {
    id: uuid().primaryKey().defaultRandom(),
    portfolioId: portfolioFk(),
    asOf: asOf(),
    windowDays: integer().notNull(),
    symbols: jsonb().$type<string[]>().notNull(),
    /**
     * The pairs (symbols[i], symbols[j]) for i < j in row-major order (pair k of n symbols:
     * i = 0, j = 1…n−1, then i = 1, …): Pearson ρ (null = undefined pair), its p-value and the
     * number of common observations. One array per figure instead of a row per pair.
     */
    correlations: doublePrecision().array().$type<(number | null)[]>(),
    pValues: doublePrecision().array().$type<(number | null)[]>(),
    dataPoints: integer().array(),
    overallCorrelation: doublePrecision(),
    diversificationScore: doublePrecision(),
    effectivePositions: doublePrecision(),
    concentrationScore: doublePrecision(),
    includedCount: integer().notNull(),
    excludedCount: integer().notNull(),
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    warnings: jsonb().$type<string[]>().notNull().default([]),
    runId: runId(),
  },
  (t) => [unique('correlation_calculations_key').on(t.portfolioId, t.asOf, t.windowDays)],
);

export const correlationClusters = pgTable(
  'correlation_clusters',
  {
    calculationId: uuid()
      .notNull()
      .references(() => correlationCalculations.id, { onDelete: 'cascade' }),
    method: text().notNull(),
    clusterIndex: integer().notNull(),
    nickname: text().notNull(),
    members: jsonb().$type<string[]>().notNull(),
    avgCorrelation: doublePrecision(),
    grossValue: usd(),
  },
  (t) => [primaryKey({ columns: [t.calculationId, t.method, t.clusterIndex] })],
);

/**
 * Second-wave risk analyses of a portfolio on a date, one row per kind: VaR backtest, historical
 * replays, Euler risk contributions, Monte Carlo VaR, benchmark-relative performance. The payload
 * is the engine's answer as the contract in core/contracts/risk-analyses.ts shapes it.
 * `inputDigest`, where the analysis has one, is the digest of every input it was computed from:
 * a rerun whose inputs give the same digest keeps the stored answer instead of computing it again.
 */
export const riskAnalyses = pgTable(
  'risk_analyses',
  {
    portfolioId: portfolioFk(),
    asOf: asOf(),
    kind: text().$type<'var_backtest' | 'historical_replays' | 'risk_contributions' | 'monte_carlo_var' | 'performance'>().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    runId: runId(),
    inputDigest: text(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.asOf, t.kind] })],
);

/**
 * The VaR backtest's daily forecasts, kept between runs: one row per portfolio and digest of
 * everything a day's forecast reads (the book held that day, the closes and rates of its window,
 * the settings), so a nightly run — in any process — computes only its new day. The digest
 * changes with any input, so a stored forecast is always what a fresh computation would give.
 */
export const backtestDayForecasts = pgTable(
  'backtest_day_forecasts',
  {
    portfolioId: portfolioFk(),
    key: text().notNull(),
    /** The forecast day (the realised P&L's date). */
    day: date({ mode: 'string' }).notNull(),
    forecast: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.key] }), index('backtest_day_forecasts_day_idx').on(t.portfolioId, t.day)],
);
