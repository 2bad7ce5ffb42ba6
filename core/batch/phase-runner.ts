/**
 * Runs one phase with its run record: marks it running, executes it (a portfolio phase inside
 * its own transaction, retried once on a serialization failure or deadlock), then records
 * status, duration, rows written, warnings, metrics and error. A failure is recorded, logged
 * and returned as a status, never thrown, so one phase or portfolio never stops the others.
 */
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { recordPhases, type PhaseRecord, type RunStatus } from '../../db/queries/batch-runs.ts';
import { isConnectionError } from '../errors.ts';
import type { BatchDeps, PhaseOutcome } from './types.ts';

const RETRYABLE = new Set(['40001', '40P01']);
/**
 * Retries after a lost database connection: the pool opens a new one, so a phase cut off by a
 * server restart or a terminated backend is run again (about 12 s of backoff in all) instead of
 * failing the run; if the database stays away the phase is recorded failed.
 */
const CONNECTION_RETRIES = 7;
const connectionBackoff = () => new ExponentialBackoff({ initialDelay: 200, maxDelay: 3_000 });
const MAX_WARNINGS = 50;

/**
 * A transaction of batch work. It commits without waiting for the WAL flush
 * (`synchronous_commit = off`, this transaction only, unless the session already has it): batch
 * results are recomputed by a rerun, so a database crash may lose at most the last fraction of a
 * second of them, never leave them half-written, while each portfolio phase stops paying a disk
 * flush on commit. Each statement is cancelled after `statementTimeoutMs` (the phase then fails
 * with that error and the run goes on).
 */
