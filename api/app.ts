/**
 * The Hono composition root: request id and logging, one error handler that speaks
 * problem+json, and the routers. `createApp(deps)` builds an app over any database handle, so
 * tests drive the real app through `app.request()`.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { AppError } from '../core/errors.ts';
import type { AppBindings, AppDeps } from './context.ts';
import { problemResponse } from './problem.ts';
import { healthRouter } from './routes/health/health.index.ts';

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppBindings>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        return problemResponse(c as never, new AppError('VALIDATION', 'the request is not valid', { details: { errors } }));
      }
    },
  });

  app.use(requestId());
  app.use(async (c, next) => {
    const log = deps.log.child({ requestId: c.get('requestId') });
    c.set('deps', deps);
    c.set('log', log);
    const t0 = performance.now();
    await next();
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - t0) }, 'request');
  });

  app.route('/', healthRouter);

  app.notFound((c) => problemResponse(c, new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => problemResponse(c, err));
  return app;
}

export type App = ReturnType<typeof createApp>;
