/**
 * Batch tools: start the calculation batch on demand and follow its progress. Starting is
 * idempotent per trading date: unless `force`, a run that already covers the portfolio for that
 * as-of date (queued, running or succeeded) is returned instead of a new one.
 * A client that asks for progress (a progress token in the call's `_meta`) over a connection that
 * carries notifications (stdio, the in-process client) gets the run as a long-running call: one
 * `notifications/progress` per finished phase (done of total, with the phase) until the run ends,
 * then the final status. Over stateless HTTP (JSON responses, no stream for notifications) and
 * without a token, the call returns the job id at once and get_batch_status follows the run.
 * A client that supports MCP tasks may run the call as a task (`batchRunTasks`, see ../tasks.ts):
 * the task id is the run id, the task follows the run in the database, and its result is the
 * tool's answer for the finished run.
 */
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { resolveAsOf } from '../../core/batch/as-of.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { getBatchStatus, listBatchRuns, startBatchRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { BatchStatusSchema, StartBatchRunOutputSchema, type BatchRunSummary, type BatchStatus, type RUN_STATUSES } from '../../core/contracts/batch.ts';
import { AppError } from '../../core/errors.ts';
import type { McpContext } from '../context.ts';
import type { TaskSnapshot, TaskState, TaskTool } from '../tasks.ts';
import { defineTool, parseToolInput, READ_ONLY, STARTS_WORK, toolResult, type ToolDefinition } from './define.ts';
import { flag, portfolioIdInput, portfolioOf } from './inputs.ts';
import { text } from '../../core/contracts/common.ts';

const RunInput = z.object({
  portfolio_id: portfolioIdInput,
  force: flag(false, 'start a new run even when one already covers this portfolio and date'),
});
const RunOutput = StartBatchRunOutputSchema.extend({
  job_id: text().describe('same as run_id; pass it to get_batch_status'),
  reused: z.boolean().describe('true when an existing run for the same portfolio and date was returned instead of starting one'),
});
const StatusInput = z.object({
  job_id: text().max(64).nullish().describe('id returned by run_portfolio_batch (job_id or run_id)'),
  run_id: text().max(64).nullish().describe('alias of job_id'),
});

/** The batch service for this context: the server's runtime when it has one, else an in-process runner. */
function batchService(ctx: McpContext): BatchServiceDeps {
  return ctx.batch ?? { ...ctx.deps, runner: createInlineRunner(ctx.deps) };
}

type RunStatus = (typeof RUN_STATUSES)[number];
const FINISHED = new Set<RunStatus>(['succeeded', 'partial', 'failed', 'skipped', 'interrupted']);
/** How often a followed run is polled, and for how long at most before the call returns it running. */
const FOLLOW_POLL_MS = 250;
const FOLLOW_MAX_MS = 15 * 60_000;

/** Where a run stands, in words: the phases done and the one running, or how it ended. */
function progressMessage(s: BatchStatus): string {
  const done = s.progress.done + s.progress.failed;
  if (FINISHED.has(s.status)) return `run ${s.status}${s.error ? `: ${s.error}` : ''}`;
  const running = s.portfolios.flatMap((p) => p.phases).find((ph) => ph.status === 'running')?.phase;
  return `${done}/${s.progress.total} phases${running ? `, running ${running}` : ''}`;
}

