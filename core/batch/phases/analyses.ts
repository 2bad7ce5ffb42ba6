/**
 * The second-wave risk phases, each writing one `risk_analyses` row per portfolio and date:
 * VaR backtest, Euler risk contributions, Monte Carlo VaR, historical replays and
 * benchmark-relative performance. They share the run's long market history (loaded once per
 * run) and today's book as the risk engines take it.
 */
import { keepAnalysis, storedAnalysisDigest, writeAnalysis, type AnalysisKind } from '../../../db/queries/risk-analyses.ts';
import { positionsAsOf } from '../../../db/queries/batch-portfolios.ts';
import { listSnapshots } from '../../../db/queries/snapshots.ts';
import { NAMED_REPLAY_WINDOWS } from '../../../engines/replay/windows.ts';
import type { Db } from '../../../db/client.ts';
import { addDays } from '../../seed/calendar-dates.ts';
import { cached, type PhaseOutcome, type PortfolioPhase, type PortfolioState, type PositionRow, type RunContext } from '../types.ts';
import { loadMarketHistory, type DateRange, type MarketHistory } from '../market-history.ts';
import { bookOfState, proxyEntryCloses, type LabelledBook } from '../analyses/book-at.ts';
import { navOfState } from '../portfolio-state.ts';
import { riskContributions } from '../analyses/contributions.ts';
import { memoisedMonteCarlo, monteCarloAnalysis, monteCarloDigest } from '../analyses/monte-carlo.ts';
import { startInBackground } from '../analyses/monte-carlo-background.ts';
import type { MonteCarloPayload } from '../../contracts/risk-analyses.ts';
import { navSeries, performanceAnalysis, PERFORMANCE_DAYS } from '../analyses/performance.ts';
import { namedReplays } from '../analyses/replays.ts';
import { styleRiskModel, type StyleRiskModel } from '../analyses/style-model.ts';
import { BACKTEST_DAYS, ESTIMATION_DAYS, varBacktest, type DayStore } from '../analyses/var-backtest.ts';
import { readDayForecasts, saveDayForecasts } from '../../../db/queries/backtest-forecasts.ts';

/** Calendar days of history the backtest needs: its window plus the estimation window, with slack. */
const BACKTEST_CALENDAR_DAYS = Math.ceil(((BACKTEST_DAYS + ESTIMATION_DAYS + 2) * 365) / 252) + 15;

/** The date ranges the run's history must cover: the backtest's and performance's recent years, and each named replay window. */
export function historyFrom(asOf: string): DateRange[] {
  return [[addDays(asOf, -BACKTEST_CALENDAR_DAYS), asOf], ...NAMED_REPLAY_WINDOWS.map((w) => [addDays(w.start, -10), w.end] as const)];
}

/** The run's market history (every symbol the run prices), loaded by the first portfolio that needs it. */
export function runHistory(tx: Db, run: RunContext): Promise<MarketHistory> {
  // The closes the run already holds (its pricing window) are not read again.
  return cached(run.cache, 'history', () => loadMarketHistory(tx, [...run.market!.closes.keys()], historyFrom(run.asOf), run.asOf, { from: run.market!.closesFrom, closes: run.market!.closes }));
}

/** Every position entered by as_of, open or since closed (the backtest needs the book of each past day). */
const EARLIEST_DATE = '0001-01-01';

/** Those positions, read once per portfolio state by the first phase that needs them (backtest, performance). */
const ENTERED = new WeakMap<PortfolioState, Promise<PositionRow[]>>();
function enteredOf(tx: Db, run: RunContext, state: PortfolioState): Promise<PositionRow[]> {
  let p = ENTERED.get(state);
  if (!p) {
    p = positionsAsOf(tx, state.id, run.asOf, EARLIEST_DATE) as Promise<PositionRow[]>;
    ENTERED.set(state, p);
    // a failed read is not kept: the next phase reads again
    p.catch(() => ENTERED.delete(state));
  }
  return p;
}

async function store(tx: Db, run: RunContext, state: PortfolioState, kind: AnalysisKind, payload: { warnings: string[] } | null, empty: string, inputDigest?: string): Promise<PhaseOutcome> {
  const rows = await writeAnalysis(tx, { portfolioId: state.id, asOf: run.asOf, runId: run.runId, kind, payload: payload as Record<string, unknown> | null, inputDigest: inputDigest ?? null });
  return { rows, warnings: payload ? payload.warnings : [empty] };
}

export const varBacktestPhase: PortfolioPhase = async (tx, run, state) => {
  const [h, entered, known] = await Promise.all([
    runHistory(tx, run),
    enteredOf(tx, run, state),
    readDayForecasts(tx, state.id, addDays(run.asOf, -BACKTEST_CALENDAR_DAYS)),
  ]);
  // Days whose inputs are unchanged since an earlier run are read back by digest; only the others are computed.
  const stored: DayStore = { known, used: [], fresh: [] };
  const payload = varBacktest(h, entered, { entryCloses: proxyEntryCloses(entered, run.market!.closes), store: stored });
  if (payload) await saveDayForecasts(tx, state.id, { first: payload.start_date, last: payload.end_date, keepFrom: addDays(payload.start_date, -31), used: stored.used }, stored.fresh);
  const out = await store(tx, run, state, 'var_backtest', payload, 'no backtest: the history is too short or the book held nothing');
  const zone = payload?.levels.find((l) => l.method === 'historical' && l.confidence === 0.99)?.traffic_light?.zone;
  return { ...out, metrics: { days: payload?.window_days ?? 0, computed_days: stored.fresh.length, zone: zone ?? null } };
};

