import type { RouteHandler } from '@hono/zod-openapi';
import { resultsReadiness } from '../../../core/batch/readiness.ts';
import type { AppBindings } from '../../context.ts';
import type { healthRoute } from './health.routes.ts';

export const health: RouteHandler<typeof healthRoute, AppBindings> = async (c) => {
  const { dbh, startedAt, version } = c.get('deps');
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await dbh.ping();
  } catch (err) {
    error = (err as Error).message;
  }
  const readiness = error ? null : await resultsReadiness(dbh.db, new Date()).catch(() => null);
  const results = { ready: readiness?.ready ?? false, as_of: readiness?.asOf ?? null, latest_results_as_of: readiness?.latestResultsAsOf ?? null, running: readiness?.running ?? false };
  const database = { kind: dbh.kind, ok: !error, latency_ms: Math.round((performance.now() - t0) * 100) / 100, ...(error ? { error } : {}) };
  const body = { status: error ? ('unhealthy' as const) : ('healthy' as const), version, uptime_s: Math.round((Date.now() - startedAt) / 1000), database, results };
  return error ? c.json(body, 503) : c.json(body, 200);
};