/** Reports the run's phase progress until it finishes (or the call is cancelled); returns its last status. */
async function followRun(svc: BatchServiceDeps, c: McpContext, runId: string, progress: NonNullable<McpContext['progress']>): Promise<RunStatus> {
  const until = Date.now() + FOLLOW_MAX_MS;
  let reported = '';
  for (;;) {
    const s = await getBatchStatus(svc, c.principal, runId);
    const done = s.progress.done + s.progress.failed;
    // a notification per finished phase, and one when the run itself ends
    const key = `${done}:${FINISHED.has(s.status)}`;
    if (key !== reported) {
      reported = key;
      await progress(done, s.progress.total, FINISHED.has(s.status) ? `run ${s.status}` : progressMessage(s));
    }
    if (FINISHED.has(s.status) || c.signal?.aborted || Date.now() > until) return s.status;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}

/** The run covering the portfolio for the current trading date (unless `force`), or a new one; not followed. */
async function startOrReuse(i: z.infer<typeof RunInput>, c: McpContext): Promise<z.infer<typeof RunOutput>> {
  const portfolioId = await portfolioOf(c, i.portfolio_id);
  const svc = batchService(c);
  if (!i.force) {
    const asOf = await resolveAsOf(svc.db, svc.clock());
    const { runs } = await listBatchRuns(svc, c.principal, { portfolio_id: portfolioId, limit: 20 });
    const existing = runs.find((r) => r.as_of === asOf && ['queued', 'running', 'succeeded'].includes(r.status));
    if (existing) return { run_id: existing.run_id, job_id: existing.run_id, as_of: existing.as_of, status: existing.status, trigger: existing.trigger, portfolio_ids: existing.portfolio_ids, reused: true };
  }
  const out = await startBatchRun(svc, c.principal, { portfolio_id: portfolioId, all: null, as_of: null, skip_reports: null }, c.channel === 'agent' ? 'agent' : 'api');
  return { ...out, job_id: out.run_id, reused: false };
}

const RUN_TOOL = {
  name: 'run_portfolio_batch', title: 'Run the calculation batch', annotations: STARTS_WORK,
  description: 'Starts the nightly calculation batch (valuation, Greeks, factors, scenarios, stress, VaR, snapshots, correlations, reports) for one portfolio now and returns its job_id at once. Ask the user first. Idempotent per trading date unless force is true.',
  input: RunInput, output: RunOutput,
  hints: { CONFLICT: 'a run for this portfolio and date is in progress; poll get_batch_status' },
  run: async (i, c) => {
    const out = await startOrReuse(i, c);
    if (out.reused || !c.progress || c.channel === 'http') return out;
    return { ...out, status: await followRun(batchService(c), c, out.run_id, c.progress) };
  },
  summary: (o) => (o.reused ? `A run for ${o.as_of} already exists (${o.status}): job_id ${o.job_id}.` : `Batch started for ${o.as_of}: job_id ${o.job_id} (${o.status}). Poll get_batch_status.`),
} satisfies ToolDefinition<typeof RunInput, typeof RunOutput>;

/** How often a client following a run as a task is asked to poll. */
const TASK_POLL_MS = 1_000;
const TASK_STATE: Record<RunStatus, TaskState> = { queued: 'working', running: 'working', succeeded: 'completed', partial: 'completed', skipped: 'completed', failed: 'failed', interrupted: 'failed' };

const latest = (stamps: readonly (string | null)[]) => new Date(Math.max(...stamps.filter((t): t is string => t !== null).map((t) => Date.parse(t)))).toISOString();

/** A listed run as a task (state and times; the list carries no phases or results). */
function listedTask(r: BatchRunSummary): TaskSnapshot {
  return { taskId: r.run_id, state: TASK_STATE[r.status], message: `run ${r.status}${r.error ? `: ${r.error}` : ''}`, createdAt: r.created_at, lastUpdatedAt: latest([r.created_at, r.started_at, r.finished_at]) };
}

/** The run as a task: its state and progress, and once it ended the tool's answer for it (`isError` when it failed). */
function runTask(s: BatchStatus): TaskSnapshot {
  const state = TASK_STATE[s.status];
  const phases = [...s.global_phases, ...s.portfolios.flatMap((p) => p.phases)];
  const snapshot: TaskSnapshot = { taskId: s.run_id, state, message: progressMessage(s), createdAt: s.created_at, lastUpdatedAt: latest([s.created_at, s.started_at, s.finished_at, ...phases.flatMap((ph) => [ph.started_at, ph.finished_at])]) };
  if (state === 'working') return snapshot;
  // the task's answer reports the run itself; whether the starting call joined an existing run was said when the task was created
  const result: CallToolResult = toolResult(RUN_TOOL, { run_id: s.run_id, job_id: s.run_id, as_of: s.as_of, status: s.status, trigger: s.trigger, portfolio_ids: s.portfolio_ids, reused: false });
  return { ...snapshot, result: state === 'failed' ? { ...result, isError: true } : result };
}

/** run_portfolio_batch as a task: the task id is the run id, and every read is scoped to the caller like get_batch_status. */
export const batchRunTasks: TaskTool = {
  name: RUN_TOOL.name,
  pollIntervalMs: TASK_POLL_MS,
  hints: RUN_TOOL.hints,
  start: async (args, c) => {
    const out = await startOrReuse(parseToolInput(RUN_TOOL, args), c);
    const task = runTask(await getBatchStatus(batchService(c), c.principal, out.run_id));
    return out.reused ? { ...task, message: `an existing run for ${out.as_of} is followed (${task.message})` } : task;
  },
  get: async (taskId, c) => runTask(await getBatchStatus(batchService(c), c.principal, taskId)),
  list: async (c, limit) => (await listBatchRuns(batchService(c), c.principal, { portfolio_id: null, limit })).runs.map(listedTask),
};

export function registerBatchTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, RUN_TOOL);

  defineTool(server, ctx, {
    name: 'get_batch_status', title: 'Batch progress', annotations: READ_ONLY,
    description: 'Status of a batch run: overall state, progress over phases, per-portfolio phase results with timings, rows written, warnings and errors.',
    input: StatusInput, output: BatchStatusSchema,
    hints: { NOT_FOUND: 'use the job_id returned by run_portfolio_batch' },
    run: async (i, c) => {
      const id = i.job_id ?? i.run_id;
      if (!id) throw new AppError('VALIDATION', 'job_id is required');
      return getBatchStatus(batchService(c), c.principal, id);
    },
    summary: (o) => `Run ${o.run_id} for ${o.as_of}: ${o.status}, ${o.progress.done}/${o.progress.total} phases done (${o.progress.failed} failed).`,
  });
}
