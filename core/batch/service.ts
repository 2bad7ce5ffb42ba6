/**
 * Batch use cases for every door: start a run (returns its id at once; the run executes in the
 * background on the configured runner), read a run's status with progress per phase, list runs.
 * Owners see and start runs of their own portfolios; admins any. Another user's run id answers
 * NOT_FOUND, exactly like an unknown id.
 */
import { getRun, listPhaseRuns, listRuns, type BatchRunRow, type BatchTrigger, type PhaseRunRow } from '../../db/queries/batch-runs.ts';
import { listBatchPortfolios, symbolsOfPortfolios } from '../../db/queries/batch-portfolios.ts';
import type { BatchRunList, BatchRunSummary, BatchStatus, ListBatchRunsInput, PhaseStatus, StartBatchRunInput, StartBatchRunOutput } from '../contracts/batch.ts';
import { AppError, notFound } from '../errors.ts';
import { requireOwnedPortfolio, UUID_LIKE, type Principal } from '../services/context.ts';
import { resolveAsOf } from './as-of.ts';
import { claimRun } from './claim.ts';
import { projectedOutcome, projectGlobalPhase } from './projection.ts';
import type { BatchRunner } from './runner.ts';
import { GLOBAL_PHASES, PORTFOLIO_PHASES, type BatchDeps, type Recompute } from './types.ts';

export interface BatchServiceDeps extends BatchDeps {
  runner: BatchRunner;
  /** Queues a debounced run of one portfolio after its book changed (recompute.ts). */
  recompute?: Recompute;
}

export interface SystemRunOptions {
  trigger: BatchTrigger;
  asOf?: string | null;
  portfolioIds?: string[] | null;
  skipReports?: boolean;
  skipBatch?: boolean;
  requestedBy?: string | null;
}

/** Claims and submits a run for the given (or all live) portfolios; for schedule, CLI and startup. @throws AppError CONFLICT, UNPROCESSABLE, NOT_FOUND. */
export async function startSystemRun(deps: BatchServiceDeps, o: SystemRunOptions): Promise<StartBatchRunOutput> {
  const asOf = await resolveAsOf(deps.db, deps.clock(), o.asOf);
  const live = await listBatchPortfolios(deps.db, o.portfolioIds ? { ids: o.portfolioIds.filter((id) => UUID_LIKE.test(id)) } : {});
  const missing = (o.portfolioIds ?? []).filter((id) => !live.some((p) => p.id === id));
  if (missing.length) throw notFound('portfolio', missing[0]);
  if (!live.length) throw new AppError('UNPROCESSABLE', 'no portfolios to run: seed the database first (npm run seed)');
  const portfolioIds = live.map((p) => p.id);
  const options = { skipReports: !!o.skipReports, skipBatch: !!o.skipBatch, scope: o.portfolioIds ? 'portfolios' : 'all' };
  const runId = await claimRun(deps, { asOf, trigger: o.trigger, requestedBy: o.requestedBy ?? null, portfolioIds, options });
  deps.log.info({ runId, asOf, trigger: o.trigger, portfolios: portfolioIds.length }, 'batch run queued');
  deps.runner.submit(runId);
  return { run_id: runId, as_of: asOf, status: 'queued', trigger: o.trigger, portfolio_ids: portfolioIds };
}

