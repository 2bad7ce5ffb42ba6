/**
 * Recompute on change: after a committed change to a portfolio's book, a batch run for that
 * portfolio alone is queued. Debounced per portfolio: a burst of edits within `debounceMs` of each
 * other gives one run. When a run for the portfolio is already in progress (CONFLICT), the request
 * waits and tries again, since that run read the book before the change. The stored results of
 * the previous run stay readable until the new run commits its own.
 */
import { AppError } from '../errors.ts';
import { portfolioAnswersChanged } from '../results-events.ts';
import { startSystemRun, type BatchServiceDeps } from './service.ts';
import type { Recompute } from './types.ts';

export type { Recompute };


export interface RecomputeOptions {
  debounceMs: number;
  /** Tries while a run of the portfolio is in progress, `debounceMs` apart at first, then slower. */
  maxAttempts?: number;
}

export function createRecompute(svc: BatchServiceDeps, o: RecomputeOptions): Recompute {
  const timers = new Map<string, NodeJS.Timeout>();
  const starting = new Set<Promise<void>>();
  const maxAttempts = o.maxAttempts ?? 120;
  let stopped = false;

  const arm = (portfolioId: string, delayMs: number, attempt: number): void => {
    clearTimeout(timers.get(portfolioId));
    const t = setTimeout(() => {
      timers.delete(portfolioId);
      const p = start(portfolioId, attempt).finally(() => starting.delete(p));
      starting.add(p);
    }, delayMs);
    t.unref();
    timers.set(portfolioId, t);
  };

  async function start(portfolioId: string, attempt: number): Promise<void> {
    if (stopped) return;
    try {
      const run = await startSystemRun(svc, { trigger: 'change', portfolioIds: [portfolioId], skipReports: true });
      svc.log.info({ runId: run.run_id, portfolioId, asOf: run.as_of }, 'book changed: recomputing the portfolio');
    } catch (err) {
      if (err instanceof AppError && err.code === 'CONFLICT' && attempt < maxAttempts) {
        arm(portfolioId, Math.min(o.debounceMs * 2 ** Math.min(attempt, 4), 15_000), attempt + 1);
        return;
      }
      // a portfolio deleted meanwhile has nothing to recompute
      if (err instanceof AppError && err.code === 'NOT_FOUND') return;
      svc.log.error({ err, portfolioId }, 'could not queue the recompute of a changed portfolio');
    }
  }

  // a plain function, not a method using `this`: callers may pass `recompute.idle` around unbound
  async function idle(): Promise<void> {
    for (;;) {
      if (timers.size) await new Promise((r) => setTimeout(r, 20));
      else if (starting.size) await Promise.all(starting);
      else break;
    }
    await svc.runner.idle();
    // a run that finished may have met a change made while it ran; settle those too
    if (timers.size || starting.size) await idle();
  }

  return {
    schedule(portfolioId) {
      // the stored results are stale from now on: cached answers from before the change must go
      portfolioAnswersChanged([portfolioId]);
      if (!stopped) arm(portfolioId, o.debounceMs, 0);
    },
    idle,
    stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
