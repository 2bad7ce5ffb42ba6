/**
 * Executes a claimed run: the global phases once (market data sync, factor model), then every
 * portfolio's phases in order, each in its own transaction, with bounded concurrency across
 * portfolios; finally the run's status, duration and warnings. A phase whose inputs failed or
 * were skipped is recorded `skipped` with `missing_input: …` instead of computing on stale data.
 */
import { warmMonteCarloWorker } from './analyses/monte-carlo-background.ts';
import { finishRun, getRun, listPhaseRuns, markRunStarted, touchRun, type RunStatus } from '../../db/queries/batch-runs.ts';
import { listBatchPortfolios, marketScopeOfPortfolios } from '../../db/queries/batch-portfolios.ts';
import { RUN_TIMEOUT, runOutcome } from './projection.ts';
import { computeFactorModel, storeFactorModel } from './factor-model.ts';
import { errorMessage, PortfolioPhaseLog, runRecordedPhase, skipPhase } from './phase-runner.ts';
import type { Db } from '../../db/client.ts';
import { loadPortfolioState } from './portfolio-state.ts';
import { DEFAULT_PORTFOLIO_PHASES } from './phase-registry.ts';
import { simulateInBackground } from './phases/analyses.ts';
import { loadRunMarket } from './run-market.ts';
import { checkStoredCoverage, symbolsWithoutStoredCloses } from './sync-default.ts';
import { PHASE_INPUTS, PORTFOLIO_PHASES, type BatchDeps, type PhaseName, type PhaseOutcome, type PortfolioState, type RunContext } from './types.ts';

export const DEFAULT_STALE_AFTER_MS = 120_000;
export const DEFAULT_RUN_TIMEOUT_MS = 3_600_000;
/** Reason of the skip records of portfolios not started before the run's deadline. */
type Portfolio = Awaited<ReturnType<typeof listBatchPortfolios>>[number];

/** Runs the global phases; returns their statuses and the run context the portfolios share. */
export async function runGlobalPhases(deps: BatchDeps, ctx: RunContext, portfolioIds: readonly string[]): Promise<Map<PhaseName, RunStatus>> {
  const status = new Map<PhaseName, RunStatus>();
  if (ctx.skipBatch) {
    for (const phase of ['market_data', 'factor_model'] as const) status.set(phase, await skipPhase(deps, { runId: ctx.runId, portfolioId: null, phase }, 'skip-batch'));
    return status;
  }
  const { symbols, earliest } = await marketScopeOfPortfolios(deps.db, portfolioIds);
  status.set('market_data', await runRecordedPhase(deps, { runId: ctx.runId, portfolioId: null, phase: 'market_data' }, () => marketDataPhase(deps, ctx, symbols)));
  status.set('factor_model', await runRecordedPhase(deps, { runId: ctx.runId, portfolioId: null, phase: 'factor_model' }, async () => {
    ctx.market = await loadRunMarket(deps.db, ctx.asOf, symbols, earliest);
    const model = computeFactorModel(ctx.market, ctx.runId);
    const rows = await deps.db.transaction((tx) => storeFactorModel(tx, model, ctx.asOf, ctx.runId));
    ctx.model = model;
    return { rows, warnings: [...ctx.market.warnings, ...model.warnings], metrics: { symbols: model.compat.size, windowReturns: ctx.market.dates.length - 1 } };
  }));
  return status;
}

/** `reason` without the provider name it starts with (the warning names the provider already). */
const bareReason = (provider: string, reason: string): string => (reason.startsWith(`${provider} `) || reason.startsWith(`${provider}: `) ? reason.slice(reason.indexOf(' ') + 1) : reason);

/**
 * Phase 1. With a provider sync, a run started by a book change first fetches the price history
 * the engines need for the run's symbols (ensure-history requests only the missing days, so
 * symbols already covered cost nothing), then the latest closes of the others. A symbol whose
 * history could not be fetched is named in the warnings (`no price history for X from fmp: …`).
 * Other runs sync the latest closes only; without a provider the stored coverage is checked. A
 * symbol left without any stored close is warned about as `no stored price history for X on or
 * before D`, one with an old close as `stale: X`.
 */
async function marketDataPhase(deps: BatchDeps, ctx: RunContext, symbols: string[]): Promise<PhaseOutcome> {
  const sync = deps.syncMarketData ?? checkStoredCoverage;
  const warnings: string[] = [];
  const reported = new Set<string>();
  let rows = 0;
  let ms = 0;
  let historyFailed = 0;
  if (deps.syncMarketData && ctx.trigger === 'change' && symbols.length) {
    const h = await sync(deps, { mode: 'ensure-history', asOf: ctx.asOf, symbols });
    rows += h.rowsWritten;
    ms += h.ms;
    for (const f of h.failed) {
      warnings.push(`no price history for ${f.symbol} from ${f.provider}: ${bareReason(f.provider, f.reason)}`);
      reported.add(f.symbol);
    }
    for (const k of h.skipped ?? []) {
      warnings.push(`no price history for ${k.symbol}: ${k.reason}`);
      reported.add(k.symbol);
    }
    historyFailed = reported.size;
  }
  // a symbol whose history just failed is not asked again for its latest closes in the same run
  const latest = reported.size ? symbols.filter((s) => !reported.has(s)) : symbols;
  const r = latest.length ? await sync(deps, { mode: 'latest', asOf: ctx.asOf, symbols: latest }) : { stale: [], failed: [], rowsWritten: 0, ms: 0 };
  rows += r.rowsWritten;
  ms += r.ms;
  // a symbol reported stale with nothing stored at all is named for what it lacks, not as stale
  const none = await symbolsWithoutStoredCloses(deps.db, r.stale, ctx.asOf);
  warnings.push(
    ...r.stale.map((s) => (none.has(s) ? `no stored price history for ${s} on or before ${ctx.asOf}` : `stale: ${s}`)),
    ...r.failed.map((f) => `sync failed: ${f.symbol} (${f.provider}): ${f.reason}`),
  );
  return { rows, warnings, metrics: { ms: Math.round(ms), stale: r.stale.length - none.size, noHistory: none.size, failed: r.failed.length, ...(ctx.trigger === 'change' && deps.syncMarketData ? { historyFailed } : {}) } };
}

