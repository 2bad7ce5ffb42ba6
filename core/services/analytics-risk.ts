/**
 * Stored analytics the reference lacked: option Greeks, market-risk scenarios, risk metrics
 * (VaR/CVaR, volatility, drawdown, Sharpe/Sortino, beta) and the daily snapshot history.
 */
import { greeksRows, latestAsOf, marketRiskRows, riskMetricRows } from '../../db/queries/results.ts';
import { listSnapshots } from '../../db/queries/snapshots.ts';
import { marketRiskScenarios, portfolioExposures, portfolioSnapshots, positionGreeks, riskMetrics } from '../../db/schema/index.ts';
import type { Greeks, MarketRisk, RiskMetrics, Snapshots } from '../contracts/risk.ts';
import { AppError } from '../errors.ts';
import { addDays } from '../seed/calendar-dates.ts';
import { storedAnswer } from './analytics-cache.ts';
import { NO_PROVENANCE, provenance } from './analytics-provenance.ts';
import { GREEKS_VERSION, MARKET_RISK_VERSION, RISK_METRICS_VERSION } from '../../db/queries/results-versions.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { today } from './positions.ts';

/** Σ of the known values; null when every value is unknown; 0 for no options at all. */
const sumOrNull = (xs: (number | null)[]): number | null => (xs.length === 0 ? 0 : xs.some((x) => x !== null) ? xs.reduce<number>((s, x) => s + (x ?? 0), 0) : null);

