/**
 * The nightly schedule: croner fires `fireScheduledRun` on a cron expression in a time zone
 * (default weekdays 18:30 America/New_York). Every process may run a scheduler; only one fires
 * per as_of (advisory lock plus the "already fired" check in `claimRun`), the others log and skip.
 */
import { Cron } from 'croner';
import { AppError } from '../errors.ts';
import { tradingDaysWithoutRun } from '../../db/queries/batch-runs.ts';
import { resolveAsOf } from './as-of.ts';
import { startSystemRun, type BatchServiceDeps } from './service.ts';

export const DEFAULT_BATCH_CRON = '30 18 * * 1-5';
export const DEFAULT_BATCH_TIMEZONE = 'America/New_York';
export const DEFAULT_BACKFILL_DAYS = 5;

/** Starts a scheduled run for `asOf` (default: the latest trading day); null when another process fired it or it is not needed. */
async function startScheduled(deps: BatchServiceDeps, asOf?: string): Promise<string | null> {
  try {
    const r = await startSystemRun(deps, { trigger: 'schedule', asOf: asOf ?? null });
    return r.run_id;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'UNPROCESSABLE')) {
      deps.log.info({ asOf, reason: err.message }, 'scheduled batch run not started');
      return null;
    }
    deps.log.error({ err, asOf }, 'scheduled batch run failed to start');
    return null;
  }
}

/**
 * The nightly run for all portfolios (engines.md §12.4 item 2): first every earlier trading day
 * since the last completed run (at most `backfillDays`, oldest first, each finished before the
 * next so daily P&L chains from the day before), then the latest trading day. Returns the latest
 * day's run id, or null when another process fired it or it is not needed.
 */
export async function fireScheduledRun(deps: BatchServiceDeps): Promise<string | null> {
  try {
    const asOf = await resolveAsOf(deps.db, deps.clock());
    for (const date of await tradingDaysWithoutRun(deps.db, asOf, deps.backfillDays ?? DEFAULT_BACKFILL_DAYS)) {
      const runId = await startScheduled(deps, date);
      if (!runId) continue;
      deps.log.info({ runId, asOf: date }, 'backfilling a trading day without a completed run');
      await deps.runner.idle();
    }
  } catch (err) {
    deps.log.error({ err }, 'batch backfill failed; running the latest trading day');
  }
  return startScheduled(deps);
}

export interface BatchScheduler {
  /** Next fire time, or null when stopped. */
  nextRun(): Date | null;
  stop(): void;
}

/** Schedules `fireScheduledRun` on `cron` in `timezone`; overlapping fires in one process are skipped (croner `protect`). */
export function startBatchScheduler(deps: BatchServiceDeps, opts: { cron: string; timezone: string; onFired?: (runId: string | null) => void }): BatchScheduler {
  const job = new Cron(opts.cron, { timezone: opts.timezone, protect: true }, async () => {
    const runId = await fireScheduledRun(deps);
    opts.onFired?.(runId);
  });
  deps.log.info({ cron: opts.cron, timezone: opts.timezone, next: job.nextRun()?.toISOString() }, 'batch schedule armed');
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}
