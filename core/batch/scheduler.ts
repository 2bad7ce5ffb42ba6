/**
 * The nightly schedule: croner fires `fireScheduledRun` on a cron expression in a time zone
 * (default weekdays 18:30 America/New_York). Every process may run a scheduler; only one fires
 * per as_of (advisory lock plus the "already fired" check in `claimRun`), the others log and skip.
 */
import { Cron } from 'croner';
import { AppError } from '../errors.ts';
import { startSystemRun, type BatchServiceDeps } from './service.ts';

export const DEFAULT_BATCH_CRON = '30 18 * * 1-5';
export const DEFAULT_BATCH_TIMEZONE = 'America/New_York';

/** Starts the scheduled run for all portfolios; returns its id, or null when another process fired it or it is not needed. */
export async function fireScheduledRun(deps: BatchServiceDeps): Promise<string | null> {
  try {
    const r = await startSystemRun(deps, { trigger: 'schedule' });
    return r.run_id;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'UNPROCESSABLE')) {
      deps.log.info({ reason: err.message }, 'scheduled batch run not started');
      return null;
    }
    deps.log.error({ err }, 'scheduled batch run failed to start');
    return null;
  }
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
