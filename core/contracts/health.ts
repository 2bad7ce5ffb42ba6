import { z } from '@hono/zod-openapi';

export const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'unhealthy']).describe('healthy when the database answers'),
    version: z.string().describe('SigmaSight version'),
    uptime_s: z.number().describe('seconds since the server started'),
    database: z
      .object({
        kind: z.enum(['pglite', 'postgres']).describe('embedded PGlite or a Postgres server'),
        ok: z.boolean().describe('true when `select 1` succeeded'),
        latency_ms: z.number().describe('round trip of the check, milliseconds'),
        error: z.string().optional().describe('why the check failed'),
      })
      .openapi('DatabaseHealth'),
    results: z
      .object({
        ready: z.boolean().describe('true when every portfolio has batch results for as_of'),
        as_of: z.string().nullable().describe('latest trading day with market data (YYYY-MM-DD)'),
        latest_results_as_of: z.string().nullable().describe('latest date with stored batch results'),
        running: z.boolean().describe('true while a batch run is queued or running'),
      })
      .openapi('ResultsReadiness')
      .describe('readiness of the nightly batch results; a first start computes them in the background'),
  })
  .openapi('Health');

export type Health = z.infer<typeof HealthSchema>;

export const ProblemSchema = z
  .object({
    type: z.string().describe('URI reference identifying the problem type'),
    title: z.string().describe('short summary of the problem type'),
    status: z.number().int().describe('HTTP status code'),
    detail: z.string().describe('human-readable explanation of this occurrence'),
    code: z
      .enum(['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE', 'RATE_LIMITED', 'UPSTREAM', 'UNAVAILABLE', 'INTERNAL'])
      .describe('machine-readable error code'),
    instance: z.string().optional().describe('request path'),
    request_id: z.string().optional().describe('request id, also in the X-Request-Id header'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('validation issues, one per field'),
    retry_after: z.number().int().optional().describe('seconds to wait before retrying (429, 503); the same value as the Retry-After header'),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;
