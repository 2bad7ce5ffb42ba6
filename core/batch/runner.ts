/**
 * Where claimed runs execute. The inline runner executes them in this process in the
 * background (embedded database, CLI, tests); the queue runner (queue.ts) spreads portfolio jobs
 * over pg-boss workers. `idle()` resolves once every submitted run has finished; `interrupt()`
 * ends the runs this process is executing as `interrupted` (the process is stopping), so another
 * run may start at once instead of waiting for their heartbeat to go stale.
 */
import { finishRun, getRun, interruptRuns } from '../../db/queries/batch-runs.ts';
import { portfolioAnswersChanged } from '../results-events.ts';
import { executeRun } from './orchestrator.ts';
import { errorMessage, retryOnConnectionLoss } from './phase-runner.ts';
import type { BatchDeps } from './types.ts';

export interface BatchRunner {
  /** Starts executing a claimed run; never throws (failures are recorded on the run). */
  submit(runId: string): void;
  /** Resolves when every run submitted so far has finished. */
  idle(): Promise<void>;
  /** Ends this process's unfinished runs as `interrupted` with `reason`; returns their ids. */
  interrupt?(reason: string): Promise<string[]>;
  /** Called with each run's final status once this process finished executing it. */
  onFinished?: (runId: string, status: string) => void;
}

/** Records a run whose execution threw (e.g. the database stayed unreachable) as failed, so it never waits to be found abandoned. */
async function recordCrash(deps: BatchDeps, runId: string, err: unknown): Promise<void> {
  deps.log.error({ err, runId }, 'batch run crashed');
  await retryOnConnectionLoss(() => finishRun(deps.db, runId, { status: 'failed', finishedAt: deps.clock(), durationMs: 0, warnings: [], error: `run failed: ${errorMessage(err)}` }))
    .catch((e: unknown) => deps.log.error({ err: e, runId }, 'could not record the failed batch run'));
}

/** Tells the read caches that the portfolios of a finished run have new answers. */
export async function announceResults(deps: Pick<BatchDeps, 'db'>, runId: string): Promise<void> {
  const run = await getRun(deps.db, runId).catch(() => null);
  if (run) portfolioAnswersChanged(run.portfolioIds);
}

export function createInlineRunner(deps: BatchDeps): BatchRunner {
  const inFlight = new Map<string, Promise<unknown>>();
  const runner: BatchRunner = {
    submit(runId) {
      const p = executeRun(deps, runId)
        .then(async (status) => {
          runner.onFinished?.(runId, status);
          await announceResults(deps, runId);
        })
        .catch((err: unknown) => recordCrash(deps, runId, err).then(() => runner.onFinished?.(runId, 'failed')))
        .finally(() => inFlight.delete(runId));
      inFlight.set(runId, p);
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight.values()]);
    },
    async interrupt(reason) {
      const ids = await interruptRuns(deps.db, [...inFlight.keys()], reason);
      if (ids.length) deps.log.warn({ runs: ids, reason }, 'batch runs interrupted');
      return ids;
    },
  };
  return runner;
}
