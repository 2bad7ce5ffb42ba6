/**
 * The second-wave risk analyses: stored VaR backtests, historical replays, Euler risk
 * contributions, Monte Carlo VaR and performance (the batch's `risk_analyses` rows), a replay of
 * any user window computed on request, and performance against symbols the caller names.
 */
import { latestAnalysis, type AnalysisKind } from '../../db/queries/risk-analyses.ts';
import { ANALYSIS_VERSIONS } from '../../db/queries/results-versions.ts';
import { listSnapshots } from '../../db/queries/snapshots.ts';
import { countPricesOf, loadCloses } from '../../db/queries/market-prices.ts';
import { portfolios } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import type {
  HistoricalReplays, HistoricalReplaysPayload, MonteCarloPayload, MonteCarloVar, Performance, PerformancePayload, RiskContributions, RiskContributionsPayload, VarBacktest, VarBacktestPayload,
} from '../contracts/risk-analyses.ts';
import { AppError } from '../errors.ts';
import { addDays } from '../seed/calendar-dates.ts';
import { bookOfState, proxyEntryCloses } from '../batch/analyses/book-at.ts';
import { navOfState } from '../batch/portfolio-state.ts';
import { navSeries, performanceAnalysis, PERFORMANCE_DAYS } from '../batch/analyses/performance.ts';
import { positionsAsOf } from '../../db/queries/batch-portfolios.ts';
import type { PositionRow } from '../batch/types.ts';
import { REPLAY_CONVENTIONS, replayOne } from '../batch/analyses/replays.ts';
import { styleRiskModel } from '../batch/analyses/style-model.ts';
import { loadMarketHistory } from '../batch/market-history.ts';
import { loadBook } from '../what-if/book.ts';
import { storedAnswer } from './analytics-cache.ts';
import { NO_PROVENANCE, provenance } from './analytics-provenance.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { today } from './positions.ts';

type Head = Pick<VarBacktest, 'available' | 'reason' | 'portfolio_id' | 'as_of' | 'run_id' | 'data_quality' | 'stale' | 'stale_change'>;

/** The latest stored analysis of `kind`, with the provenance of its date and run. */
async function readStored<P>(deps: ServiceDeps, principal: Principal, portfolioId: string, kind: AnalysisKind): Promise<{ head: Head; payload: P | null }> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const row = await latestAnalysis(deps.db, portfolioId, kind, today(deps));
  if (!row) return { head: { available: false, reason: 'no_results', portfolio_id: portfolioId, ...NO_PROVENANCE }, payload: null };
  const prov = await provenance(deps.db, portfolioId, row.asOf, row.runId);
  return { head: { available: true, reason: null, portfolio_id: portfolioId, ...prov }, payload: row.payload as P };
}

