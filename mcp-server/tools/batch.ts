/**
 * Batch tools: start the calculation batch on demand and follow its progress. Starting is
 * idempotent per trading date: unless `force`, a run that already covers the portfolio for that
 * as-of date (queued, running or succeeded) is returned instead of a new one.
 * A client that asks for progress (a progress token in the call's `_meta`) over a connection that
 * carries notifications (stdio, the in-process client) gets the run as a long-running call: one
 * `notifications/progress` per finished phase (done of total, with the phase) until the run ends,
 * then the final status. Over stateless HTTP (JSON responses, no stream for notifications) and
 * without a token, the call returns the job id at once and get_batch_status follows the run.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { resolveAsOf } from '../../core/batch/as-of.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { getBatchStatus, listBatchRuns, startBatchRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { BatchStatusSchema, StartBatchRunOutputSchema, type RUN_STATUSES } from '../../core/contracts/batch.ts';
import { AppError } from '../../core/errors.ts';
import type { McpContext } from '../context.ts';
import { defineTool, READ_ONLY, STARTS_WORK } from './define.ts';
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
      const running = s.portfolios.flatMap((p) => p.phases).find((ph) => ph.status === 'running')?.phase;
      await progress(done, s.progress.total, FINISHED.has(s.status) ? `run ${s.status}` : `${done}/${s.progress.total} phases${running ? `, running ${running}` : ''}`);
    }
    if (FINISHED.has(s.status) || c.signal?.aborted || Date.now() > until) return s.status;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}

export function registerBatchTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'run_portfolio_batch', title: 'Run the calculation batch', annotations: STARTS_WORK,
    description: 'Starts the nightly calculation batch (valuation, Greeks, factors, scenarios, stress, VaR, snapshots, correlations, reports) for one portfolio now and returns its job_id at once. Ask the user first. Idempotent per trading date unless force is true.',
    input: RunInput, output: RunOutput,
    hints: { CONFLICT: 'a run for this portfolio and date is in progress; poll get_batch_status' },
    run: async (i, c) => {
      const portfolioId = await portfolioOf(c, i.portfolio_id);
      const svc = batchService(c);
      if (!i.force) {
        const asOf = await resolveAsOf(svc.db, svc.clock());
        const { runs } = await listBatchRuns(svc, c.principal, { portfolio_id: portfolioId, limit: 20 });
        const existing = runs.find((r) => r.as_of === asOf && ['queued', 'running', 'succeeded'].includes(r.status));
        if (existing) return { run_id: existing.run_id, job_id: existing.run_id, as_of: existing.as_of, status: existing.status, trigger: existing.trigger, portfolio_ids: existing.portfolio_ids, reused: true };
      }
      const out = await startBatchRun(svc, c.principal, { portfolio_id: portfolioId, all: null, as_of: null, skip_reports: null }, c.channel === 'agent' ? 'agent' : 'api');
      const status = c.progress && c.channel !== 'http' ? await followRun(svc, c, out.run_id, c.progress) : out.status;
      return { ...out, status, job_id: out.run_id, reused: false };
    },
    summary: (o) => (o.reused ? `A run for ${o.as_of} already exists (${o.status}): job_id ${o.job_id}.` : `Batch started for ${o.as_of}: job_id ${o.job_id} (${o.status}). Poll get_batch_status.`),
  });

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
