import type { RouteHandler } from '@hono/zod-openapi';
import { getBatchStatus, listBatchRuns, startBatchRun } from '../../../core/batch/service.ts';
import type { AppBindings } from '../../context.ts';
import type { jobRoute, jobsStatusRoute, triggerDailyRoute } from './batch.routes.ts';

export const triggerDailyHandler: RouteHandler<typeof triggerDailyRoute, AppBindings> = async (c) => {
  const q = c.req.valid('query');
  const input = { portfolio_id: q.portfolio_id ?? null, all: q.portfolio_id ? null : true, as_of: q.as_of ?? null, skip_reports: q.skip_reports };
  const run = await startBatchRun(c.get('batch'), c.get('principal'), input, 'api');
  return c.json({ ...run, job_id: run.run_id }, 202);
};

export const jobsStatusHandler: RouteHandler<typeof jobsStatusRoute, AppBindings> = async (c) => {
  const q = c.req.valid('query');
  const list = await listBatchRuns(c.get('batch'), c.get('principal'), { portfolio_id: q.portfolio_id ?? null, limit: q.limit });
  return c.json({ ...list, total_jobs: list.runs.length }, 200);
};

export const jobHandler: RouteHandler<typeof jobRoute, AppBindings> = async (c) =>
  c.json(await getBatchStatus(c.get('batch'), c.get('principal'), c.req.valid('param').job_id), 200);
