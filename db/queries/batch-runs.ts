/**
 * Run ledger of the nightly batch (engines.md §12.4): one `batch_runs` row per run and one
 * `batch_phase_runs` row per (run, portfolio, phase); global phases have a null portfolio.
 * A run is "active" while queued or running and its heartbeat (options.heartbeatAt) is fresh.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { queryRows } from '../exec.ts';
import { batchPhaseRuns, batchRuns } from '../schema/index.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'skipped' | 'interrupted';
export type BatchTrigger = 'schedule' | 'cli' | 'api' | 'agent' | 'startup' | 'change';
export type BatchRunRow = typeof batchRuns.$inferSelect;
export type PhaseRunRow = typeof batchPhaseRuns.$inferSelect;

export interface NewRun {
  asOf: string;
  trigger: BatchTrigger;
  requestedBy: string | null;
  portfolioIds: string[];
  options: Record<string, unknown>;
}

/** Inserts a queued run and one queued phase row per (portfolio, phase) and global phase; returns the run id. */
export async function insertRun(db: Db, run: NewRun, phases: { global: readonly string[]; portfolio: readonly string[] }): Promise<string> {
  const [row] = await db
    .insert(batchRuns)
    .values({ ...run, status: 'queued', options: { ...run.options, heartbeatAt: new Date().toISOString() } })
    .returning({ id: batchRuns.id });
  const runId = row!.id;
  const rows = [
    ...phases.global.map((phase) => ({ runId, portfolioId: null, phase })),
    ...run.portfolioIds.flatMap((portfolioId) => phases.portfolio.map((phase) => ({ runId, portfolioId, phase }))),
  ];
  for (let i = 0; i < rows.length; i += 2000) await db.insert(batchPhaseRuns).values(rows.slice(i, i + 2000));
  return runId;
}

/** Active runs for an as-of date: queued or running with a heartbeat newer than `freshSince`. */
export async function activeRuns(db: Db, asOf: string, freshSince: Date): Promise<{ id: string; portfolioIds: string[]; trigger: string }[]> {
  return queryRows(db, sql`
    select id::text as id, portfolio_ids as "portfolioIds", trigger::text as trigger from batch_runs
    where as_of = ${asOf} and status in ('queued', 'running')
      and coalesce((options->>'heartbeatAt')::timestamptz, created_at) >= ${freshSince.toISOString()}::timestamptz`);
}

/** Marks queued/running runs whose heartbeat is older than `staleBefore` as failed (their process died). */
export async function failAbandonedRuns(db: Db, staleBefore: Date): Promise<number> {
  const rows = await queryRows<{ id: string }>(db, sql`
    update batch_runs set status = 'failed', finished_at = now(), error = 'abandoned: no heartbeat from the process running it'
    where status in ('queued', 'running') and coalesce((options->>'heartbeatAt')::timestamptz, created_at) < ${staleBefore.toISOString()}::timestamptz
    returning id::text as id`);
  if (rows.length) {
    await db.execute(sql`update batch_phase_runs set status = 'failed', error = 'abandoned', finished_at = now()
      where run_id in (select json_array_elements_text(${JSON.stringify(rows.map((r) => r.id))}::json)::uuid) and status in ('queued', 'running')`);
  }
  return rows.length;
}

/** Refreshes a run's heartbeat. */
export async function touchRun(db: Db, runId: string): Promise<void> {
  await db.execute(sql`update batch_runs set options = jsonb_set(options, '{heartbeatAt}', to_jsonb(now()::text)) where id = ${runId}`);
}

/** Marks a run running; with `timeoutMs`, records its deadline (now + timeoutMs, database time) in options.deadlineAt, shared by every worker. */
export async function markRunStarted(db: Db, runId: string, startedAt: Date, timeoutMs?: number): Promise<void> {
  await db.update(batchRuns).set({ status: 'running', startedAt }).where(and(eq(batchRuns.id, runId), inArray(batchRuns.status, ['queued', 'running'])));
  if (timeoutMs !== undefined) {
    await db.execute(sql`update batch_runs set options = jsonb_set(options, '{deadlineAt}', to_jsonb((extract(epoch from now()) * 1000 + ${timeoutMs}::bigint)::bigint))
      where id = ${runId} and not options ? 'deadlineAt'`);
  }
  await touchRun(db, runId);
}

/** Records a run's final state; a run already ended (e.g. interrupted by a stopping process) keeps its status. */
export async function finishRun(db: Db, runId: string, f: { status: RunStatus; finishedAt: Date; durationMs: number; warnings: string[]; error: string | null }): Promise<void> {
  await db.update(batchRuns).set(f).where(and(eq(batchRuns.id, runId), inArray(batchRuns.status, ['queued', 'running'])));
}

/** Ends still-active runs (and their unfinished phases) as `interrupted` with `reason`; returns the ids it ended. */
export async function interruptRuns(db: Db, runIds: readonly string[], reason: string): Promise<string[]> {
  if (!runIds.length) return [];
  const ids = JSON.stringify(runIds);
  const rows = await queryRows<{ id: string }>(db, sql`
    update batch_runs set status = 'interrupted', finished_at = now(), error = ${reason}
    where id in (select json_array_elements_text(${ids}::json)::uuid) and status in ('queued', 'running') returning id::text as id`);
  await db.execute(sql`update batch_phase_runs set status = 'interrupted', error = ${reason}, finished_at = now()
    where run_id in (select json_array_elements_text(${ids}::json)::uuid) and status in ('queued', 'running')`);
  return rows.map((r) => r.id);
}


