import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

export const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'unhealthy']).describe('healthy when the database answers'),
    version: text().describe('SigmaSight version'),
    uptime_s: z.number().describe('seconds since the server started'),
    database: z
      .object({
        kind: z.enum(['pglite', 'postgres']).describe('embedded PGlite or a Postgres server'),
        ok: z.boolean().describe('true when `select 1` succeeded'),
        latency_ms: z.number().describe('round trip of the check, milliseconds'),
        error: text().optional().describe('why the check failed'),
      })
      .openapi('DatabaseHealth'),
    results: z
      .object({
        ready: z.boolean().describe('true when every portfolio has batch results for as_of'),
        as_of: text().nullable().describe('latest trading day with market data (YYYY-MM-DD)'),
        latest_results_as_of: text().nullable().describe('latest date with stored batch results'),
        running: z.boolean().describe('true while a batch run is queued or running'),
      })
      .openapi('ResultsReadiness')
      .describe('readiness of the nightly batch results; a first start computes them in the background'),
  })
  .openapi('Health');

export type Health = z.infer<typeof HealthSchema>;

export const ProblemSchema = z
  .object({
    type: text().describe('URI reference identifying the problem type'),
    title: text().describe('short summary of the problem type'),
    status: z.number().int().describe('HTTP status code'),
    detail: text().describe('human-readable explanation of this occurrence'),
    code: z
      .enum(['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'TOO_LARGE', 'UNPROCESSABLE', 'RATE_LIMITED', 'UPSTREAM', 'UNAVAILABLE', 'INTERNAL'])
      .describe('machine-readable error code'),
    instance: text().optional().describe('request path'),
    request_id: text().optional().describe('request id, also in the X-Request-Id header'),
    errors: z.array(z.object({ path: text(), message: text() })).optional().describe('validation issues, one per field'),
    retry_after: z.number().int().optional().describe('seconds to wait before retrying (429, 503); the same value as the Retry-After header'),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;
