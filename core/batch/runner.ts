/**
 * Where claimed runs execute. The inline runner executes them in this process in the
 * background (embedded database, CLI, tests); the queue runner (queue.ts) spreads portfolio jobs
 * over pg-boss workers. `idle()` resolves once every submitted run has finished.
 */
import { executeRun } from './orchestrator.ts';
import type { BatchDeps } from './types.ts';

export interface BatchRunner {
  /** Starts executing a claimed run; never throws (failures are recorded on the run). */
  submit(runId: string): void;
  /** Resolves when every run submitted so far has finished. */
  idle(): Promise<void>;
}

export function createInlineRunner(deps: BatchDeps): BatchRunner {
  const inFlight = new Set<Promise<unknown>>();
  return {
    submit(runId) {
      const p = executeRun(deps, runId)
        .catch((err: unknown) => deps.log.error({ err, runId }, 'batch run crashed'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