/** Starts a run for one of the caller's portfolios or all of them (admins: any / every portfolio). */
export async function startBatchRun(deps: BatchServiceDeps, principal: Principal, input: StartBatchRunInput, trigger: Exclude<BatchTrigger, 'schedule' | 'startup'>): Promise<StartBatchRunOutput> {
  let ids: string[];
  if (input.portfolio_id) {
    if (principal.role === 'admin') ids = [input.portfolio_id];
    else ids = [(await requireOwnedPortfolio(deps.db, principal, input.portfolio_id)).id];
  } else if (input.all) {
    ids = (await listBatchPortfolios(deps.db, principal.role === 'admin' ? {} : { userId: principal.userId })).map((p) => p.id);
    if (!ids.length) throw new AppError('UNPROCESSABLE', 'you have no portfolios to run');
  } else throw new AppError('VALIDATION', 'give portfolio_id, or all=true for every portfolio you own');
  return startSystemRun(deps, { trigger, asOf: input.as_of, portfolioIds: ids, skipReports: !!input.skip_reports, requestedBy: principal.userId });
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function phaseStatus(p: PhaseRunRow): PhaseStatus {
  return {
    phase: p.phase, status: p.status, attempts: p.attempts, started_at: iso(p.startedAt), finished_at: iso(p.finishedAt),
    duration_ms: p.durationMs, rows_written: p.rowsWritten, warnings: p.warnings, error: p.error,
  };
}

/** What one principal may see of a run: its portfolios, their names, and the symbols they hold. */
interface RunView {
  admin: boolean;
  ids: string[];
  names: Map<string, string>;
  held: ReadonlySet<string>;
}

/** The run's phase rows the view may see: run-wide phases projected for owners, their own portfolios' phases. */
function visiblePhases(phases: readonly PhaseRunRow[], view: RunView): PhaseRunRow[] {
  if (view.admin) return [...phases];
  return phases.flatMap((p) => (p.portfolioId === null ? [projectGlobalPhase(p, view.held)] : view.ids.includes(p.portfolioId) ? [p] : []));
}

function summary(r: BatchRunRow, view: RunView, phases: readonly PhaseRunRow[]): BatchRunSummary {
  const outcome = view.admin ? { status: r.status, warnings: r.warnings, error: r.error } : projectedOutcome(r, phases);
  return {
    run_id: r.id, as_of: r.asOf, trigger: r.trigger, status: outcome.status, created_at: r.createdAt.toISOString(), started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt), duration_ms: r.durationMs, portfolio_ids: r.portfolioIds.filter((id) => view.ids.includes(id)), warnings: outcome.warnings, error: outcome.error,
  };
}

/** The principal's view of a run (all of it for admins); NOT_FOUND when none of its portfolios is theirs. */
async function runView(deps: BatchDeps, principal: Principal, run: BatchRunRow | null, runId: string): Promise<{ run: BatchRunRow; view: RunView }> {
  if (!run) throw notFound('batch run', runId);
  const admin = principal.role === 'admin';
  const own = await listBatchPortfolios(deps.db, admin ? { ids: run.portfolioIds } : { ids: run.portfolioIds, userId: principal.userId });
  if (!admin && !own.length) throw notFound('batch run', runId);
  const ids = admin ? run.portfolioIds : own.map((p) => p.id);
  return { run, view: { admin, ids, names: new Map(own.map((p) => [p.id, p.name])), held: admin ? new Set() : await symbolsOfPortfolios(deps.db, ids) } };
}

/** Status of a run with progress per phase over the portfolios the caller may see. */
export async function getBatchStatus(deps: BatchDeps, principal: Principal, runId: string): Promise<BatchStatus> {
  const { run, view } = await runView(deps, principal, UUID_LIKE.test(runId) ? await getRun(deps.db, runId) : null, runId);
  const phases = visiblePhases(await listPhaseRuns(deps.db, run.id), view);
  const order = (p: PhaseRunRow) => [...GLOBAL_PHASES, ...PORTFOLIO_PHASES].indexOf(p.phase as never);
  const count = (s: string) => phases.filter((p) => p.status === s).length;
  const done = count('succeeded') + count('failed') + count('skipped');
  return {
    ...summary(run, view, phases),
    progress: { total: phases.length, done, succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped'), running: count('running'), percent: phases.length ? Math.round((1000 * done) / phases.length) / 10 : 100 },
    global_phases: phases.filter((p) => p.portfolioId === null).sort((a, b) => order(a) - order(b)).map(phaseStatus),
    portfolios: view.ids.map((id) => ({
      portfolio_id: id, portfolio_name: view.names.get(id) ?? id,
      phases: phases.filter((p) => p.portfolioId === id).sort((a, b) => order(a) - order(b)).map(phaseStatus),
    })),
  };
}

/** Runs visible to the caller, newest first, each projected onto the caller's portfolios. */
export async function listBatchRuns(deps: BatchDeps, principal: Principal, input: ListBatchRunsInput): Promise<BatchRunList> {
  const admin = principal.role === 'admin';
  let scope: string[] | null;
  if (input.portfolio_id) scope = admin ? [input.portfolio_id] : [(await requireOwnedPortfolio(deps.db, principal, input.portfolio_id)).id];
  else scope = admin ? null : (await listBatchPortfolios(deps.db, { userId: principal.userId })).map((p) => p.id);
  const runs = await listRuns(deps.db, { limit: input.limit ?? 20, portfolioIds: scope });
  if (admin) return { runs: runs.map((r) => summary(r, { admin, ids: scope ?? r.portfolioIds, names: new Map(), held: new Set() }, [])) };
  const view: RunView = { admin, ids: scope!, names: new Map(), held: await symbolsOfPortfolios(deps.db, scope!) };
  return { runs: await Promise.all(runs.map(async (r) => summary(r, view, visiblePhases(await listPhaseRuns(deps.db, r.id), view)))) };
}