/**
 * Runs every portfolio phase of one portfolio in order; failures are recorded, never thrown.
 * The portfolio is loaded inside the first phase's transaction; each phase commits its results
 * together with its own record and the next phase's running mark, and skips known up front
 * (skip-reports, skip-batch) travel with the first write.
 */
export async function runPortfolio(deps: BatchDeps, ctx: RunContext, p: Portfolio, global: ReadonlyMap<PhaseName, RunStatus>): Promise<void> {
  const status = new Map(global);
  const log = new PortfolioPhaseLog(deps, ctx.runId, p.id);
  const late = Date.now() > ctx.deadline;
  for (const phase of PORTFOLIO_PHASES) {
    if (late) status.set(phase, log.skip(phase, `${RUN_TIMEOUT}: not started within ${Math.round((deps.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS) / 1000)} s of the run's start`));
    else if (ctx.skipBatch && phase !== 'reports') status.set(phase, log.skip(phase, 'skip-batch'));
    else if (phase === 'reports' && ctx.skipReports) status.set(phase, log.skip(phase, 'skip-reports'));
  }
  let state: PortfolioState | null = null;
  let loadFailed = false;
  const load = async (tx: Db): Promise<PortfolioState> => {
    try {
      return (state ??= await loadPortfolioState(tx, p, ctx.asOf, ctx.market?.pricing));
    } catch (err) {
      loadFailed = true;
      deps.log.warn({ runId: ctx.runId, portfolioId: p.id, err }, 'portfolio could not be loaded');
      throw new Error(`loading positions and prices failed: ${errorMessage(err)}`, { cause: err });
    }
  };
  for (const [i, phase] of PORTFOLIO_PHASES.entries()) {
    if (status.has(phase)) continue;
    const missing = ctx.skipBatch ? [] : PHASE_INPUTS[phase].filter((x) => status.get(x) !== 'succeeded');
    if (missing.length || loadFailed) status.set(phase, log.skip(phase, `missing_input: ${missing.join(', ') || 'portfolio state'}`));
    else {
      const fn = deps.phases?.[phase] ?? DEFAULT_PORTFOLIO_PHASES[phase];
      status.set(phase, await log.run(phase, PORTFOLIO_PHASES[i + 1] ?? null, async (tx) => fn(tx, ctx, await load(tx), deps)));
      // With the Greeks in, the Monte Carlo simulation can start on the background worker while the other phases run.
      if (phase === 'greeks' && state && status.get('greeks') === 'succeeded' && !deps.phases?.monte_carlo && !status.has('monte_carlo')) await simulateInBackground(deps.db, ctx, state);
    }
  }
  await log.flush();
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Final status from phase statuses: failed when nothing succeeded, partial when something failed.
 * Duration: from `t0` (performance.now() in this process) or else wall time since `since` (a real timestamp).
 */
export async function finalizeRun(deps: BatchDeps, runId: string, since: Date, t0?: number): Promise<RunStatus> {
  const { status, warnings, error } = runOutcome(await listPhaseRuns(deps.db, runId));
  await finishRun(deps.db, runId, { status, finishedAt: deps.clock(), durationMs: Math.min(2 ** 31 - 1, t0 === undefined ? Math.max(0, Date.now() - since.getTime()) : Math.round(performance.now() - t0)), warnings, error });
  return status;
}

/** The context of a stored run (market window and model filled by the global phases). */
export function runContext(deps: BatchDeps, run: { id: string; asOf: string; trigger?: string; options: Record<string, unknown> }): RunContext {
  const opts = run.options as { skipBatch?: boolean; skipReports?: boolean };
  return { runId: run.id, asOf: run.asOf, ...(run.trigger ? { trigger: run.trigger } : {}), market: null, model: null, skipBatch: !!opts.skipBatch, skipReports: !!opts.skipReports, reportsDir: deps.reportsDir ?? 'reports', cache: {},
    deadline: Number(run.options['deadlineAt']) || Date.now() + (deps.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS),
  };
}

/** Executes a queued run in this process from start to finish; returns its final status. */
export async function executeRun(deps: BatchDeps, runId: string): Promise<RunStatus> {
  const run = await getRun(deps.db, runId);
  if (!run || !['queued', 'running'].includes(run.status)) return run?.status ?? 'failed';
  const t0 = performance.now();
  const startedAt = deps.clock();
  await markRunStarted(deps.db, runId, startedAt, deps.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
  const beat = setInterval(() => void touchRun(deps.db, runId).catch(() => {}), (deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS) / 4);
  beat.unref();
  try {
    const ctx = runContext(deps, run);
    // The Monte Carlo phase's worker loads while the global and first-wave phases run.
    if (!ctx.skipBatch && !deps.phases?.monte_carlo) warmMonteCarloWorker();
    const global = await runGlobalPhases(deps, ctx, run.portfolioIds);
    const portfolios = await listBatchPortfolios(deps.db, { ids: run.portfolioIds });
    await forEachLimit(portfolios, deps.concurrency ?? 1, (p) => runPortfolio(deps, ctx, p, global));
    return await finalizeRun(deps, runId, startedAt, t0);
  } finally {
    clearInterval(beat);
  }
}
