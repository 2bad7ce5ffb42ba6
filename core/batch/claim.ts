/**
 * Claims a run: inside one transaction serialised by a Postgres advisory transaction lock (works
 * on PGlite and across processes on Postgres), runs abandoned by a dead process (no heartbeat
 * for `staleAfterMs`) are failed, and a new run is refused with CONFLICT when an active run for
 * the same as_of covers any of the same portfolios. Otherwise the run and its phase rows are
 * inserted as queued. A scheduled run additionally needs the schedule lock (pg_try_advisory_xact_lock,
 * so only one of several processes fires) and no earlier scheduled run for the same as_of.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/exec.ts';
import { activeRuns, failAbandonedRuns, insertRun, scheduledRunFor, type NewRun } from '../../db/queries/batch-runs.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_STALE_AFTER_MS } from './orchestrator.ts';
import { GLOBAL_PHASES, PORTFOLIO_PHASES, type BatchDeps } from './types.ts';

/** Advisory lock key serialising run claims (an arbitrary constant: "SSBATCH1"). */
export const CLAIM_LOCK_KEY = 0x5353_4241_5443_4831n;
/** Advisory lock key only the process firing the schedule holds ("SSSCHED1"). */
export const SCHEDULE_LOCK_KEY = 0x5353_5343_4845_4431n;

/** Inserts a queued run, or throws AppError CONFLICT naming the active run that overlaps it. */
export async function claimRun(deps: BatchDeps, run: NewRun): Promise<string> {
  const staleAfter = deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const freshSince = new Date(Date.now() - staleAfter);
  return deps.db.transaction(async (tx) => {
    if (run.trigger === 'schedule') {
      // Leader election: one process fires the schedule; the others skip without waiting.
      const [lock] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${SCHEDULE_LOCK_KEY.toString()}::bigint) as ok`);
      if (!lock?.ok) throw new AppError('CONFLICT', 'another process is firing the scheduled run');
      const fired = await scheduledRunFor(tx, run.asOf);
      if (fired) throw new AppError('CONFLICT', `the scheduled run as of ${run.asOf} was already fired (run ${fired})`, { details: { runId: fired } });
    }
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY.toString()}::bigint)`);
    const abandoned = await failAbandonedRuns(tx, freshSince);
    if (abandoned) deps.log.warn({ abandoned }, 'batch runs without a heartbeat marked failed');
    const wanted = new Set(run.portfolioIds);
    for (const a of await activeRuns(tx, run.asOf, freshSince)) {
      const overlap = a.portfolioIds.filter((id) => wanted.has(id));
      if (overlap.length) {
        throw new AppError('CONFLICT', `a batch run for ${overlap.length === 1 ? `portfolio ${overlap[0]}` : `${overlap.length} of these portfolios`} as of ${run.asOf} is already in progress (run ${a.id})`, {
          details: { runId: a.id, asOf: run.asOf, portfolioIds: overlap },
        });
      }
    }
    return insertRun(tx, run, { global: GLOBAL_PHASES, portfolio: PORTFOLIO_PHASES });
  });
}