/** Today's book and its style risk model, built once per portfolio state and shared by the phases that read them. */
const TODAY = new WeakMap<PortfolioState, { lb: LabelledBook; model: StyleRiskModel | null }>();
function todayOf(run: RunContext, state: PortfolioState): { lb: LabelledBook; model: StyleRiskModel | null } {
  let t = TODAY.get(state);
  if (!t) {
    const lb = bookOfState(state);
    TODAY.set(state, (t = { lb, model: styleRiskModel(run.market!, [...new Set(lb.labels.map((l) => l.source))]) }));
  }
  return t;
}

/** Monte Carlo answers being computed on the background worker while the backtest and contributions run, by portfolio state. */
const BACKGROUND = new WeakMap<PortfolioState, { inputDigest: string; answer: Promise<MonteCarloPayload | null | undefined> }>();

/**
 * Hands the portfolio's Monte Carlo simulation to the background worker unless it is there
 * already or its answer is known (memoised here, or stored from the same inputs). The batch calls
 * it once the Greeks are in (the book it simulates is then complete). Never fails: the Monte Carlo phase computes, and reports, whatever this could not start;
 * and it uses the worker's answer only when its inputs still have the same digest.
 */
export async function simulateInBackground(tx: Db, run: RunContext, state: PortfolioState): Promise<void> {
  try {
    if (BACKGROUND.has(state) || !run.market) return;
    const { lb, model } = todayOf(run, state);
    if (!model) return;
    const inputDigest = monteCarloDigest(lb, model);
    if (memoisedMonteCarlo(inputDigest) !== undefined) return;
    if ((await storedAnalysisDigest(tx, { portfolioId: state.id, asOf: run.asOf, kind: 'monte_carlo_var' })) === inputDigest) return;
    const answer = startInBackground(lb, model, inputDigest);
    if (answer) BACKGROUND.set(state, { inputDigest, answer });
  } catch {
    // the Monte Carlo phase meets the same problem and records it
  }
}

export const contributionsPhase: PortfolioPhase = async (tx, run, state) => {
  const { lb, model } = todayOf(run, state);
  return store(tx, run, state, 'risk_contributions', riskContributions(lb, run.market!, model), 'no contributions: no holding has a full return window');
};

export const monteCarloPhase: PortfolioPhase = async (tx, run, state) => {
  const { lb, model } = todayOf(run, state);
  if (!model) return store(tx, run, state, 'monte_carlo_var', null, 'no Monte Carlo VaR: a factor ETF lacks a full window');
  // A rerun whose book and model are unchanged (in this process or any earlier one) keeps the stored answer.
  const inputDigest = monteCarloDigest(lb, model);
  const kept = await keepAnalysis(tx, { portfolioId: state.id, asOf: run.asOf, runId: run.runId, kind: 'monte_carlo_var', inputDigest });
  const background = BACKGROUND.get(state);
  BACKGROUND.delete(state);
  if (kept) return { rows: 1, warnings: kept.warnings, metrics: { reused: true } };
  // The worker's answer when it computed this one; else (none started, or it could not) computed here.
  const fromWorker = background?.inputDigest === inputDigest ? await background.answer : undefined;
  const payload = fromWorker !== undefined ? fromWorker : monteCarloAnalysis(lb, model, { digest: inputDigest });
  return { ...(await store(tx, run, state, 'monte_carlo_var', payload, 'no Monte Carlo VaR: no holding has factor loadings', inputDigest)), metrics: { reused: false, background: fromWorker !== undefined } };
};

export const replaysPhase: PortfolioPhase = async (tx, run, state) => {
  const { lb, model } = todayOf(run, state);
  const h = await runHistory(tx, run);
  return store(tx, run, state, 'historical_replays', namedReplays(lb, navOfState(state), h, model?.etfWeights ?? new Map()), 'no replays');
};

export const performancePhase: PortfolioPhase = async (tx, run, state) => {
  const [h, entered, snaps] = await Promise.all([
    runHistory(tx, run),
    enteredOf(tx, run, state),
    listSnapshots(tx, state.id, addDays(run.asOf, -Math.ceil((PERFORMANCE_DAYS * 365) / 252) - 10), run.asOf, PERFORMANCE_DAYS + 1),
  ]);
  const benchmark = state.benchmarkSymbol ?? 'SPY';
  // A benchmark the run does not price has its own history loaded.
  const hb = h.closes.has(benchmark) ? h : await loadMarketHistory(tx, [...h.closes.keys(), benchmark], historyFrom(run.asOf), run.asOf);
  const series = navSeries(hb, entered, state.openingEquity, snaps.map((s) => ({ date: s.asOf, nav: s.nav })), proxyEntryCloses(entered, run.market!.closes));
  return store(tx, run, state, 'performance', performanceAnalysis(series, hb, benchmark), 'no performance: fewer than four daily NAVs');
};
