/**
 * Runs one phase with its run record: marks it running, executes it (a portfolio phase inside
 * its own transaction, retried once on a serialization failure or deadlock), then records
 * status, duration, rows written, warnings, metrics and error. A failure is recorded, logged
 * and returned as a status, never thrown, so one phase or portfolio never stops the others.
 */
import { updatePhase, type RunStatus } from '../../db/queries/batch-runs.ts';
import type { BatchDeps, PhaseOutcome } from './types.ts';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_WARNINGS = 50;

function pgCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++, e = e.cause as typeof e) if (typeof e.code === 'string') return e.code;
  return undefined;
}

/** Message of an error, including the driver's cause under Drizzle's wrapper. */
export function errorMessage(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  const cause = e?.cause?.message;
  return cause && !e.message?.includes(cause) ? `${e.message ?? String(err)}: ${cause}` : (e?.message ?? String(err));
}

export interface PhaseRef {
  runId: string;
  portfolioId: string | null;
  phase: string;
}

/** Executes `fn` as the phase `ref`; returns its final status. */
export async function runRecordedPhase(deps: BatchDeps, ref: PhaseRef, fn: () => Promise<PhaseOutcome>): Promise<RunStatus> {
  const startedAt = deps.clock();
  const t0 = performance.now();
  let attempts = 0;
  await updatePhase(deps.db, ref.runId, ref.portfolioId, ref.phase, { status: 'running', startedAt, attempts });
  for (;;) {
    attempts++;
    try {
      const out = await fn();
      const durationMs = Math.round(performance.now() - t0);
      await updatePhase(deps.db, ref.runId, ref.portfolioId, ref.phase, {
        status: 'succeeded', attempts, finishedAt: deps.clock(), durationMs, rowsWritten: out.rows,
        warnings: (out.warnings ?? []).slice(0, MAX_WARNINGS), metrics: out.metrics ?? {}, error: null,
      });
      return 'succeeded';
    } catch (err) {
      if (attempts < 2 && RETRYABLE.has(pgCode(err) ?? '')) continue;
      const error = errorMessage(err);
      deps.log.warn({ runId: ref.runId, portfolioId: ref.portfolioId, phase: ref.phase, err }, 'batch phase failed');
      await updatePhase(deps.db, ref.runId, ref.portfolioId, ref.phase, {
        status: 'failed', attempts, finishedAt: deps.clock(), durationMs: Math.round(performance.now() - t0), error,
      });
      return 'failed';
    }
  }
}

/** Records a phase as skipped with its reason (e.g. `missing_input: factors`). */
export async function skipPhase(deps: BatchDeps, ref: PhaseRef, reason: string): Promise<RunStatus> {
  const now = deps.clock();
  await updatePhase(deps.db, ref.runId, ref.portfolioId, ref.phase, { status: 'skipped', startedAt: now, finishedAt: now, durationMs: 0, error: reason });
  return 'skipped';
}
