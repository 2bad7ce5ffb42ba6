/**
 * The batch inside a long-running process (the server or a worker): the runner (in-process on
 * the embedded database, pg-boss when BATCH_QUEUE is on), the croner schedule when
 * BATCH_SCHEDULE is on, and the first-start run when the current as_of has no results yet. On the
 * embedded database, which runs no autovacuum, a finished run is followed by a VACUUM at most every
 * EMBEDDED_VACUUM_EVERY_MS, so the space of replaced results is reused instead of the data
 * directory growing with every rerun (about 0.3 MB a rerun of the demo book otherwise).
 */
import { providerSyncFromEnv } from './provider-sync.ts';
import type { DbHandle } from '../../db/client.ts';
import { failAbandonedRuns } from '../../db/queries/batch-runs.ts';
import type { Env } from '../env.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { systemClock } from '../services/context.ts';
import { startQueueRunner } from './queue.ts';
import { resultsReadiness } from './readiness.ts';
import { createRecompute } from './recompute.ts';
import { createInlineRunner, type BatchRunner } from './runner.ts';
import { startBatchScheduler, type BatchScheduler } from './scheduler.ts';
import { startSystemRun, type BatchServiceDeps } from './service.ts';
import type { BatchDeps } from './types.ts';

/** The embedded database is vacuumed after a finished run at most this often (the first finished run in a process always). */
export const EMBEDDED_VACUUM_EVERY_MS = 6 * 3_600_000;

export interface BatchRuntime {
  /** Service deps for the doors (REST, MCP) to start runs and read status. */
  service: BatchServiceDeps;
  scheduler: BatchScheduler | null;
  /** Run id of the first-start run, resolved once it was claimed (null when results were ready). */
  startupRun: Promise<string | null>;
  /**
   * Stops the schedule and the runner. With `interruptReason` (the process got a signal), the
   * runs this process is executing are first ended as `interrupted`, so a rerun starts at once.
   */
  stop(opts?: { interruptReason?: string }): Promise<void>;
}

export interface BatchRuntimeOptions {
  env: Env;
  dbh: DbHandle;
  log: Logger;
  clock?: () => Date;
  /** Portfolio jobs this process works when queued (default WORKER_CONCURRENCY). */
  workerConcurrency?: number;
  /** Override of BATCH_SCHEDULE / BATCH_ON_START (a worker process neither schedules nor starts runs). */
  schedule?: boolean;
  startupRun?: boolean;
  /** Provider market-data sync for phase 1 (default: the offline coverage check). */
  syncMarketData?: BatchDeps['syncMarketData'];
}

/** Batch deps from the configuration; with FMP or Polygon keys, phase 1 syncs from those providers. */
export function batchDepsFromEnv(o: Pick<BatchRuntimeOptions, 'env' | 'dbh' | 'log' | 'clock' | 'syncMarketData'>): BatchDeps {
  const sync = o.syncMarketData ?? providerSyncFromEnv(o.env, o.log);
  return {
    db: o.dbh.db, log: o.log, clock: o.clock ?? systemClock, ...(sync ? { syncMarketData: sync } : {}),
    concurrency: o.dbh.kind === 'pglite' ? 1 : o.env.BATCH_CONCURRENCY,
    staleAfterMs: o.env.BATCH_STALE_AFTER_S * 1000, reportsDir: o.env.REPORTS_DIR, asyncCommitSession: o.dbh.asyncCommit,
    statementTimeoutMs: o.env.BATCH_STATEMENT_TIMEOUT_S * 1000, runTimeoutMs: o.env.BATCH_RUN_TIMEOUT_S * 1000, backfillDays: o.env.BATCH_BACKFILL_DAYS,
  };
}

/** Runs the batch once in the background when the current as_of has no results for every portfolio. */
export async function startupRunIfNeeded(svc: BatchServiceDeps): Promise<string | null> {
  const r = await resultsReadiness(svc.db, svc.clock());
  if (r.ready || !r.asOf) return null;
  try {
    const run = await startSystemRun(svc, { trigger: 'startup' });
    svc.log.info({ runId: run.run_id, asOf: run.as_of }, 'no batch results for the latest as_of: computing them in the background');
    return run.run_id;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'UNPROCESSABLE')) return null;
    throw err;
  }
}

export async function startBatchRuntime(o: BatchRuntimeOptions): Promise<BatchRuntime> {
  const deps = batchDepsFromEnv({ ...o, log: o.log.child({ component: 'batch' }) });
  if (o.dbh.kind === 'pglite') {
    // The embedded database has one process at a time: a run still marked active was left by a process that died.
    const n = await failAbandonedRuns(deps.db, new Date('9999-12-31T00:00:00Z'));
    if (n) deps.log.warn({ runs: n }, 'batch runs left by a stopped process marked failed');
  }
  const queued = o.env.BATCH_QUEUE && o.env.DATABASE_URL;
  const runner: BatchRunner & { stop?: () => Promise<void> } = queued
    ? await startQueueRunner(deps, { url: o.env.DATABASE_URL!, concurrency: o.workerConcurrency ?? o.env.WORKER_CONCURRENCY })
    : createInlineRunner(deps);
  const service: BatchServiceDeps = { ...deps, runner };
  service.recompute = createRecompute(service, { debounceMs: o.env.RECOMPUTE_DEBOUNCE_MS });
  let startupRunId: string | null = null;
  // VACUUM runs outside any transaction and waits for the run's last one; stop() waits for it.
  let vacuumedAt = -Infinity;
  let maintenance: Promise<void> = Promise.resolve();
  const vacuumIfDue = () => {
    if (o.dbh.kind !== 'pglite' || performance.now() - vacuumedAt < EMBEDDED_VACUUM_EVERY_MS) return;
    vacuumedAt = performance.now();
    maintenance = maintenance.then(async () => {
      const t0 = performance.now();
      if (await o.dbh.vacuum()) deps.log.info({ ms: Math.round(performance.now() - t0) }, 'embedded database vacuumed after the batch run');
    }).catch((err: unknown) => {
      vacuumedAt = -Infinity;
      deps.log.warn({ err }, 'could not vacuum the embedded database; the next finished run tries again');
    });
  };
  runner.onFinished = (runId, status) => {
    if (runId === startupRunId) deps.log.info({ runId, status }, `first-start batch finished (${status}): results ready`);
    vacuumIfDue();
  };
  const scheduler = (o.schedule ?? o.env.BATCH_SCHEDULE) ? startBatchScheduler(service, { cron: o.env.BATCH_CRON, timezone: o.env.BATCH_TIMEZONE }) : null;
  const startupRun = (o.startupRun ?? o.env.BATCH_ON_START)
    ? startupRunIfNeeded(service).then((id) => (startupRunId = id), (err: unknown) => {
        deps.log.error({ err }, 'first-start batch run could not start');
        return null;
      })
    : Promise.resolve(null);
  return {
    service, scheduler, startupRun,
    async stop(opts = {}) {
      scheduler?.stop();
      service.recompute?.stop();
      if (opts.interruptReason) await runner.interrupt?.(opts.interruptReason).catch((err: unknown) => deps.log.error({ err }, 'could not mark the batch runs interrupted'));
      await runner.stop?.();
      await maintenance;
    },
  };
}
