/**
 * A batch run as one user may see it. A run covers many users' portfolios; its stored status,
 * warnings and error are the operator's view. An owner who is not an admin sees a projection made
 * only of their own portfolios: the phases of those portfolios, and the run-wide (global) phases
 * with every warning about a symbol they do not hold removed and failure details replaced by a
 * plain sentence. The run's status, warnings and error are then derived from those phases alone,
 * by the same rule that finalizes a run (`runOutcome`).
 */
import type { PhaseRunRow, RunStatus } from '../../db/queries/batch-runs.ts';

/** Phases skipped because the run ran out of time count against it like failures. */
export const RUN_TIMEOUT = 'run timeout';
/** Warnings that are lifted from phases to the run. */
const RUN_WARNING = /^(stale|proxied|unpriced|sync failed|no price history|no stored price history)/;
const MAX_RUN_WARNINGS = 50;

export interface RunOutcome {
  status: RunStatus;
  warnings: string[];
  error: string | null;
}

/** The status, warnings and error of a finished run from its phases. */
export function runOutcome(phases: readonly Pick<PhaseRunRow, 'phase' | 'status' | 'error' | 'warnings'>[]): RunOutcome {
  const failed = phases.filter((p) => p.status === 'failed' || (p.status === 'skipped' && p.error?.startsWith(RUN_TIMEOUT)));
  const ok = phases.filter((p) => p.status === 'succeeded');
  const status: RunStatus = failed.length === 0 ? (ok.length ? 'succeeded' : 'skipped') : ok.length ? 'partial' : 'failed';
  const warnings = [...new Set(phases.flatMap((p) => p.warnings.filter((w) => RUN_WARNING.test(w))))].slice(0, MAX_RUN_WARNINGS);
  const error = failed.length ? `${failed.length} phase(s) failed: ${[...new Set(failed.map((f) => f.phase))].join(', ')}` : null;
  return { status, warnings, error };
}

/** The symbol a run-wide warning is about (`stale: X`, `sync failed: X (…)`, `no [stored ]price history for X …`, `X: no close …`), if any. */
export function warningSymbol(w: string): string | null {
  const m = /^(?:stale|proxied|unpriced|sync failed): ([A-Z0-9.^=-]+)/.exec(w) ?? /^no (?:stored )?price history for ([A-Z0-9.^=-]+)/.exec(w) ?? /^([A-Z0-9.^=-]+): /.exec(w);
  return m?.[1] ?? null;
}

/** A run-wide phase as an owner sees it: only warnings about their symbols, no foreign failure text. */
export function projectGlobalPhase(p: PhaseRunRow, held: ReadonlySet<string>): PhaseRunRow {
  const warnings = p.warnings.filter((w) => {
    const s = warningSymbol(w);
    return s === null || held.has(s);
  });
  const error = p.error === null ? null : p.status === 'failed' ? `the ${p.phase} phase failed (details are in the operator's log)` : p.error.startsWith(RUN_TIMEOUT) ? p.error : null;
  return { ...p, warnings, error };
}

/** Whether a run has ended (its stored outcome is final). */
const FINISHED = new Set<RunStatus>(['succeeded', 'partial', 'failed', 'skipped']);

/**
 * The outcome of a run as an owner sees it: from their phases when the run has finished; a run
 * still queued, running or interrupted keeps that state (it says nothing about other users).
 */
export function projectedOutcome(run: { status: RunStatus; error: string | null }, phases: readonly PhaseRunRow[]): RunOutcome {
  const derived = runOutcome(phases);
  if (FINISHED.has(run.status)) return derived;
  return { status: run.status, warnings: derived.warnings, error: run.status === 'interrupted' ? run.error : null };
}