export function batchTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>, opts: { sessionIsAsync?: boolean; statementTimeoutMs?: number } = {}): Promise<T> {
  return db.transaction(async (tx) => {
    // A batch session (a worker's pool) carries both settings already; otherwise one statement sets them for this transaction.
    if (!opts.sessionIsAsync) {
      const timeout = String(Math.round(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS));
      await tx.execute(sql`select set_config('synchronous_commit', 'off', true), set_config('statement_timeout', ${timeout}, true)`);
    }
    return fn(tx);
  });
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;

export function pgCode(err: unknown): string | undefined {
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

/** The record of a phase that succeeded with `out` after `attempts`, timed from `t0` (performance.now()). */
function succeededRecord(deps: BatchDeps, phase: string, attempts: number, t0: number, out: PhaseOutcome): PhaseRecord {
  return {
    phase, status: 'succeeded', attempts, finishedAt: deps.clock(), durationMs: Math.round(performance.now() - t0), rowsWritten: out.rows,
    warnings: (out.warnings ?? []).slice(0, MAX_WARNINGS), metrics: out.metrics ?? {}, error: null,
  };
}

/** Logs a failed phase and returns its record. */
function failedRecord(deps: BatchDeps, ref: PhaseRef, attempts: number, t0: number, err: unknown): PhaseRecord {
  deps.log.warn({ runId: ref.runId, portfolioId: ref.portfolioId, phase: ref.phase, err }, 'batch phase failed');
  return { phase: ref.phase, status: 'failed', attempts, finishedAt: deps.clock(), durationMs: Math.round(performance.now() - t0), error: errorMessage(err) };
}

/**
 * Runs `attempt` (numbered from 1), once more after a serialization failure or deadlock and
 * with backoff after a lost connection; returns the attempts made and the last error, if any.
 */
async function retrying(attempt: (n: number) => Promise<void>): Promise<{ attempts: number; err?: unknown }> {
  let n = 0;
  let conflicts = 0;
  const policy = retry(handleWhen((err) => isConnectionError(err) || (RETRYABLE.has(pgCode(err) ?? '') && conflicts++ < 1)), { maxAttempts: CONNECTION_RETRIES, backoff: connectionBackoff() });
  try {
    await policy.execute(() => attempt(++n));
    return { attempts: n };
  } catch (err) {
    return { attempts: n, err };
  }
}

/** Runs a ledger write, again with backoff while the database connection is being re-established. */
export function retryOnConnectionLoss<T>(fn: () => Promise<T>): Promise<T> {
  return retry(handleWhen(isConnectionError), { maxAttempts: CONNECTION_RETRIES, backoff: connectionBackoff() }).execute(() => fn());
}

/** Executes `fn` as the phase `ref`; returns its final status. */
export async function runRecordedPhase(deps: BatchDeps, ref: PhaseRef, fn: () => Promise<PhaseOutcome>): Promise<RunStatus> {
  const t0 = performance.now();
  const record = (r: PhaseRecord) => retryOnConnectionLoss(() => recordPhases(deps.db, ref.runId, ref.portfolioId, [r]));
  await record({ phase: ref.phase, status: 'running', startedAt: deps.clock(), attempts: 0 });
  const { attempts, err } = await retrying(async (n) => record(succeededRecord(deps, ref.phase, n, t0, await fn())));
  if (err === undefined) return 'succeeded';
  await record(failedRecord(deps, ref, attempts, t0, err));
  return 'failed';
}

/** Records a phase as skipped with its reason (e.g. `missing_input: factors`). */
export async function skipPhase(deps: BatchDeps, ref: PhaseRef, reason: string): Promise<RunStatus> {
  await retryOnConnectionLoss(() => recordPhases(deps.db, ref.runId, ref.portfolioId, [skippedRecord(deps, ref.phase, reason)]));
  return 'skipped';
}

function skippedRecord(deps: BatchDeps, phase: string, reason: string): PhaseRecord {
  const now = deps.clock();
  return { phase, status: 'skipped', startedAt: now, finishedAt: now, durationMs: 0, error: reason };
}

/**
 * The phase rows of one portfolio in a run, written in the transactions the portfolio already
 * makes: a phase's own record (and the next phase's `running` mark) commit with its results,
 * and skip records wait for the next write instead of costing a commit each.
 */
export class PortfolioPhaseLog {
  private pending: PhaseRecord[] = [];
  /** Phases already given a final status here (a skip decided up front is never marked running). */
  private readonly decided = new Set<string>();
  constructor(
    private readonly deps: BatchDeps,
    readonly runId: string,
    readonly portfolioId: string,
  ) {}

  private txOptions() {
    return { sessionIsAsync: this.deps.asyncCommitSession, statementTimeoutMs: this.deps.statementTimeoutMs };
  }

  /** Queues a record for the next write. */
  add(record: PhaseRecord): void {
    this.pending.push(record);
  }

  /** Writes the queued records within `tx`; they are cleared only once that transaction commits (see `committed`). */
  async write(tx: Db, extra: readonly PhaseRecord[] = []): Promise<void> {
    await recordPhases(tx, this.runId, this.portfolioId, [...this.pending, ...extra]);
  }

  /** The transaction that wrote the queued records committed. */
  committed(): void {
    this.pending = [];
  }

  /** Writes whatever is queued in a transaction of its own. */
  async flush(): Promise<void> {
    if (!this.pending.length) return;
    await retryOnConnectionLoss(() => batchTransaction(this.deps.db, (tx) => this.write(tx), this.txOptions()));
    this.committed();
  }

  /** Queues a skip record with its reason. */
  skip(phase: string, reason: string): RunStatus {
    this.decided.add(phase);
    this.add(skippedRecord(this.deps, phase, reason));
    return 'skipped';
  }

  /**
   * Runs a portfolio phase in its own batch transaction (retried once on a serialization
   * failure or deadlock): its results, its record and the next phase's `running` mark commit
   * together. A failure is recorded and returned as a status, never thrown.
   */
  async run(phase: string, next: string | null, fn: (tx: Db) => Promise<PhaseOutcome>): Promise<RunStatus> {
    const t0 = performance.now();
    this.decided.add(phase);
    const markNext = (): PhaseRecord[] => (next && !this.decided.has(next) ? [{ phase: next, status: 'running', attempts: 0, startedAt: this.deps.clock() }] : []);
    const { attempts, err } = await retrying((n) =>
      batchTransaction(this.deps.db, async (tx) => {
        const out = await fn(tx);
        await this.write(tx, [succeededRecord(this.deps, phase, n, t0, out), ...markNext()]);
      }, this.txOptions()),
    );
    if (err === undefined) {
      this.committed();
      return 'succeeded';
    }
    this.add(failedRecord(this.deps, { runId: this.runId, portfolioId: this.portfolioId, phase }, attempts, t0, err));
    for (const m of markNext()) this.add(m);
    await this.flush();
    return 'failed';
  }
}
