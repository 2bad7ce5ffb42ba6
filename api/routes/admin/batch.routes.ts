/** Batch routes (api.md §10 build guidance): start a run, its status, the run list. Admins: every portfolio; owners: their own. */
import { createRoute, z } from '@hono/zod-openapi';
import { BatchRunListSchema, BatchStatusSchema, StartBatchRunOutputSchema } from '../../../core/contracts/batch.ts';
import { DateSchema, IdSchema, QueryBool, text } from '../../../core/contracts/common.ts';
import { ok, problems, SECURED } from '../responses.ts';

const base = { tags: ['Batch'], security: SECURED };

export const triggerDailyRoute = createRoute({
  ...base,
  method: 'post',
  path: '/api/v1/admin/batch/trigger/daily',
  summary: 'Start a batch run (returns at once; poll the job)',
  description: 'Without portfolio_id: every portfolio the caller owns (every portfolio for an admin). A run already active for the same portfolio and date answers 409.',
  request: {
    query: z.object({
      portfolio_id: IdSchema.optional().describe('one portfolio (yours, or any for an admin)'),
      as_of: DateSchema.optional().describe('calculation date (default: latest trading day with market data)'),
      skip_reports: QueryBool(false).describe('skip writing report files'),
    }),
  },
  responses: {
    202: { content: { 'application/json': { schema: StartBatchRunOutputSchema.extend({ job_id: text().describe('same as run_id (reference name)') }) } }, description: 'Run accepted' },
    ...problems(401, 404, 409, 422, 429),
  },
});

export const jobsStatusRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/admin/batch/jobs/status',
  summary: 'Batch runs visible to the caller, newest first',
  request: {
    query: z.object({
      portfolio_id: IdSchema.optional().describe('only runs covering this portfolio'),
      limit: z.coerce.number().int().min(1).max(200).default(20).describe('runs to return (1–200)'),
    }),
  },
  responses: { ...ok(BatchRunListSchema.extend({ total_jobs: z.number().int().describe('runs returned') }), 'Runs'), ...problems(401, 404, 422, 429) },
});

export const jobRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/admin/batch/jobs/{job_id}',
  summary: 'Status of a run with progress per phase',
  request: { params: z.object({ job_id: IdSchema.openapi({ param: { name: 'job_id', in: 'path' } }) }) },
  responses: { ...ok(BatchStatusSchema, 'Run status'), ...problems(401, 404, 422, 429) },
});