/** One phase row's new state; fields left out keep their stored value. */
export interface PhaseRecord {
  phase: string;
  status: RunStatus;
  attempts?: number;
  startedAt?: Date;
  finishedAt?: Date;
  durationMs?: number;
  rowsWritten?: number;
  warnings?: string[];
  metrics?: Record<string, unknown>;
  error?: string | null;
}

/**
 * Writes several phase rows of one (run, portfolio) in one statement (`json_to_recordset`);
 * when a phase appears twice the later record wins.
 */
export async function recordPhases(db: Db, runId: string, portfolioId: string | null, records: readonly PhaseRecord[]): Promise<void> {
  if (!records.length) return;
  const merged = new Map<string, PhaseRecord>();
  for (const r of records) merged.set(r.phase, { ...merged.get(r.phase), ...r });
  const json = JSON.stringify([...merged.values()].map((r) => ({
    phase: r.phase, status: r.status, attempts: r.attempts ?? null, started_at: r.startedAt?.toISOString() ?? null, finished_at: r.finishedAt?.toISOString() ?? null,
    duration_ms: r.durationMs ?? null, rows_written: r.rowsWritten ?? null, warnings: r.warnings ?? null, metrics: r.metrics ?? null,
    error: r.error === undefined ? null : r.error, clear_error: r.error === null,
  })));
  await db.execute(sql`
    update batch_phase_runs b set status = x.status, attempts = coalesce(x.attempts, b.attempts), started_at = coalesce(x.started_at, b.started_at),
      finished_at = coalesce(x.finished_at, b.finished_at), duration_ms = coalesce(x.duration_ms, b.duration_ms), rows_written = coalesce(x.rows_written, b.rows_written),
      warnings = coalesce(x.warnings, b.warnings), metrics = coalesce(x.metrics, b.metrics), error = case when x.clear_error then null else coalesce(x.error, b.error) end
    from json_to_recordset(${json}::json) as x(phase text, status run_status, attempts integer, started_at timestamptz, finished_at timestamptz, duration_ms integer,
      rows_written integer, warnings jsonb, metrics jsonb, error text, clear_error boolean)
    where b.run_id = ${runId} and ${portfolioId === null ? sql`b.portfolio_id is null` : sql`b.portfolio_id = ${portfolioId}`} and b.phase = x.phase`);
}

/**
 * Counts `count` more finished portfolio jobs of a run (and refreshes its heartbeat); returns the
 * count and the number of portfolios in the run. A retried job may count twice, so callers
 * treat `done >= total` as "check whether anything is still pending".
 */
export async function countPortfolioDone(db: Db, runId: string, count = 1): Promise<{ done: number; total: number }> {
  const [row] = await queryRows<{ done: number; total: number }>(db, sql`
    update batch_runs set options = jsonb_set(jsonb_set(options, '{heartbeatAt}', to_jsonb(now()::text)), '{portfoliosDone}', to_jsonb(coalesce((options->>'portfoliosDone')::int, 0) + ${count}::int))
    where id = ${runId} returning (options->>'portfoliosDone')::int as done, jsonb_array_length(portfolio_ids)::int as total`);
  return row ?? { done: 0, total: 0 };
}

export async function getRun(db: Db, runId: string): Promise<BatchRunRow | null> {
  const [row] = await db.select().from(batchRuns).where(eq(batchRuns.id, runId)).limit(1);
  return row ?? null;
}

export async function listPhaseRuns(db: Db, runId: string): Promise<PhaseRunRow[]> {
  return db.select().from(batchPhaseRuns).where(eq(batchPhaseRuns.runId, runId)).orderBy(asc(batchPhaseRuns.startedAt));
}

/** Most recent runs first; `portfolioIds` restricts to runs touching any of them (null = all runs). */
export async function listRuns(db: Db, opts: { limit: number; portfolioIds: string[] | null }): Promise<BatchRunRow[]> {
  if (opts.portfolioIds === null) return db.select().from(batchRuns).orderBy(desc(batchRuns.createdAt)).limit(opts.limit);
  if (!opts.portfolioIds.length) return [];
  return db
    .select()
    .from(batchRuns)
    .where(sql`${batchRuns.portfolioIds} ?| (select array_agg(value) from json_array_elements_text(${JSON.stringify(opts.portfolioIds)}::json))`)
    .orderBy(desc(batchRuns.createdAt))
    .limit(opts.limit);
}

/** Count of phase rows not yet in a terminal state. */
export async function pendingPhaseCount(db: Db, runId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from batch_phase_runs where run_id = ${runId} and status in ('queued', 'running')`);
  return row?.n ?? 0;
}

/** Latest schedule-triggered run for an as-of date that did not fail, or null. */
export async function scheduledRunFor(db: Db, asOf: string): Promise<string | null> {
  const [row] = await queryRows<{ id: string }>(db, sql`
    select id::text as id from batch_runs where as_of = ${asOf} and trigger = 'schedule' and status <> 'failed' order by created_at desc limit 1`);
  return row?.id ?? null;
}

/**
 * Trading days (SPY closes) after the latest completed run over all portfolios and before
 * `asOf`, oldest first, at most the `max` most recent; empty when no run has completed yet.
 */
export async function tradingDaysWithoutRun(db: Db, asOf: string, max: number): Promise<string[]> {
  if (max <= 0) return [];
  const rows = await queryRows<{ d: string }>(db, sql`
    with last as (select max(as_of) as d from batch_runs where status in ('succeeded', 'partial') and options->>'scope' = 'all')
    select m.date::text as d from market_prices m, last
    where m.symbol = 'SPY' and last.d is not null and m.date > last.d and m.date < ${asOf}
    order by m.date desc limit ${max}`);
  return rows.map((r) => r.d).reverse();
}
