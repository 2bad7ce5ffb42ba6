/**
 * Contracts of the batch use cases (start a run, its status, list runs): the same objects serve
 * the REST routes, the MCP tools `run_portfolio_batch` / `get_batch_status` and the CLI.
 */
import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed', 'skipped', 'interrupted'] as const;
export const BATCH_TRIGGERS = ['schedule', 'cli', 'api', 'agent', 'startup', 'change'] as const;

export const StartBatchRunInputSchema = z
  .object({
    portfolio_id: text().nullable().describe('portfolio to run; null with all=true runs every portfolio of the caller (every portfolio for an admin)'),
    all: z.boolean().nullable().describe('true to run all of the caller\'s portfolios; ignored when portfolio_id is set'),
    as_of: text().regex(ISO_DATE, 'must be YYYY-MM-DD').nullable().describe('calculation date YYYY-MM-DD; null = latest trading day with market data (moved back to one when it is not)'),
    skip_reports: z.boolean().nullable().describe('true to skip writing report files'),
  })
  .openapi('StartBatchRunInput');
export type StartBatchRunInput = z.infer<typeof StartBatchRunInputSchema>;

export const StartBatchRunOutputSchema = z
  .object({
    run_id: text().describe('id of the run; poll its status with get_batch_status'),
    as_of: text().describe('calculation date the run computes (YYYY-MM-DD)'),
    status: z.enum(RUN_STATUSES).describe('queued: the run was accepted and starts in the background'),
    trigger: z.enum(BATCH_TRIGGERS).describe('what started the run'),
    portfolio_ids: z.array(text()).describe('portfolios the run covers'),
  })
  .openapi('StartBatchRunOutput');
export type StartBatchRunOutput = z.infer<typeof StartBatchRunOutputSchema>;

export const PhaseStatusSchema = z
  .object({
    phase: text().describe('phase name: market_data, factor_model, valuation, greeks, factors, scenarios, stress, risk, snapshot, correlations, reports'),
    status: z.enum(RUN_STATUSES).describe('state of the phase'),
    attempts: z.number().int().describe('executions so far (a serialisation failure is retried once)'),
    started_at: text().nullable().describe('ISO start time'),
    finished_at: text().nullable().describe('ISO end time'),
    duration_ms: z.number().int().nullable().describe('wall time, milliseconds'),
    rows_written: z.number().int().describe('result rows written by the phase'),
    warnings: z.array(text()).describe('data-quality warnings (stale prices, proxies, uncovered positions)'),
    error: text().nullable().describe('why it failed or was skipped (e.g. missing_input: factors)'),
  })
  .openapi('BatchPhaseStatus');
export type PhaseStatus = z.infer<typeof PhaseStatusSchema>;

const ProgressSchema = z
  .object({
    total: z.number().int().describe('phase runs in the run'),
    done: z.number().int().describe('phase runs finished (succeeded, failed or skipped)'),
    succeeded: z.number().int().describe('phase runs that succeeded'),
    failed: z.number().int().describe('phase runs that failed'),
    skipped: z.number().int().describe('phase runs skipped'),
    running: z.number().int().describe('phase runs executing now'),
    percent: z.number().describe('done / total × 100'),
  })
  .openapi('BatchProgress');

export const BatchRunSummarySchema = z
  .object({
    run_id: text().describe('run id'),
    as_of: text().describe('calculation date'),
    trigger: z.enum(BATCH_TRIGGERS).describe('what started the run'),
    status: z.enum(RUN_STATUSES).describe('run state; partial = some phase failed'),
    created_at: text().describe('ISO time the run was accepted'),
    started_at: text().nullable().describe('ISO start time'),
    finished_at: text().nullable().describe('ISO end time'),
    duration_ms: z.number().int().nullable().describe('wall time, milliseconds'),
    portfolio_ids: z.array(text()).describe('portfolios the run covers (visible ones only)'),
    warnings: z.array(text()).describe('run-level warnings (stale data, proxies used)'),
    error: text().nullable().describe('summary of failed phases'),
  })
  .openapi('BatchRunSummary');
export type BatchRunSummary = z.infer<typeof BatchRunSummarySchema>;

export const BatchStatusSchema = BatchRunSummarySchema.extend({
  progress: ProgressSchema.describe('progress over the phases the caller may see'),
  global_phases: z.array(PhaseStatusSchema).describe('phases run once per run (market data, factor model)'),
  portfolios: z
    .array(z.object({
      portfolio_id: text().describe('portfolio id'),
      portfolio_name: text().describe('portfolio name'),
      phases: z.array(PhaseStatusSchema).describe('phases in run order'),
    }).openapi('BatchPortfolioStatus'))
    .describe('per-portfolio phase status'),
}).openapi('BatchStatus');
export type BatchStatus = z.infer<typeof BatchStatusSchema>;

export const GetBatchStatusInputSchema = z.object({ run_id: text().describe('id returned by run_portfolio_batch') }).openapi('GetBatchStatusInput');
export type GetBatchStatusInput = z.infer<typeof GetBatchStatusInputSchema>;

export const ListBatchRunsInputSchema = z
  .object({
    portfolio_id: text().nullable().describe('only runs covering this portfolio; null = all visible runs'),
    limit: z.number().int().min(1).max(200).nullable().describe('maximum runs, newest first (default 20)'),
  })
  .openapi('ListBatchRunsInput');
export type ListBatchRunsInput = z.infer<typeof ListBatchRunsInputSchema>;

export const BatchRunListSchema = z.object({ runs: z.array(BatchRunSummarySchema).describe('runs, newest first') }).openapi('BatchRunList');
export type BatchRunList = z.infer<typeof BatchRunListSchema>;
