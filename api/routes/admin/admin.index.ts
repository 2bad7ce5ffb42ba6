import { createRouter } from '../../router.ts';
import { createUserHandler } from './admin.handlers.ts';
import { createUserRoute } from './admin.routes.ts';
import { jobHandler, jobsStatusHandler, triggerDailyHandler } from './batch.handlers.ts';
import { jobRoute, jobsStatusRoute, triggerDailyRoute } from './batch.routes.ts';

/** `/jobs/status` is registered before `/jobs/{job_id}` so the static path wins. */
export const adminRouter = createRouter()
  .openapi(createUserRoute, createUserHandler)
  .openapi(triggerDailyRoute, triggerDailyHandler)
  .openapi(jobsStatusRoute, jobsStatusHandler)
  .openapi(jobRoute, jobHandler);