function stored<K extends AnalysisKind, P, A>(kind: K, wrap: (head: Head, payload: P | null) => A) {
  return (deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<A> =>
    storedAnswer(deps, principal, portfolioId, ANALYSIS_VERSIONS[kind], '', async () => {
      const { head, payload } = await readStored<P>(deps, principal, portfolioId, kind);
      return wrap(head, payload);
    });
}

/** VaR forecasts of the last 250 days against the next day's P&L: exceptions, Kupiec, Christoffersen, Basel zone. */
export const getVarBacktest = stored('var_backtest', (head, backtest: VarBacktestPayload | null): VarBacktest => ({ ...head, backtest }));
/** The named windows replayed on today's book. */
export const getHistoricalReplays = stored('historical_replays', (head, replays: HistoricalReplaysPayload | null): HistoricalReplays => ({ ...head, replays }));
/** Euler contributions per position, underlying and factor, and component ES. */
export const getRiskContributions = stored('risk_contributions', (head, contributions: RiskContributionsPayload | null): RiskContributions => ({ ...head, contributions }));
/** Monte Carlo VaR and CVaR, normal and Student-t, 1 and 10 days. */
export const getMonteCarloVar = stored('monte_carlo_var', (head, monte_carlo: MonteCarloPayload | null): MonteCarloVar => ({ ...head, monte_carlo }));
const getStoredPerformance = stored('performance', (head, performance: PerformancePayload | null): Performance => ({ ...head, performance }));

/** Longest window a user replay may span (the bundled history is about 6.5 years). */
const MAX_REPLAY_DAYS = 3_000;

/** A replay of `start_date → end_date` on the portfolio's book of its latest results date (nothing stored). */
export async function runHistoricalReplay(deps: ServiceDeps, principal: Principal, portfolioId: string, input: { start_date: string; end_date: string; name?: string | undefined }): Promise<HistoricalReplays> {
  const bad = (path: string, message: string) => new AppError('VALIDATION', message, { details: { errors: [{ path, message }] } });
  if (input.start_date >= input.end_date) throw bad('end_date', 'end_date must be after start_date');
  const book = await loadBook(deps, principal, portfolioId);
  if (input.end_date > book.asOf) throw bad('end_date', `must be on or before the results date ${book.asOf}`);
  if (addDays(input.start_date, MAX_REPLAY_DAYS) < input.end_date) throw bad('start_date', `a window spans at most ${MAX_REPLAY_DAYS} calendar days`);
  const lb = bookOfState(book.state);
  const sources = [...new Set(lb.labels.map((l) => l.source))];
  const model = styleRiskModel(book.market, sources);
  const etfs = [...new Set([...(model?.etfWeights.values() ?? [])].flatMap((w) => Object.keys(w)))];
  const h = await loadMarketHistory(deps.db, [...sources, ...etfs], addDays(input.start_date, -10), book.asOf);
  const nav = navOfState(book.state);
  const window = replayOne(lb, nav, h, { key: 'custom', name: input.name ?? `Custom window ${input.start_date} → ${input.end_date}`, start: input.start_date, end: input.end_date }, model?.etfWeights ?? new Map());
  const prov = await provenance(deps.db, portfolioId, book.asOf, null);
  return {
    available: true, reason: null, portfolio_id: portfolioId, ...prov,
    replays: { nav: Math.round(nav * 100) / 100, windows: [window], conventions: REPLAY_CONVENTIONS, warnings: lb.excluded.map((x) => `left out: ${x.symbol} (${x.reason})`) },
  };
}

/** Performance against the portfolio's benchmark (stored) and, when asked, against other symbols (computed). */
export async function getPerformance(deps: ServiceDeps, principal: Principal, portfolioId: string, input: { symbols?: string | undefined }): Promise<Performance> {
  const extra = [...new Set((input.symbols ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))];
  if (!extra.length) return getStoredPerformance(deps, principal, portfolioId);
  if (extra.length > 10) throw new AppError('VALIDATION', 'at most 10 comparison symbols', { details: { errors: [{ path: 'symbols', message: 'at most 10' }] } });
  const owned = await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const known = await countPricesOf(deps.db, extra);
  const unknown = extra.filter((s) => !known.has(s));
  if (unknown.length) throw new AppError('VALIDATION', `no stored prices for ${unknown.join(', ')}`, { details: { errors: unknown.map((s) => ({ path: 'symbols', message: `${s}: no stored prices (npm run market-data -- ensure-history)` })) } });
  const end = today(deps);
  const snaps = await listSnapshots(deps.db, portfolioId, addDays(end, -Math.ceil((PERFORMANCE_DAYS * 365) / 252) - 10), end, PERFORMANCE_DAYS + 1);
  const last = snaps.at(-1);
  if (!last) return { available: false, reason: 'no_results', portfolio_id: portfolioId, ...NO_PROVENANCE, performance: null };
  const [p] = await deps.db.select({ benchmark: portfolios.benchmarkSymbol }).from(portfolios).where(eq(portfolios.id, portfolioId));
  const benchmark = p?.benchmark ?? 'SPY';
  const entered = (await positionsAsOf(deps.db, portfolioId, last.asOf, '0001-01-01')) as PositionRow[];
  const symbols = entered.flatMap((p) => [p.symbol, p.underlyingSymbol, p.proxySymbol].filter((s): s is string => !!s));
  const h = await loadMarketHistory(deps.db, [benchmark, ...extra, ...symbols], addDays(last.asOf, -Math.ceil((PERFORMANCE_DAYS * 365) / 252) - 110), last.asOf);
  const proxied = entered.filter((p) => p.proxySymbol);
  const entryFrom = proxied.reduce((a, p) => (p.entryDate < a ? p.entryDate : a), last.asOf);
  const entrySeries = proxied.length ? await loadCloses(deps.db, [...new Set(proxied.map((p) => p.proxySymbol!))], addDays(entryFrom, -10), last.asOf) : new Map();
  const series = navSeries(h, entered, owned.openingEquity, snaps.map((s) => ({ date: s.asOf, nav: s.nav })), proxyEntryCloses(entered, entrySeries));
  const performance = performanceAnalysis(series, h, benchmark, extra);
  const prov = await provenance(deps.db, portfolioId, last.asOf, last.runId);
  return performance
    ? { available: true, reason: null, portfolio_id: portfolioId, ...prov, performance }
    : { available: false, reason: 'fewer than four daily NAVs', portfolio_id: portfolioId, ...prov, performance: null };
}