/** Per-position and summed dollar Greeks of the latest stored date. */
export async function getGreeks(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<Greeks> {
  return storedAnswer(deps, principal, portfolioId, GREEKS_VERSION, '', () => readGreeks(deps, principal, portfolioId));
}

async function readGreeks(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<Greeks> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const [latestGreeks, latestBook] = await Promise.all([latestAsOf(deps.db, positionGreeks, portfolioId, today(deps)), latestAsOf(deps.db, portfolioExposures, portfolioId, today(deps))]);
  if (!latestGreeks && !latestBook) return { available: false, reason: 'no_results', portfolio_id: portfolioId, ...NO_PROVENANCE, totals: null, positions: [] };
  // Exposures newer than any Greeks row: the book held no options on that date, which is a result (zero Greeks), not a gap.
  const latest = latestGreeks && (!latestBook || latestGreeks.asOf >= latestBook.asOf) ? latestGreeks : latestBook!;
  const [rows, prov] = await Promise.all([greeksRows(deps.db, portfolioId, latest.asOf), provenance(deps.db, portfolioId, latest.asOf, latest.runId)]);
  const positions = rows.map(({ g, symbol }) => ({
    position_id: g.positionId, symbol, underlying_price: g.underlyingPrice, vol_annual: g.volAnnual, vol_source: g.volSource, tenor_years: g.tenorYears, model_price: g.modelPrice,
    delta: g.delta, gamma: g.gamma, theta_per_day: g.thetaPerDay, vega_per_vol_point: g.vegaPerVolPoint, rho_per_pct: g.rhoPerPct,
    dollar_delta: g.dollarDelta, dollar_gamma_1pct: g.dollarGamma1pct, theta_dollars_per_day: g.thetaDollarsPerDay, vega_dollars_per_vol_pt: g.vegaDollarsPerVolPt, rho_dollars_per_pct: g.rhoDollarsPerPct,
    is_expired: g.isExpired, flags: g.flags,
  }));
  const totals = {
    dollar_delta: sumOrNull(positions.map((p) => p.dollar_delta)),
    dollar_gamma_1pct: sumOrNull(positions.map((p) => p.dollar_gamma_1pct)),
    theta_dollars_per_day: sumOrNull(positions.map((p) => p.theta_dollars_per_day)),
    vega_dollars_per_vol_pt: sumOrNull(positions.map((p) => p.vega_dollars_per_vol_pt)),
    rho_dollars_per_pct: sumOrNull(positions.map((p) => p.rho_dollars_per_pct)),
    option_count: positions.length,
  };
  return { available: true, reason: null, portfolio_id: portfolioId, ...prov, totals, positions };
}

/** Market (beta × shock) and rate (bp) scenario P&L of the latest stored date. */
export async function getMarketRisk(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<MarketRisk> {
  return storedAnswer(deps, principal, portfolioId, MARKET_RISK_VERSION, '', () => readMarketRisk(deps, principal, portfolioId));
}

async function readMarketRisk(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<MarketRisk> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const latest = await latestAsOf(deps.db, marketRiskScenarios, portfolioId, today(deps));
  if (!latest) return { available: false, reason: 'no_results', portfolio_id: portfolioId, ...NO_PROVENANCE, scenarios: [] };
  const [rows, prov] = await Promise.all([marketRiskRows(deps.db, portfolioId, latest.asOf), provenance(deps.db, portfolioId, latest.asOf, latest.runId)]);
  const scenarios = rows.map((r) => ({ scenario: r.scenarioKey, scenario_type: r.scenarioType, shock_value: r.shockValue, pnl_linear: r.pnlLinear, pnl_full_reval: r.pnlFullReval, pnl_pct_nav: r.pnlPctNav === null ? null : r.pnlPctNav * 100 }));
  return { available: true, reason: null, portfolio_id: portfolioId, ...prov, scenarios };
}

/** Risk metrics of the latest stored date for `lookback_days` (default: the longest stored window). */
export async function getRiskMetrics(deps: ServiceDeps, principal: Principal, portfolioId: string, input: { lookback_days?: number | undefined }): Promise<RiskMetrics> {
  return storedAnswer(deps, principal, portfolioId, RISK_METRICS_VERSION, String(input.lookback_days ?? ''), () => readRiskMetrics(deps, principal, portfolioId, input));
}

async function readRiskMetrics(deps: ServiceDeps, principal: Principal, portfolioId: string, input: { lookback_days?: number | undefined }): Promise<RiskMetrics> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const latest = await latestAsOf(deps.db, riskMetrics, portfolioId, today(deps));
  const empty = { available: false, portfolio_id: portfolioId, risk_metrics: null };
  if (!latest) return { ...empty, ...NO_PROVENANCE, metadata: { lookback_days: input.lookback_days ?? null, observations: null, available_windows: [], reason: 'no_results' } };
  const rows = await riskMetricRows(deps.db, portfolioId, latest.asOf);
  const windows = rows.map((r) => r.windowDays);
  const row = input.lookback_days === undefined ? rows[0] : rows.find((r) => r.windowDays === input.lookback_days);
  const prov = await provenance(deps.db, portfolioId, latest.asOf, row?.runId ?? latest.runId);
  if (!row) return { ...empty, ...prov, metadata: { lookback_days: input.lookback_days ?? null, observations: null, available_windows: windows, reason: 'no_results_for_window' } };
  return {
    available: true, portfolio_id: portfolioId, ...prov, run_id: row.runId,
    risk_metrics: {
      portfolio_beta: row.betaToSpy, annualized_volatility: row.volAnnual, max_drawdown: row.maxDrawdown, sharpe_ratio: row.sharpe, sortino_ratio: row.sortino,
      var_95_1d: row.var95OneDay, var_99_1d: row.var99OneDay, cvar_95_1d: row.cvar95OneDay, cvar_99_1d: row.cvar99OneDay, var_95_10d: row.var95TenDay, var_99_10d: row.var99TenDay,
      parametric_var_95_1d: row.parametricVar95OneDay, parametric_var_99_1d: row.parametricVar99OneDay,
    },
    metadata: { lookback_days: row.windowDays, observations: row.nObs, available_windows: windows },
  };
}

export interface SnapshotsInput {
  start_date?: string | undefined;
  end_date?: string | undefined;
  limit: number;
}

/** Stored daily snapshots between two dates (default: the 90 days up to the latest snapshot), oldest first. */
export async function getSnapshots(deps: ServiceDeps, principal: Principal, portfolioId: string, input: SnapshotsInput): Promise<Snapshots> {
  if (input.start_date && input.end_date && input.start_date > input.end_date) {
    throw new AppError('VALIDATION', 'start_date must not be after end_date', { details: { errors: [{ path: 'start_date', message: `must be ≤ ${input.end_date}` }] } });
  }
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  // Without end_date the window ends at the latest stored snapshot (not today), so a book whose data stopped still shows its history.
  const end = input.end_date ?? (await latestAsOf(deps.db, portfolioSnapshots, portfolioId, today(deps)))?.asOf ?? today(deps);
  const start = input.start_date ?? addDays(end, -90);
  if (start > end) throw new AppError('VALIDATION', 'start_date must not be after end_date', { details: { errors: [{ path: 'start_date', message: `must be ≤ ${end}` }] } });
  const rows = await listSnapshots(deps.db, portfolioId, start, end, input.limit);
  const last = rows.at(-1);
  if (!last) return { available: false, reason: 'no_results', portfolio_id: portfolioId, ...NO_PROVENANCE, snapshots: [] };
  const prov = await provenance(deps.db, portfolioId, last.asOf, last.runId);
  const snapshots = rows.map((s) => ({
    date: s.asOf, nav: s.nav, cash: s.cash, long_value: s.longValue, short_value: s.shortValue, gross_exposure: s.grossExposure, net_exposure: s.netExposure,
    daily_pnl: s.dailyPnl, daily_return: s.dailyReturn, cumulative_pnl: s.cumulativePnl, dollar_delta: s.dollarDelta, theta_dollars_per_day: s.thetaDollarsPerDay,
    price_coverage_pct: s.priceCoveragePct, stale_price_count: s.stalePriceCount, is_complete: s.isComplete, run_id: s.runId,
  }));
  return { available: true, reason: null, portfolio_id: portfolioId, ...prov, snapshots };
}
